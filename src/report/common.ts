// What the report formats share: the language, rule titles and help (from the result), counts,
// waiver warnings, and defensive readers for the optional parts of the result document
// (capability score, Lighthouse metrics, security grade, screenshots).
import {loadProfile} from '../core/profile.js'
import type {Finding, Lang, ResultDocument, RuleDef} from '../core/types.js'
import {CATEGORIES} from '../core/types.js'
import {t, type MessageKey} from '../lib/i18n/index.js'
import {locationLabel} from './text.js'

export function reportLang(doc: ResultDocument, opts?: {lang?: Lang}): Lang {
  return opts?.lang ?? doc.lang ?? 'zh-CN'
}

/**
 * The rules the document mentions, by id: from the document itself (`rules`, written by sjt check
 * since the result carried them); for older documents from the profile, when it is installed here.
 */
export function ruleIndex(doc: ResultDocument, lang: Lang): Map<string, RuleDef> {
  if (doc.rules && typeof doc.rules === 'object') {
    return new Map(Object.entries(doc.rules).map(([id, r]) => [id, {id, params: {}, check: '', ...r} as RuleDef]))
  }
  try {
    return new Map(loadProfile(doc.profile.name, lang).rules.map((r) => [r.id, r]))
  } catch {
    return new Map()
  }
}

export function localized(v: unknown, lang: Lang): string | undefined {
  if (typeof v === 'string') return v
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    // Only strings: a result from elsewhere may hold anything here.
    for (const k of [lang, 'zh-CN', 'en']) if (typeof o[k] === 'string') return o[k] as string
    return undefined
  }
  return undefined
}

export function ruleTitle(rules: Map<string, RuleDef>, ruleId: string, lang: Lang): string {
  return localized(rules.get(ruleId)?.title, lang) ?? ruleId
}

export function ruleHelp(rules: Map<string, RuleDef>, ruleId: string, lang: Lang): string | undefined {
  return localized(rules.get(ruleId)?.help, lang)
}

/** Where a finding is, as one line: `file:line:column` or `URL selector`. */
export function where(f: Pick<Finding, 'location'>): string {
  return locationLabel(f)
}

const STATUS_ORDER: Record<string, number> = {fail: 0, error: 1, waived: 2, pass: 3, 'not-applicable': 4}
const SEV_ORDER: Record<string, number> = {error: 0, warn: 1, info: 2}

/** Failures first (errors before warnings), then by category and rule id. */
export function sortFindings(list: Finding[]): Finding[] {
  return [...list].sort(
    (a, b) =>
      (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9) ||
      (SEV_ORDER[a.severity] ?? 9) - (SEV_ORDER[b.severity] ?? 9) ||
      CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) ||
      a.ruleId.localeCompare(b.ruleId, 'en', {numeric: true}) ||
      where(a).localeCompare(where(b), 'en', {numeric: true}),
  )
}

export interface Counts {
  errors: number
  warnings: number
  infos: number
  passed: number
  na: number
  waived: number
  faults: number
}

export function countFindings(findings: Finding[]): Counts {
  const c: Counts = {errors: 0, warnings: 0, infos: 0, passed: 0, na: 0, waived: 0, faults: 0}
  for (const f of findings) {
    if (f.status === 'fail') {
      if (f.severity === 'error') c.errors++
      else if (f.severity === 'warn') c.warnings++
      else c.infos++
    } else if (f.status === 'pass') c.passed++
    else if (f.status === 'not-applicable') c.na++
    else if (f.status === 'waived') c.waived++
    else if (f.status === 'error') c.faults++
  }
  return c
}

export type Waiver = NonNullable<ResultDocument['waivers']>[number]

/** One warning line per expired waiver and per waiver that matched nothing. */
export function waiverWarnings(doc: ResultDocument, lang: Lang): Array<{waiver: Waiver; text: string}> {
  const out: Array<{waiver: Waiver; text: string}> = []
  for (const w of doc.waivers ?? []) {
    if (w.state !== 'expired' && w.state !== 'unused') continue
    const key = w.state === 'expired' ? 'report.waiver.expiredWarning' : 'report.waiver.unusedWarning'
    out.push({waiver: w, text: t(lang, key, {rule: w.rule, location: w.location ?? t(lang, 'report.waiver.anyLocation'), expires: w.expires, reason: w.reason})})
  }
  return out
}

/** A screenshot a finding carries, only as an inline raster data: URI (never a network or file reference). */
export function screenshotOf(f: Finding): string | null {
  const d = f.details
  if (!d) return null
  const candidates = [d.screenshot, (d.screenshot as {data?: unknown} | undefined)?.data]
  for (const s of candidates) {
    if (typeof s === 'string' && /^data:image\/(png|jpeg|jpg|webp|gif);base64,[A-Za-z0-9+/=\s]+$/.test(s)) return s.replace(/\s+/g, '')
  }
  return null
}

