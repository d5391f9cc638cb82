// The pipeline: load → gather (collectors produce artifacts) → audit (pure rules) → result document.
import {existsSync, mkdirSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import os from 'node:os'
import {InputError, SjtError} from '../lib/errors.js'
import {loadProfile} from './profile.js'
import {APP_ID_MAX, assertAppId, placeholderAppId} from './app-id.js'
import {categoriesFor} from './app-type.js'
import {applyBaseline, applyWaivers, computeDigest, localDay, summarize, verdictOf} from './result.js'
import {artifactError, artifactOf, isArtifactName, type ArtifactError, type ArtifactName, type Artifacts} from '../artifacts/index.js'
import {validateArtifact} from '../artifacts/validate.js'
import type {Category, CategoryModule, CollectorModule, Finding, GatherContext, Profile, ResultDocument, RuleMeta, RunOptions, Severity} from './types.js'
import {CATEGORY_MODULES, COLLECTORS, isCollectedName} from './registry.js'
import {t} from '../lib/i18n/index.js'
import {toolVersion} from '../lib/paths.js'
import {describeAjvError, schemaValidator} from '../lib/schema.js'
import {maskDeep} from '../lib/secrets.js'
import {depthOf, readRegularFile} from '../lib/source.js'

/** A result document is at most this large (the review server takes 5 MiB) and this deep. */
export const MAX_RESULT_BYTES = 64 * 1024 * 1024
const MAX_RESULT_DEPTH = 256
/** A saved artifact file is at most this large (Lighthouse pages with every run's metrics stay far below). */
const MAX_ARTIFACT_BYTES = 256 * 1024 * 1024
import {isStdin, readStdinBytes} from '../lib/stdin.js'

export const MANIFEST_NAMES = ['sjt.yaml', 'sjt.yml', 'sjt.json']

/** PATH (folder or file) → the manifest file, or an input error. */
export function findManifest(p: string, lang: RunOptions['lang']): string {
  if (!existsSync(p)) throw new InputError(t(lang, 'input.notFound'), {file: p}, t(lang, 'input.notFound.hint'))
  if (statSync(p).isDirectory()) {
    for (const n of MANIFEST_NAMES) {
      const f = path.join(p, n)
      if (existsSync(f)) return f
    }
    throw new InputError(t(lang, 'manifest.noneInDir', {names: MANIFEST_NAMES.join(', ')}), {file: p}, t(lang, 'manifest.noneInDir.hint'))
  }
  return p
}

/** Apps under a folder: the folder itself when it holds a manifest, else each subfolder that does. */
export function findApps(dir: string): string[] {
  if (MANIFEST_NAMES.some((n) => existsSync(path.join(dir, n)))) return [dir]
  const out: string[] = []
  for (const e of readdirSync(dir, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') continue
    const sub = path.join(dir, e.name)
    if (MANIFEST_NAMES.some((n) => existsSync(path.join(sub, n)))) out.push(sub)
  }
  return out
}

async function categoryModule(c: Category): Promise<CategoryModule> {
  return CATEGORY_MODULES[c]()
}

async function collectorModule(name: string): Promise<CollectorModule> {
  if (!isCollectedName(name)) throw new Error(`no collector for the artifact "${name}" (src/core/registry.ts)`)
  return COLLECTORS[name]()
}

export interface RunOutcome {
  doc: ResultDocument
  profile: Profile
  artifacts: Artifacts
}


/** Run the requested categories over one app (or URL) and build the result document. */
export async function runCheck(options: RunOptions, categories: Category[]): Promise<RunOutcome> {
  const started = Date.now()
  const lang = options.lang
  const profile = loadProfile(options.profile, lang)
  for (const id of Object.keys(options.ruleOverrides)) {
    if (!profile.rules.some((r) => r.id === id.toUpperCase())) throw new InputError(t(lang, 'rule.unknown', {id}), undefined, t(lang, 'rule.unknown.hint'))
  }
  const modules = new Map<Category, CategoryModule>()
  for (const c of categories) modules.set(c, await categoryModule(c))

  // GATHER: what the rules that will run declare they need (`requires:` in the rule catalogue).
  const active = profile.rules.filter((r) => categories.includes(r.category) && (options.ruleOverrides[r.id] ?? r.severity) !== 'off')
  const needed = new Set<string>()
  if (options.manifestPath) needed.add('manifest')
  for (const r of active) for (const a of requiresOf(r, modules.get(r.category)!)) needed.add(a)
  const artifacts: Artifacts = options.fromArtifacts ? loadArtifacts(options.fromArtifacts, lang) : {}
  const ctx: GatherContext = {options, profile, artifacts, shared: new Map()}
  // A full check runs the categories that fit the app's type (see app-type.ts).
  const narrow = () => {
    const fit = categoriesFor(categories, artifacts.manifest, typeof options.miniprogramProject === 'string')
    if (fit.length === categories.length) return
    categories = fit
    for (const c of [...modules.keys()]) if (!categories.includes(c)) modules.delete(c)
    needed.clear()
    if (options.manifestPath) needed.add('manifest')
    for (const r of active) if (categories.includes(r.category)) for (const a of requiresOf(r, modules.get(r.category)!)) needed.add(a)
  }
  if (options.fromArtifacts) {
    narrow()
    // Artifacts saved before the targets were one artifact: work them out from the saved manifest.
    if (!artifacts.targets) await gatherAll(['targets'], ctx)
  }
  try {
    if (!options.fromArtifacts) {
      // The manifest first: the login bootstrap and every other collector read it.
      if (needed.has('manifest')) await gatherAll(['manifest'], ctx)
      // The targets (pages to visit, URLs to fetch, their roles and login needs), once, for every collector and audit.
      await gatherAll(['targets'], ctx)
      // app.id names the report folder: refuse an unsafe one before anything is gathered or written.
      const early = artifactOf(artifacts, 'manifest')
      if (early?.data?.app && typeof early.data.app === 'object' && typeof early.data.app.id === 'string' && !placeholderAppId(early.data.app.id)) assertAppId(String(early.data.app.id), lang, early.file)
      narrow()
      // The login only for categories that reach the app (pages, Lighthouse, HTTP, the live probe).
      const reachesApp = [...needed].some((n) => n !== 'manifest' && n !== 'contract')
      if (options.auth && !options.noAuth && reachesApp) {
        const {bootstrapAuth} = await import('./auth.js')
        const m = artifactOf(artifacts, 'manifest')?.data
        const entry = options.url ?? (typeof m?.app?.entry === 'string' ? m.app.entry : undefined)
        const outcome = await bootstrapAuth(ctx, entry, options.apiBase)
        if (outcome) {
          artifacts.auth = outcome
          options.progress?.(outcome.ok ? outcome.message : t(lang, 'auth.failedExit', {message: outcome.message}))
        }
      }
      await gatherAll([...needed].filter((n) => n !== 'manifest' && n !== 'targets'), ctx)
      // A login that looked fine but whose session still lands on the login page failed too (exit 3).
      if (artifactOf(artifacts, 'auth')?.ok && ctx.shared.has('auth')) {
        const {redirectedToLogin} = await import('./auth.js')
        const failed = redirectedToLogin(artifacts, lang)
        if (failed) {
          artifacts.auth = failed
          options.progress?.(t(lang, 'auth.failedExit', {message: failed.message}))
        }
      }
    }
  } finally {
    for (const r of ctx.shared.values()) await r.close().catch(() => undefined)
  }
  if (options.saveArtifacts) saveArtifacts(options.saveArtifacts, maskDeep(artifacts))

  // AUDIT
  const findings: Finding[] = []
  // Artifacts that could not be gathered, with the rules they left unjudged (the run exits 3).
  const unavailable = new Map<string, {artifact: string; message: string; rules: string[]}>()
  const rules = profile.rules.filter((r) => categories.includes(r.category))
  for (const rule of rules) {
    const severity = (options.ruleOverrides[rule.id] ?? rule.severity) as Severity | 'off'
    if (severity === 'off') continue
    const mod = modules.get(rule.category)!
    const fnName = rule.check.split('.')[1]
    const fn = mod.checks[fnName]
    if (!fn) throw new Error(`rule ${rule.id}: check function ${rule.check} does not exist`)
    const base = {ruleId: rule.id, category: rule.category, clause: rule.clause}
    const brokenName = requiresOf(rule, mod).find((r) => isArtifactName(r) && artifactError(artifacts[r]))
    if (brokenName) {
      const broken = artifactError(artifacts[brokenName as ArtifactName])!
      findings.push({...base, severity, status: 'error', message: broken.message, evidence: 'not-verifiable'})
      const u = unavailable.get(brokenName) ?? {artifact: brokenName, message: broken.message, rules: []}
      u.rules.push(rule.id)
      unavailable.set(brokenName, u)
      continue
    }
    let raw
    try {
      raw = fn({artifacts, params: rule.params, rule, lang, profile})
    } catch (error) {
      if (options.debug) throw error
      raw = [{status: 'error' as const, message: t(lang, 'audit.crashed', {detail: (error as Error).message})}]
    }
    for (const r of raw) {
      const sev = r.severity && rankOf(r.severity) < rankOf(severity) ? r.severity : severity
      // A check that could not be made is not-verifiable, whatever the rule usually rests on.
      const evidence = r.evidence ?? (r.status === 'error' ? 'not-verifiable' : (rule.evidence ?? 'measured'))
      findings.push({...base, severity: sev, status: r.status, message: r.message, ...(r.location ? {location: r.location} : {}), ...(r.details ? {details: r.details} : {}), evidence})
    }
  }

  // Metrics the audits compute over several artifacts (the security grade), per category that ran.
  const categoryMetrics: Record<string, unknown> = {}
  for (const [c, mod] of modules) {
    if (!mod.metrics) continue
    const m = mod.metrics({artifacts, profile, rules: active.filter((r) => r.category === c)})
    for (const [k, v] of Object.entries(m ?? {})) if (v !== undefined) categoryMetrics[k] = v
  }

  // A waiver for a rule of a category that did not run is not "unused" (it may match next time);
  // expired ones are always reported.
  const waivers = applyWaivers(findings, options.waivers).filter((w) => {
    const rule = profile.rules.find((r) => r.id === w.rule.toUpperCase())
    return w.state !== 'unused' || !rule || categories.includes(rule.category)
  })
  let baselineInfo: ResultDocument['baseline']
  if (options.baseline) {
    const b = readResult(options.baseline, lang)
    baselineInfo = {file: options.baseline, digest: b.digest?.value, ...applyBaseline(findings, b)}
  }

  const manifestArt = artifactOf(artifacts, 'manifest')
  const manifest = manifestArt?.data
  const app = manifest?.app && typeof manifest.app === 'object' ? manifest.app : {}
  const owner = manifest?.owner && typeof manifest.owner === 'object' ? manifest.owner : {}
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined)
  const pageUrl = options.url ?? options.elderUrl
  const mpProject = typeof options.miniprogramProject === 'string' ? path.basename(path.resolve(options.miniprogramProject)) : undefined
  const urlId = (pageUrl ? 'url-' + new URL(pageUrl).host.replace(/[^a-z0-9]+/gi, '-').toLowerCase() : mpProject ? 'mp-' + (mpProject.replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-+|-+$/g, '') || 'project') : 'unknown').slice(0, APP_ID_MAX)
  const summaries = summarize(findings, profile.rules, categories)
  const doc: Omit<ResultDocument, 'digest'> & {digest?: ResultDocument['digest']} = {
    schemaVersion: '1.0',
    tool: {name: 'sjt', version: toolVersion()},
    profile: {name: profile.name, version: profile.version},
    app: {
      id: str(app.id) !== undefined ? (placeholderAppId(str(app.id)) ?? assertAppId(str(app.id), lang, manifestArt?.file)) : urlId,
      name: str(app.name) ?? pageUrl ?? mpProject ?? 'unknown',
      version: str(app.version) ?? '0.0.0',
      ...(str(owner.regionCode) ? {regionCode: str(owner.regionCode)} : {}),
      ...(str(owner.creditCode) ? {creditCode: str(owner.creditCode)} : {}),
      ...(str(owner.level) ? {level: str(owner.level)} : {}),
    },
    lang,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    environment: {node: process.version, os: `${os.platform()} ${os.release()}`, ...(artifactOf(artifacts, 'page')?.browserVersion ? {browser: String(artifactOf(artifacts, 'page')!.browserVersion)} : {})},
    failOn: options.failOn,
    inputs: {
      ...(manifestArt?.file ? {manifest: manifestArt.file} : {}),
      ...(artifactOf(artifacts, 'contract')?.file ? {contract: artifactOf(artifacts, 'contract')!.file} : {}),
      ...(options.url ? {url: options.url} : {}),
      ...(options.elderUrl ? {elderUrl: options.elderUrl} : {}),
      ...(artifactOf(artifacts, 'miniprogram')?.project ? {miniprogram: String(artifactOf(artifacts, 'miniprogram')!.project)} : {}),
      ...(options.configFile ? {config: options.configFile} : {}),
    },
    categories: summaries,
    findings,
    metrics: {...collectMetrics(artifacts), ...categoryMetrics},
    ...(manifest ? {manifest} : {}),
    ...(waivers.length ? {waivers} : {}),
    ...(baselineInfo ? {baseline: baselineInfo} : {}),
    ...(artifactOf(artifacts, 'auth') ? {auth: artifactOf(artifacts, 'auth')} : {}),
    rules: ruleMetadata(findings, profile, options.ruleOverrides),
    ...(unavailable.size ? {unavailable: [...unavailable.values()]} : {}),
    verdict: verdictOf(findings, options.failOn, {waivers, baseline: baselineInfo, day: localDay(new Date(started)), auth: artifactOf(artifacts, 'auth'), categories: summaries}),
  }
  doc.durationMs = Date.now() - started
  // The capability score (spec/scoring.md) when the run had a manifest; computed from the draft document.
  // The scoring model is the command layer's (options.score, set by buildOptions in src/cli/check.ts).
  if (manifest && options.score) {
    try {
      doc.score = await options.score(doc as ResultDocument, profile)
    } catch (error) {
      if (options.debug) throw error
      options.progress?.(t(lang, 'score.hookFailed', {detail: error instanceof SjtError ? error.format() : (error as Error).message}))
    }
  }
  // Secrets read from the environment (login bootstrap) never reach what sjt writes.
  const finished = finalizeDocument(maskDeep(doc) as Record<string, unknown>)
  return {doc: finished, profile, artifacts}
}

