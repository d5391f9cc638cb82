// The session bootstrap for pages behind the unified-identity login (config `auth:`): run once per
// check; every category reuses its result through `ctx.shared.get('auth')`:
//   {cookies: [{name, value, domain, path}], headers: {…}, localStorage: {…}}
// Kinds: cookies / headers (given values, from ${ENV} only), steps (a small login script in the
// shared browser), ticket (the app's SSO callback with a test ticket). Secret values are
// registered with src/lib/secrets.ts and masked as *** wherever sjt writes.
import {readFileSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import tls from 'node:tls'
import {InputError} from '../lib/errors.js'
import {interpolateEnv} from './config.js'
import type {AuthOutcome} from '../artifacts/auth.js'
import type {GatherContext, Lang} from './types.js'
import {addSecret} from '../lib/secrets.js'
import {t} from '../lib/i18n/index.js'

interface AuthCookie {
  name: string
  value: string
  domain: string
  path: string
  secure?: boolean
  httpOnly?: boolean
}

export interface AuthSession {
  kind: string
  cookies: AuthCookie[]
  headers: Record<string, string>
  localStorage: Record<string, string>
  /** The origin whose local storage `localStorage` holds (steps). */
  storageOrigin?: string
  /** The Cookie header for Node-side requests to `host`. */
  cookieHeader(host: string): string | undefined
  close(): Promise<void>
}

type Step = {goto?: string; fill?: string; value?: string; click?: string; waitFor?: string; waitForUrl?: string; press?: string}

export interface AuthConfig {
  kind: 'cookies' | 'headers' | 'steps' | 'ticket'
  cookies?: Array<{name: string; value: string; domain?: string; path?: string}>
  headers?: Record<string, string>
  steps?: Step[]
  ticket?: {callback?: string; value: string; state?: string}
  /** How to tell the login worked: a cookie that must exist, a page that must not end on the login page. */
  verify?: {cookie?: string; url?: string}
  /** Where the identity provider's login page lives (regex over URLs), to detect a redirect to it. */
  loginPattern?: string
}

const DEFAULT_LOGIN_PATTERN = '(/login|/sso/login|/cas/login|/oauth2?/authorize|tyrz|unified-identity)'

export function loginPattern(cfg?: AuthConfig, lang: Lang = 'en'): RegExp {
  try {
    return new RegExp(cfg?.loginPattern ?? DEFAULT_LOGIN_PATTERN, 'i')
  } catch (error) {
    throw new InputError(t(lang, 'auth.badPattern', {pattern: String(cfg?.loginPattern), detail: (error as Error).message}))
  }
}

/** What a Node-side request of the bootstrap got back (body discarded). */
interface Answer {
  status: number
  headers: Headers
}

/** One GET without following redirects; HTTPS trusts the system roots plus --ca / NODE_EXTRA_CA_CERTS. */
function get(url: URL, headers: Record<string, string>, timeoutMs: number, caFile?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const ca: string[] = [...tls.rootCertificates]
    for (const f of new Set([caFile, process.env.NODE_EXTRA_CA_CERTS].filter((x): x is string => Boolean(x)))) {
      try {
        ca.push(readFileSync(f, 'utf8'))
      } catch {
        // an unreadable --ca was reported when the flags were read
      }
    }
    const lib = url.protocol === 'https:' ? https : http
    const req = lib.request(url, {method: 'GET', headers: {accept: 'text/html,application/json;q=0.9,*/*;q=0.5', ...headers}, agent: false, ...(url.protocol === 'https:' ? {ca} : {})}, (res) => {
      res.resume()
      res.on('error', () => undefined)
      const h = new Headers()
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1])
      clearTimeout(timer)
      resolve({status: res.statusCode ?? 0, headers: h})
    })
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
    req.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    req.end()
  })
}

/**
 * The headers a Node-side request to `url` carries from the session: the cookies whose domain,
 * path and Secure flag match it (as a browser would send them), and the session's headers only
 * when the URL is on one of `appOrigins` (never to a third-party host).
 */
