// Contract rules API-001 … API-010: pure functions over the `contract` and `apiprobe` artifacts.
import type {AuditContext, CategoryModule, CheckFn, Lang, Location, RawFinding} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {isMobile, isValidIdNumber} from '../../lib/identifiers.js'
import {covers, view, type Mismatch} from './compat.js'
import {
  child,
  childPointer,
  deref,
  effectiveSecurity,
  isJsonMediaType,
  isObj,
  locate,
  operationsOf,
  responseFor,
  serverUrl,
  templateKey,
  templateParams,
  type ContractArtifact,
  type Docs,
  type Node,
  type Operation,
  type Param,
} from './model.js'
import type {ApiProbeArtifact} from '../../gather/apiprobe.js'

export const requires = ['contract', 'apiprobe']

type Ctx = AuditContext

const pass = (message: string, location?: Location, details?: Record<string, unknown>): RawFinding => ({status: 'pass', message, ...(location ? {location} : {}), ...(details ? {details} : {})})
const fail = (message: string, location?: Location, details?: Record<string, unknown>): RawFinding => ({status: 'fail', message, ...(location ? {location} : {}), ...(details ? {details} : {})})
const na = (message: string, location?: Location): RawFinding => ({status: 'not-applicable', message, ...(location ? {location} : {})})

function artifact(ctx: Ctx): ContractArtifact | undefined {
  const a = ctx.artifacts.contract
  return a && typeof a === 'object' && 'docs' in a ? (a as ContractArtifact) : undefined
}

/** Runs a check on a usable contract; otherwise not-applicable (no contract) or error (unreadable). */
function withContract(fn: (art: ContractArtifact, ctx: Ctx) => RawFinding[]): CheckFn {
  return (ctx) => {
    const art = artifact(ctx)
    if (!art) return [{status: 'error', message: t(ctx.lang, 'contract.noArtifact')}]
    if (!art.declared) return [na(t(ctx.lang, art.reason === 'no-contract' ? 'contract.none' : 'contract.noManifest'), art.manifestLocation)]
    if (!art.usable) return [{status: 'error', message: t(ctx.lang, 'contract.unusable', {file: art.file ?? ''}), location: locate(art.docs, {doc: art.main!, pointer: ''})}]
    return fn(art, ctx)
  }
}

const mainOps = (art: ContractArtifact): Operation[] => operationsOf(art.docs, art.main!)
const opLoc = (art: ContractArtifact, op: Operation): Location => locate(art.docs, op.node, true)

// API-001 ------------------------------------------------------------------------------------
const valid: CheckFn = (ctx) => {
  const art = artifact(ctx)
  if (!art) return [{status: 'error', message: t(ctx.lang, 'contract.noArtifact')}]
  if (!art.declared) {
    if (art.reason === 'no-contract') return [fail(t(ctx.lang, 'API-001.noContract'), art.manifestLocation)]
    return [na(t(ctx.lang, 'contract.noManifest'))]
  }
  if (art.problems.length === 0) {
    return [pass(t(ctx.lang, 'API-001.pass', {file: art.file, version: art.version, operations: art.metrics.operations}), locate(art.docs, {doc: art.main!, pointer: '/openapi'}))]
  }
  return art.problems.map((p) => ({status: p.status, message: p.message, location: p.location, details: {key: p.key, kind: p.kind}}))
}

// API-002 ------------------------------------------------------------------------------------
interface ProvOp {
  doc: string
  op: Operation
}

