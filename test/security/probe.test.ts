// The security probe in a real Chromium (launched through src/lib/browser.ts), driven directly
// with setup()/collect(), and the page rules judged from what it gathered.
import type {Page} from 'puppeteer-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readFileSync} from 'node:fs'
import {launchBrowser, type BrowserSession} from '../../src/lib/browser.js'
import {pinsFor} from '../../src/lib/ca-pins.js'
import probe, {type SecurityProbeResult} from '../../src/gather/probes/security.js'
import type {PageTarget} from '../../src/artifacts/page.js'
import {makePki, type Pki} from './pki.js'
import {ID, MOBILE, startPlain, startSite, writeApp, type Site} from './site.js'
import {failed, gatherHttp, judge, messages, options, statuses} from './harness.js'

const PAGE_RULES = ['SEC-010', 'SEC-011', 'SEC-012', 'SEC-013', 'SEC-014', 'SEC-015', 'SEC-017']

let pki: Pki
let session: BrowserSession
let good: Site
let bad: Site
let plain: Awaited<ReturnType<typeof startPlain>>
const cleanups: Array<() => unknown> = []

beforeAll(async () => {
  pki = makePki()
  plain = await startPlain((_req, res) => {
    res.writeHead(200, {'content-type': 'image/gif'})
    res.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'))
  })
  good = await startSite({pki})
  // Everything a page can do wrong, at once. The third-party host is `localhost` (the page is on 127.0.0.1).
  let third: Site | undefined
  third = await startSite({pki, routes: {'/lib.js': {type: 'text/javascript', body: 'window.libLoaded = true;'}}})
  const thirdUrl = `https://localhost:${third.port}/lib.js`
  bad = await startSite({
    pki,
    headers: {'content-security-policy': "default-src 'self' https://localhost:* http://127.0.0.1:*; frame-ancestors 'self'"},
    routes: {
      '/m/': {
        type: 'text/html; charset=utf-8',
        body: `<!doctype html><html lang="zh-CN"><head><script src="${thirdUrl}"></script><script src="/m/app.js"></script></head>
<body><p>申请人 ${ID}，电话 ${MOBILE}</p><input name="id" value="${ID}"><img src="${plain.url}pixel.gif"><a href="/m/x.html">办事</a></body></html>`,
      },
      '/m/app.js': {
        type: 'text/javascript',
        body: `document.cookie = 'pref=1; path=/';
navigator.geolocation && navigator.geolocation.getCurrentPosition(function () {}, function () {});
if (window.Notification) Notification.requestPermission().catch(function () {});
fetch('/api/lookup?idNo=${ID}').catch(function () {});`,
      },
      '/api/lookup': {type: 'application/json', body: JSON.stringify({code: 0, message: 'ok', data: {mobile: MOBILE}})},
    },
  })
  cleanups.push(() => third!.close())
  // As sjt does with --ca: the browser trusts exactly the server keys Node verified against the CA.
  const trustedSpki = await pinsFor([good.url, bad.url, thirdUrl].map((u) => new URL(u).origin), readFileSync(pki.caFile, 'utf8'))
  expect(trustedSpki.length).toBeGreaterThan(0)
  session = await launchBrowser({ca: pki.caFile, lang: 'en', trustedSpki})
})

afterAll(async () => {
  await session?.close()
  for (const c of cleanups) await c()
  await good?.close()
  await bad?.close()
  await plain?.close()
  pki?.cleanup()
})

async function visit(url: string): Promise<SecurityProbeResult> {
  const page: Page = await session.browser.newPage()
  try {
    const target: PageTarget = {role: 'entry', url}
    const state = await probe.setup!(page, target, {} as never)
    await page.goto(url, {waitUntil: 'load', timeout: 15_000})
    await page.waitForNetworkIdle({idleTime: 200, timeout: 3000}).catch(() => undefined)
    return (await probe.collect(page, target, state, {} as never)) as SecurityProbeResult
  } finally {
    await page.close()
  }
}

