// `sjt report --merge`: join the per-app results of several shards into one summary.
import {existsSync, readdirSync, statSync, writeFileSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {readResult} from './run.js'
import {exitCodeOf} from './result.js'
import type {Lang, ResultDocument} from './types.js'
import {InputError} from './errors.js'

function resultFiles(p: string): string[] {
  if (!existsSync(p)) throw new InputError('no such file or folder', {file: p})
  if (!statSync(p).isDirectory()) return [p]
  const out: string[] = []
  for (const e of readdirSync(p, {withFileTypes: true})) {
    const f = path.join(p, e.name)
    if (e.isDirectory()) out.push(...resultFiles(f))
    else if (e.name === 'result.json') out.push(f)
  }
  return out.sort()
}

export function mergeResults(inputs: string[], outDir: string, lang: Lang): {summaryFile: string; exitCode: number; docs: ResultDocument[]} {
  const byApp = new Map<string, {doc: ResultDocument; file: string}>()
  for (const input of inputs) {
    for (const f of resultFiles(input)) {
      const doc = readResult(f, lang)
      const prev = byApp.get(doc.app.id)
      // The same app in two shards: keep the later run.
      if (!prev || prev.doc.startedAt < doc.startedAt) byApp.set(doc.app.id, {doc, file: f})
    }
  }
  const apps = [...byApp.values()]
    .sort((a, b) => a.doc.app.id.localeCompare(b.doc.app.id))
    .map(({doc, file}) => ({appId: doc.app.id, verdict: doc.verdict, exitCode: exitCodeOf(doc), categories: doc.categories, result: file}))
  mkdirSync(outDir, {recursive: true})
  const summaryFile = path.join(outDir, 'summary.json')
  writeFileSync(summaryFile, JSON.stringify({schemaVersion: '1.0', kind: 'sjt-summary', lang, merged: inputs, apps}, null, 2) + '\n')
  const codes = apps.map((a) => a.exitCode)
  return {summaryFile, exitCode: codes.includes(3) ? 3 : codes.includes(1) ? 1 : 0, docs: [...byApp.values()].map((x) => x.doc)}
}
