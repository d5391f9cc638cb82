// sjt monitor against real pages on loopback: a healthy app, one whose entry does not open within
// the limit, one whose health URL says down. The server records every probe and marks the two
// broken apps for review under the government-website rule; a reviewer's action clears the mark.
import http from 'node:http'
import {mkdtempSync} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ReviewClient} from '../../src/review/client/client.js'
import {blockedAddress, monitorRound, probeUrl} from '../../src/review/monitor.js'
import {openSqliteStore} from '../../src/review/store-sqlite.js'
import type {Store} from '../../src/review/store.js'
import {sjt} from '../helpers/cli.js'
import {makeTokens, startTestServer, variant, type TestServer, type Tokens} from './helpers.js'

let store: Store
let srv: TestServer
let tk: Tokens
let site: http.Server
let base = ''
/** Requests that reached the site's "internal" path: a monitor must never be pointed there by an unreviewed submission. */
let internalHits = 0

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
    if (req.url?.startsWith('/internal-admin')) {
      internalHits++
      return send(200, 'admin')
    }
    if (req.url === '/hop') {
      res.writeHead(302, {Location: 'http://169.254.169.254/latest/meta-data/'})
      return res.end()
    }
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
  // A new, unreviewed submission of a published app names other URLs: the monitor keeps probing
  // the approved ones.
  const next = await srv.call('POST', '/v1/submissions', tk.submitter, variant({appId: 'mon-good', version: '9.9.9', entry: `${base}/internal-admin/`, elder: `${base}/internal-admin/elder`, health: `${base}/internal-admin/health`}))
  expect(next.status).toBe(201)
})

afterAll(async () => {
  await srv?.close()
  site?.close()
  site?.closeAllConnections()
})

// The test site is on loopback: probing it needs the explicit allowance.
const allow = {allowPrivate: true}

describe('probes', () => {
  it('an entry that does not open within the limit fails with the limit as its time', async () => {
    const e = await probeUrl(`${base}/slow/`, 'entry', 500, allow)
    expect(e).toMatchObject({ok: false, status: null, latencyMs: 500})
    expect(e.error).toMatch(/not open within/)
  })
  it('a 5xx fails; a page that opens passes with its latency', async () => {
    expect(await probeUrl(`${base}/gone/`, 'entry', 2000, allow)).toMatchObject({ok: false, status: 503})
    const ok = await probeUrl(`${base}/ok/`, 'entry', 2000, allow)
    expect(ok).toMatchObject({ok: true, status: 200})
    expect(ok.latencyMs).toBeGreaterThan(0)
  })
  it('a health URL that answers down fails', async () => {
    expect(await probeUrl(`${base}/health-down`, 'health', 2000, allow)).toMatchObject({ok: false, error: 'health: down'})
  })
  it('an unreachable URL fails', async () => {
    expect((await probeUrl('http://127.0.0.1:1/', 'entry', 2000, {allowPrivate: true})).ok).toBe(false)
  })
  it('loopback, link-local and private targets are refused unless allowed, by name, by address and after a redirect', async () => {
    const loop = await probeUrl(`${base}/ok/`, 'entry', 2000)
    expect(loop).toMatchObject({ok: false, status: null, latencyMs: null})
    expect(loop.error).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/)
    const byName = await probeUrl(`${base.replace('127.0.0.1', 'localhost')}/ok/`, 'entry', 2000)
    expect(byName.error).toMatch(/^refused: localhost resolves to .*loopback/)
    expect((await probeUrl('http://169.254.169.254/latest/meta-data/', 'entry', 2000)).error).toMatch(/link-local/)
    expect((await probeUrl('http://[::ffff:10.1.2.3]/', 'entry', 2000)).error).toMatch(/private/)
    // Allowed to reach the site, but not where it redirects to.
    const hop = await probeUrl(`${base}/hop`, 'entry', 2000, {allowPrivate: false})
    expect(hop.error).toMatch(/^refused:/)
    expect(await probeUrl(`${base}/ok/`, 'entry', 2000, {allowPrivate: true})).toMatchObject({ok: true, status: 200})
  })
  it('classifies addresses', () => {
    expect(blockedAddress('127.0.0.2')).toBe('loopback')
    expect(blockedAddress('::1')).toBe('loopback')
    expect(blockedAddress('169.254.169.254')).toBe('link-local')
    expect(blockedAddress('fe80::1')).toBe('link-local')
    expect(blockedAddress('192.168.1.1')).toBe('private')
    expect(blockedAddress('::ffff:7f00:1')).toBe('loopback')
    expect(blockedAddress('fd00::1')).toMatch(/private/)
    expect(blockedAddress('8.8.8.8')).toBeNull()
    expect(blockedAddress('2400:3200::1')).toBeNull()
  })
})

