// Performance rules PERF-001 … PERF-008: pure functions over the lighthouse artifact (the median
// run of each page, its spread over the runs, and the plain navigation before Lighthouse).
// One finding per measured page (entry, elder entry). When no run of a page produced the metric,
// the finding is `error` with each run's reason; failed runs beside a good one are only noted.
import type {AuditContext, CategoryModule, CheckFn, Lang, RawFinding, Severity} from '../../core/types.js'
import type {LhPage, LhRun, LighthouseArtifact, RunMetrics} from '../../artifacts/lighthouse.js'
import {t} from '../../lib/i18n/index.js'

export const requires = ['lighthouse']

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const param = (ctx: AuditContext, key: string, dflt: number): number => num(ctx.params[key]) ?? dflt

function pagesOf(ctx: AuditContext): LhPage[] {
  const a = ctx.artifacts.lighthouse as Partial<LighthouseArtifact> | undefined
  return Array.isArray(a?.pages) ? a!.pages.filter((p) => p && typeof p === 'object' && typeof p.url === 'string') : []
}

const pageName = (lang: Lang, p: LhPage) =>
  p.role === 'service' ? t(lang, 'perf.page.service') + (p.name ? `「${p.name}」` : '') : t(lang, p.role === 'elder' ? 'perf.page.elder' : 'perf.page.entry')

/** A page behind the login: not-applicable without a session, error when it landed on the login page. */
function behindLogin(lang: Lang, p: LhPage): RawFinding | null {
  if (!p.skipped || !(p.authSkipped || p.loginRedirect)) return null
  return {status: p.authSkipped ? 'not-applicable' : 'error', message: t(lang, 'perf.noRun', {page: pageName(lang, p), reason: p.skipped}), location: {url: p.url}, details: baseDetails(p)}
}
const runsOf = (p: LhPage): LhRun[] => (Array.isArray(p.runs) ? p.runs : [])

function runErrors(p: LhPage, only?: LhRun[]): string {
  return (only ?? runsOf(p))
    .filter((r) => r.error)
    .map((r) => `#${r.run} ${r.error!.code}${r.error!.message && r.error!.message !== r.error!.code ? ` (${r.error!.message.slice(0, 120)})` : ''}`)
    .join('; ')
}

function failedNote(lang: Lang, p: LhPage): string {
  const runs = runsOf(p)
  const failed = runs.filter((r) => !r.metrics)
  if (failed.length === 0) return ''
  return t(lang, 'perf.someFailed', {failed: failed.length, runs: runs.length, errors: failed.map((r) => `#${r.run} ${r.error?.code ?? '?'}`).join(', ')})
}

const pathOf = (u: string) => {
  try {
    return new URL(u).pathname
  } catch {
    return u
  }
}

function baseDetails(p: LhPage, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {key: p.role === 'service' ? `service ${pathOf(p.url)}` : p.role, page: p.role, medianRun: p.medianRun, runs: runsOf(p).length, ...extra}
}

/**
 * Wraps a metric rule: per page, find the median run's value of `metric`; report `error` when the
 * page was not measured or no run has the value, else let `judge` decide.
 */
function perPage(metric: keyof RunMetrics | Array<keyof RunMetrics>, judge: (ctx: AuditContext, p: LhPage, m: RunMetrics) => RawFinding): CheckFn {
  const needed = Array.isArray(metric) ? metric : [metric]
  return (ctx) => {
    const pages = pagesOf(ctx)
    if (pages.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, 'perf.noTarget')}]
    return pages.map((p): RawFinding => {
      const location = {url: p.url}
      const gated = behindLogin(ctx.lang, p)
      if (gated) return gated
      if (p.skipped) return {status: 'error', message: t(ctx.lang, 'perf.noRun', {page: pageName(ctx.lang, p), reason: p.skipped}), location, details: baseDetails(p)}
      const median = runsOf(p).find((r) => r.run === p.medianRun)
      const m = median?.metrics
      if (!m || needed.some((k) => num(m[k]) === undefined)) {
        const withValue = runsOf(p).filter((r) => r.metrics && needed.every((k) => num(r.metrics![k]) !== undefined))
        if (withValue.length === 0) {
          return {
            status: 'error',
            message: t(ctx.lang, 'perf.noMetrics', {page: pageName(ctx.lang, p), runs: runsOf(p).length, metric: needed.join('/'), errors: runErrors(p) || '—'}),
            location,
            details: baseDetails(p),
          }
        }
        // The median run lacks this one metric: judge on the first run that has it.
        return withLocation(judge(ctx, p, withValue[0].metrics!), location)
      }
      return withLocation(judge(ctx, p, m), location)
    })
  }
}

