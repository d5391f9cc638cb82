// Rules over the application's own contract document: API-001 validity, API-003 HTTPS servers,
// API-004 security, API-005 response envelope, API-006 error responses, API-008 naming.
import type {CheckFn, RawFinding} from '../../core/types.js'
import {t, type MessageKey} from '../../lib/i18n/index.js'
import {view} from './compat.js'
import {child, childPointer, deref, effectiveSecurity, isObj, locate, serverUrl, templateKey, type Docs, type Node, type Operation} from '../../lib/openapi/model.js'
import type {ContractArtifact} from '../../artifacts/contract.js'
import {mergedDocs, provincialOps} from './provincial.js'
import {artifact, fail, judgeable, na, opLoc, pass, withContract} from './shared.js'

// API-001 ------------------------------------------------------------------------------------
export const valid: CheckFn = (ctx) => {
  const art = artifact(ctx)
  if (!art) return [{status: 'error', message: t(ctx.lang, 'contract.noArtifact')}]
  if (!art.declared) {
    if (art.reason === 'no-contract') return [fail(t(ctx.lang, 'API-001.noContract'), art.manifestLocation)]
    return [na(t(ctx.lang, 'contract.noManifest'))]
  }
  if (art.problems.length === 0) {
    return [pass(t(ctx.lang, 'API-001.pass', {file: art.file, version: art.version, operations: art.metrics.operations}), locate(art.docs, {doc: art.main!, pointer: '/openapi'}))]
  }
  return art.problems.map((p) => ({status: p.status, message: p.message, location: p.location, ...(p.severity ? {severity: p.severity} : {}), details: {key: p.key, kind: p.kind, ...(p.details ?? {})}}))
}

