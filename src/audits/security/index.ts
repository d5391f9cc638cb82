// Security and personal-information rules SEC-001 … SEC-018: pure functions over the `http`
// artifact (TLS, headers, cookies, redirects, exposed files), the page session's `security`
// probe (requests, mixed content, scripts, script cookies, permissions, page text) and the manifest.
//
// First-party hosts are the hosts of the app's own URLs (entry, elder entry, privacy policy, health,
// contract servers, --url/--elder-url/--api-base, and every hop of their redirects). A host matches
// a first-party or declared third-party host when it is that host or one of its subdomains:
// declaring `map.example.com` covers `a.map.example.com` but not `example.com`.
import type {AuditContext, CategoryModule, CheckFn, Location, RawFinding} from '../../core/types.js'
import type {HttpTarget, TlsReport} from '../../gather/http.js'
import {t} from '../../lib/i18n/index.js'
import {DEFAULT_PII_KINDS, findPii, findPiiInUrl, maskUrl, type PiiHit, type PiiKind} from '../../lib/pii.js'
import {allCookies, answered, arr, authorityOf, cookiesDropped, facts, hostOf, isDocumentTarget, isFirstParty, isHtml, obj, originOf, str, type Facts} from './facts.js'
import {analyzeCsp, analyzeFraming, analyzeHsts, analyzeNosniff, analyzeReferrer, cookieProblems, first, hostMatches, revealingHeaders} from './headers.js'
import {computeGrade, gradeRank, mixedContent, readTable, thirdPartyScripts} from './grade.js'

export const requires = ['http', 'page', 'security']

const pass = (message: string, location?: Location, details?: Record<string, unknown>): RawFinding => ({status: 'pass', message, ...(location ? {location} : {}), ...(details ? {details} : {})})
const fail = (message: string, location?: Location, details?: Record<string, unknown>): RawFinding => ({status: 'fail', message, ...(location ? {location} : {}), ...(details ? {details} : {})})
const error = (message: string, location?: Location): RawFinding => ({status: 'error', message, ...(location ? {location} : {})})
const na = (message: string, location?: Location): RawFinding => ({status: 'not-applicable', message, ...(location ? {location} : {})})
const at = (url: string): Location => ({url})

const list = (xs: string[], n = 5) => xs.slice(0, n).join(', ') + (xs.length > n ? ` (+${xs.length - n})` : '')

/** When there is nothing the collector could even try (no manifest URL and no --url). */
function noTargets(ctx: AuditContext, f: Facts): RawFinding[] | null {
  if (!f.http) return [error(t(ctx.lang, 'SEC.noHttp'))]
  if (f.targets.length === 0) return [na(t(ctx.lang, 'SEC.noTargets'))]
  return null
}

function fetchError(ctx: AuditContext, tg: HttpTarget): RawFinding {
  return error(t(ctx.lang, 'SEC.fetchError', {url: tg.url, detail: tg.fetch.error?.message ?? '?'}), at(tg.url))
}

// ---------------------------------------------------------------- SEC-001 HTTPS, certificate, redirect

const CERT_MESSAGES: Record<string, string> = {
  CERT_HAS_EXPIRED: 'SEC-001.cert.expired',
  CERT_NOT_YET_VALID: 'SEC-001.cert.notYetValid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'SEC-001.cert.selfSigned',
  SELF_SIGNED_CERT_IN_CHAIN: 'SEC-001.cert.selfSignedChain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'SEC-001.cert.untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'SEC-001.cert.untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'SEC-001.cert.untrusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'SEC-001.cert.name',
  CERT_REVOKED: 'SEC-001.cert.other',
}

/** Why a TLS origin fails SEC-001, or null when its certificate verified. */
function tlsProblem(ctx: AuditContext, r: TlsReport | undefined): {status: 'fail' | 'error'; message: string} | null {
  if (!r) return null
  const leaf = arr(r.chain)[0]
  if (r.error) {
    const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(r.error.code)
    return {status: unreachable ? 'error' : 'fail', message: t(ctx.lang, unreachable ? 'SEC-001.tls.unreachable' : 'SEC-001.tls.handshake', {origin: r.origin, detail: r.error.message})}
  }
  if (r.verify?.ok && r.verify.authorized) return null
  if (!r.verify?.ok) return {status: 'fail', message: t(ctx.lang, 'SEC-001.tls.handshake', {origin: r.origin, detail: 'no handshake with default settings'})}
  const code = r.verify.error ?? 'UNKNOWN'
  const key = CERT_MESSAGES[code] ?? 'SEC-001.cert.other'
  return {status: 'fail', message: t(ctx.lang, key, {origin: r.origin, code, validTo: leaf?.validTo ?? '?', validFrom: leaf?.validFrom ?? '?', subject: leaf?.subject ?? '?', issuer: leaf?.issuer ?? '?', host: r.host})}
}

