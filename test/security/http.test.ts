// The HTTP/TLS collector against real HTTPS servers on 127.0.0.1 with a throwaway CA: a site
// that passes every transport/header rule, single-fault variants, and hostile servers.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makePki, type Pki} from './pki.js'
import {startPlain, startSite, writeApp, type Site, type SiteOptions} from './site.js'
import {failed, gatherHttp, judge, messages, statuses} from './harness.js'
import {EnvError} from '../../src/lib/errors.js'

const HTTP_RULES = ['SEC-001', 'SEC-002', 'SEC-003', 'SEC-004', 'SEC-005', 'SEC-006', 'SEC-007', 'SEC-008', 'SEC-009', 'SEC-015', 'SEC-016']

let pki: Pki
const cleanups: Array<() => unknown> = []

beforeAll(() => {
  pki = makePki()
})

afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
  pki?.cleanup()
})

async function site(opts: Omit<SiteOptions, 'pki'> = {}): Promise<Site> {
  const s = await startSite({pki, ...opts})
  cleanups.push(() => s.close())
  return s
}

async function check(opts: Omit<SiteOptions, 'pki'> = {}, run: {ca?: boolean; timeoutMs?: number; plainHttpPort?: number} = {}) {
  const s = await site(opts)
  const app = writeApp(s.url)
  cleanups.push(app.cleanup)
  const started = Date.now()
  const {artifacts, options, http} = await gatherHttp(app.manifest, {...(run.ca === false ? {ca: undefined} : {ca: pki.caFile}), timeoutMs: run.timeoutMs ?? 5000, ...(run.plainHttpPort ? {plainHttpPort: run.plainHttpPort} : {})})
  const ms = Date.now() - started
  const findings = judge(artifacts, options, HTTP_RULES)
  return {site: s, artifacts, http, findings, ms}
}

