// Pure analysers of security headers and cookies. Each returns a result code that both the rules
// (SEC-003 … SEC-009) and the Observatory-style grade (SEC-018) use, so the two never disagree.

export type HstsResult = 'ok' | 'short' | 'missing' | 'invalid' | 'no-https'
export type CspResult = 'strict-default-none' | 'strict' | 'unsafe-inline-style-only' | 'unsafe-eval' | 'insecure-scheme' | 'unsafe-inline' | 'any-source' | 'no-script-restriction' | 'missing' | 'invalid'
/** CSP results that let scripts run that the policy should stop: SEC-004 fails them, and the SEC-018 table must subtract for them (and only for them). */
export const CSP_FAILING: ReadonlySet<CspResult> = new Set(['unsafe-eval', 'insecure-scheme', 'unsafe-inline', 'any-source', 'no-script-restriction', 'missing', 'invalid'])
export type CorpResult = 'same-origin' | 'same-site' | 'cross-origin' | 'missing' | 'invalid'
export type CoopResult = 'same-origin' | 'same-origin-allow-popups' | 'noopener-allow-popups' | 'unsafe-none' | 'missing' | 'invalid'
export type FramingResult = 'frame-ancestors' | 'x-frame-options' | 'missing' | 'invalid'
export type NosniffResult = 'nosniff' | 'missing' | 'invalid'
export type ReferrerResult = 'private' | 'missing' | 'unsafe' | 'invalid'
export type CookieResult = 'all-flags' | 'no-samesite' | 'no-secure-hsts' | 'no-httponly' | 'no-secure'

export const first = (h: Record<string, string[]> | undefined, name: string): string[] | undefined => {
  const v = h?.[name.toLowerCase()]
  return v && v.length ? v : undefined
}

/**
 * Strict-Transport-Security: the first header counts (RFC 6797 §8.1); max-age must be a number,
 * and every directive may appear only once (§6.1) — also when two headers were folded into one
 * line with a comma (`max-age=31536000, max-age=0`), which makes the header invalid.
 */
export function analyzeHsts(values: string[] | undefined, https: boolean, minAge: number): {result: HstsResult; maxAge?: number; includeSubDomains?: boolean} {
  if (!https) return {result: 'no-https'}
  if (!values) return {result: 'missing'}
  const directives = values[0].split(/[;,]/).map((d) => d.trim()).filter(Boolean)
  let maxAge: number | undefined
  let include = false
  const seen = new Set<string>()
  for (const d of directives) {
    const [rawName, ...rest] = d.split('=')
    const name = rawName.trim().toLowerCase()
    if (seen.has(name)) return {result: 'invalid'}
    seen.add(name)
    if (name === 'max-age') {
      const v = rest.join('=').trim().replace(/^"(.*)"$/, '$1')
      if (!/^\d+$/.test(v)) return {result: 'invalid'}
      maxAge = Number(v)
    } else if (name === 'includesubdomains') include = true
  }
  if (maxAge === undefined) return {result: 'invalid'}
  return {result: maxAge >= minAge ? 'ok' : 'short', maxAge, includeSubDomains: include}
}

type CspPolicy = Map<string, string[]>

function parseCsp(value: string): CspPolicy | null {
  const policy: CspPolicy = new Map()
  for (const part of value.split(';')) {
    const tokens = part.trim().split(/\s+/).filter(Boolean)
    if (tokens.length === 0) continue
    const name = tokens[0].toLowerCase()
    if (!/^[a-z-]+$/.test(name)) return null
    // The first occurrence of a directive wins (CSP3 §2.2.1).
    if (!policy.has(name)) policy.set(name, tokens.slice(1))
  }
  return policy.size ? policy : null
}

const lower = (xs: string[]) => xs.map((x) => x.toLowerCase())

/** Sources that govern scripts: script-src, else default-src (CSP3 fallback); null when neither is set. */
function scriptSources(p: CspPolicy): string[] | null {
  const s = p.get('script-src') ?? p.get('default-src')
  return s ? lower(s) : null
}

