// Real Lighthouse (12.x, simulated throttling) on pages served by a real HTTP server on loopback,
// through the built CLI. Kept small: about ten Lighthouse runs in all.
import {existsSync, mkdtempSync, readFileSync, statSync} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {json, sjt} from '../helpers/cli.js'
import {startPerfServer, type PerfServer} from './server.js'

let server: PerfServer
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-perf-lh-'))

beforeAll(async () => {
  server = await startPerfServer()
})
afterAll(async () => {
  await server?.close()
})

/** A loopback port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as net.AddressInfo).port
  await new Promise((r) => srv.close(r))
  return port
}

const byRule = (doc: any) => Object.fromEntries(doc.findings.map((f: any) => [f.ruleId + (f.location?.url === doc.inputs?.elderUrl ? ':elder' : ''), f]))

describe('sjt check perf with Lighthouse', () => {
  it('a light page passes', async () => {
    const r = await sjt(['check', 'perf', '--url', `${server.url}/light/`, '--runs', '1', '--json', '--out', path.join(tmp, 'light')], {timeoutMs: 150_000})
    const doc = json(r)
    expect(r.code, r.stderr).toBe(0)
    expect(doc.categories.perf.status).toBe('pass')
    expect(doc.findings.filter((x: any) => x.status === 'fail' && x.severity === 'error')).toEqual([])
    const f = byRule(doc)
    // TBT of a page without scripts still moves with the machine's load, so it is not pinned here.
    for (const id of ['PERF-001', 'PERF-003', 'PERF-005', 'PERF-007']) expect(f[id].status, `${id}: ${f[id].message}`).toBe('pass')
    expect(f['PERF-008'].status).toBe('not-applicable') // one run: no spread
    expect(doc.metrics.perf.lcpMs).toBeGreaterThan(0)
    expect(doc.metrics.perf.lcpMs).toBeLessThan(2500)
    expect(doc.metrics.perf.runs).toBe(1)
    expect(doc.metrics.lighthouse.lighthouseVersion).toMatch(/^12\./)
  }, 180_000)

  it('a heavy page fails PERF-003, PERF-006 and PERF-007; the elder entry is measured too; the report is saved', async () => {
    const artifacts = path.join(tmp, 'heavy-artifacts')
    const r = await sjt(
      ['check', 'perf', '--url', `${server.url}/heavy/`, '--elder-url', `${server.url}/light/`, '--runs', '2', '--json', '--out', path.join(tmp, 'heavy'), '--save-artifacts', artifacts],
      {timeoutMs: 240_000},
    )
    const doc = json(r)
    expect(r.code, r.stderr).toBe(1)
    const entry = doc.findings.filter((f: any) => f.location?.url === `${server.url}/heavy/`)
    const failed = entry.filter((f: any) => f.status === 'fail').map((f: any) => f.ruleId)
    expect(failed).toEqual(expect.arrayContaining(['PERF-003', 'PERF-006', 'PERF-007']))
    const lcp = entry.find((f: any) => f.ruleId === 'PERF-003')
    expect(lcp.severity).toBe('error')
    expect(lcp.message).toContain('vendor.js') // the render-blocking script is named
    const perf = doc.metrics.perf
    expect(perf.lcpMs).toBeGreaterThan(4000)
    expect(perf.tbtMs).toBeGreaterThan(200)
    expect(perf.jsBytes).toBeGreaterThan(500 * 1024)
    expect(perf.runs).toBe(2)
    expect(perf.spread.lcpMs.min).toBeLessThanOrEqual(perf.spread.lcpMs.max)
    expect(perf.pages[0]).toMatchObject({page: 'elder', url: `${server.url}/light/`})
    expect(perf.pages[0].lcpMs).toBeLessThan(2500)
    const elder = doc.findings.filter((f: any) => f.location?.url === `${server.url}/light/`)
    expect(elder.find((f: any) => f.ruleId === 'PERF-003').status).toBe('pass')
    // all runs' metrics are kept
    expect(doc.metrics.lighthouse.pages[0].runs).toHaveLength(2)
    expect(doc.metrics.lighthouse.pages[0].runs[0].lcpMs).toBeGreaterThan(0)
    // the median run's full Lighthouse JSON sits beside a small artifact
    const report = path.join(artifacts, 'lighthouse-entry.report.json')
    expect(existsSync(report)).toBe(true)
    expect(JSON.parse(readFileSync(report, 'utf8')).lighthouseVersion).toMatch(/^12\./)
    const art = path.join(artifacts, 'lighthouse.artifacts.json')
    expect(statSync(art).size).toBeLessThan(64 * 1024)
    expect(JSON.parse(readFileSync(art, 'utf8')).pages[0].reportFile).toBe('lighthouse-entry.report.json')
  }, 300_000)

  it('a page that paints nothing (NO_FCP): every rule says so, exit 3', async () => {
    const r = await sjt(['check', 'perf', '--url', `${server.url}/fault/blank`, '--runs', '1', '--timeout', '5', '--json', '--out', path.join(tmp, 'blank')], {timeoutMs: 150_000})
    const doc = json(r)
    expect(r.code).toBe(3)
    expect(doc.categories.perf.status).toBe('error')
    for (const f of doc.findings) expect(f.status, f.ruleId).toBe('error')
    expect(byRule(doc)['PERF-003'].message).toContain('NO_FCP')
  }, 180_000)

  it('HTTP 500 fails PERF-001 without spending Lighthouse runs; an unreachable page exits 3', async () => {
    const r = await sjt(['check', 'perf', '--url', `${server.url}/fault/status500`, '--json', '--out', path.join(tmp, 's500')], {timeoutMs: 60_000})
    const doc = json(r)
    expect(r.code).toBe(1)
    expect(byRule(doc)['PERF-001']).toMatchObject({status: 'fail', severity: 'error'})
    expect(byRule(doc)['PERF-001'].message).toContain('500')
    expect(byRule(doc)['PERF-003'].status).toBe('error')
    expect(doc.metrics.lighthouse.pages[0].runs).toEqual([])

    const port = await closedPort()
    const down = await sjt(['check', 'perf', '--url', `http://127.0.0.1:${port}/m/`, '--json', '--out', path.join(tmp, 'down')], {timeoutMs: 60_000})
    expect(down.code).toBe(3)
    expect(byRule(json(down))['PERF-001'].message).toMatch(/ERR_CONNECTION_REFUSED/)
  })

  it('a page whose load event never comes still reports, within the timeout', async () => {
    const r = await sjt(['check', 'perf', '--url', `${server.url}/fault/unsettled`, '--runs', '1', '--timeout', '4', '--json', '--out', path.join(tmp, 'unsettled')], {timeoutMs: 120_000})
    const doc = json(r)
    expect(r.code, r.stderr).toBe(0)
    expect(doc.metrics.perf.fcpMs).toBeGreaterThan(0)
    expect(byRule(doc)['PERF-001'].status).toBe('pass')
  }, 150_000)
})
