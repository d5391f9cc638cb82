// Faults during the Lighthouse runs, caused for real on a loopback server: a renderer killed in
// run 2 of 3 (as an out-of-memory kill does), a page whose script hangs the renderer in run 2,
// and a 30 MB document. The remaining runs still report; exit 3 only when no run has metrics.
import {mkdtempSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {json, sjt} from '../helpers/cli.js'
import {startPerfServer, type PerfServer} from './server.js'

let server: PerfServer
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-perf-faults-'))

beforeAll(async () => {
  server = await startPerfServer()
})
afterAll(async () => {
  await server?.close()
})

const sjtWithPeak = (args: string[], timeoutMs: number) => sjt(args, {timeoutMs, peakMemory: true})

const runsOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'lighthouse.artifacts.json'), 'utf8')).pages[0]

describe('Lighthouse run faults', () => {
  it('a renderer killed in run 2 of 3: that run says so, runs 1 and 3 report, no exit 3', async () => {
    const arts = path.join(tmp, 'crash')
    const r = await sjtWithPeak(['check', 'perf', '--url', `${server.url}/fault/crash-third`, '--runs', '3', '--json', '--save-artifacts', arts], 300_000)
    const doc = json(r)
    expect(server.killedRenderers.length, 'the fault fired').toBeGreaterThan(0)
    expect([0, 1], r.stderr.slice(-1500)).toContain(r.code)
    const page = runsOf(arts)
    expect(page.runs.map((x: any) => x.run)).toEqual([1, 2, 3])
    expect(page.runs[1].metrics).toBeUndefined()
    expect(page.runs[1].error.code).toMatch(/CRASH|TARGET|PROTOCOL|LIGHTHOUSE_ERROR/)
    // Run 3 got a fresh tab: it measured the page again.
    expect(page.runs[2].metrics?.lcpMs).toBeGreaterThan(0)
    expect([1, 3]).toContain(page.medianRun)
    expect(doc.metrics.perf.lcpMs).toBeGreaterThan(0)
    expect(doc.metrics.perf.median.runsWithMetrics).toBe(doc.metrics.perf.runs - 1)
    const p8 = doc.findings.find((f: any) => f.ruleId === 'PERF-008')
    expect(p8.message).toMatch(new RegExp(`1 of 3 runs failed: #2 ${page.runs[1].error.code}`))
    console.log(`renderer crash in run 2 of 3: peak RSS of sjt ${r.peakMiB} MiB`)
  }, 320_000)

  it('a script that hangs the renderer in run 2: the run is given up after the guard, run 3 still measures', async () => {
    const arts = path.join(tmp, 'hang')
    const r = await sjtWithPeak(['check', 'perf', '--url', `${server.url}/fault/third-hangs`, '--runs', '3', '--timeout', '5', '--json', '--save-artifacts', arts], 300_000)
    const doc = json(r)
    expect([0, 1], r.stderr.slice(-1500)).toContain(r.code)
    const page = runsOf(arts)
    expect(page.runs[1].metrics).toBeUndefined()
    expect(page.runs[1].error.code).toMatch(/RUN_TIMEOUT|PROTOCOL_TIMEOUT|TARGET|LIGHTHOUSE_ERROR/)
    expect(page.runs[2].metrics?.lcpMs).toBeGreaterThan(0)
    expect(doc.metrics.perf.lcpMs).toBeGreaterThan(0)
  }, 320_000)

  it('a 30 MB document: measured, fails the transfer budget (PERF-007), memory stays bounded', async () => {
    const r = await sjtWithPeak(['check', 'perf', '--url', `${server.url}/fault/huge`, '--runs', '1', '--json', '--out', path.join(tmp, 'huge')], 200_000)
    const doc = json(r)
    expect(r.code, r.stderr.slice(-1500)).toBe(1)
    const p7 = doc.findings.find((f: any) => f.ruleId === 'PERF-007')
    expect(p7.status).toBe('fail')
    expect(doc.metrics.perf.transferBytes).toBeGreaterThan(30 * 1024 * 1024)
    console.log(`30 MB page: peak RSS of sjt ${r.peakMiB} MiB`)
    // A bound with room for the machine, not a benchmark: the body is never held in sjt many times over.
    expect(r.peakMiB).toBeGreaterThan(0)
    expect(r.peakMiB!).toBeLessThan(1536)
  }, 220_000)
})
