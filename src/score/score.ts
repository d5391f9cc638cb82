// Scoring one result document on the capability model, and ranking many. Pure: the inputs are
// the result document (manifest, category scores, rule outcomes), optional usage data and the
// model; the model is read once per file from the profile (cached) unless it is passed in.
import type {Category, ResultDocument} from '../core/types.js'
import {CATEGORIES} from '../core/types.js'
import {InputError} from '../lib/errors.js'
import {DEFAULT_PROFILE, loadScoringModel, round, type IndexDef, type ScoringModel} from './model.js'
import {usageRowsFor, type UsageMonth} from './usage.js'
import type {ExplainEntry, Fractions, IndexScore, ScoreOptions, ScoreResult, TermStatus} from './score-types.js'
import {get, termOutcome} from './terms.js'

export type {ExplainEntry, ScoreResult} from './score-types.js'
export {rankScores} from './rank.js'

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
  /** Points of `won` that rest only on declarations. */
  declared: number
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
  let declared = 0
  const unknownBy: Partial<Record<Category, number>> = {}
  const explain: ExplainEntry[] = []
  const inputs: Record<string, unknown> = {}
  for (const {term, o} of outcomes) {
    const w = term.points * scale
    won += w * o.won
    missed += w * o.missed
    unknown += w * o.unknown
    declared += w * (o.declared ?? 0)
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
      ...(o.declared ? {declared: round(w * o.declared)} : {}),
      value: o.value,
      howToWin: o.howToWin,
      ...(o.note ? {note: o.note} : {}),
    })
  }
  return {def, won, missed, unknown, declared, applicable: applicable > 1e-9, explain, inputs, unknownBy}
}

/** The band of an unrounded total (89.95 is 高, though it shows as 90.0). */
export function gradeOf(model: ScoringModel, total: number | null) {
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
  const exact = knownW > 1e-9 ? (100 * wonW) / knownW : null
  const total = exact === null ? null : round(exact)
  // The band is judged on the unrounded figure (89.95 is not 非常高), and never on a part of the
  // evidence: with unknown inputs it is the band of the least the app can score (the range's lower end).
  const partial = unknownW > 1e-9
  const grade = gradeOf(model, exact === null ? null : partial ? wonW / W : exact)
  const declaredW = live.reduce((s, r) => s + r.def.weight * r.declared, 0)
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
    gradeBasis: grade ? (partial ? 'lower-bound' : 'complete') : null,
    declaredPoints: W > 0 ? round(declaredW / W) : 0,
    unknownWeight: W > 0 ? round(unknownW / W) : 0,
    range: {min: W > 0 ? round(wonW / W) : 0, max: W > 0 ? round((wonW + unknownW) / W) : 0},
    unknownFrom: CATEGORIES.filter((c) => (unknownFrom.get(c) ?? 0) > 1e-9).map((c) => ({category: c, points: round(unknownFrom.get(c)!)})),
    usage: !!usage && usage.length > 0,
    indices,
  }
}
