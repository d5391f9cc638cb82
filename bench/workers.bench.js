// Re-checks on the job queue: 60 published apps (copies of the sample app: manifest + contract +
// a11y + security, every response of the loopback server held back SJT_BENCH_LATENCY_MS, default
// 100), all enqueued at once, taken by 1 vs 3 `sjt worker` processes (--concurrency 1 each) on a
// throwaway PostgreSQL. Prints the wall time until the 60th record, the speed-up, and where the
// time goes: CPU seconds of each worker process tree (node + its Chromium), of PostgreSQL, and of
// the loopback server (this process), against the machine's cores.
//   node bench/workers.bench.js [rounds] [apps]
import {spawn} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {median, printMachine, ROOT} from './lib.js'
import {treeMemory} from './perf.bench.js'

const LATENCY_MS = Number(process.env.SJT_BENCH_LATENCY_MS ?? 100)
const CATEGORIES = ['manifest', 'contract', 'a11y', 'security']
const dist = (p) => import(pathToFileURL(path.join(ROOT, 'dist', p)).href)

async function latentServer(delayMs) {
  const {handler} = await import(pathToFileURL(path.join(ROOT, 'fixtures/apps/sample/server/index.js')).href)
  const server = http.createServer((req, res) => setTimeout(() => handler(req, res), delayMs))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}

const appId = (i) => `bench-app-${String(i).padStart(2, '0')}`

function makeApps(dir, count, origin) {
  const sample = path.join(ROOT, 'fixtures', 'apps', 'sample')
  const manifest = readFileSync(path.join(sample, 'sjt.yaml'), 'utf8')
    .replace('entry: https://gjj.taiyuan.gov.cn/m/', `entry: ${origin}/m/`)
    .replace('elderEntry: https://gjj.taiyuan.gov.cn/m/elder/', `elderEntry: ${origin}/m/elder/`)
    .replace('health: https://gjj.taiyuan.gov.cn/api/healthz', `health: ${origin}/api/healthz`)
  const apps = path.join(dir, 'apps')
  for (let i = 0; i < count; i++) {
    const d = path.join(apps, appId(i))
    mkdirSync(d, {recursive: true})
    cpSync(path.join(sample, 'openapi.yaml'), path.join(d, 'openapi.yaml'))
    writeFileSync(path.join(d, 'sjt.yaml'), manifest.replace('id: ty-gjj-withdraw', `id: ${appId(i)}`))
  }
  const config = path.join(dir, 'sjt.config.yaml')
  const queue = {recheckCron: '0 0 1 1 *', categories: CATEGORIES, retryLimit: 1, retryDelaySeconds: 1, expireSeconds: 3600, pollSeconds: 0.5, monitorIntervalSeconds: 43200}
  writeFileSync(config, JSON.stringify({apiBase: `${origin}/api`, queue}, null, 2) + '\n')
  return {apps, config}
}

async function publish(store, template, count) {
  const {hashToken, newToken} = await dist('review/server.js')
  const {newId} = await dist('review/store.js')
  const {finalizeDocument} = await dist('core/run.js')
  const token = async (role, creditCode) => {
    const id = newId('tok')
    await store.createToken({id, hash: hashToken(newToken(role)), role, creditCode, label: 'bench', createdAt: new Date().toISOString(), revokedAt: null})
    return id
  }
  const code = template.app.creditCode
  const sub = await token('submitter', code)
  const rev = await token('reviewer', null)
  for (let i = 0; i < count; i++) {
    const d = structuredClone(template)
    d.app.id = appId(i)
    d.manifest.app.id = appId(i)
    delete d.digest
    const doc = finalizeDocument(d)
    const out = await store.createSubmission({
      scope: `submitter:${code}`,
      key: null,
      requestHash: doc.digest.value,
      appId: doc.app.id,
      appName: doc.app.name,
      appVersion: doc.app.version,
      creditCode: code,
      regionCode: '140100',
      verdict: doc.verdict,
      digest: doc.digest.value,
      document: JSON.stringify(doc),
      entryUrl: doc.manifest.app.entry,
      elderUrl: doc.manifest.app.elderEntry,
      healthUrl: doc.manifest.monitoring.health,
      actor: {role: 'submitter', tokenId: sub},
    })
    const at = new Date().toISOString()
    await store.decide(out.body.id, {decision: 'approve', comment: 'bench', override: doc.verdict === 'fail', actor: {role: 'reviewer', tokenId: rev}, at})
    await store.act(doc.app.id, {action: 'publish', reason: null, actor: {role: 'reviewer', tokenId: rev}, at})
  }
}

function pidOf(file) {
  try {
    return Number(readFileSync(file, 'utf8').split('\n')[0])
  } catch {
    return 0
  }
}

