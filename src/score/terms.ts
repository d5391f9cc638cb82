// Evaluating one term of the model on a result document: manifest fields, rule outcomes,
// category scores and usage data, each read as won / missed / unknown / not-applicable shares.
import type {Category, Finding, Localized, ResultDocument} from '../core/types.js'
import type {Condition, Term} from './model.js'
import {satisfactionOf, type UsageMonth} from './usage.js'
import type {HowToWin, Outcome} from './score-types.js'

const PREFIX_CATEGORY: Record<string, Category> = {MAN: 'manifest', API: 'contract', A11Y: 'a11y', ELD: 'elder', PERF: 'perf', SEC: 'security', MP: 'miniprogram'}

function ruleCategory(id: string, findings: Finding[]): Category | undefined {
  const f = findings.find((x) => x.ruleId === id)
  if (f) return f.category
  return PREFIX_CATEGORY[id.split('-')[0]]
}

export function get(obj: unknown, path: string): unknown {
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
  let declared = 0
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
      const own = (doc.findings ?? []).filter((f) => f.ruleId === id && f.status !== 'not-applicable')
      if (own.length && own.every((f) => f.evidence === 'declared')) declared += s.held!
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
    ...(declared ? {declared: declared / n} : {}),
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

/** A mini-program result: the miniprogram category ran (its page categories do not apply). */
function isMiniprogram(doc: ResultDocument): boolean {
  return ran(doc, 'miniprogram') && (doc.findings ?? []).some((f) => f.category === 'miniprogram' && f.status !== 'not-applicable')
}

export function termOutcome(doc: ResultDocument, term: Term, usage: UsageMonth[] | null): Outcome {
  const input = term.input
  if (term.miniprogram && isMiniprogram(doc)) return rulesOutcome(doc, term.miniprogram.rules, term.fields ?? [])
  if ('rules' in input) return rulesOutcome(doc, input.rules, term.fields ?? [])
  if ('rulesOf' in input) return rulesOfOutcome(doc, input.rulesOf, term.fields ?? [])
  if ('category' in input) return categoryOutcome(doc, input.category)
  if ('usage' in input) return usageOutcome(usage, input.usage)
  return manifestOutcome(doc, term)
}
