// The HTTP/TLS collector (Node only, no browser): for the entry, elder entry, privacy policy,
// health URL and the contract's servers it records TLS versions offered and accepted, the
// certificate chain and its validity, response headers, cookies, redirects, and files that
// should not be public under the entry origin. Facts only; the security audits judge them.
//
// Every request is bounded: a per-request deadline (--timeout), a cap on header bytes, body
// bytes and cookies kept, and an overall budget; an origin that does not answer in time is not
// asked again. Certificates are judged here against the system roots plus --ca and
// NODE_EXTRA_CA_CERTS; requests themselves accept any certificate so that headers are still seen.
import {sessionHeadersFor, type AuthSession} from '../core/auth.js'
import {EnvError} from '../lib/errors.js'
import type {GatherContext} from '../core/types.js'
import {t} from '../lib/i18n/index.js'
import {caBundle} from './http/ca.js'
import {checkExposed} from './http/exposed.js'
import {htmlFacts, PRIVACY_LINK_TEXT} from './http/html.js'
import {checkRedirect} from './http/redirect.js'
import {fetchTarget, originOf, pool, type Budget, type RequestOptions} from './http/request.js'
import {protectedTargets, rebaser, targetsOf} from './targets.js'
import {artifactOf} from '../artifacts/index.js'
import type {SecurityProbeResult} from '../artifacts/page.js'
import {probeTls} from './http/tls.js'
import {DEFAULT_EXPOSED_PATHS, LIMITS, UNREACHABLE} from './http/types.js'
import {type HttpArtifact, type HttpTarget, type TargetRole} from '../artifacts/http.js'

export {LIMITS, UNREACHABLE, DEFAULT_EXPOSED_PATHS} from './http/types.js'

export {request, parseSetCookie, type RequestOptions} from './http/request.js'
export {htmlFacts, PRIVACY_LINK_TEXT} from './http/html.js'
export {looksExposed} from './http/exposed.js'
export {caBundle} from './http/ca.js'

export const after = ['manifest']

// ------------------------------------------------------------------ the collector

function paramOf(ctx: GatherContext, id: string, key: string): unknown {
  return ctx.profile?.rules?.find((r) => r.id === id)?.params?.[key]
}