function provincialOps(art: ContractArtifact): ProvOp[] {
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
function mergedDocs(art: ContractArtifact): Docs {
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

const compatible = withContract((art, ctx) => {
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
    const mismatches = compareOperation(art, prov, op)
    if (mismatches.length === 0) out.push(pass(t(ctx.lang, 'API-002.pass', {op: label, app: op.label}), opLoc(art, op), {operation: label}))
    for (const m of mismatches) {
      const loc = m.at && art.docs[m.at.doc] ? locate(art.docs, m.at, m.at === op.node) : opLoc(art, op)
      out.push(fail(t(ctx.lang, 'API-002.mismatch', {op: label, detail: t(ctx.lang, m.key, m.params)}), loc, {key: `${label} ${m.key} ${m.field}`, operation: label, field: m.field}))
    }
  }
  return out
})

// API-003 ------------------------------------------------------------------------------------
const https = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const docs = art.docs
  const root: Node = {doc: art.main!, pointer: '', value: docs[art.main!].data}
  const lists: Node[] = []
  const rs = child(docs, root, 'servers')
  if (rs) lists.push(rs)
  for (const op of mainOps(art)) {
    const ps = child(docs, op.pathItem, 'servers')
    if (ps && !lists.some((l) => l.doc === ps.doc && l.pointer === ps.pointer)) lists.push(ps)
    const os = child(docs, op.node, 'servers')
    if (os) lists.push(os)
  }
  let count = 0
  for (const list of lists) {
    if (!Array.isArray(list.value)) continue
    list.value.forEach((s, i) => {
      const url = serverUrl(s)
      if (url === null) return
      count++
      const loc = locate(docs, {doc: list.doc, pointer: childPointer(childPointer(list.pointer, i), 'url')})
      if (!/^https:\/\/[^/]/i.test(url)) out.push(fail(t(ctx.lang, /^[a-z][a-z0-9+.-]*:/i.test(url) ? 'API-003.fail' : 'API-003.relative', {url}), loc, {key: `${list.pointer}/${i}`}))
    })
  }
  if (count === 0) return [{...fail(t(ctx.lang, 'API-003.none'), locate(docs, root)), severity: 'warn'}]
  if (out.length === 0) out.push(pass(t(ctx.lang, 'API-003.pass', {count}), locate(docs, {doc: art.main!, pointer: '/servers'}, true)))
  return out
})

// API-004 ------------------------------------------------------------------------------------
function exemptOps(art: ContractArtifact, params: Record<string, any>): Set<string> {
  const set = new Set<string>()
  for (const {op} of provincialOps(art)) if (Array.isArray(op.node.value.security) && op.node.value.security.length === 0) set.add(`${op.method} ${templateKey(op.path)}`)
  for (const e of (params.exempt as string[]) ?? []) {
    const m = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(String(e))
    if (m) set.add(`${m[1].toLowerCase()} ${templateKey(m[2])}`)
  }
  return set
}

const security = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const docs = art.docs
  const data = docs[art.main!].data as Record<string, any>
  const schemes = isObj(data.components?.securitySchemes) ? data.components.securitySchemes : {}
  const exempt = exemptOps(art, ctx.params)
  let checked = 0
  for (const op of mainOps(art)) {
    if (exempt.has(`${op.method} ${templateKey(op.relPath)}`)) continue
    checked++
    const sec = effectiveSecurity(data, op.node)
    const loc = sec.own ? locate(docs, {doc: op.node.doc, pointer: childPointer(op.node.pointer, 'security')}) : opLoc(art, op)
    const reqs = sec.reqs.filter(isObj)
    if (!sec.declared || reqs.length === 0) {
      out.push(fail(t(ctx.lang, 'API-004.none', {op: op.label}), loc, {key: op.label}))
      continue
    }
    if (reqs.some((r) => Object.keys(r).length === 0)) {
      out.push(fail(t(ctx.lang, 'API-004.anonymous', {op: op.label}), loc, {key: op.label}))
      continue
    }
    const undefinedNames = [...new Set(reqs.flatMap((r) => Object.keys(r)).filter((n) => !(n in schemes)))]
    if (undefinedNames.length) out.push(fail(t(ctx.lang, 'API-004.undefined', {op: op.label, names: undefinedNames.join(', ')}), loc, {key: op.label}))
  }
  if (checked === 0) return [na(t(ctx.lang, 'API-004.na'))]
  if (out.length === 0) out.push(pass(t(ctx.lang, 'API-004.pass', {count: checked}), locate(docs, {doc: art.main!, pointer: '/paths'}, true)))
  return out
})

// API-005 ------------------------------------------------------------------------------------
function envelopeView(art: ContractArtifact, params: Record<string, any>): {props: Map<string, Node[]>; required: Set<string>; docs: Docs} {
  const docs = mergedDocs(art)
  const name = String(params.schema ?? 'Envelope')
  for (const f of art.provincial.files) {
    const d = art.provincial.docs[f].data as any
    if (isObj(d?.components?.schemas) && isObj(d.components.schemas[name])) {
      const v = view(docs, [{doc: f, pointer: `/components/schemas/${name}`, value: d.components.schemas[name]}])
      return {props: v.properties, required: v.required, docs}
    }
  }
  const fields = ((params.fields as string[]) ?? ['code', 'message', 'data']).map(String)
  return {props: new Map(fields.map((f) => [f, []])), required: new Set(fields), docs}
}