function withLocation(f: RawFinding, location: {url: string}): RawFinding {
  return {...f, location}
}

const kib = (bytes: number) => (bytes < 10 * 1024 ? Math.round((bytes / 1024) * 10) / 10 : Math.round(bytes / 1024))
const shortUrl = (u: string) => {
  try {
    const x = new URL(u)
    return x.pathname.split('/').filter(Boolean).pop() || x.host
  } catch {
    return u
  }
}

/** "error above A, warn above B" bands: a fail lowered to warn between the two lines. */
function band(value: number, errorLine: number, warnLine: number, higherIsWorse: boolean): {status: 'pass' | 'fail'; severity?: Severity; limit: number} {
  const worse = (v: number, line: number) => (higherIsWorse ? v > line : v < line)
  if (worse(value, errorLine)) return {status: 'fail', limit: errorLine}
  if (worse(value, warnLine)) return {status: 'fail', severity: 'warn', limit: warnLine}
  return {status: 'pass', limit: warnLine}
}

// PERF-001: the plain navigation before Lighthouse (status, DOMContentLoaded).
const loads: CheckFn = (ctx) => {
  const pages = pagesOf(ctx)
  if (pages.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, 'perf.noTarget')}]
  const max = param(ctx, 'maxMs', 15000)
  return pages.map((p): RawFinding => {
    const gated = behindLogin(ctx.lang, p)
    if (gated) return gated
    const page = pageName(ctx.lang, p)
    const location = {url: p.url}
    const pr = p.probe ?? {}
    const details = baseDetails(p, {probe: pr, maxMs: max})
    if (pr.unreachable) return {status: 'error', message: t(ctx.lang, 'PERF-001.unreachable', {page, detail: pr.unreachable}), location, details}
    if (pr.status !== undefined && pr.status >= 400) return {status: 'fail', message: t(ctx.lang, 'PERF-001.status', {page, status: pr.status}), location, details}
    if (pr.timedOut) {
      const waited = Math.round(pr.waitedMs ?? 0)
      if (waited >= max) return {status: 'fail', message: t(ctx.lang, 'PERF-001.timeout', {page, ms: waited, max}), location, details}
      return {status: 'error', message: t(ctx.lang, 'PERF-001.shortTimeout', {page, ms: waited, max}), location, details}
    }
    if (pr.dclMs === undefined) {
      return {status: 'error', message: t(ctx.lang, 'PERF-001.probeError', {page, detail: pr.error ?? '—'}), location, details}
    }
    if (pr.dclMs > max) return {status: 'fail', message: t(ctx.lang, 'PERF-001.slow', {page, ms: pr.dclMs, max}), location, details}
    // Loaded, but no Lighthouse run measured anything: the category could not be judged.
    if (runsOf(p).length > 0 && !runsOf(p).some((r) => r.metrics)) {
      return {status: 'error', message: t(ctx.lang, 'PERF-001.unmeasured', {page, status: pr.status ?? '—', ms: pr.dclMs, errors: runErrors(p) || '—'}), location, details}
    }
    return {status: 'pass', message: t(ctx.lang, 'PERF-001.pass', {page, status: pr.status ?? '—', ms: pr.dclMs, max}), location, details}
  })
}

