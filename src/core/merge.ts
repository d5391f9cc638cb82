// `sjt report --merge`: join the results of several shards (files or folders) into one summary.
// Every result.json found is validated; apps that could not be checked at all (no result.json)
// come from the shards' summary files, so the merged summary still lists them.
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {readResult} from './run.js'
import {exitCodeOf} from './result.js'
import type {Lang, ResultDocument} from './types.js'
import {InputError} from '../lib/errors.js'
import {totalsOf, worstExit, type AppSummary, type Summary} from './summary.js'
import {t} from '../lib/i18n/index.js'

interface Found {
  results: string[]
  summaries: string[]
}

function walk(p: string, lang: Lang, out: Found = {results: [], summaries: []}, top = true): Found {
  if (!existsSync(p)) throw new InputError(t(lang, 'input.notFound'), {file: p}, t(lang, 'input.notFound.hint'))
  if (!statSync(p).isDirectory()) {
    if (/^summary(-.+)?\.json$/.test(path.basename(p))) out.summaries.push(p)
    else out.results.push(p)
    return out
  }
  for (const e of readdirSync(p, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
    const f = path.join(p, e.name)
    if (e.isDirectory()) walk(f, lang, out, false)
    else if (e.name === 'result.json') out.results.push(f)
    else if (/^summary(-.+)?\.json$/.test(e.name)) out.summaries.push(f)
  }
  if (top && out.results.length === 0 && out.summaries.length === 0) throw new InputError(t(lang, 'merge.empty'), {file: p}, t(lang, 'merge.empty.hint'))
  return out
}

function readSummary(file: string, lang: Lang): Summary | null {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Summary
    return s && s.kind === 'sjt-summary' && Array.isArray(s.apps) ? s : null
  } catch (error) {
    throw new InputError(t(lang, 'input.badJson', {detail: (error as Error).message}), {file})
  }
}

export interface MergeOutcome {
  summaryFile: string
  exitCode: number
  docs: ResultDocument[]
  summary: Summary
  /** App ids found in more than one shard (the later run is kept). */
  duplicates: string[]
}

export function mergeResults(inputs: string[], outDir: string, lang: Lang): MergeOutcome {
  if (inputs.length === 0) throw new InputError(t(lang, 'merge.empty'), undefined, t(lang, 'merge.empty.hint'))
  const byApp = new Map<string, {doc: ResultDocument; file: string}>()
  const duplicates = new Set<string>()
  const failedApps = new Map<string, AppSummary>()
  for (const input of inputs) {
    const found = walk(input, lang)
    for (const f of found.results) {
      const doc = readResult(f, lang)
      const prev = byApp.get(doc.app.id)
      if (prev && path.resolve(prev.file) !== path.resolve(f)) duplicates.add(doc.app.id)
      // The same app in two shards: keep the later run.
      if (!prev || prev.doc.startedAt < doc.startedAt) byApp.set(doc.app.id, {doc, file: f})
    }
    for (const f of found.summaries) {
      for (const a of readSummary(f, lang)?.apps ?? []) {
        if (a && !a.result && a.error && typeof a.appDir === 'string') failedApps.set(a.appDir, a)
      }
    }
  }
  const apps: AppSummary[] = [...byApp.values()]
    .sort((a, b) => a.doc.app.id.localeCompare(b.doc.app.id))
    .map(({doc, file}) => ({appDir: path.dirname(file), appId: doc.app.id, verdict: doc.verdict, exitCode: exitCodeOf(doc), categories: doc.categories, result: file}))
  for (const a of failedApps.values()) apps.push(a)
  mkdirSync(outDir, {recursive: true})
  const summaryFile = path.join(outDir, 'summary.json')
  const summary: Summary = {schemaVersion: '1.0', kind: 'sjt-summary', lang, merged: inputs, totals: totalsOf(apps), apps}
  writeFileSync(summaryFile, JSON.stringify(summary, null, 2) + '\n')
  return {summaryFile, exitCode: worstExit(apps.map((a) => a.exitCode)), docs: [...byApp.values()].map((x) => x.doc), summary, duplicates: [...duplicates].sort()}
}
