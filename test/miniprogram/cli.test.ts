// `sjt check miniprogram` as a user runs it: every command of docs/miniprogram.md exactly as
// written (in a temporary folder that sees the fixtures), exit codes, and bad input that must end
// with exit 2 naming the file and position, never a stack trace.
// The documented commands and the first bad input spawn the built binary; the other bad inputs run
// in-process (test/helpers/run.ts).
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, cpSync, existsSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {ROOT, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-mp-cli-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))
const noStack = (s: string) => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)

describe('docs/miniprogram.md commands', () => {
  const doc = readFileSync(path.join(ROOT, 'docs/miniprogram.md'), 'utf8')
  const commands = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n')).filter((l) => l.startsWith('sjt '))
  const cwd = path.join(tmp, 'docs')
  mkdirSync(cwd)
  symlinkSync(path.join(ROOT, 'fixtures'), path.join(cwd, 'fixtures'))

  it('shows the commands this test runs', () => {
    expect(commands.length).toBeGreaterThanOrEqual(5)
  })

  it.each(commands)('%s', async (line) => {
    const r = await sjt(line.split(/\s+/).slice(1), {cwd})
    noStack(r.stderr)
    if (line.includes('/fail-')) {
      expect(r.code, r.stdout + r.stderr).toBe(1)
      expect(r.stdout).toMatch(/MP-005 fixtures\/rules\/MP-005\/fail-no-switch\/pages\/index\/index\.wxml:1:1/)
    } else expect(r.code, r.stdout + r.stderr).toBe(0)
    if (line.includes('--json')) expect(JSON.parse(r.stdout).categories.miniprogram.status).toBe('pass')
    if (line.includes('init')) {
      const m = readFileSync(path.join(cwd, 'my-mp', 'sjt.yaml'), 'utf8')
      expect(m).toContain('type: miniprogram')
      expect(m).toMatch(/miniprogram:\s+#.*\n\s+platform: wechat/)
    }
    if (line.includes('--format html,sarif')) expect(existsSync(path.join(cwd, 'reports', 'ty-gjj-mp', 'report.sarif'))).toBe(true)
  })
})

describe('bad input', () => {
  it('a folder without app.json: exit 2 naming app.json', async () => {
    const dir = path.join(tmp, 'noapp')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'project.config.json'), '{"appid": "wx1"}')
    const r = await sjt(['check', 'miniprogram', dir])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(path.join(dir, 'app.json'))
    expect(r.stderr).toContain('no app.json')
    noStack(r.stderr)
  })

  it('app.json with a trailing comma: exit 2 at file:line:column', async () => {
    const dir = path.join(tmp, 'badjson')
    cpSync(path.join(ROOT, 'fixtures/rules/MP-001/pass'), dir, {recursive: true})
    writeFileSync(path.join(dir, 'app.json'), '{\n  "pages": [\n    "pages/index/index",\n  ]\n}\n')
    const r = await sjtIn(['check', 'miniprogram', dir])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${path.join(dir, 'app.json')}:4:3`)
    noStack(r.stderr)
  })

  it('a folder that is neither an app nor a project: exit 2', async () => {
    const dir = path.join(tmp, 'plain')
    mkdirSync(dir)
    const r = await sjtIn(['check', 'miniprogram', dir])
    expect(r.code).toBe(2)
    noStack(r.stderr)
  })

  it('a manifest with type miniprogram but no project, or a project outside its folder: exit 2 at the field', async () => {
    const dir = path.join(tmp, 'app')
    mkdirSync(dir)
    const y = readFileSync(path.join(ROOT, 'fixtures/miniprograms/wechat-sample/sjt.yaml'), 'utf8')
    writeFileSync(path.join(dir, 'sjt.yaml'), y.replace('project: ./miniprogram', 'project: ../../etc'))
    const out = await sjtIn(['check', 'miniprogram', dir])
    expect(out.code).toBe(2)
    const line = y.split('\n').findIndex((l) => l.includes('project: ./miniprogram')) + 1
    expect(out.stderr).toMatch(new RegExp(`sjt\\.yaml:${line}:\\d+: .*outside`))
    writeFileSync(path.join(dir, 'sjt.yaml'), y.replace(/^miniprogram:\n(  .*\n)+/m, ''))
    const none = await sjtIn(['check', 'miniprogram', dir])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('miniprogram.project')
    noStack(none.stderr + out.stderr)
  })
})