const hasNonceOrHash = (srcs: string[]) => srcs.some((s) => /^'(nonce-|sha256-|sha384-|sha512-)/.test(s))

/** Sources that let a script from any host (or any inline text) run: schemes alone, wildcards, data:. */
const ANY_SOURCE = new Set(['*', 'http:', 'https:', 'ftp:', 'data:', 'blob:', 'filesystem:', 'http://*', 'https://*', 'http://*.*', 'https://*.*'])

/**
 * The script sources that still count: with 'strict-dynamic' next to a nonce or hash, CSP Level 3
 * ignores host and scheme sources, 'self' and 'unsafe-inline'; next to a nonce or hash alone,
 * 'unsafe-inline' is ignored.
 */
function effectiveScriptSources(p: CspPolicy): string[] | null {
  const s = scriptSources(p)
  if (!s) return null
  if (!hasNonceOrHash(s)) return s
  if (s.includes("'strict-dynamic'")) return s.filter((x) => x.startsWith("'") && x !== "'self'" && x !== "'unsafe-inline'")
  return s.filter((x) => x !== "'unsafe-inline'")
}

/** Whether inline scripts are allowed by this policy ('unsafe-inline' is ignored next to a nonce or hash). */
function allowsInline(p: CspPolicy): boolean {
  const s = effectiveScriptSources(p)
  return !s || s.includes("'unsafe-inline'")
}

/** The first source of this policy that lets a script from anywhere run, or null. */
function anySource(p: CspPolicy): string | null {
  const s = effectiveScriptSources(p)
  if (!s) return '*'
  return s.find((x) => ANY_SOURCE.has(x)) ?? null
}

function allowsEval(p: CspPolicy): boolean {
  const s = scriptSources(p)
  if (!s) return true
  return s.includes("'unsafe-eval'")
}

export interface CspAnalysis {
  result: CspResult
  /** frame-ancestors sources of the first header policy that sets it, or null (never from a meta tag). */
  frameAncestors: string[] | null
  policies: number
  /** Where the enforced policies came from. */
  source?: 'header' | 'meta' | 'both'
  /** For 'any-source': the source that lets any script run (`https:`, `*`, `data:` …). */
  offending?: string
}

/** Directives a <meta http-equiv> policy cannot carry (CSP3 §3.3): they are dropped. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox'])

/**
 * Content-Security-Policy, from the headers and from <meta http-equiv="Content-Security-Policy">
 * tags (browsers enforce both). Several policies must all be satisfied, so a script runs only
 * when every policy lets it: 'unsafe-inline', any-source and 'unsafe-eval' count only when every
 * policy allows them.
 */
export function analyzeCsp(values: string[] | undefined, meta: string[] = []): CspAnalysis {
  const headerValues = values ?? []
  if (headerValues.length === 0 && meta.length === 0) return {result: 'missing', frameAncestors: null, policies: 0}
  const source = headerValues.length && meta.length ? 'both' : headerValues.length ? 'header' : 'meta'
  const policies: CspPolicy[] = []
  let fa: string[] | null = null
  for (const [list, fromMeta] of [[headerValues, false], [meta, true]] as const) {
    for (const v of list)
      for (const one of v.split(',')) {
        if (!one.trim()) continue
        const p = parseCsp(one)
        if (!p) return {result: 'invalid', frameAncestors: null, policies: 0, source}
        if (fromMeta) for (const d of HEADER_ONLY) p.delete(d)
        else if (!fa && p.has('frame-ancestors')) fa = p.get('frame-ancestors')!
        if (p.size) policies.push(p)
      }
  }
  if (policies.length === 0) return {result: 'invalid', frameAncestors: null, policies: 0, source}
  const restricted = policies.some((p) => scriptSources(p) !== null)
  const inline = policies.every(allowsInline)
  const anyOf = policies.map(anySource)
  const any = anyOf.every((x) => x !== null)
  const evalOk = policies.every(allowsEval)
  const insecure = policies.every((p) => {
    const s = effectiveScriptSources(p)
    return s !== null && s.some((x) => x.startsWith('http://') || x.startsWith('ftp://'))
  })
  let result: CspResult
  let offending: string | undefined
  if (!restricted) result = 'no-script-restriction'
  else if (inline) result = 'unsafe-inline'
  else if (any) {
    result = 'any-source'
    offending = anyOf.find((x) => x !== '*') ?? '*'
  } else if (evalOk) result = 'unsafe-eval'
  else if (insecure) result = 'insecure-scheme'
  else {
    const styleInline = policies.every((p) => lower(p.get('style-src') ?? p.get('default-src') ?? ["'unsafe-inline'"]).includes("'unsafe-inline'"))
    const defaultNone = policies.some((p) => lower(p.get('default-src') ?? []).join(' ') === "'none'")
    result = styleInline ? 'unsafe-inline-style-only' : defaultNone ? 'strict-default-none' : 'strict'
  }
  return {result, frameAncestors: fa, policies: policies.length, source, ...(offending ? {offending} : {})}
}

/** Framing: CSP frame-ancestors (without a wildcard) or X-Frame-Options DENY/SAMEORIGIN. */
export function analyzeFraming(xfo: string[] | undefined, frameAncestors: string[] | null): {result: FramingResult; value?: string} {
  if (frameAncestors) {
    const srcs = lower(frameAncestors)
    const open = srcs.length === 0 ? false : srcs.some((s) => s === '*' || s === 'https:' || s === 'http:' || s === 'https://*' || s === 'http://*')
    if (!open) return {result: 'frame-ancestors', value: frameAncestors.join(' ') || "'none'"}
  }
  if (xfo) {
    const v = xfo[0].trim().toUpperCase()
    if (v === 'DENY' || v === 'SAMEORIGIN') return {result: 'x-frame-options', value: v}
    return {result: 'invalid', value: xfo[0]}
  }
  if (frameAncestors) return {result: 'invalid', value: frameAncestors.join(' ')}
  return {result: 'missing'}
}

export function analyzeNosniff(values: string[] | undefined): NosniffResult {
  if (!values) return 'missing'
  return values[0].trim().toLowerCase() === 'nosniff' ? 'nosniff' : 'invalid'
}

const KNOWN_REFERRER = ['no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin', 'unsafe-url']

/**
 * Referrer-Policy: a comma list; the last token a browser knows applies. `meta` holds the content
 * of <meta name="referrer"> tags, which set the policy too (after the header).
 */
export function analyzeReferrer(values: string[] | undefined, allowed: string[], meta: string[] = []): {result: ReferrerResult; policy?: string; fromMeta?: boolean} {
  const all = [...(values ?? []), ...meta]
  if (all.length === 0) return {result: 'missing'}
  const fromMeta = meta.length > 0
  const r = referrerOf(all, allowed)
  return fromMeta ? {...r, fromMeta} : r
}

function referrerOf(values: string[], allowed: string[]): {result: ReferrerResult; policy?: string} {
  const tokens = values.join(',').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean)
  const known = tokens.filter((t) => KNOWN_REFERRER.includes(t))
  const policy = known[known.length - 1]
  if (!policy) return {result: 'invalid', policy: tokens.join(', ')}
  return {result: allowed.includes(policy) ? 'private' : 'unsafe', policy}
}