const https: CheckFn = (ctx) => {
  const f = facts(ctx)
  const early = noTargets(ctx, f)
  if (early) return early
  const out: RawFinding[] = []
  const done = new Set<string>()
  for (const tg of f.targets) {
    if (done.has(tg.url)) continue
    done.add(tg.url)
    const finalUrl = tg.fetch.finalUrl ?? tg.url
    const origin = originOf(finalUrl.startsWith('https:') ? finalUrl : tg.url)
    const problem = tlsProblem(ctx, f.tls.find((r) => r.origin === origin))
    if (problem) {
      out.push({status: problem.status, message: `${tg.url}: ${problem.message}`, location: at(tg.url), details: {key: `tls ${tg.url}`}})
      continue
    }
    if (tg.fetch.error) {
      out.push(fetchError(ctx, tg))
      continue
    }
    if (!finalUrl.startsWith('https:')) {
      out.push(fail(t(ctx.lang, 'SEC-001.plain', {url: tg.url, final: finalUrl}), at(tg.url), {key: `plain ${tg.url}`}))
      continue
    }
    // Every hop of a redirect chain that stays on http is plain transport too (except a first http:// hop that goes to https).
    const insecureHop = arr(tg.fetch.chain)
      .slice(1)
      .find((h) => typeof h?.url === 'string' && h.url.startsWith('http:'))
    if (insecureHop) {
      out.push(fail(t(ctx.lang, 'SEC-001.hop', {url: tg.url, hop: insecureHop.url}), at(tg.url), {key: `hop ${tg.url}`}))
      continue
    }
    out.push(pass(t(ctx.lang, 'SEC-001.pass', {url: tg.url}), at(tg.url)))
  }
  for (const r of f.http?.redirects ?? []) {
    const loc = at(r.httpUrl ?? r.url)
    if (r.result === 'https') out.push(pass(t(ctx.lang, 'SEC-001.redirect.ok', {from: r.httpUrl ?? r.url, to: r.location ?? ''}), loc))
    else if (r.result === 'no-http') out.push(pass(t(ctx.lang, 'SEC-001.redirect.noHttp', {from: r.httpUrl ?? r.url}), loc))
    else if (r.result === 'not-applicable') out.push(na(t(ctx.lang, 'SEC-001.redirect.na', {url: r.url, detail: r.detail ?? ''})))
    else if (r.result === 'no-redirect') out.push(fail(t(ctx.lang, 'SEC-001.redirect.missing', {from: r.httpUrl ?? r.url, status: r.status ?? '?'}), loc, {key: `redirect ${r.url}`}))
    else if (r.result === 'not-https') out.push(fail(t(ctx.lang, 'SEC-001.redirect.notHttps', {from: r.httpUrl ?? r.url, to: r.location ?? '?'}), loc, {key: `redirect ${r.url}`}))
    else out.push(error(t(ctx.lang, 'SEC-001.redirect.error', {from: r.httpUrl ?? r.url, detail: r.detail ?? ''}), loc))
  }
  // Pages the browser ended up on over plain http.
  for (const p of f.pages) {
    const final = String(p.visit.finalUrl ?? p.sec.finalUrl ?? p.visit.url)
    if (final.startsWith('http:') && !out.some((o) => o.location?.url === p.visit.url && o.status === 'fail')) {
      out.push(fail(t(ctx.lang, 'SEC-001.plain', {url: p.visit.url, final}), at(p.visit.url), {key: `plain ${p.visit.url}`}))
    }
  }
  return out
}

// ---------------------------------------------------------------- SEC-002 TLS versions

