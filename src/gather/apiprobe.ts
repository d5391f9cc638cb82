// The live contract probe (API-009, API-010): calls each GET operation of the contract that has
// examples or enough schema to build a request, against --api-base (or the contract's servers[0]),
// validates status, Content-Type, required headers and body against the declared response with
// ajv, and measures latency. Writes (POST/PUT/PATCH/DELETE) only with --probe-writes.
import http from 'node:http'
import https from 'node:https'
import tls from 'node:tls'
import {readFileSync} from 'node:fs'
import type {GatherContext, Lang} from '../core/types.js'
import {artifactError} from '../core/run.js'
import {noSessionReason, sessionHeadersFor} from '../core/auth.js'
import {t} from '../lib/i18n/index.js'
import {newAjv} from '../lib/schema.js'
import {
  child,
  childPointer,
  deref,
  effectiveSecurity,
  isObj,
  operationsOf,
  resolveRef,
  responseFor,
  serverUrl,
  type ContractArtifact,
  type Docs,
  type Node,
  type Operation,
} from '../audits/contract/model.js'

export const after = ['contract']

export interface ProbeTimings {
  count: number
  p50: number
  p95: number
  min: number
  max: number
}

export interface ProbeResult {
  label: string
  method: string
  /** The contract file (docs key) and JSON Pointer of the operation. */
  doc?: string
  pointer?: string
  url?: string
  verdict: 'pass' | 'fail' | 'error' | 'skipped'
  message: string
  status?: number
  timings?: ProbeTimings
}

export interface ApiProbeArtifact {
  base: string | null
  source: 'api-base' | 'servers' | null
  note?: string
  operations: ProbeResult[]
  metrics: {base: string | null; requests: number; operations: Record<string, {p50: number; p95: number; n: number}>}
}

/** What the login bootstrap (src/core/auth.ts) leaves in ctx.shared under 'auth'. */
export interface ProbeAuth {
  headers?: Record<string, string>
  cookies?: Array<{name: string; value: string; domain: string; path: string; secure?: boolean}>
}

/**
 * Whether the session's credentials answer an operation's security requirements: some
 * requirement whose every scheme the session carries (http/oauth2/openIdConnect: an
 * Authorization header or a session cookie; apiKey: that header or cookie; never a query key).
 * A 401/403 with such credentials is a verdict; without them the operation is not judged.
 */
export function sessionCovers(root: unknown, reqs: unknown[], sent: Record<string, string>): boolean {
  const schemes = isObj(root) && isObj(root.components) && isObj(root.components.securitySchemes) ? root.components.securitySchemes : {}
  const header = (name: string) => Object.keys(sent).some((k) => k.toLowerCase() === name.toLowerCase())
  const cookieNames = String(sent.cookie ?? '')
    .split(';')
    .map((c) => c.split('=')[0].trim())
    .filter(Boolean)
  const carries = (name: string): boolean => {
    const s = schemes[name]
    if (!isObj(s)) return false
    if (s.type === 'http' || s.type === 'oauth2' || s.type === 'openIdConnect') return header('authorization') || cookieNames.length > 0
    if (s.type === 'apiKey' && typeof s.name === 'string') return s.in === 'header' ? header(s.name) : s.in === 'cookie' ? cookieNames.includes(s.name) : false
    return false
  }
  return reqs.some((r) => isObj(r) && Object.keys(r).length > 0 && Object.keys(r).every(carries))
}

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete'])

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  const i = Math.max(0, Math.ceil(p * sorted.length) - 1)
  return sorted[Math.min(i, sorted.length - 1)]
}

export function timings(samples: number[]): ProbeTimings {
  const s = [...samples].sort((a, b) => a - b)
  const r = (n: number) => Math.round(n * 10) / 10
  return {count: s.length, p50: r(percentile(s, 0.5)), p95: r(percentile(s, 0.95)), min: r(s[0] ?? 0), max: r(s[s.length - 1] ?? 0)}
}

// ---- building requests ------------------------------------------------------------------------

