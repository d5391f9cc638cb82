// The Lighthouse collector: mobile form factor, `--throttling simulate|devtools|none`, on the run's
// shared Chromium (Lighthouse connects by its DevTools port and opens its own tab), for the entry
// page and the elder entry. Before Lighthouse, one plain navigation per page (no throttling)
// records the HTTP status and DOMContentLoaded time (PERF-001) and spares Lighthouse runs on a
// page that cannot be reached at all.
//
// `--runs N` runs one after another, never concurrently, and each run holds the machine-wide
// lock (src/lib/serial.ts), so several apps or several `sjt` processes never overlap Lighthouse.
// A run that fails (runtime error such as NO_FCP, a renderer crash, a hang) is recorded with its
// reason; the other runs still count.
//
// Median run (the reported one), after LHCI's median-run idea: among the runs that produced
// LCP and TBT, take the median LCP and the median TBT (mean of the middle two for an even count),
// and report the run nearest to both, by the Euclidean distance of the relative differences
// ((LCP − median LCP) / median LCP, (TBT − median TBT) / max(median TBT, 50 ms)); the 50 ms floor
// keeps near-zero TBT from dominating. Ties go to the earlier run. Every run's metrics are kept.
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {GatherContext} from '../core/types.js'
import type {BrowserSession} from '../lib/browser.js'
import {sharedBrowser} from './browser.js'
import {withMachineLock} from '../lib/serial.js'
import {t} from '../lib/i18n/index.js'
import {loginPattern, noSessionReason, type AuthConfig} from '../core/auth.js'
import {maskText} from '../lib/secrets.js'
import {targetsOf} from './targets.js'
import {obj} from '../lib/values.js'
import {type RunMetrics, METRIC_KEYS, type MetricKey, type LhRun, type ProbeResult, type Diagnostics, type LhPage, type Spread, type PageSummary, type LighthouseArtifact} from '../artifacts/lighthouse.js'

export const after = ['manifest']
/** Start after every other collector of the run settled: Lighthouse measures best on a quiet browser. */
export const last = true

export const MEDIAN_RULE = 'run nearest to median LCP and median TBT (relative Euclidean distance, TBT floor 50 ms; ties: earlier run)'

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

// ---------------------------------------------------------------- median and spread (pure)

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** The reported run (1-based run number) by MEDIAN_RULE, or null when no run has LCP and TBT. */
export function medianRun(runs: Pick<LhRun, 'run' | 'metrics'>[]): number | null {
  const valid = runs.filter((r) => num(r.metrics?.lcpMs) !== undefined && num(r.metrics?.tbtMs) !== undefined)
  if (valid.length === 0) {
    // No run with both: fall back to the first run that has any metric at all.
    return runs.find((r) => r.metrics && Object.keys(r.metrics).length > 0)?.run ?? null
  }
  const mLcp = medianOf(valid.map((r) => r.metrics!.lcpMs!))
  const mTbt = medianOf(valid.map((r) => r.metrics!.tbtMs!))
  let best = valid[0]
  let bestD = Infinity
  for (const r of valid) {
    const d = Math.hypot((r.metrics!.lcpMs! - mLcp) / Math.max(mLcp, 1), (r.metrics!.tbtMs! - mTbt) / Math.max(mTbt, 50))
    if (d < bestD - 1e-12) {
      best = r
      bestD = d
    }
  }
  return best.run
}

/** min/max/median of each metric over the runs that have it; LCP also gets max/min as `ratio`. */
export function spreadOf(runs: Pick<LhRun, 'metrics'>[]): Partial<Record<MetricKey, Spread>> {
  const out: Partial<Record<MetricKey, Spread>> = {}
  for (const k of METRIC_KEYS) {
    const xs = runs.map((r) => num(r.metrics?.[k])).filter((x): x is number => x !== undefined)
    if (xs.length === 0) continue
    const s: Spread = {min: Math.min(...xs), max: Math.max(...xs), median: round(k, medianOf(xs))}
    if (k === 'lcpMs' && s.min > 0) s.ratio = Math.round((s.max / s.min) * 1000) / 1000
    out[k] = s
  }
  return out
}

function round(k: string, v: number): number {
  return k === 'cls' ? Math.round(v * 10000) / 10000 : Math.round(v)
}

