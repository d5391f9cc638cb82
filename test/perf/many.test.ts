// `sjt check DIR-OF-APPS`: one result per app plus a summary, stable shards that cover every app
// exactly once, `sjt report --merge` joining them, progress on stderr only, and the task list.
// The empty merge (exit 2) and the plain progress lines spawn the built binary; the rest run
// in-process (test/helpers/run.ts).
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {inShard} from '../../src/cli/check.js'
import {createProgress} from '../../src/lib/progress.js'
import {json, ROOT, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'

const SAMPLE = readFileSync(path.join(ROOT, 'fixtures/apps/sample/sjt.yaml'), 'utf8')

/** A folder of `n` apps (copies of the sample manifest with their own ids); `broken` gets bad YAML. */
function appsFolder(n: number, broken?: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-many-'))
  for (let i = 0; i < n; i++) {
    const d = path.join(dir, `app-${String(i).padStart(2, '0')}`)
    mkdirSync(d)
    writeFileSync(path.join(d, 'sjt.yaml'), i === broken ? 'app: [unclosed\n' : SAMPLE.replace('id: ty-gjj-withdraw', `id: app-${i}`))
  }
  mkdirSync(path.join(dir, 'not-an-app')) // no manifest: ignored
  return dir
}

describe('shards', () => {
  it('partition any set of apps: every app in exactly one shard, stable', () => {
    const names = Array.from({length: 200}, (_, i) => `/x/app-${i}`)
    for (const count of [1, 2, 3, 7]) {
      const counts = names.map((n) => Array.from({length: count}, (_, k) => inShard(n, {index: k + 1, count})).filter(Boolean).length)
      expect(counts.every((c) => c === 1)).toBe(true)
    }
    // Adding apps does not move the others.
    expect(names.map((n) => inShard(n, {index: 1, count: 4}))).toEqual(names.map((n) => inShard(n, {index: 1, count: 4})))
  })

  it('two shards of a folder cover all apps exactly once, and --merge joins them', async () => {
    const apps = appsFolder(7)
    const out = mkdtempSync(path.join(os.tmpdir(), 'sjt-many-out-'))
    const s1 = await sjtIn(['check', 'manifest', apps, '--shard', '1/2', '--out', path.join(out, 's1')])
    const s2 = await sjtIn(['check', 'manifest', apps, '--shard', '2/2', '--out', path.join(out, 's2')])
    expect([s1.code, s2.code]).toEqual([0, 0])
    const sum1 = JSON.parse(readFileSync(path.join(out, 's1', 'summary-1-of-2.json'), 'utf8'))
    const sum2 = JSON.parse(readFileSync(path.join(out, 's2', 'summary-2-of-2.json'), 'utf8'))
    const ids = [...sum1.apps, ...sum2.apps].map((a: any) => a.appId).sort()
    expect(ids).toEqual(Array.from({length: 7}, (_, i) => `app-${i}`).sort())
    expect(sum1.totals.apps + sum2.totals.apps).toBe(7)

    const m = await sjtIn(['report', '--merge', path.join(out, 's1'), path.join(out, 's2'), '--out', path.join(out, 'merged')])
    expect(m.code, m.stderr).toBe(0)
    expect(m.stdout.trim()).toBe(path.join(out, 'merged', 'summary.json'))
    const merged = JSON.parse(readFileSync(path.join(out, 'merged', 'summary.json'), 'utf8'))
    expect(merged.kind).toBe('sjt-summary')
    expect(merged.apps.map((a: any) => a.appId).sort()).toEqual(ids)
    expect(merged.totals).toEqual({apps: 7, pass: 7, fail: 0, error: 0})
    expect(m.stderr).toMatch(/merged 7 apps/)
  })

  it('a broken app does not stop the others; it stays in the summary and in the merge', async () => {
    const apps = appsFolder(3, 1)
    const out = mkdtempSync(path.join(os.tmpdir(), 'sjt-many-out-'))
    const r = await sjtIn(['check', 'manifest', apps, '--concurrency', '2', '--out', out, '--json'])
    expect(r.code).toBe(2)
    const summary = json(r) // --json: the summary is all there is on stdout
    expect(summary.apps).toHaveLength(3)
    expect(summary.apps[1]).toMatchObject({exitCode: 2})
    expect(summary.apps[1].error).toContain('sjt.yaml')
    expect(summary.apps[0]).toMatchObject({appId: 'app-0', exitCode: 0})
    expect(r.stderr).toBe('')
    const m = await sjtIn(['report', '--merge', out, '--out', path.join(out, 'merged')])
    expect(m.code).toBe(2)
    const merged = JSON.parse(readFileSync(path.join(out, 'merged', 'summary.json'), 'utf8'))
    expect(merged.totals).toEqual({apps: 3, pass: 2, fail: 0, error: 1})
  })

  it('--merge with nothing to merge is an input error', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'sjt-many-empty-'))
    const r = await sjt(['report', '--merge', empty])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2)
  })
})

describe('progress', () => {
  it('is plain lines on stderr outside a terminal, naming the app and the step', async () => {
    const apps = appsFolder(2)
    const out = mkdtempSync(path.join(os.tmpdir(), 'sjt-many-out-'))
    const r = await sjt(['check', 'manifest', apps, '--out', out])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^\[1\/2 app-00\] app-0 · pass$/m)
    expect(r.stderr).toMatch(/^\[2\/2 app-01\] app-1 · pass$/m)
    expect(r.stderr).toMatch(/2 apps: 2 passed/)
    expect(r.stderr).not.toContain('\u001B[')
    expect(r.stdout).not.toMatch(/^\[\d/m) // progress never on stdout
  })

  it('is a task list redrawn in place on a terminal', async () => {
    let written = ''
    const stream = {isTTY: true, columns: 80, write: (s: string) => (written += s)}
    const p = createProgress({stream, env: {}})
    expect(p.live).toBe(true)
    const a = p.task('1/2 app-a')
    const b = p.task('2/2 app-b')
    a.line('gather lighthouse')
    b.line('Lighthouse entry page run 2/3 http://127.0.0.1/m/')
    await new Promise((r) => setTimeout(r, 250))
    a.done('app-a · pass', true)
    p.stop()
    expect(written).toContain('app-b  Lighthouse entry page run 2/3')
    expect(written).toContain('✔ 1/2 app-a  app-a · pass')
    expect(written).toMatch(/\u001B\[\d+A/) // cursor moved up to redraw
    // CI is never live, even on a terminal
    expect(createProgress({stream, env: {CI: 'true'}}).live).toBe(false)
    expect(createProgress({stream, enabled: false}).live).toBe(false)
  })
})
