// The service-capability model as data: standards/<profile>/scoring.yaml, found along the
// profile's extends chain (a city profile replaces it by keeping its own), validated against
// standards/schemas/scoring.schema.json and checked for sums the schema cannot express.
import {InputError} from '../lib/errors.js'
import {loadProfile, profileFile} from '../core/profile.js'
import type {Category, Lang, Localized, Profile} from '../core/types.js'
import {t} from '../lib/i18n/index.js'
import {describeAjvError, schemaValidator} from '../lib/schema.js'
import {prebuiltData} from '../lib/prebuilt.js'
import {parseStructured, readTextFile} from '../lib/source.js'

export type Condition = string | number | boolean | {in: Array<string | number | boolean>} | {present: boolean} | {nonEmpty: boolean}

type TermInput =
  | {count: string; target: number}
  | {share: string; where: Record<string, Condition>}
  | {present: string}
  | {rules: string[]}
  | {rulesOf: Category}
  | {category: Category}
  | {usage: 'satisfaction' | 'activeMonths'}

export interface Term {
  id: string
  what: Localized
  points: number
  input: TermInput
  fields?: string[]
  /** For a mini-program result: the MP rules that stand in for the input. */
  miniprogram?: {rules: string[]}
}

export interface IndexDef {
  id: string
  name: Localized
  weight: number
  why?: Localized
  terms: Term[]
}

interface GradeBand {
  id: string
  min: number
  name: Localized
}

export interface ScoringModel {
  modelVersion: string
  title: Localized
  source?: string
  grades: GradeBand[]
  indices: IndexDef[]
  /** The file the model was read from. */
  file: string
}

export const DEFAULT_PROFILE = 'shanxi-2022'
const cache = new Map<string, ScoringModel>()

/** The scoring.yaml of a profile (object, name or path), nearest along its extends chain. */
function modelFileOf(profile: Profile, lang: Lang): string {
  const f = profileFile(profile, 'scoring.yaml')
  if (!f) throw new InputError(t(lang, 'score.noModel', {profile: profile.name}), {file: profile.dir}, t(lang, 'score.noModel.hint'))
  return f
}

export function loadScoringModel(profile: Profile | string = DEFAULT_PROFILE, lang: Lang = 'en'): ScoringModel {
  const p = typeof profile === 'string' ? loadProfile(profile, lang) : profile
  return readScoringModel(modelFileOf(p, lang), lang)
}

/** Read and check one scoring.yaml (cached by path). Problems are input errors with line:column. */
export function readScoringModel(file: string, lang: Lang = 'en'): ScoringModel {
  const hit = cache.get(file)
  if (hit) return hit
  const text = readTextFile(file, lang)
  // The bundled scoring.yaml as the build parsed and checked it (same text, same hash); positions
  // are worked out only if a check below has something to say.
  const pre = prebuiltData(text.text)
  const parsed = pre !== undefined ? {data: pre, locate: (p: Array<string | number>) => parseStructured(text, lang).locate(p)} : parseStructured(text, lang)
  const validate = schemaValidator('scoring')
  if (pre === undefined && !validate(parsed.data)) {
    // The deepest error says most (oneOf reports its branches first).
    const e = [...validate.errors!].sort((a, b) => b.instancePath.length - a.instancePath.length)[0]
    const pos = parsed.locate(e.instancePath.split('/').slice(1))
    throw new InputError(t(lang, 'score.modelInvalid', {detail: `${e.instancePath || '/'} ${describeAjvError(e, lang)}`}), {file, ...pos}, t(lang, 'score.modelInvalid.hint'))
  }
  const data = parsed.data as Omit<ScoringModel, 'file'>
  const fail = (pathSegs: Array<string | number>, detail: string): never => {
    throw new InputError(t(lang, 'score.modelInvalid', {detail}), {file, ...parsed.locate(pathSegs)}, t(lang, 'score.modelInvalid.hint'))
  }
  const weights = data.indices.reduce((s, i) => s + i.weight, 0)
  if (Math.abs(weights - 1) > 1e-6) fail(['indices'], t(lang, 'score.modelWeights', {sum: round(weights, 4)}))
  const ids = new Set<string>()
  data.indices.forEach((ix, n) => {
    if (ids.has(ix.id)) fail(['indices', n, 'id'], t(lang, 'score.modelDuplicate', {id: ix.id}))
    ids.add(ix.id)
    const pts = ix.terms.reduce((s, x) => s + x.points, 0)
    if (Math.abs(pts - 100) > 1e-6) fail(['indices', n, 'terms'], t(lang, 'score.modelPoints', {index: ix.id, sum: round(pts, 4)}))
    const termIds = new Set<string>()
    ix.terms.forEach((term, k) => {
      if (termIds.has(term.id)) fail(['indices', n, 'terms', k, 'id'], t(lang, 'score.modelDuplicate', {id: term.id}))
      termIds.add(term.id)
    })
  })
  for (let n = 1; n < data.grades.length; n++) {
    if (data.grades[n].min >= data.grades[n - 1].min) fail(['grades', n, 'min'], t(lang, 'score.modelGrades'))
  }
  if (data.grades[data.grades.length - 1].min !== 0) fail(['grades', data.grades.length - 1, 'min'], t(lang, 'score.modelGrades'))
  const model: ScoringModel = {...data, file}
  cache.set(file, model)
  return model
}

export function round(v: number, digits = 1): number {
  const f = 10 ** digits
  // toPrecision first, so 84.85 (stored as 84.8499…) rounds the way it reads.
  return Math.round(Number((v * f).toPrecision(12))) / f
}