describe('http collector and transport/header rules', () => {
  it('a site with every header right passes every transport and header rule', async () => {
    const {findings, http} = await check()
    expect(failed(findings), JSON.stringify(findings, null, 1).slice(0, 3000)).toEqual([])
    expect(statuses(findings['SEC-001'])).toContain('pass')
    expect(statuses(findings['SEC-002'])).toEqual(['pass'])
    expect(findings['SEC-002'][0].message).toMatch(/TLSv1\.2, TLSv1\.3/)
    expect(statuses(findings['SEC-015'])).toEqual(['pass'])
    expect(statuses(findings['SEC-016'])).toEqual(['pass'])
    // Entry, privacy policy and health were all requested.
    expect(http.targets.map((t) => t.roles.join('+')).sort()).toEqual(['entry', 'health', 'privacy'])
    expect(http.tls[0].chain[0].subject).toBe('127.0.0.1')
    expect(http.tls[0].verify.authorized).toBe(true)
  })

  it('without --ca the throwaway CA is not trusted, and the message says to use --ca', async () => {
    const {findings} = await check({}, {ca: false})
    expect(failed(findings)).toEqual(['SEC-001'])
    expect(messages(findings['SEC-001'])).toMatch(/not trusted.*--ca/)
  })

  it('an expired certificate fails SEC-001 with its end date', async () => {
    const {findings} = await check({cert: 'expired'})
    expect(failed(findings)).toEqual(['SEC-001'])
    expect(messages(findings['SEC-001'])).toMatch(/expired on .*GMT/)
  })

  it('a self-signed certificate fails SEC-001', async () => {
    const {findings} = await check({cert: 'self'})
    expect(failed(findings)).toEqual(['SEC-001'])
    expect(messages(findings['SEC-001'])).toMatch(/self-signed/)
  })

  it('a server that still accepts TLS 1.0 and 1.1 fails SEC-002 only', async () => {
    const {findings, http} = await check({minVersion: 'TLSv1'})
    expect(http.tls[0].versions).toMatchObject({TLSv1: 'accepted', 'TLSv1.1': 'accepted', 'TLSv1.2': 'accepted', 'TLSv1.3': 'accepted'})
    expect(failed(findings)).toEqual(['SEC-002'])
    expect(messages(findings['SEC-002'])).toMatch(/obsolete TLSv1, TLSv1\.1/)
  })

  it('a TLS 1.3-only server passes SEC-002', async () => {
    const {findings, http} = await check({minVersion: 'TLSv1.3'})
    expect(http.tls[0].versions['TLSv1.2']).toBe('refused')
    expect(statuses(findings['SEC-002'])).toEqual(['pass'])
  })

  const single: Array<[string, Record<string, string | string[] | null>, RegExp]> = [
    ['SEC-003', {'strict-transport-security': null}, /no Strict-Transport-Security/],
    ['SEC-003', {'strict-transport-security': 'max-age=86400'}, /max-age=86400, below 15552000/],
    ['SEC-004', {'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-eval'; frame-ancestors 'self'"}, /unsafe-eval/],
    ['SEC-004', {'content-security-policy': "script-src 'self' 'unsafe-inline'; frame-ancestors 'self'"}, /unsafe-inline/],
    ['SEC-004', {'content-security-policy': null, 'x-frame-options': 'DENY'}, /no Content-Security-Policy/],
    ['SEC-005', {'x-content-type-options': null}, /no X-Content-Type-Options/],
    ['SEC-006', {'content-security-policy': "default-src 'self'"}, /neither CSP frame-ancestors nor X-Frame-Options/],
    ['SEC-006', {'content-security-policy': "default-src 'self'", 'x-frame-options': 'ALLOW-FROM https://a.example'}, /ineffective framing/],
    ['SEC-007', {'referrer-policy': 'unsafe-url'}, /unsafe-url/],
    ['SEC-007', {'referrer-policy': 'origin-when-cross-origin'}, /origin-when-cross-origin/],
    ['SEC-008', {'set-cookie': 'sid=1; Path=/; Secure; SameSite=Lax'}, /cookie sid .* lacks HttpOnly/],
    ['SEC-008', {'set-cookie': ['a=1; Secure; HttpOnly', 'b=2; HttpOnly; SameSite=None']}, /lacks SameSite/],
    ['SEC-009', {server: 'nginx/1.18.0', 'x-powered-by': 'PHP/8.1.2'}, /nginx\/1\.18\.0/],
  ]
  for (const [rule, headers, message] of single) {
    it(`${rule} fails alone with ${JSON.stringify(headers)}`, async () => {
      const {findings} = await check({headers})
      expect(failed(findings)).toEqual([rule])
      expect(messages(findings[rule])).toMatch(message)
    })
  }

  it('a CSP with unsafe-inline next to a nonce passes SEC-004 (the nonce disables unsafe-inline)', async () => {
    const {findings} = await check({headers: {'content-security-policy': "script-src 'self' 'nonce-abc' 'unsafe-inline'; frame-ancestors 'none'"}})
    expect(failed(findings)).toEqual([])
  })

  it('exposed .git/HEAD, .env and a source map fail SEC-016; a catch-all site does not', async () => {
    const {findings} = await check({
      routes: {
        '/.git/HEAD': {type: 'text/plain', body: 'ref: refs/heads/main\n'},
        '/m/.env': {type: 'text/plain', body: 'DB_PASSWORD=secret\n'},
        '/m/app.js.map': {type: 'application/json', body: JSON.stringify({version: 3, sources: ['a.ts'], mappings: 'AAAA'})},
      },
    })
    expect(failed(findings)).toEqual(['SEC-016'])
    const text = messages(findings['SEC-016'])
    expect(text).toMatch(/\/\.git\/HEAD is publicly readable/)
    expect(text).toMatch(/\/m\/\.env is publicly readable/)
    expect(text).toMatch(/app\.js\.map is publicly readable \(source-map/)
    const spa = await check({catchAll: true})
    expect(failed(spa.findings)).toEqual([])
    expect(spa.http.exposed.softNotFound).toBe(true)
  })

  it('a sourceMappingURL comment pointing elsewhere is followed', async () => {
    const {findings} = await check({
      routes: {
        '/m/app.js': {type: 'text/javascript', body: 'document.title="ok";\n//# sourceMappingURL=maps/app.min.js.map\n'},
        '/m/maps/app.min.js.map': {type: 'application/json', body: '{"version":3,"sources":[],"mappings":""}'},
      },
    })
    expect(messages(findings['SEC-016'])).toMatch(/maps\/app\.min\.js\.map is publicly readable/)
  })

  it('the privacy policy answering 404 fails SEC-015', async () => {
    const {findings} = await check({routes: {'/m/privacy.html': {status: 404, type: 'text/html', body: 'gone'}}})
    expect(failed(findings)).toContain('SEC-015')
    expect(messages(findings['SEC-015'])).toMatch(/answers 404, not 200/)
  })

  it('an entry page without the privacy link fails SEC-015', async () => {
    const {findings} = await check({routes: {'/m/': {type: 'text/html', body: '<!doctype html><html><body><a href="/m/x.html">办事</a></body></html>'}}})
    expect(failed(findings)).toEqual(['SEC-015'])
    expect(messages(findings['SEC-015'])).toMatch(/no link to the privacy policy/)
  })

  it('http→https: not-applicable off port 443; checked on the plain port when one is given', async () => {
    const plain = await startPlain((req, res) => {
      res.writeHead(301, {location: 'https://127.0.0.1' + (req.url ?? '/')})
      res.end()
    })
    cleanups.push(() => plain.close())
    const na = await check()
    expect(statuses(na.findings['SEC-001'])).toContain('not-applicable')
    const ok = await check({}, {plainHttpPort: plain.port})
    expect(messages(ok.findings['SEC-001'])).toMatch(/redirects to https:\/\/127\.0\.0\.1\/m\//)
    expect(failed(ok.findings)).toEqual([])
    const open = await startPlain((_req, res) => res.end('hello over http'))
    cleanups.push(() => open.close())
    const bad = await check({}, {plainHttpPort: open.port})
    expect(failed(bad.findings)).toEqual(['SEC-001'])
    expect(messages(bad.findings['SEC-001'])).toMatch(/does not redirect to https:\/\/ \(status 200\)/)
  })

  it('an http:// entry fails SEC-001 and SEC-003, and SEC-002 has nothing to check', async () => {
    const plain = await startPlain((req, res) => {
      res.writeHead(req.url === '/m/' ? 200 : 404, {'content-type': 'text/html', 'x-content-type-options': 'nosniff'})
      res.end('<a href="/m/privacy.html">隐私政策</a>')
    })
    cleanups.push(() => plain.close())
    const app = writeApp(plain.url + 'm/', {policy: null, health: null})
    cleanups.push(app.cleanup)
    const {artifacts, options} = await gatherHttp(app.manifest, {timeoutMs: 3000})
    const findings = judge(artifacts, options, HTTP_RULES)
    expect(messages(findings['SEC-001'])).toMatch(/served over plain HTTP/)
    expect(messages(findings['SEC-003'])).toMatch(/plain HTTP, where HSTS cannot apply/)
    expect(statuses(findings['SEC-002'])).toEqual(['not-applicable'])
  })
})

describe('hostile servers: findings with clear messages, bounded time, no crash', () => {
  it('a server that closes mid-handshake', async () => {
    const {findings, ms} = await check({mode: 'close-handshake'}, {timeoutMs: 3000})
    expect(ms).toBeLessThan(15_000)
    expect(statuses(findings['SEC-001'])).toContain('fail')
    expect(messages(findings['SEC-001'])).toMatch(/closed the connection during the TLS handshake/)
    expect(statuses(findings['SEC-002'])).toEqual(['error'])
    expect(statuses(findings['SEC-003'])).toContain('error')
  })

  it('a slow-loris entry is cut off at the per-request deadline: an environment error naming the wait', async () => {
    const s = await site({mode: 'slowloris'})
    const app = writeApp(s.url)
    cleanups.push(app.cleanup)
    const started = Date.now()
    const err = await gatherHttp(app.manifest, {ca: pki.caFile, timeoutMs: 1500}).catch((e) => e)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(err).toBeInstanceOf(EnvError)
    expect(err.format()).toMatch(/the entry cannot be reached: no response headers within 1500 ms/)
  })

  it('a slow-loris privacy page or health URL is cut off, and the rest of that origin is skipped', async () => {
    const slow = await site({mode: 'slowloris'})
    const good = await site()
    const app = writeApp(good.url, {policy: slow.url + 'privacy.html', health: slow.origin + '/api/healthz'})
    cleanups.push(app.cleanup)
    const started = Date.now()
    const {artifacts, options, http} = await gatherHttp(app.manifest, {ca: pki.caFile, timeoutMs: 1500})
    expect(Date.now() - started).toBeLessThan(15_000)
    const findings = judge(artifacts, options, HTTP_RULES)
    expect(messages(findings['SEC-003'])).toMatch(/could not be fetched: (no response headers within 1500 ms|skipped: .* did not answer earlier)/)
    expect(statuses(findings['SEC-003'])).toEqual(expect.arrayContaining(['pass', 'error']))
    expect(http.targets.filter((t) => t.fetch.error).length).toBe(2)
  })

  it('a body that trickles past the deadline still yields its headers', async () => {
    const {findings, ms} = await check({mode: 'slow-body'}, {timeoutMs: 1500})
    expect(ms).toBeLessThan(20_000)
    expect(statuses(findings['SEC-005'])).toContain('pass')
  })

  it('a 64 KiB response header is read and bounded', async () => {
    const {findings, http} = await check({mode: 'big-header'})
    expect(failed(findings)).toEqual([])
    const entry = http.targets.find((t) => t.roles.includes('entry'))!
    expect(entry.fetch.headers['x-padding'][0].length).toBeLessThanOrEqual(32 * 1024)
    expect(entry.fetch.headersTruncated).toBe(true)
  })

  it('10,000 cookies: the first ones are judged and the cap is reported', async () => {
    const {findings, http, ms} = await check({mode: 'many-cookies'})
    expect(ms).toBeLessThan(20_000)
    const entry = http.targets.find((t) => t.roles.includes('entry'))!
    expect(entry.fetch.cookies.length).toBeLessThanOrEqual(200)
    expect(statuses(findings['SEC-008'])).toContain('fail')
    expect(messages(findings['SEC-008'])).toMatch(/only the first \d+ were examined/)
    expect(JSON.stringify(http).length).toBeLessThan(2_000_000)
  })

  it('an unreachable entry is an environment error (exit 3 in the CLI), not a crash', async () => {
    const s = await site()
    await s.close()
    const app = writeApp(s.url)
    cleanups.push(app.cleanup)
    const err = await gatherHttp(app.manifest, {ca: pki.caFile, timeoutMs: 2000}).catch((e) => e)
    expect(err).toBeInstanceOf(EnvError)
    expect(err.format()).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/m\/: the entry cannot be reached: .*ECONNREFUSED/)
  })
})