describe('sjt monitor --once', () => {
  it('probes the published apps, records the probes, marks the broken ones for review, exit 1', async () => {
    const r = await sjt(['monitor', '--once', '--timeout', '1', '--json', '--allow-private-targets'], {env: {SJT_SERVER: srv.url, SJT_TOKEN: tk.monitor}})
    expect(r.code, r.stderr).toBe(1)
    expect(internalHits).toBe(0)
    const round = JSON.parse(r.stdout)
    const byId = Object.fromEntries(round.apps.map((a: any) => [a.appId, a]))
    expect(Object.keys(byId).sort()).toEqual(['mon-down', 'mon-good', 'mon-slow'])
    expect(byId['mon-good']).toMatchObject({recorded: true, needsReview: false})
    expect(byId['mon-good'].events.map((e: any) => e.kind).sort()).toEqual(['elder', 'entry', 'health'])
    expect(byId['mon-good'].events.map((e: any) => e.url).join(' ')).not.toContain('internal-admin')
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
    const bad = await sjt(['monitor', '--once', '--app', 'mon-good', '--timeout', '1', '--allow-private-targets'], {env: {SJT_SERVER: srv.url, SJT_TOKEN: tk.submitter}})
    expect(bad.stdout).toMatch(/mon-good/)
    expect(bad.stdout).toMatch(/HTTP 403/)
    const good = await sjt(['monitor', '--once', '--app', 'mon-good', '--timeout', '2', '--lang', 'en', '--allow-private-targets'], {env: {SJT_SERVER: srv.url, SJT_TOKEN: tk.reviewer}})
    expect(good.code, good.stderr).toBe(0)
    expect(good.stdout).toMatch(/✓ mon-good {2}3\/3 open/)
    expect(internalHits).toBe(0)
  })

  it('without --allow-private-targets the loopback targets are refused, recorded as failed probes, never fetched', async () => {
    const [app] = await monitorRound(new ReviewClient({server: srv.url, token: tk.monitor, retries: 0}), {timeoutMs: 2000, apps: ['mon-good']})
    expect(app.events.length).toBe(3)
    expect(internalHits).toBe(0)
    expect(app.events.every((e: any) => e.ok === false && /^refused: 127\.0\.0\.1 is a loopback address/.test(e.error))).toBe(true)
    expect(app).toMatchObject({recorded: true, needsReview: true})
  })

  it('the monitor role sees the apps and their URLs, not their submissions or scores', async () => {
    const list = await srv.call('GET', '/v1/apps', tk.monitor)
    expect(list.status).toBe(200)
    for (const a of list.body.items) {
      expect(Object.keys(a)).not.toContain('latestSubmission')
      expect(Object.keys(a)).not.toContain('latestScore')
      expect(Object.keys(a)).not.toContain('latestApprovedSubmissionId')
    }
    const one = await srv.call('GET', '/v1/apps/mon-good', tk.monitor)
    expect(one.body.urls.entry).toBe(`${base}/ok/`)
    expect(one.body).not.toHaveProperty('latestSubmission')
    expect(one.body).not.toHaveProperty('latestScore')
    const seen = await srv.call('GET', '/v1/apps/mon-good', tk.auditor)
    expect(seen.body.latestSubmission.id).toBeTruthy()
    expect(seen.body).toHaveProperty('latestScore')
    // The latest submission (unreviewed) names other URLs; the app's monitored URLs stay the approved ones.
    expect(seen.body.latestSubmission.status).toBe('received')
    expect(seen.body.urls.entry).toBe(`${base}/ok/`)
  })

  it('every exchange fits the contract', () => {
    expect(srv.violations).toEqual([])
  })
})