const score = perPage('score', (ctx, p, m) => {
  const v = m.score!
  const b = band(v, param(ctx, 'errorBelow', 60), param(ctx, 'warnBelow', 80), false)
  const page = pageName(ctx.lang, p)
  const details = baseDetails(p, {value: v})
  if (b.status === 'pass') return {status: 'pass', message: t(ctx.lang, 'PERF-002.pass', {page, value: v, min: b.limit}), details}
  return {status: 'fail', message: t(ctx.lang, 'PERF-002.fail', {page, value: v, min: b.limit}) + failedNote(ctx.lang, p), ...(b.severity ? {severity: b.severity} : {}), details}
})

const lcp = perPage('lcpMs', (ctx, p, m) => {
  const v = m.lcpMs!
  const b = band(v, param(ctx, 'errorAboveMs', 4000), param(ctx, 'warnAboveMs', 2500), true)
  const page = pageName(ctx.lang, p)
  const details = baseDetails(p, {value: v, ...(p.diagnostics?.lcpElement ? {lcpElement: p.diagnostics.lcpElement} : {}), ...(p.diagnostics?.renderBlocking ? {renderBlocking: p.diagnostics.renderBlocking} : {})})
  if (b.status === 'pass') return {status: 'pass', message: t(ctx.lang, 'PERF-003.pass', {page, value: v, max: b.limit}), details}
  let hint = p.diagnostics?.lcpElement ? t(ctx.lang, 'PERF-003.hint', {element: p.diagnostics.lcpElement}) : ''
  const rb = (p.diagnostics?.renderBlocking ?? []).filter((r) => r.wastedMs > 0).slice(0, 3)
  if (rb.length) hint += t(ctx.lang, 'PERF-003.blocking', {list: rb.map((r) => `${shortUrl(r.url)} ${r.wastedMs} ms`).join(', ')})
  return {status: 'fail', message: t(ctx.lang, 'PERF-003.fail', {page, value: v, max: b.limit, hint}) + failedNote(ctx.lang, p), ...(b.severity ? {severity: b.severity} : {}), details}
})

const fcp = perPage('fcpMs', (ctx, p, m) => {
  const v = m.fcpMs!
  const max = param(ctx, 'maxMs', 1800)
  const page = pageName(ctx.lang, p)
  const details = baseDetails(p, {value: v})
  if (v <= max) return {status: 'pass', message: t(ctx.lang, 'PERF-004.pass', {page, value: v, max}), details}
  const rb = (p.diagnostics?.renderBlocking ?? []).filter((r) => r.wastedMs > 0).slice(0, 3)
  const hint = rb.length ? t(ctx.lang, 'PERF-003.blocking', {list: rb.map((r) => `${shortUrl(r.url)} ${r.wastedMs} ms`).join(', ')}) : ''
  return {status: 'fail', message: t(ctx.lang, 'PERF-004.fail', {page, value: v, max, hint}) + failedNote(ctx.lang, p), details}
})

const cls = perPage('cls', (ctx, p, m) => {
  const v = m.cls!
  const b = band(v, param(ctx, 'errorAbove', 0.25), param(ctx, 'warnAbove', 0.1), true)
  const page = pageName(ctx.lang, p)
  const details = baseDetails(p, {value: v, ...(p.diagnostics?.layoutShifts ? {layoutShifts: p.diagnostics.layoutShifts} : {})})
  const value = Math.round(v * 1000) / 1000
  if (b.status === 'pass') return {status: 'pass', message: t(ctx.lang, 'PERF-005.pass', {page, value, max: b.limit}), details}
  const shifts = p.diagnostics?.layoutShifts ?? []
  const hint = shifts.length ? t(ctx.lang, 'PERF-005.hint', {list: shifts.map((s) => `${s.selector} ${s.score}`).join(', ')}) : ''
  return {status: 'fail', message: t(ctx.lang, 'PERF-005.fail', {page, value, max: b.limit, hint}) + failedNote(ctx.lang, p), ...(b.severity ? {severity: b.severity} : {}), details}
})

