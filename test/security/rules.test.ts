// SEC checks over artifacts (no network, no browser): the base set, the grading table, the header
// analysers, odd artifacts. Each rule on its fixtures (fixtures/rules/SEC-…/, written from
// artifacts.ts by make-fixtures.ts): test/rules/security.test.ts.
import {describe, expect, it} from 'vitest'
import type {Artifacts} from '../../src/artifacts/index.js'
import {computeGrade} from '../../src/audits/security/grade.js'
import {analyzeCsp, analyzeHsts, analyzeReferrer, authorityMatches, hostMatches} from '../../src/audits/security/headers.js'
import {failed, judge, messages, options, profile, statuses} from './harness.js'
import {base, cookie, ENTRY, entryTarget, H, sec} from './artifacts.js'

describe('SEC rules from artifact fixtures', () => {
  it('the base fixture passes every rule', () => {
    const all = judge(base(), options())
    expect(failed(all), JSON.stringify(all, null, 1).slice(0, 3000)).toEqual([])
    for (const [id, fs] of Object.entries(all)) {
      expect(fs.length, id).toBeGreaterThan(0)
      expect(fs.some((f) => f.status === 'error'), `${id}: ${messages(fs)}`).toBe(false)
    }
    expect(messages(all['SEC-012'])).toMatch(/a\.map\.example\.com is declared \(map\.example\.com\)/)
  })

  it('SEC-018 fails below minGrade and passes at or above it', () => {
    const a = base()
    entryTarget(a).fetch.headers = H({'content-security-policy': null, 'strict-transport-security': null, 'x-frame-options': 'DENY'})
    const all = judge(a, options())
    expect(statuses(all['SEC-018'])).toEqual(['fail'])
    expect(all['SEC-018'][0].message).toMatch(/security grade C \(score 55, .*hsts missing -20; csp missing -25.*; below B/)
    expect(statuses(judge(base(), options())['SEC-018'])).toEqual(['pass'])
  })

  it('without a manifest, the rules that compare with it are not-applicable', () => {
    const a = base()
    delete a.manifest
    const all = judge(a, options())
    expect(statuses(all['SEC-012'])).toEqual(['not-applicable'])
    expect(statuses(all['SEC-017'])).toEqual(['not-applicable'])
    // The service line 13912345678 is only known to be the department's own through the manifest.
    expect(failed(all)).toEqual(['SEC-013'])
  })

  it('odd artifacts (from a hand-edited --from-artifacts folder) never throw', () => {
    for (const broken of [{}, {http: {}}, {http: {targets: [{}]}, page: {pages: [null, {url: 1}]}}, {http: {__error: {message: 'x', exitCode: 3}}}, {page: {pages: [{role: 'entry', url: ENTRY, probes: {security: {error: 'probe timed out'}}}]}}]) {
      expect(() => judge(broken as Artifacts, options())).not.toThrow()
    }
    const all = judge({page: {pages: [{role: 'entry', url: ENTRY, probes: {security: {error: 'probe timed out'}}}]}} as Artifacts, options())
    expect(messages(all['SEC-010'])).toMatch(/could not be loaded: probe timed out/)
  })

  it('messages exist in Chinese too', () => {
    const a = base()
    a.http.tls[0].versions.TLSv1 = 'accepted'
    const zh = judge(a, options(), ['SEC-002'], 'zh-CN')
    expect(zh['SEC-002'][0].message).toMatch(/接受已废止的 TLSv1/)
  })
})

describe('grading table', () => {
  const grade = (mutate: (a: Artifacts) => void) => {
    const a = base()
    mutate(a)
    return computeGrade(a, profile)!
  }

  it('starts at 100 and counts bonuses only at 90 or above', () => {
    const g = grade(() => undefined)
    // csp strict +5, framing frame-ancestors +5, referrer private +5, cookies all flags +5, SRI on third-party scripts +5.
    expect(g.score).toBe(125)
    expect(g.grade).toBe('A+')
    expect(grade((a) => delete entryTarget(a).fetch.headers['x-content-type-options']).score).toBe(120)
    const noHsts = grade((a) => delete entryTarget(a).fetch.headers['strict-transport-security'])
    expect([noHsts.score, noHsts.grade]).toEqual([80, 'B+'])
  })

  it('floors at 0 and maps to F', () => {
    const g = grade((a) => {
      entryTarget(a).fetch.headers = H({'content-security-policy': null, 'strict-transport-security': null, 'x-content-type-options': null, 'referrer-policy': 'unsafe-url', server: 'nginx/1.0.1'})
      entryTarget(a).fetch.cookies = [cookie('sid', {secure: false})]
      sec(a).requests.push({url: 'http://cdn.example.com/a.js', host: 'cdn.example.com', scheme: 'http', type: 'script', method: 'GET'})
      sec(a).scripts.push({src: 'http://cdn.example.com/a.js', integrity: null, crossorigin: null})
    })
    expect(g.score).toBe(0)
    expect(g.grade).toBe('F')
  })

  it('the table in the profile is versioned and covers every result code', () => {
    const params = profile.rules.find((r) => r.id === 'SEC-018')!.params as any
    expect(params.table.version).toMatch(/^sjt-observatory \d/)
    expect(Object.keys(params.table.modifiers).sort()).toEqual(['contentTypeOptions', 'cookies', 'crossOriginOpenerPolicy', 'crossOriginResourcePolicy', 'csp', 'framing', 'hsts', 'mixedContent', 'redirect', 'referrerPolicy', 'serverVersion', 'sri'])
    for (const t of grade(() => undefined).tests) expect(params.table.modifiers[t.test], t.test).toHaveProperty(t.result)
  })
})

describe('header analysers', () => {
  it('HSTS', () => {
    expect(analyzeHsts(['max-age=15552000; includeSubDomains'], true, 15552000)).toMatchObject({result: 'ok', includeSubDomains: true})
    expect(analyzeHsts(['max-age="31536000"'], true, 15552000).result).toBe('ok')
    expect(analyzeHsts(['max-age=1; max-age=2'], true, 1).result).toBe('invalid')
    // two headers folded into one line (RFC 6797 §6.1: each directive at most once)
    expect(analyzeHsts(['max-age=31536000; includeSubDomains, max-age=0'], true, 1).result).toBe('invalid')
    expect(analyzeHsts(['includeSubDomains'], true, 1).result).toBe('invalid')
  })

  it('CSP: several policies must all allow inline script for it to be allowed', () => {
    expect(analyzeCsp(["script-src 'unsafe-inline'", "script-src 'self'"]).result).not.toBe('unsafe-inline')
    expect(analyzeCsp(["script-src 'self' 'strict-dynamic' 'nonce-x' 'unsafe-inline'; style-src 'self'"]).result).toBe('strict')
    expect(analyzeCsp(["default-src 'none'; script-src 'self'; style-src 'self'"]).result).toBe('strict-default-none')
    expect(analyzeCsp(["default-src 'self'; style-src 'self' 'unsafe-inline'"]).result).toBe('unsafe-inline-style-only')
    expect(analyzeCsp(["script-src 'self' 'wasm-unsafe-eval'"]).result).toBe('unsafe-inline-style-only')
    expect(analyzeCsp(['default-src http:']).result).toBe('any-source')
    expect(analyzeCsp(["default-src 'self'; script-src 'self' http://cdn.example.com"]).result).toBe('insecure-scheme')
    expect(analyzeCsp(["script-src 'nonce-abc' 'strict-dynamic' https: 'unsafe-inline'"]).result).toBe('unsafe-inline-style-only')
    expect(analyzeCsp(["script-src https:", "script-src 'self'"]).result).not.toBe('any-source')
    // a <meta http-equiv> policy counts, but cannot carry frame-ancestors
    expect(analyzeCsp(undefined, ["default-src 'self'; style-src 'self'; frame-ancestors 'none'"])).toMatchObject({result: 'strict', source: 'meta', frameAncestors: null})
    expect(analyzeCsp(["default-src 'self'"], ["script-src 'self' 'unsafe-inline'"])).toMatchObject({source: 'both'})
  })

  it('Referrer-Policy: the last known token applies', () => {
    expect(analyzeReferrer(['unsafe-url, strict-origin-when-cross-origin'], ['strict-origin-when-cross-origin']).result).toBe('private')
    expect(analyzeReferrer(['no-referrer, foo'], ['no-referrer']).result).toBe('private')
    expect(analyzeReferrer(['bogus'], ['no-referrer']).result).toBe('invalid')
    expect(analyzeReferrer(undefined, ['no-referrer'], ['no-referrer'])).toEqual({result: 'private', policy: 'no-referrer', fromMeta: true})
    expect(analyzeReferrer(undefined, ['no-referrer']).result).toBe('missing')
  })

  it('a missing Referrer-Policy is the browser default strict-origin-when-cross-origin: SEC-007 passes', () => {
    const a = base()
    delete entryTarget(a).fetch.headers['referrer-policy']
    const all = judge(a, options(), ['SEC-007'])
    expect(new Set(statuses(all['SEC-007']))).toEqual(new Set(['pass']))
    expect(messages(all['SEC-007'])).toMatch(/browsers use their default strict-origin-when-cross-origin/)
  })

  it('SEC-018 gives the Observatory bonuses for X-Frame-Options, CORP and COOP', () => {
    const withXfo = (a: Artifacts) => (entryTarget(a).fetch.headers = H({'content-security-policy': "default-src 'self'", 'x-frame-options': 'DENY'}))
    const g = (extra: Record<string, string>) => {
      const a = base()
      withXfo(a)
      Object.assign(entryTarget(a).fetch.headers, Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, [v]])))
      return computeGrade(a, profile)!
    }
    const plain = g({})
    expect(plain.tests.find((x) => x.test === 'framing')).toEqual({test: 'framing', result: 'x-frame-options', modifier: 5})
    const isolated = g({'cross-origin-resource-policy': 'same-origin', 'cross-origin-opener-policy': 'same-origin'})
    expect(isolated.score - plain.score).toBe(20)
    expect(g({'cross-origin-opener-policy': 'bogus'}).tests.find((x) => x.test === 'crossOriginOpenerPolicy')).toMatchObject({result: 'invalid', modifier: -5})
  })

  it('hosts match themselves and their subdomains only', () => {
    expect(hostMatches('a.map.example.com', 'map.example.com')).toBe(true)
    expect(hostMatches('map.example.com', 'map.example.com')).toBe(true)
    expect(hostMatches('MAP.example.com', '*.map.example.com')).toBe(true)
    expect(hostMatches('map.example.com', 'https://map.example.com/x')).toBe(true)
    expect(hostMatches('example.com', 'map.example.com')).toBe(false)
    expect(hostMatches('evilmap.example.com', 'map.example.com')).toBe(false)
    expect(hostMatches('map.example.com.cn', 'map.example.com')).toBe(false)
  })

  it('ports: a declared host without a port covers every port; the app own hosts only their own port', () => {
    expect(hostMatches('127.0.0.1:5555', '127.0.0.1')).toBe(true)
    expect(hostMatches('127.0.0.1:5555', '127.0.0.1:5555')).toBe(true)
    expect(hostMatches('127.0.0.1:5556', '127.0.0.1:5555')).toBe(false)
    expect(authorityMatches('127.0.0.1:5555', '127.0.0.1:4444', false)).toBe(false)
    expect(authorityMatches('127.0.0.1', '127.0.0.1:4444', false)).toBe(false)
    expect(authorityMatches('static.gjj.example.gov.cn', 'gjj.example.gov.cn', false)).toBe(true)
  })

  it('a second loopback server on another port is a third party', () => {
    const a = base()
    sec(a).requests.push({url: 'https://gjj.example.gov.cn:8443/x.js', host: 'gjj.example.gov.cn', scheme: 'https', type: 'script', method: 'GET'})
    sec(a).requests.push({url: 'http://gjj.example.gov.cn/logo.png', host: 'gjj.example.gov.cn', scheme: 'http', type: 'image', method: 'GET'})
    const all = judge(a, options())
    expect(messages(all['SEC-012'])).toMatch(/third-party host gjj\.example\.gov\.cn:8443 is not declared/)
    // Plain http on the app's own host is mixed content (SEC-010), not a third party.
    expect(messages(all['SEC-012'])).not.toMatch(/logo\.png/)
    expect(failed(all).filter((id) => id !== 'SEC-018')).toEqual(['SEC-010', 'SEC-012'])
  })
})
