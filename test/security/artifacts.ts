// Security artifacts for the SEC rules: a base set (manifest, http, page) that passes every rule,
// and one mutation per failing case, each making its rule fail. make-fixtures.ts writes
// them to fixtures/rules/SEC-…/ (the rule tester's fixtures); the grading and analyser tests of
// rules.test.ts build on the same base.
import type {Artifacts} from '../../src/core/types.js'

const ORIGIN = 'https://gjj.example.gov.cn'
export const ENTRY = ORIGIN + '/m/'
const POLICY = ORIGIN + '/m/privacy.html'
const HEALTH = ORIGIN + '/api/healthz'

export const H = (over: Record<string, string | string[] | null> = {}): Record<string, string[]> => {
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

export const cookie = (name: string, flags: {secure?: boolean; httpOnly?: boolean; sameSite?: string | null} = {}) => ({name, secure: flags.secure ?? true, httpOnly: flags.httpOnly ?? true, sameSite: flags.sameSite === undefined ? 'Lax' : flags.sameSite, session: true, url: ENTRY})

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

export function base(): Artifacts {
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

export const entryTarget = (a: Artifacts) => a.http.targets[0]
export const sec = (a: Artifacts) => a.page.pages[0].probes.security
const VALID_ID = '11010519491231002X'

export type Mutation = [string, string, (a: Artifacts) => void, RegExp?]

export const cases: Mutation[] = [
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

