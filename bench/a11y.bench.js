// Wall time of `sjt check a11y` over the sample app's site (entry, elder entry, two service
// pages, privacy policy; served on loopback at /m/) vs `pa11y-ci` with the axe runner on the same
// five URLs and the same Chromium. Runs are interleaved (A B A B …); medians and the ratio
// sjt / pa11y-ci are printed. Goal: ≤ 0.7×.
//   node bench/a11y.bench.js [runs]      (after `npm run build` and `npm run bench:setup`)
import {createReadStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {ANCHORS, interleave, printMachine, ROOT, timeAsync} from './lib.js'

const SITE = path.join(ROOT, 'fixtures', 'apps', 'sample', 'site')
const SAMPLE = path.join(ROOT, 'fixtures', 'apps', 'sample')
const PA11Y = path.join(ANCHORS, 'pa11y-ci')
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium'
const PAGES = ['', 'elder/', 'withdraw.html', 'certificate.html', 'privacy.html']

/** The sample site at /m/ on 127.0.0.1 (async: the timed commands run as child processes). */
function serveSite() {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    if (!u.pathname.startsWith('/m/')) return res.writeHead(404).end()
    let file = path.join(SITE, decodeURIComponent(u.pathname.slice(3)))
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html')
    if (!file.startsWith(SITE) || !existsSync(file)) return res.writeHead(404).end()
    res.writeHead(200, {'content-type': file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/html; charset=utf-8'})
    createReadStream(file).pipe(res)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

export async function run(runs = Number(process.argv[2]) || 5) {
  if (!existsSync(PA11Y)) throw new Error(`pa11y-ci is not installed at ${PA11Y}: run npm run bench:setup`)
  if (!existsSync(path.join(ROOT, 'dist', 'commands'))) throw new Error('sjt is not built: run npm run build')
  printMachine()
  const server = await serveSite()
  const base = `http://127.0.0.1:${server.address().port}/m/`
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-a11y-'))
  const config = path.join(tmp, 'pa11yci.json')
  writeFileSync(
    config,
    JSON.stringify({
      defaults: {runners: ['axe'], standard: 'WCAG2AA', timeout: 30000, chromeLaunchConfig: {executablePath: CHROME, args: ['--no-sandbox', '--headless=new']}},
      urls: PAGES.map((p) => base + p),
    }),
  )
  try {
    const sjt = () => timeAsync(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'check', 'a11y', SAMPLE, '--url', base, '--json', '--out', tmp, '--chrome-path', CHROME])
    const anchor = () => timeAsync(PA11Y, ['--config', config])
    // One warm-up each (disk cache, Chromium's first start), not counted.
    const w1 = await sjt()
    const w2 = await anchor()
    if (w1.code !== 0) throw new Error(`sjt check a11y exited ${w1.code}: ${w1.out.slice(0, 500)}`)
    if (w2.code !== 0) throw new Error(`pa11y-ci exited ${w2.code}: ${w2.out.slice(0, 500)}`)
    const r = await interleave(
      runs,
      async () => (await sjt()).ms,
      async () => (await anchor()).ms,
    )
    const result = {name: `sjt check a11y, sample site (${PAGES.length} pages) vs pa11y-ci --runner axe`, sjt: r.a, anchor: r.b, anchorName: 'pa11y-ci 4.1.1 (axe)', ratio: r.a / r.b, unit: 'ms', goal: '≤ 0.7×', met: r.a / r.b <= 0.7, samples: {sjt: r.samplesA, anchor: r.samplesB}}
    console.log(`sjt check a11y: median ${Math.round(r.a)} ms  (${r.samplesA.map(Math.round).join(', ')})`)
    console.log(`pa11y-ci (axe): median ${Math.round(r.b)} ms  (${r.samplesB.map(Math.round).join(', ')})`)
    console.log(`ratio sjt / pa11y-ci: ${(r.a / r.b).toFixed(2)}× (goal ≤ 0.7×)`)
    return result
  } finally {
    server.close()
    rmSync(tmp, {recursive: true, force: true})
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
