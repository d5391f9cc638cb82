// HTTP plumbing of the review server: problem+json errors, routes and their matching, body
// reading within the size limit, and the parsing helpers the handlers share.
import http from 'node:http'
import type {Lang} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import type {Role, TokenRecord} from '../store.js'

export const PROBLEM_BASE = 'https://sjt.example/problems/'

export class Problem extends Error {
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
  return {method, pattern, keys, handler, storeConfirmsToken}
}

export function langOf(req: http.IncomingMessage): Lang {
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

export const LIMIT_MAX = 1000

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

export function readBody(req: http.IncomingMessage, maxBody: number): Promise<string> {
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
