// Every SEC rule from artifact fixtures (no network, no browser): a base set of artifacts that
// passes everything, and one mutation per rule that makes exactly that rule fail.
import {describe, expect, it} from 'vitest'
import type {Artifacts} from '../../src/artifacts/index.js'
import {computeGrade} from '../../src/audits/security/grade.js'
import {analyzeCsp, analyzeHsts, analyzeReferrer, authorityMatches, hostMatches} from '../../src/audits/security/headers.js'
import {failed, judge, messages, options, profile, statuses} from './harness.js'

const ORIGIN = 'https://gjj.example.gov.cn'
const ENTRY = ORIGIN + '/m/'
const POLICY = ORIGIN + '/m/privacy.html'
const HEALTH = ORIGIN + '/api/healthz'

const H = (over: Record<string, string | string[] | null> = {}): Record<string, string[]> => {
  const base: Record<string, string | string[] | null> = {
    'strict-transport-security': 'max-age=31536000',
    'content-security-policy': "default-src 'self'; frame-ancestors 'self'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-type': 'text/html; charset=utf-8',
    server: 'gateway',
    ...over,
  }
  const out: Record<string, string[]> = {}
  for (const [k, v] of Object.entries(base)) if (v !== null) out[k] = Array.isArray(v) ? v : [v]
  return out
}

const cookie = (name: string, flags: {secure?: boolean; httpOnly?: boolean; sameSite?: string | null} = {}) => ({name, secure: flags.secure ?? true, httpOnly: flags.httpOnly ?? true, sameSite: flags.sameSite === undefined ? 'Lax' : flags.sameSite, session: true, url: ENTRY})

function target(roles: string[], url: string, over: Record<string, unknown> = {}) {
  const headers = (over.headers as Record<string, string[]>) ?? H()
  return {
    roles,
    url,
    source: 'fixture',
    fetch: {url, finalUrl: url, status: 200, chain: [{url, status: 200}], headers, cookies: [cookie('sid')], cookieCount: 1, contentType: headers['content-type']?.[0], bodyBytes: 100, ms: 5, ...((over.fetch as object) ?? {})},
    ...(roles.includes('entry') ? {scripts: [ENTRY + 'app.js'], links: [{href: POLICY, text: '隐私政策'}]} : {}),
  }
}

function probe(over: Record<string, unknown> = {}) {
  return {
    url: ENTRY,
    finalUrl: ENTRY,
    secureContext: true,
    requests: [
      {url: ENTRY, host: 'gjj.example.gov.cn', scheme: 'https', type: 'document', method: 'GET', status: 200},
      {url: ENTRY + 'app.js', host: 'gjj.example.gov.cn', scheme: 'https', type: 'script', method: 'GET', status: 200},
      {url: 'https://a.map.example.com/sdk.js', host: 'a.map.example.com', scheme: 'https', type: 'script', method: 'GET', status: 200},
    ],
    requestCount: 3,
    mixedContentReports: [],
    insecureElements: [],
    scripts: [
      {src: ENTRY + 'app.js', integrity: null, crossorigin: null},
      {src: 'https://a.map.example.com/sdk.js', integrity: 'sha384-abcdef', crossorigin: 'anonymous'},
    ],
    inlineScripts: 0,
    scriptCookies: [],
    responseCookies: [],
    permissions: [{kind: 'geolocation', api: 'getCurrentPosition', at: ENTRY}],
    scriptCalls: [],
    links: [{href: POLICY, text: '隐私政策'}],
    text: '住房公积金提取。证件 1401**********1234，电话 139****5678，服务热线 13912345678',
    attributes: 'zh-CN\nviewport',
    truncated: false,
    apiBodies: [{url: ORIGIN + '/api/user', text: '{"code":"0","data":{"mobile":"139****5678"}}'}],
    ...over,
  }
}

