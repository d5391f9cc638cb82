// The result document: category summaries, verdict, waivers, baseline marks, digest.
import {createHash} from 'node:crypto'
import type {Category, CategorySummary, FailOn, Finding, Location, ResultDocument, RuleDef, Waiver} from './types.js'
import {CATEGORIES} from './types.js'

import {computeVerdict, gates, waiverMatches, type Verdict} from './verdict.js'

export {gates, waiverMatches}

/**
 * Category score: the weighted share of rules that hold. A rule holds when none of its findings
 * fail (waived counts as holding); rules whose findings are all not-applicable or error do not
 * count. Info-severity rules have no weight in the score.
 */
export function summarizeCategory(findings: Finding[], rules: RuleDef[]): CategorySummary {
  const byRule = new Map<string, Finding[]>()
  for (const f of findings) {
    const list = byRule.get(f.ruleId) ?? []
    list.push(f)
    byRule.set(f.ruleId, list)
  }
  let won = 0
  let total = 0
  let errors = 0
  let warnings = 0
  let ran = 0
  let broken = 0
  for (const [id, list] of byRule) {
    const rule = rules.find((r) => r.id === id)
    const weight = rule && rule.severity !== 'info' ? rule.weight : 0
    const failed = list.filter((f) => f.status === 'fail')
    errors += failed.filter((f) => f.severity === 'error').length
    warnings += failed.filter((f) => f.severity === 'warn').length
    const judged = list.filter((f) => f.status === 'pass' || f.status === 'fail' || f.status === 'waived')
    if (list.every((f) => f.status === 'error')) broken++
    if (judged.length === 0) continue
    ran++
    total += weight
    if (failed.length === 0) won += weight
    else if (failed.every((f) => f.severity !== 'error')) won += weight * 0.5
  }
  const status: CategorySummary['status'] =
    byRule.size > 0 && ran === 0 && broken > 0 ? 'error' : errors > 0 ? 'fail' : 'pass'
  return {status, errors, warnings, score: total > 0 ? Math.round((1000 * won) / total) / 10 : null, rules: byRule.size}
}

export function summarize(findings: Finding[], rules: RuleDef[], categories: Category[]): Partial<Record<Category, CategorySummary>> {
  const out: Partial<Record<Category, CategorySummary>> = {}
  for (const c of CATEGORIES) {
    if (!categories.includes(c)) continue
    out[c] = summarizeCategory(
      findings.filter((f) => f.category === c),
      rules.filter((r) => r.category === c),
    )
  }
  return out
}

/** The verdict of a run (see computeVerdict in verdict.ts, which the review server reuses). */
export function verdictOf(findings: Finding[], failOn: FailOn, more: Omit<Parameters<typeof computeVerdict>[0], 'findings' | 'failOn'> = {}): Verdict {
  return computeVerdict({findings, failOn, ...more})
}

/** The exit code for a finished run (spec/cli.md). */
export function exitCodeOf(doc: Pick<ResultDocument, 'categories' | 'verdict'> & {auth?: {ok: boolean}; unavailable?: unknown[]}): 0 | 1 | 3 {
  if (Object.values(doc.categories).some((c) => c?.status === 'error')) return 3
  // An artifact could not be gathered (no browser, unreachable): the rules that need it are not judged.
  if (Array.isArray(doc.unavailable) && doc.unavailable.length > 0) return 3
  // A login bootstrap that failed left the authenticated pages unchecked: the environment failed.
  if (doc.auth && doc.auth.ok === false) return 3
  if (doc.verdict === 'incomplete') return 3
  return doc.verdict === 'fail' ? 1 : 0
}

/** A string JSON.stringify would write as is between quotes: no quote, backslash, control character or surrogate. */
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/

function jsonString(s: string): string {
  return s.length < 256 && PLAIN_STRING.test(s) ? '"' + s + '"' : JSON.stringify(s)
}

/**
 * Canonical JSON: sorted keys (code-unit order, as Array.prototype.sort), no whitespace; undefined
 * and function members dropped as JSON.stringify does. The digest of every result is computed over
 * this text, so its output must never change; it is written for speed (one string built as it
 * goes, keys sorted only when they are not already, short strings quoted without JSON.stringify)
 * because the review server recomputes the digest of every submission.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value)
    case 'number':
      return Number.isFinite(value) ? '' + value : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      if (value === null) return 'null'
      break
    default:
      return JSON.stringify(value) ?? 'null'
  }
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ','
      const v = value[i]
      // A hole of a sparse array stays empty, as Array.prototype.map + join always wrote it.
      out += v === undefined ? (i in value ? 'null' : '') : canonicalJson(v)
    }
    return out + ']'
  }
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort()
      break
    }
  }
  let out = '{'
  let first = true
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]
    const v = obj[k]
    if (v === undefined || typeof v === 'function') continue
    out += (first ? '' : ',') + jsonString(k) + ':' + canonicalJson(v)
    first = false
  }
  return out + '}'
}

export function computeDigest(doc: Record<string, unknown>): string {
  const {digest: _d, signature: _s, ...rest} = doc
  return createHash('sha256').update(canonicalJson(rest)).digest('hex')
}

/** A key for a finding that is stable across runs: rule id + where (not the line, which moves). */
export function findingKey(f: Pick<Finding, 'ruleId' | 'location' | 'details'>): string {
  const l: Location = f.location ?? {}
  const where = l.pointer ? `${l.file ?? ''}#${l.pointer}` : l.url || l.selector ? `${l.url ?? ''} ${l.selector ?? ''}` : l.file ? `${l.file}:${l.line ?? ''}` : ''
  const sub = typeof f.details?.key === 'string' ? ` ${f.details.key}` : ''
  return `${f.ruleId} ${where}${sub}`.trim()
}

/** Mark failures new/known against a baseline document. */
export function applyBaseline(findings: Finding[], baseline: ResultDocument): {newFailures: number; knownFailures: number} {
  // A failure the baseline had waived was a failure all the same: it is known, not new.
  const known = new Set(baseline.findings.filter((f) => f.status === 'fail' || f.status === 'waived').map(findingKey))
  let n = 0
  let k = 0
  for (const f of findings) {
    if (f.status !== 'fail') continue
    if (known.has(findingKey(f))) {
      f.baseline = 'known'
      k++
    } else {
      f.baseline = 'new'
      n++
    }
  }
  return {newFailures: n, knownFailures: k}
}

/** Today as YYYY-MM-DD in local time: a waiver that expires on a day holds through that day. */
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** Apply waivers; returns each waiver's state. An expired waiver no longer applies. */
export function applyWaivers(findings: Finding[], waivers: Waiver[], today = new Date()): NonNullable<ResultDocument['waivers']> {
  const states: NonNullable<ResultDocument['waivers']> = []
  const day = localDay(today)
  for (const w of waivers) {
    const expired = w.expires < day
    const matches = findings.filter((f) => f.ruleId === w.rule.toUpperCase() && (f.status === 'fail' || f.status === 'waived') && waiverMatches(w.location, f))
    if (!expired) {
      for (const f of matches) {
        f.status = 'waived'
        f.waiver = {reason: w.reason, ...(w.owner ? {owner: w.owner} : {}), expires: w.expires}
      }
    }
    states.push({...w, state: expired ? 'expired' : matches.length > 0 ? 'active' : 'unused'})
  }
  return states
}