const envelope = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const env = envelopeView(art, ctx.params)
  const docs = env.docs
  let checked = 0
  for (const op of mainOps(art)) {
    const responses = child(docs, op.node, 'responses')
    if (!responses || !isObj(responses.value)) continue
    for (const code of Object.keys(responses.value)) {
      if (!/^2(\d\d|XX)$/i.test(code)) continue
      const resp = deref(docs, child(docs, responses, code))
      const content = child(docs, resp, 'content')
      if (!content || !isObj(content.value)) continue
      for (const mt of Object.keys(content.value)) {
        const base = mt.split(';')[0].trim().toLowerCase()
        if (!(base === 'application/json' || /^application\/[\w.+-]*\+json$/.test(base))) continue
        checked++
        const mtNode = child(docs, content, mt)
        const schema = child(docs, mtNode, 'schema')
        const where = `${op.label} ${code}`
        if (!schema) {
          out.push(fail(t(ctx.lang, 'API-005.noSchema', {where}), locate(docs, mtNode!, true), {key: `${where} ${mt}`}))
          continue
        }
        if (!deref(docs, schema)) {
          out.push({status: 'error', message: t(ctx.lang, 'API-005.unresolved', {where}), location: locate(docs, schema), details: {key: `${where} ${mt}`}})
          continue
        }
        const problems = envelopeProblems(docs, schema, env)
        const loc = locate(docs, deref(docs, schema) ?? schema)
        for (const p of problems) out.push(fail(t(ctx.lang, p.key, {where, ...p.params}), loc, {key: `${where} ${mt} ${p.params.field}`}))
      }
    }
  }
  if (checked === 0) return [na(t(ctx.lang, 'API-005.na'))]
  if (out.length === 0) out.push(pass(t(ctx.lang, 'API-005.pass', {count: checked}), locate(docs, {doc: art.main!, pointer: '/paths'}, true)))
  return out
})

function envelopeProblems(docs: Docs, schema: Node, env: {props: Map<string, Node[]>; required: Set<string>}): Array<{key: string; params: Record<string, unknown>}> {
  const v = view(docs, [schema])
  // A schema made of alternatives uses the envelope when every alternative does.
  if (v.alternatives.length && ![...env.props.keys()].every((f) => v.properties.has(f))) {
    const base = v.nodes.map((n) => ({...n, value: isObj(n.value) ? {...n.value, oneOf: undefined, anyOf: undefined} : n.value}))
    return v.alternatives.flatMap((group) => group.flatMap((alt) => envelopeProblemsOf(docs, [...base, alt], env)))
  }
  return envelopeProblemsOf(docs, [schema], env)
}

function envelopeProblemsOf(docs: Docs, nodes: Node[], env: {props: Map<string, Node[]>; required: Set<string>}): Array<{key: string; params: Record<string, unknown>}> {
  const v = view(docs, nodes)
  const out: Array<{key: string; params: Record<string, unknown>}> = []
  if (v.types && !v.types.has('object')) return [{key: 'API-005.notObject', params: {field: '', type: [...v.types].join('|')}}]
  for (const [field, envNodes] of env.props) {
    const mine = v.properties.get(field)
    if (!mine) {
      out.push({key: 'API-005.field', params: {field}})
      continue
    }
    if (env.required.has(field) && !v.required.has(field)) out.push({key: 'API-005.notRequired', params: {field}})
    const ev = view(docs, envNodes)
    const av = view(docs, mine)
    if (ev.types && av.types && ![...ev.types].some((x) => av.types!.has(x) || (x === 'integer' && av.types!.has('number')))) {
      out.push({key: 'API-005.type', params: {field, app: [...av.types].join('|'), want: [...ev.types].join('|')}})
    }
  }
  return out
}