function base(): Artifacts {
  return {
    manifest: {
      file: 'sjt.yaml',
      dir: '/nowhere',
      format: 'yaml',
      positions: {},
      keys: {},
      data: {
        app: {entry: ENTRY},
        owner: {contact: {phone: '13912345678'}},
        privacy: {policyUrl: POLICY, thirdParties: [{host: 'map.example.com', purpose: '网点地图'}], permissions: ['location']},
        monitoring: {health: HEALTH},
      },
    },
    http: {
      entry: ENTRY,
      entryOrigin: ORIGIN,
      targets: [target(['entry'], ENTRY), target(['privacy'], POLICY), target(['health'], HEALTH, {headers: H({'content-type': 'application/json', 'content-security-policy': null, 'referrer-policy': null}), fetch: {bodyText: '{"code":"0","message":"ok","data":{}}', cookies: [], cookieCount: 0}})],
      tls: [{origin: ORIGIN, host: 'gjj.example.gov.cn', port: 443, versions: {TLSv1: 'refused', 'TLSv1.1': 'refused', 'TLSv1.2': 'accepted', 'TLSv1.3': 'accepted'}, versionDetail: {}, verify: {ok: true, authorized: true, protocol: 'TLSv1.3'}, chain: [{subject: 'gjj.example.gov.cn', issuer: 'Example CA', validFrom: 'Jan 1 00:00:00 2026 GMT', validTo: 'Jan 1 00:00:00 2027 GMT', selfSigned: false}]}],
      redirects: [{url: ENTRY, httpUrl: 'http://gjj.example.gov.cn/m/', result: 'https', status: 301, location: ENTRY}],
      exposed: {origin: ORIGIN, softNotFound: false, checks: [{url: ORIGIN + '/.git/HEAD', kind: 'git-head', status: 404, exposed: false}]},
      skipped: [],
      durationMs: 10,
    },
    page: {browserVersion: 'test', viewport: {width: 375, height: 812, deviceScaleFactor: 3}, pages: [{role: 'entry', url: ENTRY, finalUrl: ENTRY, status: 200, probes: {security: probe()}}]},
  }
}

const entryTarget = (a: Artifacts) => a.http.targets[0]
const sec = (a: Artifacts) => a.page.pages[0].probes.security
const VALID_ID = '11010519491231002X'

type Mutation = [string, string, (a: Artifacts) => void, RegExp?]