/** Title, help, clause, severity and weight of every rule the findings mention (the document is self-contained). */
function ruleMetadata(findings: Finding[], profile: Profile, overrides: RunOptions['ruleOverrides']): Record<string, RuleMeta> {
  const out: Record<string, RuleMeta> = {}
  for (const id of [...new Set(findings.map((f) => f.ruleId))].sort()) {
    const r = profile.rules.find((x) => x.id === id)
    if (!r) continue
    out[id] = {category: r.category, title: r.title, clause: r.clause, severity: (overrides[id] ?? r.severity) as RuleMeta['severity'], weight: r.weight, ...(r.help ? {help: r.help} : {})}
  }
  return out
}

/** The artifacts a rule reads: its own `requires:`, else every artifact of its category. */
function requiresOf(rule: Profile['rules'][number], mod: CategoryModule): string[] {
  return rule.requires && rule.requires.length ? rule.requires : mod.requires
}

function rankOf(s: Severity): number {
  return s === 'error' ? 3 : s === 'warn' ? 2 : 1
}

/** Metrics that collectors publish under `artifacts.<name>.metrics` end up in `metrics.<name>`. */
function collectMetrics(artifacts: Artifacts): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, v] of Object.entries(artifacts)) {
    if (!v || typeof v !== 'object' || artifactError(v)) continue
    const a = v as {metrics?: unknown; namedMetrics?: unknown}
    if (a.metrics && typeof a.metrics === 'object') out[name] = a.metrics
    // A collector may also publish metrics under other names (the lighthouse collector: `perf`).
    if (a.namedMetrics && typeof a.namedMetrics === 'object') {
      for (const [k, m] of Object.entries(a.namedMetrics as Record<string, unknown>)) if (m !== undefined && !(k in out)) out[k] = m
    }
  }
  return out
}

