// OpenAPI documents loaded as files with positions, and pure helpers to walk them: $ref
// resolution across the loaded files (with the file and JSON Pointer of every node kept),
// operations, servers. Shared by the contract collectors (src/gather/contract*, apiprobe*) and
// the contract audits (src/audits/contract/).
import path from 'node:path'

/** Where a node sits: its file, line and column, and its JSON Pointer. */
export interface SourceLocation {
  file?: string
  line?: number
  column?: number
  pointer?: string
}
type Location = SourceLocation

/** One loaded file (the contract, a $ref'd file, or a provincial contract). */
export interface SourceDoc {
  /** Absolute path or URL: what relative $refs resolve against. */
  id: string
  /** As shown to people (relative to the working folder when inside it). */
  file: string
  data: unknown
  /** JSON Pointer → [line, column] of the value node; `keys` → of the key node. */
  positions: Record<string, [number, number]>
  keys: Record<string, [number, number]>
}

/** A value and where it sits. */
export interface Node {
  doc: string
  pointer: string
  value: any
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

export const isObj = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v)

export function escapeToken(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1')
}

function unescapeToken(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~')
}

export function childPointer(pointer: string, key: string | number): string {
  return pointer + '/' + escapeToken(key)
}

export function getAt(data: unknown, pointer: string): {found: boolean; value: unknown} {
  if (pointer === '' || pointer === '#') return {found: true, value: data}
  if (!pointer.startsWith('/')) return {found: false, value: undefined}
  let v: unknown = data
  for (const raw of pointer.slice(1).split('/')) {
    const tok = unescapeToken(raw)
    if (Array.isArray(v)) {
      if (!/^\d+$/.test(tok) || Number(tok) >= v.length) return {found: false, value: undefined}
      v = v[Number(tok)]
    } else if (isObj(v)) {
      if (!Object.prototype.hasOwnProperty.call(v, tok)) return {found: false, value: undefined}
      v = v[tok]
    } else return {found: false, value: undefined}
  }
  return {found: true, value: v}
}

