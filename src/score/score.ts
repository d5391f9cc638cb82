// Scoring one result document on the capability model, and ranking many. Pure: the inputs are
// the result document (manifest, category scores, rule outcomes), optional usage data and the
// model; the model is read once per file from the profile (cached) unless it is passed in.
import type {Category, Finding, Localized, Profile, ResultDocument} from '../core/types.js'
import {CATEGORIES} from '../core/types.js'
import {InputError} from '../core/errors.js'
import {DEFAULT_PROFILE, loadScoringModel, round, type Condition, type IndexDef, type ScoringModel, type Term} from './model.js'
import {satisfactionOf, usageRowsFor, type UsageMonth, type UsageTable} from './usage.js'

export interface HowToWin {
  /** Rules that fail (or hold only in part) and would win the points back when fixed. */
  rules: string[]
  /** Manifest fields to fill or correct. */
  fields: string[]
  /** Service items (by name) that miss the condition. */
  items?: string[]
  /** Categories to run (`sjt check <category>`) to turn unknown points into a verdict. */
  run?: Category[]
}

export type TermStatus = 'won' | 'partial' | 'missed' | 'unknown' | 'not-applicable'

export interface ExplainEntry {
  id: string
  what: Localized
  /** The term's points in the model (out of the index's 100). */
  points: number
  /** Index points won, missed and unknown (after sharing out the points of terms that do not apply). */
  won: number
  missed: number
  unknown: number
  status: TermStatus
  /** What the term read: a count, a share, a category score, rule outcomes, a rate. */
  value: unknown
  howToWin: HowToWin
  note?: Localized
}

export interface IndexScore {
  id: string
  name: Localized
  weight: number
  /** 0–100 over what is known, one decimal; null when nothing of the index is known. */
  score: number | null
  won: number
  missed: number
  unknown: number
  inputs: Record<string, unknown>
  explain: ExplainEntry[]
}

export interface ScoreResult {
  modelVersion: string
  profile: string
  app: {id: string; name: string; regionCode?: string}
  /** 0–100 over the known part of the model, one decimal; null only when nothing is known. */
  total: number | null
  /** The band's Chinese name as the national report uses it (非常高, 高, 中, 低). */
  grade: string | null
  gradeId: string | null
  gradeName: Localized | null
  /** How many points of the total unknown inputs (categories not run) could move it. */
  unknownWeight: number
  /** Where the total would land if every unknown point were missed (min) or won (max). */
  range: {min: number; max: number}
  /** The unknown points by the category that would decide them. */
  unknownFrom: Array<{category: Category; points: number}>
  /** Whether usage data (好差评, transactions) fed 成效度. */
  usage: boolean
  indices: IndexScore[]
}

export interface ScoreOptions {
  usage?: UsageTable | UsageMonth[]
  /** A profile (object, name or path) whose scoring.yaml to use; default the document's profile. */
  profile?: Profile | string
  /** The model itself (wins over `profile`). */
  model?: ScoringModel
}

interface Fractions {
  won: number
  missed: number
  unknown: number
  na: number
}

interface Outcome extends Fractions {
  value: unknown
  howToWin: HowToWin
  /** Unknown share by the category that would decide it. */
  unknownBy: Partial<Record<Category, number>>
  note?: Localized
}

const PREFIX_CATEGORY: Record<string, Category> = {MAN: 'manifest', API: 'contract', A11Y: 'a11y', ELD: 'elder', PERF: 'perf', SEC: 'security'}

function ruleCategory(id: string, findings: Finding[]): Category | undefined {
  const f = findings.find((x) => x.ruleId === id)
  if (f) return f.category
  return PREFIX_CATEGORY[id.split('-')[0]]
}

function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const seg of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined
    cur = (cur as Record<string, unknown>)[seg]
  }
  return cur
}

function isPresent(v: unknown): boolean {
  if (v === undefined || v === null) return false
  if (typeof v === 'string') return v.trim() !== ''
  if (Array.isArray(v)) return v.length > 0
  return true
}