const cases: Mutation[] = [
  ['SEC-001', 'expired certificate', (a) => Object.assign(a.http.tls[0].verify, {authorized: false, error: 'CERT_HAS_EXPIRED'}), /expired on Jan 1 00:00:00 2027 GMT/],
  ['SEC-001', 'self-signed certificate', (a) => Object.assign(a.http.tls[0].verify, {authorized: false, error: 'DEPTH_ZERO_SELF_SIGNED_CERT'}), /self-signed/],
  ['SEC-001', 'wrong host name', (a) => Object.assign(a.http.tls[0].verify, {authorized: false, error: 'ERR_TLS_CERT_ALTNAME_INVALID'}), /does not name the host/],
  ['SEC-001', 'handshake closed', (a) => Object.assign(a.http.tls[0], {error: {code: 'ECONNRESET', message: 'the server closed the connection during the TLS handshake'}, versions: {TLSv1: 'refused', 'TLSv1.1': 'refused'}}), /TLS handshake .* failed/],
  ['SEC-001', 'no http→https redirect', (a) => Object.assign(a.http.redirects[0], {result: 'no-redirect', status: 200, location: undefined}), /does not redirect/],
  ['SEC-001', 'redirect to http', (a) => Object.assign(a.http.redirects[0], {result: 'not-https', location: 'http://other/'}), /non-https/],
  ['SEC-002', 'TLS 1.1 accepted', (a) => (a.http.tls[0].versions['TLSv1.1'] = 'accepted'), /obsolete TLSv1\.1/],
  ['SEC-002', 'no TLS 1.2/1.3', (a) => Object.assign(a.http.tls[0].versions, {'TLSv1.2': 'refused', 'TLSv1.3': 'refused'}), /neither TLS 1\.2 nor TLS 1\.3/],
  ['SEC-003', 'HSTS missing', (a) => delete entryTarget(a).fetch.headers['strict-transport-security'], /no Strict-Transport-Security/],
  ['SEC-003', 'HSTS too short', (a) => (entryTarget(a).fetch.headers['strict-transport-security'] = ['max-age=15551999']), /below 15552000/],
  ['SEC-003', 'HSTS unparsable', (a) => (entryTarget(a).fetch.headers['strict-transport-security'] = ['max-age=forever']), /unparsable/],
  ['SEC-004', 'no CSP', (a) => (entryTarget(a).fetch.headers = H({'content-security-policy': null, 'x-frame-options': 'DENY'})), /no Content-Security-Policy/],
  ['SEC-004', 'report-only CSP', (a) => (entryTarget(a).fetch.headers = H({'content-security-policy': null, 'content-security-policy-report-only': "default-src 'self'", 'x-frame-options': 'DENY'})), /Report-Only/],
  ['SEC-004', 'unsafe-eval', (a) => (entryTarget(a).fetch.headers['content-security-policy'] = ["default-src 'self' 'unsafe-eval'; frame-ancestors 'none'"]), /unsafe-eval/],
  ['SEC-004', 'unsafe-inline in default-src', (a) => (entryTarget(a).fetch.headers['content-security-policy'] = ["default-src 'self' 'unsafe-inline'; frame-ancestors 'none'"]), /unsafe-inline/],
  ['SEC-004', 'script-src https: (any host)', (a) => (entryTarget(a).fetch.headers['content-security-policy'] = ["script-src https:; object-src 'none'; frame-ancestors 'none'"]), /from anywhere run \(https: in script-src\)/],
  ['SEC-004', 'default-src * (any host)', (a) => (entryTarget(a).fetch.headers['content-security-policy'] = ["default-src *; frame-ancestors 'none'"]), /from anywhere run \(\* in script-src\)/],
  ['SEC-004', 'script-src data:', (a) => (entryTarget(a).fetch.headers['content-security-policy'] = ["default-src 'self'; script-src 'self' data:; frame-ancestors 'none'"]), /data: in script-src/],
  ['SEC-004', 'scripts over http://', (a) => (entryTarget(a).fetch.headers['content-security-policy'] = ["default-src 'self' http://cdn.example.com; frame-ancestors 'none'"]), /plain http:\/\//],
  ['SEC-004', 'unsafe-inline in a <meta http-equiv> CSP', (a) => (delete entryTarget(a).fetch.headers['content-security-policy'], (entryTarget(a).fetch.headers['x-frame-options'] = ['DENY']), (entryTarget(a).meta = {csp: ["default-src 'self' 'unsafe-inline'"], referrer: []})), /unsafe-inline.*<meta http-equiv> tag/],
  ['SEC-004', 'CSP without script restriction', (a) => (entryTarget(a).fetch.headers['content-security-policy'] = ["frame-ancestors 'none'; img-src 'self'"]), /neither script-src nor default-src/],
  ['SEC-005', 'nosniff missing', (a) => delete a.http.targets[2].fetch.headers['x-content-type-options'], /no X-Content-Type-Options/],
  ['SEC-005', 'nosniff wrong', (a) => (entryTarget(a).fetch.headers['x-content-type-options'] = ['sniff']), /not nosniff/],
  ['SEC-006', 'no framing restriction', (a) => (entryTarget(a).fetch.headers['content-security-policy'] = ["default-src 'self'"]), /any site can frame it/],
  ['SEC-006', 'frame-ancestors *', (a) => (entryTarget(a).fetch.headers['content-security-policy'] = ["default-src 'self'; frame-ancestors *"]), /ineffective/],
  ['SEC-007', 'Referrer-Policy unsafe-url from <meta name=referrer>', (a) => (delete entryTarget(a).fetch.headers['referrer-policy'], (entryTarget(a).meta = {csp: [], referrer: ['unsafe-url']})), /unsafe-url.*<meta name="referrer">/],
  ['SEC-007', 'Referrer-Policy no-referrer-when-downgrade', (a) => (entryTarget(a).fetch.headers['referrer-policy'] = ['no-referrer-when-downgrade']), /no-referrer-when-downgrade/],
  ['SEC-008', 'cookie without Secure', (a) => (entryTarget(a).fetch.cookies = [cookie('sid', {secure: false})]), /lacks Secure/],
  ['SEC-008', 'cookie without SameSite', (a) => (entryTarget(a).fetch.cookies = [cookie('sid', {sameSite: null})]), /lacks SameSite/],
  ['SEC-008', 'cookie set by script', (a) => (sec(a).scriptCookies = [{name: 'theme', attributes: 'path=/; Secure; SameSite=Lax', valueLength: 4, at: ENTRY}]), /written by script .* lacks HttpOnly/],
  ['SEC-008', 'cookie of a page response', (a) => (sec(a).responseCookies = [{url: ORIGIN + '/api/login', header: 'token=1; Path=/'}]), /cookie token .* lacks Secure, HttpOnly, SameSite/],
  ['SEC-009', 'Server with version', (a) => (entryTarget(a).fetch.headers.server = ['Apache/2.4.41 (Ubuntu)']), /Apache\/2\.4\.41/],
  ['SEC-009', 'X-AspNet-Version', (a) => (a.http.targets[2].fetch.headers['x-aspnet-version'] = ['4.0.30319']), /4\.0\.30319/],
  ['SEC-010', 'http image', (a) => (sec(a).insecureElements = [{tag: 'img', attr: 'src', url: 'http://gjj.example.gov.cn/logo.png'}]), /loads 1 http:\/\/ resources/],
  ['SEC-010', 'http XHR', (a) => sec(a).requests.push({url: 'http://gjj.example.gov.cn/api/x', host: 'gjj.example.gov.cn', scheme: 'http', type: 'xhr', method: 'GET'}), /http:\/\/gjj\.example\.gov\.cn\/api\/x/],
  ['SEC-011', 'third-party script without SRI', (a) => (sec(a).scripts[1].integrity = null), /has no integrity/],
  ['SEC-012', 'undeclared host', (a) => sec(a).requests.push({url: 'https://stats.tracker.example.net/t.gif', host: 'stats.tracker.example.net', scheme: 'https', type: 'image', method: 'GET'}), /stats\.tracker\.example\.net is not declared/],
  ['SEC-012', 'the parent of a declared host is not covered', (a) => sec(a).requests.push({url: 'https://example.com/x.png', host: 'example.com', scheme: 'https', type: 'image', method: 'GET'}), /example\.com is not declared/],
  ['SEC-012', 'a look-alike suffix is not covered', (a) => sec(a).scriptCalls.push({api: 'fetch', url: 'https://map.example.com.cn/api'}), /map\.example\.com\.cn is not declared/],
  ['SEC-013', 'ID number in text', (a) => (sec(a).text += ` 身份证 ${VALID_ID}`), /1 ID numbers, 0 mobile numbers/],
  ['SEC-013', 'mobile in an attribute', (a) => (sec(a).attributes += '\ndata-phone=13812345678'), /DOM attributes/],
  ['SEC-013', 'mobile in an API response', (a) => (sec(a).apiBodies = [{url: ORIGIN + '/api/user', text: '{"mobile":"13812345678"}'}]), /an API response/],
  ['SEC-013', 'ID in the health response', (a) => (a.http.targets[2].fetch.bodyText = `{"data":{"idNo":"${VALID_ID}"}}`), /an API response/],
  ['SEC-014', 'ID number in a query', (a) => sec(a).requests.push({url: `${ORIGIN}/api/q?sfzh=${VALID_ID}`, host: 'gjj.example.gov.cn', scheme: 'https', type: 'fetch', method: 'GET'}), /query of a requested URL: .*sfzh=1101\*{10}002X/],
  ['SEC-014', 'mobile in a path', (a) => sec(a).scriptCalls.push({api: 'xhr', url: `${ORIGIN}/api/user/13812345678/cases`}), /path of a requested URL/],
  ['SEC-015', 'no link to the policy', (a) => ((sec(a).links = [{href: ORIGIN + '/m/a.html', text: '办事'}]), (entryTarget(a).links = [])), /no link to the privacy policy/],
  ['SEC-015', 'policy answers 404', (a) => (a.http.targets[1].fetch.status = 404), /answers 404/],
  ['SEC-015', 'link goes elsewhere', (a) => ((sec(a).links = [{href: ORIGIN + '/m/old-privacy.html', text: '隐私政策'}]), (entryTarget(a).links = [])), /old-privacy\.html, not to the declared/],
  ['SEC-016', '.git exposed', (a) => Object.assign(a.http.exposed.checks[0], {status: 200, exposed: true, reason: 'git HEAD'}), /\.git\/HEAD is publicly readable/],
  ['SEC-017', 'undeclared camera', (a) => sec(a).permissions.push({kind: 'camera', api: 'getUserMedia', at: ENTRY}), /asks for camera/],
]

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

  it('every SEC rule has a failing case here', () => {
    const ids = profile.rules.filter((r) => r.category === 'security').map((r) => r.id)
    const covered = new Set([...cases.map((c) => c[0]), 'SEC-018'])
    expect(ids.filter((id) => !covered.has(id))).toEqual([])
  })

  for (const [rule, name, mutate, message] of cases) {
    it(`${rule} fails alone: ${name}`, () => {
      const a = base()
      mutate(a)
      const all = judge(a, options())
      expect(failed(all).filter((id) => id !== 'SEC-018')).toEqual([rule])
      if (message) expect(messages(all[rule])).toMatch(message)
    })
  }

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
