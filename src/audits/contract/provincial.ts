// API-002: compatibility of the application's operations with the provincial contract,
// plus the provincial-operation and merged-docs helpers that API-004/API-005 reuse.
import type {RawFinding} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {covers, type Mismatch} from './compat.js'
import {child, deref, isJsonMediaType, isObj, locate, operationsOf, responseFor, templateKey, templateParams, type Docs, type Node, type Operation, type Param} from '../../lib/openapi/model.js'
import type {ContractArtifact} from '../../artifacts/contract.js'
import {fail, mainOps, na, opLoc, pass, withContract} from './shared.js'

// API-002 ------------------------------------------------------------------------------------
interface ProvOp {
  doc: string
  op: Operation
}

export function provincialOps(art: ContractArtifact): ProvOp[] {
  const out: ProvOp[] = []
  const seen = new Set<string>()
  for (const file of art.provincial.files) {
    for (const op of operationsOf(art.provincial.docs, file)) {
      const k = `${op.method} ${templateKey(op.relPath)}`
      if (seen.has(k) || op.node.value['x-sjt-optional'] === true) continue
      seen.add(k)
      out.push({doc: file, op})
    }
  }
  return out
}

function findApp(art: ContractArtifact, method: string, provPath: string): {byPath: Operation[]; op?: Operation} {
  const key = templateKey(provPath)
  const byPath = mainOps(art).filter((o) => templateKey(o.relPath) === key)
  return {byPath, op: byPath.find((o) => o.method === method)}
}

const IGNORED_HEADERS = new Set(['authorization', 'accept', 'content-type'])

function sameParam(a: Param, b: Param): boolean {
  if (a.in !== b.in) return false
  return a.in === 'header' ? a.name.toLowerCase() === b.name.toLowerCase() : a.name === b.name
}

function jsonSchemaOf(docs: Docs, holder: Node | null): {schema: Node | null; hasJson: boolean; hasContent: boolean} {
  const content = child(docs, holder, 'content')
  if (!content || !isObj(content.value)) return {schema: null, hasJson: false, hasContent: false}
  const mt = Object.keys(content.value).find((k) => isJsonMediaType(k))
  if (!mt) return {schema: null, hasJson: false, hasContent: Object.keys(content.value).length > 0}
  return {schema: child(docs, child(docs, content, mt), 'schema'), hasJson: true, hasContent: true}
}

/** Merged docs (app + provincial) so that covers() can follow $refs on both sides. */
const mergedCache = new WeakMap<object, Docs>()
export function mergedDocs(art: ContractArtifact): Docs {
  let d = mergedCache.get(art)
  if (!d) {
    d = {...art.provincial.docs, ...art.docs}
    mergedCache.set(art, d)
  }
  return d
}

