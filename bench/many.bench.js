// Checking a folder of 20 apps (temporary copies of the sample app: manifest + contract, entry on
// the sample site served on loopback, each response delayed by SJT_BENCH_LATENCY_MS, default 100) with `--concurrency 2` vs `--concurrency 1`, categories that
// do not need Lighthouse (manifest, contract, a11y by default). Interleaved rounds; medians, the
// speed-up, and the peak memory (PSS of node + Chromium, sampled from /proc).
// Goal: ≥ 1.6× faster with 2 at once; peak memory ≤ 1.5 GiB.
//   node bench/many.bench.js [rounds] [categories]     e.g. node bench/many.bench.js 2 manifest,contract
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {median, printMachine, ROOT} from './lib.js'
import {measured} from './perf.bench.js'

const APPS = 20
const GiB = 2 ** 30
// Real apps answer from across the network: every response of the sample server is held back
// this long (the time to first byte of a provincial server seen from a CI runner).
const LATENCY_MS = Number(process.env.SJT_BENCH_LATENCY_MS ?? 100)

/** The sample app's server (site at /m/, API at /api) over plain HTTP, each response delayed. */
async function latentServer(delayMs) {
  const {handler} = await import(pathToFileURL(path.join(ROOT, 'fixtures/apps/sample/server/index.js')).href)
  const server = http.createServer((req, res) => setTimeout(() => handler(req, res), delayMs))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${server.address().port}`
  return {
    entry: origin + '/m/',
    apiBase: origin + '/api',
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}

function makeApps(dir) {
  const sample = path.join(ROOT, 'fixtures', 'apps', 'sample')
  const manifest = readFileSync(path.join(sample, 'sjt.yaml'), 'utf8')
  for (let i = 0; i < APPS; i++) {
    const d = path.join(dir, `app-${String(i).padStart(2, '0')}`)
    mkdirSync(d, {recursive: true})
    cpSync(path.join(sample, 'openapi.yaml'), path.join(d, 'openapi.yaml'))
    writeFileSync(path.join(d, 'sjt.yaml'), manifest.replace('id: ty-gjj-withdraw', `id: bench-app-${i}`))
  }
}

export async function run(rounds = Number(process.argv[2]) || 2, categories = process.argv[3] || 'manifest,contract,a11y') {
  if (!existsSync(path.join(ROOT, 'dist', 'commands'))) throw new Error('sjt is not built: run npm run build')
  printMachine()
  const server = await latentServer(LATENCY_MS)
  const work = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-many-'))
  const apps = path.join(work, 'apps')
  makeApps(apps)
  const cats = categories.split(',').filter(Boolean)
  // One command over all categories asked for: `sjt check` runs every category, so name them.
  const once = async (concurrency, i) => {
    const out = path.join(work, `out-${concurrency}-${i}`)
    const times = []
    let cpuMs = 0
    let peakPss = 0
    let code = 0
    for (const c of cats) {
      const args = [path.join(ROOT, 'bin/run.js'), 'check', c, apps, '--concurrency', String(concurrency), '--url', server.entry, '--api-base', server.apiBase, '--json', '--out', out]
      const r = await measured(process.execPath, args)
      if (r.code === 2 || r.code === 70) throw new Error(`sjt check ${c} exited ${r.code}: ${r.out.slice(-400)}`)
      times.push(r.ms)
      cpuMs += r.cpuMs
      peakPss = Math.max(peakPss, r.peakPss)
      code = Math.max(code, r.code)
    }
    return {ms: times.reduce((a, b) => a + b, 0), cpuMs, peakPss, code}
  }
  const one = []
  const two = []
  try {
    for (let i = 0; i < rounds; i++) {
      one.push(await once(1, i))
      two.push(await once(2, i))
      // Where the time goes: CPU seconds of sjt + Chromium, and how many of the cores they kept busy.
      const busy = (x) => `${Math.round(x.ms)} ms wall, ${(x.cpuMs / 1000).toFixed(1)} s CPU (${(x.cpuMs / x.ms).toFixed(2)} of ${os.cpus().length} cores)`
      console.log(`round ${i + 1}: --concurrency 1 ${busy(one[i])} · --concurrency 2 ${busy(two[i])}`)
    }
  } finally {
    await server.close()
    rmSync(work, {recursive: true, force: true})
  }
  const m1 = median(one.map((x) => x.ms))
  const m2 = median(two.map((x) => x.ms))
  // Why two at once cannot beat a bound: with --concurrency 1 the process tree (node and the
  // Chromium processes, which work in parallel with node) already keeps `busy1` cores busy, so the
  // CPU seconds at 2 (× cpuRatio, the cost of sharing caches and memory) take at least cpu2/cores:
  // speed-up = T1/T2 ≤ cores / (busy1 × cpuRatio), and ≤ 2.
  const cores = os.cpus().length
  const busy1 = median(one.map((x) => x.cpuMs / x.ms))
  const cpuRatio = median(two.map((x) => x.cpuMs)) / median(one.map((x) => x.cpuMs))
  const bound = Math.min(2, cores / (busy1 * cpuRatio))
  console.log(
    `profile: --concurrency 1 keeps ${busy1.toFixed(2)} of ${cores} cores busy; CPU seconds at 2 vs 1: ${cpuRatio.toFixed(2)}×; ` +
      `bound on the speed-up from CPU alone: ${bound.toFixed(2)}× (${cores} cores / (${busy1.toFixed(2)} × ${cpuRatio.toFixed(2)}))${bound < 1.6 ? ' — below 1.6×: the cores, not sjt, are the limit' : ''}`,
  )
  const peak = Math.max(...two.map((x) => x.peakPss))
  const results = [
    {name: `many: ${APPS} apps (${cats.join('+')}, ${LATENCY_MS} ms server latency), --concurrency 2 vs 1 (speed-up)`, sjt: Math.round(m2), anchor: Math.round(m1), anchorName: '--concurrency 1', ratio: m1 / m2, unit: 'ms', goal: '≥ 1.6× (ratio = time at 1 / time at 2)', met: m1 / m2 >= 1.6},
    {name: `many: bound on the --concurrency 2 speed-up from CPU (cores / (cores busy at 1 × CPU seconds at 2 / at 1))`, sjt: bound, anchor: m1 / m2, anchorName: 'measured speed-up', ratio: (m1 / m2) / bound, unit: '×', goal: 'measured close to the bound (ratio near 1)'},
    {name: `many: peak memory (PSS) with --concurrency 2 (MiB)`, sjt: Math.round(peak / 2 ** 20), anchor: Math.round(Math.max(...one.map((x) => x.peakPss)) / 2 ** 20), anchorName: '--concurrency 1', ratio: peak / Math.max(...one.map((x) => x.peakPss)), unit: 'MiB', goal: '≤ 1.5 GiB', met: peak <= 1.5 * GiB},
  ]
  for (const r of results) console.log(`${r.name}: ${r.sjt} ${r.unit} vs ${r.anchorName} ${r.anchor} ${r.unit} → ${r.ratio.toFixed(2)}× (goal ${r.goal}: ${r.met ? 'met' : 'not met'})`)
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
