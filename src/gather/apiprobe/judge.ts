// Response validation: whether the session covers an operation's security, the declared response
// schema as JSON Schema for ajv, and the verdict on one answer (status, headers, Content-Type, body).
import type {Lang} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {newAjv} from '../../lib/schema.js'
import {child, childPointer, deref, effectiveSecurity, isObj, resolveRef, responseFor, type Docs, type Node, type Operation} from '../../lib/openapi/model.js'
import type {Answer} from './send.js'

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

export function judge(docs: Docs, op: Operation, ans: Answer, lang: Lang, hadAuth: boolean, openapi30: boolean, cache: Map<string, any>, probeNoAuth: boolean): Judged {
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
