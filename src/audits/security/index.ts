// Security and personal-information rules SEC-001 … SEC-018: pure functions over the `http`
// artifact (TLS, headers, cookies, redirects, exposed files), the page session's `security`
// probe (requests, mixed content, scripts, script cookies, permissions, page text) and the manifest.
//
// First-party hosts are the hosts of the app's own URLs (entry, elder entry, privacy policy, health,
// contract servers, --url/--elder-url/--api-base, and every hop of their redirects). A host matches
// a first-party or declared third-party host when it is that host or one of its subdomains:
// declaring `map.example.com` covers `a.map.example.com` but not `example.com`.
import type {CategoryModule} from '../../core/types.js'
import {cookies, csp, framing, hsts, https, nosniff, referrer, serverVersion, tlsVersions} from './transport.js'
import {mixed, permissions, piiInContent, piiInUrls, sri, thirdParties} from './pages.js'
import {exposedFiles, grade, privacyLink} from './site.js'
import {computeGrade} from './grade.js'

export const requires = ['http', 'page']

/** The SEC-018 grade as result.metrics.security (score, letter, table version, per-test modifiers), from the same computation as the SEC-018 finding, whenever that rule ran. */
export const metrics: CategoryModule['metrics'] = ({artifacts, profile, rules}) => {
  if (!rules.some((r) => r.check === 'security.grade')) return undefined
  const g = computeGrade(artifacts, profile)
  return {security: g ? {grade: g.grade, score: g.score, table: g.table, tests: g.tests} : {grade: null, score: null, table: null}}
}

const mod: CategoryModule = {
  requires,
  metrics,
  checks: {https, tlsVersions, hsts, csp, nosniff, framing, referrer, cookies, serverVersion, mixed, sri, thirdParties, piiInContent, piiInUrls, privacyLink, exposedFiles, permissions, grade},
}

export const checks = mod.checks
export default mod