// ---- capability score (doc.score, written by `sjt score`) ----

interface CapabilityIndex {
  id: string
  name: string
  weight?: number
  score?: number
  won: string[]
  missed: string[]
}

export interface Capability {
  total?: number
  grade?: string
  modelVersion?: string
  /** The total's range while some inputs are unknown (categories that did not run). */
  range?: {min: number; max: number}
  indices: CapabilityIndex[]
}

/** The inputs of an index that lost points (`explain` of sjt score), as "what −points". */
function missedInputs(explain: unknown, lang: Lang): string[] {
  if (!Array.isArray(explain)) return []
  const out: string[] = []
  for (const e of explain) {
    if (!e || typeof e !== 'object') continue
    const o = e as Record<string, unknown>
    const missed = num(o.missed)
    if (!missed) continue
    out.push(`${localized(o.what, lang) ?? String(o.id ?? '')} −${Math.round(missed * 10) / 10}`)
  }
  return out
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

function points(v: unknown, lang: Lang): string[] {
  if (v === undefined || v === null) return []
  if (typeof v === 'number' || typeof v === 'string') return [String(v)]
  if (Array.isArray(v)) {
    return v.map((p) => {
      if (typeof p === 'string' || typeof p === 'number') return String(p)
      if (p && typeof p === 'object') {
        const o = p as Record<string, unknown>
        const label = localized(o.text ?? o.label ?? o.description ?? o.reason ?? o.name ?? o.input ?? o.id, lang)
        const pts = num(o.points) ?? num(o.value)
        return [label, pts !== undefined ? `(${pts})` : ''].filter(Boolean).join(' ') || JSON.stringify(p)
      }
      return String(p)
    })
  }
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`)
  return []
}

export function capabilityOf(doc: ResultDocument, lang: Lang): Capability | null {
  const s = doc.score
  if (!s || typeof s !== 'object') return null
  const o = s as Record<string, unknown>
  const indices: CapabilityIndex[] = []
  const raw = Array.isArray(o.indices) ? o.indices : o.indices && typeof o.indices === 'object' ? Object.entries(o.indices).map(([id, v]) => ({id, ...(v as object)})) : []
  for (const i of raw) {
    if (!i || typeof i !== 'object') continue
    const x = i as Record<string, unknown>
    const id = typeof x.id === 'string' ? x.id : ''
    const why = missedInputs(x.explain, lang)
    const missed = points(x.missed, lang)
    indices.push({id, name: localized(x.name, lang) ?? id, weight: num(x.weight), score: num(x.score), won: points(x.won, lang), missed: why.length && missed.length === 1 && /^[\d.]+$/.test(missed[0]) ? [missed[0], ...why] : missed.length ? missed : why})
  }
  const total = num(o.total)
  if (total === undefined && indices.length === 0) return null
  const r = o.range && typeof o.range === 'object' ? (o.range as Record<string, unknown>) : {}
  const range = num(r.min) !== undefined && num(r.max) !== undefined ? {min: num(r.min)!, max: num(r.max)!} : undefined
  const band = localized(o.gradeName, lang) ?? localized(o.grade, lang)
  // A band read off the lower end of the range (inputs unknown) says so.
  const grade = band && o.gradeBasis === 'lower-bound' && range ? band + t(lang, 'score.lowerBound', {min: String(range.min)}) : band
  return {total, grade, modelVersion: typeof o.modelVersion === 'string' || typeof o.modelVersion === 'number' ? String(o.modelVersion) : undefined, range, indices}
}

// ---- Lighthouse metrics (doc.metrics.perf) ----

interface MetricRow {
  key: string
  label: string
  value: string
  spread?: string
}

export interface MetricGroup {
  page?: string
  runs?: number
  rows: MetricRow[]
}

const METRIC_LABELS: Record<string, string> = {
  lcpMs: 'LCP',
  fcpMs: 'FCP',
  tbtMs: 'TBT',
  cls: 'CLS',
  siMs: 'Speed Index',
  speedIndexMs: 'Speed Index',
  ttiMs: 'TTI',
  ttfbMs: 'TTFB',
  inpMs: 'INP',
  transferBytes: 'Transfer size',
  requests: 'Requests',
}

function fmtMetric(key: string, v: number): string {
  if (/Ms$/.test(key)) return `${Math.round(v).toLocaleString('en')} ms`
  if (/Bytes$/.test(key)) return v >= 1024 * 1024 ? `${(v / 1024 / 1024).toFixed(2)} MiB` : v >= 1024 ? `${(v / 1024).toFixed(1)} KiB` : `${v} B`
  if (key === 'cls') return v.toFixed(3)
  if (key === 'score') return v <= 1 ? String(Math.round(v * 100)) : String(Math.round(v))
  return Number.isInteger(v) ? String(v) : v.toFixed(2)
}

/** Words inside a spread object (median of the runs, …) in the report's language. */
const SPREAD_WORDS: Record<string, MessageKey> = {median: 'report.metrics.median', mean: 'report.metrics.mean', runs: 'report.metrics.runCount'}

function fmtSpread(key: string, s: unknown, lang: Lang = 'en'): string | undefined {
  if (s === undefined || s === null) return undefined
  if (typeof s === 'number') return /Ms$/.test(key) || key === 'cls' ? `± ${fmtMetric(key, s)}` : String(s)
  if (typeof s === 'string') return s
  if (Array.isArray(s)) return s.map((x) => (typeof x === 'number' ? fmtMetric(key, x) : String(x))).join(' / ')
  if (typeof s === 'object') {
    const o = s as Record<string, unknown>
    const min = num(o.min)
    const max = num(o.max)
    const parts: string[] = []
    if (min !== undefined && max !== undefined) parts.push(`${fmtMetric(key, min)} – ${fmtMetric(key, max)}`)
    const ratio = num(o.ratio) ?? num(o.maxOverMin)
    if (ratio !== undefined) parts.push(`×${ratio.toFixed(2)}`)
    for (const [k, v] of Object.entries(o)) {
      if (['min', 'max', 'ratio', 'maxOverMin'].includes(k)) continue
      const name = SPREAD_WORDS[k] ? t(lang, SPREAD_WORDS[k]) : k
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') parts.push(`${name} ${typeof v === 'number' ? fmtMetric(key, v) : String(v)}`)
    }
    return parts.join(', ') || undefined
  }
  return undefined
}

function groupOf(o: Record<string, unknown>, lang: Lang, page?: string): MetricGroup | null {
  const rows: MetricRow[] = []
  const spread = o.spread && typeof o.spread === 'object' ? (o.spread as Record<string, unknown>) : {}
  for (const [k, v] of Object.entries(o)) {
    if (k === 'runs' || typeof v !== 'number' || !Number.isFinite(v)) continue
    rows.push({key: k, label: k === 'score' ? t(lang, 'report.metrics.perfScore') : (METRIC_LABELS[k] ?? k), value: fmtMetric(k, v), spread: fmtSpread(k, spread[k], lang)})
  }
  if (typeof o.spread === 'number' || typeof o.spread === 'string') {
    const lcp = rows.find((r) => r.key === 'lcpMs')
    if (lcp) lcp.spread = fmtSpread('lcpMs', o.spread, lang)
  }
  if (rows.length === 0) return null
  const order = Object.keys(METRIC_LABELS)
  rows.sort((a, b) => (order.indexOf(a.key) + 1 || 99) - (order.indexOf(b.key) + 1 || 99))
  const pageName = page ?? (typeof o.url === 'string' ? o.url : typeof o.page === 'string' ? o.page : undefined)
  return {page: pageName, runs: num(o.runs), rows}
}

/** Lighthouse metrics, one group per page when the collector reports pages, read defensively. */
export function perfMetrics(doc: ResultDocument, lang: Lang): MetricGroup[] {
  const p = doc.metrics?.perf
  if (!p || typeof p !== 'object') return []
  const o = p as Record<string, unknown>
  const out: MetricGroup[] = []
  const top = groupOf(o, lang)
  if (top) out.push(top)
  const pages = Array.isArray(o.pages) ? o.pages : o.pages && typeof o.pages === 'object' ? Object.entries(o.pages).map(([url, v]) => ({url, ...(v as object)})) : []
  for (const pg of pages) {
    if (!pg || typeof pg !== 'object') continue
    const g = groupOf(pg as Record<string, unknown>, lang)
    if (g) {
      if (g.runs === undefined) g.runs = num(o.runs)
      out.push(g)
    }
  }
  return out
}

/** The security grade (doc.metrics.security.grade) and any numeric score beside it. */
export function securityGrade(doc: ResultDocument): {grade: string; score?: number} | null {
  const s = doc.metrics?.security
  if (!s || typeof s !== 'object') return null
  const o = s as Record<string, unknown>
  const g = o.grade
  if (typeof g !== 'string' && typeof g !== 'number') return null
  return {grade: String(g), score: num(o.score)}
}

export function signatureLabel(doc: ResultDocument, lang: Lang): string {
  return doc.signature ? `${doc.signature.alg.toUpperCase()} ${doc.signature.value.slice(0, 16)}…` : t(lang, 'report.signature.none')
}
