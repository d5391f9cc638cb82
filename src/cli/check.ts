// `sjt check`: flags + config → run options → one app or many → outputs and an exit code.
import {existsSync, statSync} from 'node:fs'
import {createHash} from 'node:crypto'
import path from 'node:path'
import {InputError} from '../lib/errors.js'
import {loadConfig, type SjtConfig} from '../core/config.js'
import {readRegularFile} from '../lib/source.js'
import {exitCodeOf} from '../core/result.js'
import {findApps, findManifest, MANIFEST_NAMES, runCheck} from '../core/run.js'
import type {Category, FailOn, Lang, Profile, ResultDocument, RunOptions} from '../core/types.js'
import {parseFormats, writeReports} from '../report/index.js'
import {resolveLangSetting, resolveSettings} from '../core/settings.js'
import type {AppOutcome} from './many.js'
import type {Summary} from '../core/summary.js'
import {t} from '../lib/i18n/index.js'
import {createProgress, type TaskHandle} from '../lib/progress.js'
import {maskText} from '../lib/secrets.js'

export interface CheckFlags {
  path?: string
  profile?: string
  config?: string
  url?: string
  'elder-url'?: string
  'api-base'?: string
  ca?: string
  'chrome-path'?: string
  timeout?: number
  format?: string
  out?: string
  'fail-on'?: string
  baseline?: string
  runs?: number
  throttling?: string
  'save-artifacts'?: string
  'from-artifacts'?: string
  json?: boolean
  concurrency?: number
  shard?: string
  'probe-writes'?: boolean
  'probe-requests'?: number
  'allow-remote-refs'?: boolean
  'no-auth'?: boolean
  sign?: string
  'sign-alg'?: string
  verbose?: boolean
  debug?: boolean
  /** A mini-program project folder checked without a manifest (`sjt check miniprogram DIR`). */
  project?: string
}

export interface CheckOutcome {
  exitCode: number
  docs: ResultDocument[]
}

function checkUrl(v: string | undefined, lang: Lang): string | undefined {
  if (v === undefined) return undefined
  try {
    const u = new URL(v)
    if (!/^https?:$/.test(u.protocol)) throw new Error('scheme')
    return u.toString()
  } catch {
    throw new InputError(t(lang, 'flag.badUrl', {value: v}))
  }
}

/** Stable shard of an app: by a hash of its folder name, so adding apps moves few of them. */
export function inShard(appDir: string, shard: {index: number; count: number}): boolean {
  if (shard.count === 1) return true
  const h = createHash('sha1').update(path.basename(path.resolve(appDir))).digest()
  return (h.readUInt32BE(0) % shard.count) + 1 === shard.index
}

function parseShard(v: string | undefined, lang: Lang): {index: number; count: number} {
  if (!v) return {index: 1, count: 1}
  const m = /^(\d+)\/(\d+)$/.exec(v.trim())
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new InputError(t(lang, 'flag.badShard'))
  return {index: Number(m[1]), count: Number(m[2])}
}

/** The capability score (spec/scoring.md) of a document, loaded only when a run has a manifest. */
export async function scoreOf(doc: ResultDocument, profile: Profile): Promise<unknown> {
  const {scoreResult} = await import('../score/score.js')
  return scoreResult(doc, {profile})
}

export function buildOptions(flags: CheckFlags, config: SjtConfig, lang: Lang, manifestPath?: string, configFile?: string): RunOptions {
  const set = resolveSettings({flags: flags as Record<string, unknown>, config, configFile, lang})
  const ca = set.ca
  if (ca && !existsSync(ca)) throw new InputError(t(lang, 'input.notFound'), {file: ca}, t(lang, 'input.notFound.hint'))
  // A regular file of PEM text, capped (a device or FIFO named as the CA exits 2 instead of hanging).
  if (ca) readRegularFile(ca, lang)
  return {
    appDir: manifestPath ? path.dirname(path.resolve(manifestPath)) : undefined,
    manifestPath,
    url: checkUrl(set.url, lang),
    elderUrl: checkUrl(set.elderUrl, lang),
    apiBase: checkUrl(set.apiBase, lang),
    ca,
    chromePath: set.chromePath,
    timeoutMs: set.timeout! * 1000,
    runs: set.runs!,
    throttling: set.throttling!,
    lang,
    failOn: set.failOn as FailOn,
    profile: set.profile!,
    baseline: set.baseline,
    saveArtifacts: flags['save-artifacts'],
    fromArtifacts: flags['from-artifacts'],
    score: scoreOf,
    allowRemoteRefs: set.allowRemoteRefs!,
    probeWrites: set.probeWrites!,
    probeRequests: set.probeRequests!,
    noAuth: flags['no-auth'] ?? false,
    debug: flags.debug ?? false,
    ruleOverrides: Object.fromEntries(Object.entries(set.rules ?? {}).map(([k, v]) => [k.toUpperCase(), v])),
    waivers: set.waivers ?? [],
    auth: set.auth,
    progress: flags.json ? undefined : (line) => process.stderr.write(`· ${maskText(line)}\n`),
  }
}

/** What a command does with the outcome of each app: the pipeline itself prints nothing on stdout. */
export interface CheckRenderer {
  /** One app's result and the files written for it (result.json first). */
  result(doc: ResultDocument, written: string[], info: {lang: Lang; multi: boolean; verbose: boolean; json: boolean}): void
  /** The summary of a folder of apps, and where it was written. */
  summary?(summary: Summary, file: string, info: {lang: Lang; json: boolean}): void
}