/** Headers that name a product with a version (nginx/1.18.0, PHP/8.1.2, X-AspNet-Version: 4.0.30319). */
export function revealingHeaders(headers: Record<string, string[]>, names: string[]): Array<{header: string; value: string}> {
  const out: Array<{header: string; value: string}> = []
  for (const n of names) {
    for (const v of headers[n.toLowerCase()] ?? []) {
      if (/\d+\.\d+/.test(v) || /\/\s*v?\d/i.test(v) || /^\s*v?\d+\s*$/i.test(v)) out.push({header: n, value: v.slice(0, 200)})
    }
  }
  return out
}

const token = (values: string[] | undefined): string | null | undefined => {
  if (!values) return undefined
  if (values.length > 1) return null
  return values[0].slice(0, 1024).trim().toLowerCase().replace(/;.*$/, '').trim()
}

/** Cross-Origin-Resource-Policy (Fetch §3.7). Two headers, or an unknown value, are invalid. */
export function analyzeCorp(values: string[] | undefined): CorpResult {
  const v = token(values)
  if (v === undefined) return 'missing'
  return v === 'same-origin' || v === 'same-site' || v === 'cross-origin' ? v : 'invalid'
}

/** Cross-Origin-Opener-Policy (HTML §7.1.3). Two headers, or an unknown value, are invalid. */
export function analyzeCoop(values: string[] | undefined): CoopResult {
  const v = token(values)
  if (v === undefined) return 'missing'
  return v === 'same-origin' || v === 'same-origin-allow-popups' || v === 'noopener-allow-popups' || v === 'unsafe-none' ? v : 'invalid'
}

