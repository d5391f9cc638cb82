// Checking a folder of apps: one result per app plus a summary, `--concurrency N` apps at once.
// Work that must not run concurrently on one machine (Lighthouse) takes the machine-wide lock
// in src/lib/serial.ts, so concurrency only overlaps the other categories.
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {SjtError} from './errors.js'
import {exitCodeOf} from './result.js'
import type {Lang, ResultDocument} from './types.js'
import type {CheckFlags, CheckOutcome} from './check.js'

export interface AppSummary {
  appDir: string
  appId?: string
  verdict?: 'pass' | 'fail'
  exitCode: number
  error?: string
  categories?: ResultDocument['categories']
  result?: string
}

export async function checkMany(appDirs: string[], one: (dir: string) => Promise<ResultDocument>, flags: CheckFlags, lang: Lang): Promise<CheckOutcome> {
  const concurrency = Math.max(1, flags.concurrency ?? 1)
  const summaries: AppSummary[] = new Array(appDirs.length)
  const docs: ResultDocument[] = []
  let next = 0
  const outDir = flags.out ?? 'reports'
  const worker = async () => {
    while (next < appDirs.length) {
      const i = next++
      const dir = appDirs[i]
      if (!flags.json) process.stderr.write(`[${i + 1}/${appDirs.length}] ${dir}\n`)
      try {
        const doc = await one(dir)
        docs.push(doc)
        summaries[i] = {appDir: dir, appId: doc.app.id, verdict: doc.verdict, exitCode: exitCodeOf(doc), categories: doc.categories, result: path.join(outDir, doc.app.id, 'result.json')}
      } catch (error) {
        if (!(error instanceof SjtError)) throw error
        summaries[i] = {appDir: dir, exitCode: error.exitCode, error: error.format()}
        if (!flags.json) process.stderr.write(`sjt: ${error.format()}\n`)
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency, appDirs.length)}, worker))
  const summary = {schemaVersion: '1.0', kind: 'sjt-summary', lang, shard: flags.shard ?? '1/1', apps: summaries}
  mkdirSync(outDir, {recursive: true})
  const name = flags.shard ? `summary-${flags.shard.replace('/', '-of-')}.json` : 'summary.json'
  writeFileSync(path.join(outDir, name), JSON.stringify(summary, null, 2) + '\n')
  if (flags.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n')
  // The worst outcome wins: input errors (2) and environment failures (3) over a failed gate (1).
  const codes = summaries.map((s) => s.exitCode)
  const exitCode = codes.includes(2) ? 2 : codes.includes(3) ? 3 : codes.includes(1) ? 1 : 0
  return {exitCode, docs}
}