/** The summary of one page (what lands in result.metrics.perf): the median run's numbers and the spread. */
export function summarizePage(p: Pick<LhPage, 'role' | 'url' | 'runs' | 'medianRun'>): PageSummary {
  const median = p.runs.find((r) => r.run === p.medianRun)
  return {
    url: p.url,
    page: p.role,
    ...(median?.metrics ?? {}),
    runs: p.runs.length,
    median: {run: p.medianRun, runsWithMetrics: p.runs.filter((r) => r.metrics).length, rule: MEDIAN_RULE},
    spread: spreadOf(p.runs),
  }
}

// ---------------------------------------------------------------- reading a Lighthouse result

type Lhr = Record<string, any>

const audit = (lhr: Lhr, id: string): Record<string, any> | undefined => obj(obj(lhr.audits)?.[id])
const items = (lhr: Lhr, id: string): Record<string, any>[] => {
  const d = obj(audit(lhr, id)?.details)
  return Array.isArray(d?.items) ? d!.items.filter((x: unknown) => obj(x)) : []
}

/** The numbers of one run, read defensively (an errored audit leaves its metric out). */
export function metricsOf(lhr: Lhr): RunMetrics {
  const out: RunMetrics = {}
  const put = (k: keyof RunMetrics, v: number | undefined) => {
    if (v !== undefined) out[k] = round(k, v)
  }
  put('lcpMs', num(audit(lhr, 'largest-contentful-paint')?.numericValue))
  put('fcpMs', num(audit(lhr, 'first-contentful-paint')?.numericValue))
  put('tbtMs', num(audit(lhr, 'total-blocking-time')?.numericValue))
  put('cls', num(audit(lhr, 'cumulative-layout-shift')?.numericValue))
  put('ttiMs', num(audit(lhr, 'interactive')?.numericValue))
  put('speedIndexMs', num(audit(lhr, 'speed-index')?.numericValue))
  const summary = items(lhr, 'resource-summary')
  const total = summary.find((i) => i.resourceType === 'total')
  put('transferBytes', num(audit(lhr, 'total-byte-weight')?.numericValue) ?? num(total?.transferSize))
  put('jsBytes', num(summary.find((i) => i.resourceType === 'script')?.transferSize))
  put('requests', num(total?.requestCount))
  const score = num(obj(obj(lhr.categories)?.performance)?.score)
  if (score !== undefined) out.score = Math.round(score * 100)
  return out
}

function mainStatus(lhr: Lhr): number | undefined {
  const reqs = items(lhr, 'network-requests')
  const main = reqs.find((r) => r.url === lhr.mainDocumentUrl) ?? reqs.find((r) => r.resourceType === 'Document')
  return num(main?.statusCode)
}

const clip = (s: unknown, n = 120): string => {
  const v = typeof s === 'string' ? s : ''
  return v.length > n ? v.slice(0, n - 1) + '…' : v
}

/** What to tell a developer about the median run: what blocks rendering, what is big, what shifts. */
export function diagnosticsOf(lhr: Lhr): Diagnostics {
  const d: Diagnostics = {}
  const lcpNode = items(lhr, 'largest-contentful-paint-element')
    .flatMap((i) => (Array.isArray(i.items) ? i.items : [i]))
    .map((i) => obj(i?.node))
    .find(Boolean)
  if (lcpNode?.selector) d.lcpElement = clip(lcpNode.selector)
  const rb = (items(lhr, 'render-blocking-resources').length ? items(lhr, 'render-blocking-resources') : items(lhr, 'render-blocking-insight'))
    .filter((i) => typeof i.url === 'string')
    .map((i) => ({url: clip(i.url, 200), wastedMs: Math.round(num(i.wastedMs) ?? 0), ...(num(i.totalBytes) !== undefined ? {bytes: num(i.totalBytes)} : {})}))
    .sort((a, b) => b.wastedMs - a.wastedMs)
    .slice(0, 5)
  if (rb.length) d.renderBlocking = rb
  const lt = items(lhr, 'long-tasks')
    .map((i) => ({url: clip(i.url, 200), durationMs: Math.round(num(i.duration) ?? 0)}))
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, 5)
  if (lt.length) d.longTasks = lt
  const ls = items(lhr, 'layout-shifts')
    .map((i) => ({selector: clip(obj(i.node)?.selector ?? obj(i.node)?.nodeLabel ?? '', 120), score: Math.round((num(i.score) ?? 0) * 10000) / 10000}))
    .filter((i) => i.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
  if (ls.length) d.layoutShifts = ls
  const big = items(lhr, 'network-requests')
    .map((i) => ({url: clip(i.url, 200), transferBytes: Math.round(num(i.transferSize) ?? 0), ...(typeof i.resourceType === 'string' ? {type: i.resourceType} : {})}))
    .sort((a, b) => b.transferBytes - a.transferBytes)
    .slice(0, 5)
  if (big.length) d.largestRequests = big
  return d
}

