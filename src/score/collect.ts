// Reading result documents for `sjt score`: files as given, folders searched recursively for
// result.json (and other .json files that are result documents), each validated by readResult.
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {InputError} from '../lib/errors.js'
import {readResult} from '../core/run.js'
import type {Lang, ResultDocument} from '../core/types.js'
import {t} from '../lib/i18n/index.js'
import {isStdin} from '../lib/stdin.js'

export interface LoadedResult {
  file: string
  doc: ResultDocument
}

/** Every result under the paths, in a stable order (path order, then sorted file names). */
export function collectResults(paths: string[], lang: Lang, onSkip?: (file: string) => void): {results: LoadedResult[]; anyDir: boolean} {
  const results: LoadedResult[] = []
  let anyDir = false
  for (const p of paths) {
    if (isStdin(p)) {
      results.push({file: p, doc: readResult(p, lang)})
      continue
    }
    if (!existsSync(p)) throw new InputError(t(lang, 'input.notFound'), {file: p}, t(lang, 'input.notFound.hint'))
    if (!statSync(p).isDirectory()) {
      results.push({file: p, doc: readResult(p, lang)})
      continue
    }
    anyDir = true
    const found = walk(p)
    const before = results.length
    for (const f of found) {
      if (path.basename(f) === 'result.json') results.push({file: f, doc: readResult(f, lang)})
      else if (looksLikeResult(f)) results.push({file: f, doc: readResult(f, lang)})
      else onSkip?.(f)
    }
    if (results.length === before) throw new InputError(t(lang, 'score.noResults', {dir: p}), {file: p}, t(lang, 'score.noResults.hint'))
  }
  return {results, anyDir}
}

function walk(dir: string): string[] {
  const out: string[] = []
  const entries = readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue
    const f = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...walk(f))
    else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(f)
  }
  return out
}

/** A .json file not named result.json counts when it has the shape of a result document. */
function looksLikeResult(file: string): boolean {
  try {
    if (statSync(file).size > 64 * 1024 * 1024) return false
    const data = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''))
    return !!data && typeof data === 'object' && data.schemaVersion !== undefined && Array.isArray(data.findings) && !!data.categories && typeof data.categories === 'object'
  } catch {
    return false
  }
}

/** GB/T 2260 prefix filter: 2–6 digits. */
export function checkRegionPrefix(prefix: string, lang: Lang): string {
  const p = prefix.trim()
  if (!/^\d{2,6}$/.test(p)) throw new InputError(t(lang, 'score.badRegion', {value: prefix}))
  return p
}

export function inRegion(doc: ResultDocument, prefix: string): boolean {
  const code = doc.app?.regionCode ?? (doc.manifest as {owner?: {regionCode?: unknown}} | undefined)?.owner?.regionCode
  return typeof code === 'string' && code.startsWith(prefix)
}
