// Types of the capability scoring: the result of scoring one document (indices, explanations,
// how to win points back), its options, and the per-term outcome the evaluation passes around.
import type {Category, Localized, Profile} from '../core/types.js'
import type {ScoringModel} from './model.js'
import type {UsageMonth, UsageTable} from './usage.js'

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
  /** Index points of `won` that rest only on declarations (evidence: declared), not on measurement. */
  declared?: number
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
  /**
   * What the band rests on: `complete` (every input known) or `lower-bound` (some inputs unknown:
   * the band of the range's lower end, the least the app can be, never of the known part alone).
   */
  gradeBasis: 'complete' | 'lower-bound' | null
  /** Points of the total won on findings that rest only on declarations, shown apart from measured ones. */
  declaredPoints: number
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

export interface Fractions {
  won: number
  missed: number
  unknown: number
  na: number
}

export interface Outcome extends Fractions {
  value: unknown
  howToWin: HowToWin
  /** Unknown share by the category that would decide it. */
  unknownBy: Partial<Record<Category, number>>
  /** The share of the term won on findings that rest only on the manifest's declarations. */
  declared?: number
  note?: Localized
}