/** A value for a schema: its example, default, enum or const, else one synthesised from the schema. */
export function sampleValue(docs: Docs, schema: Node | null, depth = 0): unknown {
  const n = deref(docs, schema)
  if (!n || !isObj(n.value) || depth > 8) return undefined
  const s = n.value
  if ('example' in s) return s.example
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0]
  if ('const' in s) return s.const
  if (s.default !== undefined) return s.default
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0]
  for (const kw of ['allOf', 'oneOf', 'anyOf']) {
    const list = child(docs, n, kw)
    if (list && Array.isArray(list.value) && list.value.length) {
      if (kw !== 'allOf' || list.value.length === 1) return sampleValue(docs, child(docs, list, 0), depth + 1)
      const merged: Record<string, unknown> = {}
      for (let i = 0; i < list.value.length; i++) {
        const v = sampleValue(docs, child(docs, list, i), depth + 1)
        if (isObj(v)) Object.assign(merged, v)
      }
      return merged
    }
  }
  const type = Array.isArray(s.type) ? s.type.find((x: string) => x !== 'null') : s.type
  switch (type) {
    case 'string':
      return sampleString(s)
    case 'integer':
      return typeof s.minimum === 'number' ? Math.ceil(s.minimum) : typeof s.maximum === 'number' ? Math.floor(s.maximum) : 1
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1
    case 'boolean':
      return true
    case 'array': {
      const item = sampleValue(docs, child(docs, n, 'items'), depth + 1)
      return item === undefined ? [] : [item]
    }
    case 'object':
    default: {
      const props = child(docs, n, 'properties')
      if (!props || !isObj(props.value)) return type === 'object' ? {} : undefined
      const out: Record<string, unknown> = {}
      const req = Array.isArray(s.required) ? s.required : []
      for (const k of req) {
        const v = sampleValue(docs, child(docs, props, k), depth + 1)
        if (v === undefined) return undefined
        out[k] = v
      }
      return out
    }
  }
}

function sampleString(s: Record<string, any>): string | undefined {
  const fixed: Record<string, string> = {
    'date-time': '2026-11-26T10:00:00+08:00',
    date: '2026-11-26',
    time: '10:00:00+08:00',
    email: 'probe@example.gov.cn',
    uuid: '6f1c1f6e-7d0a-4c55-9a53-3f3b3c3d3e3f',
    uri: 'https://example.gov.cn/',
    url: 'https://example.gov.cn/',
    hostname: 'example.gov.cn',
    ipv4: '192.0.2.1',
  }
  if (typeof s.format === 'string' && fixed[s.format]) return fixed[s.format]
  const min = typeof s.minLength === 'number' ? s.minLength : 1
  if (typeof s.pattern === 'string') return fromPattern(s.pattern, min)
  const max = typeof s.maxLength === 'number' ? s.maxLength : Math.max(min, 8)
  return 'a'.repeat(Math.min(Math.max(min, 1), max))
}

/** The shortest string of a simple pattern (atoms, classes, quantifiers, anchors), checked against it. */
export function fromPattern(pattern: string, minLength = 0): string | undefined {
  let re: RegExp
  try {
    re = new RegExp(pattern, 'u')
  } catch {
    return undefined
  }
  let out = ''
  let i = pattern.startsWith('^') ? 1 : 0
  const end = pattern.endsWith('$') && !pattern.endsWith('\\$') ? pattern.length - 1 : pattern.length
  let last = ''
  let lastClass = ''
  while (i < end) {
    const c = pattern[i]
    let atom: string | null = null
    let pool = ''
    if (c === '\\') {
      const e = pattern[i + 1]
      atom = e === 'd' ? '0' : e === 'w' ? 'a' : e === 's' ? ' ' : e
      pool = e === 'd' ? '0123456789' : e === 'w' ? 'abcdefghijklmnopqrstuvwxyz0123456789' : atom
      i += 2
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2)
      if (close < 0) return undefined
      const body = pattern.slice(i + 1, close)
      if (body.startsWith('^')) return undefined
      pool = expandClass(body)
      if (!pool) return undefined
      atom = pool[0]
      i = close + 1
    } else if ('(|)'.includes(c)) {
      return undefined
    } else if (c === '.') {
      atom = 'a'
      pool = 'a'
      i++
    } else if ('{*+?'.includes(c)) {
      let count: [number, number]
      if (c === '{') {
        const close = pattern.indexOf('}', i)
        const m = /^(\d+)(,(\d*))?$/.exec(pattern.slice(i + 1, close))
        if (!m) return undefined
        count = [Number(m[1]), m[2] ? (m[3] ? Number(m[3]) : Infinity) : Number(m[1])]
        i = close + 1
      } else {
        count = c === '+' ? [1, Infinity] : [0, c === '?' ? 1 : Infinity]
        i++
      }
      out = out.slice(0, out.length - last.length)
      // Repeat the atom enough times to reach the schema's minLength where the quantifier allows it.
      const need = Math.max(count[0], Math.min(count[1], minLength - out.length))
      out += repeatFrom(lastClass || last, need)
      last = ''
      continue
    } else {
      atom = c
      pool = c
      i++
    }
    last = atom ?? ''
    lastClass = pool
    out += last
  }
  return re.test(out) ? out : undefined
}