// ---------------------------------------------------------------- gathering

/** One plain navigation (no throttling): status and DOMContentLoaded, or why the page did not load. */
async function probePage(session: BrowserSession, url: string, timeoutMs: number, headers?: Record<string, string>): Promise<ProbeResult> {
  const started = Date.now()
  let page
  try {
    page = await session.browser.newPage()
    if (headers) await page.setExtraHTTPHeaders(headers)
  } catch (error) {
    return {error: (error as Error).message.split('\n')[0]}
  }
  let status: number | undefined
  try {
    const res = await page.goto(url, {waitUntil: 'domcontentloaded', timeout: timeoutMs})
    status = res?.status()
    const dcl = await page
      .evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
        return nav && nav.domContentLoadedEventStart > 0 ? nav.domContentLoadedEventStart : null
      })
      .catch(() => null)
    return {...(status !== undefined ? {status} : {}), dclMs: Math.round(dcl ?? Date.now() - started), finalUrl: page.url()}
  } catch (error) {
    const msg = (error as Error).message.split('\n')[0]
    if ((error as Error).name === 'TimeoutError' || /timeout/i.test(msg)) return {timedOut: true, waitedMs: Date.now() - started, ...(status !== undefined ? {status} : {})}
    if (/net::ERR_/.test(msg)) return {unreachable: msg.replace(/ at https?:\/\/\S+$/, '')}
    return {error: msg}
  } finally {
    await page.close().catch(() => undefined)
  }
}

const within = <T>(p: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref())])

/** The browser's page targets, by id, through a browser-level session (a hung tab cannot stall it). */
async function pageTargetIds(session: BrowserSession): Promise<Set<string>> {
  const cdp = await within(session.browser.target().createCDPSession(), 5_000, null)
  if (!cdp) return new Set()
  try {
    const res = await within(cdp.send('Target.getTargets'), 5_000, {targetInfos: []})
    return new Set(res.targetInfos.filter((i) => i.type === 'page').map((i) => i.targetId))
  } finally {
    await within(cdp.detach(), 2_000, undefined)
  }
}

/** Close tabs a failed run left behind (Lighthouse closes its own tab only when it finishes). */
async function closeStrays(session: BrowserSession, before: Set<string>): Promise<void> {
  const now = await pageTargetIds(session)
  const cdp = await within(session.browser.target().createCDPSession(), 5_000, null)
  if (!cdp) return
  try {
    for (const id of now) if (!before.has(id)) await within(cdp.send('Target.closeTarget', {targetId: id}), 5_000, undefined)
  } finally {
    await within(cdp.detach(), 2_000, undefined)
  }
}

/**
 * Lighthouse leaves some DevTools calls unawaited; on a hung or crashed page they reject long after
 * the run was given up (a protocol timeout), which would end the whole process. Once Lighthouse
 * has run, such protocol rejections are absorbed; anything else still ends the process as usual.
 */
let shielded = false
function shieldProtocolRejections(): void {
  if (shielded) return
  shielded = true
  process.on('unhandledRejection', (reason) => {
    const e = reason as Error | undefined
    if (e && typeof e === 'object' && (e.name === 'ProtocolError' || e.name === 'TargetCloseError' || e.name === 'ConnectionClosedError')) return
    throw reason
  })
}

type LighthouseFn = (url: string, flags: Record<string, unknown>) => Promise<{lhr: Lhr; report: string | string[]} | undefined>

