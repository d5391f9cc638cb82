// API-007: personal information (ID numbers, phones, names, bank accounts) in path or query parameters.
import type {Lang, RawFinding} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {isMobile, isValidIdNumber} from '../../lib/identifiers.js'
import {view} from './compat.js'
import {childPointer, isObj, locate, type Docs, type Operation, type Param} from '../../lib/openapi/model.js'
import {fail, judgeable, pass, withContract} from './shared.js'

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
  for (const [kind, re] of names) if (re.test(norm)) return {kind, by: `name ~ /${re.source.slice(4, -2)}/`}
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

const anchored = (list: unknown): RegExp[] => {
  const out: RegExp[] = []
  for (const src of Array.isArray(list) ? list : []) {
    try {
      out.push(new RegExp(`^(?:${String(src)})$`, 'i'))
    } catch {
      // a broken pattern in a profile is ignored
    }
  }
  return out
}

/** The first resource of a path, past version and prefix segments: `/v2/applicants/{id}` → applicants. */
function firstResource(p: string): string | undefined {
  for (const seg of p.split('/')) {
    if (!seg || seg.startsWith('{') || /^(v\d+(\.\d+)?|api|rest|open|public|m|h5)$/i.test(seg)) continue
    return seg
  }
  return undefined
}

/**
 * Why a parameter named like `name`/`username` carries a person's name here, or null when it
 * names a thing: beside another personal parameter, under a path about people, or with a schema
 * named after a person.
 */
function personContext(docs: Docs, op: Operation, p: Param, params: Record<string, any>, names: Array<[PiKind, RegExp]>, lang: Lang): string | null {
  for (const other of op.params) {
    if (other === p || (other.in !== 'path' && other.in !== 'query')) continue
    const hit = personalKind(docs, other, params, names)
    if (hit && hit.kind !== 'name') return t(lang, 'API-007.by.beside', {other: other.name, kind: t(lang, `API-007.kind.${hit.kind}`)})
  }
  const resource = firstResource(op.path)
  if (resource && anchored(params.personPaths).some((re) => re.test(resource))) return t(lang, 'API-007.by.path', {resource})
  const ref = isObj(p.node.value?.schema) && typeof p.node.value.schema.$ref === 'string' ? p.node.value.schema.$ref.split('/').pop()! : undefined
  const title = view(docs, [p.schema]).nodes.map((n) => n.value?.title).find((x) => typeof x === 'string') as string | undefined
  for (const label of [ref, title]) if (label && /person|people|applicant|citizen|resident|contact|user|申请人|个人|联系人/i.test(label)) return t(lang, 'API-007.by.schema', {schema: label})
  return null
}

export const personalInfo = withContract((art, ctx) => {
  const out: RawFinding[] = []
  const docs = art.docs
  const names = compileNames(ctx.params)
  const contextual = anchored(ctx.params.contextNames)
  let checked = 0
  const {ops, cannot} = judgeable(art, ctx, {params: true})
  out.push(...cannot)
  for (const op of ops) {
    for (const p of op.params) {
      if (p.in !== 'path' && p.in !== 'query') continue
      checked++
      let hit = personalKind(docs, p, ctx.params, names)
      if (!hit && contextual.some((re) => re.test(p.name.replace(/[-_.\s]/g, '')))) {
        const why = personContext(docs, op, p, ctx.params, names, ctx.lang)
        if (why) hit = {kind: 'name', by: why}
      }
      if (hit) {
        const kind = t(ctx.lang, `API-007.kind.${hit.kind}`)
        out.push(fail(t(ctx.lang, 'API-007.fail', {op: op.label, name: p.name, in: p.in, kind, by: hit.by}), locate(docs, {doc: p.node.doc, pointer: childPointer(p.node.pointer, 'name')}), {key: `${op.label} ${p.in} ${p.name}`}))
      }
    }
  }
  if (out.length === 0) out.push(pass(t(ctx.lang, 'API-007.pass', {count: checked}), locate(docs, {doc: art.main!, pointer: '/paths'}, true)))
  return out
})
