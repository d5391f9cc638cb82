// Writes the PERF rules' artifact fixtures, fixtures/rules/PERF-…/{pass,fail-*}/lighthouse.artifacts.json
// (as `sjt check perf --from-artifacts <folder>` reads them), and their expect.yaml, from
// artifacts.ts. Run after changing the cases:  npx vite-node test/perf/make-fixtures.ts
// Each case is judged through the pipeline here: its rule must fail (or pass), else nothing is written.
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import YAML from 'yaml'
import {buildOptions} from '../../src/cli/check.js'
import {runCheck} from '../../src/core/run.js'
import type {LighthouseArtifact} from '../../src/gather/lighthouse.js'
import {artifact, GOOD, page} from './artifacts.js'

const RULES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/rules')
type Case = [rule: string, name: string, a: LighthouseArtifact, expect?: Record<string, unknown>]

const elder = {role: 'elder' as const, url: 'http://127.0.0.1:9/m/elder/'}
const cases: Case[] = [
  ['PERF-001', 'fail-http-503', artifact([page([], {probe: {status: 503}, skipped: 'answered HTTP 503'})]), {message: '503'}],
  ['PERF-001', 'fail-slow-dcl', artifact([page([GOOD], {probe: {status: 200, dclMs: 16000}})]), {message: '16000'}],
  ['PERF-001', 'fail-never-loaded', artifact([page([], {probe: {timedOut: true, waitedMs: 30000}, skipped: 'no DOMContentLoaded'})])],
  ['PERF-002', 'fail-score-55', artifact([page([{...GOOD, score: 55}])]), {severity: 'error'}],
  ['PERF-002', 'fail-score-70', artifact([page([{...GOOD, score: 70}])]), {severity: 'warn'}],
  ['PERF-003', 'fail-lcp-6200', artifact([page([{...GOOD, lcpMs: 6200}], {diagnostics: {lcpElement: 'main > p', renderBlocking: [{url: 'http://x/vendor.js', wastedMs: 4800}]}})]), {severity: 'error', message: ['6200', 'main > p', 'vendor.js']}],
  ['PERF-003', 'fail-lcp-3000-elder', artifact([page([GOOD]), page([{...GOOD, lcpMs: 3000}], elder)]), {severity: 'warn', location: {url: elder.url}}],
  ['PERF-004', 'fail-fcp-2400', artifact([page([{...GOOD, fcpMs: 2400}])]), {severity: 'warn'}],
  ['PERF-004', 'pass-fcp-1800', artifact([page([{...GOOD, fcpMs: 1800}])])],
  ['PERF-005', 'fail-cls-0.3', artifact([page([{...GOOD, cls: 0.3}], {diagnostics: {layoutShifts: [{selector: 'body > .promo', score: 0.3}]}})]), {severity: 'error', message: '.promo'}],
  ['PERF-005', 'fail-cls-0.15', artifact([page([{...GOOD, cls: 0.15}])]), {severity: 'warn'}],
  ['PERF-006', 'fail-tbt-900', artifact([page([{...GOOD, tbtMs: 900}], {diagnostics: {longTasks: [{url: 'http://x/app.js', durationMs: 720}]}})]), {severity: 'warn', message: 'app.js 720 ms'}],
  ['PERF-007', 'fail-transfer-1700k', artifact([page([{...GOOD, transferBytes: 1700 * 1024, jsBytes: 100 * 1024}])])],
  ['PERF-007', 'fail-js-600k', artifact([page([{...GOOD, transferBytes: 900 * 1024, jsBytes: 600 * 1024}])])],
  ['PERF-007', 'pass-at-limits', artifact([page([{...GOOD, transferBytes: 1600 * 1024, jsBytes: 500 * 1024}])])],
  ['PERF-008', 'fail-unstable', artifact([page([GOOD, {...GOOD, lcpMs: 2000}, {...GOOD, lcpMs: 1300}])]), {severity: 'info', message: 'unstable'}],
  ['PERF-008', 'pass-single-run', artifact([page([GOOD])]), {status: 'not-applicable'}],
]

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-perf-fx-'))
async function judge(a: LighthouseArtifact) {
  const dir = mkdtempSync(path.join(tmp, 'a'))
  writeFileSync(path.join(dir, 'lighthouse.artifacts.json'), JSON.stringify(a))
  const options = buildOptions({}, {}, 'en')
  options.progress = undefined
  return (await runCheck({...options, fromArtifacts: dir}, ['perf'])).doc.findings
}
function write(dir: string, a: LighthouseArtifact) {
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir, {recursive: true})
  writeFileSync(path.join(dir, 'lighthouse.artifacts.json'), JSON.stringify(a, null, 1) + '\n')
}

const expectations = new Map<string, Record<string, unknown>>()
for (let i = 1; i <= 8; i++) {
  const id = `PERF-00${i}`
  mkdirSync(path.join(RULES, id), {recursive: true})
  for (const n of readdirSync(path.join(RULES, id)).filter((x) => /^(pass|fail)/.test(x))) rmSync(path.join(RULES, id, n), {recursive: true})
  expectations.set(id, id === 'PERF-001' ? {} : {pass: {use: 'fixtures/rules/PERF-001/pass'}})
}
// A good page over three runs passes every rule.
const good = artifact([page([GOOD, {...GOOD, lcpMs: 1300, tbtMs: 50}, {...GOOD, lcpMs: 1250, tbtMs: 45}])])
if ((await judge(good)).some((f) => f.status !== 'pass')) throw new Error('the good page does not pass every rule')
write(path.join(RULES, 'PERF-001', 'pass'), good)
for (const [rule, name, a, e = {}] of cases) {
  const findings = await judge(a)
  const own = findings.filter((f) => f.ruleId === rule)
  const want = name.startsWith('fail') ? 'fail' : ((e.status as string) ?? 'pass')
  if (!own.some((f) => f.status === want)) throw new Error(`${rule}/${name}: ${JSON.stringify(own)}`)
  const also = [...new Set(findings.filter((f) => f.status === 'fail' && f.ruleId !== rule).map((f) => f.ruleId))].sort()
  const errors = [...new Set(findings.filter((f) => f.status === 'error').map((f) => f.ruleId))].sort()
  write(path.join(RULES, rule, name), a)
  const entry = {...e, ...(also.length ? {also} : {}), ...(errors.length ? {errors} : {})}
  if (Object.keys(entry).length) expectations.get(rule)![name] = entry
}
for (const [rule, e] of expectations) {
  const head = `# Generated by test/perf/make-fixtures.ts; do not edit by hand. Each folder holds one\n# lighthouse.artifacts.json; the passing one is PERF-001/pass (a good page over three runs).\n`
  writeFileSync(path.join(RULES, rule, 'expect.yaml'), head + (Object.keys(e).length ? YAML.stringify(e, {lineWidth: 0}) : '{}\n'))
}
rmSync(tmp, {recursive: true, force: true})
console.log(`wrote ${cases.length + 1} artifact folders`)