function repeatFrom(pool: string, n: number): string {
  let s = ''
  for (let k = 0; k < n; k++) s += pool[k % Math.min(pool.length, 10)] ?? ''
  return s
}

function expandClass(body: string): string {
  let out = ''
  for (let i = 0; i < body.length; i++) {
    let c = body[i]
    if (c === '\\') {
      const e = body[++i]
      out += e === 'd' ? '0123456789' : e === 'w' ? 'abcdefghij0123456789' : e
      continue
    }
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const to = body[i + 2]
      for (let k = c.charCodeAt(0); k <= to.charCodeAt(0) && out.length < 64; k++) out += String.fromCharCode(k)
      i += 2
      continue
    }
    out += c
    c = ''
  }
  return out
}

interface BuiltRequest {
  url: string
  headers: Record<string, string>
  body?: string
  synthesised: boolean
}

function paramValue(docs: Docs, p: {node: Node; schema: Node | null}): {value: unknown; from: 'example' | 'schema'} | undefined {
  const v = p.node.value
  if (isObj(v)) {
    if ('example' in v) return {value: v.example, from: 'example'}
    if (isObj(v.examples)) {
      for (const k of Object.keys(v.examples)) {
        const ex = deref(docs, child(docs, child(docs, p.node, 'examples'), k))
        if (ex && isObj(ex.value) && 'value' in ex.value) return {value: ex.value.value, from: 'example'}
      }
    }
  }
  const s = deref(docs, p.schema)
  if (s && isObj(s.value) && ('example' in s.value || Array.isArray(s.value.examples) || 'default' in s.value || Array.isArray(s.value.enum) || 'const' in s.value)) {
    return {value: sampleValue(docs, s), from: 'example'}
  }
  const value = sampleValue(docs, p.schema)
  return value === undefined ? undefined : {value, from: 'schema'}
}

function bodyFor(docs: Docs, op: Operation): {body?: string; type?: string; ok: boolean} {
  const rb = deref(docs, child(docs, op.node, 'requestBody'))
  if (!rb) return {ok: true}
  const content = child(docs, rb, 'content')
  const mt = content && isObj(content.value) ? Object.keys(content.value).find((k) => /json/i.test(k)) : undefined
  if (!mt) return {ok: rb.value?.required !== true}
  const media = child(docs, content, mt)
  let value: unknown
  if (isObj(media?.value) && 'example' in media!.value) value = media!.value.example
  else if (isObj(media?.value?.examples)) {
    const first = Object.keys(media!.value.examples)[0]
    const ex = deref(docs, child(docs, child(docs, media, 'examples'), first))
    value = isObj(ex?.value) ? ex!.value.value : undefined
  } else value = sampleValue(docs, child(docs, media, 'schema'))
  if (value === undefined) return {ok: false}
  return {ok: true, body: JSON.stringify(value), type: mt}
}

export function buildRequest(docs: Docs, op: Operation, base: string): BuiltRequest | null {
  let p = op.relPath
  const query = new URLSearchParams()
  const headers: Record<string, string> = {accept: 'application/json, */*;q=0.5'}
  let synthesised = false
  for (const param of op.params) {
    const needed = param.in === 'path' || param.required
    const got = paramValue(docs, param)
    if (!got) {
      if (needed) return null
      continue
    }
    if (!needed && got.from !== 'example') continue
    if (got.from === 'schema') synthesised = true
    const text = typeof got.value === 'string' ? got.value : Array.isArray(got.value) ? got.value.join(',') : JSON.stringify(got.value)
    if (param.in === 'path') p = p.split(`{${param.name}}`).join(encodeURIComponent(text))
    else if (param.in === 'query') query.set(param.name, text)
    else if (param.in === 'header') headers[param.name.toLowerCase()] = text
    else if (param.in === 'cookie') headers.cookie = (headers.cookie ? headers.cookie + '; ' : '') + `${param.name}=${encodeURIComponent(text)}`
  }
  if (/\{[^}]*\}/.test(p)) return null
  const url = base.replace(/\/+$/, '') + (p.startsWith('/') ? p : '/' + p) + (query.size ? '?' + query.toString() : '')
  return {url, headers, synthesised}
}

