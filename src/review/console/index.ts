// The review console at /console/: server-rendered pages over the review API's own routes (called
// in process for the signed-in principal, so each role sees exactly what the API would answer).
// This shell owns sign-in (a token pasted once and exchanged for a session cookie), sign-out,
// sessions, CSRF, the layout and security headers; the submissions pages live in
// ./submissions.ts, the feature plugins (apps, scores) register through ConsoleDeps.
import {fileURLToPath} from 'node:url'
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'
import fastifyCookie from '@fastify/cookie'
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import type {Lang} from '../../core/types.js'
import {t, type MessageKey} from '../../lib/i18n/index.js'
import type {Store, TokenRecord} from '../store.js'
import type {MonitoringRule} from '../server/context.js'
import {hashToken} from '../server/auth.js'
import type {Principal} from '../server/http.js'
import type {ApiCall, ConsoleDeps, ConsolePlugin, ConsoleSession, PageSpec} from './contract.js'
import {html} from './html.js'
import {BASE, NAV, notice, sendPage} from './layout.js'
import {sameToken, SessionStore} from './session.js'
import {submissionsConsole} from './submissions.js'
import {appsConsole} from './apps.js'
import {scoresConsole} from './scores.js'

const DEFAULT_SESSION_TTL_MS = 8 * 3_600_000
/** The longest token the sign-in form takes (tokens are 49 characters). */
const TOKEN_FORM_MAX = 500

export interface ConsoleOptions {
  store: Store
  monitoring: MonitoringRule
  log: (rec: Record<string, unknown>) => void
  api: ApiCall
  tokenFor: (hash: string, cached: boolean) => Promise<TokenRecord | null>
  /** Served over HTTPS: cookies are Secure and __Host- prefixed, HSTS is sent. */
  secure: boolean
  sessionTtlMs?: number
}

/** The console's feature plugins, in navigation order; they register their routes with full paths (/console/…). */
const FEATURES: Array<{id: string; plugin: ConsolePlugin}> = [
  {id: 'apps', plugin: appsConsole},
  {id: 'scores', plugin: scoresConsole},
]

/** The Content-Security-Policy of every console page: nothing inline, nothing from elsewhere. */
const CONSOLE_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
}

function langFrom(req: FastifyRequest): Lang {
  const q = (req.query as Record<string, unknown> | undefined)?.lang
  const c = req.cookies?.sjt_lang
  const v = typeof q === 'string' && q ? q : c
  return v === 'en' ? 'en' : 'zh-CN'
}

