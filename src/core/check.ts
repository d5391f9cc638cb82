// `sjt check`: flags + config → run options → one app or many → outputs and an exit code.
import {existsSync, statSync} from 'node:fs'
import {createHash} from 'node:crypto'
import path from 'node:path'
import {InputError} from './errors.js'
import {loadConfig, type SjtConfig} from './config.js'
import {readRegularFile} from '../lib/source.js'
import {exitCodeOf} from './result.js'
import {findApps, findManifest, MANIFEST_NAMES, runCheck} from './run.js'
import type {Category, FailOn, Lang, ResultDocument, RunOptions} from './types.js'
import {parseFormats, writeReports, type Format} from '../report/index.js'
import {renderText, useColor} from '../report/text.js'
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

export function parseShard(v: string | undefined, lang: Lang): {index: number; count: number} {
  if (!v) return {index: 1, count: 1}
  const m = /^(\d+)\/(\d+)$/.exec(v.trim())
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new InputError(t(lang, 'flag.badShard'))
  return {index: Number(m[1]), count: Number(m[2])}
}

export function buildOptions(flags: CheckFlags, config: SjtConfig, lang: Lang, manifestPath?: string): RunOptions {
  const failOn = (flags['fail-on'] ?? config.failOn ?? 'error') as FailOn
  const ca = flags.ca ?? config.ca ?? process.env.NODE_EXTRA_CA_CERTS
  // A regular file of PEM text, capped (a device or FIFO named as the CA exits 2 instead of hanging).
  if (ca) readRegularFile(ca, lang)
  const baseline = flags.baseline ?? config.baseline
  return {
    appDir: manifestPath ? path.dirname(path.resolve(manifestPath)) : undefined,
    manifestPath,
    url: checkUrl(flags.url ?? config.url, lang),
    elderUrl: checkUrl(flags['elder-url'] ?? config.elderUrl, lang),
    apiBase: checkUrl(flags['api-base'] ?? config.apiBase, lang),
    ca,
    chromePath: flags['chrome-path'] ?? config.chromePath,
    timeoutMs: (flags.timeout ?? config.timeout ?? 30) * 1000,
    runs: flags.runs ?? config.runs ?? 3,
    throttling: (flags.throttling ?? config.throttling ?? 'simulate') as RunOptions['throttling'],
    lang,
    failOn,
    profile: flags.profile ?? config.profile ?? 'shanxi-2022',
    baseline,
    saveArtifacts: flags['save-artifacts'],
    fromArtifacts: flags['from-artifacts'],
    allowRemoteRefs: flags['allow-remote-refs'] ?? config.allowRemoteRefs ?? false,
    probeWrites: flags['probe-writes'] ?? config.probeWrites ?? false,
    probeRequests: flags['probe-requests'] ?? config.probeRequests ?? 5,
    noAuth: flags['no-auth'] ?? false,
    debug: flags.debug ?? false,
    ruleOverrides: Object.fromEntries(Object.entries(config.rules ?? {}).map(([k, v]) => [k.toUpperCase(), v])),
    waivers: config.waivers ?? [],
    auth: config.auth,
    progress: flags.json ? undefined : (line) => process.stderr.write(`· ${maskText(line)}\n`),
  }
}

/** Runs the check and writes outputs. Returns the exit code (0/1/3); input errors throw. */
export async function check(flags: CheckFlags, categories: Category[], lang: Lang): Promise<CheckOutcome> {
  const target = flags.path
  const urlMode = !target && Boolean(flags.url || flags['elder-url']) && !MANIFEST_NAMES.some((n) => existsSync(n))
  const formats = parseFormats(flags.format, lang)

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

  const one = async (appDir: string | undefined, task?: TaskHandle): Promise<ResultDocument> => {
    const manifestPath = appDir ? findManifest(appDir, lang) : undefined
    const startDir = manifestPath ? path.dirname(manifestPath) : process.cwd()
    const {config, file: configFile} = loadConfig(startDir, lang, flags.config)
    const options = buildOptions(flags, config, lang, manifestPath)
    // Which config decided the rules and the gate is part of the record.
    if (configFile) options.configFile = configFile
    if (task) options.progress = (line) => task.line(maskText(line))
    if (multi && options.saveArtifacts) options.saveArtifacts = path.join(options.saveArtifacts, path.basename(appDir!))
    const outcome = await runCheck(options, categories)
    let doc = outcome.doc
    // A failed login ends with exit 3: say why on stderr, also with --json (doc.auth has it too).
    const auth = (doc as {auth?: {ok: boolean; message: string}}).auth
    if (auth && auth.ok === false) {
      const line = maskText(t(lang, 'auth.failedExit', {message: auth.message}))
      emit(() => process.stderr.write(`${multi && appDir ? path.basename(appDir) + ': ' : ''}${line}\n`))
    }
    if (flags.sign) {
      const {signDocument} = await import('./sign.js')
      doc = signDocument(doc, flags.sign, lang, flags['sign-alg'] as 'ed25519' | 'sm2' | undefined)
    }
    const outDir = flags.out ?? config.out ?? 'reports'
    const extra = [...formats, ...parseFormats(config.format, lang).filter(() => formats.length === 0)]
    const written = await writeReports(doc, extra, outDir, {lang, chromePath: options.chromePath})
    if (!flags.json) {
      const text = renderText(doc, {lang, color: useColor(), verbose: flags.verbose})
      emit(() => {
        process.stdout.write(text)
        for (const f of written) process.stderr.write(t(lang, 'text.written', {file: f}) + '\n')
      })
    }
    return doc
  }

  const docs: ResultDocument[] = []
  const flush = () => {
    progress.stop()
    for (const fn of deferred.splice(0)) fn()
  }
  if (!multi) {
    const task = progress.task(appDirs[0] ?? flags.url ?? flags['from-artifacts'] ?? '.')
    try {
      docs.push(await one(appDirs[0], task))
      task.done(docs[0].verdict, docs[0].verdict === 'pass')
    } catch (error) {
      task.done('error', false)
      throw error
    } finally {
      flush()
    }
    if (flags.json) process.stdout.write(JSON.stringify(docs[0], null, 2) + '\n')
    return {exitCode: exitCodeOf(docs[0]), docs}
  }
  const {checkMany} = await import('./many.js')
  try {
    return await checkMany(appDirs, one, flags, lang, progress)
  } finally {
    flush()
  }
}
