// Fuzzing the CLI's inputs: fast-check over manifests, configs, contracts and result documents,
// in-process on the build (dist/), then a sample of the same cases through the CLI to catch what
// only a process shows (exit 70, signals, stack traces on stderr, hangs). Prints cases, crashes
// and hangs per input.
//   node bench/fuzz.js [in-process cases, default 10000] [CLI cases, default 40]   (after npm run build)
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {ROOT} from './lib.js'
import {applyMutations, targets} from './fuzz-targets.js'

const total = Number(process.argv[2] ?? 10_000)
const cliCases = Number(process.argv[3] ?? 40)
const HANG_MS = 10_000
const dist = (p) => import(path.join(ROOT, 'dist', p))
const [{runCheck, readResult}, {buildOptions}, {loadConfig}, {renderText}, {renderMarkdown}, {renderHtml}, {verdictOfDocument}, {SjtError}] = await Promise.all(
  ['core/run.js', 'cli/check.js', 'core/config.js', 'report/text.js', 'report/md.js', 'report/html.js', 'core/verdict.js', 'lib/errors.js'].map(dist),
)
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-fuzz-'))
const all = targets(fc, {runCheck, readResult, buildOptions, loadConfig, renderText, renderMarkdown, renderHtml, verdictOfDocument, SjtError}, {root: ROOT, tmp})
// Contracts cost the most (the whole collector and rules); they get a smaller share.
const share = {manifest: 0.3, config: 0.3, contract: 0.1, result: 0.3}
const rows = []
for (const [name, target] of Object.entries(all)) {
  const n = Math.max(1, Math.round(total * share[name]))
  const stats = {input: name, cases: 0, ok: 0, inputErrors: 0, crashes: 0, hangs: 0, slowestMs: 0}
  const samples = fc.sample(target.arb, {numRuns: n, seed: 42})
  for (const value of samples) {
    const t0 = performance.now()
    try {
      const r = await target.run(value)
      if (r === 'ok') stats.ok++
      else stats.inputErrors++
    } catch (error) {
      stats.crashes++
      if (stats.crashes <= 3) console.error(`${name} crash: ${String(error?.stack ?? error).split('\n').slice(0, 3).join(' | ')}\n  input: ${JSON.stringify(String(value).slice(0, 200))}`)
    }
    const ms = performance.now() - t0
    stats.slowestMs = Math.max(stats.slowestMs, Math.round(ms))
    if (ms > HANG_MS) stats.hangs++
    stats.cases++
  }
  rows.push(stats)
}

// Through the CLI: manifests and results (sjt check manifest, sjt report), a sample of each.
const BIN = path.join(ROOT, 'bin', 'run.js')
const cli = {input: 'cli (check manifest + report)', cases: 0, ok: 0, inputErrors: 0, crashes: 0, hangs: 0, slowestMs: 0}
const manifestText = readFileSync(path.join(ROOT, 'fixtures/apps/sample/sjt.yaml'), 'utf8').replace(/^contract: .*$/m, '')
const resultText = readFileSync(path.join(ROOT, 'fixtures/results/ty-gjj-withdraw.json'), 'utf8')
const edits = fc.sample(fc.array(fc.record({at: fc.nat(), del: fc.nat({max: 12}), ins: fc.oneof(fc.string({maxLength: 12}), fc.constantFrom('\0', '../', '{', '[', '"', '=', '&a', '*a'))}), {maxLength: 6}), {numRuns: cliCases, seed: 7})
for (let i = 0; i < cliCases; i++) {
  const d = path.join(tmp, `cli${i}`)
  mkdirSync(d)
  const report = i % 2 === 1
  const file = path.join(d, report ? 'result.json' : 'sjt.yaml')
  writeFileSync(file, applyMutations(report ? resultText : manifestText, edits[i]))
  const args = report ? ['report', file, '--format', 'html,md', '--out', path.join(d, 'out')] : ['check', 'manifest', d, '--out', path.join(d, 'out'), '--format', 'md']
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [BIN, ...args], {encoding: 'utf8', timeout: 60_000, env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8'}})
  const ms = performance.now() - t0
  cli.slowestMs = Math.max(cli.slowestMs, Math.round(ms))
  cli.cases++
  if (r.error?.code === 'ETIMEDOUT') cli.hangs++
  else if (r.signal || r.status === 70 || /internal error|\n\s+at .*\.js:\d+/.test(r.stderr)) {
    cli.crashes++
    if (cli.crashes <= 3) console.error(`cli crash (${r.signal ?? r.status}): ${args.join(' ')}\n${r.stderr.slice(0, 400)}`)
  } else if (r.status === 2) cli.inputErrors++
  else cli.ok++
}
rows.push(cli)
console.table(rows)
const sum = rows.reduce((a, r) => ({cases: a.cases + r.cases, crashes: a.crashes + r.crashes, hangs: a.hangs + r.hangs}), {cases: 0, crashes: 0, hangs: 0})
console.log(`total: ${sum.cases} cases · ${sum.crashes} crashes (exit 70, signals, stack traces) · ${sum.hangs} hangs (> ${HANG_MS / 1000} s in-process, > 60 s through the CLI)`)
rmSync(tmp, {recursive: true, force: true})
process.exitCode = sum.crashes || sum.hangs ? 1 : 0