// ---- sending --------------------------------------------------------------------------------

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
  ms: number
}

type NetFailure = {kind: 'timeout' | 'refused' | 'dns' | 'tls' | 'network' | 'tooLarge' | 'tooManyTimeouts'; detail: string}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO|SSL|ERR_SSL/

export function send(url: string, opts: {method: string; headers: Record<string, string>; body?: string; timeoutMs: number; ca?: string[]; maxBytes: number}): Promise<Answer | NetFailure> {
  return new Promise((resolve) => {
    let u: URL
    try {
      u = new URL(url)
    } catch {
      resolve({kind: 'network', detail: `bad URL ${url}`})
      return
    }
    const lib = u.protocol === 'https:' ? https : http
    const started = performance.now()
    let settled = false
    const done = (v: Answer | NetFailure) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(v)
    }
    const headers = {...opts.headers, ...(opts.body ? {'content-type': 'application/json', 'content-length': String(Buffer.byteLength(opts.body))} : {})}
    const req = lib.request(u, {method: opts.method.toUpperCase(), headers, agent: false, ...(u.protocol === 'https:' && opts.ca ? {ca: opts.ca} : {})}, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > opts.maxBytes) {
          req.destroy()
          done({kind: 'tooLarge', detail: String(opts.maxBytes)})
          return
        }
        chunks.push(c)
      })
      res.on('end', () => done({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started}))
      res.on('error', (e) => done(classify(e)))
    })
    const timer = setTimeout(() => {
      req.destroy()
      done({kind: 'timeout', detail: String(opts.timeoutMs)})
    }, opts.timeoutMs)
    req.on('error', (e) => done(classify(e)))
    if (opts.body) req.write(opts.body)
    req.end()
  })
}

function classify(e: Error & {code?: string}): NetFailure {
  const code = e.code ?? ''
  if (code === 'ECONNREFUSED') return {kind: 'refused', detail: e.message}
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return {kind: 'dns', detail: e.message}
  if (code === 'ETIMEDOUT') return {kind: 'timeout', detail: e.message}
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(e.message)) return {kind: 'tls', detail: `${code} ${e.message}`.trim()}
  return {kind: 'network', detail: `${code} ${e.message}`.trim()}
}

// ---- judging answers ------------------------------------------------------------------------

const KNOWN_FORMATS = new Set(['date', 'time', 'date-time', 'iso-time', 'iso-date-time', 'duration', 'uri', 'uri-reference', 'uri-template', 'url', 'email', 'hostname', 'ipv4', 'ipv6', 'regex', 'uuid', 'json-pointer', 'json-pointer-uri-fragment', 'relative-json-pointer', 'byte', 'int32', 'int64', 'float', 'double', 'password', 'binary'])
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'])
const SCHEMA_LISTS = new Set(['allOf', 'oneOf', 'anyOf', 'prefixItems'])
const SCHEMA_ONE = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems'])

