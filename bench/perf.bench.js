// Wall time and peak memory of the performance check on the sample app's site (served over plain
// HTTP on loopback at /m/), three ways, interleaved (A B C A B C …):
//   A  sjt check perf --url URL --runs 3                         (what users run)
//   B  lhci collect --numberOfRuns=3 + lhci assert, same URL      (the tool people use today)
//   C  three bare Lighthouse runs in one node process, one Chrome (the limit)
// Same Chromium, same Lighthouse settings (mobile, simulated throttling, performance only; C like
// sjt without the full-page screenshot), and for B assertions equal to the PERF thresholds. Goals: A ≤ 1.0× B and A ≤ 1.2× C; peak RSS of
// the whole process tree (node + Chromium), sampled from /proc, ≤ 1.5 GiB.
//   node bench/perf.bench.js [rounds]     (after `npm run build` and `npm run bench:setup`)
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {ANCHORS, median, printMachine, ROOT} from './lib.js'

const LHCI = path.join(ANCHORS, 'lhci')
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium'
const GiB = 2 ** 30

/**
 * Memory of a process and all its descendants, in bytes (Linux /proc; 0 elsewhere): `rss` sums
 * resident sets (double-counting pages Chromium's processes share), `pss` sums proportional set
 * sizes from smaps_rollup (shared pages split between their users: the honest total). `cpuMs`
 * sums user + system time of the tree, the children already reaped included (cutime, cstime).
 */
export function treeMemory(rootPid) {
  let entries
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return {rss: 0, pss: 0, cpuMs: 0}
  }
  const parent = new Map()
  const rss = new Map()
  const cpu = new Map()
  const tick = 1000 / 100 // USER_HZ is 100 on Linux
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parent.set(Number(pid), Number(fields[1]))
      rss.set(Number(pid), Number(fields[21]) * 4096)
      cpu.set(Number(pid), (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * tick)
    } catch {
      // gone meanwhile
    }
  }
  const out = {rss: 0, pss: 0, cpuMs: 0}
  for (const [pid, bytes] of rss) {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) {
      if (p !== rootPid) continue
      out.rss += bytes
      out.cpuMs += cpu.get(pid) ?? 0
      try {
        const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
        out.pss += m ? Number(m[1]) * 1024 : bytes
      } catch {
        out.pss += bytes
      }
      break
    }
  }
  return out
}

/** Runs a command; wall time, exit code, the peak memory and the CPU time of its process tree (sampled every 150 ms). */
export function measured(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const child = spawn(cmd, args, {cwd: opts.cwd ?? ROOT, env: {...process.env, NO_COLOR: '1', ...opts.env}, stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    let peak = 0
    let peakPss = 0
    let cpuMs = 0
    const sample = () => {
      const m = treeMemory(child.pid)
      peak = Math.max(peak, m.rss)
      peakPss = Math.max(peakPss, m.pss)
      cpuMs = Math.max(cpuMs, m.cpuMs)
    }
    const timer = setInterval(sample, 150)
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('close', (code) => {
      clearInterval(timer)
      resolve({ms: Number(process.hrtime.bigint() - t0) / 1e6, code, out, peakRss: peak, peakPss, cpuMs})
    })
  })
}

/** The script of the limit: one Chrome, three Lighthouse runs, nothing else. */
const LIMIT = `
const [url, chrome, runs] = process.argv.slice(-3)
const {default: puppeteer} = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'node_modules/puppeteer-core/lib/esm/puppeteer/puppeteer-core.js')).href)})
const {default: lighthouse} = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'node_modules/lighthouse/core/index.js')).href)})
const browser = await puppeteer.launch({executablePath: chrome, headless: true, pipe: false, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0']})
const port = Number(new URL(browser.wsEndpoint()).port)
for (let i = 0; i < Number(runs); i++) {
  const r = await lighthouse(url, {port, output: 'json', logLevel: 'silent', onlyCategories: ['performance'], disableFullPageScreenshot: true})
  if (!r?.lhr?.audits['largest-contentful-paint']?.numericValue) throw new Error('no LCP')
}
await browser.close()
`

async function sampleServer() {
  const mod = await import(pathToFileURL(path.join(ROOT, 'fixtures/apps/sample/server/index.js')).href)
  return mod.startSampleServer({https: false})
}