function meets(v: unknown, c: Condition): boolean {
  if (c === null || typeof c !== 'object') return v === c
  if ('in' in c) return c.in.some((x) => x === v)
  if ('present' in c) return isPresent(v) === c.present
  if ('nonEmpty' in c) return (Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v.trim() !== '' : false) === c.nonEmpty
  return false
}

const L = (zh: string, en: string): Localized => ({'zh-CN': zh, en})

function ran(doc: ResultDocument, c: Category): boolean {
  const s = doc.categories?.[c]
  return !!s && s.status !== 'skipped'
}

function unknownAll(category: Category, note?: Localized): Outcome {
  return {won: 0, missed: 0, unknown: 1, na: 0, value: null, howToWin: {rules: [], fields: [], run: [category]}, unknownBy: {[category]: 1}, ...(note ? {note} : {})}
}

function notApplicable(value: unknown, note: Localized): Outcome {
  return {won: 0, missed: 0, unknown: 0, na: 1, value, howToWin: {rules: [], fields: []}, unknownBy: {}, note}
}

function known(f: number, value: unknown, howToWin: HowToWin): Outcome {
  const won = Math.max(0, Math.min(1, f))
  return {won, missed: 1 - won, unknown: 0, na: 0, value, howToWin, unknownBy: {}}
}

/** One rule's state: held (1), held in part (0.5: only warn/info failures), failed (0), unknown or n/a. */
function ruleState(doc: ResultDocument, id: string): {state: 'held' | 'unknown' | 'na'; held?: number; category?: Category} {
  const findings = doc.findings ?? []
  const category = ruleCategory(id, findings)
  if (!category || !ran(doc, category)) return {state: 'unknown', category}
  const list = findings.filter((f) => f.ruleId === id)
  // The category ran but the rule did not: switched off, or not in the profile used.
  if (list.length === 0) return {state: 'na', category}
  const judged = list.filter((f) => f.status === 'pass' || f.status === 'fail' || f.status === 'waived')
  if (judged.length === 0) return {state: list.some((f) => f.status === 'error') ? 'unknown' : 'na', category}
  const failed = judged.filter((f) => f.status === 'fail')
  const held = failed.length === 0 ? 1 : failed.every((f) => f.severity !== 'error') ? 0.5 : 0
  return {state: 'held', held, category}
}

function rulesOutcome(doc: ResultDocument, ids: string[], extraFields: string[]): Outcome {
  let won = 0
  let unknown = 0
  let na = 0
  const failing: string[] = []
  const run = new Set<Category>()
  const unknownBy: Partial<Record<Category, number>> = {}
  const value: Record<string, string> = {}
  for (const id of ids) {
    const s = ruleState(doc, id)
    if (s.state === 'unknown') {
      unknown++
      value[id] = 'unknown'
      if (s.category) {
        run.add(s.category)
        unknownBy[s.category] = (unknownBy[s.category] ?? 0) + 1 / ids.length
      }
    } else if (s.state === 'na') {
      na++
      value[id] = 'not-applicable'
    } else {
      won += s.held!
      value[id] = s.held === 1 ? 'held' : s.held === 0.5 ? 'warn' : 'failed'
      if (s.held! < 1) failing.push(id)
    }
  }
  const n = ids.length
  return {
    won: won / n,
    missed: (n - unknown - na - won) / n,
    unknown: unknown / n,
    na: na / n,
    value,
    howToWin: {rules: failing, fields: failing.length ? extraFields : [], ...(run.size ? {run: [...run]} : {})},
    unknownBy,
  }
}