async function judged(site: Site, result: SecurityProbeResult, app: ReturnType<typeof writeApp>) {
  const {artifacts} = await gatherHttp(app.manifest, {ca: pki.caFile, timeoutMs: 5000})
  artifacts.page = {browserVersion: session.version, viewport: {width: 375, height: 812, deviceScaleFactor: 3}, pages: [{role: 'entry', url: site.url, finalUrl: result.finalUrl, status: 200, probes: {security: result}}]}
  return judge(artifacts, options(app.manifest, {ca: pki.caFile}))
}

describe('security probe in Chromium', () => {
  it('a clean page: no mixed content, no third parties, no personal information, privacy linked', async () => {
    const r = await visit(good.url)
    expect(r.requests.map((x) => x.url)).toContain(`${good.origin}/m/app.js`)
    expect(r.requests.every((x) => x.scheme === 'https')).toBe(true)
    expect(r.links.some((l) => l.text === '隐私政策')).toBe(true)
    const app = writeApp(good.url)
    cleanups.push(app.cleanup)
    const findings = await judged(good, r, app)
    expect(failed(findings), JSON.stringify(findings, null, 1).slice(0, 2000)).toEqual([])
    for (const id of PAGE_RULES) expect(statuses(findings[id]), id).toContain('pass')
    expect(findings['SEC-018'][0].details?.grade).toBe('A+')
  })

  it('a page that does everything wrong fails every page rule', async () => {
    const r = await visit(bad.url)
    expect(r.insecureElements.map((e) => e.tag)).toContain('img')
    expect(r.scripts.find((s) => s.src.includes('localhost'))?.integrity).toBeNull()
    expect(r.scriptCookies.map((c) => c.name)).toEqual(['pref'])
    expect(r.permissions.map((p) => p.kind).sort()).toEqual(['geolocation', 'notifications'])
    expect(r.scriptCalls.some((c) => c.api === 'fetch' && c.url.includes('/api/lookup'))).toBe(true)
    expect(r.apiBodies.some((b) => b.text.includes(MOBILE))).toBe(true)
    expect(r.text).toContain(ID)
    // The page text never leaves the artifact unmasked in a message.
    const app = writeApp(bad.url, {permissions: []})
    cleanups.push(app.cleanup)
    const findings = await judged(bad, r, app)
    expect(failed(findings)).toEqual(expect.arrayContaining([...PAGE_RULES, 'SEC-008']))
    expect(messages(findings['SEC-010'])).toMatch(/http:\/\/127\.0\.0\.1:\d+\/pixel\.gif/)
    expect(messages(findings['SEC-011'])).toMatch(/https:\/\/localhost:\d+\/lib\.js .* has no integrity/)
    expect(messages(findings['SEC-012'])).toMatch(/third-party host localhost:\d+ is not declared/)
    expect(messages(findings['SEC-013'])).toMatch(/1 ID numbers, 1 mobile numbers/)
    expect(messages(findings['SEC-013'])).toMatch(/DOM attributes or form fields/)
    expect(messages(findings['SEC-013'])).toMatch(/an API response/)
    expect(messages(findings['SEC-014'])).toMatch(/in the query of a requested URL: .*idNo=1401\*{10}/)
    expect(messages(findings['SEC-015'])).toMatch(/no link to the privacy policy/)
    expect(messages(findings['SEC-017'])).toMatch(/asks for geolocation, but privacy.permissions does not declare location/)
    expect(messages(findings['SEC-008'])).toMatch(/cookie pref is written by script/)
    const all = JSON.stringify(findings)
    expect(all).not.toContain(ID)
    expect(all).not.toContain(MOBILE)
    // The grade drops with each fault.
    const grade = findings['SEC-018'][0].details as {grade: string; score: number}
    expect(grade.score).toBeLessThan(70)
    expect(findings['SEC-018'][0].status).toBe('fail')
  })

  it('declaring the third party and the permissions makes SEC-012 and SEC-017 pass (subdomains included)', async () => {
    const r = await visit(bad.url)
    const app = writeApp(bad.url, {thirdParties: [{host: 'localhost', purpose: '测试'}, {host: `127.0.0.1:${plain.port}`, purpose: '图片'}], permissions: ['location', 'notifications']})
    cleanups.push(app.cleanup)
    const findings = await judged(bad, r, app)
    expect(statuses(findings['SEC-012'])).toEqual(['pass', 'pass'])
    expect(statuses(findings['SEC-017'])).toEqual(['pass', 'pass'])
  })
})
