// Standard input is never read unless a command is given `-`: piped text does not become an
// argument of any command (in-process, every command), `printf x | sjt check elder --url U` checks
// the URL, a `while read` loop keeps its list, and `sjt report -` / `score -` / `submit -` read stdin.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {spawnSync} from 'node:child_process'
import {Args, Config, Parser} from '@oclif/core'
import {afterEach, beforeAll, describe, expect, it} from 'vitest'
import {BIN, ROOT, json, sjt} from '../helpers/cli.js'
import {buildOptions} from '../../src/cli/check.js'
import {runCheck} from '../../src/core/run.js'

const realStdin = Object.getOwnPropertyDescriptor(process, 'stdin')!

/** Replace process.stdin by a pipe that holds `text` (what oclif's stdin reader sees). */
function pipeStdin(text: string): void {
  const fake = Readable.from([text]) as Readable & {isTTY?: boolean}
  Object.defineProperty(process, 'stdin', {value: fake, configurable: true, enumerable: true, writable: true})
  delete (globalThis as {oclif?: {stdinCache?: string}}).oclif?.stdinCache
}

afterEach(() => {
  Object.defineProperty(process, 'stdin', realStdin)
  delete (globalThis as {oclif?: {stdinCache?: string}}).oclif?.stdinCache
})

let tmp: string
let resultFile: string
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-stdin-'))
  const manifest = path.join(ROOT, 'fixtures/apps/sample/sjt.yaml')
  const {doc} = await runCheck(buildOptions({}, {}, 'en', manifest), ['manifest'])
  resultFile = path.join(tmp, 'result.json')
  writeFileSync(resultFile, JSON.stringify(doc))
})

describe('piped text is never an argument', () => {
  it('the fake pipe is what oclif would read (control: an argument that takes stdin gets it)', async () => {
    pipeStdin('x\n')
    const out = await Parser.parse([], {args: {file: Args.string()}, flags: {}, strict: true, context: undefined})
    expect(out.args.file).toBe('x')
  })

  it('no command fills an argument from stdin', async () => {
    const config = await Config.load({root: ROOT})
    const ids = config.commands.map((c) => c.id).filter((id) => !id.startsWith('autocomplete'))
    expect(ids.length).toBeGreaterThan(10)
    let withArgs = 0
    for (const id of ids) {
      const Cmd = await config.findCommand(id)!.load()
      if (Object.keys(Cmd.args ?? {}).length === 0) continue
      withArgs++
      pipeStdin('x\n')
      const cmd = new Cmd([], config) as unknown as {parse(c: unknown, argv: string[]): Promise<{args: Record<string, unknown>}>}
      let args: Record<string, unknown> = {}
      try {
        args = (await cmd.parse(Cmd, [])).args
      } catch (error) {
        // a required argument that is missing stays missing
        expect(String((error as Error).message), id).toMatch(/Missing .*required arg/i)
      }
      expect(Object.values(args), id).not.toContain('x')
    }
    expect(withArgs).toBeGreaterThanOrEqual(6)
  })
})

describe('spawned, as a shell script would run sjt', () => {
  it('printf x | sjt check elder --url U checks the URL (no browser here: exit 3, not "x: no such file")', async () => {
    const r = await sjt(['check', 'elder', '--url', 'http://127.0.0.1:1/', '--out', path.join(tmp, 'r1'), '--lang', 'en'], {input: 'x\n', env: {CHROME_PATH: '/nonexistent'}, cwd: tmp})
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).not.toMatch(/no such file/)
    expect(r.stdout).toMatch(/ELD-001/)
  })

  it('a while-read loop runs sjt once per line and keeps the rest of its list', () => {
    const script = `printf 'SEC-001\\nMAN-002\\n' | while read id; do "${process.execPath}" "${BIN}" standards show "$id" --lang en > /dev/null && echo "ok $id"; done`
    const r = spawnSync('bash', ['-c', script], {encoding: 'utf8', cwd: tmp, timeout: 120_000})
    expect(r.stdout.trim().split('\n')).toEqual(['ok SEC-001', 'ok MAN-002'])
  })

  it('`-` reads the result document from stdin: report, score, submit (local verification)', async () => {
    const text = readFileSync(resultFile, 'utf8')
    const rep = await sjt(['report', '-', '--format', 'json', '--lang', 'en'], {input: text, cwd: tmp})
    expect(rep.code, rep.stderr).toBe(0)
    expect(json(rep).app.id).toBe('ty-gjj-withdraw')
    const sc = await sjt(['score', '-', '--json', '--lang', 'en'], {input: text, cwd: tmp})
    expect(sc.code, sc.stderr).toBe(0)
    expect(json(sc).appId ?? json(sc).app?.id).toBe('ty-gjj-withdraw')
    const broken = JSON.stringify({...JSON.parse(text), verdict: 'fail'})
    const sub = await sjt(['submit', '-', '--server', 'http://127.0.0.1:1', '--lang', 'en'], {input: broken, cwd: tmp})
    expect(sub.code, sub.stderr).toBe(1)
    expect(sub.stderr).toMatch(/digest/i)
    const bad = await sjt(['report', '-', '--lang', 'en'], {input: 'not json', cwd: tmp})
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/JSON/)
  })
})