const tlsVersions: CheckFn = (ctx) => {
  const f = facts(ctx)
  const early = noTargets(ctx, f)
  if (early) return early
  if (f.tls.length === 0) return [na(t(ctx.lang, 'SEC-002.none'))]
  const forbidden = ((ctx.params.forbidden as string[]) ?? ['TLSv1', 'TLSv1.1']).map(String)
  const required = ((ctx.params.modern as string[]) ?? ['TLSv1.2', 'TLSv1.3']).map(String)
  const out: RawFinding[] = []
  for (const r of f.tls) {
    const loc = at(r.origin)
    if (r.error) {
      out.push(error(t(ctx.lang, 'SEC-002.error', {origin: r.origin, detail: r.error.message}), loc))
      continue
    }
    const v = obj(r.versions) ?? {}
    const accepted = Object.keys(v).filter((k) => v[k] === 'accepted')
    const bad = forbidden.filter((x) => v[x] === 'accepted')
    if (bad.length) {
      out.push(fail(t(ctx.lang, 'SEC-002.old', {origin: r.origin, versions: bad.join(', '), accepted: accepted.join(', ')}), loc, {key: r.origin, accepted}))
      continue
    }
    const unknown = forbidden.filter((x) => v[x] === undefined)
    if (unknown.length) {
      out.push(error(t(ctx.lang, 'SEC-002.unknown', {origin: r.origin, versions: unknown.join(', ')}), loc))
      continue
    }
    if (!required.some((x) => v[x] === 'accepted')) {
      out.push(fail(t(ctx.lang, 'SEC-002.noModern', {origin: r.origin}), loc, {key: r.origin}))
      continue
    }
    out.push(pass(t(ctx.lang, 'SEC-002.pass', {origin: r.origin, accepted: accepted.join(', ')}), loc, {accepted}))
  }
  return out
}

// ---------------------------------------------------------------- header rules

type HeaderJudge = (tg: HttpTarget, h: Record<string, string[]>) => RawFinding

/** Runs a header judgement on every answered target the rule applies to; errors for targets that never answered. */
function perTarget(ctx: AuditContext, applies: (tg: HttpTarget) => boolean, judge: HeaderJudge): RawFinding[] {
  const f = facts(ctx)
  const early = noTargets(ctx, f)
  if (early) return early
  const out: RawFinding[] = []
  const seen = new Set<string>()
  for (const tg of f.targets) {
    if (!tg.fetch.error || !applies(tg) || seen.has(tg.url)) continue
    seen.add(tg.url)
    out.push(fetchError(ctx, tg))
  }
  for (const tg of answered(f.targets)) if (applies(tg)) out.push(judge(tg, tg.fetch.headers ?? {}))
  if (out.length === 0) return [na(t(ctx.lang, 'SEC.noDocuments'))]
  return out
}

const truncatedNote = (ctx: AuditContext, tg: HttpTarget) => (tg.fetch.headersTruncated ? ' ' + t(ctx.lang, 'SEC.headersTruncated') : '')

const hsts: CheckFn = (ctx) => {
  const min = Number(ctx.params.minMaxAge ?? 15552000)
  return perTarget(
    ctx,
    () => true,
    (tg, h) => {
      const url = tg.fetch.finalUrl
      const r = analyzeHsts(first(h, 'strict-transport-security'), url.startsWith('https:'), min)
      const loc = at(url)
      if (r.result === 'ok') return pass(t(ctx.lang, 'SEC-003.pass', {url, maxAge: r.maxAge}), loc)
      if (r.result === 'short') return fail(t(ctx.lang, 'SEC-003.short', {url, maxAge: r.maxAge, min}), loc, {key: url})
      if (r.result === 'no-https') return fail(t(ctx.lang, 'SEC-003.noHttps', {url}), loc, {key: url})
      if (r.result === 'invalid') return fail(t(ctx.lang, 'SEC-003.invalid', {url, value: first(h, 'strict-transport-security')?.[0] ?? ''}), loc, {key: url})
      return fail(t(ctx.lang, 'SEC-003.missing', {url, min}) + truncatedNote(ctx, tg), loc, {key: url})
    },
  )
}

const documentTarget = (tg: HttpTarget) => isDocumentTarget(tg) && (isHtml(tg) || !tg.fetch.contentType)

