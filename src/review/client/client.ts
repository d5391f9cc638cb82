// The review API client (spec/review-api.md "Client behaviour"): retries 5xx, 429 (honouring
// Retry-After) and connection errors with exponential backoff and full jitter, always with the
// same Idempotency-Key, so a retry never makes a second record. The token is sent, never shown.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {parse as parseYaml} from 'yaml'
import {computeDigest} from '../../core/result.js'
import {InputError} from '../../lib/errors.js'
import {loadConfig} from '../../core/config.js'
import {resolveSetting} from '../../core/settings.js'
import type {Lang, ResultDocument} from '../../core/types.js'
import {describeAjvError, schemaValidator} from '../../lib/schema.js'
import {addSecret} from '../../lib/secrets.js'
import {toolVersion} from '../../lib/paths.js'
import {t} from '../../lib/i18n/index.js'
import {checkJsonValue, Problem} from '../shared/problem.js'
import {recomputeVerdict, verdictAgrees} from '../shared/verdict.js'

export interface Connection {
  server: string
  token: string
}

/** Server URL and token: flags, then SJT_SERVER / SJT_TOKEN, then sjt.config.yaml (`token: ${ENV}`). */
export function resolveConnection(flags: {server?: string; token?: string}, lang: Lang, opts: {cwd?: string; env?: NodeJS.ProcessEnv; needToken?: boolean} = {}): Connection {
  const env = opts.env ?? process.env
  // flag > SJT_SERVER/SJT_TOKEN > sjt.config.yaml (token only as ${VAR}): src/core/settings.ts.
  const fromFlagOrEnv = (flags.server || env.SJT_SERVER) && (flags.token || env.SJT_TOKEN)
  const config = fromFlagOrEnv ? {} : loadConfig(opts.cwd ?? process.cwd(), lang).config
  const src = {flags, config, env, lang}
  const server = (resolveSetting('server', src).value ?? '').trim()
  const token = resolveSetting('token', src).value ?? ''
  if (!server) throw new InputError(t(lang, 'review.noServer'), undefined, t(lang, 'review.noServer.hint'))
  let u: URL
  try {
    u = new URL(server)
  } catch {
    throw new InputError(t(lang, 'review.badServer', {server}), undefined, t(lang, 'review.noServer.hint'))
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(t(lang, 'review.badServer', {server}), undefined, t(lang, 'review.noServer.hint'))
  if (!token && opts.needToken !== false) throw new InputError(t(lang, 'review.noToken'), undefined, t(lang, 'review.noToken.hint'))
  addSecret(token)
  return {server: server.replace(/\/+$/, ''), token}
}

/** Schema and digest of a result document, before it is sent: the reasons it would be refused. */
export function verifyResult(doc: unknown): Array<{pointer: string; message: string}> {
  // What the server refuses before anything else (and what would overflow the digest's recursion).
  try {
    checkJsonValue(doc)
  } catch (error) {
    if (error instanceof Problem) return [{pointer: '/', message: error.detail ?? error.kind}]
    throw error
  }
  const validate = schemaValidator('result')
  if (!validate(doc)) return (validate.errors ?? []).slice(0, 20).map((e) => ({pointer: e.instancePath || '/', message: describeAjvError(e)}))
  const d = doc as ResultDocument
  const reasons: Array<{pointer: string; message: string}> = []
  if (!d.app.creditCode) reasons.push({pointer: '/app/creditCode', message: 'required to submit: the department that owns the app (owner.creditCode in sjt.yaml)'})
  const digest = computeDigest(d as unknown as Record<string, unknown>)
  if (digest !== d.digest.value) reasons.push({pointer: '/digest/value', message: `the document was changed after sjt check wrote it (its content hashes to ${digest})`})
  // The server recomputes the verdict and refuses a document whose verdict its findings do not give.
  const recomputed = recomputeVerdict(d as unknown as Record<string, unknown>)
  if (!verdictAgrees(d.verdict, recomputed)) reasons.push({pointer: '/verdict', message: `the document says ${d.verdict}; its findings, failOn, waivers and baseline give ${recomputed.verdict}`})
  return reasons
}

/** The key `sjt submit` uses: the same result is the same request, however often it is sent. */
export function idempotencyKeyFor(doc: {digest: {value: string}}): string {
  return `sjt-${doc.digest.value}`
}

/** The body limit the review API publishes by default (standards/review-api.openapi.yaml, 413). */
export const PUBLISHED_MAX_BODY = 5 * 1024 * 1024

export interface ApiResponse {
  status: number
  headers: Headers
  body: any
}

export class UnreachableError extends Error {
  constructor(
    message: string,
    public readonly attempts: number,
    public readonly lastStatus: number | null,
  ) {
    super(message)
  }
}

export interface ClientOptions extends Connection {
  lang?: Lang
  /** Attempts after the first (default 5). */
  retries?: number
  baseDelayMs?: number
  maxDelayMs?: number
  /** Longest Retry-After honoured (beyond it the server counts as unavailable). */
  maxRetryAfterMs?: number
  timeoutMs?: number
  random?: () => number
  sleep?: (ms: number) => Promise<void>
  onRetry?: (info: {attempt: number; delayMs: number; reason: string}) => void
}

/** Retry-After: delta-seconds or an HTTP date; ms, or null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const at = Date.parse(v)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^attempt)]. */
export function backoffMs(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(max, base * 2 ** attempt))
}

