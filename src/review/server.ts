// The reference review server (spec/review-api.md) on fastify: the routes of src/review/server/*
// are registered as fastify routes, but the order that matters stays ours and visible here —
// the body is read by the handler only after the token, role and rate limit passed (no parser
// runs before), within the size limit; the store commits before the answer is sent; shutdown lets
// requests in flight finish within a grace time. The contract is standards/review-api.openapi.yaml.
// The review console (/console/, src/review/console) is a fastify plugin on the same instance.
import http from 'node:http'
import https from 'node:https'
import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import Fastify, {type FastifyReply, type FastifyRequest} from 'fastify'
import {schemaValidator} from '../lib/schema.js'
import {STANDARDS_DIR, toolVersion} from '../lib/paths.js'
import {t} from '../lib/i18n/index.js'
import type {Lang} from '../core/types.js'
import type {Store} from './store.js'
import {appRoutes} from './server/apps.js'
import {createRateLimit, createTokenCache, hashToken} from './server/auth.js'
import {createContext, loadMonitoringRule, type MonitoringRule} from './server/context.js'
import {checkQueryEncoding, decodeSegment, decodeUtf8, langOf, problemAnswer, readBody, requireJson, type Answer, type Ctx, type Principal, type Route} from './server/http.js'
import {checkJsonValue, Problem} from './shared/problem.js'
import {scoreRoutes} from './server/scores.js'
import {recheckRoutes} from './server/rechecks.js'
import {submissionRoutes} from './server/submissions.js'
import {metricsRoute} from './server/metrics.js'
import {renderMetrics} from './queue/metrics.js'
import type {ApiCall} from './console/contract.js'
import {consolePlugin} from './console/index.js'

export {hashToken, newToken} from './server/auth.js'
export {loadMonitoringRule, type MonitoringRule} from './server/context.js'

export const DEFAULT_MAX_BODY = 5 * 1024 * 1024
export const DEFAULT_RATE_LIMIT = 1200

export interface Exchange {
  method: string
  path: string
  query: Record<string, string>
  requestHeaders: http.IncomingHttpHeaders
  requestBody: unknown
  status: number
  responseHeaders: Record<string, string>
  responseBody: unknown
}

export interface ServerOptions {
  store: Store
  host?: string
  port?: number
  maxBodyBytes?: number
  /** Requests per minute per token (token bucket of that size); 0 turns the limit off. */
  rateLimit?: number
  monitoring?: MonitoringRule
  /** Structured log lines (default: JSON on stderr). */
  log?: (rec: Record<string, unknown>) => void
  /** How long shutdown waits for requests in flight before closing their connections. */
  graceMs?: number
  /** Sees every answered request (the tests validate them against the OpenAPI contract). */
  observe?: (x: Exchange) => void
  /** GET /metrics (Prometheus text) for monitor and auditor tokens; default: the store's figures. */
  metrics?: () => Promise<string>
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: {key: string | Buffer; cert: string | Buffer}
  /** How long a console session lasts without use (default 8 hours). */
  sessionTtlMs?: number
}

export interface RunningServer {
  url: string
  port: number
  server: http.Server | https.Server
  close(): Promise<void>
}