export async function consolePlugin(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
  const sessions = new SessionStore(opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS)
  const cookieName = opts.secure ? '__Host-sjt_console' : 'sjt_console'
  const signinCookie = opts.secure ? '__Host-sjt_signin' : 'sjt_signin'
  const cookieBase = {httpOnly: true, sameSite: 'strict' as const, secure: opts.secure, path: '/'}
  const features = new Set<string>()

  await app.register(fastifyCookie)
  await app.register(fastifyFormbody, {bodyLimit: 64 * 1024})
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {useDefaults: false, directives: CONSOLE_CSP},
    strictTransportSecurity: opts.secure ? {maxAge: 31_536_000, includeSubDomains: true} : false,
    referrerPolicy: {policy: 'no-referrer'},
    crossOriginResourcePolicy: {policy: 'same-origin'},
    xFrameOptions: {action: 'sameorigin'},
  })
  await app.register(fastifyRateLimit, {global: false})

  // ?lang= switches the language and keeps it in a cookie for the next pages.
  app.addHook('onRequest', async (req, reply) => {
    const q = (req.query as Record<string, unknown> | undefined)?.lang
    if (q === 'en' || q === 'zh-CN') reply.setCookie('sjt_lang', q, {path: BASE, sameSite: 'strict', secure: opts.secure, httpOnly: true, maxAge: 365 * 86_400})
  })

  const page = (reply: FastifyReply, session: ConsoleSession | undefined, spec: PageSpec, lang?: Lang) => sendPage(reply, features, session, lang ?? session?.lang ?? langFrom(reply.request), spec)

  function toSignIn(reply: FastifyReply, reason?: 'expired' | 'out'): FastifyReply {
    return reply.code(303).header('Cache-Control', 'no-store').redirect(`${BASE}/sign-in${reason ? `?m=${reason}` : ''}`, 303)
  }

  const deps: ConsoleDeps = {
    store: opts.store,
    monitoring: opts.monitoring,
    api: opts.api,
    async session(req, reply) {
      const id = req.cookies[cookieName]
      const rec = sessions.get(id)
      if (!rec) {
        if (id) reply.clearCookie(cookieName, cookieBase)
        toSignIn(reply, id ? 'expired' : undefined)
        return undefined
      }
      // A token revoked since sign-in ends its sessions at the next request.
      const token = await opts.tokenFor(rec.tokenHash, true)
      if (!token) {
        sessions.deleteToken(rec.tokenHash)
        reply.clearCookie(cookieName, cookieBase)
        toSignIn(reply, 'expired')
        return undefined
      }
      const principal: Principal = {token, tokenHash: rec.tokenHash, role: token.role, creditCode: token.creditCode}
      return {principal, lang: langFrom(req), csrfToken: rec.csrfToken}
    },
    csrf(req, session) {
      const body = req.body as Record<string, unknown> | undefined
      const given = (body && typeof body === 'object' ? body._csrf : undefined) ?? req.headers['x-csrf-token']
      return sameToken(given, session.csrfToken)
    },
    page: (reply, session, spec) => page(reply, session, spec),
    notFound: (reply, session) => page(reply, session, {title: t(session.lang, 'console.notFound.title'), status: 404, body: html`<p>${t(session.lang, 'console.notFound.body')}</p><p><a href="${BASE}/">${t(session.lang, 'console.back')}</a></p>`.value}),
  }

  /** The refusal of a state change whose CSRF token is missing or wrong: 403, nothing done. */
  const refuseCsrf = (reply: FastifyReply, session: ConsoleSession | undefined, lang: Lang) => page(reply, session, {title: t(lang, 'console.csrf.title'), status: 403, body: html`<p role="alert">${t(lang, 'console.csrf.body')}</p>`.value}, lang)

  // The shell's own routes, under /console/; the feature plugins beside them (full paths).
  features.add('submissions')
  for (const f of FEATURES) features.add(f.id)
  await app.register(async (own) => shellRoutes(own), {prefix: BASE})
  for (const f of FEATURES) await app.register(async (scope) => f.plugin(scope, deps))

  async function shellRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {root: fileURLToPath(new URL('./assets/', import.meta.url)), prefix: '/assets/', decorateReply: false, maxAge: '1h', index: false, dotfiles: 'deny'})
  await app.register(async (scope) => submissionsConsole(scope, deps))

  app.get('/', async (req, reply) => {
    const id = req.cookies[cookieName]
    const rec = sessions.get(id)
    const token = rec ? await opts.tokenFor(rec.tokenHash, true) : null
    if (!token) return toSignIn(reply)
    const first = NAV.find((n) => features.has(n.id) && n.roles.includes(token.role))
    return reply.redirect(first?.href ?? `${BASE}/sign-in`, 303)
  })

  // ---- sign-in: the token is posted once, never echoed; a double-submit cookie guards the form ----
  function signInPage(req: FastifyRequest, reply: FastifyReply, status: number, message?: ReturnType<typeof notice>): FastifyReply {
    const lang = langFrom(req)
    const pre = req.cookies[signinCookie] && /^[\w-]{43}$/.test(req.cookies[signinCookie]!) ? req.cookies[signinCookie]! : randomToken()
    reply.setCookie(signinCookie, pre, {...cookieBase, maxAge: 3600})
    const L = (k: MessageKey, p?: Record<string, unknown>) => t(lang, k, p)
    const body = html`${message ?? ''}
<form method="post" action="${BASE}/sign-in" class="card signin">
<input type="hidden" name="_csrf" value="${pre}">
<p><label for="token">${L('console.signIn.token')}</label>
<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required maxlength="${TOKEN_FORM_MAX}" aria-describedby="token-hint"></p>
<p id="token-hint" class="hint">${L('console.signIn.hint', {duration: duration(lang, opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS)})}</p>
<p><button type="submit">${L('console.signIn.submit')}</button></p>
</form>`
    return page(reply, undefined, {title: L('console.signIn.title'), body: body.value, status}, lang)
  }

  app.get('/sign-in', async (req, reply) => {
    const m = (req.query as Record<string, unknown>).m
    const lang = langFrom(req)
    const msg = m === 'expired' ? notice(t(lang, 'console.signIn.expired'), 'error') : m === 'out' ? notice(t(lang, 'console.signIn.signedOut')) : undefined
    return signInPage(req, reply, 200, msg)
  })

  app.post('/sign-in', {config: {rateLimit: {max: 30, timeWindow: 60_000}}}, async (req, reply) => {
    const lang = langFrom(req)
    const body = (req.body ?? {}) as Record<string, unknown>
    const pre = req.cookies[signinCookie]
    if (!pre || !sameToken(body._csrf, pre)) return refuseCsrf(reply, undefined, lang)
    const token = typeof body.token === 'string' ? body.token.trim() : ''
    const record = token && token.length <= TOKEN_FORM_MAX ? await opts.tokenFor(hashToken(token), false) : null
    if (!record) {
      opts.log({level: 'warn', msg: 'console sign-in refused', ip: req.ip})
      return signInPage(req, reply, 401, notice(t(lang, 'console.signIn.bad'), 'error'))
    }
    const {id} = sessions.create(hashToken(token))
    opts.log({level: 'info', msg: 'console sign-in', role: record.role, tokenId: record.id})
    reply.clearCookie(signinCookie, cookieBase)
    // The server ends the session at ttl; the browser keeps the cookie a minute longer, so that a
    // request just after the end is told the session expired instead of meeting a bare sign-in form.
    reply.setCookie(cookieName, id, {...cookieBase, maxAge: Math.ceil(sessions.ttlMs / 1000) + 60})
    return reply.redirect(`${BASE}/`, 303)
  })

  app.post('/sign-out', async (req, reply) => {
    const lang = langFrom(req)
    const id = req.cookies[cookieName]
    const rec = sessions.get(id)
    if (rec) {
      const body = (req.body ?? {}) as Record<string, unknown>
      if (!sameToken(body._csrf, rec.csrfToken)) return refuseCsrf(reply, undefined, lang)
      sessions.delete(id)
    }
    reply.clearCookie(cookieName, cookieBase)
    return toSignIn(reply, 'out')
  })

  app.setNotFoundHandler(async (req, reply) => {
    const s = await deps.session(req, reply)
    if (!s) return reply
    return deps.notFound(reply, s)
  })
  }
}

function duration(lang: Lang, ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000))
  return min < 120 ? t(lang, 'console.age.minutes', {n: min}) : t(lang, 'console.age.hours', {n: Math.round(min / 60)})
}

function randomToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
}