/** An OpenAPI schema (3.0 or 3.1, $refs across files) as one self-contained JSON Schema for ajv. */
export function toJsonSchema(docs: Docs, schema: Node, openapi30: boolean): Record<string, unknown> {
  const defs: Record<string, unknown> = {}
  const names = new Map<string, string>()
  const conv = (n: Node, depth: number): unknown => {
    const v = n.value
    if (!isObj(v)) return typeof v === 'boolean' ? v : {}
    if (typeof v.$ref === 'string') {
      const target = resolveRef(docs, n.doc, v.$ref)
      if (!target) return {}
      const k = `${target.doc}#${target.pointer}`
      let name = names.get(k)
      if (!name) {
        name = `d${names.size}`
        names.set(k, name)
        defs[name] = {}
        defs[name] = conv(target, depth + 1)
      }
      return {$ref: `#/$defs/${name}`}
    }
    if (depth > 200) return {}
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) {
      const cn = {doc: n.doc, pointer: childPointer(n.pointer, k), value: x}
      if (SCHEMA_MAPS.has(k) && isObj(x)) out[k] = Object.fromEntries(Object.keys(x).map((p) => [p, conv({doc: n.doc, pointer: childPointer(cn.pointer, p), value: x[p]}, depth + 1)]))
      else if (SCHEMA_LISTS.has(k) && Array.isArray(x)) out[k] = x.map((y, i) => conv({doc: n.doc, pointer: childPointer(cn.pointer, i), value: y}, depth + 1))
      else if (SCHEMA_ONE.has(k) && (isObj(x) || typeof x === 'boolean')) out[k] = conv(cn, depth + 1)
      else if (k === 'format' && typeof x === 'string' && !KNOWN_FORMATS.has(x)) continue
      else if (k === 'discriminator' || k === 'xml' || k === 'externalDocs' || k === 'example' || k === '$schema' || k === '$id' || k === '$anchor' || k === '$dynamicAnchor') continue
      else out[k] = x
    }
    if (openapi30) {
      if (out.nullable === true) {
        if (typeof out.type === 'string') out.type = [out.type, 'null']
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
      }
      delete out.nullable
      if (out.exclusiveMinimum === true && typeof out.minimum === 'number') {
        out.exclusiveMinimum = out.minimum
        delete out.minimum
      } else if (typeof out.exclusiveMinimum === 'boolean') delete out.exclusiveMinimum
      if (out.exclusiveMaximum === true && typeof out.maximum === 'number') {
        out.exclusiveMaximum = out.maximum
        delete out.maximum
      } else if (typeof out.exclusiveMaximum === 'boolean') delete out.exclusiveMaximum
    }
    return out
  }
  const root = conv(schema, 0) as Record<string, unknown>
  return typeof root === 'object' ? {...root, $defs: {...((root.$defs as object) ?? {}), ...defs}} : root
}

function mediaMatches(declared: string, actual: string): boolean {
  const d = declared.split(';')[0].trim().toLowerCase()
  const a = actual.split(';')[0].trim().toLowerCase()
  if (d === '*/*' || d === a) return true
  const [dt, ds] = d.split('/')
  const [at, as] = a.split('/')
  return (ds === '*' && dt === at) || (dt === at && ds === as)
}

interface Judged {
  ok: boolean
  problem?: string
  authNeeded?: boolean
}

