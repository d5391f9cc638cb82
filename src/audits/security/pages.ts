// Page rules SEC-010 … SEC-014 and SEC-017 over the page session's `security` probe: mixed content,
// subresource integrity, third parties, personal information in content and URLs, permissions.
import type {AuditContext, CheckFn, RawFinding} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {DEFAULT_PII_KINDS, findPii, findPiiInUrl, maskUrl, type PiiHit, type PiiKind} from '../../lib/pii.js'
import {arr, authorityOf, facts, isFirstParty, obj, str, type Facts} from './facts.js'
import {hostMatches} from './headers.js'
import {mixedContent, thirdPartyScripts} from './grade.js'
import {at, error, fail, list, na, pass} from './common.js'

// ---------------------------------------------------------------- page rules

export function pagesOrError(ctx: AuditContext, f: Facts): RawFinding[] | null {
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
  (check: (ctx: AuditContext, f: Facts) => RawFinding[]): CheckFn =>
  (ctx) => {
    const f = facts(ctx)
    const out = check(ctx, f)
    for (const s of f.skippedPages) out.push(na(s.reason, at(s.url)))
    return out
  }

export const mixed: CheckFn = onPages((ctx, f) => {
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

export const sri: CheckFn = onPages((ctx, f) => {
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

export const thirdParties: CheckFn = onPages((ctx, f) => {
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

export const piiInContent: CheckFn = onPages((ctx, f) => {
  const kinds = piiKinds(ctx.params)
  const allow = allowedNumbers(f, ctx.params)
  const out: RawFinding[] = []
  const scan = (rawWhere: string, what: 'text' | 'attributes' | 'api', text: string) => {
    const where = maskUrl(rawWhere, {kinds, allow})
    const hits = findPii(text, {kinds, allow, maxHits: 200})
    if (hits.length === 0) return false
    const s = summarizeHits(hits)
    const permits = hits.filter((h) => h.permit).length
    const lower = hits.filter((h) => h.lowercaseX).length
    const notes = (permits ? t(ctx.lang, 'SEC-013.permits', {count: permits}) : '') + (lower ? t(ctx.lang, 'SEC-013.lowercaseX', {count: lower}) : '')
    out.push(fail(t(ctx.lang, 'SEC-013.fail', {url: where, what: t(ctx.lang, `SEC-013.${what}`), ...s}) + notes, at(where), {key: `${what} ${where}`, counts: {idNumber: s.id, mobile: s.mobile, bankCard: s.bank, residencePermit: permits, lowercaseX: lower}, samples: [...new Set(hits.map((h) => h.masked))].slice(0, 10)}))
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

export const piiInUrls: CheckFn = onPages((ctx, f) => {
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

const PERMISSION_NAMES: Record<string, string> = {geolocation: 'location', camera: 'camera', microphone: 'microphone', notifications: 'notifications'}

export const permissions: CheckFn = onPages((ctx, f) => {
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
