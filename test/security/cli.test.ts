// `sjt check security` end to end (built CLI, real Chromium, real HTTPS servers on loopback):
// the sample app's demo server passes and is graded A+; a site with every page fault fails the
// page rules; a hostile server ends in bounded time with findings. The grade is in the result
// document's metrics.security. Needs `npx tsc -p .` first (as every CLI test).
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import path from 'node:path'
import {ROOT, json, sjt} from '../helpers/cli.js'
import {makePki, type Pki} from './pki.js'
import {ID, MOBILE, startSite, writeApp, type Site} from './site.js'
// @ts-expect-error: plain JS fixture server without type declarations
import {startSampleServer} from '../../fixtures/apps/sample/server/index.js'

interface Sample {
  url: string
  entry: string
  caFile: string
  close(): Promise<void>
}

let sample: Sample
let pki: Pki
const cleanups: Array<() => unknown> = []

beforeAll(async () => {
  sample = await startSampleServer({https: true, port: 0})
  pki = makePki()
})

afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
  await sample?.close()
  pki?.cleanup()
})

const secRules = (doc: any) => [...new Set(doc.findings.filter((f: any) => f.category === 'security').map((f: any) => f.ruleId))].sort()
const failedRules = (doc: any) => [...new Set(doc.findings.filter((f: any) => f.status === 'fail').map((f: any) => f.ruleId))].sort()

describe('sjt check security', () => {
  it('the sample app served by its demo server passes the security category with grade A+', async () => {
    const r = await sjt(['check', 'security', path.join(ROOT, 'fixtures/apps/sample'), '--url', sample.entry, '--ca', sample.caFile, '--json', '--lang', 'en'], {timeoutMs: 120_000})
    const doc = json(r)
    expect(r.code, r.stderr).toBe(0)
    expect(doc.categories.security.status).toBe('pass')
    expect(failedRules(doc), JSON.stringify(doc.findings.filter((f: any) => f.status !== 'pass'), null, 1)).toEqual([])
    expect(secRules(doc)).toHaveLength(18)
    expect(doc.findings.filter((f: any) => f.status === 'error')).toEqual([])
    expect(doc.metrics.security).toMatchObject({grade: 'A+', table: expect.stringMatching(/^sjt-observatory/)})
    expect(doc.metrics.security.score).toBeGreaterThanOrEqual(100)
  }, 150_000)

  it('a site with page faults fails the page rules, and its grade is in the result document', async () => {
    const third = await startSite({pki, routes: {'/lib.js': {type: 'text/javascript', body: 'window.x = 1;'}}})
    cleanups.push(() => third.close())
    const bad: Site = await startSite({
      pki,
      headers: {'content-security-policy': "default-src 'self' https://localhost:*; frame-ancestors 'self'", server: 'nginx/1.18.0'},
      routes: {
        '/m/': {type: 'text/html; charset=utf-8', body: `<!doctype html><html lang="zh-CN"><head><script src="https://localhost:${third.port}/lib.js"></script><script src="/m/app.js"></script></head><body><p>${ID} ${MOBILE}</p></body></html>`},
        '/m/app.js': {type: 'text/javascript', body: `navigator.geolocation.getCurrentPosition(function(){}, function(){}); fetch('/api/q?mobile=${MOBILE}').catch(function(){});`},
        '/.env': {type: 'text/plain', body: 'SECRET_KEY=abc\n'},
      },
    })
    cleanups.push(() => bad.close())
    const app = writeApp(bad.url)
    cleanups.push(app.cleanup)
    const r = await sjt(['check', 'security', app.dir, '--ca', pki.caFile, '--json', '--lang', 'en'], {timeoutMs: 120_000})
    const doc = json(r)
    expect(r.code).toBe(1)
    expect(failedRules(doc)).toEqual(expect.arrayContaining(['SEC-009', 'SEC-011', 'SEC-012', 'SEC-013', 'SEC-014', 'SEC-015', 'SEC-016', 'SEC-017']))
    expect(doc.metrics.security.grade).toMatch(/^[A-F][+-]?$/)
    expect(JSON.stringify(doc.findings)).not.toContain(ID)
  }, 150_000)

  it('a slow-loris entry ends in bounded time with findings, not a hang', async () => {
    const slow = await startSite({pki, mode: 'slowloris'})
    cleanups.push(() => slow.close())
    const app = writeApp(slow.url)
    cleanups.push(app.cleanup)
    const started = Date.now()
    const r = await sjt(['check', 'security', app.dir, '--ca', pki.caFile, '--timeout', '2', '--json', '--lang', 'en'], {timeoutMs: 120_000})
    expect(Date.now() - started).toBeLessThan(90_000)
    const doc = json(r)
    expect(r.code).toBe(3)
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/)
    expect(doc.categories.security.status).toBe('error')
    expect(doc.findings.find((f: any) => f.ruleId === 'SEC-003').message).toMatch(/the entry cannot be reached: no response headers within 2000 ms/)
  }, 150_000)

  it('`sjt standards show SEC-018` prints the versioned modifier table, one test a line', async () => {
    const r = await sjt(['standards', 'show', 'SEC-018', '--lang', 'en'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/version: sjt-observatory 1\.1/)
    expect(r.stdout).toMatch(/^\s+csp: \{strict-default-none: 10, strict: 5, .*missing: -25/m)
    expect(r.stdout).toMatch(/^\s+grades: \{A\+: 100, A: 90, /m)
  })
})