function judge(docs: Docs, op: Operation, ans: Answer, lang: Lang, hadAuth: boolean, openapi30: boolean, cache: Map<string, any>, probeNoAuth: boolean): Judged {
  const data = docs[op.node.doc]?.data
  const resp = responseFor(docs, op.node, ans.status)
  const sec = effectiveSecurity(data, op.node)
  const secured = sec.declared && sec.reqs.some((r) => isObj(r) && Object.keys(r).length > 0) && !sec.reqs.some((r) => isObj(r) && Object.keys(r).length === 0)
  if ((ans.status === 401 || ans.status === 403) && secured && !hadAuth && !probeNoAuth) return {ok: false, authNeeded: true}
  if (ans.status >= 400) return {ok: false, problem: t(lang, resp ? 'apiprobe.errorStatus' : 'apiprobe.undeclaredStatus', {status: ans.status})}
  if (!resp) return {ok: false, problem: t(lang, 'apiprobe.undeclaredStatus', {status: ans.status})}
  // Required response headers.
  const hdrs = child(docs, resp, 'headers')
  if (hdrs && isObj(hdrs.value)) {
    for (const h of Object.keys(hdrs.value)) {
      const hd = deref(docs, child(docs, hdrs, h))
      if (hd?.value?.required === true && ans.headers[h.toLowerCase()] === undefined) return {ok: false, problem: t(lang, 'apiprobe.headerMissing', {status: ans.status, header: h})}
    }
  }
  const content = child(docs, resp, 'content')
  if (!content || !isObj(content.value) || Object.keys(content.value).length === 0) return {ok: true}
  const ct = String(ans.headers['content-type'] ?? '')
  if (!ct) return ans.body.length === 0 && ans.status === 204 ? {ok: true} : {ok: false, problem: t(lang, 'apiprobe.noContentType', {status: ans.status, declared: Object.keys(content.value).join(', ')})}
  const mt = Object.keys(content.value).find((d) => mediaMatches(d, ct))
  if (!mt) return {ok: false, problem: t(lang, 'apiprobe.contentType', {status: ans.status, actual: ct, declared: Object.keys(content.value).join(', ')})}
  const schema = child(docs, child(docs, content, mt), 'schema')
  if (!schema) return {ok: true}
  if (!/json/i.test(mt) && !/json/i.test(ct)) return {ok: true}
  let body: unknown
  try {
    body = JSON.parse(ans.body.toString('utf8'))
  } catch (error) {
    return {ok: false, problem: t(lang, 'apiprobe.badJson', {status: ans.status, detail: (error as Error).message})}
  }
  const key = `${schema.doc}#${schema.pointer}`
  let validate = cache.get(key)
  if (!validate) {
    try {
      validate = newAjv().compile(toJsonSchema(docs, schema, openapi30))
    } catch (error) {
      return {ok: false, problem: t(lang, 'apiprobe.schemaCompile', {detail: (error as Error).message})}
    }
    cache.set(key, validate)
  }
  if (!validate(body)) {
    const e = validate.errors[0]
    const where = e.instancePath || '/'
    const detail = e.keyword === 'required' ? `missing "${e.params.missingProperty}"` : e.keyword === 'additionalProperties' ? `unexpected "${e.params.additionalProperty}"` : `${e.message}${e.keyword === 'enum' ? ': ' + (e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ') : ''}`
    return {ok: false, problem: t(lang, 'apiprobe.bodyInvalid', {status: ans.status, where, detail, count: validate.errors.length})}
  }
  return {ok: true}
}

// ---- the collector ----------------------------------------------------------------------------