/** Runs the check and writes outputs. Returns the exit code (0/1/3); input errors throw. */
export async function check(flags: CheckFlags, categories: Category[], langBefore: Lang, render: CheckRenderer): Promise<CheckOutcome> {
  const target = flags.path
  // Settings of the whole run (language, concurrency, where reports and the summary go) come
  // from the config found from PATH (or the current folder) upwards; each app's own config
  // gives the rest. --lang and SJT_LANG win over `lang:` in the config.
  const runStart = target && existsSync(target) ? (statSync(target).isDirectory() ? target : path.dirname(target)) : process.cwd()
  const runConfig = loadConfig(runStart, langBefore, flags.config)
  const lang = resolveLangSetting({flags: flags as Record<string, unknown>, config: runConfig.config})
  const urlMode = Boolean(flags.project) || (!target && Boolean(flags.url || flags['elder-url']) && !MANIFEST_NAMES.some((n) => existsSync(n)))
  parseFormats(flags.format, lang) // a bad --format is refused before any work

  let appDirs: string[] = []
  let fromFolder = false
  if (!urlMode && !flags['from-artifacts']) {
    const p = target ?? '.'
    if (!existsSync(p)) throw new InputError(t(lang, 'input.notFound'), {file: p}, t(lang, 'input.notFound.hint'))
    if (statSync(p).isDirectory() && !MANIFEST_NAMES.some((n) => existsSync(path.join(p, n)))) {
      appDirs = findApps(p)
      fromFolder = true
      if (appDirs.length === 0) findManifest(p, lang) // throws the "no manifest here" input error
    } else appDirs = [p]
  } else if (target) appDirs = [target]

  // A folder of apps is checked as many (summary, shards) even when it holds a single app, so a
  // CI matrix over shards covers every app exactly once.
  const multi = appDirs.length > 1 || (fromFolder && !flags['from-artifacts'])
  const shard = parseShard(flags.shard, lang)
  if (multi) appDirs = appDirs.filter((d) => inShard(d, shard))
  const progress = createProgress({enabled: !flags.json, prefix: multi})
  // While a task list is redrawn on the terminal, the text reports wait until it is done.
  const deferred: Array<() => void> = []
  const emit = (fn: () => void) => (progress.live ? deferred.push(fn) : fn())

  const one = async (appDir: string | undefined, task?: TaskHandle): Promise<AppOutcome> => {
    const manifestPath = appDir ? findManifest(appDir, lang) : undefined
    const startDir = manifestPath ? path.dirname(manifestPath) : process.cwd()
    const {config, file: configFile} = loadConfig(startDir, lang, flags.config)
    const appLang = resolveLangSetting({flags: flags as Record<string, unknown>, config})
    const options = buildOptions(flags, config, appLang, manifestPath, configFile)
    if (flags.project) options.miniprogramProject = flags.project
    // Which config decided the rules and the gate is part of the record.
    if (configFile) options.configFile = configFile
    if (task) options.progress = (line) => task.line(maskText(line))
    if (multi && options.saveArtifacts) options.saveArtifacts = path.join(options.saveArtifacts, path.basename(appDir!))
    const outcome = await runCheck(options, categories)
    let doc = outcome.doc
    // A failed login ends with exit 3: say why on stderr, also with --json (doc.auth has it too).
    const auth = (doc as {auth?: {ok: boolean; message: string}}).auth
    if (auth && auth.ok === false) {
      const line = maskText(t(appLang, 'auth.failedExit', {message: auth.message}))
      emit(() => process.stderr.write(`${multi && appDir ? path.basename(appDir) + ': ' : ''}${line}\n`))
    }
    if (flags.sign) {
      const {signDocument} = await import('../core/sign.js')
      doc = signDocument(doc, flags.sign, appLang, flags['sign-alg'] as 'ed25519' | 'sm2' | undefined)
    }
    const settings = resolveSettings({flags: flags as Record<string, unknown>, config, configFile, lang: appLang})
    const written = await writeReports(doc, parseFormats(settings.format, appLang), settings.out!, {lang: appLang, chromePath: options.chromePath})
    emit(() => render.result(doc, written, {lang: appLang, multi, verbose: flags.verbose ?? false, json: flags.json ?? false}))
    return {doc, resultFile: written[0]}
  }

  const docs: ResultDocument[] = []
  const flush = () => {
    progress.stop()
    for (const fn of deferred.splice(0)) fn()
  }
  if (!multi) {
    const task = progress.task(appDirs[0] ?? flags.project ?? flags.url ?? flags['from-artifacts'] ?? '.')
    try {
      docs.push((await one(appDirs[0], task)).doc)
      task.done(docs[0].verdict, docs[0].verdict === 'pass')
    } catch (error) {
      task.done('error', false)
      throw error
    } finally {
      flush()
    }
    return {exitCode: exitCodeOf(docs[0]), docs}
  }
  const {checkMany} = await import('./many.js')
  const runSettings = resolveSettings({flags: flags as Record<string, unknown>, config: runConfig.config, configFile: runConfig.file, lang})
  try {
    return await checkMany(appDirs, one, {...flags, out: runSettings.out, concurrency: runSettings.concurrency}, lang, progress, render)
  } finally {
    flush()
  }
}