const tbt = perPage('tbtMs', (ctx, p, m) => {
  const v = m.tbtMs!
  const max = param(ctx, 'maxMs', 200)
  const page = pageName(ctx.lang, p)
  const details = baseDetails(p, {value: v, ...(p.diagnostics?.longTasks ? {longTasks: p.diagnostics.longTasks} : {})})
  if (v <= max) return {status: 'pass', message: t(ctx.lang, 'PERF-006.pass', {page, value: v, max}), details}
  const tasks = (p.diagnostics?.longTasks ?? []).slice(0, 3)
  const hint = tasks.length ? t(ctx.lang, 'PERF-006.hint', {list: tasks.map((x) => `${shortUrl(x.url)} ${x.durationMs} ms`).join(', ')}) : ''
  return {status: 'fail', message: t(ctx.lang, 'PERF-006.fail', {page, value: v, max, hint}) + failedNote(ctx.lang, p), details}
})

const weight = perPage(['transferBytes'], (ctx, p, m) => {
  const maxTotal = param(ctx, 'maxTransferKiB', 1600)
  const maxJs = param(ctx, 'maxJsKiB', 500)
  const total = m.transferBytes!
  const js = num(m.jsBytes) ?? 0
  const page = pageName(ctx.lang, p)
  const args = {page, total: kib(total), js: kib(js), maxTotal, maxJs}
  const details = baseDetails(p, {transferBytes: total, jsBytes: js, ...(p.diagnostics?.largestRequests ? {largestRequests: p.diagnostics.largestRequests} : {})})
  if (total <= maxTotal * 1024 && js <= maxJs * 1024) return {status: 'pass', message: t(ctx.lang, 'PERF-007.pass', args), details}
  const big = (p.diagnostics?.largestRequests ?? []).slice(0, 3)
  const hint = big.length ? t(ctx.lang, 'PERF-007.hint', {list: big.map((r) => `${shortUrl(r.url)} ${kib(r.transferBytes)} KiB`).join(', ')}) : ''
  return {status: 'fail', message: t(ctx.lang, 'PERF-007.fail', {...args, hint}) + failedNote(ctx.lang, p), details}
})

// PERF-008: the spread of LCP over the runs that measured it.
const stability: CheckFn = (ctx) => {
  const pages = pagesOf(ctx)
  if (pages.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, 'perf.noTarget')}]
  const limit = param(ctx, 'maxRatio', 1.5)
  const minRuns = Math.max(2, param(ctx, 'minRuns', 2))
  return pages.map((p): RawFinding => {
    const page = pageName(ctx.lang, p)
    const location = {url: p.url}
    const gated = behindLogin(ctx.lang, p)
    if (gated) return gated
    if (p.skipped) return {status: 'error', message: t(ctx.lang, 'perf.noRun', {page, reason: p.skipped}), location, details: baseDetails(p)}
    const xs = runsOf(p)
      .map((r) => num(r.metrics?.lcpMs))
      .filter((x): x is number => x !== undefined && x > 0)
    if (xs.length === 0) {
      return {status: 'error', message: t(ctx.lang, 'perf.noMetrics', {page, runs: runsOf(p).length, metric: 'lcpMs', errors: runErrors(p) || '—'}), location, details: baseDetails(p)}
    }
    if (xs.length < minRuns) return {status: 'not-applicable', message: t(ctx.lang, 'PERF-008.fewRuns', {page, runs: xs.length}) + failedNote(ctx.lang, p), location, details: baseDetails(p, {lcpMs: xs})}
    const min = Math.min(...xs)
    const max = Math.max(...xs)
    const ratio = Math.round((max / min) * 100) / 100
    const args = {page, runs: xs.length, min: Math.round(min), max: Math.round(max), ratio, limit}
    const details = baseDetails(p, {lcpMs: xs, ratio, unstable: max / min > limit})
    if (max / min > limit) return {status: 'fail', message: t(ctx.lang, 'PERF-008.fail', args) + failedNote(ctx.lang, p), location, details}
    return {status: 'pass', message: t(ctx.lang, 'PERF-008.pass', args) + failedNote(ctx.lang, p), location, details}
  })
}

export const checks: Record<string, CheckFn> = {loads, score, lcp, fcp, cls, tbt, weight, stability}

const mod: CategoryModule = {requires, checks}
export default mod
