// PERF-001 … PERF-008 from small lighthouse artifacts (no browser): each rule passes and fails,
// warn bands lower the severity, and no-metrics runs give `error`. Through the real pipeline
// (`--from-artifacts`), so metrics.perf and metrics.lighthouse are checked too.
import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCheck} from '../../src/core/run.js'
import type {Finding, RunOptions} from '../../src/core/types.js'
import {artifact, GOOD, page} from './artifacts.js'
import {medianRun, spreadOf, metricsOf} from '../../src/gather/lighthouse.js'
import type {LighthouseArtifact} from '../../src/artifacts/lighthouse.js'
import {json, sjt} from '../helpers/cli.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-perf-audit-'))

function options(dir: string): RunOptions {
  return {
    timeoutMs: 30000,
    runs: 3,
    throttling: 'simulate',
    lang: 'en',
    failOn: 'error',
    profile: 'shanxi-2022',
    fromArtifacts: dir,
    allowRemoteRefs: false,
    probeWrites: false,
    probeRequests: 5,
    noAuth: true,
    debug: true,
    ruleOverrides: {},
    waivers: [],
  }
}

let n = 0
async function audit(a: LighthouseArtifact) {
  const dir = path.join(tmp, `a${n++}`)
  mkdirSync(dir, {recursive: true})
  writeFileSync(path.join(dir, 'lighthouse.artifacts.json'), JSON.stringify(a))
  const {doc} = await runCheck(options(dir), ['perf'])
  return doc
}

const of = (findings: Finding[], id: string) => findings.filter((f) => f.ruleId === id)
const one = (findings: Finding[], id: string) => {
  const list = of(findings, id)
  expect(list, id).toHaveLength(1)
  return list[0]
}

describe('median run and spread', () => {
  it('picks the run nearest to the median LCP and TBT, ties to the earlier run', () => {
    const runs = [
      {run: 1, metrics: {lcpMs: 3000, tbtMs: 400}},
      {run: 2, metrics: {lcpMs: 2000, tbtMs: 200}},
      {run: 3, metrics: {lcpMs: 2500, tbtMs: 300}},
    ]
    expect(medianRun(runs)).toBe(3)
    expect(medianRun([{run: 1, metrics: {lcpMs: 1000, tbtMs: 0}}, {run: 2, metrics: {lcpMs: 1000, tbtMs: 0}}])).toBe(1)
    // a failed run is never the median; the outlier is not chosen
    expect(medianRun([{run: 1, metrics: undefined}, {run: 2, metrics: {lcpMs: 9000, tbtMs: 2000}}, {run: 3, metrics: {lcpMs: 1000, tbtMs: 0}}, {run: 4, metrics: {lcpMs: 1100, tbtMs: 10}}])).toBe(4)
    expect(medianRun([{run: 1}, {run: 2}])).toBeNull()
  })

  it('keeps min, max and median of every metric and the LCP max/min ratio', () => {
    const s = spreadOf([{metrics: {lcpMs: 1000, cls: 0.1}}, {metrics: {lcpMs: 1600, cls: 0.3}}, {metrics: undefined}, {metrics: {lcpMs: 1200, cls: 0.2}}])
    expect(s.lcpMs).toEqual({min: 1000, max: 1600, median: 1200, ratio: 1.6})
    expect(s.cls).toEqual({min: 0.1, max: 0.3, median: 0.2})
    expect(s.tbtMs).toBeUndefined()
  })

  it('reads a Lighthouse result defensively', () => {
    const lhr = {
      categories: {performance: {score: 0.734}},
      audits: {
        'largest-contentful-paint': {numericValue: 2501.6},
        'first-contentful-paint': {numericValue: 1000.2},
        'total-blocking-time': {numericValue: null},
        'cumulative-layout-shift': {numericValue: 0.123456},
        'total-byte-weight': {numericValue: 2048},
        'resource-summary': {details: {items: [{resourceType: 'total', transferSize: 2048, requestCount: 3}, {resourceType: 'script', transferSize: 1024}]}},
      },
    }
    expect(metricsOf(lhr)).toEqual({lcpMs: 2502, fcpMs: 1000, cls: 0.1235, transferBytes: 2048, jsBytes: 1024, requests: 3, score: 73})
    expect(metricsOf({})).toEqual({})
  })
})