/** One measurement: a fresh database, `count` re-checks enqueued, `processes` workers until the last record. */
async function measure({cluster, template, apps, config, count, processes}) {
  const url = cluster.createDatabase('sjt_bench')
  const {openPgStore} = await dist('review/store-pg.js')
  const store = await openPgStore(url)
  await publish(store, template, count)
  const {openQueue, loadQueueSettings} = await dist('review/queue/index.js')
  const {fanOutRechecks} = await dist('review/queue/scheduler.js')
  const settings = loadQueueSettings(config, 'en')
  const q = await openQueue(url, settings, {scheduler: false})
  const sent = await fanOutRechecks(q.boss, q.pool, 'bench')
  if (sent.sent !== count) throw new Error(`enqueued ${sent.sent} of ${count}`)
  const postmaster = pidOf(path.join(cluster.dir, 'data', 'postmaster.pid'))
  const pgBefore = treeMemory(postmaster).cpuMs
  const selfBefore = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const workers = Array.from({length: processes}, () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/run.js'), 'worker', '--db', url, '--apps', apps, '--concurrency', '1', '--config', config], {
      cwd: path.dirname(apps),
      env: {...process.env, LANG: 'en_US.UTF-8'},
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    const w = {child, cpuMs: 0, err: '', exited: new Promise((r) => child.on('exit', r))}
    child.stderr.on('data', (d) => (w.err = (w.err + d).slice(-4000)))
    return w
  })
  const sample = () => {
    for (const w of workers) w.cpuMs = Math.max(w.cpuMs, treeMemory(w.child.pid).cpuMs)
  }
  // Each sample walks /proc (its CPU is counted as this process's, "loopback server"): once a second.
  const timer = setInterval(sample, 1000)
  let done = 0
  try {
    for (;;) {
      done = Number((await q.pool.query('SELECT COUNT(*) AS n FROM sjt_rechecks')).rows[0].n)
      if (done >= count) break
      const failed = Number((await q.pool.query(`SELECT COUNT(*) AS n FROM sjt_job_errors`)).rows[0].n)
      if (failed) throw new Error(`a re-check failed: ${(await q.pool.query('SELECT error FROM sjt_job_errors LIMIT 1')).rows[0].error}`)
      if (workers.every((w) => w.child.exitCode !== null)) throw new Error(`the workers exited: ${workers[0].err}`)
      await new Promise((r) => setTimeout(r, 500))
    }
  } finally {
    sample()
    clearInterval(timer)
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  const self = process.cpuUsage(selfBefore)
  const pgCpuMs = treeMemory(postmaster).cpuMs - pgBefore
  const perWorker = (await q.pool.query('SELECT worker, COUNT(*) AS n FROM sjt_job_records GROUP BY worker ORDER BY worker')).rows.map((r) => Number(r.n))
  for (const w of workers) w.child.kill('SIGTERM')
  await Promise.all(workers.map((w) => w.exited))
  await q.close()
  await store.close()
  return {ms, workerCpuMs: workers.map((w) => w.cpuMs), pgCpuMs, serverCpuMs: (self.user + self.system) / 1000, perWorker}
}

export async function run(rounds = Number(process.argv[2]) || 1, count = Number(process.argv[3]) || 60) {
  if (!existsSync(path.join(ROOT, 'dist', 'commands', 'worker.js'))) throw new Error('sjt is not built: run npm run build')
  printMachine()
  const {startPgCluster} = await import(pathToFileURL(path.join(ROOT, 'test', 'review', 'pg-cluster.js')).href)
  const cluster = await startPgCluster()
  const server = await latentServer(LATENCY_MS)
  const work = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-workers-'))
  try {
    const {apps, config} = makeApps(work, count, server.origin)
    const {loadConfig} = await dist('core/config.js')
    const {buildOptions} = await dist('cli/check.js')
    const {runCheck} = await dist('core/run.js')
    const first = path.join(apps, appId(0))
    const options = buildOptions({profile: 'shanxi-2022', json: true}, loadConfig(first, 'en').config, 'en', path.join(first, 'sjt.yaml'))
    options.progress = undefined
    const template = (await runCheck(options, CATEGORIES)).doc
    const one = []
    const three = []
    const cores = os.cpus().length
    const where = (x) =>
      `${Math.round(x.ms)} ms wall; CPU s per worker process ${x.workerCpuMs.map((c) => (c / 1000).toFixed(1)).join(' + ')}, PostgreSQL ${(x.pgCpuMs / 1000).toFixed(1)}, bench process (loopback server, /proc sampling) ${(x.serverCpuMs / 1000).toFixed(1)} → ${((x.workerCpuMs.reduce((a, b) => a + b, 0) + x.pgCpuMs + x.serverCpuMs) / x.ms).toFixed(2)} of ${cores} cores busy; jobs per process ${x.perWorker.join('/')}`
    for (let i = 0; i < rounds; i++) {
      one.push(await measure({cluster, template, apps, config, count, processes: 1}))
      console.log(`round ${i + 1}, 1 worker process:   ${where(one[i])}`)
      three.push(await measure({cluster, template, apps, config, count, processes: 3}))
      console.log(`round ${i + 1}, 3 worker processes: ${where(three[i])}`)
    }
    const m1 = median(one.map((x) => x.ms))
    const m3 = median(three.map((x) => x.ms))
    const result = {
      name: `workers: ${count} apps (${CATEGORIES.join('+')}, ${LATENCY_MS} ms server latency) on the PostgreSQL queue, 3 worker processes vs 1 (speed-up)`,
      sjt: Math.round(m3),
      anchor: Math.round(m1),
      anchorName: '1 worker process',
      ratio: m1 / m3,
      unit: 'ms',
      goal: `a figure: ${cores} cores`,
    }
    console.log(`${result.name}: ${result.sjt} ms vs ${result.anchor} ms → ${result.ratio.toFixed(2)}×`)
    return result
  } finally {
    await server.close()
    cluster.stop()
    rmSync(work, {recursive: true, force: true})
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
