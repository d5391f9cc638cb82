// The whole job on the sample app: `sjt check` with all six categories (3 Lighthouse runs per
// page) vs what users run today one after another on the same app — `lhci collect` (3 runs) +
// `lhci assert`, `pa11y-ci` (axe) over the same pages, `spectral lint` (spectral:oas) on the
// contract — and vs the bare 3 Lighthouse runs in one process (the limit).
// Goals: ≤ 0.6× the tools' sum; ≤ 1.2× the bare Lighthouse runs.
//   node bench/full.bench.js [rounds]      (after `npm run build` and `npm run bench:setup`)
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {ANCHORS, median, printMachine, ROOT} from './lib.js'
import {measured} from './perf.bench.js'

const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium'
const SAMPLE = path.join(ROOT, 'fixtures', 'apps', 'sample')
const PAGES = ['', 'elder/', 'withdraw.html', 'certificate.html', 'privacy.html']
const FLAGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--ignore-certificate-errors']

// The limit: Lighthouse itself, 3 runs on the entry and 3 on the elder entry, one Chromium.
const LIMIT = `
import puppeteer from 'puppeteer-core'
import lighthouse from 'lighthouse'
const [url, elder, chrome, runs] = process.argv.slice(2)
const browser = await puppeteer.launch({executablePath: chrome, args: ${JSON.stringify(FLAGS)}, acceptInsecureCerts: true})
const port = Number(new URL(browser.wsEndpoint()).port)
for (const u of [url, elder]) for (let i = 0; i < Number(runs); i++) {
  const r = await lighthouse(u, {port, output: 'json', logLevel: 'silent', onlyCategories: ['performance'], formFactor: 'mobile'})
  if (!r?.lhr?.audits['largest-contentful-paint']?.numericValue) console.error('no LCP on ' + u + ': ' + (r?.lhr?.runtimeError?.code ?? 'unknown'))
}
await browser.close()
`

