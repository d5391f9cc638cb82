// Checking a folder of apps: one result per app plus a summary, `--concurrency N` apps at once.
// Work that must not run concurrently on one machine (Lighthouse) takes the machine-wide lock
// in src/lib/serial.ts, so concurrency only overlaps the other categories.
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {SjtError} from '../lib/errors.js'
import {exitCodeOf} from '../core/result.js'
import type {Lang, ResultDocument} from '../core/types.js'
import type {CheckFlags, CheckOutcome, CheckRenderer} from './check.js'
import {totalsOf, worstExit, type AppSummary, type Summary} from '../core/summary.js'
import {createProgress, type Progress, type TaskHandle} from '../lib/progress.js'
import {t} from '../lib/i18n/index.js'

/** One app checked: its result and the result.json written for it. */
export interface AppOutcome {
  doc: ResultDocument
  resultFile: string
}

/** `flags.out` and `flags.concurrency` are the resolved settings of the run (src/core/settings.ts). */
export async function checkMany(
  appDirs: string[],
  one: (dir: string, task?: TaskHandle) => Promise<AppOutcome>,
  flags: CheckFlags,
  lang: Lang,
  progress: Progress = createProgress({enabled: !flags.json, prefix: true}),
  render?: CheckRenderer,
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
        const {doc, resultFile} = await one(dir, task)
        docs.push(doc)
        const exitCode = exitCodeOf(doc)
        summaries[i] = {appDir: dir, appId: doc.app.id, verdict: doc.verdict, exitCode, categories: doc.categories, result: resultFile, durationMs: Date.now() - started}
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
  render?.summary?.(summary, file, {lang, json: flags.json ?? false})
  if (!flags.json) progress.note(t(lang, 'many.summary', {...summary.totals, file}))
  return {exitCode: worstExit(summaries.map((s) => s.exitCode)), docs}
}
