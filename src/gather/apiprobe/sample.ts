// Values synthesised from schemas: an example, default, enum or const where given, else a value
// built from the type, format and (simple) pattern.
import {child, deref, isObj, type Docs, type Node} from '../../lib/openapi/model.js'

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