/** Recompute the digest and validate against result.schema.json; a failure here is a bug, not user input. */
export function finalizeDocument(doc: Record<string, unknown>): ResultDocument {
  delete doc.digest
  const signature = doc.signature
  delete doc.signature
  const value = computeDigest(doc)
  const out = {...doc, digest: {alg: 'sha256', value}, ...(signature ? {signature} : {})} as unknown as ResultDocument
  const validate = schemaValidator('result')
  if (!validate(out)) {
    const e = validate.errors![0]
    throw new Error(`internal: result document does not match result.schema.json at ${e.instancePath}: ${describeAjvError(e)}`)
  }
  return out
}

/** Collect artifacts in dependency order; independent collectors run concurrently. */
async function gatherAll(names: string[], ctx: GatherContext): Promise<void> {
  const mods = new Map<string, CollectorModule>()
  const pending = new Set(names)
  // Pull in collectors named in `after` that the categories did not ask for directly.
  for (let changed = true; changed; ) {
    changed = false
    for (const n of [...pending]) {
      if (!mods.has(n)) mods.set(n, await collectorModule(n))
      for (const dep of mods.get(n)!.after ?? []) {
        if (!pending.has(dep) && dep !== 'manifest') {
          pending.add(dep)
          changed = true
        }
      }
    }
  }
  // Each collector fills its own slot (the artifact named after it).
  const slots = ctx.artifacts as Record<string, unknown>
  const done = new Map<string, Promise<void>>()
  const start = (n: string): Promise<void> => {
    let p = done.get(n)
    if (p) return p
    p = (async () => {
      const deps = (mods.get(n)!.after ?? []).filter((d) => pending.has(d))
      await Promise.all(deps.map(start))
      try {
        if (n !== 'manifest' && n !== 'targets') ctx.options.progress?.(`gather ${n}`)
        slots[n] = await mods.get(n)!.collect(ctx)
      } catch (error) {
        if (error instanceof SjtError && error.exitCode === 2) throw error
        if (!(error instanceof SjtError) && ctx.options.debug) throw error
        const message = error instanceof SjtError ? error.format() : (error as Error).message
        slots[n] = {__error: {message, exitCode: 3}} satisfies ArtifactError
      }
    })()
    done.set(n, p)
    return p
  }
  // Collectors marked `last` (Lighthouse) start once the others settled, unless another needs them.
  const isLast = (n: string) => mods.get(n)!.last === true && ![...pending].some((o) => (mods.get(o)!.after ?? []).includes(n))
  await Promise.all([...pending].filter((n) => !isLast(n)).map(start))
  await Promise.all([...pending].filter(isLast).map(start))
}