function describe(error: unknown): string {
  const e = error as Error & {cause?: {code?: string; message?: string}; code?: string}
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout'
  return e?.cause?.code ?? e?.code ?? e?.cause?.message ?? e?.message ?? String(error)
}

export class ReviewClient {
  readonly server: string
  private readonly token: string
  private readonly o: Required<Omit<ClientOptions, 'server' | 'token' | 'onRetry'>> & Pick<ClientOptions, 'onRetry'>

  constructor(opts: ClientOptions) {
    this.server = opts.server.replace(/\/+$/, '')
    this.token = opts.token
    this.o = {
      lang: opts.lang ?? 'zh-CN',
      retries: opts.retries ?? 5,
      baseDelayMs: opts.baseDelayMs ?? 500,
      maxDelayMs: opts.maxDelayMs ?? 15_000,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 120_000,
      timeoutMs: opts.timeoutMs ?? 30_000,
      random: opts.random ?? Math.random,
      sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      onRetry: opts.onRetry,
    }
  }

  /**
   * One request with retries. Retries: connection errors, timeouts, 5xx, 429. Anything else is
   * the answer. Throws UnreachableError when every attempt failed that way.
   */
  async request(method: string, p: string, opts: {body?: unknown; headers?: Record<string, string>} = {}): Promise<ApiResponse> {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body)
    let lastReason = ''
    let lastStatus: number | null = null
    for (let attempt = 0; ; attempt++) {
      let wait: number | null = null
      try {
        const res = await fetch(this.server + p, {
          method,
          headers: {
            Authorization: `Bearer ${this.token}`,
            Accept: 'application/json, application/problem+json',
            'Accept-Language': this.o.lang,
            'User-Agent': `sjt/${toolVersion()}`,
            ...(payload !== undefined ? {'Content-Type': 'application/json'} : {}),
            ...opts.headers,
          },
          body: payload,
          signal: AbortSignal.timeout(this.o.timeoutMs),
        })
        const text = await res.text()
        let body: unknown = text
        try {
          body = text ? JSON.parse(text) : null
        } catch {
          // not JSON: keep the text
        }
        if (res.status < 500 && res.status !== 429) return {status: res.status, headers: res.headers, body}
        lastStatus = res.status
        lastReason = `HTTP ${res.status}`
        if (res.status === 501 || res.status === 505) return {status: res.status, headers: res.headers, body}
        const ra = retryAfterMs(res.headers.get('retry-after'))
        if (ra !== null) {
          if (ra > this.o.maxRetryAfterMs) throw new UnreachableError(t(this.o.lang, 'review.unreachable', {server: this.server, reason: `${lastReason}, Retry-After ${Math.round(ra / 1000)} s`}), attempt + 1, lastStatus)
          wait = ra
        }
      } catch (error) {
        if (error instanceof UnreachableError) throw error
        lastStatus = null
        lastReason = describe(error)
      }
      if (attempt >= this.o.retries) throw new UnreachableError(t(this.o.lang, 'review.unreachable', {server: this.server, reason: lastReason}), attempt + 1, lastStatus)
      const jitter = backoffMs(attempt, this.o.baseDelayMs, this.o.maxDelayMs, this.o.random)
      const delay = wait !== null ? Math.max(wait, jitter) : jitter
      this.o.onRetry?.({attempt: attempt + 1, delayMs: delay, reason: lastReason})
      await this.o.sleep(delay)
    }
  }

  private limit: Promise<number | null> | null = null

  /**
   * The largest body the server takes, as its /healthz publishes it (limits.maxBodyBytes); null
   * when the server does not say (an older server, or none reachable: the request itself will tell).
   */
  bodyLimit(): Promise<number | null> {
    this.limit ??= (async () => {
      try {
        const res = await fetch(this.server + '/healthz', {headers: {Accept: 'application/json', 'User-Agent': `sjt/${toolVersion()}`}, signal: AbortSignal.timeout(Math.min(this.o.timeoutMs, 10_000))})
        const body = (await res.json()) as {limits?: {maxBodyBytes?: unknown}}
        const n = body?.limits?.maxBodyBytes
        return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null
      } catch {
        return null
      }
    })()
    return this.limit
  }

  submit(doc: unknown, key: string): Promise<ApiResponse> {
    return this.request('POST', '/v1/submissions', {body: doc, headers: {'Idempotency-Key': key}})
  }

  getSubmission(id: string): Promise<ApiResponse> {
    return this.request('GET', `/v1/submissions/${encodeURIComponent(id)}`)
  }

  getApp(appId: string): Promise<ApiResponse> {
    return this.request('GET', `/v1/apps/${encodeURIComponent(appId)}`)
  }

  /** Every app in a state, following nextOffset. */
  async listApps(query: {state?: string; regionCode?: string} = {}): Promise<any[]> {
    const out: any[] = []
    let offset: number | null = 0
    while (offset !== null) {
      const q = new URLSearchParams({...(query.state ? {state: query.state} : {}), ...(query.regionCode ? {regionCode: query.regionCode} : {}), limit: '500', offset: String(offset)})
      const r = await this.request('GET', `/v1/apps?${q}`)
      if (r.status !== 200) throw new ApiRefusal(r)
      out.push(...r.body.items)
      offset = r.body.nextOffset
    }
    return out
  }

  postEvents(appId: string, events: unknown[]): Promise<ApiResponse> {
    return this.request('POST', `/v1/apps/${encodeURIComponent(appId)}/events`, {body: {events}})
  }
}

