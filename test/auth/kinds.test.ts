// Each login bootstrap kind end to end through the built CLI against the sample's demo server
// (cookies, headers, steps; the ticket kind is in sample-login.test.ts), what happens when the
// session does not work, a login page reached by an unmarked page, and where the session's
// headers may go (the app's origins only). Secrets from the environment never appear in output.
// Needs `npx tsc -p .` first.
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {json, sjt} from '../helpers/cli.js'
import {startLoginServer, type LoginServer} from '../helpers/login-server.js'
import {at, leaks, MY_CASES, SAMPLE_LOGIN, sessionId} from './helpers.js'
import {bootstrapAuth} from '../../src/core/auth.js'
import {buildOptions} from '../../src/cli/check.js'
import {loadProfile} from '../../src/core/profile.js'
import type {GatherContext} from '../../src/core/types.js'
import {collect as collectHttp} from '../../src/gather/http.js'
import {collect as collectPage} from '../../src/gather/page.js'
// @ts-expect-error: plain JS fixture server without type declarations
import {startSampleServer} from '../../fixtures/apps/sample/server/index.js'

let sample: {entry: string; apiBase: string; caFile: string; close(): Promise<void>}
let login: LoginServer
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-auth-kinds-'))
const PASSWORD = 'pw-9d41e7-leakcheck'

beforeAll(async () => {
  process.env.SJT_TEST_PASSWORD = PASSWORD // read by the demo server in this process
  sample = await startSampleServer({https: true, port: 0})
  login = await startLoginServer()
})

afterAll(async () => {
  await sample?.close()
  await login?.close()
  rmSync(tmp, {recursive: true, force: true})
  delete process.env.SJT_TEST_PASSWORD
})

function config(name: string, yaml: string): string {
  const f = path.join(tmp, `${name}.yaml`)
  writeFileSync(f, yaml)
  return f
}

const run = (category: string, cfg: string, env: Record<string, string>, extra: string[] = []) =>
  sjt(['check', category, SAMPLE_LOGIN, '--config', cfg, '--url', sample.entry, '--api-base', sample.apiBase, '--ca', sample.caFile, '--lang', 'en', '--json', '--out', path.join(tmp, 'out'), ...extra], {env, timeoutMs: 120_000})