export async function collect(ctx: GatherContext): Promise<ApiProbeArtifact> {
  const {lang} = ctx.options
  const empty = (note: string): ApiProbeArtifact => ({base: null, source: null, note, operations: [], metrics: {base: null, requests: 0, operations: {}}})
  const art = ctx.artifacts.contract as ContractArtifact | undefined
  if (!art || artifactError(art) || !art.declared || !art.usable || !art.main) return empty(t(lang, 'apiprobe.noContract'))
  const docs = art.docs
  const data = docs[art.main].data as Record<string, any>
  let base: string | null = null
  let source: ApiProbeArtifact['source'] = null
  if (ctx.options.apiBase) {
    base = ctx.options.apiBase
    source = 'api-base'
  } else {
    const url = Array.isArray(data.servers) ? serverUrl(data.servers[0]) : null
    if (url && /^https?:\/\//i.test(url)) {
      base = url
      source = 'servers'
    }
  }
  if (!base) return empty(t(lang, 'API-009.noBase'))

  const params = ctx.profile.rules.find((r) => r.id === 'API-009')?.params ?? {}
  const maxOps = Number(params.maxOperations ?? 200)
  const maxBytes = Number(params.maxBodyBytes ?? 5 * 1024 * 1024)
  const n = Math.max(1, ctx.options.probeRequests || 5)
  const timeoutMs = ctx.options.timeoutMs || 30_000
  let ca: string[] | undefined
  if (ctx.options.ca) ca = [...tls.rootCertificates, readFileSync(ctx.options.ca, 'utf8')]
  const auth = ctx.shared.get('auth') as unknown as ProbeAuth | undefined
  // The session's headers go to the API base (the app's own API); its cookies wherever their domain matches.
  let baseOrigin = ''
  try {
    baseOrigin = new URL(base).origin
  } catch {
    // a bad base fails every request below with its reason
  }
  const authHeadersFor = (url: string): Record<string, string> => (auth ? sessionHeadersFor({headers: isObj(auth.headers) ? auth.headers : {}, cookies: Array.isArray(auth.cookies) ? auth.cookies : []}, url, [baseOrigin]) : {})
  const openapi30 = String(art.version ?? '').startsWith('3.0')
  const cache = new Map<string, any>()

  const results: ProbeResult[] = []
  const metrics: ApiProbeArtifact['metrics'] = {base, requests: 0, operations: {}}
  let hostDown: NetFailure | null = null
  let timeouts = 0
  let probed = 0
  let writesSkipped = 0
  for (const op of operationsOf(docs, art.main)) {
    const isWrite = WRITE_METHODS.has(op.method)
    if (op.method !== 'get' && !(isWrite && ctx.options.probeWrites)) {
      if (isWrite) writesSkipped++
      continue
    }
    const where = {label: op.label, method: op.method, doc: op.node.doc, pointer: op.node.pointer}
    if (probed >= maxOps) {
      results.push({...where, verdict: 'skipped', message: t(lang, 'apiprobe.limit', {max: maxOps})})
      continue
    }
    const req = buildRequest(docs, op, base)
    const body = isWrite ? bodyFor(docs, op) : {ok: true}
    if (!req || !body.ok) {
      results.push({...where, verdict: 'skipped', message: t(lang, 'apiprobe.noExample', {op: op.label})})
      continue
    }
    probed++
    const r: ProbeResult = {...where, url: req.url, verdict: 'pass', message: ''}
    if (hostDown) {
      results.push({...r, verdict: 'error', message: t(lang, `apiprobe.net.${hostDown.kind}`, {url: req.url, detail: hostDown.detail, ms: timeoutMs, max: maxBytes})})
      continue
    }
    ctx.options.progress?.(`probe ${op.label}`)
    const samples: number[] = []
    let problem: string | undefined
    let authNeeded = false
    let net: NetFailure | null = null
    let status = 0
    const authHeaders = authHeadersFor(req.url)
    const opRoot = docs[op.node.doc]?.data ?? data
    const hadAuth = Object.keys(authHeaders).length > 0 && sessionCovers(opRoot, effectiveSecurity(opRoot, op.node).reqs, authHeaders)
    for (let i = 0; i < n; i++) {
      const sent = {...req.headers, ...authHeaders, ...(req.headers.cookie && authHeaders.cookie ? {cookie: `${req.headers.cookie}; ${authHeaders.cookie}`} : {})}
      const ans = await send(req.url, {method: op.method, headers: sent, body: 'body' in body ? body.body : undefined, timeoutMs, ca, maxBytes})
      metrics.requests++
      if ('kind' in ans) {
        net = ans
        break
      }
      samples.push(ans.ms)
      status = ans.status
      const j = judge(docs, op, ans, lang, hadAuth, openapi30, cache, false)
      if (j.authNeeded) {
        authNeeded = true
        break
      }
      if (!j.ok && !problem) problem = j.problem
      if (!j.ok) break
    }
    if (net) {
      const msg = t(lang, `apiprobe.net.${net.kind}`, {url: req.url, detail: net.detail, ms: timeoutMs, max: maxBytes})
      results.push({...r, verdict: 'error', message: msg})
      if (net.kind === 'refused' || net.kind === 'dns' || net.kind === 'tls') hostDown = net
      if (net.kind === 'timeout' && ++timeouts >= 3) hostDown = {kind: 'tooManyTimeouts' as NetFailure['kind'], detail: ''}
      continue
    }
    timeouts = 0
    if (authNeeded) {
      results.push({...r, verdict: 'skipped', status, message: auth ? t(lang, 'auth.probeNotCovered', {op: op.label, status}) : ctx.options.auth ? t(lang, 'auth.probeSkipped', {op: op.label, status, reason: noSessionReason(ctx)}) : t(lang, 'apiprobe.needsAuth', {op: op.label, status})})
      continue
    }
    const tm = timings(samples)
    metrics.operations[op.label] = {p50: tm.p50, p95: tm.p95, n: tm.count}
    if (problem) results.push({...r, verdict: 'fail', status, message: t(lang, 'apiprobe.fail', {op: op.label, problem}), timings: tm})
    else results.push({...r, verdict: 'pass', status, message: t(lang, req.synthesised ? 'apiprobe.passSynth' : 'apiprobe.pass', {op: op.label, status, n: tm.count, p95: tm.p95}), timings: tm})
  }
  const note = writesSkipped ? t(lang, 'apiprobe.writesSkipped', {count: writesSkipped}) : undefined
  if (results.length === 0) return {base, source, note: note ?? t(lang, 'apiprobe.nothing'), operations: [], metrics}
  return {base, source, ...(note ? {note} : {}), operations: results, metrics}
}