const csp: CheckFn = (ctx) =>
  perTarget(ctx, documentTarget, (tg, h) => {
    const url = tg.fetch.finalUrl
    const r = analyzeCsp(first(h, 'content-security-policy'))
    const loc = at(url)
    switch (r.result) {
      case 'missing':
        return fail(t(ctx.lang, 'SEC-004.missing', {url}) + (first(h, 'content-security-policy-report-only') ? ' ' + t(ctx.lang, 'SEC-004.reportOnly') : '') + truncatedNote(ctx, tg), loc, {key: url})
      case 'invalid':
        return fail(t(ctx.lang, 'SEC-004.invalid', {url}), loc, {key: url})
      case 'no-script-restriction':
        return fail(t(ctx.lang, 'SEC-004.noScriptSrc', {url}), loc, {key: url})
      case 'unsafe-inline':
        return fail(t(ctx.lang, 'SEC-004.unsafeInline', {url}), loc, {key: url})
      case 'unsafe-eval':
        return fail(t(ctx.lang, 'SEC-004.unsafeEval', {url}), loc, {key: url})
      default:
        return pass(t(ctx.lang, 'SEC-004.pass', {url}), loc, {result: r.result})
    }
  })

const nosniff: CheckFn = (ctx) =>
  perTarget(
    ctx,
    () => true,
    (tg, h) => {
      const url = tg.fetch.finalUrl
      const r = analyzeNosniff(first(h, 'x-content-type-options'))
      if (r === 'nosniff') return pass(t(ctx.lang, 'SEC-005.pass', {url}), at(url))
      if (r === 'invalid') return fail(t(ctx.lang, 'SEC-005.invalid', {url, value: first(h, 'x-content-type-options')?.[0] ?? ''}), at(url), {key: url})
      return fail(t(ctx.lang, 'SEC-005.missing', {url}) + truncatedNote(ctx, tg), at(url), {key: url})
    },
  )

const framing: CheckFn = (ctx) =>
  perTarget(ctx, documentTarget, (tg, h) => {
    const url = tg.fetch.finalUrl
    const c = analyzeCsp(first(h, 'content-security-policy'))
    const r = analyzeFraming(first(h, 'x-frame-options'), c.frameAncestors)
    if (r.result === 'frame-ancestors' || r.result === 'x-frame-options') return pass(t(ctx.lang, 'SEC-006.pass', {url, how: r.result === 'frame-ancestors' ? `frame-ancestors ${r.value}` : `X-Frame-Options: ${r.value}`}), at(url))
    if (r.result === 'invalid') return fail(t(ctx.lang, 'SEC-006.invalid', {url, value: r.value ?? ''}), at(url), {key: url})
    return fail(t(ctx.lang, 'SEC-006.missing', {url}) + truncatedNote(ctx, tg), at(url), {key: url})
  })