// API-006 ------------------------------------------------------------------------------------
const errors = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const docs = art.docs
  const defaultCounts = ctx.params.defaultCounts === true
  const ops = mainOps(art)
  for (const op of ops) {
    const responses = child(docs, op.node, 'responses')
    const keys = responses && isObj(responses.value) ? Object.keys(responses.value) : []
    const has = (d: string) => keys.some((k) => new RegExp(`^${d}(\\d\\d|XX)$`, 'i').test(k)) || (defaultCounts && keys.includes('default'))
    const missing = ['4', '5'].filter((d) => !has(d)).map((d) => `${d}xx`)
    if (missing.length) out.push(fail(t(ctx.lang, 'API-006.missing', {op: op.label, which: missing.join(', ')}), locate(docs, responses ?? op.node, true), {key: op.label}))
  }
  if (ops.length === 0) return [na(t(ctx.lang, 'contract.noOperations'))]
  if (out.length === 0) out.push(pass(t(ctx.lang, 'API-006.pass', {count: ops.length}), locate(docs, {doc: art.main!, pointer: '/paths'}, true)))
  return out
})

// API-007 ------------------------------------------------------------------------------------
type PiKind = 'idNumber' | 'phone' | 'name' | 'bankAccount'

function compileNames(params: Record<string, any>): Array<[PiKind, RegExp]> {
  const out: Array<[PiKind, RegExp]> = []
  const names = isObj(params.names) ? params.names : {}
  for (const [kind, list] of Object.entries(names)) {
    for (const src of Array.isArray(list) ? list : []) {
      try {
        out.push([kind as PiKind, new RegExp(`^(?:${src})$`, 'i')])
      } catch {
        // a broken pattern in a profile is ignored rather than crashing the audit
      }
    }
  }
  return out
}

export function personalKind(docs: Docs, p: Param, params: Record<string, any>, names = compileNames(params)): {kind: PiKind; by: string} | null {
  const norm = p.name.replace(/[-_.\s]/g, '').toLowerCase()
  for (const [kind, re] of names) if (re.test(norm)) return {kind, by: 'name'}
  const v = view(docs, [p.schema])
  const formats = ((params.formats as string[]) ?? []).map((f) => f.toLowerCase())
  if (v.format && formats.includes(v.format.toLowerCase())) {
    const f = v.format.toLowerCase()
    const kind: PiKind = /id/.test(f) ? 'idNumber' : /bank|iban/.test(f) ? 'bankAccount' : 'phone'
    return {kind, by: `format ${v.format}`}
  }
  if (v.pattern) {
    let re: RegExp | null = null
    try {
      re = new RegExp(v.pattern, 'u')
    } catch {
      re = null
    }
    if (re) {
      const controls = ((params.controls as string[]) ?? []).map(String)
      if (!controls.some((c) => re!.test(c))) {
        const samples = isObj(params.samples) ? params.samples : {}
        for (const [kind, list] of Object.entries(samples)) {
          if ((Array.isArray(list) ? list : []).some((s) => re!.test(String(s)))) return {kind: kind as PiKind, by: `pattern ${v.pattern}`}
        }
      }
    }
  }
  const examples = [...v.samples, p.node.value?.example, ...(isObj(p.node.value?.examples) ? Object.values(p.node.value.examples).map((e: any) => e?.value) : [])]
  for (const ex of examples) {
    if (typeof ex !== 'string' && typeof ex !== 'number') continue
    const s = String(ex)
    if (/^\d{17}[\dXx]$/.test(s) && isValidIdNumber(s.toUpperCase())) return {kind: 'idNumber', by: `example ${s}`}
    if (isMobile(s)) return {kind: 'phone', by: `example ${s}`}
  }
  return null
}

const personalInfo = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const docs = art.docs
  const names = compileNames(ctx.params)
  let checked = 0
  for (const op of mainOps(art)) {
    for (const p of op.params) {
      if (p.in !== 'path' && p.in !== 'query') continue
      checked++
      const hit = personalKind(docs, p, ctx.params, names)
      if (hit) {
        const kind = t(ctx.lang, `API-007.kind.${hit.kind}`)
        out.push(fail(t(ctx.lang, 'API-007.fail', {op: op.label, name: p.name, in: p.in, kind, by: hit.by}), locate(docs, {doc: p.node.doc, pointer: childPointer(p.node.pointer, 'name')}), {key: `${op.label} ${p.in} ${p.name}`}))
      }
    }
  }
  if (out.length === 0) out.push(pass(t(ctx.lang, 'API-007.pass', {count: checked}), locate(docs, {doc: art.main!, pointer: '/paths'}, true)))
  return out
})