export function sessionHeadersFor(session: Pick<AuthSession, 'cookies' | 'headers'> | undefined, url: string, appOrigins: Iterable<string>): Record<string, string> {
  if (!session) return {}
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return {}
  }
  const out: Record<string, string> = {}
  if ([...appOrigins].includes(u.origin)) Object.assign(out, session.headers ?? {})
  const cookies = (session.cookies ?? []).filter((c) => matchesHost(c.domain, u.hostname) && u.pathname.startsWith(c.path || '/') && (!c.secure || u.protocol === 'https:'))
  if (cookies.length) out.cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  return out
}

/** Why a run has no login session: no bootstrap configured, --no-auth, or a login that failed. */
export function noSessionReason(ctx: Pick<GatherContext, 'options' | 'artifacts'>): string {
  const lang = ctx.options.lang
  if (!ctx.options.auth) return t(lang, 'auth.reason.none')
  if (ctx.options.noAuth) return t(lang, 'auth.reason.noAuth')
  const outcome = ctx.artifacts.auth as Partial<AuthOutcome> | undefined
  return t(lang, 'auth.reason.failed', {step: outcome?.step ?? outcome?.kind ?? '?'})
}

/**
 * Interpolate ${ENV}; every value taken from the environment is a secret from then on, and so is
 * the whole value it makes: literal text around ${NAME} (`sk-live-${PART}`) is never written
 * unmasked either.
 */
export function secretEnv(v: string, lang: Lang): string {
  const out = interpolateEnv(v, lang)
  for (const m of v.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)) addSecret(process.env[m[1]])
  if (out !== v) addSecret(out)
  return out
}

function matchesHost(cookieDomain: string, host: string): boolean {
  const d = cookieDomain.replace(/^\./, '').toLowerCase()
  const h = host.toLowerCase()
  return h === d || h.endsWith('.' + d)
}

function makeSession(kind: string, cookies: AuthCookie[], headers: Record<string, string>, localStorage: Record<string, string> = {}, storageOrigin?: string): AuthSession {
  return {
    kind,
    cookies,
    headers,
    localStorage,
    ...(storageOrigin ? {storageOrigin} : {}),
    cookieHeader(host) {
      const list = cookies.filter((c) => matchesHost(c.domain, host.replace(/:\d+$/, '')))
      return list.length ? list.map((c) => `${c.name}=${c.value}`).join('; ') : undefined
    },
    async close() {},
  }
}

/** Parse Set-Cookie headers of a response into cookies for `host`. */
function parseSetCookies(lines: string[], host: string): AuthCookie[] {
  const out: AuthCookie[] = []
  for (const line of lines.slice(0, 200)) {
    const [pair, ...attrs] = line.split(';')
    const eq = pair.indexOf('=')
    if (eq <= 0) continue
    const c: AuthCookie = {name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), domain: host, path: '/'}
    for (const a of attrs) {
      const [k, v] = a.split('=').map((s) => s.trim())
      if (/^domain$/i.test(k) && v) c.domain = v.replace(/^\./, '')
      if (/^path$/i.test(k) && v) c.path = v
      if (/^secure$/i.test(k)) c.secure = true
      if (/^httponly$/i.test(k)) c.httpOnly = true
    }
    addSecret(c.value)
    out.push(c)
  }
  return out
}

/**
 * Run the bootstrap. On success the session is put in ctx.shared as 'auth'. On failure the
 * outcome says which step failed; the caller reports it (exit 3) and the anonymous pages are
 * still checked. Configuration mistakes (missing env var, bad kind) are input errors (exit 2).
 */