const referrer: CheckFn = (ctx) => {
  const allowed = ((ctx.params.allowed as string[]) ?? ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']).map((s) => s.toLowerCase())
  return perTarget(ctx, documentTarget, (tg, h) => {
    const url = tg.fetch.finalUrl
    const r = analyzeReferrer(first(h, 'referrer-policy'), allowed)
    if (r.result === 'private') return pass(t(ctx.lang, 'SEC-007.pass', {url, policy: r.policy}), at(url))
    if (r.result === 'missing') return fail(t(ctx.lang, 'SEC-007.missing', {url, allowed: allowed.join(', ')}) + truncatedNote(ctx, tg), at(url), {key: url})
    return fail(t(ctx.lang, 'SEC-007.weak', {url, policy: r.policy ?? '', allowed: allowed.join(', ')}), at(url), {key: url})
  })
}

const cookies: CheckFn = (ctx) => {
  const f = facts(ctx)
  const early = noTargets(ctx, f)
  if (early) return early
  const all = allCookies(f)
  const {total, dropped} = cookiesDropped(f)
  if (all.length === 0) return [pass(t(ctx.lang, 'SEC-008.none'))]
  const out: RawFinding[] = []
  const maxFindings = Number(ctx.params.maxFindings ?? 50)
  let bad = 0
  for (const c of all) {
    const problems = cookieProblems(c)
    if (problems.length === 0) continue
    bad++
    if (out.length < maxFindings) {
      const key = c.byScript ? 'SEC-008.script' : 'SEC-008.fail'
      out.push(fail(t(ctx.lang, key, {name: c.name, url: c.url, missing: problems.join(', ')}), at(c.url), {key: `${c.byScript ? 'script ' : ''}${c.name} ${hostOf(c.url)}`}))
    }
  }
  if (bad > out.length) out.push(fail(t(ctx.lang, 'SEC-008.more', {count: bad - out.length}), undefined, {key: 'more'}))
  const examined = all.length
  if (dropped > 0) out.push({status: bad ? 'fail' : 'error', message: t(ctx.lang, 'SEC-008.capped', {total, examined: total - dropped}), details: {key: 'capped'}})
  if (bad === 0 && out.length === 0) out.push(pass(t(ctx.lang, 'SEC-008.pass', {count: examined})))
  return out
}

const serverVersion: CheckFn = (ctx) => {
  const names = ((ctx.params.headers as string[]) ?? ['server', 'x-powered-by']).map((n) => n.toLowerCase())
  return perTarget(
    ctx,
    () => true,
    (tg, h) => {
      const url = tg.fetch.finalUrl
      const found = revealingHeaders(h, names)
      if (found.length === 0) return pass(t(ctx.lang, 'SEC-009.pass', {url}), at(url))
      return fail(t(ctx.lang, 'SEC-009.fail', {url, headers: found.map((x) => `${x.header}: ${x.value}`).join('; ')}), at(url), {key: url})
    },
  )
}

// ---------------------------------------------------------------- page rules

function pagesOrError(ctx: AuditContext, f: Facts): RawFinding[] | null {
  if (f.pages.length > 0) return null
  if (f.brokenPages.length) return f.brokenPages.slice(0, 5).map((b) => error(t(ctx.lang, 'SEC.pageBroken', {url: b.url, reason: b.reason}), at(b.url)))
  // Only skipped pages: their notes (added by onPages) are the whole answer.
  if (f.skippedPages.length) return []
  return [na(t(ctx.lang, 'SEC.noPages'))]
}

/**
 * A rule over the pages the browser visited. A page it skipped on purpose (behind a login with no
 * bootstrap, or redirected to the identity provider) was not judged: each such rule says so for
 * that page, as the a11y, elder and perf rules do, instead of passing without having seen it.
 */
const onPages =
  (check: CheckFn): CheckFn =>
  (ctx) => {
    const out = check(ctx)
    for (const s of facts(ctx).skippedPages) out.push(na(s.reason, at(s.url)))
    return out
  }

const mixed: CheckFn = onPages((ctx) => {
  const f = facts(ctx)
  const early = pagesOrError(ctx, f)
  if (early) return early
  const out: RawFinding[] = []
  for (const p of f.pages) {
    const final = String(p.visit.finalUrl ?? p.sec.finalUrl ?? p.visit.url)
    if (!final.startsWith('https:')) {
      out.push(na(t(ctx.lang, 'SEC-010.na', {url: p.visit.url})))
      continue
    }
    const m = mixedContent(p)
    const urls = [...m.active, ...m.passive]
    if (urls.length === 0) out.push(pass(t(ctx.lang, 'SEC-010.pass', {url: p.visit.url}), at(p.visit.url)))
    else out.push(fail(t(ctx.lang, 'SEC-010.fail', {url: p.visit.url, count: urls.length, list: list(urls)}), at(p.visit.url), {key: p.visit.url, active: m.active.slice(0, 50), passive: m.passive.slice(0, 50)}))
  }
  return out
})

const sri: CheckFn = onPages((ctx) => {
  const f = facts(ctx)
  const early = pagesOrError(ctx, f)
  if (early) return early
  const third = thirdPartyScripts(f)
  if (third.length === 0) return [pass(t(ctx.lang, 'SEC-011.none'))]
  const out: RawFinding[] = []
  for (const s of third) {
    if (s.integrity) out.push(pass(t(ctx.lang, 'SEC-011.pass', {src: s.src}), {url: s.page, selector: `script[src="${s.src}"]`}))
    else out.push(fail(t(ctx.lang, 'SEC-011.fail', {src: s.src, page: s.page}), {url: s.page, selector: `script[src="${s.src}"]`}, {key: s.src}))
  }
  return out
})

/** Every third-party host (host:port when the port is not the default) the pages loaded or called, with one example URL. */
function thirdPartyHosts(f: Facts): Map<string, string> {
  const out = new Map<string, string>()
  const add = (url: string) => {
    if (!/^(https?|wss?):/i.test(url)) return
    const host = authorityOf(url)
    if (!host || isFirstParty(url, f) || out.has(host)) return
    out.set(host, url)
  }
  for (const p of f.pages) {
    for (const r of p.sec.requests) if (typeof r?.url === 'string') add(r.url)
    for (const c of p.sec.scriptCalls) if (typeof c?.url === 'string') add(c.url)
    for (const e of p.sec.insecureElements) if (typeof e?.url === 'string' && e.tag !== 'form') add(e.url)
  }
  return out
}

const thirdParties: CheckFn = onPages((ctx) => {
  const f = facts(ctx)
  const early = pagesOrError(ctx, f)
  if (early) return early
  const hosts = thirdPartyHosts(f)
  if (hosts.size === 0) return [pass(t(ctx.lang, 'SEC-012.none'))]
  if (!f.manifest) return [na(t(ctx.lang, 'SEC-012.noManifest', {count: hosts.size, hosts: list([...hosts.keys()])}))]
  const allow = [...f.declared, ...((ctx.params.allowHosts as string[]) ?? [])]
  const out: RawFinding[] = []
  for (const [host, example] of hosts) {
    const match = allow.find((d) => hostMatches(host, d))
    if (match) out.push(pass(t(ctx.lang, 'SEC-012.pass', {host, declared: match}), at(example)))
    else out.push(fail(t(ctx.lang, 'SEC-012.fail', {host, example}), {url: example}, {key: host, host}))
  }
  return out
})

function piiKinds(params: Record<string, unknown>): PiiKind[] {
  const k = params.detect
  return Array.isArray(k) ? (k.filter((x) => x === 'idNumber' || x === 'mobile' || x === 'bankCard') as PiiKind[]) : DEFAULT_PII_KINDS
}

/** Published contact numbers of the department (owner/operator contact.phone) are not personal information. */
function allowedNumbers(f: Facts, params: Record<string, unknown>): string[] {
  if (params.allowDeclaredContacts === false) return []
  const out: string[] = []
  for (const s of ['owner', 'operator']) {
    const phone = str(obj(obj(f.manifest?.[s])?.contact)?.phone)
    if (phone) out.push(phone.replace(/^(\+86|0086)/, '').replace(/\D/g, ''))
  }
  return out
}

const summarizeHits = (hits: PiiHit[]) => {
  const id = hits.filter((h) => h.kind === 'idNumber').length
  const mobile = hits.filter((h) => h.kind === 'mobile').length
  const bank = hits.filter((h) => h.kind === 'bankCard').length
  const samples = [...new Set(hits.map((h) => h.masked))].slice(0, 3).join(', ')
  return {id, mobile, bank, samples}
}

const piiInContent: CheckFn = onPages((ctx) => {
  const f = facts(ctx)
  const kinds = piiKinds(ctx.params)
  const allow = allowedNumbers(f, ctx.params)
  const out: RawFinding[] = []
  const scan = (rawWhere: string, what: string, text: string) => {
    const where = maskUrl(rawWhere, {kinds, allow})
    const hits = findPii(text, {kinds, allow, maxHits: 200})
    if (hits.length === 0) return false
    const s = summarizeHits(hits)
    out.push(fail(t(ctx.lang, 'SEC-013.fail', {url: where, what: t(ctx.lang, `SEC-013.${what}`), ...s}), at(where), {key: `${what} ${where}`, counts: {idNumber: s.id, mobile: s.mobile, bankCard: s.bank}, samples: [...new Set(hits.map((h) => h.masked))].slice(0, 10)}))
    return true
  }
  let scanned = 0
  for (const p of f.pages) {
    scanned++
    const a = scan(p.visit.url, 'text', p.sec.text)
    const b = scan(p.visit.url, 'attributes', p.sec.attributes)
    let c = false
    for (const body of p.sec.apiBodies) if (typeof body?.text === 'string' && typeof body.url === 'string') c = scan(body.url, 'api', body.text) || c
    if (!a && !b && !c) out.push(pass(t(ctx.lang, 'SEC-013.pass', {url: maskUrl(p.visit.url, {kinds, allow})}) + (p.sec.truncated ? ' ' + t(ctx.lang, 'SEC-013.truncated') : ''), at(p.visit.url)))
  }
  for (const tg of f.targets) {
    if (typeof tg.fetch.bodyText !== 'string') continue
    scanned++
    const shown = maskUrl(tg.fetch.finalUrl, {kinds, allow})
    if (!scan(tg.fetch.finalUrl, 'api', tg.fetch.bodyText)) out.push(pass(t(ctx.lang, 'SEC-013.passApi', {url: shown}), at(shown)))
  }
  if (scanned === 0) return pagesOrError(ctx, f) ?? [na(t(ctx.lang, 'SEC.noPages'))]
  return out
})

const piiInUrls: CheckFn = onPages((ctx) => {
  const f = facts(ctx)
  const early = pagesOrError(ctx, f)
  if (early) return early
  const kinds = piiKinds(ctx.params)
  const allow = allowedNumbers(f, ctx.params)
  const max = Number(ctx.params.maxFindings ?? 20)
  const out: RawFinding[] = []
  const seen = new Set<string>()
  let more = 0
  let checked = 0
  for (const p of f.pages) {
    const urls = [p.visit.url, ...p.sec.requests.map((r) => r?.url), ...p.sec.scriptCalls.map((c) => c?.url)].filter((u): u is string => typeof u === 'string')
    for (const u of urls) {
      if (seen.has(u)) continue
      seen.add(u)
      checked++
      const hits = findPiiInUrl(u, {kinds, allow, maxHits: 20})
      if (hits.length === 0) continue
      if (out.length >= max) {
        more++
        continue
      }
      const shown = maskUrl(u, {kinds, allow})
      const parts = [...new Set(hits.map((h) => h.part))].join('+')
      out.push(fail(t(ctx.lang, 'SEC-014.fail', {url: shown.slice(0, 300), part: parts, samples: [...new Set(hits.map((h) => h.masked))].join(', ')}), at(shown), {key: shown.split('?')[0], part: parts}))
    }
  }
  if (more) out.push(fail(t(ctx.lang, 'SEC-014.more', {count: more}), undefined, {key: 'more'}))
  if (out.length === 0) out.push(pass(t(ctx.lang, 'SEC-014.pass', {count: checked})))
  return out
})

const sameDoc = (a: string, b: string) => {
  try {
    const x = new URL(a)
    const y = new URL(b)
    return x.origin === y.origin && x.pathname.replace(/\/index\.html?$/, '/') === y.pathname.replace(/\/index\.html?$/, '/') && x.search === y.search
  } catch {
    return false
  }
}

const privacyLink: CheckFn = (ctx) => {
  const f = facts(ctx)
  const textRe = new RegExp(String(ctx.params.linkText ?? '隐私|个人信息保护|privacy'), 'i')
  const entryPage = f.pages.find((p) => p.visit.role === 'entry')
  const entryTarget = f.targets.find((tg) => arr<string>(tg.roles).includes('entry'))
  if (!entryPage && (!entryTarget || entryTarget.fetch.error)) {
    return pagesOrError(ctx, f) ?? (entryTarget ? [fetchError(ctx, entryTarget)] : [na(t(ctx.lang, 'SEC.noTargets'))])
  }
  const entryUrl = entryPage?.visit.url ?? entryTarget!.url
  const links = [...(entryPage?.sec.links ?? []), ...arr<{href: string; text: string}>(entryTarget?.links)].filter((l) => typeof l?.href === 'string')
  const declaredTarget = f.targets.find((tg) => arr<string>(tg.roles).includes('privacy') && tg.source !== 'entry page link')
  const declared = declaredTarget?.url
  const loc = at(entryUrl)
  let linked: string | undefined
  if (declared) {
    linked = links.find((l) => sameDoc(l.href, declared) || (declaredTarget?.fetch.finalUrl && sameDoc(l.href, declaredTarget.fetch.finalUrl)))?.href
    if (!linked) {
      const other = links.find((l) => textRe.test(String(l.text ?? '')))
      return [fail(t(ctx.lang, other ? 'SEC-015.otherLink' : 'SEC-015.notLinked', {url: entryUrl, policy: declared, other: other?.href ?? ''}), loc, {key: 'link'})]
    }
  } else {
    linked = links.find((l) => textRe.test(String(l.text ?? '')) && /^https?:/.test(l.href))?.href
    if (!linked) return [fail(t(ctx.lang, f.manifest ? 'SEC-015.noPolicy' : 'SEC-015.noLink', {url: entryUrl}), loc, {key: 'link'})]
  }
  // Status: the collector's request, else the page session's visit of the privacy page.
  const target = f.targets.find((tg) => sameDoc(tg.url, linked!) || sameDoc(tg.fetch.finalUrl ?? '', linked!)) ?? declaredTarget
  const visit = f.pages.find((p) => p.visit.role === 'privacy')?.visit
  const status = target && !target.fetch.error ? target.fetch.status : visit?.status
  if (status === undefined) {
    const detail = target?.fetch.error?.message ?? 'not requested'
    return [error(t(ctx.lang, 'SEC-015.unknown', {policy: linked, detail}), at(linked))]
  }
  if (status !== 200) return [fail(t(ctx.lang, 'SEC-015.status', {policy: linked, status}), at(linked), {key: 'status'})]
  return [pass(t(ctx.lang, 'SEC-015.pass', {url: entryUrl, policy: linked}), loc)]
}

const exposedFiles: CheckFn = (ctx) => {
  const f = facts(ctx)
  const early = noTargets(ctx, f)
  if (early) return early
  const checks = f.http?.exposed.checks ?? []
  if (checks.length === 0) {
    const entry = f.targets.find((tg) => arr<string>(tg.roles).includes('entry'))
    if (entry?.fetch.error) return [fetchError(ctx, entry)]
    return [na(t(ctx.lang, 'SEC-016.na'))]
  }
  const out: RawFinding[] = []
  for (const c of checks) if (c?.exposed) out.push(fail(t(ctx.lang, 'SEC-016.fail', {url: c.url, kind: c.kind, reason: c.reason ?? ''}), at(c.url), {key: c.url}))
  const errored = checks.filter((c) => !c?.exposed && c?.error)
  if (out.length === 0) {
    if (errored.length === checks.length) return [error(t(ctx.lang, 'SEC-016.error', {detail: errored[0].error}))]
    out.push(pass(t(ctx.lang, 'SEC-016.pass', {count: checks.length - errored.length, origin: f.http?.exposed.origin ?? ''}) + (errored.length ? ' ' + t(ctx.lang, 'SEC-016.partial', {count: errored.length}) : '')))
  }
  return out
}

const PERMISSION_NAMES: Record<string, string> = {geolocation: 'location', camera: 'camera', microphone: 'microphone', notifications: 'notifications'}

const permissions: CheckFn = onPages((ctx) => {
  const f = facts(ctx)
  const early = pagesOrError(ctx, f)
  if (early) return early
  const asked = new Map<string, string>()
  for (const p of f.pages) for (const x of p.sec.permissions) if (typeof x?.kind === 'string' && !asked.has(x.kind)) asked.set(x.kind, String(x.at ?? p.visit.url))
  if (asked.size === 0) return [pass(t(ctx.lang, 'SEC-017.none'))]
  if (!f.manifest) return [na(t(ctx.lang, 'SEC-017.noManifest', {kinds: [...asked.keys()].join(', ')}))]
  const declared = arr(obj(f.manifest.privacy)?.permissions).map(String)
  const out: RawFinding[] = []
  for (const [kind, where] of asked) {
    const name = PERMISSION_NAMES[kind] ?? kind
    if (declared.includes(name)) out.push(pass(t(ctx.lang, 'SEC-017.pass', {kind, name}), at(where)))
    else out.push(fail(t(ctx.lang, 'SEC-017.fail', {kind, name, url: where}), at(where), {key: kind}))
  }
  return out
})

const grade: CheckFn = (ctx) => {
  const table = readTable(ctx.params)
  if (!table) return [error(t(ctx.lang, 'SEC-018.noTable'))]
  const g = computeGrade(ctx.artifacts, ctx.profile, ctx.options as unknown as Record<string, unknown>)
  if (!g) {
    const f = facts(ctx)
    const entry = f.targets.find((tg) => arr<string>(tg.roles).includes('entry'))
    if (entry?.fetch.error) return [fetchError(ctx, entry)]
    return [na(t(ctx.lang, 'SEC.noTargets'))]
  }
  const min = String(ctx.params.minGrade ?? 'B')
  const parts = g.tests.filter((x) => x.modifier !== 0).map((x) => `${x.test} ${x.result} ${x.modifier > 0 ? '+' : ''}${x.modifier}`)
  const message = t(ctx.lang, 'SEC-018.grade', {grade: g.grade, score: g.score, table: g.table, modifiers: parts.length ? parts.join('; ') : t(ctx.lang, 'SEC-018.noModifiers')})
  const details = {grade: g.grade, score: g.score, table: g.table, tests: g.tests}
  const ok = gradeRank(g.grade, table.grades) >= gradeRank(min, table.grades)
  return [ok ? pass(message, undefined, details) : fail(message + t(ctx.lang, 'SEC-018.below', {min}), undefined, {...details, key: 'grade'})]
}

const mod: CategoryModule = {
  requires,
  checks: {https, tlsVersions, hsts, csp, nosniff, framing, referrer, cookies, serverVersion, mixed, sri, thirdParties, piiInContent, piiInUrls, privacyLink, exposedFiles, permissions, grade},
}

export const checks = mod.checks
export default mod