/** The document id a `$ref` names (its part before '#'), resolved against the referring document. */
export function refDocId(fromId: string, ref: string): string {
  const hash = ref.indexOf('#')
  const filePart = hash >= 0 ? ref.slice(0, hash) : ref
  if (filePart === '') return fromId
  if (/^https?:\/\//i.test(filePart)) return filePart
  if (/^https?:\/\//i.test(fromId)) return new URL(filePart, fromId).toString()
  let p = filePart
  try {
    p = decodeURI(filePart)
  } catch {
    // keep as written
  }
  if (p.startsWith('file://')) return new URL(p).pathname
  return path.resolve(path.dirname(fromId), p)
}

export function refPointer(ref: string): string {
  const hash = ref.indexOf('#')
  if (hash < 0) return ''
  let frag = ref.slice(hash + 1)
  try {
    frag = decodeURIComponent(frag)
  } catch {
    // keep as written
  }
  return frag
}

export type Docs = Record<string, SourceDoc>

/** Resolve one `$ref` string from a document; null when the file or the pointer is missing. */
export function resolveRef(docs: Docs, fromDoc: string, ref: string): Node | null {
  const id = refDocId(fromDoc, ref)
  const d = docs[id]
  if (!d) return null
  const pointer = refPointer(ref)
  const got = getAt(d.data, pointer)
  if (!got.found) return null
  return {doc: id, pointer, value: got.value}
}

/** Follows `$ref` until a node that is not a reference (at most `hops`); null when broken or circular. */
export function deref(docs: Docs, node: Node | null | undefined, hops = 32): Node | null {
  let n = node ?? null
  const seen = new Set<string>()
  while (n && isObj(n.value) && typeof n.value.$ref === 'string') {
    const k = n.doc + '#' + n.pointer
    if (seen.has(k) || seen.size >= hops) return null
    seen.add(k)
    n = resolveRef(docs, n.doc, n.value.$ref)
  }
  return n
}

/** Child of a (dereferenced) node. */
export function child(docs: Docs, node: Node | null | undefined, key: string | number): Node | null {
  const n = deref(docs, node)
  if (!n) return null
  const v = n.value
  if (Array.isArray(v) ? typeof key === 'number' && key < v.length : isObj(v) && Object.prototype.hasOwnProperty.call(v, key)) {
    return {doc: n.doc, pointer: childPointer(n.pointer, key), value: (v as any)[key]}
  }
  return null
}

/** Where a node sits: file, line, column and JSON Pointer (nearest located ancestor for the line). */
export function locate(docs: Docs, node: {doc: string; pointer: string} | null | undefined, key = false): Location {
  if (!node) return {}
  const d = docs[node.doc]
  if (!d) return {pointer: node.pointer}
  let p = node.pointer
  for (;;) {
    const pos = (key ? d.keys[p] : undefined) ?? d.positions[p]
    if (pos) return {file: d.file, line: pos[0], column: pos[1], pointer: node.pointer || '/'}
    if (p === '') return {file: d.file, pointer: node.pointer || '/'}
    p = p.slice(0, p.lastIndexOf('/'))
  }
}

export interface Param {
  name: string
  in: string
  required: boolean
  node: Node
  schema: Node | null
}

export interface Operation {
  method: string
  /** The path key as written in `paths`. */
  path: string
  /** The path relative to servers[0].url of the document (server path prefixes reconciled). */
  relPath: string
  node: Node
  pathItem: Node
  params: Param[]
  /** `METHOD /path` for messages. */
  label: string
  /**
   * The `$ref` the operation is written as (`get: {$ref: ops/list.yml}`), when it could not be
   * followed (a file not loaded, a missing pointer). Then `node` is the reference itself and the
   * rules report the operation as "cannot be judged".
   */
  unresolved?: string
  /** `$ref`s of parameters of the operation that could not be followed. */
  unresolvedParams?: string[]
}

/** Server URL with its variables replaced by their defaults. */
export function serverUrl(server: unknown): string | null {
  if (!isObj(server) || typeof server.url !== 'string') return null
  const vars = isObj(server.variables) ? server.variables : {}
  return server.url.replace(/\{([^}]+)\}/g, (m, name) => (isObj(vars[name]) && vars[name].default !== undefined ? String(vars[name].default) : m))
}

function serverPath(url: string | null): string {
  if (!url) return ''
  try {
    const u = new URL(url, 'https://relative.invalid')
    return decodeURI(u.pathname).replace(/\/+$/, '')
  } catch {
    return ''
  }
}

/** Parameter schema: `schema`, or the schema of the first `content` media type. */
function paramSchema(docs: Docs, p: Node): Node | null {
  const s = child(docs, p, 'schema')
  if (s) return s
  const content = child(docs, p, 'content')
  if (content && isObj(content.value)) {
    const first = Object.keys(content.value)[0]
    if (first) return child(docs, child(docs, content, first), 'schema')
  }
  return null
}

function collectParams(docs: Docs, list: Node | null, into: Map<string, Param>, missing: string[]): void {
  if (!list || !Array.isArray(list.value)) return
  list.value.forEach((_, i) => {
    const raw = child(docs, list, i)
    const p = deref(docs, raw)
    if (!p && raw && isObj(raw.value) && typeof raw.value.$ref === 'string') missing.push(raw.value.$ref)
    if (!p || !isObj(p.value) || typeof p.value.name !== 'string' || typeof p.value.in !== 'string') return
    const name = p.value.in === 'header' ? p.value.name.toLowerCase() : p.value.name
    into.set(`${p.value.in} ${name}`, {name: p.value.name, in: p.value.in, required: p.value.required === true || p.value.in === 'path', node: p, schema: paramSchema(docs, p)})
  })
}

const opCache = new WeakMap<object, Operation[]>()

/** Every operation of a document (cached per document). */
export function operationsOf(docs: Docs, docId: string): Operation[] {
  const d = docs[docId]
  if (!d || !isObj(d.data)) return []
  const cached = opCache.get(d.data)
  if (cached) return cached
  const root: Node = {doc: docId, pointer: '', value: d.data}
  const rootServers = Array.isArray(d.data.servers) ? d.data.servers : []
  const basePath = serverPath(serverUrl(rootServers[0]))
  const out: Operation[] = []
  const paths = child(docs, root, 'paths')
  if (paths && isObj(paths.value)) {
    for (const key of Object.keys(paths.value)) {
      if (!key.startsWith('/')) continue
      const item = deref(docs, child(docs, paths, key))
      if (!item || !isObj(item.value)) continue
      const common = new Map<string, Param>()
      const commonMissing: string[] = []
      collectParams(docs, child(docs, item, 'parameters'), common, commonMissing)
      for (const method of METHODS) {
        // An operation written as a $ref (`get: {$ref: ops/list.yml}`) is read where it points, by every rule.
        const raw = child(docs, item, method)
        if (!raw || !isObj(raw.value)) continue
        const op = deref(docs, raw)
        const label = `${method.toUpperCase()} ${key}`
        const opValue = op && isObj(op.value) ? op.value : {}
        const servers = Array.isArray(opValue.servers) && opValue.servers.length ? opValue.servers : Array.isArray(item.value.servers) && item.value.servers.length ? item.value.servers : rootServers
        let full = serverPath(serverUrl(servers[0])) + key
        if (basePath && (full === basePath || full.startsWith(basePath + '/'))) full = full.slice(basePath.length) || '/'
        if (!op || !isObj(op.value)) {
          const ref = typeof raw.value.$ref === 'string' ? raw.value.$ref : '?'
          out.push({method, path: key, relPath: full, node: raw, pathItem: item, params: [...common.values()], label, unresolved: ref})
          continue
        }
        const params = new Map(common)
        const missing = [...commonMissing]
        collectParams(docs, child(docs, op, 'parameters'), params, missing)
        out.push({method, path: key, relPath: full, node: op, pathItem: item, params: [...params.values()], label, ...(missing.length ? {unresolvedParams: missing} : {})})
      }
    }
  }
  opCache.set(d.data, out)
  return out
}

/** Path templates match when their literal segments agree; parameter names may differ. */
export function templateKey(p: string): string {
  const s = p.replace(/\/+$/, '') || '/'
  return s.replace(/\{[^}/]*\}/g, '{}')
}

