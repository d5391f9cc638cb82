// Transport and header rules SEC-001 … SEC-009: HTTPS and certificates, TLS versions, HSTS, CSP,
// nosniff, framing, referrer policy, cookies and revealing server headers, over the `http` artifact.
import type {AuditContext, CheckFn, RawFinding} from '../../core/types.js'
import type {HttpTarget, TlsReport} from '../../artifacts/http.js'
import {t, type MessageKey} from '../../lib/i18n/index.js'
import {allCookies, answered, arr, cookiesDropped, facts, hostOf, isDocumentTarget, isHtml, obj, originOf} from './facts.js'
import {analyzeCsp, analyzeFraming, analyzeHsts, analyzeNosniff, analyzeReferrer, cookieProblems, first, revealingHeaders} from './headers.js'
import {at, error, fail, fetchError, na, noTargets, pass} from './common.js'

// ---------------------------------------------------------------- SEC-001 HTTPS, certificate, redirect

const CERT_MESSAGES: Record<string, MessageKey> = {
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

export const https: CheckFn = (ctx) => {
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

export const tlsVersions: CheckFn = (ctx) => {
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

export const hsts: CheckFn = (ctx) => {
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

/** The CSP a document enforces: its headers and its <meta http-equiv> tags. */
export const cspOf = (tg: HttpTarget, h: Record<string, string[]>) => analyzeCsp(first(h, 'content-security-policy'), Array.isArray(tg.meta?.csp) ? tg.meta!.csp.map(String) : [])

export const csp: CheckFn = (ctx) =>
  perTarget(ctx, documentTarget, (tg, h) => {
    const url = tg.fetch.finalUrl
    const r = cspOf(tg, h)
    const loc = at(url)
    const from = r.source === 'meta' ? ' ' + t(ctx.lang, 'SEC-004.fromMeta') : r.source === 'both' ? ' ' + t(ctx.lang, 'SEC-004.fromBoth') : ''
    const details = {key: url, result: r.result, ...(r.source ? {source: r.source} : {})}
    switch (r.result) {
      case 'missing':
        return fail(t(ctx.lang, 'SEC-004.missing', {url}) + (first(h, 'content-security-policy-report-only') ? ' ' + t(ctx.lang, 'SEC-004.reportOnly') : '') + truncatedNote(ctx, tg), loc, details)
      case 'invalid':
        return fail(t(ctx.lang, 'SEC-004.invalid', {url}) + from, loc, details)
      case 'no-script-restriction':
        return fail(t(ctx.lang, 'SEC-004.noScriptSrc', {url}) + from, loc, details)
      case 'unsafe-inline':
        return fail(t(ctx.lang, 'SEC-004.unsafeInline', {url}) + from, loc, details)
      case 'any-source':
        return fail(t(ctx.lang, 'SEC-004.anySource', {url, source: r.offending ?? '*'}) + from, loc, details)
      case 'unsafe-eval':
        return fail(t(ctx.lang, 'SEC-004.unsafeEval', {url}) + from, loc, details)
      case 'insecure-scheme':
        return fail(t(ctx.lang, 'SEC-004.insecureScheme', {url}) + from, loc, details)
      default:
        return pass(t(ctx.lang, 'SEC-004.pass', {url}) + from, loc, {result: r.result, ...(r.source ? {source: r.source} : {})})
    }
  })

export const nosniff: CheckFn = (ctx) =>
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

export const framing: CheckFn = (ctx) =>
  perTarget(ctx, documentTarget, (tg, h) => {
    const url = tg.fetch.finalUrl
    const c = cspOf(tg, h)
    const r = analyzeFraming(first(h, 'x-frame-options'), c.frameAncestors)
    if (r.result === 'frame-ancestors' || r.result === 'x-frame-options') return pass(t(ctx.lang, 'SEC-006.pass', {url, how: r.result === 'frame-ancestors' ? `frame-ancestors ${r.value}` : `X-Frame-Options: ${r.value}`}), at(url))
    if (r.result === 'invalid') return fail(t(ctx.lang, 'SEC-006.invalid', {url, value: r.value ?? ''}), at(url), {key: url})
    return fail(t(ctx.lang, 'SEC-006.missing', {url}) + truncatedNote(ctx, tg), at(url), {key: url})
  })

/** The policy browsers apply when a document sets none. */
const DEFAULT_REFERRER = 'strict-origin-when-cross-origin'

export const referrer: CheckFn = (ctx) => {
  const allowed = ((ctx.params.allowed as string[]) ?? ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']).map((s) => s.toLowerCase())
  return perTarget(ctx, documentTarget, (tg, h) => {
    const url = tg.fetch.finalUrl
    const r = analyzeReferrer(first(h, 'referrer-policy'), allowed, Array.isArray(tg.meta?.referrer) ? tg.meta!.referrer.map(String) : [])
    const from = r.fromMeta ? ' ' + t(ctx.lang, 'SEC-007.fromMeta') : ''
    if (r.result === 'private') return pass(t(ctx.lang, 'SEC-007.pass', {url, policy: r.policy}) + from, at(url))
    // No policy at all: browsers use strict-origin-when-cross-origin (Referrer Policy §3, Fetch), which may be allowed.
    if (r.result === 'missing' && allowed.includes(DEFAULT_REFERRER)) return pass(t(ctx.lang, 'SEC-007.default', {url, policy: DEFAULT_REFERRER}), at(url), {policy: DEFAULT_REFERRER, default: true})
    if (r.result === 'missing') return fail(t(ctx.lang, 'SEC-007.missing', {url, allowed: allowed.join(', ')}) + truncatedNote(ctx, tg), at(url), {key: url})
    return fail(t(ctx.lang, 'SEC-007.weak', {url, policy: r.policy ?? '', allowed: allowed.join(', ')}) + from, at(url), {key: url})
  })
}

export const cookies: CheckFn = (ctx) => {
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

export const serverVersion: CheckFn = (ctx) => {
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