export interface CookieFacts {
  name: string
  secure: boolean
  httpOnly: boolean
  sameSite: string | null
  /** Where it was set: a response URL, or "script" at a page URL. */
  url: string
  byScript?: boolean
}

/** What is missing from one cookie (SEC-008): Secure, HttpOnly, a valid SameSite (None needs Secure). */
export function cookieProblems(c: CookieFacts): string[] {
  const out: string[] = []
  if (!c.secure) out.push('Secure')
  if (!c.httpOnly) out.push('HttpOnly')
  const ss = c.sameSite?.toLowerCase()
  if (!ss || !['strict', 'lax', 'none'].includes(ss)) out.push('SameSite')
  else if (ss === 'none' && !c.secure) out.push('SameSite=None requires Secure')
  return out
}

/** The worst cookie result for the grade (ranked from best to worst). */
export function cookieGrade(cookies: CookieFacts[], hstsOk: boolean): CookieResult | 'none' {
  if (cookies.length === 0) return 'none'
  const rank: CookieResult[] = ['all-flags', 'no-samesite', 'no-secure-hsts', 'no-httponly', 'no-secure']
  let worst = 0
  for (const c of cookies) {
    const p = cookieProblems(c)
    const results: CookieResult[] = []
    if (p.includes('Secure')) results.push(hstsOk ? 'no-secure-hsts' : 'no-secure')
    if (p.includes('HttpOnly')) results.push('no-httponly')
    if (p.some((x) => x.startsWith('SameSite'))) results.push('no-samesite')
    for (const r of results) worst = Math.max(worst, rank.indexOf(r))
  }
  return rank[worst]
}

/** Parses a Set-Cookie line (as the page session saw it) into facts. */
export function cookieFromHeader(line: string, url: string): CookieFacts {
  const parts = line.split(';').map((p) => p.trim())
  const head = parts.shift() ?? ''
  const eq = head.indexOf('=')
  const facts: CookieFacts = {name: (eq >= 0 ? head.slice(0, eq) : head).trim().slice(0, 200), secure: false, httpOnly: false, sameSite: null, url}
  for (const p of parts) {
    const i = p.indexOf('=')
    const key = (i >= 0 ? p.slice(0, i) : p).trim().toLowerCase()
    if (key === 'secure') facts.secure = true
    else if (key === 'httponly') facts.httpOnly = true
    else if (key === 'samesite') facts.sameSite = (i >= 0 ? p.slice(i + 1) : '').trim()
  }
  return facts
}

/** "host" or "host:port" (brackets kept off IPv6 hosts); port null when absent. */
function splitAuthority(s: string): {host: string; port: string | null} {
  const v = s.trim().toLowerCase()
  const six = /^\[([^\]]+)\](?::(\d+))?$/.exec(v)
  if (six) return {host: six[1], port: six[2] ?? null}
  const m = /^([^:]+):(\d+)$/.exec(v)
  if (m) return {host: m[1], port: m[2]}
  return {host: v, port: null}
}

/** Normalises a declared host: a URL, host:port, a leading "*." or a trailing dot are accepted. */
function normalizePattern(pattern: string): string {
  let p = pattern.trim().toLowerCase()
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(p)) {
    try {
      p = new URL(p).host
    } catch {
      // keep as written
    }
  }
  return p.replace(/^\*\./, '').replace(/\.(?=(:\d+)?$)/, '')
}

/**
 * Whether an authority ("host" or "host:port", port only when not the scheme's default) matches a
 * pattern: the same host or a subdomain of it; a pattern with a port matches only that port; a
 * pattern without one matches any port when `anyPort` (declarations), else only default ports
 * (the app's own hosts: 127.0.0.1:8443 is not the same site as 127.0.0.1:9443).
 */
export function authorityMatches(label: string, pattern: string, anyPort: boolean): boolean {
  const a = splitAuthority(label.replace(/\.$/, ''))
  const p = splitAuthority(normalizePattern(pattern))
  if (!p.host) return false
  if (!(a.host === p.host || a.host.endsWith('.' + p.host))) return false
  if (p.port === null) return anyPort || a.port === null
  return a.port === p.port
}

/** Host matching used for declared third-party hosts: a host matches itself and its subdomains (any port unless one is declared). */
export function hostMatches(host: string, pattern: string): boolean {
  return authorityMatches(host, pattern, true)
}