export async function collect(ctx: GatherContext): Promise<HttpArtifact> {
  const started = Date.now()
  const {options} = ctx
  const timeoutMs = Math.max(500, options.timeoutMs || 30_000)
  const budget: Budget = {deadline: started + Math.max(4 * timeoutMs, 15_000), deadOrigins: new Map(), skipped: []}
  const ca = caBundle(options.ca)
  const planned = targetsOf(ctx).http
  // With a login session, requests carry it as a browser would: cookies to their own domain, and
  // the session's headers only to the app's origins (entry, elder entry, --api-base).
  const auth = ctx.shared.get('auth') as unknown as AuthSession | undefined
  const appOrigins = new Set(planned.filter((p) => p.role === 'entry' || p.role === 'elder' || p.source === '--api-base').map((p) => originOf(p.url)))
  const base: RequestOptions = {timeoutMs, bodyCap: LIMITS.htmlBodyBytes, ca, ...(auth ? {session: (url: string) => sessionHeadersFor(auth, url, appOrigins)} : {})}
  // One request per URL; roles merged.
  const byUrl = new Map<string, {roles: TargetRole[]; source: string}>()
  for (const p of planned) {
    const t = byUrl.get(p.url)
    if (t) {
      if (!t.roles.includes(p.role)) t.roles.push(p.role)
    } else byUrl.set(p.url, {roles: [p.role], source: p.source})
  }
  const entryUrl = planned.find((p) => p.role === 'entry')?.url

  // TLS of every https origin, concurrently with the fetches.
  const origins = new Set<string>()
  for (const url of byUrl.keys()) if (url.startsWith('https:')) origins.add(originOf(url))
  const tlsPromise = Promise.all([...origins].map((o) => probeTls(o, ca, timeoutMs)))

  const fetched = await pool([...byUrl], LIMITS.concurrency, async ([url, t]) => {
    const isApi = t.roles.some((r) => r === 'health' || r === 'server')
    const {result, body} = await fetchTarget(url, {...base, budget, api: isApi})
    const target: HttpTarget = {roles: t.roles, url, source: t.source, fetch: result}
    if (body && /html/i.test(result.contentType ?? '') && !isApi) Object.assign(target, htmlFacts(body.toString('utf8'), result.finalUrl))
    return target
  })
  const targets = fetched

  // An entry that cannot be reached at all (refused, unknown host, no answer in time) is an
  // environment failure (exit 3), not a verdict; a broken TLS handshake is a verdict (SEC-001).
  const entryFetch = targets.find((tg) => tg.roles.includes('entry'))?.fetch
  if (entryFetch?.error && UNREACHABLE.has(entryFetch.error.code)) {
    throw new EnvError(t(options.lang, 'SEC.entryUnreachable', {detail: entryFetch.error.message}), {url: entryFetch.finalUrl}, t(options.lang, 'SEC.entryUnreachable.hint'))
  }

  // No privacy policy in the manifest: follow the entry page's privacy link, if its markup has one.
  const entryTarget = targets.find((t) => t.roles.includes('entry'))
  if (!planned.some((p) => p.role === 'privacy') && entryTarget?.links) {
    const link = entryTarget.links.find((l) => PRIVACY_LINK_TEXT.test(l.text) && /^https?:/.test(l.href))
    if (link) {
      const {result} = await fetchTarget(link.href, {...base, bodyCap: LIMITS.probeBodyBytes, budget})
      targets.push({roles: ['privacy'], url: link.href, source: 'entry page link', fetch: result})
    }
  }

  // http → https for https targets on 443 (or the plain port given for tests of this collector).
  const plainPort = typeof options.plainHttpPort === 'number' ? options.plainHttpPort : undefined
  const redirectFor = new Map<string, string>()
  for (const t of targets) {
    if (!t.roles.some((r) => r === 'entry' || r === 'elder')) continue
    const final = t.fetch.finalUrl
    if (!final.startsWith('https:') || t.fetch.error) continue
    const key = originOf(final)
    if (!redirectFor.has(key)) redirectFor.set(key, final)
  }
  const redirects = await Promise.all([...redirectFor.values()].map((u) => checkRedirect(u, {...base, budget, plainPort})))
  for (const t of targets) {
    // An http:// entry that redirects to https records its own redirect.
    if (t.roles.some((r) => r === 'entry' || r === 'elder') && t.url.startsWith('http:')) {
      const first = t.fetch.chain[0]
      const final = t.fetch.finalUrl
      redirects.push({
        url: t.url,
        httpUrl: t.url,
        ...(first?.status ? {status: first.status} : {}),
        ...(first?.location ? {location: first.location} : {}),
        result: t.fetch.error ? 'error' : final.startsWith('https:') ? 'https' : t.fetch.chain.length > 1 ? 'not-https' : 'no-redirect',
        ...(t.fetch.error ? {detail: t.fetch.error.message} : {}),
      })
    }
  }

  // Exposed files under the entry origin; scripts from the page session when it ran first, else from the entry HTML.
  let exposed: HttpArtifact['exposed'] = {checks: []}
  const entryFinal = entryTarget && !entryTarget.fetch.error ? entryTarget.fetch.finalUrl : undefined
  if (entryFinal) {
    const scripts = new Set<string>(entryTarget?.scripts ?? [])
    const pages = artifactOf(ctx.artifacts, 'page')?.pages
    if (Array.isArray(pages)) for (const p of pages) for (const s of (p?.probes?.security as SecurityProbeResult | undefined)?.scripts ?? []) if (typeof s?.src === 'string') scripts.add(s.src)
    const configured = paramOf(ctx, 'SEC-016', 'paths')
    const paths = Array.isArray(configured) && configured.every((p) => typeof p === 'string') ? (configured as string[]) : DEFAULT_EXPOSED_PATHS
    exposed = await checkExposed(entryFinal, [...scripts], paths, {...base, budget})
  }

  const manifest = artifactOf(ctx.artifacts, 'manifest') ?? null
  // The pages behind the login, asked as an anonymous visitor (never with the session): MAN-011
  // checks they send the visitor to the declared identity service.
  const protectedPages = await pool(protectedTargets(options, manifest), LIMITS.concurrency, async (p) => {
    const {result} = await fetchTarget(p.url, {timeoutMs, bodyCap: LIMITS.probeBodyBytes, ca, budget})
    return {url: p.url, ...(p.name ? {name: p.name} : {}), fetch: result}
  })

  const declaredLogin = manifest?.data?.identity?.loginUrl
  const loginPatternSource = (options.auth as {loginPattern?: unknown} | undefined)?.loginPattern
  const identityLogin = typeof declaredLogin === 'string' ? rebaser(typeof manifest?.data?.app?.entry === 'string' ? manifest.data.app.entry : undefined, options.url)(declaredLogin) : undefined

  const more = new Set<string>()
  for (const t of targets) for (const h of t.fetch.chain) if (h.url.startsWith('https:') && !origins.has(originOf(h.url))) more.add(originOf(h.url))
  const tlsReports = [...(await tlsPromise), ...(await Promise.all([...more].map((o) => probeTls(o, ca, timeoutMs))))]
  return {
    ...(entryUrl ? {entry: entryUrl, entryOrigin: originOf(entryUrl)} : {}),
    targets,
    tls: tlsReports,
    redirects,
    exposed,
    skipped: budget.skipped.slice(0, 100),
    ...(protectedPages.length ? {protectedPages} : {}),
    ...(identityLogin ? {identityLogin} : {}),
    ...(typeof loginPatternSource === 'string' ? {loginPattern: loginPatternSource} : {}),
    durationMs: Date.now() - started,
  }
}
