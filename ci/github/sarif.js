#!/usr/bin/env node
// Joins the SARIF reports of every app under a folder into one file with one run, which is what
// code scanning wants for one tool and one category.
//   node ci/github/sarif.js reports reports/sjt.sarif
// Prints the output path; exit 1 when there was no report.sarif to join.
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {findFiles} from './comment.js'

export function mergeSarif(docs) {
  if (docs.length === 0) return null
  if (docs.length === 1) return docs[0]
  const first = docs[0].runs?.[0] ?? {}
  const rules = new Map()
  const results = []
  const artifacts = []
  for (const doc of docs) {
    for (const run of doc.runs ?? []) {
      for (const r of run.tool?.driver?.rules ?? []) if (!rules.has(r.id)) rules.set(r.id, r)
      const ids = (run.tool?.driver?.rules ?? []).map((r) => r.id)
      const offset = artifacts.length
      artifacts.push(...(run.artifacts ?? []))
      const order = [...rules.keys()]
      for (const res of run.results ?? []) {
        const copy = structuredClone(res)
        // Indexes point into this run's arrays: re-point them into the joined ones.
        if (typeof copy.ruleIndex === 'number') copy.ruleIndex = order.indexOf(ids[copy.ruleIndex] ?? copy.ruleId)
        for (const loc of copy.locations ?? []) {
          const al = loc.physicalLocation?.artifactLocation
          if (al && typeof al.index === 'number') al.index += offset
        }
        results.push(copy)
      }
    }
  }
  const run = {...first, tool: {...first.tool, driver: {...first.tool?.driver, rules: [...rules.values()]}}, results}
  if (artifacts.length) run.artifacts = artifacts
  else delete run.artifacts
  return {...docs[0], runs: [run]}
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [dir = 'reports', out = path.join(dir, 'sjt.sarif')] = process.argv.slice(2)
  const files = findFiles(dir, 'report.sarif')
  const merged = mergeSarif(files.map((f) => JSON.parse(readFileSync(f, 'utf8'))))
  if (!merged) {
    process.stderr.write(`sarif: no report.sarif under ${dir}\n`)
    process.exitCode = 1
  } else {
    writeFileSync(out, JSON.stringify(merged, null, 2) + '\n')
    process.stdout.write(out + '\n')
  }
}