export async function bootstrapAuth(ctx: GatherContext, entryUrl: string | undefined, apiBase: string | undefined): Promise<AuthOutcome | null> {
  const cfg = ctx.options.auth as AuthConfig | undefined
  const lang = ctx.options.lang
  if (!cfg || ctx.options.noAuth) return null
  if (!entryUrl) throw new InputError(t(lang, 'auth.noEntry'))
  loginPattern(cfg, lang) // a broken pattern is an input error before anything runs
  const entry = new URL(entryUrl)
  const timeout = ctx.options.timeoutMs
  switch (cfg.kind) {
    case 'cookies': {
      const cookies = (cfg.cookies ?? []).map((c) => ({name: c.name, value: secretEnv(c.value, lang), domain: c.domain ?? entry.hostname, path: c.path ?? '/'}))
      if (cookies.length === 0) throw new InputError(t(lang, 'auth.empty', {kind: 'cookies'}))
      ctx.shared.set('auth', makeSession('cookies', cookies, {}))
      return verifySession(ctx, cfg, entry, 'cookies')
    }
    case 'headers': {
      const headers = Object.fromEntries(Object.entries(cfg.headers ?? {}).map(([k, v]) => [k, secretEnv(v, lang)]))
      if (Object.keys(headers).length === 0) throw new InputError(t(lang, 'auth.empty', {kind: 'headers'}))
      ctx.shared.set('auth', makeSession('headers', [], headers))
      return verifySession(ctx, cfg, entry, 'headers')
    }
    case 'ticket': {
      const ticket = secretEnv(cfg.ticket?.value ?? '${SJT_TEST_TICKET}', lang)
      const base = apiBase ?? entry.origin
      const u = new URL((cfg.ticket?.callback ?? '/sso/callback').replace(/^\//, ''), base.endsWith('/') ? base : base + '/')
      u.searchParams.set('ticket', ticket)
      if (cfg.ticket?.state) u.searchParams.set('state', cfg.ticket.state)
      let res: Answer
      try {
        res = await get(u, {}, timeout, ctx.options.ca)
      } catch (error) {
        return {ok: false, kind: 'ticket', step: 'ticket', message: t(lang, 'auth.unreachable', {url: u.origin + u.pathname, detail: (error as Error).message})}
      }
      if (res.status === 401 || res.status === 403) return {ok: false, kind: 'ticket', step: 'ticket', message: t(lang, 'auth.refused', {status: res.status, url: u.origin + u.pathname})}
      if (res.status >= 400) return {ok: false, kind: 'ticket', step: 'ticket', message: t(lang, 'auth.status', {status: res.status, url: u.origin + u.pathname})}
      const cookies = parseSetCookies(res.headers.getSetCookie(), u.hostname)
      if (cookies.length === 0) return {ok: false, kind: 'ticket', step: 'ticket', message: t(lang, 'auth.noCookie', {url: u.origin + u.pathname})}
      ctx.shared.set('auth', makeSession('ticket', cookies, {}))
      return verifySession(ctx, cfg, entry, 'ticket')
    }
    case 'steps': {
      const {sharedBrowser} = await import('../gather/browser.js')
      const session = await sharedBrowser(ctx)
      const page = await session.browser.newPage()
      let stepName = 'start'
      try {
        for (const [i, s] of (cfg.steps ?? []).entries()) {
          stepName = `#${i + 1} ${Object.keys(s).filter((k) => k !== 'value')[0] ?? '?'}`
          if (s.goto) await page.goto(new URL(s.goto, entry).toString(), {waitUntil: 'load', timeout})
          else if (s.fill) {
            await page.waitForSelector(s.fill, {timeout})
            await page.$eval(s.fill, (el) => ((el as HTMLInputElement).value = ''))
            await page.type(s.fill, secretEnv(s.value ?? '', lang))
          } else if (s.click) {
            await page.waitForSelector(s.click, {timeout})
            await Promise.all([page.waitForNavigation({timeout, waitUntil: 'load'}).catch(() => undefined), page.click(s.click)])
          } else if (s.press) await page.keyboard.press(s.press as never)
          else if (s.waitFor) await page.waitForSelector(s.waitFor, {timeout})
          else if (s.waitForUrl) {
            const re = new RegExp(s.waitForUrl)
            const deadline = Date.now() + timeout
            while (!re.test(page.url())) {
              if (Date.now() > deadline) throw new Error(t(lang, 'auth.urlTimeout', {pattern: s.waitForUrl, url: page.url()}))
              await new Promise((r) => setTimeout(r, 100))
            }
          }
        }
        const raw = await page.cookies()
        const cookies = raw.map((c) => ({name: c.name, value: c.value, domain: c.domain.replace(/^\./, ''), path: c.path, secure: c.secure, httpOnly: c.httpOnly}))
        for (const c of cookies) addSecret(c.value)
        const localStorage = (await page.evaluate(() => Object.fromEntries(Object.entries(window.localStorage)))) as Record<string, string>
        for (const v of Object.values(localStorage)) addSecret(v)
        if (loginPattern(cfg, lang).test(page.url())) return {ok: false, kind: 'steps', step: stepName, message: t(lang, 'auth.stillLogin', {url: page.url()})}
        ctx.shared.set('auth', makeSession('steps', cookies, {}, localStorage, new URL(page.url()).origin))
      } catch (error) {
        return {ok: false, kind: 'steps', step: stepName, message: t(lang, 'auth.stepFailed', {step: stepName, detail: (error as Error).message.split('\n')[0]})}
      } finally {
        await page.close().catch(() => undefined)
      }
      return verifySession(ctx, cfg, entry, 'steps')
    }
    default:
      throw new InputError(t(lang, 'auth.badKind', {kind: String((cfg as {kind?: unknown}).kind)}))
  }
}

/**
 * After gathering: pages that, with the session, still ended on the login page (page visits and
 * Lighthouse pages) mean the session did not work; the outcome then says so, or null.
 */
export function redirectedToLogin(artifacts: Record<string, any>, lang: Lang): AuthOutcome | null {
  const urls: string[] = []
  for (const v of Array.isArray(artifacts.page?.pages) ? artifacts.page.pages : []) if (v?.loginRedirect && v.error) urls.push(String(v.url))
  for (const p of Array.isArray(artifacts.lighthouse?.pages) ? artifacts.lighthouse.pages : []) if (p?.loginRedirect && !p.authSkipped && !urls.includes(String(p.url))) urls.push(String(p.url))
  if (urls.length === 0) return null
  const kind = String(artifacts.auth?.kind ?? '?')
  return {ok: false, kind, step: 'pages', message: t(lang, 'auth.pagesRedirected', {count: urls.length, urls: urls.slice(0, 3).join(', ') + (urls.length > 3 ? ' …' : '')})}
}

/** Optional verification: a named cookie exists; a protected URL does not end on the login page. */
async function verifySession(ctx: GatherContext, cfg: AuthConfig, entry: URL, kind: string): Promise<AuthOutcome> {
  const lang = ctx.options.lang
  const s = ctx.shared.get('auth') as unknown as AuthSession
  if (cfg.verify?.cookie && !s.cookies.some((c) => c.name === cfg.verify!.cookie)) {
    ctx.shared.delete('auth')
    return {ok: false, kind, step: 'verify', message: t(lang, 'auth.noNamedCookie', {name: cfg.verify.cookie})}
  }
  if (cfg.verify?.url) {
    const u = new URL(cfg.verify.url, entry)
    const headers: Record<string, string> = {...s.headers}
    const cookie = s.cookieHeader(u.host)
    if (cookie) headers.cookie = cookie
    try {
      const res = await get(u, headers, ctx.options.timeoutMs, ctx.options.ca)
      const loc = res.headers.get('location') ?? ''
      if (res.status === 401 || res.status === 403 || (res.status >= 300 && res.status < 400 && loginPattern(cfg, lang).test(loc))) {
        ctx.shared.delete('auth')
        return {ok: false, kind, step: 'verify', message: t(lang, 'auth.verifyFailed', {url: u.toString(), status: res.status})}
      }
    } catch (error) {
      ctx.shared.delete('auth')
      return {ok: false, kind, step: 'verify', message: t(lang, 'auth.unreachable', {url: u.toString(), detail: (error as Error).message})}
    }
  }
  return {ok: true, kind, message: t(lang, 'auth.ok', {kind})}
}