async function oneRun(
  lighthouse: LighthouseFn,
  session: BrowserSession,
  url: string,
  run: number,
  flags: Record<string, unknown>,
  guardMs: number,
): Promise<{run: LhRun; report?: string; lhr?: Lhr}> {
  const started = Date.now()
  const before = await pageTargetIds(session)
  let timer: NodeJS.Timeout | undefined
  const guard = new Promise<'guard'>((resolve) => {
    timer = setTimeout(() => resolve('guard'), guardMs)
  })
  const work = lighthouse(url, flags)
  work.catch(() => undefined) // a run abandoned by the guard may still reject later
  try {
    const out = await Promise.race([work, guard])
    if (out === 'guard') {
      await closeStrays(session, before)
      return {run: {run, durationMs: Date.now() - started, error: {code: 'RUN_TIMEOUT', message: `no result after ${Math.round(guardMs / 1000)} s`}}}
    }
    if (!out?.lhr) return {run: {run, durationMs: Date.now() - started, error: {code: 'NO_RESULT', message: 'Lighthouse returned no result'}}}
    const lhr = out.lhr
    const metrics = metricsOf(lhr)
    const rt = obj(lhr.runtimeError)
    const warnings = (Array.isArray(lhr.runWarnings) ? lhr.runWarnings : []).map((w: unknown) => clip(String(w), 300))
    const status = mainStatus(lhr)
    const r: LhRun = {
      run,
      durationMs: Date.now() - started,
      ...(Object.keys(metrics).filter((k) => k !== 'transferBytes' && k !== 'jsBytes' && k !== 'requests').length > 0 ? {metrics} : {}),
      ...(rt?.code ? {error: {code: String(rt.code), message: clip(String(rt.message ?? rt.code), 300)}} : {}),
      ...(status !== undefined ? {statusCode: status} : {}),
      ...(warnings.length ? {warnings} : {}),
    }
    if (!r.metrics && !r.error) r.error = {code: 'NO_METRICS', message: 'Lighthouse measured no metric on this page'}
    const report = Array.isArray(out.report) ? out.report[0] : out.report
    return {run: r, report, lhr}
  } catch (error) {
    await closeStrays(session, before)
    const e = error as Error & {code?: string; friendlyMessage?: string}
    const code = typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : /crash/i.test(e.message) ? 'TARGET_CRASHED' : 'LIGHTHOUSE_ERROR'
    return {run: {run, durationMs: Date.now() - started, error: {code, message: clip(e.friendlyMessage ?? e.message.split('\n')[0], 300)}}}
  } finally {
    clearTimeout(timer)
  }
}

async function applyAuth(ctx: GatherContext, session: BrowserSession): Promise<Record<string, string> | undefined> {
  const auth = ctx.shared.get('auth') as {cookies?: Array<Record<string, any>>; headers?: Record<string, string>} | undefined
  if (!auth) return undefined
  if (auth.cookies?.length) {
    const b = session.browser as unknown as {setCookie?: (...c: unknown[]) => Promise<void>}
    await b.setCookie?.(...auth.cookies.map((c) => ({name: c.name, value: c.value, domain: c.domain, path: c.path ?? '/', ...(c.secure ? {secure: true} : {}), ...(c.httpOnly ? {httpOnly: true} : {})}))).catch(() => undefined)
  }
  return auth.headers && Object.keys(auth.headers).length ? auth.headers : undefined
}