export async function run(rounds = Number(process.argv[2]) || 3) {
  for (const bin of ['lhci', 'pa11y-ci', 'spectral']) if (!existsSync(path.join(ANCHORS, bin))) throw new Error(`${bin} is not installed: run npm run bench:setup`)
  if (!existsSync(path.join(ROOT, 'dist', 'commands'))) throw new Error('sjt is not built: run npm run build')
  printMachine()
  const {startSampleServer} = await import(pathToFileURL(path.join(SAMPLE, 'server', 'index.js')).href)
  const server = await startSampleServer({https: true})
  const entry = server.entry
  const elder = new URL('elder/', entry).toString()
  const work = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-full-'))
  const lhrc = path.join(work, 'lighthouserc.json')
  writeFileSync(
    lhrc,
    JSON.stringify({
      ci: {
        collect: {url: [entry, elder], numberOfRuns: 3, chromePath: CHROME, settings: {chromeFlags: FLAGS.join(' '), onlyCategories: ['performance']}},
        assert: {assertions: {'categories:performance': ['error', {minScore: 0.6}], 'largest-contentful-paint': ['error', {maxNumericValue: 4000}], 'cumulative-layout-shift': ['error', {maxNumericValue: 0.25}], 'total-blocking-time': ['warn', {maxNumericValue: 200}]}},
      },
    }),
  )
  const pa11yrc = path.join(work, 'pa11yci.json')
  writeFileSync(pa11yrc, JSON.stringify({defaults: {runners: ['axe'], standard: 'WCAG2AA', timeout: 30000, chromeLaunchConfig: {executablePath: CHROME, args: FLAGS}}, urls: PAGES.map((p) => new URL(p, entry).toString())}))
  writeFileSync(path.join(work, '.spectral.yaml'), 'extends: ["spectral:oas"]\n')
  const limitFile = path.join(ROOT, 'bench', `.limit-${process.pid}.mjs`)
  writeFileSync(limitFile, LIMIT)
  const A = []
  const B = []
  const C = []
  try {
    for (let i = 0; i < rounds; i++) {
      const a = await measured(process.execPath, [path.join(ROOT, 'bin/run.js'), 'check', SAMPLE, '--url', entry, '--api-base', server.apiBase, '--ca', server.caFile, '--runs', '3', '--json', '--out', path.join(work, `sjt-${i}`)], {env: {CHROME_PATH: CHROME}})
      if (a.code !== 0) throw new Error(`sjt check exited ${a.code}: ${a.out.slice(-600)}`)
      A.push(a)
      const cwd = path.join(work, `tools-${i}`)
      mkdirSync(cwd, {recursive: true})
      const steps = [
        await measured(path.join(ANCHORS, 'lhci'), ['collect', `--config=${lhrc}`], {cwd}),
        await measured(path.join(ANCHORS, 'lhci'), ['assert', `--config=${lhrc}`], {cwd}),
        await measured(path.join(ANCHORS, 'pa11y-ci'), ['--config', pa11yrc], {cwd}),
        await measured(path.join(ANCHORS, 'spectral'), ['lint', path.join(SAMPLE, 'openapi.yaml'), '--ruleset', path.join(work, '.spectral.yaml')], {cwd}),
      ]
      if (steps[0].code !== 0) throw new Error(`lhci collect exited ${steps[0].code}: ${steps[0].out.slice(-400)}`)
      if (steps[2].code !== 0) throw new Error(`pa11y-ci exited ${steps[2].code}: ${steps[2].out.slice(-400)}`)
      B.push({ms: steps.reduce((s, x) => s + x.ms, 0), peakRss: Math.max(...steps.map((x) => x.peakRss)), parts: steps.map((x) => Math.round(x.ms))})
      const c = await measured(process.execPath, [limitFile, entry, elder, CHROME, '3'])
      if (c.code !== 0) throw new Error(`limit script exited ${c.code}: ${c.out.slice(-400)}`)
      C.push(c)
      console.log(`round ${i + 1}: sjt ${Math.round(a.ms)} ms · tools ${Math.round(B[i].ms)} ms (lhci collect ${B[i].parts[0]}, assert ${B[i].parts[1]}, pa11y-ci ${B[i].parts[2]}, spectral ${B[i].parts[3]}) · bare Lighthouse ${Math.round(c.ms)} ms`)
    }
  } finally {
    await server.close()
    rmSync(limitFile, {force: true})
    rmSync(work, {recursive: true, force: true})
  }
  const ms = (xs) => median(xs.map((x) => x.ms))
  const results = [
    {name: 'full sjt check (6 categories, 3 LH runs/page) vs lhci+pa11y-ci+spectral one after another (ms)', sjt: Math.round(ms(A)), anchor: Math.round(ms(B)), anchorName: 'lhci collect -n 3 + assert + pa11y-ci + spectral lint', ratio: ms(A) / ms(B), unit: 'ms', goal: '≤ 0.6×', met: ms(A) / ms(B) <= 0.6},
    {name: 'full sjt check vs the bare 3 Lighthouse runs per page (ms)', sjt: Math.round(ms(A)), anchor: Math.round(ms(C)), anchorName: 'lighthouse 12.8.2, 3 runs × 2 pages, one process', ratio: ms(A) / ms(C), unit: 'ms', goal: '≤ 1.2×', met: ms(A) / ms(C) <= 1.2},
    {name: 'full sjt check peak RSS, node + Chromium (MiB)', sjt: Math.round(Math.max(...A.map((x) => x.peakRss)) / 2 ** 20), anchor: Math.round(Math.max(...B.map((x) => x.peakRss)) / 2 ** 20), anchorName: 'largest of the tools', ratio: Math.max(...A.map((x) => x.peakRss)) / Math.max(...B.map((x) => x.peakRss)), unit: 'MiB', goal: '≤ 1.5 GiB', met: Math.max(...A.map((x) => x.peakRss)) <= 1.5 * 2 ** 30},
  ]
  for (const r of results) console.log(`${r.name}: sjt ${r.sjt} ${r.unit} vs ${r.anchorName} ${r.anchor} ${r.unit} → ${r.ratio.toFixed(2)}× (goal ${r.goal}: ${r.met ? 'met' : 'not met'})`)
  return results
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