/** An answer that is not the one asked for (401, 403, 404, 409, 422, …). */
export class ApiRefusal extends Error {
  constructor(public readonly response: ApiResponse) {
    super(problemText(response))
  }
}

/** One line from a problem+json answer: title, detail, and the reasons. */
export function problemText(r: ApiResponse): string {
  const b = r.body
  if (b && typeof b === 'object') {
    const head = [b.title, b.detail].filter(Boolean).join(': ') || `HTTP ${r.status}`
    return `HTTP ${r.status} ${head}`
  }
  return `HTTP ${r.status}${typeof b === 'string' && b ? ` ${b.slice(0, 200)}` : ''}`
}

export function problemReasons(r: ApiResponse): string[] {
  const errs = r.body && Array.isArray(r.body.errors) ? r.body.errors : []
  return errs.map((e: {pointer?: string; message?: string}) => `${e.pointer ?? ''} ${e.message ?? ''}`.trim())
}

/** The app id of the manifest in the current folder, if there is one (for `sjt status`). */
export function appIdHere(cwd = process.cwd()): string | undefined {
  for (const name of ['sjt.yaml', 'sjt.yml', 'sjt.json']) {
    try {
      const data = parseYaml(readFileSync(path.join(cwd, name), 'utf8')) as {app?: {id?: unknown}}
      if (typeof data?.app?.id === 'string') return data.app.id
    } catch {
      // none or unreadable
    }
  }
  return undefined
}