function manifestOutcome(doc: ResultDocument, term: Term): Outcome {
  const m = doc.manifest
  if (!m || typeof m !== 'object') return unknownAll('manifest', L('结果中没有接入清单', 'the result has no manifest'))
  const input = term.input
  const extra = term.fields ?? []
  if ('count' in input) {
    const v = get(m, input.count)
    const n = Array.isArray(v) ? v.length : 0
    const f = Math.min(1, n / input.target)
    return known(f, {count: n, target: input.target}, {rules: [], fields: f < 1 ? [input.count, ...extra] : []})
  }
  if ('present' in input) {
    const ok = isPresent(get(m, input.present))
    return known(ok ? 1 : 0, ok, {rules: [], fields: ok ? [] : [input.present, ...extra]})
  }
  if ('share' in input) {
    const v = get(m, input.share)
    const items = Array.isArray(v) ? v : []
    const misses: string[] = []
    let matched = 0
    items.forEach((item, i) => {
      const ok = Object.entries(input.where).every(([field, c]) => meets(item && typeof item === 'object' ? (item as Record<string, unknown>)[field] : undefined, c))
      if (ok) matched++
      else {
        const name = item && typeof item === 'object' ? (item as Record<string, unknown>).name : undefined
        misses.push(typeof name === 'string' ? name : `${input.share}[${i}]`)
      }
    })
    const f = items.length ? matched / items.length : 0
    const fields = Object.keys(input.where).map((k) => `${input.share}[].${k}`)
    return known(f, {matched, of: items.length}, {rules: [], fields: f < 1 ? [...fields, ...extra] : [], ...(misses.length ? {items: misses.slice(0, 20)} : {})})
  }
  throw new Error('not a manifest input')
}

function categoryOutcome(doc: ResultDocument, c: Category): Outcome {
  const s = doc.categories?.[c]
  if (!s || s.status === 'skipped') return unknownAll(c, L(`未运行 ${c} 检测`, `the ${c} category was not run`))
  if (s.status === 'error') return unknownAll(c, L(`${c} 检测未能完成`, `the ${c} category could not run`))
  const failing = failingRules(doc, c)
  if (s.score === null || s.score === undefined) return notApplicable(null, L(`${c} 检测没有适用的规则`, `no ${c} rule applied`))
  return known(s.score / 100, s.score, {rules: failing, fields: []})
}

function failingRules(doc: ResultDocument, c: Category): string[] {
  return [...new Set((doc.findings ?? []).filter((f) => f.category === c && f.status === 'fail').map((f) => f.ruleId))]
}

function rulesOfOutcome(doc: ResultDocument, c: Category, extra: string[]): Outcome {
  if (!ran(doc, c)) return unknownAll(c, L(`未运行 ${c} 检测`, `the ${c} category was not run`))
  const ids = [...new Set((doc.findings ?? []).filter((f) => f.category === c).map((f) => f.ruleId))]
  if (ids.length === 0) return notApplicable(null, L(`${c} 检测没有适用的规则`, `no ${c} rule applied`))
  return rulesOutcome(doc, ids, extra)
}

function usageOutcome(rows: UsageMonth[] | null, kind: 'satisfaction' | 'activeMonths'): Outcome {
  if (!rows || rows.length === 0) return notApplicable(null, L('未提供用量数据（--usage）', 'no usage data given (--usage)'))
  if (kind === 'satisfaction') {
    const s = satisfactionOf(rows)
    if (s.ratings === 0) return notApplicable(s, L('用量数据中没有好差评', 'the usage data has no 好差评 ratings'))
    const o = known(s.rate!, s, {rules: [], fields: []})
    if (s.bad > 0) o.note = L(`差评 ${s.bad} 条：整改并回访可挽回失分`, `${s.bad} 差评 (bad ratings): fixing them and calling back wins the points back`)
    return o
  }
  const active = rows.filter((r) => r.transactions > 0).length
  const f = active / rows.length
  const o = known(f, {active, months: rows.length}, {rules: [], fields: []})
  if (f < 1) o.note = L(`${rows.length - active} 个月没有办件`, `${rows.length - active} month(s) without transactions`)
  return o
}

