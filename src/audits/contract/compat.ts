// Structural compatibility of two schemas (API-002): does the app's schema accept every value the
// provincial schema allows? Pure; follows $refs across files; recursion-safe.
import type {MessageKey} from '../../lib/i18n/index.js'
import {child, deref, isObj, type Docs, type Node} from '../../lib/openapi/model.js'

export type Mode = 'request' | 'response'

/** A schema with its allOf members merged: what every contributing node says at once. */
export interface View {
  nodes: Node[]
  /** undefined = any type */
  types?: Set<string>
  enum?: unknown[]
  format?: string
  pattern?: string
  min: Record<string, number>
  max: Record<string, number>
  properties: Map<string, Node[]>
  required: Set<string>
  /** false = no other properties; Node[] = their schema; undefined = anything */
  additional?: false | Node[]
  items: Node[]
  /** oneOf/anyOf groups: a value matches one alternative of each group. */
  alternatives: Node[][]
  samples: unknown[]
  /** `not` or other keywords this comparison does not model. */
  opaque: boolean
}

const MIN_KEYS = ['minimum', 'minLength', 'minItems', 'minProperties'] as const
const MAX_KEYS = ['maximum', 'maxLength', 'maxItems', 'maxProperties'] as const

export function view(docs: Docs, nodes: Array<Node | null>, depth = 0): View {
  const v: View = {nodes: [], min: {}, max: {}, properties: new Map(), required: new Set(), items: [], alternatives: [], samples: [], opaque: false}
  const stack = nodes.filter(Boolean) as Node[]
  const seen = new Set<string>()
  while (stack.length) {
    const n = deref(docs, stack.shift()!)
    if (!n) continue
    const k = `${n.doc}#${n.pointer}`
    if (seen.has(k) || seen.size > 64) continue
    seen.add(k)
    const s = n.value
    if (s === false) {
      v.types = new Set()
      continue
    }
    if (!isObj(s)) continue
    v.nodes.push(n)
    let types: string[] | undefined
    if (typeof s.type === 'string') types = [s.type]
    else if (Array.isArray(s.type)) types = s.type.map(String)
    if (types && s.nullable === true) types.push('null')
    if (types) v.types = v.types ? new Set([...v.types].filter((x) => types!.includes(x) || (x === 'integer' && types!.includes('number')))) : new Set(types)
    if (!types && s.nullable === true && v.types) v.types.add('null')
    if (Array.isArray(s.enum)) v.enum = v.enum ? v.enum.filter((x) => s.enum.some((y: unknown) => same(x, y))) : [...s.enum]
    if ('const' in s) v.enum = [s.const]
    if (typeof s.format === 'string') v.format = s.format
    if (typeof s.pattern === 'string') v.pattern = s.pattern
    for (const key of MIN_KEYS) if (typeof s[key] === 'number') v.min[key] = Math.max(v.min[key] ?? -Infinity, s[key])
    for (const key of MAX_KEYS) if (typeof s[key] === 'number') v.max[key] = Math.min(v.max[key] ?? Infinity, s[key])
    if (typeof s.exclusiveMinimum === 'number') v.min.minimum = Math.max(v.min.minimum ?? -Infinity, s.exclusiveMinimum)
    if (typeof s.exclusiveMaximum === 'number') v.max.maximum = Math.min(v.max.maximum ?? Infinity, s.exclusiveMaximum)
    const props = child(docs, n, 'properties')
    if (props && isObj(props.value)) {
      for (const name of Object.keys(props.value)) {
        const list = v.properties.get(name) ?? []
        list.push(child(docs, props, name)!)
        v.properties.set(name, list)
      }
    }
    if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') v.required.add(r)
    if (s.additionalProperties === false) v.additional = false
    else if (isObj(s.additionalProperties) && v.additional !== false) v.additional = [...(v.additional ?? []), child(docs, n, 'additionalProperties')!]
    const items = child(docs, n, 'items')
    if (items && isObj(items.value)) v.items.push(items)
    for (const kw of ['oneOf', 'anyOf'] as const) {
      const alts = child(docs, n, kw)
      if (alts && Array.isArray(alts.value) && alts.value.length) v.alternatives.push(alts.value.map((_, i) => child(docs, alts, i)!))
    }
    const all = child(docs, n, 'allOf')
    if (all && Array.isArray(all.value)) all.value.forEach((_, i) => stack.push(child(docs, all, i)!))
    if ('example' in s) v.samples.push(s.example)
    if (Array.isArray(s.examples)) v.samples.push(...s.examples)
    if (s.default !== undefined) v.samples.push(s.default)
    if ('not' in s) v.opaque = true
  }
  if (v.enum) v.samples.push(...v.enum)
  return v
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export interface Mismatch {
  /** Where in the app's file the mismatch shows (a schema node). */
  at: Node | null
  /** Field path inside the compared value, e.g. `data.status`. */
  field: string
  /** Message key of the catalogue (src/lib/i18n/) and its parameters. */
  key: MessageKey
  params: Record<string, unknown>
}

const typeName = (t?: Set<string>) => (t ? [...t].sort().join('|') || 'never' : 'any')

function covered(type: string, app: Set<string>): boolean {
  return app.has(type) || (type === 'integer' && app.has('number'))
}

/**
 * Does the app schema accept every value the provincial schema allows? In `response` mode every
 * field the province requires must also be required by the app; in `request` mode the app may not
 * require a field the province does not.
 */
export function covers(docs: Docs, app: Array<Node | null>, prov: Array<Node | null>, mode: Mode, field = '', seen = new Set<string>(), depth = 0): Mismatch[] {
  const A = view(docs, app)
  const P = view(docs, prov)
  const key = A.nodes.map((n) => n.doc + n.pointer).join(',') + '|' + P.nodes.map((n) => n.doc + n.pointer).join(',') + '|' + mode
  if (seen.has(key) || depth > 40) return []
  seen.add(key)
  const at = A.nodes[A.nodes.length - 1] ?? app.find(Boolean) ?? null
  const out: Mismatch[] = []
  const f = field || '(body)'

  // Provincial alternatives: every one of them must be accepted.
  if (P.alternatives.length) {
    for (const group of P.alternatives) {
      for (const alt of group) {
        const base = P.nodes.map((n) => ({...n, value: stripAlternatives(n.value)}))
        out.push(...covers(docs, app, [...base, alt], mode, field, seen, depth + 1))
      }
    }
    return dedupe(out)
  }
  // App alternatives: one of them must accept the provincial value set.
  if (A.alternatives.length) {
    const base = A.nodes.map((n) => ({...n, value: stripAlternatives(n.value)}))
    for (const group of A.alternatives) {
      const results = group.map((alt) => covers(docs, [...base, alt], prov, mode, field, new Set(seen), depth + 1))
      if (!results.some((r) => r.length === 0)) out.push(...(results.sort((a, b) => a.length - b.length)[0] ?? []))
    }
    return dedupe(out)
  }
  if (A.nodes.length === 0) return out // the app accepts anything here

  // Types.
  if (A.types) {
    const pTypes = P.types ?? (P.properties.size || P.required.size ? new Set(['object']) : P.items.length ? new Set(['array']) : new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']))
    const missing = [...pTypes].filter((t) => !covered(t, A.types!) && !(t === 'integer' && pTypes.has('number')))
    if (missing.length) out.push({at, field: f, key: 'API-002.type', params: {field: f, app: typeName(A.types), prov: typeName(P.types)}})
  }
  if (A.enum) {
    if (!P.enum) out.push({at, field: f, key: 'API-002.enumAdded', params: {field: f, values: A.enum.map((x) => JSON.stringify(x)).join(', ')}})
    else {
      const dropped = P.enum.filter((x) => !A.enum!.some((y) => same(x, y)))
      if (dropped.length) out.push({at, field: f, key: 'API-002.enumDropped', params: {field: f, values: dropped.map((x) => JSON.stringify(x)).join(', ')}})
    }
  }
  // Formats, patterns and bounds count only where the provincial schema states them (a sane
  // extra bound of the app on a free provincial field is no incompatibility, spec/contracts.md):
  // a different format anywhere; in a request, a stricter bound or a pattern that rejects a
  // provincial example. A stricter bound in a response only narrows what the app sends.
  if (A.format && P.format && A.format !== P.format) out.push({at, field: f, key: 'API-002.format', params: {field: f, app: A.format, prov: P.format}})
  if (mode === 'request' && A.pattern && P.pattern && A.pattern !== P.pattern) {
    let re: RegExp | null = null
    try {
      re = new RegExp(A.pattern, 'u')
    } catch {
      re = null
    }
    const rejected = re ? P.samples.filter((x) => typeof x === 'string' && !re!.test(x)) : []
    if (rejected.length) out.push({at, field: f, key: 'API-002.pattern', params: {field: f, pattern: A.pattern, value: String(rejected[0])}})
  }
  if (mode === 'request') {
    for (const k of MIN_KEYS) {
      const a = A.min[k]
      if (a !== undefined && P.min[k] !== undefined && a > P.min[k]) out.push({at, field: f, key: 'API-002.bound', params: {field: f, keyword: k, app: a, prov: P.min[k]}})
    }
    for (const k of MAX_KEYS) {
      const a = A.max[k]
      if (a !== undefined && P.max[k] !== undefined && a < P.max[k]) out.push({at, field: f, key: 'API-002.bound', params: {field: f, keyword: k, app: a, prov: P.max[k]}})
    }
  }

  // Objects.
  const pIsObject = P.properties.size > 0 || P.required.size > 0 || P.types?.has('object')
  if (pIsObject) {
    const names = new Set([...P.properties.keys(), ...P.required])
    for (const name of names) {
      const sub = field ? `${field}.${name}` : name
      const pNodes = P.properties.get(name) ?? []
      const aNodes = A.properties.get(name)
      if (aNodes) out.push(...covers(docs, aNodes, pNodes, mode, sub, seen, depth + 1))
      else if (P.required.has(name)) out.push({at, field: sub, key: 'API-002.fieldMissing', params: {field: sub}})
      else if (A.additional === false) out.push({at, field: sub, key: 'API-002.fieldRejected', params: {field: sub}})
      else if (Array.isArray(A.additional)) out.push(...covers(docs, A.additional, pNodes, mode, sub, seen, depth + 1))
      if (aNodes && mode === 'response' && P.required.has(name) && !A.required.has(name)) out.push({at, field: sub, key: 'API-002.notRequired', params: {field: sub}})
    }
    if (mode === 'request') {
      for (const r of A.required) {
        if (!P.required.has(r)) out.push({at, field: field ? `${field}.${r}` : r, key: 'API-002.addedRequiredField', params: {field: field ? `${field}.${r}` : r}})
      }
    }
  }
  // Arrays.
  if (P.items.length && A.items.length) out.push(...covers(docs, A.items, P.items, mode, `${field || ''}[]`, seen, depth + 1))
  return dedupe(out)
}

function stripAlternatives(v: unknown): unknown {
  if (!isObj(v)) return v
  const {oneOf: _o, anyOf: _a, ...rest} = v
  return rest
}

function dedupe(list: Mismatch[]): Mismatch[] {
  const seen = new Set<string>()
  return list.filter((m) => {
    const k = m.key + ' ' + m.field
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