// API-008 ------------------------------------------------------------------------------------
const naming = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const docs = art.docs
  const ids = new Map<string, Operation>()
  const ops = mainOps(art)
  for (const op of ops) {
    const id = op.node.value.operationId
    if (typeof id !== 'string' || id.trim() === '') out.push(fail(t(ctx.lang, 'API-008.noId', {op: op.label}), opLoc(art, op), {key: `${op.label} id`}))
    else if (ids.has(id)) out.push(fail(t(ctx.lang, 'API-008.dup', {op: op.label, id, first: ids.get(id)!.label}), locate(docs, {doc: op.node.doc, pointer: childPointer(op.node.pointer, 'operationId')}), {key: `${op.label} dup`}))
    else ids.set(id, op)
    const summary = op.node.value.summary
    if (typeof summary !== 'string' || summary.trim() === '') out.push(fail(t(ctx.lang, 'API-008.noSummary', {op: op.label}), opLoc(art, op), {key: `${op.label} summary`}))
  }
  if (ops.length === 0) return [na(t(ctx.lang, 'contract.noOperations'))]
  if (out.length === 0) out.push(pass(t(ctx.lang, 'API-008.pass', {count: ops.length}), locate(docs, {doc: art.main!, pointer: '/paths'}, true)))
  return out
})

// API-009 / API-010 ----------------------------------------------------------------------------
function probeArtifact(ctx: Ctx): ApiProbeArtifact | undefined {
  const a = ctx.artifacts.apiprobe
  return a && typeof a === 'object' && 'operations' in a ? (a as ApiProbeArtifact) : undefined
}

function withProbe(fn: (probe: ApiProbeArtifact, art: ContractArtifact, lang: Lang, params: Record<string, any>) => RawFinding[]): CheckFn {
  return withContract((art, ctx) => {
    const probe = probeArtifact(ctx)
    if (!probe) return [{status: 'error', message: t(ctx.lang, 'contract.noArtifact')}]
    if (!probe.base) return [na(t(ctx.lang, 'API-009.noBase'))]
    return fn(probe, art, ctx.lang, ctx.params)
  })
}

const probe = withProbe((pr, art) => {
  const out: RawFinding[] = []
  for (const r of pr.operations) {
    const loc: Location = {...(r.pointer !== undefined ? locate(art.docs, {doc: r.doc ?? art.main!, pointer: r.pointer}, true) : {}), ...(r.url ? {url: r.url} : {})}
    const details = {key: r.label, ...(r.status ? {status: r.status} : {})}
    if (r.verdict === 'pass') out.push({status: 'pass', message: r.message, location: loc, details})
    else if (r.verdict === 'fail') out.push({status: 'fail', message: r.message, location: loc, details})
    else if (r.verdict === 'error') out.push({status: 'error', message: r.message, location: loc, details})
    else out.push({status: 'not-applicable', message: r.message, location: loc, details})
  }
  if (out.length === 0) out.push(na(pr.note ?? ''))
  return out
})

const latency = withProbe((pr, art, lang, params) => {
  const out: RawFinding[] = []
  const limit = Number(params.p95Ms ?? 1000)
  for (const r of pr.operations) {
    if (!r.timings || r.timings.count === 0) continue
    const loc: Location = {...(r.pointer !== undefined ? locate(art.docs, {doc: r.doc ?? art.main!, pointer: r.pointer}, true) : {}), ...(r.url ? {url: r.url} : {})}
    const m = {op: r.label, p50: r.timings.p50, p95: r.timings.p95, n: r.timings.count, limit}
    out.push(r.timings.p95 > limit ? fail(t(lang, 'API-010.fail', m), loc, {key: r.label, ...r.timings}) : pass(t(lang, 'API-010.pass', m), loc, {key: r.label, ...r.timings}))
  }
  if (out.length === 0) out.push(na(t(lang, 'API-010.na')))
  return out
})

export const checks: CategoryModule['checks'] = {valid, compatible, https, security, envelope, errors, personalInfo, naming, probe, latency}