function termOutcome(doc: ResultDocument, term: Term, usage: UsageMonth[] | null): Outcome {
  const input = term.input
  if ('rules' in input) return rulesOutcome(doc, input.rules, term.fields ?? [])
  if ('rulesOf' in input) return rulesOfOutcome(doc, input.rulesOf, term.fields ?? [])
  if ('category' in input) return categoryOutcome(doc, input.category)
  if ('usage' in input) return usageOutcome(usage, input.usage)
  return manifestOutcome(doc, term)
}

function statusOf(o: Fractions): TermStatus {
  if (o.na >= 1 - 1e-9) return 'not-applicable'
  if (o.unknown > 1e-9 && o.won + o.missed < 1e-9) return 'unknown'
  if (o.missed < 1e-9 && o.unknown < 1e-9) return 'won'
  if (o.won < 1e-9 && o.unknown < 1e-9) return 'missed'
  return 'partial'
}

interface RawIndex {
  def: IndexDef
  won: number
  missed: number
  unknown: number
  applicable: boolean
  explain: ExplainEntry[]
  inputs: Record<string, unknown>
  unknownBy: Partial<Record<Category, number>>
}

function scoreIndex(doc: ResultDocument, def: IndexDef, usage: UsageMonth[] | null): RawIndex {
  const outcomes = def.terms.map((term) => ({term, o: termOutcome(doc, term, usage)}))
  // Points of terms that do not apply are shared out over the others, so the index stays out of 100.
  const applicable = outcomes.reduce((s, {term, o}) => s + term.points * (1 - o.na), 0)
  const scale = applicable > 1e-9 ? 100 / applicable : 0
  let won = 0
  let missed = 0
  let unknown = 0
  const unknownBy: Partial<Record<Category, number>> = {}
  const explain: ExplainEntry[] = []
  const inputs: Record<string, unknown> = {}
  for (const {term, o} of outcomes) {
    const w = term.points * scale
    won += w * o.won
    missed += w * o.missed
    unknown += w * o.unknown
    for (const [c, share] of Object.entries(o.unknownBy) as Array<[Category, number]>) unknownBy[c] = (unknownBy[c] ?? 0) + w * share
    inputs[term.id] = o.value
    explain.push({
      id: term.id,
      what: term.what,
      points: term.points,
      won: round(w * o.won),
      missed: round(w * o.missed),
      unknown: round(w * o.unknown),
      status: statusOf(o),
      value: o.value,
      howToWin: o.howToWin,
      ...(o.note ? {note: o.note} : {}),
    })
  }
  return {def, won, missed, unknown, applicable: applicable > 1e-9, explain, inputs, unknownBy}
}

function gradeOf(model: ScoringModel, total: number | null) {
  if (total === null) return null
  return model.grades.find((g) => total >= g.min) ?? model.grades[model.grades.length - 1]
}

function usageRows(doc: ResultDocument, usage: ScoreOptions['usage']): UsageMonth[] | null {
  if (!usage) return null
  return Array.isArray(usage) ? usage : usageRowsFor(usage, doc.app?.id)
}

function resolveModel(doc: ResultDocument, opts: ScoreOptions): ScoringModel {
  if (opts.model) return opts.model
  if (opts.profile) return loadScoringModel(opts.profile, doc.lang ?? 'en')
  const name = doc.profile?.name
  // Only a plain profile name from the document (it may come from a submission): never a path.
  if (name && name !== DEFAULT_PROFILE && /^[a-z0-9][a-z0-9._-]*$/i.test(name) && !name.includes('..')) {
    try {
      return loadScoringModel(name, doc.lang ?? 'en')
    } catch (error) {
      // A city profile not installed here: score with the default model (its version says which).
      if (!(error instanceof InputError)) throw error
    }
  }
  return loadScoringModel(DEFAULT_PROFILE, doc.lang ?? 'en')
}