export function saveArtifacts(dir: string, artifacts: Artifacts): void {
  mkdirSync(dir, {recursive: true})
  for (const [name, a] of Object.entries(artifacts)) writeFileSync(path.join(dir, `${name}.artifacts.json`), JSON.stringify(a))
}

function loadArtifacts(dir: string, lang: RunOptions['lang']): Artifacts {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(t(lang, 'artifacts.missing'), {file: dir}, t(lang, 'artifacts.missing.hint'))
  const out: Record<string, unknown> = {}
  for (const f of readdirSync(dir).sort()) {
    const name = f.replace(/\.artifacts\.json$/, '')
    // Only the artifacts of src/artifacts/index.ts are read (an older run's extra files are left alone).
    if (name === f || !isArtifactName(name)) continue
    const file = path.join(dir, f)
    let data: unknown
    try {
      data = JSON.parse(readRegularFile(file, lang, MAX_ARTIFACT_BYTES).toString('utf8').replace(/^\uFEFF/, ''))
    } catch (error) {
      if (error instanceof SjtError) throw error
      throw new InputError(t(lang, 'artifacts.bad', {detail: (error as Error).message}), {file})
    }
    const problem = validateArtifact(name, data, lang)
    if (problem) throw new InputError(t(lang, 'artifacts.invalid', {name, pointer: problem.pointer, detail: problem.message}), {file, pointer: problem.pointer}, t(lang, 'artifacts.invalid.hint'))
    out[name] = data
  }
  return out as Artifacts
}

/** Read and validate a saved result document (the only input of report, submit and score); `-` is stdin. */
export function readResult(file: string, lang: RunOptions['lang']): ResultDocument {
  const text = (isStdin(file) ? readStdinBytes(lang, MAX_RESULT_BYTES) : readRegularFile(file, lang, MAX_RESULT_BYTES)).toString('utf8')
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new InputError(t(lang, 'input.badJson', {detail: (error as Error).message}), {file})
  }
  if (depthOf(data, MAX_RESULT_DEPTH) > MAX_RESULT_DEPTH) throw new InputError(t(lang, 'input.tooDeep', {format: 'JSON', max: MAX_RESULT_DEPTH}), {file}, t(lang, 'result.invalid.hint'))
  const validate = schemaValidator('result')
  if (!validate(data)) {
    const e = validate.errors![0]
    throw new InputError(t(lang, 'result.invalid', {detail: `${e.instancePath || '/'} ${describeAjvError(e, lang)}`}), {file}, t(lang, 'result.invalid.hint'))
  }
  return data as ResultDocument
}

