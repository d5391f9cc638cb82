// The reference review server (spec/review-api.md) on node:http: no framework, so the order of
// durability (commit, then answer), body limits, connection handling and shutdown are ours to
// see and test. The contract is standards/review-api.openapi.yaml.
import http from 'node:http'
import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {schemaValidator} from '../lib/schema.js'
import {STANDARDS_DIR, toolVersion} from '../lib/paths.js'
import {t} from '../lib/i18n/index.js'
import type {Store} from './store.js'
import {appRoutes} from './server/apps.js'
import {createRateLimit, createTokenCache, hashToken} from './server/auth.js'
import {createContext, loadMonitoringRule, type MonitoringRule} from './server/context.js'
import {checkJsonValue, checkQueryEncoding, decodeSegment, decodeUtf8, langOf, Problem, problemAnswer, readBody, requireJson, type Answer, type Ctx, type Principal, type Route} from './server/http.js'
import {scoreRoutes} from './server/scores.js'
import {recheckRoutes} from './server/rechecks.js'
import {submissionRoutes} from './server/submissions.js'
import {metricsRoute} from './server/metrics.js'
import {renderMetrics} from './queue/metrics.js'

export {PROBLEM_BASE} from './server/http.js'
export {hashToken, newToken, TOKEN_CACHE_MS} from './server/auth.js'
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
}

export interface RunningServer {
  url: string
  port: number
  server: http.Server
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

  function send(req: http.IncomingMessage, res: http.ServerResponse, a: Answer, problem: boolean, exchange: Omit<Exchange, 'status' | 'responseHeaders' | 'responseBody'>): void {
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
    res.writeHead(a.status, headers)
    res.end(text)
    if (opts.observe) opts.observe({...exchange, status: a.status, responseHeaders: headers, responseBody: a.body})
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const t0 = process.hrtime.bigint()
    const requestId = randomBytes(8).toString('hex')
    const lang = langOf(req)
    const url = new URL(req.url ?? '/', 'http://localhost')
    const pathname = url.pathname.replace(/\/+$/, '') || '/'
    const method = req.method ?? 'GET'
    let principal: Principal | undefined
    let parsedBody: unknown
    const exchange = {method, path: pathname, query: Object.fromEntries(url.searchParams), requestHeaders: req.headers, requestBody: undefined as unknown}
    let answer: Answer
    let isProblem = false
    try {
      if (pathname === '/healthz' && (method === 'GET' || method === 'HEAD')) {
        const ok = await store.ping()
        answer = {status: ok ? 200 : 503, body: {status: ok ? 'ok' : 'degraded', store: {kind: store.kind, reachable: ok}, version: toolVersion(), uptimeSeconds: Math.round((Date.now() - started) / 1000), limits: {maxBodyBytes: maxBody}}}
      } else if (pathname === '/openapi.yaml' && method === 'GET') {
        res.writeHead(200, {'Content-Type': 'application/yaml; charset=utf-8', 'Content-Length': String(Buffer.byteLength(contractText))})
        res.end(contractText)
        return
      } else {
        const matching = routes.map((r) => ({r, m: r.pattern.exec(pathname)})).filter((x) => x.m)
        if (matching.length === 0) throw new Problem(404, 'not-found')
        const hit = matching.find((x) => x.r.method === method)
        if (!hit) throw new Problem(405, 'method-not-allowed', `allowed: ${matching.map((x) => x.r.method).join(', ')}`, {}, {Allow: matching.map((x) => x.r.method).join(', ')})
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
        const params: Record<string, string> = {}
        hit.r.keys.forEach((k, i) => (params[k] = decodeSegment(hit.m![i + 1])))
        const ctx: Ctx & {rawBody?: string} = {
          req,
          principal,
          params,
          query: url.searchParams,
          lang,
          body: async () => {
            requireJson(req)
            const text = decodeUtf8(await readBody(req, maxBody))
            ctx.rawBody = text
            try {
              parsedBody = JSON.parse(text)
            } catch (error) {
              throw new Problem(400, 'malformed-request', `the body is not JSON: ${(error as Error).message}`)
            }
            checkJsonValue(parsedBody)
            exchange.requestBody = parsedBody
            return parsedBody
          },
        }
        answer = await hit.r.handler(ctx)
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
    if (res.destroyed) return
    answer.headers = {...answer.headers, 'X-Request-Id': requestId}
    send(req, res, answer, isProblem, exchange)
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

  const server = http.createServer({requestTimeout: 60_000, headersTimeout: 20_000, keepAliveTimeout: 5_000}, (req, res) => {
    inFlight++
    res.on('close', () => {
      inFlight--
      if (inFlight === 0) idle.splice(0).forEach((f) => f())
    })
    handle(req, res).catch((error) => {
      log({level: 'error', msg: 'unhandled', error: (error as Error).message})
      if (!res.headersSent) res.writeHead(500).end()
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const addr = server.address() as {port: number; address: string}
  const hostForUrl = addr.address.includes(':') ? `[${addr.address}]` : addr.address
  const url = `http://${hostForUrl}:${addr.port}`
  log({level: 'info', msg: 'listening', url, store: store.kind, maxBodyBytes: maxBody, rateLimitPerMinute: perMinute})

  let closed: Promise<void> | null = null
  async function close(): Promise<void> {
    closed ??= (async () => {
      closing = true
      const stopped = new Promise<void>((r) => server.close(() => r()))
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
