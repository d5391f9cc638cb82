// Checking a folder of apps: one result per app plus a summary, `--concurrency N` apps at once.
// Work that must not run concurrently on one machine (Lighthouse) takes the machine-wide lock
// in src/lib/serial.ts, so concurrency only overlaps the other categories.
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {SjtError} from './errors.js'
import {exitCodeOf} from './result.js'
import type {Lang, ResultDocument} from './types.js'
import type {CheckFlags, CheckOutcome} from './check.js'
import {createProgress, type Progress, type TaskHandle} from '../lib/progress.js'
import {t} from '../lib/i18n/index.js'
import {reportFolder} from '../report/index.js'

export interface AppSummary {
  appDir: string
  appId?: string
  verdict?: 'pass' | 'fail'
  exitCode: number
  error?: string
  categories?: ResultDocument['categories']
  result?: string
  durationMs?: number
}

export interface Summary {
  schemaVersion: '1.0'
  kind: 'sjt-summary'
  lang: Lang
  shard?: string
  merged?: string[]
  totals: {apps: number; pass: number; fail: number; error: number}
  apps: AppSummary[]
}

/** The worst outcome wins: input errors (2) and environment failures (3) over a failed gate (1). */
export function worstExit(codes: number[]): number {
  return codes.includes(2) ? 2 : codes.includes(3) ? 3 : codes.includes(1) ? 1 : 0
}

export function totalsOf(apps: Pick<AppSummary, 'exitCode'>[]): Summary['totals'] {
  return {
    apps: apps.length,
    pass: apps.filter((a) => a.exitCode === 0).length,
    fail: apps.filter((a) => a.exitCode === 1).length,
    error: apps.filter((a) => a.exitCode !== 0 && a.exitCode !== 1).length,
  }
}

export async function checkMany(
  appDirs: string[],
  one: (dir: string, task?: TaskHandle) => Promise<ResultDocument>,
  flags: CheckFlags,
  lang: Lang,
  progress: Progress = createProgress({enabled: !flags.json, prefix: true}),
): Promise<CheckOutcome> {
  const concurrency = Math.max(1, flags.concurrency ?? 1)
  const summaries: AppSummary[] = new Array(appDirs.length)
  const docs: ResultDocument[] = []
  let next = 0
  const outDir = flags.out ?? 'reports'
  const worker = async () => {
    while (next < appDirs.length) {
      const i = next++
      const dir = appDirs[i]
      const task = progress.task(`${i + 1}/${appDirs.length} ${path.basename(path.resolve(dir))}`)
      const started = Date.now()
      try {
        const doc = await one(dir, task)
        docs.push(doc)
        const exitCode = exitCodeOf(doc)
        summaries[i] = {appDir: dir, appId: doc.app.id, verdict: doc.verdict, exitCode, categories: doc.categories, result: path.join(outDir, reportFolder(doc.app.id), 'result.json'), durationMs: Date.now() - started}
        task.done(`${doc.app.id} · ${doc.verdict}${exitCode === 3 ? ' · exit 3' : ''}`, exitCode === 0)
      } catch (error) {
        if (!(error instanceof SjtError)) throw error
        summaries[i] = {appDir: dir, exitCode: error.exitCode, error: error.format(), durationMs: Date.now() - started}
        task.done(`exit ${error.exitCode}`, false)
        progress.note(`sjt: ${dir}: ${error.format()}`)
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency, appDirs.length)}, worker))
  const summary: Summary = {schemaVersion: '1.0', kind: 'sjt-summary', lang, shard: flags.shard ?? '1/1', totals: totalsOf(summaries), apps: summaries}
  mkdirSync(outDir, {recursive: true})
  const name = flags.shard ? `summary-${flags.shard.replace('/', '-of-')}.json` : 'summary.json'
  const file = path.join(outDir, name)
  writeFileSync(file, JSON.stringify(summary, null, 2) + '\n')
  if (flags.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n')
  else progress.note(t(lang, 'many.summary', {...summary.totals, file}))
  return {exitCode: worstExit(summaries.map((s) => s.exitCode)), docs}
}