export async function collect(ctx: GatherContext): Promise<LighthouseArtifact> {
  const {options} = ctx
  const lang = options.lang
  const runs = Math.max(1, Math.floor(options.runs || 1))
  const throttling = options.throttling ?? 'simulate'
  const targets = targetsOf(ctx).lighthouse
  const artifact: LighthouseArtifact = {
    lighthouseVersion: '',
    throttling,
    formFactor: 'mobile',
    runsRequested: runs,
    medianRule: MEDIAN_RULE,
    pages: [],
    metrics: {},
    namedMetrics: {},
  }
  if (targets.length === 0) return artifact

  // Lazily: Lighthouse is large, and `sjt --version` must stay fast.
  const mod = (await import('lighthouse')) as unknown as {default: LighthouseFn}
  const lighthouse = mod.default
  shieldProtocolRejections()
  const session = await sharedBrowser(ctx)
  const extraHeaders = await applyAuth(ctx, session)
  const timeoutMs = options.timeoutMs
  const flags: Record<string, unknown> = {
    port: session.port,
    hostname: '127.0.0.1',
    output: 'json',
    logLevel: 'silent',
    onlyCategories: ['performance'],
    formFactor: 'mobile',
    throttlingMethod: throttling === 'none' ? 'provided' : throttling,
    maxWaitForLoad: timeoutMs,
    maxWaitForFcp: timeoutMs,
    disableFullPageScreenshot: true,
    locale: t(lang, 'lighthouse.locale'),
    ...(extraHeaders ? {extraHeaders} : {}),
  }
  // A run normally ends well within the load timeout plus Lighthouse's own settling (a few
  // seconds); past this guard the run is recorded as hung and its tab closed.
  const guardMs = timeoutMs + 45_000

  const login = loginPattern(options.auth as AuthConfig | undefined, lang)
  for (const [index, target] of targets.entries()) {
    const page: LhPage = {role: target.role, url: target.url, source: target.source, ...(target.name ? {name: target.name} : {}), runs: [], medianRun: null}
    artifact.pages.push(page)
    // A page behind the login with no session is not measured (not-applicable, with the reason).
    if (target.role === 'service' && !ctx.shared.get('auth')) {
      page.skipped = t(lang, 'auth.perfSkipped', {reason: noSessionReason(ctx)})
      page.authSkipped = true
      continue
    }
    options.progress?.(t(lang, 'perf.progress.probe', {page: t(lang, `perf.page.${target.role}`), url: target.url}))
    page.probe = await probePage(session, target.url, timeoutMs, extraHeaders)
    // Landed on the identity provider's login page: never measure it in place of this page.
    if (page.probe.finalUrl && login.test(page.probe.finalUrl) && !login.test(target.url)) {
      page.loginRedirect = page.probe.finalUrl
      page.skipped = ctx.shared.get('auth') ? t(lang, 'auth.loginRedirect', {login: page.probe.finalUrl}) : t(lang, 'auth.loginRedirectSkipped', {login: page.probe.finalUrl})
      if (!ctx.shared.get('auth')) page.authSkipped = true
      continue
    }
    if (page.probe.unreachable || (page.probe.status !== undefined && page.probe.status >= 400) || page.probe.timedOut) {
      page.skipped = page.probe.unreachable
        ? t(lang, 'perf.skipped.unreachable', {detail: page.probe.unreachable})
        : page.probe.timedOut
          ? t(lang, 'perf.skipped.timeout', {seconds: Math.round((page.probe.waitedMs ?? timeoutMs) / 1000)})
          : t(lang, 'perf.skipped.status', {status: page.probe.status})
      continue
    }
    const reports = new Map<number, {report?: string; lhr?: Lhr}>()
    for (let i = 1; i <= runs; i++) {
      const label = `${target.url} (${target.role} ${i}/${runs})`
      const result = await withMachineLock(
        'lighthouse',
        async () => {
          options.progress?.(t(lang, 'perf.progress.run', {page: t(lang, `perf.page.${target.role}`), run: i, runs, url: target.url}))
          // The session's cookies again before each run: a page measured earlier may have replaced them.
          await applyAuth(ctx, session)
          return oneRun(lighthouse, session, target.url, i, flags, guardMs)
        },
        {label, onWait: (holder) => options.progress?.(t(lang, 'perf.progress.wait', {holder: holder?.label ?? holder?.pid ?? '?'}))},
      )
      page.runs.push(result.run)
      if (result.lhr) artifact.lighthouseVersion ||= String(result.lhr.lighthouseVersion ?? '')
      // Keep the serialized report only while the median is not known (bounded: one per run).
      if (result.run.metrics) reports.set(i, {report: options.saveArtifacts ? result.report : undefined, lhr: result.lhr})
    }
    page.medianRun = medianRun(page.runs)
    const chosen = page.medianRun !== null ? reports.get(page.medianRun) : undefined
    if (chosen?.lhr) page.diagnostics = diagnosticsOf(chosen.lhr)
    if (chosen?.report && options.saveArtifacts) {
      const file = target.role === 'service' ? `lighthouse-service-${index}.report.json` : `lighthouse-${target.role}.report.json`
      mkdirSync(options.saveArtifacts, {recursive: true})
      // The report repeats the run's settings (extraHeaders): secrets of the login are masked.
      writeFileSync(path.join(options.saveArtifacts, file), maskText(chosen.report))
      page.reportFile = file
    }
    reports.clear()
  }

  const summaries = artifact.pages.map(summarizePage)
  const entry = summaries.find((s) => s.page === 'entry') ?? summaries[0]
  const others = summaries.filter((s) => s !== entry)
  if (entry) artifact.namedMetrics.perf = {...entry, ...(others.length ? {pages: others} : {})}
  artifact.metrics = {
    lighthouseVersion: artifact.lighthouseVersion,
    throttling,
    formFactor: 'mobile',
    runsRequested: runs,
    medianRule: MEDIAN_RULE,
    pages: artifact.pages.map((p) => ({
      page: p.role,
      url: p.url,
      medianRun: p.medianRun,
      ...(p.skipped ? {skipped: p.skipped} : {}),
      ...(p.reportFile ? {reportFile: p.reportFile} : {}),
      runs: p.runs.map((r) => ({run: r.run, durationMs: r.durationMs, ...(r.metrics ?? {}), ...(r.error ? {error: r.error.code} : {})})),
    })),
  }
  return artifact
}
