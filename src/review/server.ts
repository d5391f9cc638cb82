// The reference review server (spec/review-api.md) on node:http: no framework, so the order of
// durability (commit, then answer), body limits, connection handling and shutdown are ours to
// see and test. The contract is standards/review-api.openapi.yaml.
import http from 'node:http'
import {createHash, randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {parse as parseYaml} from 'yaml'
import {canonicalJson, computeDigest} from '../core/result.js'
import type {Lang, ResultDocument} from '../core/types.js'
import {describeAjvError, schemaValidator} from '../lib/schema.js'
import {STANDARDS_DIR, toolVersion} from '../lib/paths.js'
import {t} from '../lib/i18n/index.js'
import {
  ACTIONS,
  APP_STATES,
  DECISIONS,
  SUBMISSION_STATES,
  type AppRecord,
  type AppState,
  type HistoryEntry,
  type ProbeEvent,
  type Role,
  type Store,
  type SubmissionRecord,
  type SubmissionStatus,
  type TokenRecord,
} from './store.js'

export const PROBLEM_BASE = 'https://sjt.example/problems/'
export const DEFAULT_MAX_BODY = 5 * 1024 * 1024
export const DEFAULT_RATE_LIMIT = 1200

export interface MonitoringRule {
  windowDays: number
  failShare: number
  openTimeoutSeconds: number
  minProbes: number
  intervalSeconds: number
  clause?: string
}

/** The profile's monitoring figures (standards/<profile>/monitoring.yaml). */
export function loadMonitoringRule(profile = 'shanxi-2022'): MonitoringRule {
  const file = path.join(STANDARDS_DIR, profile, 'monitoring.yaml')
  const data = parseYaml(readFileSync(file, 'utf8')) as {clause?: string; params: Partial<MonitoringRule>}
  const p = data.params ?? {}
  return {
    windowDays: Number(p.windowDays ?? 7),
    failShare: Number(p.failShare ?? 0.05),
    openTimeoutSeconds: Number(p.openTimeoutSeconds ?? 15),
    minProbes: Number(p.minProbes ?? 1),
    intervalSeconds: Number(p.intervalSeconds ?? 3600),
    clause: data.clause,
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** A new token: `sjt_<role initial>_<43 characters of base64url>` (256 random bits). */
export function newToken(role: Role): string {
  return `sjt_${role[0]}_${randomBytes(32).toString('base64url')}`
}

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
}

export interface RunningServer {
  url: string
  port: number
  server: http.Server
  close(): Promise<void>
}

class Problem extends Error {
  constructor(
    public readonly status: number,
    public readonly kind: string,
    public readonly detail?: string,
    public readonly ext: Record<string, unknown> = {},
    public readonly headers: Record<string, string> = {},
  ) {
    super(kind)
  }
}

interface Principal {
  token: TokenRecord
  /** The SHA-256 of the bearer token: the key of the token cache. */
  tokenHash: string
  role: Role
  creditCode: string | null
}

interface Ctx {
  req: http.IncomingMessage
  principal: Principal
  params: Record<string, string>
  query: URLSearchParams
  lang: Lang
  body: () => Promise<unknown>
}

interface Answer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

type Handler = (ctx: Ctx) => Promise<Answer>

interface Route {
  method: string
  pattern: RegExp
  keys: string[]
  handler: Handler
  /** The handler's store call confirms the token at commit, so the principal may come from the cache. */
  storeConfirmsToken: boolean
}

function route(method: string, template: string, handler: Handler, storeConfirmsToken = false): Route {
  const keys: string[] = []
  const pattern = new RegExp(
    '^' +
      template.replace(/\{(\w+)\}/g, (_m, k: string) => {
        keys.push(k)
        return '([^/]+)'
      }) +
      '$',
  )
  return {method, pattern, keys, handler, storeConfirmsToken}
}

/** How long a token looked up for the submission route is reused without asking the store. */
export const TOKEN_CACHE_MS = 3000
const TOKEN_CACHE_SIZE = 1000

function langOf(req: http.IncomingMessage): Lang {
  const a = String(req.headers['accept-language'] ?? '').toLowerCase()
  return a.startsWith('en') ? 'en' : 'zh-CN'
}

const TITLE_KEYS: Record<string, string> = {
  'malformed-request': 'review.problem.malformed',
  unauthorized: 'review.problem.unauthorized',
  forbidden: 'review.problem.forbidden',
  'wrong-department': 'review.problem.wrongDepartment',
  'not-found': 'review.problem.notFound',
  'method-not-allowed': 'review.problem.methodNotAllowed',
  'idempotency-key-reused': 'review.problem.keyReused',
  'illegal-transition': 'review.problem.illegalTransition',
  'not-approved': 'review.problem.notApproved',
  'payload-too-large': 'review.problem.tooLarge',
  'invalid-result': 'review.problem.invalidResult',
  'digest-mismatch': 'review.problem.digestMismatch',
  'override-required': 'review.problem.overrideRequired',
  'rate-limited': 'review.problem.rateLimited',
  'store-unavailable': 'review.problem.storeUnavailable',
  'score-model-unavailable': 'review.problem.scoreUnavailable',
  internal: 'review.problem.internal',
}

const LIMIT_MAX = 1000

function intParam(q: URLSearchParams, name: string, def: number, min: number, max: number): number {
  const v = q.get(name)
  if (v === null || v === '') return def
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new Problem(400, 'malformed-request', `${name} must be an integer from ${min} to ${max}`)
  return Number(v)
}

function regionParam(q: URLSearchParams): string | undefined {
  const v = q.get('regionCode')
  if (v === null || v === '') return undefined
  if (!/^\d{2,12}$/.test(v)) throw new Problem(400, 'malformed-request', 'regionCode must be 2 to 12 digits (e.g. 140000 or 1401)')
  return v
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function httpUrl(v: unknown): string | null {
  return typeof v === 'string' && /^https?:\/\//i.test(v) ? v : null
}

interface ScoreView {
  total: number | null
  grade: string | null
  gradeId?: string | null
  indices: Array<{id: string; score: number | null; weight: number}>
  modelVersion: string
}

type ScoreModule = {scoreResult: (doc: ResultDocument) => any; rankScores?: (items: any[]) => any[]}

let scoreModule: Promise<ScoreModule | null> | null = null

/** The capability model lives in src/score; the server works (without scores) when it is absent. */
async function loadScoreModule(): Promise<ScoreModule | null> {
  scoreModule ??= (async () => {
    for (const f of ['../score/index.js', '../score/score.js']) {
      try {
        const m = (await import(f)) as Partial<ScoreModule>
        if (typeof m.scoreResult === 'function') return m as ScoreModule
      } catch {
        // try the next
      }
    }
    return null
  })()
  return scoreModule
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

  // ---- rate limit: a token bucket per token id ----
  const buckets = new Map<string, {tokens: number; last: number}>()
  function rateCheck(tokenId: string): number {
    if (perMinute <= 0) return 0
    const now = Date.now()
    const rate = perMinute / 60_000
    const b = buckets.get(tokenId) ?? {tokens: perMinute, last: now}
    b.tokens = Math.min(perMinute, b.tokens + (now - b.last) * rate)
    b.last = now
    buckets.set(tokenId, b)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000))
  }

  // ---- tokens ----
  // POST /v1/submissions takes its principal (role, department: they never change) from a cache
  // keyed by the token's hash, kept for TOKEN_CACHE_MS, because the store confirms in the
  // submission's own transaction that the token still exists unrevoked (liveToken). A token
  // revoked by `sjt review-server token revoke` (another process, possibly another instance's
  // database client) therefore records nothing from the moment the revocation committed, on
  // every instance: the refusal is a 401 and drops the entry. Within the cache time the only
  // difference a revoked token sees is that a body refused before the store is reached (400, 403
  // wrong department, 422) is answered as such rather than 401. Every other route asks the store.
  const tokenCache = new Map<string, {token: TokenRecord; until: number}>()
  async function tokenFor(hash: string, cached: boolean): Promise<TokenRecord | null> {
    const now = Date.now()
    if (cached) {
      const hit = tokenCache.get(hash)
      if (hit && hit.until > now) return hit.token
    }
    const token = await store.findTokenByHash(hash)
    tokenCache.delete(hash)
    if (!token || token.revokedAt) return null
    if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.delete(tokenCache.keys().next().value!)
    tokenCache.set(hash, {token, until: now + TOKEN_CACHE_MS})
    return token
  }

  // ---- scores, cached by submission id (a stored document never changes) ----
  const scoreCache = new Map<string, ScoreView | null>()
  async function scoreOf(submissionId: string | null, document?: string): Promise<ScoreView | null> {
    if (!submissionId) return null
    if (scoreCache.has(submissionId)) return scoreCache.get(submissionId)!
    const mod = await loadScoreModule()
    if (!mod) return null
    const text = document ?? (await store.getSubmissionDocument(submissionId))
    if (!text) return null
    let view: ScoreView | null = null
    try {
      const s = await mod.scoreResult(JSON.parse(text))
      view = {
        total: typeof s.total === 'number' ? s.total : null,
        grade: s.grade ?? null,
        gradeId: s.gradeId ?? null,
        indices: Array.isArray(s.indices) ? s.indices.map((i: any) => ({id: String(i.id), score: typeof i.score === 'number' ? i.score : null, weight: Number(i.weight)})) : [],
        modelVersion: String(s.modelVersion ?? 'unknown'),
      }
    } catch (error) {
      log({level: 'warn', msg: 'score failed', submissionId, error: (error as Error).message})
    }
    if (scoreCache.size > 5000) scoreCache.delete(scoreCache.keys().next().value!)
    scoreCache.set(submissionId, view)
    return view
  }

  function since(): string {
    return new Date(Date.now() - rule.windowDays * 86_400_000).toISOString()
  }

  function submissionSummary(s: SubmissionRecord): Record<string, unknown> {
    return {...s}
  }

  async function submissionView(s: SubmissionRecord): Promise<Record<string, unknown>> {
    const history = await store.history(s.appId, s.id)
    const comments = history
      .filter((h) => h.kind === 'decision' && h.comment)
      .map((h) => ({at: h.at, decision: h.name, comment: h.comment!, ...(h.data?.override ? {override: true} : {})}))
    return {...submissionSummary(s), history, comments}
  }

  async function appView(a: AppRecord, detail: boolean): Promise<Record<string, unknown>> {
    const latest = a.latestSubmissionId ? await store.getSubmission(a.latestSubmissionId) : null
    const view: Record<string, unknown> = {
      appId: a.appId,
      name: a.name,
      version: a.version,
      creditCode: a.creditCode,
      regionCode: a.regionCode,
      state: a.state,
      latestSubmission: latest ? {id: latest.id, status: latest.status, verdict: latest.verdict, receivedAt: latest.receivedAt} : null,
      latestApprovedSubmissionId: a.latestApprovedId,
      latestScore: await scoreOf(a.latestApprovedId),
      urls: {entry: a.entryUrl, elder: a.elderUrl, health: a.healthUrl},
      needsReview: a.needsReview,
      reviewReason: a.reviewReason,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
    }
    if (detail) view.monitoring = await store.monitorWindow(a.appId, since())
    return view
  }

  /**
   * Role and department check. Submitters learn nothing of other departments: whatever is not
   * theirs is 404, before the role is considered; other roles get 403 when the role may not.
   */
  async function authorize<T>(p: Principal, roles: Role[], load: () => Promise<T | null>, owner: (x: T) => string): Promise<T> {
    if (p.role === 'submitter') {
      const x = await load()
      if (!x || owner(x) !== p.creditCode) throw new Problem(404, 'not-found')
      if (!roles.includes('submitter')) throw new Problem(403, 'forbidden', `role ${p.role} may not do this`)
      return x
    }
    if (!roles.includes(p.role)) throw new Problem(403, 'forbidden', `role ${p.role} may not do this`)
    const x = await load()
    if (!x) throw new Problem(404, 'not-found')
    return x
  }

  function requireRole(p: Principal, roles: Role[]): void {
    if (!roles.includes(p.role)) throw new Problem(403, 'forbidden', `role ${p.role} may not do this`)
  }

  function strictBody(body: unknown, allowed: string[]): Record<string, any> {
    if (!isObject(body)) throw new Problem(400, 'malformed-request', 'the body must be a JSON object')
    const extra = Object.keys(body).filter((k) => !allowed.includes(k))
    if (extra.length) throw new Problem(400, 'malformed-request', `unknown member${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}`)
    return body
  }

  const routes: Route[] = [
    route('POST', '/v1/submissions', async (ctx): Promise<Answer> => {
      const p = ctx.principal
      requireRole(p, ['submitter'])
      const keyHeader = ctx.req.headers['idempotency-key']
      const key = typeof keyHeader === 'string' ? keyHeader : null
      if (key !== null && !/^[\x21-\x7E]{1,200}$/.test(key)) throw new Problem(400, 'malformed-request', 'Idempotency-Key must be 1 to 200 printable ASCII characters')
      const body = await ctx.body()
      if (!validateResult(body)) {
        const errors = (validateResult.errors ?? []).slice(0, 50).map((e) => ({pointer: e.instancePath || '/', message: describeAjvError(e)}))
        throw new Problem(422, 'invalid-result', t(ctx.lang, 'review.detail.schema', {n: errors.length}), {errors})
      }
      const doc = body as unknown as ResultDocument & Record<string, unknown>
      const creditCode = doc.app.creditCode
      if (!creditCode) throw new Problem(422, 'invalid-result', t(ctx.lang, 'review.detail.noCreditCode'), {errors: [{pointer: '/app/creditCode', message: 'required to submit: the department that owns the app'}]})
      if (creditCode !== p.creditCode) throw new Problem(403, 'wrong-department', t(ctx.lang, 'review.detail.wrongDepartment'))
      const digest = computeDigest(doc)
      if (digest !== doc.digest.value) {
        throw new Problem(422, 'digest-mismatch', t(ctx.lang, 'review.detail.digest'), {errors: [{pointer: '/digest/value', message: `the document's digest is ${doc.digest.value}; its content hashes to ${digest}`}]})
      }
      const manifest = isObject(doc.manifest) ? doc.manifest : {}
      const out = await store.createSubmission({
        scope: `submitter:${creditCode}`,
        key,
        requestHash: createHash('sha256').update(digest + '|' + canonicalJson(doc.signature ?? null)).digest('hex'),
        appId: doc.app.id,
        appName: doc.app.name,
        appVersion: doc.app.version,
        creditCode,
        regionCode: doc.app.regionCode ?? (typeof manifest.owner?.regionCode === 'string' ? manifest.owner.regionCode : null),
        verdict: doc.verdict,
        digest,
        document: (ctx as Ctx & {rawBody?: string}).rawBody ?? JSON.stringify(doc),
        entryUrl: httpUrl(manifest.app?.entry),
        elderUrl: httpUrl(manifest.app?.elderEntry),
        healthUrl: httpUrl(manifest.monitoring?.health),
        actor: {role: p.role, tokenId: p.token.id},
        liveToken: true,
      })
      switch (out.kind) {
        case 'created':
          return {status: 201, body: out.body, headers: {Location: `/v1/submissions/${out.body.id}`}}
        case 'replayed':
          return {status: out.status, body: out.body, headers: {Location: `/v1/submissions/${out.body.id}`, 'Idempotent-Replayed': 'true'}}
        case 'key-conflict':
          throw new Problem(409, 'idempotency-key-reused', t(ctx.lang, 'review.detail.keyReused'))
        case 'unauthorized':
          tokenCache.delete(p.tokenHash)
          throw new Problem(401, 'unauthorized', t(ctx.lang, 'review.detail.badToken'), {}, {'WWW-Authenticate': 'Bearer realm="sjt", error="invalid_token"'})
        default:
          throw new Problem(403, 'wrong-department', t(ctx.lang, 'review.detail.wrongDepartment'))
      }
    }, true),
    route('GET', '/v1/submissions', async (ctx) => {
      const p = ctx.principal
      requireRole(p, ['submitter', 'reviewer', 'auditor'])
      const status = ctx.query.get('status') || undefined
      if (status && !SUBMISSION_STATES.includes(status as SubmissionStatus)) throw new Problem(400, 'malformed-request', `status must be one of ${SUBMISSION_STATES.join(', ')}`)
      const limit = intParam(ctx.query, 'limit', 100, 1, LIMIT_MAX)
      const offset = intParam(ctx.query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER)
      const items = await store.listSubmissions({appId: ctx.query.get('appId') || undefined, status: status as SubmissionStatus | undefined, creditCode: p.role === 'submitter' ? p.creditCode! : undefined, limit: limit + 1, offset})
      return {status: 200, body: {items: items.slice(0, limit).map(submissionSummary), nextOffset: items.length > limit ? offset + limit : null}}
    }),
    route('GET', '/v1/submissions/{id}', async (ctx) => {
      const s = await authorize(ctx.principal, ['submitter', 'reviewer', 'auditor'], () => store.getSubmission(ctx.params.id), (x) => x.creditCode)
      return {status: 200, body: await submissionView(s)}
    }),
    route('GET', '/v1/submissions/{id}/document', async (ctx) => {
      await authorize(ctx.principal, ['submitter', 'reviewer', 'auditor'], () => store.getSubmission(ctx.params.id), (x) => x.creditCode)
      const text = await store.getSubmissionDocument(ctx.params.id)
      return {status: 200, body: JSON.parse(text!)}
    }),
    route('POST', '/v1/submissions/{id}/decision', async (ctx) => {
      const p = ctx.principal
      const s = await authorize(p, ['reviewer'], () => store.getSubmission(ctx.params.id), (x) => x.creditCode)
      const b = strictBody(await ctx.body(), ['decision', 'comment', 'override'])
      if (!DECISIONS.includes(b.decision)) throw new Problem(400, 'malformed-request', `decision must be one of ${DECISIONS.join(', ')}`)
      if (b.comment !== undefined && typeof b.comment !== 'string') throw new Problem(400, 'malformed-request', 'comment must be a string')
      if (b.override !== undefined && typeof b.override !== 'boolean') throw new Problem(400, 'malformed-request', 'override must be true or false')
      const comment = typeof b.comment === 'string' && b.comment.trim() ? b.comment.trim() : null
      if (b.decision === 'approve' && s.verdict === 'fail' && !(b.override === true && comment)) {
        throw new Problem(422, 'override-required', t(ctx.lang, 'review.detail.override'), {errors: [{pointer: b.override === true ? '/comment' : '/override', message: 'approving a failing result needs override: true and a comment'}]})
      }
      const out = await store.decide(s.id, {decision: b.decision, comment, override: b.override === true, actor: {role: p.role, tokenId: p.token.id}, at: new Date().toISOString()})
      if (out.kind === 'not-found') throw new Problem(404, 'not-found')
      if (out.kind === 'illegal') {
        throw new Problem(409, 'illegal-transition', t(ctx.lang, 'review.detail.illegalDecision', {decision: b.decision, from: out.from}), {from: out.from, allowed: DECISIONS.filter((d) => d === 'review' ? out.from === 'received' : out.from === 'received' || out.from === 'in_review')})
      }
      if (out.kind !== 'ok') throw new Problem(409, 'illegal-transition')
      return {status: 200, body: await submissionView(out.value)}
    }),
    route('GET', '/v1/apps', async (ctx) => {
      const p = ctx.principal
      const state = ctx.query.get('state') || undefined
      if (state && !APP_STATES.includes(state as AppState)) throw new Problem(400, 'malformed-request', `state must be one of ${APP_STATES.join(', ')}`)
      const limit = intParam(ctx.query, 'limit', 100, 1, LIMIT_MAX)
      const offset = intParam(ctx.query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER)
      const apps = await store.listApps({regionCode: regionParam(ctx.query), state: state as AppState | undefined, creditCode: p.role === 'submitter' ? p.creditCode! : undefined, limit: limit + 1, offset})
      const items = []
      for (const a of apps.slice(0, limit)) items.push(await appView(a, false))
      return {status: 200, body: {items, nextOffset: apps.length > limit ? offset + limit : null}}
    }),
    route('GET', '/v1/apps/{appId}', async (ctx) => {
      const a = await authorize(ctx.principal, ['submitter', 'reviewer', 'auditor', 'monitor'], () => store.getApp(ctx.params.appId), (x) => x.creditCode)
      return {status: 200, body: await appView(a, true)}
    }),
    route('POST', '/v1/apps/{appId}/actions', async (ctx) => {
      const p = ctx.principal
      const a = await authorize(p, ['reviewer'], () => store.getApp(ctx.params.appId), (x) => x.creditCode)
      const b = strictBody(await ctx.body(), ['action', 'reason'])
      if (!ACTIONS.includes(b.action)) throw new Problem(400, 'malformed-request', `action must be one of ${ACTIONS.join(', ')}`)
      if (b.reason !== undefined && typeof b.reason !== 'string') throw new Problem(400, 'malformed-request', 'reason must be a string')
      const out = await store.act(a.appId, {action: b.action, reason: typeof b.reason === 'string' && b.reason.trim() ? b.reason.trim() : null, actor: {role: p.role, tokenId: p.token.id}, at: new Date().toISOString()})
      if (out.kind === 'not-found') throw new Problem(404, 'not-found')
      if (out.kind === 'illegal') throw new Problem(409, 'illegal-transition', t(ctx.lang, 'review.detail.illegalAction', {action: b.action, from: out.from}), {from: out.from})
      if (out.kind === 'not-approved') throw new Problem(409, 'not-approved', t(ctx.lang, 'review.detail.notApproved'))
      return {status: 200, body: await appView(out.value, true)}
    }),
    route('GET', '/v1/apps/{appId}/history', async (ctx) => {
      const a = await authorize(ctx.principal, ['submitter', 'reviewer', 'auditor'], () => store.getApp(ctx.params.appId), (x) => x.creditCode)
      const items: HistoryEntry[] = await store.history(a.appId)
      return {status: 200, body: {appId: a.appId, items}}
    }),
    route('POST', '/v1/apps/{appId}/events', async (ctx) => {
      const p = ctx.principal
      const a = await authorize(p, ['monitor', 'reviewer'], () => store.getApp(ctx.params.appId), (x) => x.creditCode)
      const b = strictBody(await ctx.body(), ['events'])
      if (!Array.isArray(b.events) || b.events.length < 1 || b.events.length > 1000) throw new Problem(400, 'malformed-request', 'events must be an array of 1 to 1000 probes')
      const events: ProbeEvent[] = b.events.map((e: unknown, i: number) => {
        if (!isObject(e)) throw new Problem(400, 'malformed-request', `events/${i} must be an object`)
        const bad = (m: string) => new Problem(400, 'malformed-request', `events/${i}: ${m}`)
        if (typeof e.url !== 'string' || e.url.length > 2000) throw bad('url must be a string')
        if (!['entry', 'elder', 'health'].includes(e.kind)) throw bad('kind must be entry, elder or health')
        if (typeof e.ok !== 'boolean') throw bad('ok must be true or false')
        if (typeof e.at !== 'string' || Number.isNaN(Date.parse(e.at))) throw bad('at must be a date-time')
        if (e.status !== undefined && e.status !== null && !Number.isInteger(e.status)) throw bad('status must be an integer')
        if (e.latencyMs !== undefined && e.latencyMs !== null && !(typeof e.latencyMs === 'number' && e.latencyMs >= 0)) throw bad('latencyMs must be a number ≥ 0')
        const extra = Object.keys(e).filter((k) => !['url', 'kind', 'ok', 'status', 'latencyMs', 'error', 'at'].includes(k))
        if (extra.length) throw bad(`unknown member ${extra[0]}`)
        return {url: e.url, kind: e.kind, ok: e.ok, status: e.status ?? null, latencyMs: e.latencyMs ?? null, error: typeof e.error === 'string' ? e.error.slice(0, 500) : null, at: new Date(e.at).toISOString()}
      })
      const out = await store.recordProbes(a.appId, events, {role: p.role, tokenId: p.token.id}, {since: since(), failShare: rule.failShare, minProbes: rule.minProbes}, new Date().toISOString())
      if (!out) throw new Problem(404, 'not-found')
      if (out.newlyFlagged) log({level: 'warn', msg: 'app marked for review by monitoring', appId: a.appId, probes: out.window.probes, failures: out.window.failures})
      return {
        status: 201,
        body: {
          appId: a.appId,
          recorded: events.length,
          window: out.window,
          rule: {windowDays: rule.windowDays, failShare: rule.failShare, openTimeoutSeconds: rule.openTimeoutSeconds, minProbes: rule.minProbes},
          needsReview: out.flagged,
          newlyFlagged: out.newlyFlagged,
        },
      }
    }),
    route('GET', '/v1/scores', async (ctx) => {
      requireRole(ctx.principal, ['auditor', 'reviewer'])
      const region = regionParam(ctx.query)
      const mod = await loadScoreModule()
      if (!mod) throw new Problem(503, 'score-model-unavailable', t(ctx.lang, 'review.detail.noScoreModel'))
      const rows = await store.latestApproved(region ?? '')
      const scored = []
      for (const r of rows) {
        const s = await scoreOf(r.submissionId, r.document)
        if (!s) continue
        scored.push({
          appId: r.app.appId,
          name: r.app.name,
          regionCode: r.app.regionCode,
          state: r.app.state,
          submissionId: r.submissionId,
          total: s.total,
          grade: s.grade,
          indices: s.indices,
          modelVersion: s.modelVersion,
          // The shape rankScores reads.
          score: {total: s.total, app: {id: r.app.appId, regionCode: r.app.regionCode ?? undefined}},
        })
      }
      const ranked: Array<(typeof scored)[number] & {rank: number}> = mod.rankScores
        ? mod.rankScores(scored)
        : [...scored]
            .sort((a, b) => (b.total ?? -1) - (a.total ?? -1) || (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0))
            .map((x, i, all) => ({...x, rank: i > 0 && all[i - 1].total === x.total ? -1 : i + 1}))
            .map((x, i, all) => ({...x, rank: x.rank === -1 ? all.slice(0, i).reverse().find((y) => y.rank !== -1)!.rank : x.rank}))
      const versions = [...new Set(ranked.map((r) => r.modelVersion))]
      return {
        status: 200,
        body: {
          regionCode: region ?? null,
          generatedAt: new Date().toISOString(),
          modelVersion: versions.length === 1 ? versions[0] : null,
          items: ranked.map(({score: _s, ...r}) => r),
        },
      }
    }),
  ]

  // ---- the HTTP layer ----
  let inFlight = 0
  let closing = false
  const idle: Array<() => void> = []

  function send(req: http.IncomingMessage, res: http.ServerResponse, a: Answer, problem: boolean, exchange: Omit<Exchange, 'status' | 'responseHeaders' | 'responseBody'>): void {
    const text = JSON.stringify(a.body)
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

  function problemAnswer(p: Problem, lang: Lang, requestId: string, instance: string): Answer {
    return {
      status: p.status,
      headers: p.headers,
      body: {
        type: PROBLEM_BASE + p.kind,
        title: t(lang, TITLE_KEYS[p.kind] ?? 'review.problem.internal'),
        status: p.status,
        ...(p.detail ? {detail: p.detail} : {}),
        instance,
        requestId,
        ...p.ext,
      },
    }
  }

  function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length'])
      if (Number.isFinite(declared) && declared > maxBody) {
        reject(new Problem(413, 'payload-too-large', `the body is ${declared} bytes; the limit is ${maxBody}`))
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      let failed = false
      req.on('data', (c: Buffer) => {
        if (failed) return
        size += c.length
        if (size > maxBody) {
          failed = true
          reject(new Problem(413, 'payload-too-large', `the body is larger than the limit of ${maxBody} bytes`))
          return
        }
        chunks.push(c)
      })
      req.on('end', () => {
        if (!failed) resolve(Buffer.concat(chunks).toString('utf8'))
      })
      req.on('error', (e) => {
        if (!failed) reject(e)
      })
    })
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
        answer = {status: ok ? 200 : 503, body: {status: ok ? 'ok' : 'degraded', store: {kind: store.kind, reachable: ok}, version: toolVersion(), uptimeSeconds: Math.round((Date.now() - started) / 1000)}}
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
        const params: Record<string, string> = {}
        hit.r.keys.forEach((k, i) => (params[k] = decodeURIComponent(hit.m![i + 1])))
        const ctx: Ctx & {rawBody?: string} = {
          req,
          principal,
          params,
          query: url.searchParams,
          lang,
          body: async () => {
            const text = await readBody(req)
            ctx.rawBody = text
            try {
              parsedBody = JSON.parse(text)
            } catch (error) {
              throw new Problem(400, 'malformed-request', `the body is not JSON: ${(error as Error).message}`)
            }
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