export function compareOperation(art: ContractArtifact, prov: ProvOp, app: Operation): Mismatch[] {
  const docs = mergedDocs(art)
  const out: Mismatch[] = []
  const p = prov.op
  // Parameters: path parameters pair up by position (their names are not on the wire).
  const pNames = templateParams(p.path)
  const aNames = templateParams(app.path)
  pNames.forEach((name, i) => {
    const pp = p.params.find((x) => x.in === 'path' && x.name === name)
    const ap = app.params.find((x) => x.in === 'path' && x.name === aNames[i])
    if (!ap) out.push({at: app.node, field: name, key: 'API-002.paramMissing', params: {name, in: 'path'}})
    else if (pp) out.push(...covers(docs, [ap.schema], [pp.schema], 'request', `path ${name}`).map((m) => ({...m, at: m.at ?? ap.node})))
  })
  for (const pp of p.params.filter((x) => x.in !== 'path')) {
    const ap = app.params.find((x) => sameParam(x, pp))
    if (!ap) {
      if (pp.required) out.push({at: app.node, field: pp.name, key: 'API-002.paramMissing', params: {name: pp.name, in: pp.in}})
      continue
    }
    if (ap.required && !pp.required) out.push({at: ap.node, field: pp.name, key: 'API-002.paramNowRequired', params: {name: pp.name, in: pp.in}})
    out.push(...covers(docs, [ap.schema], [pp.schema], 'request', `${pp.in} ${pp.name}`).map((m) => ({...m, at: m.at ?? ap.node})))
  }
  for (const ap of app.params) {
    if (ap.in === 'path' || !ap.required) continue
    if (ap.in === 'header' && IGNORED_HEADERS.has(ap.name.toLowerCase())) continue
    if (!p.params.some((x) => sameParam(x, ap))) out.push({at: ap.node, field: ap.name, key: 'API-002.paramAdded', params: {name: ap.name, in: ap.in}})
  }
  // Request body.
  const pBody = deref(docs, child(docs, p.node, 'requestBody'))
  const aBody = deref(docs, child(docs, app.node, 'requestBody'))
  if (pBody) {
    const ps = jsonSchemaOf(docs, pBody)
    if (!aBody) out.push({at: app.node, field: 'body', key: 'API-002.bodyMissing', params: {}})
    else {
      const as = jsonSchemaOf(docs, aBody)
      if (ps.hasJson && !as.hasJson) out.push({at: aBody, field: 'body', key: 'API-002.bodyMediaType', params: {}})
      else if (ps.schema && as.schema) out.push(...covers(docs, [as.schema], [ps.schema], 'request', 'body'))
    }
  } else if (aBody && aBody.value?.required === true) out.push({at: aBody, field: 'body', key: 'API-002.bodyAdded', params: {}})
  // Responses: at least one of the provincial success responses, each compatible.
  const pResponses = child(docs, p.node, 'responses')
  const codes = pResponses && isObj(pResponses.value) ? Object.keys(pResponses.value).filter((k) => /^[23]\d\d$/.test(k)) : []
  const declared = codes.filter((c) => responseFor(docs, app.node, Number(c), false))
  if (codes.length && declared.length === 0) out.push({at: child(docs, app.node, 'responses') ?? app.node, field: 'responses', key: 'API-002.responseMissing', params: {codes: codes.join(' / ')}})
  for (const code of declared) {
    const pr = jsonSchemaOf(docs, deref(docs, child(docs, pResponses, code)))
    if (!pr.schema) continue
    const ar = responseFor(docs, app.node, Number(code), false)!
    const aj = jsonSchemaOf(docs, ar)
    if (!aj.hasJson) out.push({at: ar, field: `response ${code}`, key: 'API-002.responseMediaType', params: {code}})
    else if (aj.schema) out.push(...covers(docs, [aj.schema], [pr.schema], 'response', '').map((m) => ({...m, field: `${code} ${m.field}`, params: {...m.params, field: `${code}: ${m.params.field}`}})))
    else out.push({at: ar, field: `response ${code}`, key: 'API-002.responseNoSchema', params: {code}})
  }
  return out
}

export const compatible = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const provs = provincialOps(art)
  if (provs.length === 0) return [na(t(ctx.lang, 'API-002.noProvincial'))]
  const paths = locate(art.docs, {doc: art.main!, pointer: '/paths'}, true)
  for (const prov of provs) {
    const label = prov.op.label
    const {byPath, op} = findApp(art, prov.op.method, prov.op.path)
    if (byPath.length === 0) {
      out.push(fail(t(ctx.lang, 'API-002.missingPath', {op: label}), paths, {key: `${label} missing`, operation: label}))
      continue
    }
    if (!op) {
      out.push(fail(t(ctx.lang, 'API-002.missingMethod', {op: label, methods: byPath.map((o) => o.method.toUpperCase()).join(', ')}), locate(art.docs, byPath[0].pathItem, true), {key: `${label} method`, operation: label}))
      continue
    }
    if (op.unresolved || op.unresolvedParams?.length) {
      out.push({status: 'error', message: t(ctx.lang, 'contract.cannotJudge', {count: 1, op: op.label, ref: op.unresolved ?? op.unresolvedParams![0]}), location: opLoc(art, op), details: {key: `${label} unresolved`, operation: label}})
      continue
    }
    const mismatches = compareOperation(art, prov, op)
    if (mismatches.length === 0) out.push(pass(t(ctx.lang, 'API-002.pass', {op: label, app: op.label}), opLoc(art, op), {operation: label}))
    for (const m of mismatches) {
      const loc = m.at && art.docs[m.at.doc] ? locate(art.docs, m.at, m.at === op.node) : opLoc(art, op)
      out.push(fail(t(ctx.lang, 'API-002.mismatch', {op: label, detail: t(ctx.lang, m.key, m.params)}), loc, {key: `${label} ${m.key} ${m.field}`, operation: label, field: m.field}))
    }
  }
  return out
})
