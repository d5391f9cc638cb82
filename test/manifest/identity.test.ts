// MAN-011 on measured evidence: the HTTP collector asks the pages the manifest marks
// `auth: required` as an anonymous visitor (real loopback servers, fixtures/identity/server.js),
// and MAN-011 checks the visitor is sent to the declared identity service's origin.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {checks} from '../../src/audits/manifest/index.js'
import type {RawFinding} from '../../src/core/types.js'
import {ROOT} from '../helpers/cli.js'
import {gatherHttp, options, profile} from '../security/harness.js'
import {startIdentityFixture} from '../../fixtures/identity/server.js'
// @ts-expect-error: plain JS fixture server without type declarations
import {startSampleServer} from '../../fixtures/apps/sample/server/index.js'

let fx: {app: string; identity: string; vendor: string; close(): Promise<unknown>}
let tmp: string
const rule = profile.rules.find((r) => r.id === 'MAN-011')!

beforeAll(async () => {
  fx = await startIdentityFixture()
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-identity-'))
})
afterAll(async () => {
  await fx?.close()
  if (tmp) rmSync(tmp, {recursive: true, force: true})
})

/** The fixture manifest with identity.loginUrl set (or removed), checked with --url on one variant. */
async function judge(variant: string, loginUrl: string | null): Promise<RawFinding[]> {
  let text = readFileSync(path.join(ROOT, 'fixtures/identity/sjt.yaml'), 'utf8')
  text = text.replace('contract: ../apps/sample/openapi.yaml', `contract: ${JSON.stringify(path.join(ROOT, 'fixtures/apps/sample/openapi.yaml'))}`)
  text = loginUrl === null ? text.replace(/^ {2}loginUrl: .*\n/m, '') : text.replace('https://tyrz.example.gov.cn/sso/login', loginUrl)
  const file = path.join(tmp, `${variant}-${loginUrl === null ? 'none' : 'declared'}.yaml`)
  writeFileSync(file, text)
  const {artifacts, options: opts} = await gatherHttp(file, {url: `${fx.app}/${variant}/m/`, timeoutMs: 5000})
  return checks.identity({artifacts, params: rule.params, rule, lang: 'en', profile, options: opts})
}

const summary = (fs: RawFinding[]) => fs.map((f) => [f.status, f.evidence])

describe('MAN-011 unified identity, measured', () => {
  it('a protected page that redirects an anonymous visitor to the identity service passes on measured evidence', async () => {
    const fs = await judge('sso', `${fx.identity}/sso/login`)
    expect(summary(fs)).toEqual([['pass', 'measured']])
    expect(fs[0].message).toContain(fx.identity)
  })

  it('a protected page served to anyone fails, naming the page and the identity service', async () => {
    const fs = await judge('open', `${fx.identity}/sso/login`)
    expect(summary(fs)).toEqual([['fail', 'measured']])
    expect(fs[0].message).toMatch(/我的办件.*serves content to an anonymous visitor \(HTTP 200\)/)
    expect(fs[0].location?.url).toBe(`${fx.app}/open/m/my-cases.html`)
  })

  it('a protected page that redirects to another origin fails, naming where it went', async () => {
    const fs = await judge('elsewhere', `${fx.identity}/sso/login`)
    expect(summary(fs)).toEqual([['fail', 'measured']])
    expect(fs[0].message).toContain(`sends an anonymous visitor to ${fx.vendor}/login`)
    expect(fs[0].message).toContain(`not to the declared identity service ${fx.identity}`)
  })

  it('without identity.loginUrl a redirect to a login page passes on the login pattern, and says the origin was not checked', async () => {
    const fs = await judge('elsewhere', null)
    expect(summary(fs)).toEqual([['pass', 'measured']])
    expect(fs[0].message).toMatch(/identity\.loginUrl is not declared/)
  })

  it('the sample app with a login (fixtures/apps/sample-login) sends 我的办件 to its declared login page', async () => {
    const sample = await startSampleServer({https: true, port: 0})
    try {
      const file = path.join(ROOT, 'fixtures/apps/sample-login/sjt.yaml')
      const {artifacts, options: opts} = await gatherHttp(file, {url: sample.entry, ca: sample.caFile, timeoutMs: 5000})
      const fs = checks.identity({artifacts, params: rule.params, rule, lang: 'en', profile, options: opts})
      expect(summary(fs)).toEqual([['pass', 'measured']])
    } finally {
      await sample.close()
    }
  })

  it('when no protected page could be reached the verdict rests on the declaration', async () => {
    const file = path.join(ROOT, 'fixtures/rules/MAN-011/pass.yaml')
    const opts = options(file)
    const {readManifest} = await import('../../src/gather/manifest.js')
    const artifacts = {manifest: readManifest(file, 'en'), http: {targets: [], tls: [], redirects: [], exposed: {checks: []}, skipped: [], durationMs: 1, protectedPages: [{url: 'https://127.0.0.1:1/m/my-cases.html', fetch: {url: 'https://127.0.0.1:1/m/my-cases.html', finalUrl: 'https://127.0.0.1:1/m/my-cases.html', chain: [{url: 'https://127.0.0.1:1/m/my-cases.html'}], headers: {}, cookies: [], cookieCount: 0, bodyBytes: 0, ms: 1, error: {code: 'ECONNREFUSED', message: 'refused'}}}]}}
    const fs = checks.identity({artifacts, params: rule.params, rule, lang: 'en', profile, options: opts})
    expect(summary(fs)).toEqual([['pass', 'declared']])
  })
})