/** Score one result document on the capability model. */
export function scoreResult(doc: ResultDocument, opts: ScoreOptions = {}): ScoreResult {
  const model = resolveModel(doc, opts)
  const usage = usageRows(doc, opts.usage)
  const raw = model.indices.map((def) => scoreIndex(doc, def, usage))
  const live = raw.filter((r) => r.applicable)
  const W = live.reduce((s, r) => s + r.def.weight, 0)
  const knownW = live.reduce((s, r) => s + r.def.weight * (r.won + r.missed), 0)
  const wonW = live.reduce((s, r) => s + r.def.weight * r.won, 0)
  const unknownW = live.reduce((s, r) => s + r.def.weight * r.unknown, 0)
  const total = knownW > 1e-9 ? round((100 * wonW) / knownW) : null
  const grade = gradeOf(model, total)
  const unknownFrom = new Map<Category, number>()
  for (const r of live) {
    for (const [c, pts] of Object.entries(r.unknownBy) as Array<[Category, number]>) unknownFrom.set(c, (unknownFrom.get(c) ?? 0) + (r.def.weight * pts) / W)
  }
  const indices: IndexScore[] = raw.map((r) => ({
    id: r.def.id,
    name: r.def.name,
    weight: r.def.weight,
    score: r.won + r.missed > 1e-9 ? round((100 * r.won) / (r.won + r.missed)) : null,
    won: round(r.won),
    missed: round(r.missed),
    unknown: round(r.unknown),
    inputs: r.inputs,
    explain: r.explain,
  }))
  const app = doc.app ?? {id: 'unknown', name: 'unknown'}
  const ownerRegion = get(doc.manifest, 'owner.regionCode')
  const regionCode = app.regionCode ?? (typeof ownerRegion === 'string' ? ownerRegion : undefined)
  return {
    modelVersion: model.modelVersion,
    profile: doc.profile?.name ?? DEFAULT_PROFILE,
    app: {id: app.id, name: app.name, ...(regionCode ? {regionCode} : {})},
    total,
    grade: grade ? grade.name['zh-CN'] : null,
    gradeId: grade ? grade.id : null,
    gradeName: grade ? grade.name : null,
    unknownWeight: W > 0 ? round(unknownW / W) : 0,
    range: {min: W > 0 ? round(wonW / W) : 0, max: W > 0 ? round((wonW + unknownW) / W) : 0},
    unknownFrom: CATEGORIES.filter((c) => (unknownFrom.get(c) ?? 0) > 1e-9).map((c) => ({category: c, points: round(unknownFrom.get(c)!)})),
    usage: !!usage && usage.length > 0,
    indices,
  }
}

export interface Rankable {
  score?: ScoreResult
  file?: string
  [k: string]: unknown
}

/**
 * Rank scores, best first. Ties keep a stable order: total (descending; no total last), then
 * region code, then app id, then file. Equal totals share a rank (1, 2, 2, 4).
 */
export function rankScores<T extends ScoreResult | Rankable>(items: T[]): Array<T & {rank: number}> {
  const scoreOf = (x: T): ScoreResult => ((x as Rankable).score && typeof (x as Rankable).score === 'object' ? (x as Rankable).score! : (x as ScoreResult))
  const key = (x: T) => {
    const s = scoreOf(x)
    return {total: typeof s.total === 'number' ? s.total : -1, region: s.app?.regionCode ?? '~', app: s.app?.id ?? '', file: typeof (x as Rankable).file === 'string' ? ((x as Rankable).file as string) : ''}
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  const sorted = items
    .map((item, i) => ({item, k: key(item), i}))
    .sort((a, b) => b.k.total - a.k.total || cmp(a.k.region, b.k.region) || cmp(a.k.app, b.k.app) || cmp(a.k.file, b.k.file) || a.i - b.i)
  let rank = 0
  let prev: number | null = null
  return sorted.map(({item, k}, n) => {
    if (prev === null || k.total !== prev) rank = n + 1
    prev = k.total
    return {...item, rank}
  })
}
