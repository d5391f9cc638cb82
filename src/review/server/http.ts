// HTTP plumbing of the review server: problem+json errors, routes and their matching, body
// reading within the size limit, and the parsing helpers the handlers share.
import http from 'node:http'
import type {Lang} from '../../core/types.js'
import {t, type MessageKey} from '../../lib/i18n/index.js'
import type {Role, TokenRecord} from '../store.js'
import {Problem} from '../shared/problem.js'

const PROBLEM_BASE = 'https://sjt.example/problems/'

export interface Principal {
  token: TokenRecord
  /** The SHA-256 of the bearer token: the key of the token cache. */
  tokenHash: string
  role: Role
  creditCode: string | null
}

export interface Ctx {
  req: http.IncomingMessage
  principal: Principal
  params: Record<string, string>
  query: URLSearchParams
  lang: Lang
  body: () => Promise<unknown>
}

export interface Answer {
  status: number
  body: unknown
  headers?: Record<string, string>
  /** Sent as is instead of the JSON of body (GET /metrics); headers then set its Content-Type. */
  text?: string
}

export type Handler = (ctx: Ctx) => Promise<Answer>

export interface Route {
  method: string
  /** The path as the contract writes it: /v1/submissions/{id}. */
  template: string
  pattern: RegExp
  keys: string[]
  handler: Handler
  /** The handler's store call confirms the token at commit, so the principal may come from the cache. */
  storeConfirmsToken: boolean
}

export function route(method: string, template: string, handler: Handler, storeConfirmsToken = false): Route {
  const keys: string[] = []
  const pattern = new RegExp(
    '^' +
      template.replace(/\{(\w+)\}/g, (_m, k: string) => {
        keys.push(k)
        return '([^/]+)'
      }) +
      '$',
  )
  return {method, template, pattern, keys, handler, storeConfirmsToken}
}

export function langOf(req: http.IncomingMessage): Lang {
  const a = String(req.headers['accept-language'] ?? '').toLowerCase()
  return a.startsWith('en') ? 'en' : 'zh-CN'
}

const TITLE_KEYS: Record<string, MessageKey> = {
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
  'unsupported-media-type': 'review.problem.mediaType',
  'invalid-result': 'review.problem.invalidResult',
  'digest-mismatch': 'review.problem.digestMismatch',
  'verdict-mismatch': 'review.problem.verdictMismatch',
  'signature-invalid': 'review.problem.signatureInvalid',
  'override-required': 'review.problem.overrideRequired',
  'rate-limited': 'review.problem.rateLimited',
  'store-unavailable': 'review.problem.storeUnavailable',
  internal: 'review.problem.internal',
}

export const LIMIT_MAX = 1000
/** The longest comment or reason (DecisionRequest.comment, ActionRequest.reason). */
export const TEXT_MAX = 10_000

export function intParam(q: URLSearchParams, name: string, def: number, min: number, max: number): number {
  const v = q.get(name)
  if (v === null || v === '') return def
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new Problem(400, 'malformed-request', `${name} must be an integer from ${min} to ${max}`)
  return Number(v)
}

export function regionParam(q: URLSearchParams): string | undefined {
  const v = q.get('regionCode')
  if (v === null || v === '') return undefined
  if (!/^\d{2,12}$/.test(v)) throw new Problem(400, 'malformed-request', 'regionCode must be 2 to 12 digits (e.g. 140000 or 1401)')
  return v
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function httpUrl(v: unknown): string | null {
  return typeof v === 'string' && /^https?:\/\//i.test(v) ? v : null
}

export function strictBody(body: unknown, allowed: string[]): Record<string, any> {
  if (!isObject(body)) throw new Problem(400, 'malformed-request', 'the body must be a JSON object')
  const extra = Object.keys(body).filter((k) => !allowed.includes(k))
  if (extra.length) throw new Problem(400, 'malformed-request', `unknown member${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}`)
  return body
}

export function problemAnswer(p: Problem, lang: Lang, requestId: string, instance: string): Answer {
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

/** How far ahead of the server's clock a date in a body may be (clocks of two machines differ). */
const CLOCK_SKEW_MS = 5 * 60_000

/** A path segment decoded, or 400 when its percent-encoding is malformed. */
export function decodeSegment(s: string): string {
  let out: string
  try {
    out = decodeURIComponent(s)
  } catch {
    throw new Problem(400, 'malformed-request', 'the path has a malformed percent-encoding')
  }
  if (out.includes('\u0000')) throw new Problem(400, 'malformed-request', 'the path holds a NUL character')
  return out
}

/** 400 when the query string has a malformed percent-encoding (URLSearchParams would hide it) or a NUL. */
export function checkQueryEncoding(search: string): void {
  if (!search.includes('%')) return
  let out: string
  try {
    out = decodeURIComponent(search.replace(/\+/g, ' '))
  } catch {
    throw new Problem(400, 'malformed-request', 'the query has a malformed percent-encoding')
  }
  if (out.includes('\u0000')) throw new Problem(400, 'malformed-request', 'the query holds a NUL character')
}

/** Only `application/json` bodies (any charset parameter but UTF-8 is refused too): 415 otherwise. */
export function requireJson(req: http.IncomingMessage): void {
  const type = String(req.headers['content-type'] ?? '')
  const m = /^\s*application\/json\s*(?:;\s*charset\s*=\s*"?([^";\s]+)"?\s*)?$/i.exec(type)
  if (!m || (m[1] && m[1].toLowerCase() !== 'utf-8' && m[1].toLowerCase() !== 'utf8')) {
    throw new Problem(415, 'unsupported-media-type', `the body must be sent as Content-Type: application/json (UTF-8)${type ? `, not ${type.slice(0, 100)}` : ''}`, {}, {'Accept-Post': 'application/json'})
  }
}

const UTF8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

/** The body as text: bytes that are not UTF-8 are refused, never replaced. */
export function decodeUtf8(buf: Buffer): string {
  try {
    return UTF8.decode(buf)
  } catch {
    throw new Problem(400, 'malformed-request', 'the body is not valid UTF-8')
  }
}

/** A date-time that is not later than now (beyond the clock skew allowed). */
export function notInFuture(iso: string, now = Date.now()): boolean {
  const t = Date.parse(iso)
  return !Number.isNaN(t) && t <= now + CLOCK_SKEW_MS
}

export function readBody(req: http.IncomingMessage, maxBody: number): Promise<Buffer> {
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
      if (!failed) resolve(Buffer.concat(chunks))
    })
    req.on('error', (e) => {
      if (!failed) reject(e)
    })
  })
}
