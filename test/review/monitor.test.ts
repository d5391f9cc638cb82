// sjt monitor against real pages on loopback: a healthy app, one whose entry does not open within
// the limit, one whose health URL says down. The server records every probe and marks the two
// broken apps for review under the government-website rule; a reviewer's action clears the mark.
import http from 'node:http'
import {mkdtempSync} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {probeUrl} from '../../src/review/monitor.js'
import {openSqliteStore} from '../../src/review/store-sqlite.js'
import type {Store} from '../../src/review/store.js'
import {sjt} from '../helpers/cli.js'
import {makeTokens, startTestServer, variant, type TestServer, type Tokens} from './helpers.js'

let store: Store
let srv: TestServer
let tk: Tokens
let site: http.Server
let base = ''

beforeAll(async () => {
  site = http.createServer((req, res) => {
    const send = (status: number, body: string, type = 'text/html') => {
      res.writeHead(status, {'Content-Type': type})
      res.end(body)
    }
    if (req.url === '/slow/') {
      setTimeout(() => send(200, '<html>late</html>'), 2500).unref()
      return
    }
    if (req.url === '/health-up') return send(200, JSON.stringify({code: '0', message: 'ok', data: {status: 'up', version: '1'}}), 'application/json')
    if (req.url === '/health-down') return send(200, JSON.stringify({code: '0', message: 'ok', data: {status: 'down', version: '1'}}), 'application/json')
    if (req.url === '/gone/') return send(503, 'maintenance')
    send(200, '<html><body>办事大厅</body></html>')
  })
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()))
  base = `http://127.0.0.1:${(site.address() as net.AddressInfo).port}`
  store = await openSqliteStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-monitor-')), 'review.db'))
  tk = await makeTokens(store)
  srv = await startTestServer(store)
  const apps: Array<[string, string, string]> = [
    ['mon-good', `${base}/ok/`, `${base}/health-up`],
    ['mon-slow', `${base}/slow/`, `${base}/health-up`],
    ['mon-down', `${base}/ok/`, `${base}/health-down`],
  ]
  for (const [appId, entry, health] of apps) {
    const c = await srv.call('POST', '/v1/submissions', tk.submitter, variant({appId, entry, elder: `${base}/ok/elder/`, health}))
    expect(c.status).toBe(201)
    await srv.call('POST', `/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'approve', comment: 'ok'})
    expect((await srv.call('POST', `/v1/apps/${appId}/actions`, tk.reviewer, {action: 'publish'})).status).toBe(200)
  }
  // A registered (unpublished) app is not probed.
  await srv.call('POST', '/v1/submissions', tk.submitter, variant({appId: 'mon-unpublished', entry: `${base}/gone/`}))
})

afterAll(async () => {
  await srv?.close()
  site?.close()
  site?.closeAllConnections()
})

describe('probes', () => {
  it('an entry that does not open within the limit fails with the limit as its time', async () => {
    const e = await probeUrl(`${base}/slow/`, 'entry', 500)
    expect(e).toMatchObject({ok: false, status: null, latencyMs: 500})
    expect(e.error).toMatch(/not open within/)
  })
  it('a 5xx fails; a page that opens passes with its latency', async () => {
    expect(await probeUrl(`${base}/gone/`, 'entry', 2000)).toMatchObject({ok: false, status: 503})
    const ok = await probeUrl(`${base}/ok/`, 'entry', 2000)
    expect(ok).toMatchObject({ok: true, status: 200})
    expect(ok.latencyMs).toBeGreaterThan(0)
  })
  it('a health URL that answers down fails', async () => {
    expect(await probeUrl(`${base}/health-down`, 'health', 2000)).toMatchObject({ok: false, error: 'health: down'})
  })
  it('an unreachable URL fails', async () => {
    expect((await probeUrl('http://127.0.0.1:1/', 'entry', 2000)).ok).toBe(false)
  })
})

describe('sjt monitor --once', () => {
  it('probes the published apps, records the probes, marks the broken ones for review, exit 1', async () => {
    const r = await sjt(['monitor', '--once', '--timeout', '1', '--json'], {env: {SJT_SERVER: srv.url, SJT_TOKEN: tk.monitor}})
    expect(r.code, r.stderr).toBe(1)
    const round = JSON.parse(r.stdout)
    const byId = Object.fromEntries(round.apps.map((a: any) => [a.appId, a]))
    expect(Object.keys(byId).sort()).toEqual(['mon-down', 'mon-good', 'mon-slow'])
    expect(byId['mon-good']).toMatchObject({recorded: true, needsReview: false})
    expect(byId['mon-good'].events.map((e: any) => e.kind).sort()).toEqual(['elder', 'entry', 'health'])
    expect(byId['mon-slow']).toMatchObject({recorded: true, needsReview: true, newlyFlagged: true})
    expect(byId['mon-down']).toMatchObject({needsReview: true})
    expect(r.stdout).not.toContain(tk.monitor)

    const slow = await srv.call('GET', '/v1/apps/mon-slow', tk.auditor)
    expect(slow.body).toMatchObject({state: 'published', needsReview: true, monitoring: {probes: 3, failures: 1}})
    expect(slow.body.reviewReason).toMatch(/1\/3/)
    const h = await srv.call('GET', '/v1/apps/mon-slow/history', tk.auditor)
    expect(h.body.items.at(-1)).toMatchObject({kind: 'monitor', name: 'flagged'})
    expect((await srv.call('GET', '/v1/apps/mon-good', tk.auditor)).body.needsReview).toBe(false)
  })

  it("a reviewer's action answers the mark", async () => {
    const r = await srv.call('POST', '/v1/apps/mon-slow/actions', tk.reviewer, {action: 'suspend', reason: '首页 15 秒内无法打开'})
    expect(r.body).toMatchObject({state: 'suspended', needsReview: false})
  })

  it('a submitter token may not record probes; plain text output names each app', async () => {
    const bad = await sjt(['monitor', '--once', '--app', 'mon-good', '--timeout', '1'], {env: {SJT_SERVER: srv.url, SJT_TOKEN: tk.submitter}})
    expect(bad.stdout).toMatch(/mon-good/)
    expect(bad.stdout).toMatch(/HTTP 403/)
    const good = await sjt(['monitor', '--once', '--app', 'mon-good', '--timeout', '2', '--lang', 'en'], {env: {SJT_SERVER: srv.url, SJT_TOKEN: tk.reviewer}})
    expect(good.code, good.stderr).toBe(0)
    expect(good.stdout).toMatch(/✓ mon-good {2}3\/3 open/)
  })

  it('every exchange fits the contract', () => {
    expect(srv.violations).toEqual([])
  })
})