export async function startReviewServer(opts: ServerOptions): Promise<RunningServer> {
  const store = opts.store
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY
  const perMinute = opts.rateLimit ?? DEFAULT_RATE_LIMIT
  const rule = opts.monitoring ?? loadMonitoringRule()
  const log = opts.log ?? ((rec: Record<string, unknown>) => process.stderr.write(JSON.stringify({time: new Date().toISOString(), ...rec}) + '\n'))
  const started = Date.now()
  const validateResult = schemaValidator('result')
  const contractText = readFileSync(path.join(STANDARDS_DIR, 'review-api.openapi.yaml'), 'utf8')

  const rateCheck = createRateLimit(perMinute)
  const {tokenCache, tokenFor} = createTokenCache(store)
  const sc = createContext({store, rule, log, tokenCache, validateResult})
  const routes: Route[] = [...submissionRoutes(sc), ...appRoutes(sc), ...scoreRoutes(sc), ...recheckRoutes(sc), metricsRoute(opts.metrics ?? (() => renderMetrics(store, null)))]

  // ---- the HTTP layer ----
  let inFlight = 0
  let closing = false
  const idle: Array<() => void> = []
  type ExchangeBase = Omit<Exchange, 'status' | 'responseHeaders' | 'responseBody'>

  function send(req: http.IncomingMessage, reply: FastifyReply, a: Answer, problem: boolean, exchange: ExchangeBase): void {
    const text = a.text ?? JSON.stringify(a.body)
    const headers: Record<string, string> = {
      'Content-Type': problem ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...a.headers,
    }
    // An answer sent before the body was read (401, 413, …) ends the connection: what is left of
    // the body must not be read as the next request.
    if (!req.complete || closing) headers.Connection = 'close'
    reply.code(a.status).headers(headers).send(text)
    if (opts.observe) opts.observe({...exchange, status: a.status, responseHeaders: headers, responseBody: a.body})
  }

  /** The route among `routes` for a path and method: 404 when no route has the path, 405 (with Allow) when none has the method. */
  function match(pathname: string, method: string): {r: Route; m: RegExpExecArray} {
    const matching = routes.map((r) => ({r, m: r.pattern.exec(pathname)})).filter((x): x is {r: Route; m: RegExpExecArray} => x.m !== null)
    if (matching.length === 0) throw new Problem(404, 'not-found')
    const hit = matching.find((x) => x.r.method === method)
    if (!hit) throw new Problem(405, 'method-not-allowed', `allowed: ${matching.map((x) => x.r.method).join(', ')}`, {}, {Allow: matching.map((x) => x.r.method).join(', ')})
    return hit
  }

  /** Runs one route for a principal: the handlers' own checks (role, department, body) decide. */
  function runRoute(r: Route, m: RegExpExecArray, principal: Principal, query: URLSearchParams, lang: Lang, req: http.IncomingMessage, body: (ctx: Ctx & {rawBody?: string}) => Promise<unknown>): Promise<Answer> {
    const params: Record<string, string> = {}
    r.keys.forEach((k, i) => (params[k] = decodeSegment(m[i + 1])))
    const ctx: Ctx & {rawBody?: string} = {req, principal, params, query, lang, body: () => body(ctx)}
    return r.handler(ctx)
  }

  /**
   * One API request, in the order the tests pin: route (404/405), token (401), rate limit (429),
   * query and path encoding (400), then the handler, which reads the body (415/413/400) itself.
   * `route` is fastify's match; the path is matched again here so that what fastify routes
   * differently (a malformed URL, trailing slashes, an unknown method) answers as the API says.
   */
  async function handle(request: FastifyRequest, reply: FastifyReply, special?: 'healthz' | Problem): Promise<void> {
    const req = request.raw
    const t0 = process.hrtime.bigint()
    const requestId = randomBytes(8).toString('hex')
    const lang = langOf(req)
    const url = new URL(req.url ?? '/', 'http://localhost')
    const pathname = url.pathname.replace(/\/+$/, '') || '/'
    const method = req.method ?? 'GET'
    let principal: Principal | undefined
    const exchange = {method, path: pathname, query: Object.fromEntries(url.searchParams), requestHeaders: req.headers, requestBody: undefined as unknown}
    let answer: Answer
    let isProblem = false
    try {
      if (special instanceof Problem) throw special
      if (special === 'healthz') {
        const ok = await store.ping()
        answer = {status: ok ? 200 : 503, body: {status: ok ? 'ok' : 'degraded', store: {kind: store.kind, reachable: ok}, version: toolVersion(), uptimeSeconds: Math.round((Date.now() - started) / 1000), limits: {maxBodyBytes: maxBody}}}
      } else {
        const hit = match(pathname, method)
        const auth = String(req.headers.authorization ?? '')
        const m = /^Bearer\s+(\S+)\s*$/i.exec(auth)
        if (!m) throw new Problem(401, 'unauthorized', t(lang, 'review.detail.noToken'), {}, {'WWW-Authenticate': 'Bearer realm="sjt"'})
        const tokenHash = hashToken(m[1])
        const token = await tokenFor(tokenHash, hit.r.storeConfirmsToken)
        if (!token) throw new Problem(401, 'unauthorized', t(lang, 'review.detail.badToken'), {}, {'WWW-Authenticate': 'Bearer realm="sjt", error="invalid_token"'})
        principal = {token, tokenHash, role: token.role, creditCode: token.creditCode}
        const wait = rateCheck(token.id)
        if (wait > 0) throw new Problem(429, 'rate-limited', t(lang, 'review.detail.rateLimited', {seconds: wait}), {retryAfter: wait}, {'Retry-After': String(wait)})
        checkQueryEncoding(url.search)
        answer = await runRoute(hit.r, hit.m, principal, url.searchParams, lang, req, async (ctx) => {
          requireJson(req)
          const text = decodeUtf8(await readBody(req, maxBody))
          ctx.rawBody = text
          let parsed: unknown
          try {
            parsed = JSON.parse(text)
          } catch (error) {
            throw new Problem(400, 'malformed-request', `the body is not JSON: ${(error as Error).message}`)
          }
          checkJsonValue(parsed)
          exchange.requestBody = parsed
          return parsed
        })
      }
    } catch (error) {
      isProblem = true
      if (error instanceof Problem) answer = problemAnswer(error, lang, requestId, pathname)
      else {
        const e = error as Error & {code?: string}
        const storeDown = /ECONNREFUSED|ECONNRESET|SQLITE_BUSY|SQLITE_IOERR|terminat|Connection terminated|connect ETIMEDOUT/i.test(`${e.code ?? ''} ${e.message}`)
        log({level: 'error', msg: storeDown ? 'store unavailable' : 'internal error', requestId, error: e.message, stack: storeDown ? undefined : e.stack})
        answer = problemAnswer(new Problem(storeDown ? 503 : 500, storeDown ? 'store-unavailable' : 'internal'), lang, requestId, pathname)
      }
    }
    if (reply.raw.destroyed) return
    answer.headers = {...answer.headers, 'X-Request-Id': requestId}
    send(req, reply, answer, isProblem, exchange)
    log({
      level: answer.status >= 500 ? 'error' : 'info',
      msg: 'request',
      requestId,
      method,
      path: pathname,
      status: answer.status,
      ms: Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100,
      ...(principal ? {role: principal.role, tokenId: principal.token.id} : {}),
    })
  }

  /** What fastify refuses before a handler runs (a malformed URL or Content-Type) as the API's problems. */
  function frameworkProblem(error: {statusCode?: number; code?: string; message: string}): Problem {
    if (error.statusCode === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new Problem(415, 'unsupported-media-type', 'the body must be sent as Content-Type: application/json (UTF-8)', {}, {'Accept-Post': 'application/json'})
    if (error.statusCode === 413) return new Problem(413, 'payload-too-large', `the body is larger than the limit of ${maxBody} bytes`)
    return new Problem(400, 'malformed-request', error.message.slice(0, 300))
  }

  const app = Fastify({
    logger: false,
    ...(opts.tls ? {https: {key: opts.tls.key, cert: opts.tls.cert}} : {}),
    requestTimeout: 60_000,
    keepAliveTimeout: 5_000,
    // Shutdown is ours (close() below): requests keep being answered, with Connection: close.
    return503OnClosing: false,
    forceCloseConnections: false,
    exposeHeadRoutes: false,
    bodyLimit: maxBody,
    routerOptions: {ignoreTrailingSlash: true, maxParamLength: 2000},
    frameworkErrors: (error: Error & {statusCode?: number; code?: string}, request: FastifyRequest, reply: FastifyReply) => void handle(request, reply, frameworkProblem(error)),
  } as Parameters<typeof Fastify>[0]) as unknown as import('fastify').FastifyInstance
  const server = app.server as http.Server
  server.headersTimeout = 20_000
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight++
    res.on('close', () => {
      inFlight--
      if (inFlight === 0) idle.splice(0).forEach((f) => f())
    })
  })

  await app.register(async (api) => {
    // No body parser: a handler reads the body itself (after authorization, within the limit).
    api.removeAllContentTypeParsers()
    api.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined))
    api.setErrorHandler((error, request, reply) => handle(request, reply, frameworkProblem(error as Error & {statusCode?: number})))
    api.route({method: ['GET', 'HEAD'], url: '/healthz', handler: (request, reply) => handle(request, reply, 'healthz')})
    api.get('/openapi.yaml', (_request, reply) => {
      reply.code(200).headers({'Content-Type': 'application/yaml; charset=utf-8', 'Content-Length': String(Buffer.byteLength(contractText))}).send(contractText)
    })
    for (const r of routes) api.route({method: r.method as 'GET', url: r.template.replace(/\{(\w+)\}/g, ':$1'), handler: (request, reply) => handle(request, reply)})
    api.setNotFoundHandler((request, reply) => handle(request, reply))
  })

  /** The console's way to the API: the same routes and checks, in process, for the session's principal. */
  const callApi: ApiCall = async (principal, method, pathAndQuery, opt = {}) => {
    const lang = opt.lang ?? 'zh-CN'
    const url = new URL(pathAndQuery, 'http://localhost')
    try {
      const hit = match(url.pathname, method)
      const wait = rateCheck(principal.token.id)
      if (wait > 0) throw new Problem(429, 'rate-limited', t(lang, 'review.detail.rateLimited', {seconds: wait}), {retryAfter: wait}, {'Retry-After': String(wait)})
      const answer = await runRoute(hit.r, hit.m, principal, url.searchParams, lang, opt.req ?? (undefined as unknown as http.IncomingMessage), async () => {
        checkJsonValue(opt.body ?? null)
        return opt.body ?? null
      })
      return {status: answer.status, body: answer.body as any}
    } catch (error) {
      if (error instanceof Problem) return {status: error.status, body: problemAnswer(error, lang, randomBytes(8).toString('hex'), url.pathname).body as any}
      throw error
    }
  }

  await app.register(consolePlugin, {store, monitoring: rule, log, api: callApi, tokenFor, secure: Boolean(opts.tls), sessionTtlMs: opts.sessionTtlMs})

  try {
    await app.listen({port: opts.port ?? 0, host: opts.host ?? '127.0.0.1'})
  } catch (error) {
    await app.close().catch(() => undefined)
    throw error
  }
  const addr = server.address() as {port: number; address: string}
  const hostForUrl = addr.address.includes(':') ? `[${addr.address}]` : addr.address
  const url = `${opts.tls ? 'https' : 'http'}://${hostForUrl}:${addr.port}`
  log({level: 'info', msg: 'listening', url, store: store.kind, maxBodyBytes: maxBody, rateLimitPerMinute: perMinute})

  let closed: Promise<void> | null = null
  async function close(): Promise<void> {
    closed ??= (async () => {
      closing = true
      const stopped = app.close()
      server.closeIdleConnections()
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((r) => idle.push(r)), new Promise<void>((r) => setTimeout(r, opts.graceMs ?? 10_000).unref())])
      }
      server.closeAllConnections()
      await stopped
      await store.close()
      log({level: 'info', msg: 'stopped'})
    })()
    return closed
  }

  return {url, port: addr.port, server, close}
}