const on = (doc: any, ruleId: string, url: string) => doc.findings.filter((f: any) => f.ruleId === ruleId && at(f).endsWith(url))
const casesProbe = (doc: any) => doc.findings.find((f: any) => f.ruleId === 'API-009' && /\/cases\//.test(at(f)))

const STEPS = `auth:
  kind: steps
  steps:
    - goto: login.html?service=/m/my-cases.html
    - fill: "#user"
      value: "\${SJT_USER}"
    - fill: "#pass"
      value: "\${SJT_PASSWORD}"
    - click: "#login"
    - waitForUrl: my-cases
  verify:
    cookie: sjt_session
`

describe('login bootstrap kinds through the CLI', () => {
  it('cookies: a session id from SJT_SESSION opens 我的办件 and GET /cases; the id never appears', async () => {
    const sid = await sessionId(sample.apiBase, readFileSync(sample.caFile, 'utf8'), 'ST-demo-ticket')
    const cfg = config('cookies', 'auth:\n  kind: cookies\n  cookies:\n    - name: sjt_session\n      value: "${SJT_SESSION}"\n  verify:\n    url: my-cases.html\n')
    const a = await run('a11y', cfg, {SJT_SESSION: sid})
    expect(a.code, a.stderr).toBe(0)
    const doc = json(a)
    expect(doc.auth).toMatchObject({ok: true, kind: 'cookies'})
    expect(on(doc, 'A11Y-001', MY_CASES).map((f: any) => f.status)).toEqual(['pass'])
    const c = await run('contract', cfg, {SJT_SESSION: sid})
    expect(c.code, c.stderr).toBe(0)
    expect(casesProbe(json(c)).status).toBe('pass')
    expect(leaks([sid], [path.join(tmp, 'out')], {a: a.stdout + a.stderr, c: c.stdout + c.stderr})).toEqual([])
  })

  it('headers: a bearer token from the environment for pages, HTTP collector, Lighthouse and the probe; masked in the Lighthouse report', async () => {
    const token = await sessionId(sample.apiBase, readFileSync(sample.caFile, 'utf8'), 'ST-demo-ticket')
    const cfg = config('headers', 'auth:\n  kind: headers\n  headers:\n    Authorization: "Bearer ${SJT_TOKEN}"\n  verify:\n    url: my-cases.html\n')
    const s = await run('security', cfg, {SJT_TOKEN: token})
    expect(s.code, s.stderr).toBe(0)
    const sec = json(s)
    expect(sec.auth).toMatchObject({ok: true, kind: 'headers'})
    expect(on(sec, 'SEC-013', MY_CASES).map((f: any) => f.status)).toEqual(['pass'])
    const c = await run('contract', cfg, {SJT_TOKEN: token})
    expect(casesProbe(json(c)).status).toBe('pass')

    const arts = path.join(tmp, 'headers-artifacts')
    const p = await run('perf', cfg, {SJT_TOKEN: token}, ['--runs', '1', '--fail-on', 'never', '--save-artifacts', arts])
    expect(p.code, p.stderr).toBe(0)
    const lh = JSON.parse(readFileSync(path.join(arts, 'lighthouse.artifacts.json'), 'utf8'))
    const service = lh.pages.find((x: any) => x.role === 'service')
    expect(service.probe.finalUrl.endsWith(MY_CASES)).toBe(true)
    const report = readFileSync(path.join(arts, service.reportFile), 'utf8')
    expect(JSON.parse(report).finalDisplayedUrl.endsWith(MY_CASES)).toBe(true)
    // Lighthouse repeats its settings (extraHeaders) in the report: the token is masked there.
    expect(report).toMatch(/"Authorization": *"\*\*\*"/)
    expect(leaks([token], [path.join(tmp, 'out'), arts], {s: s.stdout + s.stderr, c: c.stdout + c.stderr, p: p.stdout + p.stderr})).toEqual([])
  })

  it('steps: the login form with user and password from the environment; the password never appears', async () => {
    const cfg = config('steps', STEPS)
    const r = await run('elder', cfg, {SJT_USER: 'demo', SJT_PASSWORD: PASSWORD})
    expect(r.code, r.stderr).toBe(0)
    const doc = json(r)
    expect(doc.auth).toMatchObject({ok: true, kind: 'steps'})
    expect(on(doc, 'ELD-003', MY_CASES).map((f: any) => f.status)).toEqual(['pass'])
    expect(leaks([PASSWORD], [path.join(tmp, 'out')], {stdout: r.stdout, stderr: r.stderr})).toEqual([])
  })

  it('steps with a wrong password: exit 3 naming the step that failed; the anonymous pages are still checked', async () => {
    const r = await run('a11y', config('steps', STEPS), {SJT_USER: 'demo', SJT_PASSWORD: 'wrong-password-1'}, ['--timeout', '3'])
    expect(r.code).toBe(3)
    const doc = json(r)
    expect(doc.auth).toMatchObject({ok: false, kind: 'steps', step: '#5 waitForUrl'})
    expect(r.stderr).toMatch(/login failed at step #5 waitForUrl/)
    expect(on(doc, 'A11Y-001', '/m/withdraw.html').map((f: any) => f.status)).toEqual(['pass'])
    expect(on(doc, 'A11Y-001', MY_CASES).map((f: any) => f.status)).toEqual(['not-applicable'])
    expect(r.stdout + r.stderr).not.toContain('wrong-password-1')
  })

  it('a session that does not work: the redirect to the login page is an error, never an audit of the login page', async () => {
    const cfg = config('dead', 'auth:\n  kind: headers\n  headers:\n    Authorization: "Bearer ${SJT_TOKEN}"\n')
    const r = await run('a11y', cfg, {SJT_TOKEN: 'not-a-live-session'})
    const doc = json(r)
    const f = on(doc, 'A11Y-001', MY_CASES)
    expect(f.map((x: any) => x.status)).toEqual(['error'])
    expect(f[0].message).toMatch(/redirected to the login page: the session did not work \(https:\/\/127\.0\.0\.1:\d+\/m\/login\.html\?service=/)
    // Without auth.verify the login looked fine; the pages tell otherwise: exit 3 with the reason.
    expect(r.code).toBe(3)
    expect(doc.auth).toMatchObject({ok: false, kind: 'headers', step: 'pages'})
    expect(r.stderr).toMatch(/the session did not work: 1 page\(s\) still redirected to the login page/)
    expect(on(doc, 'A11Y-001', '/m/').map((x: any) => x.status)).toEqual(['pass'])
  })

  it('an unmarked page that redirects to the login page, without a bootstrap: skipped with a note', async () => {
    const dir = path.join(tmp, 'unmarked')
    mkdirSync(dir, {recursive: true})
    writeFileSync(path.join(dir, 'sjt.yaml'), `schemaVersion: "1.0"\napp:\n  id: unmarked\n  name: 登录跳转\n  version: 1.0.0\n  entry: ${login.url}/m/\nservices:\n  - {code: x, name: 我的办件, kind: other, handling: query, path: /secure.html}\n`)
    const r = await sjt(['check', 'a11y', dir, '--json', '--lang', 'en', '--out', path.join(tmp, 'out')])
    // The bare fixture entry page offers neither a 投诉建议 nor a search entry (A11Y-005/006): the
    // only failures; the page behind the login is not judged.
    expect(r.code, r.stderr).toBe(1)
    expect([...new Set(json(r).findings.filter((x: any) => x.status === 'fail').map((x: any) => x.ruleId))].sort()).toEqual(['A11Y-005', 'A11Y-006'])
    const f = on(json(r), 'A11Y-001', '/m/secure.html')
    expect(f.map((x: any) => x.status)).toEqual(['not-applicable'])
    expect(f[0].message).toMatch(/redirects to the login page http:\/\/127\.0\.0\.1:\d+\/login\?service=.*mark it auth: required/)
  })
})

describe('where the session goes (HTTP collector, browser pages)', () => {
  it("the session's headers go to the app's origin only; a third-party host never sees them", async () => {
    const seen: Array<{port: number; path: string; auth?: string}> = []
    const servers: http.Server[] = []
    const start = async (fn: (req: http.IncomingMessage, res: http.ServerResponse) => void) => {
      const s = http.createServer((req, res) => {
        seen.push({port: (s.address() as AddressInfo).port, path: req.url ?? '', auth: req.headers.authorization})
        fn(req, res)
      })
      servers.push(s)
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
      return `http://127.0.0.1:${(s.address() as AddressInfo).port}`
    }
    try {
      let other = ''
      const app = await start((req, res) => {
        if (req.url?.startsWith('/m/') && req.headers.authorization !== 'Bearer tok-5c2e91') {
          res.writeHead(302, {location: '/login'})
          return res.end()
        }
        res.writeHead(200, {'content-type': 'text/html; charset=utf-8'})
        res.end(`<!doctype html><html lang="zh-CN"><title>t</title><p>我的办件</p><img src="${other}/pixel.svg" alt="">`)
      })
      other = await start((req, res) => {
        if (req.url === '/pixel.svg') {
          res.writeHead(200, {'content-type': 'image/svg+xml'})
          return res.end('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
        }
        res.writeHead(200, {'content-type': 'application/json'})
        res.end('{"status":"up"}')
      })
      process.env.SJT_HDR_TOKEN = 'tok-5c2e91'
      const options = buildOptions({json: true, url: `${app}/m/`, timeout: 5}, {auth: {kind: 'headers', headers: {Authorization: 'Bearer ${SJT_HDR_TOKEN}'}}}, 'en')
      const ctx: GatherContext = {options, profile: loadProfile('shanxi-2022', 'en'), artifacts: {}, shared: new Map()}
      ctx.artifacts.manifest = {file: 'sjt.yaml', dir: tmp, data: {app: {entry: `${app}/m/`}, monitoring: {health: `${other}/healthz`}}}
      expect(await bootstrapAuth(ctx, `${app}/m/`, undefined)).toMatchObject({ok: true})
      const art = await collectHttp(ctx)
      const entry = art.targets.find((tg) => tg.roles.includes('entry'))!
      expect(entry.fetch.status).toBe(200)
      expect(entry.fetch.finalUrl).toBe(`${app}/m/`)
      const appPort = Number(new URL(app).port)
      expect(seen.filter((s) => s.port === appPort && s.path === '/m/').map((s) => s.auth)).toEqual(['Bearer tok-5c2e91'])
      expect(seen.filter((s) => s.port !== appPort).map((s) => s.path)).toEqual(['/healthz'])

      // The browser page: the page itself gets the token, the third-party image it loads does not.
      seen.length = 0
      try {
        const pageArt = await collectPage(ctx)
        expect(pageArt.pages[0]).toMatchObject({status: 200, finalUrl: `${app}/m/`})
      } finally {
        for (const r of ctx.shared.values()) await r.close().catch(() => undefined)
      }
      expect(seen.filter((s) => s.port === appPort && s.path === '/m/').map((s) => s.auth)).toEqual(['Bearer tok-5c2e91'])
      const third = seen.filter((s) => s.port !== appPort)
      expect(third.map((s) => s.path)).toContain('/pixel.svg')
      expect(third.every((s) => s.auth === undefined)).toBe(true)
    } finally {
      delete process.env.SJT_HDR_TOKEN
      for (const s of servers) {
        s.closeAllConnections()
        await new Promise((r) => s.close(r))
      }
    }
  })
})
