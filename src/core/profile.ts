// Standards as data: a profile is a folder with profile.yaml and rules/*.yaml. A profile may
// `extends:` another (by name or path), add rules, and override severity, weight or params.
import {existsSync, readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {InputError} from '../lib/errors.js'
import type {Category, Lang, Profile, RuleDef, SeverityOverride} from './types.js'
import {CATEGORIES} from './types.js'
import {parseStructured, readTextFile} from '../lib/source.js'
import {schemaValidator, describeAjvError} from '../lib/schema.js'
import {STANDARDS_DIR} from '../lib/paths.js'
import {prebuiltData} from '../lib/prebuilt.js'
import {t} from '../lib/i18n/index.js'

interface ProfileFile {
  name: string
  version: string
  title?: {'zh-CN': string; en: string}
  extends?: string
  overrides?: Record<string, {severity?: SeverityOverride; weight?: number; params?: Record<string, unknown>; clause?: string}>
  disable?: string[]
  data?: Record<string, unknown>
}

const cache = new Map<string, Profile>()

/** Parses and validates one profile or rules file (or takes the build's copy of an unchanged bundled one). */
function readProfileData(file: string, schema: 'profile' | 'rules', lang: Lang): unknown {
  const text = readTextFile(file, lang)
  const pre = prebuiltData(text.text)
  if (pre !== undefined) return pre
  const parsed = parseStructured(text, lang)
  const validate = schemaValidator(schema)
  if (!validate(parsed.data)) {
    const e = validate.errors![0]
    const pos = parsed.locate(e.instancePath.split('/').slice(1))
    throw new InputError(t(lang, 'profile.invalid', {detail: `${e.instancePath || '/'} ${describeAjvError(e, lang)}`}), {file, ...pos})
  }
  return parsed.data
}

/** Resolve a profile name or path to its profile.yaml. */
function resolveProfilePath(ref: string, fromDir?: string): string | null {
  const candidates: string[] = []
  if (fromDir) candidates.push(path.resolve(fromDir, ref))
  candidates.push(path.resolve(ref), path.join(STANDARDS_DIR, ref))
  for (const c of candidates) {
    if (!existsSync(c)) continue
    if (statSync(c).isDirectory()) {
      const f = path.join(c, 'profile.yaml')
      if (existsSync(f)) return f
    } else if (/\.ya?ml$|\.json$/.test(c)) return c
  }
  return null
}

export function loadProfile(ref: string, lang: Lang, fromDir?: string, seen: string[] = []): Profile {
  const file = resolveProfilePath(ref, fromDir)
  if (!file) throw new InputError(t(lang, 'profile.notFound', {name: ref}), undefined, t(lang, 'profile.notFound.hint'))
  const cached = cache.get(file)
  if (cached) return cached
  if (seen.includes(file)) throw new InputError(t(lang, 'profile.cycle', {chain: [...seen, file].join(' → ')}), {file})
  const dir = path.dirname(file)
  const pf = readProfileData(file, 'profile', lang) as ProfileFile
  const base = pf.extends ? loadProfile(pf.extends, lang, dir, [...seen, file]) : null
  const rules = new Map<string, RuleDef>()
  for (const r of base?.rules ?? []) rules.set(r.id, structuredClone(r))

  const rulesDir = path.join(dir, 'rules')
  if (existsSync(rulesDir)) {
    for (const name of readdirSync(rulesDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const rf = path.join(rulesDir, name)
      for (const r of readProfileData(rf, 'rules', lang) as Array<Omit<RuleDef, 'params'> & {params?: Record<string, unknown>}>) {
        if (!CATEGORIES.includes(r.category as Category)) continue
        rules.set(r.id, {...r, params: r.params ?? {}})
      }
    }
  }
  for (const [id, o] of Object.entries(pf.overrides ?? {})) {
    const r = rules.get(id)
    if (!r) throw new InputError(t(lang, 'profile.unknownRule', {id}), {file}, t(lang, 'rule.unknown.hint'))
    if (o.severity) r.severity = o.severity
    if (o.weight !== undefined) r.weight = o.weight
    if (o.clause) r.clause = o.clause
    if (o.params) r.params = deepMerge(r.params, o.params)
  }
  for (const id of pf.disable ?? []) {
    const r = rules.get(id)
    if (r) r.severity = 'off'
  }
  const profile: Profile = {
    name: pf.name,
    version: pf.version,
    title: pf.title ?? base?.title,
    extends: pf.extends,
    dir,
    dirs: [dir, ...(base?.dirs ?? [])],
    rules: [...rules.values()].sort(compareRuleIds),
    data: deepMerge(base?.data ?? {}, pf.data ?? {}),
  }
  cache.set(file, profile)
  return profile
}

function compareRuleIds(a: {id: string; category: string}, b: {id: string; category: string}): number {
  const ca = CATEGORIES.indexOf(a.category as Category)
  const cb = CATEGORIES.indexOf(b.category as Category)
  if (ca !== cb) return ca - cb
  return a.id.localeCompare(b.id, 'en', {numeric: true})
}

/** A file of the profile (e.g. scoring.yaml, contracts/), looked up along the extends chain. */
export function profileFile(profile: Profile, rel: string): string | null {
  for (const d of profile.dirs) {
    const f = path.join(d, rel)
    if (existsSync(f)) return f
  }
  return null
}

function deepMerge<T extends Record<string, unknown>>(a: T, b: Record<string, unknown>): T {
  const out: Record<string, unknown> = {...a}
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k]
    if (v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)) {
      out[k] = deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
    } else out[k] = v
  }
  return out as T
}

export function findRule(profile: Profile, id: string): RuleDef | undefined {
  return profile.rules.find((r) => r.id === id.toUpperCase())
}
