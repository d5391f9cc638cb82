// What tools that resolve $refs first accept but a strict reading of the OpenAPI Specification
// does not: operations written as a `$ref` (the Path Item Object has no Reference Object in
// place of an Operation Object) and, in 3.0 documents, keys beside a `$ref` (the 3.0 Reference
// Object says they SHALL be ignored). sjt reads both the way those tools do — every rule sees the
// operation behind the `$ref`, and only the referenced object of a `$ref` with siblings — and
// API-001 says so once, as a warning that names the strict reading.
import type {Lang} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {childPointer, deref, getAt, isObj, locate, METHODS, type Docs, type Node} from '../../lib/openapi/model.js'
import type {ContractProblem} from '../../artifacts/contract.js'

/**
 * A copy of the main document with every operation `$ref` replaced by what it points to (for
 * schema validation); where each inlined operation came from; pointers of the ones not loaded.
 */
export function inlineOperations(docs: Docs, main: string): {data: unknown; inlinedAt: Array<[string, Node]>; unresolvedAt: string[]; refs: Array<{label: string; ref: string; pointer: string}>} {
  const data = docs[main]?.data
  const inlinedAt: Array<[string, Node]> = []
  const unresolvedAt: string[] = []
  const refs: Array<{label: string; ref: string; pointer: string}> = []
  if (!isObj(data) || !isObj(data.paths)) return {data, inlinedAt, unresolvedAt, refs}
  const paths: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(data.paths)) {
    if (!isObj(item)) {
      paths[key] = item
      continue
    }
    const copy: Record<string, unknown> = {...item}
    for (const m of METHODS) {
      const op = item[m]
      if (!isObj(op) || typeof op.$ref !== 'string') continue
      const pointer = childPointer(childPointer('/paths', key), m)
      refs.push({label: `${m.toUpperCase()} ${key}`, ref: op.$ref, pointer})
      const target = deref(docs, {doc: main, pointer, value: op})
      if (target && isObj(target.value)) {
        copy[m] = target.value
        inlinedAt.push([pointer, target])
      } else unresolvedAt.push(pointer)
    }
    paths[key] = copy
  }
  return {data: {...data, paths}, inlinedAt, unresolvedAt, refs}
}

/** The API-001 warnings of the strict reading (see the head of this file). */
export function strictReadings(docs: Docs, main: string, allRefs: Array<{from: string; pointer: string}>, v31: boolean, version: string, lang: Lang, problems: ContractProblem[]): void {
  const {refs} = inlineOperations(docs, main)
  if (refs.length) {
    problems.push({
      kind: 'opRef',
      status: 'fail',
      severity: 'warn',
      message: t(lang, 'contract.opRef', {count: refs.length, op: refs[0].label, ref: refs[0].ref, version, section: v31 ? '4.8.9' : '4.7.9'}),
      location: locate(docs, {doc: main, pointer: childPointer(refs[0].pointer, '$ref')}),
      key: 'operation refs',
      details: {operations: refs.length, examples: refs.slice(0, 10).map((r) => `${r.label} → ${r.ref}`)},
    })
  }
  // 3.1: a Reference Object may carry summary/description, and beside a $ref in a Schema Object
  // other keywords apply (JSON Schema 2020-12); only 3.0 says siblings are ignored.
  if (v31) return
  const siblings: Array<{from: string; pointer: string; keys: string[]}> = []
  const seen = new Set<string>()
  for (const r of allRefs) {
    const k = `${r.from}#${r.pointer}`
    if (seen.has(k)) continue
    seen.add(k)
    const node = getAt(docs[r.from]?.data, r.pointer).value
    if (!isObj(node)) continue
    const keys = Object.keys(node).filter((x) => x !== '$ref')
    if (keys.length) siblings.push({from: r.from, pointer: r.pointer, keys})
  }
  if (siblings.length === 0) return
  const first = siblings[0]
  const where = locate(docs, {doc: first.from, pointer: childPointer(first.pointer, first.keys[0])}, true)
  problems.push({
    kind: 'refSibling',
    status: 'fail',
    severity: 'warn',
    message: t(lang, 'contract.refSibling', {count: siblings.length, keys: first.keys.join(', '), where: `${where.file ?? ''}:${where.line ?? ''}`, version}),
    location: where,
    key: 'ref siblings',
    details: {refs: siblings.length, examples: siblings.slice(0, 10).map((s) => `${docs[s.from]?.file ?? s.from}#${s.pointer} (${s.keys.join(', ')})`)},
  })
}
