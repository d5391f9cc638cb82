// Reading the http and page artifacts defensively (they may come from --from-artifacts files).
import type {AuditContext} from '../../core/types.js'
import {artifactOf} from '../../artifacts/index.js'
import type {HttpArtifact, HttpTarget, TlsReport} from '../../artifacts/http.js'
import type {PageVisit} from '../../artifacts/page.js'
import type {SecurityProbeResult} from '../../artifacts/page.js'
import {authorityMatches, cookieFromHeader, type CookieFacts} from './headers.js'

export const obj = (v: unknown): Record<string, any> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined)
export const arr = <T = any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : [])
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined)

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '')
  } catch {
    return ''
  }
}

/** host, or host:port when the port is not the scheme's default ("authority" as the rules compare it). */
export function authorityOf(url: string): string {
  try {
    const u = new URL(url)
    const host = u.hostname.toLowerCase().replace(/^\[|\]$/g, '')
    return u.port ? `${host.includes(':') ? `[${host}]` : host}:${u.port}` : host
  } catch {
    return ''
  }
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

export interface SecPage {
  visit: PageVisit
  sec: SecurityProbeResult
}

export interface Facts {
  http: HttpArtifact | null
  targets: HttpTarget[]
  tls: TlsReport[]
  pages: SecPage[]
  /** Authorities of the app's own URLs (host, or host:port when not the default port). */
  firstParty: string[]
  /** Pages the session tried but could not load (their reason). */
  brokenPages: Array<{url: string; reason: string}>
  /** Pages the session did not audit on purpose (e.g. behind a login with no bootstrap), with why. */
  skippedPages: Array<{url: string; reason: string}>
  manifest: Record<string, any> | null
  declared: string[]
}

function httpOf(ctx: AuditContext): HttpArtifact | null {
  const h = obj(ctx.artifacts.http)
  if (!h || h.__error) return null
  return {
    ...(h as HttpArtifact),
    targets: arr(h.targets),
    tls: arr(h.tls),
    redirects: arr(h.redirects),
    exposed: {...(obj(h.exposed) ?? {}), checks: arr(obj(h.exposed)?.checks)},
    skipped: arr(h.skipped),
  }
}

export function facts(ctx: AuditContext): Facts {
  const http = httpOf(ctx)
  const targets = (http?.targets ?? []).filter((t) => obj(t) && typeof t.url === 'string' && obj(t.fetch))
  const pagesArt = obj(ctx.artifacts.page)
  const pages: SecPage[] = []
  const brokenPages: Facts['brokenPages'] = []
  const skippedPages: Facts['skippedPages'] = []
  for (const v of arr<PageVisit>(pagesArt?.pages)) {
    if (!obj(v) || typeof v.url !== 'string') continue
    const sec = obj(obj(v.probes)?.security) as (SecurityProbeResult & {error?: string}) | undefined
    if (v.error || v.skipped || !sec || typeof sec.error === 'string') {
      if (v.error || sec?.error) brokenPages.push({url: v.url, reason: String(v.error ?? sec?.error)})
      else if (typeof v.skipped === 'string') skippedPages.push({url: v.url, reason: v.skipped})
      continue
    }
    pages.push({
      visit: v,
      sec: {
        ...sec,
        requests: arr(sec.requests),
        insecureElements: arr(sec.insecureElements),
        mixedContentReports: arr(sec.mixedContentReports),
        scripts: arr(sec.scripts),
        scriptCookies: arr(sec.scriptCookies),
        responseCookies: arr(sec.responseCookies),
        permissions: arr(sec.permissions),
        scriptCalls: arr(sec.scriptCalls),
        links: arr(sec.links),
        apiBodies: arr(sec.apiBodies),
        text: typeof sec.text === 'string' ? sec.text : '',
        attributes: typeof sec.attributes === 'string' ? sec.attributes : '',
      },
    })
  }
  const m = obj(ctx.artifacts.manifest)
  const manifest = m && !m.__error ? (obj(m.data) ?? null) : null
  const firstParty = new Set<string>()
  for (const t of targets) {
    firstParty.add(authorityOf(t.url))
    for (const h of arr(t.fetch.chain)) if (typeof h?.url === 'string') firstParty.add(authorityOf(h.url))
  }
  for (const p of pages) {
    firstParty.add(authorityOf(p.visit.url))
    if (p.visit.finalUrl) firstParty.add(authorityOf(p.visit.finalUrl))
  }
  // The URLs given on the command line belong to the app (the targets artifact keeps them, so a
  // run from saved artifacts judges as the run that gathered them).
  const given = obj(artifactOf(ctx.artifacts, 'targets')?.given) ?? {}
  for (const k of ['url', 'elderUrl', 'apiBase']) if (typeof given[k] === 'string') firstParty.add(authorityOf(given[k]))
  firstParty.delete('')
  const declared = arr(obj(manifest?.privacy)?.thirdParties)
    .map((p) => str(obj(p)?.host))
    .filter((h): h is string => Boolean(h))
  return {http, targets, tls: http?.tls ?? [], pages, brokenPages, skippedPages, manifest, firstParty: [...firstParty], declared}
}

/** Whether a URL belongs to the app: its host is an own host or a subdomain of one, on the same port. */
export function isFirstParty(url: string, f: Pick<Facts, 'firstParty'>): boolean {
  const a = authorityOf(url)
  return a !== '' && f.firstParty.some((p) => authorityMatches(a, p, false))
}

/** Responses that answered (any status), one per final URL. */
export function answered(targets: HttpTarget[]): HttpTarget[] {
  const seen = new Set<string>()
  const out: HttpTarget[] = []
  for (const t of targets) {
    if (t.fetch.error || t.fetch.status === undefined) continue
    if (seen.has(t.fetch.finalUrl)) continue
    seen.add(t.fetch.finalUrl)
    out.push(t)
  }
  return out
}

export const isHtml = (t: HttpTarget) => /html/i.test(t.fetch.contentType ?? '')
export const isDocumentTarget = (t: HttpTarget) => arr<string>(t.roles).some((r) => r === 'entry' || r === 'elder' || r === 'privacy')

/** Every cookie the app set: response headers (collector and page session) and document.cookie writes. */
export function allCookies(f: Facts): CookieFacts[] {
  const out: CookieFacts[] = []
  const seen = new Set<string>()
  const add = (c: CookieFacts) => {
    const key = `${c.name}|${hostOf(c.url)}|${c.byScript ? 's' : 'h'}`
    if (seen.has(key)) return
    seen.add(key)
    out.push(c)
  }
  for (const t of f.targets) for (const c of arr(t.fetch.cookies)) if (obj(c) && typeof c.name === 'string') add({name: c.name, secure: Boolean(c.secure), httpOnly: Boolean(c.httpOnly), sameSite: c.sameSite ?? null, url: String(c.url ?? t.url)})
  for (const p of f.pages) {
    for (const rc of p.sec.responseCookies) if (typeof rc?.header === 'string') add(cookieFromHeader(rc.header, String(rc.url ?? p.visit.url)))
    for (const sc of p.sec.scriptCookies) {
      if (typeof sc?.name !== 'string') continue
      // A deletion (expires in the past or max-age=0) is not a cookie being set.
      const attrs = String(sc.attributes ?? '')
      if (/max-age\s*=\s*(0|-\d+)\b/i.test(attrs) || /expires\s*=\s*Thu,\s*01 Jan 1970/i.test(attrs)) continue
      const c = cookieFromHeader(`${sc.name}=x; ${attrs}`, String(sc.at ?? p.visit.url))
      add({...c, httpOnly: false, byScript: true})
    }
  }
  return out
}

/** Cookies the collector saw but did not keep (a response with more Set-Cookie headers than its cap). */
export function cookiesDropped(f: Facts): {total: number; dropped: number} {
  let total = 0
  let dropped = 0
  for (const t of f.targets) {
    const n = Number(t.fetch.cookieCount) || 0
    total += n
    dropped += Math.max(0, n - arr(t.fetch.cookies).length)
  }
  return {total, dropped}
}