// API-003 ------------------------------------------------------------------------------------
export const https = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const docs = art.docs
  const root: Node = {doc: art.main!, pointer: '', value: docs[art.main!].data}
  const lists: Node[] = []
  const rs = child(docs, root, 'servers')
  if (rs) lists.push(rs)
  const {ops, cannot} = judgeable(art, ctx)
  out.push(...cannot)
  for (const op of ops) {
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
  if (count === 0) return [{...fail(t(ctx.lang, 'API-003.none'), locate(docs, root)), severity: 'warn'}, ...cannot]
  if (out.length === cannot.length) out.push(pass(t(ctx.lang, 'API-003.pass', {count}), locate(docs, {doc: art.main!, pointer: '/servers'}, true)))
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

export const security = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const docs = art.docs
  const data = docs[art.main!].data as Record<string, any>
  const schemes = isObj(data.components?.securitySchemes) ? data.components.securitySchemes : {}
  const exempt = exemptOps(art, ctx.params)
  let checked = 0
  const {ops, cannot} = judgeable(art, ctx)
  out.push(...cannot)
  for (const op of ops) {
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
  if (checked === 0) return cannot.length ? cannot : [na(t(ctx.lang, 'API-004.na'))]
  if (out.length === cannot.length) out.push(pass(t(ctx.lang, 'API-004.pass', {count: checked}), locate(docs, {doc: art.main!, pointer: '/paths'}, true)))
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

export const envelope = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const env = envelopeView(art, ctx.params)
  const docs = env.docs
  let checked = 0
  const {ops, cannot} = judgeable(art, ctx)
  out.push(...cannot)
  // Responses whose $ref was not loaded: one "cannot be judged" finding for all of them.
  const unresolved: Array<{where: string; node: Node | null}> = []
  for (const op of ops) {
    const responses = child(docs, op.node, 'responses')
    if (!responses || !isObj(responses.value)) continue
    for (const code of Object.keys(responses.value)) {
      if (!/^2(\d\d|XX)$/i.test(code)) continue
      const resp = deref(docs, child(docs, responses, code))
      if (!resp) {
        unresolved.push({where: `${op.label} ${code}`, node: child(docs, responses, code)})
        continue
      }
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
  if (unresolved.length) out.push({status: 'error', message: t(ctx.lang, 'API-005.responseUnresolved', {count: unresolved.length, where: unresolved[0].where}), location: locate(docs, unresolved[0].node), details: {key: 'unresolved responses', responses: unresolved.length, examples: unresolved.slice(0, 10).map((u) => u.where)}})
  if (checked === 0 && out.length === 0) return [na(t(ctx.lang, 'API-005.na'))]
  if (out.length === 0) out.push(pass(t(ctx.lang, 'API-005.pass', {count: checked}), locate(docs, {doc: art.main!, pointer: '/paths'}, true)))
  return out
})

function envelopeProblems(docs: Docs, schema: Node, env: {props: Map<string, Node[]>; required: Set<string>}): Array<{key: MessageKey; params: Record<string, unknown>}> {
  const v = view(docs, [schema])
  // A schema made of alternatives uses the envelope when every alternative does.
  if (v.alternatives.length && ![...env.props.keys()].every((f) => v.properties.has(f))) {
    const base = v.nodes.map((n) => ({...n, value: isObj(n.value) ? {...n.value, oneOf: undefined, anyOf: undefined} : n.value}))
    return v.alternatives.flatMap((group) => group.flatMap((alt) => envelopeProblemsOf(docs, [...base, alt], env)))
  }
  return envelopeProblemsOf(docs, [schema], env)
}

function envelopeProblemsOf(docs: Docs, nodes: Node[], env: {props: Map<string, Node[]>; required: Set<string>}): Array<{key: MessageKey; params: Record<string, unknown>}> {
  const v = view(docs, nodes)
  const out: Array<{key: MessageKey; params: Record<string, unknown>}> = []
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
export const errors = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const docs = art.docs
  const defaultCounts = ctx.params.defaultCounts === true
  const {ops, cannot} = judgeable(art, ctx)
  out.push(...cannot)
  for (const op of ops) {
    const rawResponses = isObj(op.node.value) ? op.node.value.responses : undefined
    const responses = child(docs, op.node, 'responses')
    if (isObj(rawResponses) && typeof rawResponses.$ref === 'string' && !deref(docs, responses)) {
      out.push({status: 'error', message: t(ctx.lang, 'API-006.unresolved', {op: op.label, ref: rawResponses.$ref}), location: locate(docs, responses ?? op.node, true), details: {key: op.label}})
      continue
    }
    const keys = responses && isObj(responses.value) ? Object.keys(responses.value) : []
    const has = (d: string) => keys.some((k) => new RegExp(`^${d}(\\d\\d|XX)$`, 'i').test(k)) || (defaultCounts && keys.includes('default'))
    const missing = ['4', '5'].filter((d) => !has(d)).map((d) => `${d}xx`)
    if (missing.length) out.push(fail(t(ctx.lang, 'API-006.missing', {op: op.label, which: missing.join(', ')}), locate(docs, responses ?? op.node, true), {key: op.label}))
  }
  if (ops.length === 0) return cannot.length ? cannot : [na(t(ctx.lang, 'contract.noOperations'))]
  if (out.length === 0) out.push(pass(t(ctx.lang, 'API-006.pass', {count: ops.length}), locate(docs, {doc: art.main!, pointer: '/paths'}, true)))
  return out
})

// API-008 ------------------------------------------------------------------------------------
export const naming = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const docs = art.docs
  const ids = new Map<string, Operation>()
  const {ops, cannot} = judgeable(art, ctx)
  out.push(...cannot)
  for (const op of ops) {
    const id = op.node.value.operationId
    if (typeof id !== 'string' || id.trim() === '') out.push(fail(t(ctx.lang, 'API-008.noId', {op: op.label}), opLoc(art, op), {key: `${op.label} id`}))
    else if (ids.has(id)) out.push(fail(t(ctx.lang, 'API-008.dup', {op: op.label, id, first: ids.get(id)!.label}), locate(docs, {doc: op.node.doc, pointer: childPointer(op.node.pointer, 'operationId')}), {key: `${op.label} dup`}))
    else ids.set(id, op)
    const summary = op.node.value.summary
    if (typeof summary !== 'string' || summary.trim() === '') out.push(fail(t(ctx.lang, 'API-008.noSummary', {op: op.label}), opLoc(art, op), {key: `${op.label} summary`}))
  }
  if (ops.length === 0) return cannot.length ? cannot : [na(t(ctx.lang, 'contract.noOperations'))]
  if (out.length === 0) out.push(pass(t(ctx.lang, 'API-008.pass', {count: ops.length}), locate(docs, {doc: art.main!, pointer: '/paths'}, true)))
  return out
})