/** Names of the path parameters of a template, in order. */
export function templateParams(p: string): string[] {
  return [...p.matchAll(/\{([^}/]*)\}/g)].map((m) => m[1])
}

export function isJsonMediaType(mt: string): boolean {
  const base = mt.split(';')[0].trim().toLowerCase()
  return base === 'application/json' || /^application\/[\w.+-]*\+json$/.test(base) || base === '*/*' || base === 'application/*'
}

/** Security requirements that apply to an operation (its own, else the document's). */
export function effectiveSecurity(root: unknown, op: Node): {declared: boolean; reqs: unknown[]; own: boolean} {
  if (isObj(op.value) && Array.isArray(op.value.security)) return {declared: true, reqs: op.value.security, own: true}
  if (isObj(root) && Array.isArray(root.security)) return {declared: true, reqs: root.security, own: false}
  return {declared: false, reqs: [], own: false}
}

/** Response status keys that cover a status: exact, then `2XX`, then (optionally) `default`. */
export function responseFor(docs: Docs, op: Node, status: number, useDefault = true): Node | null {
  const responses = child(docs, op, 'responses')
  if (!responses || !isObj(responses.value)) return null
  const keys = Object.keys(responses.value)
  const exact = keys.find((k) => k === String(status))
  const range = keys.find((k) => k.toUpperCase() === `${String(status)[0]}XX`)
  const k = exact ?? range ?? (useDefault && keys.includes('default') ? 'default' : undefined)
  return k ? deref(docs, child(docs, responses, k)) : null
}