export async function run(rounds = Number(process.argv[2]) || 3) {
  if (!existsSync(LHCI)) throw new Error(`lhci is not installed at ${LHCI}: run npm run bench:setup`)
  if (!existsSync(path.join(ROOT, 'dist', 'commands'))) throw new Error('sjt is not built: run npm run build')
  printMachine()
  const server = await sampleServer()
  const url = server.entry
  const work = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-perf-'))
  const rc = path.join(work, 'lighthouserc.json')
  writeFileSync(
    rc,
    JSON.stringify({
      ci: {
        collect: {url: [url], numberOfRuns: 3, chromePath: CHROME, settings: {chromeFlags: '--no-sandbox --headless=new --disable-gpu', onlyCategories: ['performance']}},
        assert: {
          assertions: {
            'categories:performance': ['error', {minScore: 0.6}],
            'largest-contentful-paint': ['error', {maxNumericValue: 4000}],
            'first-contentful-paint': ['warn', {maxNumericValue: 1800}],
            'cumulative-layout-shift': ['error', {maxNumericValue: 0.25}],
            'total-blocking-time': ['warn', {maxNumericValue: 200}],
            'total-byte-weight': ['warn', {maxNumericValue: 1600 * 1024}],
          },
        },
      },
    }),
  )
  const limitFile = path.join(work, 'limit.mjs')
  writeFileSync(limitFile, LIMIT)
  const A = [], B = [], C = []
  try {
    for (let i = 0; i < rounds; i++) {
      const a = await measured(process.execPath, [path.join(ROOT, 'bin/run.js'), 'check', 'perf', '--url', url, '--runs', '3', '--json', '--out', path.join(work, `sjt-${i}`)], {env: {CHROME_PATH: CHROME}})
      if (a.code !== 0 && a.code !== 1) throw new Error(`sjt exited ${a.code}: ${a.out.slice(-400)}`)
      A.push(a)
      const cwd = path.join(work, `lhci-${i}`)
      rmSync(cwd, {recursive: true, force: true})
      const fs = await import('node:fs')
      fs.mkdirSync(cwd)
      const t0 = process.hrtime.bigint()
      const col = await measured(LHCI, ['collect', `--config=${rc}`], {cwd})
      if (col.code !== 0) throw new Error(`lhci collect exited ${col.code}: ${col.out.slice(-400)}`)
      const as = await measured(LHCI, ['assert', `--config=${rc}`], {cwd})
      B.push({ms: Number(process.hrtime.bigint() - t0) / 1e6, peakRss: Math.max(col.peakRss, as.peakRss), peakPss: Math.max(col.peakPss, as.peakPss)})
      const c = await measured(process.execPath, [limitFile, url, CHROME, '3'])
      if (c.code !== 0) throw new Error(`limit script exited ${c.code}: ${c.out.slice(-400)}`)
      C.push(c)
      console.log(`round ${i + 1}: sjt ${Math.round(a.ms)} ms · lhci ${Math.round(B[i].ms)} ms · bare ${Math.round(c.ms)} ms`)
    }
  } finally {
    await server.close()
    rmSync(work, {recursive: true, force: true})
  }
  const ms = (xs) => median(xs.map((x) => x.ms))
  const rss = (xs) => Math.max(...xs.map((x) => x.peakRss))
  const pss = (xs) => Math.max(...xs.map((x) => x.peakPss))
  const results = [
    {name: 'perf: sjt check perf --runs 3 vs lhci collect+assert (ms)', sjt: Math.round(ms(A)), anchor: Math.round(ms(B)), anchorName: 'lhci 0.14 collect -n 3 + assert', ratio: ms(A) / ms(B), unit: 'ms', goal: '≤ 1.0×', met: ms(A) / ms(B) <= 1.0},
    {name: 'perf: sjt check perf --runs 3 vs 3 bare Lighthouse runs (ms)', sjt: Math.round(ms(A)), anchor: Math.round(ms(C)), anchorName: 'lighthouse 12.8.2 ×3 in one process', ratio: ms(A) / ms(C), unit: 'ms', goal: '≤ 1.2×', met: ms(A) / ms(C) <= 1.2},
    {name: 'perf: peak memory (PSS), node + Chromium (MiB)', sjt: Math.round(pss(A) / 2 ** 20), anchor: Math.round(pss(B) / 2 ** 20), anchorName: 'lhci collect', ratio: pss(A) / pss(B), unit: 'MiB', goal: '≤ 1.5 GiB', met: pss(A) <= 1.5 * GiB},
    {name: 'perf: peak RSS sum, node + Chromium (MiB; counts shared pages per process)', sjt: Math.round(rss(A) / 2 ** 20), anchor: Math.round(rss(B) / 2 ** 20), anchorName: 'lhci collect', ratio: rss(A) / rss(B), unit: 'MiB', goal: '≤ 1.5 GiB', met: rss(A) <= 1.5 * GiB},
  ]
  for (const r of results) console.log(`${r.name}: sjt ${r.sjt} ${r.unit} vs ${r.anchorName} ${r.anchor} ${r.unit} → ${r.ratio.toFixed(2)}× (goal ${r.goal}: ${r.met ? 'met' : 'not met'})`)
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