describe('PERF rules over artifacts', () => {
  it('a good page passes every rule and publishes metrics.perf with the spread', async () => {
    const doc = await audit(artifact([page([GOOD, {...GOOD, lcpMs: 1300, tbtMs: 50}, {...GOOD, lcpMs: 1250, tbtMs: 45}])]))
    for (const id of ['PERF-001', 'PERF-002', 'PERF-003', 'PERF-004', 'PERF-005', 'PERF-006', 'PERF-007', 'PERF-008']) expect(one(doc.findings, id).status, id).toBe('pass')
    expect(doc.categories.perf!.status).toBe('pass')
    const perf = doc.metrics.perf as Record<string, any>
    expect(perf).toMatchObject({lcpMs: 1250, fcpMs: 900, tbtMs: 45, cls: 0.01, ttiMs: 1500, speedIndexMs: 1100, transferBytes: 300 * 1024, jsBytes: 100 * 1024, score: 96, runs: 3})
    expect(perf.spread.lcpMs).toEqual({min: 1200, max: 1300, median: 1250, ratio: 1.083})
    expect(perf.median.run).toBe(3)
    expect(doc.metrics.lighthouse).toBeDefined()
    expect(one(doc.findings, 'PERF-003').location).toEqual({url: 'http://127.0.0.1:9/m/'})
  })

  it('PERF-001 fails on HTTP errors and slow DOMContentLoaded, errors when unreachable', async () => {
    const doc = await audit(
      artifact([
        page([], {url: 'http://a/', probe: {status: 503}, skipped: 'answered HTTP 503'}),
        page([GOOD], {role: 'elder', url: 'http://b/', probe: {status: 200, dclMs: 16000}}),
      ]),
    )
    const f = of(doc.findings, 'PERF-001')
    expect(f.map((x) => x.status)).toEqual(['fail', 'fail'])
    expect(f[0].message).toContain('503')
    expect(f[1].message).toContain('16000')
    const d2 = await audit(artifact([page([], {probe: {unreachable: 'net::ERR_CONNECTION_REFUSED'}, skipped: 'cannot be reached'})]))
    expect(one(d2.findings, 'PERF-001').status).toBe('error')
    expect(d2.categories.perf!.status).toBe('error')
    // A page that never reached DOMContentLoaded: a failure when we waited past the limit, else undecided.
    const d3 = await audit(artifact([page([], {probe: {timedOut: true, waitedMs: 30000}, skipped: 'x'})]))
    expect(one(d3.findings, 'PERF-001').status).toBe('fail')
    const d4 = await audit(artifact([page([], {probe: {timedOut: true, waitedMs: 5000}, skipped: 'x'})]))
    expect(one(d4.findings, 'PERF-001').status).toBe('error')
  })

  it('PERF-002 score: error below 60, warn below 80', async () => {
    const doc = await audit(artifact([page([{...GOOD, score: 55}]), page([{...GOOD, score: 70}], {role: 'elder', url: 'http://e/'})]))
    const [a, b] = of(doc.findings, 'PERF-002')
    expect(a).toMatchObject({status: 'fail', severity: 'error'})
    expect(b).toMatchObject({status: 'fail', severity: 'warn'})
  })

  it('PERF-003 LCP: error above 4000 ms, warn above 2500 ms, with the LCP element', async () => {
    const doc = await audit(
      artifact([
        page([{...GOOD, lcpMs: 6200}], {diagnostics: {lcpElement: 'main > p', renderBlocking: [{url: 'http://x/vendor.js', wastedMs: 4800}]}}),
        page([{...GOOD, lcpMs: 3000}], {role: 'elder', url: 'http://e/'}),
      ]),
    )
    const [a, b] = of(doc.findings, 'PERF-003')
    expect(a).toMatchObject({status: 'fail', severity: 'error'})
    expect(a.message).toContain('6200')
    expect(a.message).toContain('main > p')
    expect(a.message).toContain('vendor.js')
    expect(b).toMatchObject({status: 'fail', severity: 'warn'})
    expect(doc.categories.perf!.status).toBe('fail')
  })

  it('PERF-004 FCP over 1800 ms fails (warn rule)', async () => {
    const doc = await audit(artifact([page([{...GOOD, fcpMs: 2400}])]))
    expect(one(doc.findings, 'PERF-004')).toMatchObject({status: 'fail', severity: 'warn'})
    const ok = await audit(artifact([page([{...GOOD, fcpMs: 1800}])]))
    expect(one(ok.findings, 'PERF-004').status).toBe('pass')
  })

  it('PERF-005 CLS: error above 0.25, warn above 0.1', async () => {
    const doc = await audit(artifact([page([{...GOOD, cls: 0.3}], {diagnostics: {layoutShifts: [{selector: 'body > .promo', score: 0.3}]}}), page([{...GOOD, cls: 0.15}], {role: 'elder', url: 'http://e/'})]))
    const [a, b] = of(doc.findings, 'PERF-005')
    expect(a).toMatchObject({status: 'fail', severity: 'error'})
    expect(a.message).toContain('.promo')
    expect(b).toMatchObject({status: 'fail', severity: 'warn'})
  })

  it('PERF-006 TBT over 200 ms fails with the longest tasks', async () => {
    const doc = await audit(artifact([page([{...GOOD, tbtMs: 900}], {diagnostics: {longTasks: [{url: 'http://x/app.js', durationMs: 720}]}})]))
    const f = one(doc.findings, 'PERF-006')
    expect(f).toMatchObject({status: 'fail', severity: 'warn'})
    expect(f.message).toContain('app.js 720 ms')
  })

  it('PERF-007 transfer over 1600 KiB or JavaScript over 500 KiB fails', async () => {
    const doc = await audit(
      artifact([
        page([{...GOOD, transferBytes: 1700 * 1024, jsBytes: 100 * 1024}]),
        page([{...GOOD, transferBytes: 900 * 1024, jsBytes: 600 * 1024}], {role: 'elder', url: 'http://e/'}),
      ]),
    )
    expect(of(doc.findings, 'PERF-007').map((f) => f.status)).toEqual(['fail', 'fail'])
    const ok = await audit(artifact([page([{...GOOD, transferBytes: 1600 * 1024, jsBytes: 500 * 1024}])]))
    expect(one(ok.findings, 'PERF-007').status).toBe('pass')
  })

  it('PERF-008 flags an unstable page (max/min LCP > 1.5), needs two runs', async () => {
    const doc = await audit(artifact([page([GOOD, {...GOOD, lcpMs: 2000}, {...GOOD, lcpMs: 1300}])]))
    const f = one(doc.findings, 'PERF-008')
    expect(f).toMatchObject({status: 'fail', severity: 'info'})
    expect(f.message).toMatch(/unstable/)
    expect(doc.verdict).toBe('pass') // info never gates
    const single = await audit(artifact([page([GOOD])]))
    expect(one(single.findings, 'PERF-008').status).toBe('not-applicable')
  })

  it('failed runs beside good ones are noted; only when no run measured do the rules say error', async () => {
    const mixed = await audit(artifact([page([{...GOOD, lcpMs: 5000}, {error: 'TARGET_CRASHED'}, {...GOOD, lcpMs: 5200}])]))
    const lcp = one(mixed.findings, 'PERF-003')
    expect(lcp.status).toBe('fail')
    expect(lcp.message).toContain('TARGET_CRASHED')
    expect(mixed.categories.perf!.status).toBe('fail')

    const none = await audit(artifact([page([{error: 'NO_FCP'}, {error: 'NO_FCP'}])]))
    for (const f of none.findings) expect(f.status, f.ruleId).toBe('error')
    expect(one(none.findings, 'PERF-003').message).toContain('NO_FCP')
    expect(none.categories.perf!.status).toBe('error')
  })

  it('without any page to measure every rule is not-applicable', async () => {
    const doc = await audit(artifact([]))
    for (const f of doc.findings) expect(f.status).toBe('not-applicable')
  })

  it('the CLI audits saved artifacts again and exits by the gate', async () => {
    const dir = path.join(tmp, 'cli')
    mkdirSync(dir, {recursive: true})
    writeFileSync(path.join(dir, 'lighthouse.artifacts.json'), JSON.stringify(artifact([page([{...GOOD, lcpMs: 4500, tbtMs: 600, jsBytes: 700 * 1024}])])))
    const r = await sjt(['check', 'perf', '--from-artifacts', dir, '--json', '--out', path.join(tmp, 'cli-out')])
    expect(r.code).toBe(1)
    const doc = json(r)
    expect(doc.metrics.perf.lcpMs).toBe(4500)
    const failed = doc.findings.filter((f: any) => f.status === 'fail').map((f: any) => f.ruleId)
    expect(failed).toEqual(['PERF-003', 'PERF-006', 'PERF-007'])
  })
})
