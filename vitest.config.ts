// Two projects: `unit` (no child processes, no browser: `npm run test:unit`, the fast lane) and
// `integration` (spawns the built CLI, openssl, bash, PostgreSQL or Chromium). A test file is
// integration when it, or a helper under test/ it imports, uses one of those; so a new test lands
// in the right lane by what it does. `npm test` runs both.
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {defineConfig} from 'vitest/config'
import {BaseSequencer, type TestSpecification} from 'vitest/node'

const ROOT = path.dirname(fileURLToPath(import.meta.url))
const OUT_OF_PROCESS = /\bnode:child_process\b|\bsjt\(|\bBIN\b|puppeteer|launchBrowser|lighthouse|gather\/page|pg-cluster/
// Helpers whose import alone starts nothing (test/helpers/cli.ts also exports ROOT): the importing
// file's own use of sjt(…) or BIN decides.
const NEUTRAL = new Set(['test/helpers/cli'])

function testFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.ts') ? [p] : []
  })
}

const seen = new Map<string, boolean>()
/** Whether the file or a helper it imports from test/ starts processes or a browser. */
function outOfProcess(file: string): boolean {
  if (seen.has(file)) return seen.get(file)!
  seen.set(file, false)
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return false
  }
  let result = OUT_OF_PROCESS.test(text)
  for (const m of text.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)) {
    if (result) break
    const target = path.resolve(path.dirname(file), m[1]).replace(/\.js$/, '')
    if (!target.startsWith(path.join(ROOT, 'test')) || NEUTRAL.has(path.relative(ROOT, target).split(path.sep).join('/'))) continue
    for (const ext of ['.ts', '.js', '']) {
      try {
        readFileSync(target + ext)
      } catch {
        continue
      }
      result = outOfProcess(target + ext)
      break
    }
  }
  seen.set(file, result)
  return result
}

const all = testFiles(path.join(ROOT, 'test')).map((f) => path.relative(ROOT, f).split(path.sep).join('/')).sort()
const integration = all.filter((f) => outOfProcess(path.join(ROOT, f)))
const unit = all.filter((f) => !integration.includes(f))

// Files that drive Chromium (Lighthouse, axe, PDF, logins): project `browser`, part of the
// integration lane (`npm run test:integration` runs both). All projects share one pool of two
// forks (vitest's forks pool takes its size from the root options, not from a project's), so on a
// 2-core machine at most two test files, and so at most two browsers, run at once; Lighthouse runs
// take a machine-wide lock of their own (src/lib/serial.ts). The projects run in one group, so
// no fork idles at a barrier between them while the other finishes a long file.
const BROWSER = [
  'test/perf/lighthouse.test.ts',
  'test/perf/faults.test.ts',
  'test/browser/**/*.test.ts',
  'test/auth/**/*.test.ts',
  'test/report/picture.test.ts',
  'test/docs/commands.test.ts',
  'test/docs/every-command.test.ts',
  'test/rules/a11y.test.ts',
  'test/rules/elder.test.ts',
]

// What a file needed in a full run on a 2-core machine, in seconds (rounded; re-measure with
// `npx vitest run --reporter=json --outputFile=…`). The longest files start first so that the run
// does not end with one fork working through a long file while the other idles. A file's own
// duration from vitest's cache (the last local run) wins; files not listed start after these.
const EXPECTED_SECONDS: Record<string, number> = {
  'test/auth/kinds.test.ts': 180,
  'test/rules/elder.test.ts': 170,
  'test/browser/console.test.ts': 90,
  'test/rules/a11y.test.ts': 60,
  'test/perf/lighthouse.test.ts': 140,
  'test/perf/faults.test.ts': 135,
  'test/auth/sample-login.test.ts': 110,
  'test/review/queue.test.ts': 65,
  'test/browser/cli.test.ts': 55,
  'test/report/picture.test.ts': 45,
  'test/browser/faults.test.ts': 40,
  'test/docs/commands.test.ts': 40,
  'test/docs/every-command.test.ts': 150,
}

// Files whose Lighthouse runs take most of their time. Lighthouse runs take a machine-wide lock
// (src/lib/serial.ts): two such files side by side would mostly wait for each other, so the order
// alternates them with other long files.
const LIGHTHOUSE = new Set(['test/perf/lighthouse.test.ts', 'test/perf/faults.test.ts', 'test/auth/sample-login.test.ts'])

class LongestFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const cache = this.ctx.cache
    const name = (spec: TestSpecification) => path.relative(ROOT, spec.moduleId).split(path.sep).join('/')
    const seconds = (spec: TestSpecification): number => {
      const cached = cache.getFileTestResults(`${spec.project.name}:${name(spec)}`)
      return cached && !cached.failed ? cached.duration / 1000 : (EXPECTED_SECONDS[name(spec)] ?? 0)
    }
    // Stable: among files with no figure the base order (failed first, then larger files) stays.
    const byTime = sorted.map((spec, i) => ({spec, i, s: seconds(spec)})).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.spec)
    const lh = byTime.filter((spec) => LIGHTHOUSE.has(name(spec)))
    const rest = byTime.filter((spec) => !LIGHTHOUSE.has(name(spec)))
    const out: TestSpecification[] = []
    while (lh.length > 0 || rest.length > 0) {
      if (lh.length > 0) out.push(lh.shift()!)
      if (rest.length > 0) out.push(rest.shift()!)
    }
    return out
  }
}

export default defineConfig({
  test: {
    // Fails the run when a test wrote into the checkout (reports/, .sjt-outbox/, tracked files).
    globalSetup: ['test/helpers/checkout-guard.ts'],
    // Budgets: the slowest single test needs ≈ 40 s alone on an idle 2-core machine (test/perf);
    // a test that spawns sjt ten times needs ≈ 16 s of CPU. 180 s per test and 300 s per hook hold
    // on a loaded machine (4-10× slower); a test needing more says so itself.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    poolOptions: {forks: {maxForks: 2, minForks: 1}},
    sequence: {sequencer: LongestFirst},
    projects: [
      {extends: true, test: {name: 'unit', include: unit, exclude: BROWSER}},
      {extends: true, test: {name: 'integration', include: integration, exclude: BROWSER}},
      {extends: true, test: {name: 'browser', include: BROWSER}},
    ],
  },
})
