// Review API throughput and latency: sjt review-server vs a bare fastify endpoint that inserts
// the body (bench/review-anchor.js), both in their own process on loopback, same machine, same
// durability. Load: 50 KB result documents (each one distinct, with a valid digest), 2 client
// connections with keep-alive, each sending the next request when the last one answered.
// Rounds alternate sjt / anchor; the median round is reported. On SQLite and on PostgreSQL (a
// throwaway cluster with the default, durable settings).
// Goals: ≥ 0.7× the anchor's submissions per second; p99 ≤ 25 ms.
// `node bench/review.bench.js` (after npm run build; the anchors: npm run bench:setup).
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {median, percentile, printMachine, ROOT} from './lib.js'

const SIZE = 50 * 1024
const CONNECTIONS = 2
const APPS = 40

function sampleDocs(n, computeDigest) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-review-'))
  const base = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin/run.js'), 'check', 'manifest', path.join(ROOT, 'fixtures/apps/sample'), '--json', '--out', out], {encoding: 'utf8'}))
  rmSync(out, {recursive: true, force: true})
  const pad = Math.max(0, SIZE - JSON.stringify(base).length - 200)
  const docs = []
  for (let i = 0; i < n; i++) {
    const d = structuredClone(base)
    // A burst from many departments' apps, as the province sees it (40 apps in turn); one app's
    // submissions serialise on its row, which is the point of keeping its state consistent.
    d.app.id = `${base.app.id}-${i % APPS}`
    d.app.version = `1.${Math.floor(i / 1000)}.${i % 1000}`
    d.metrics.bench = {i, padding: 'x'.repeat(pad)}
    d.digest = {alg: 'sha256', value: computeDigest(d)}
    docs.push(JSON.stringify(d))
  }
  return docs
}

function startProcess(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore']})
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('\n')) resolve({child, url: out.split('\n')[0].trim()})
    })
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)))
  })
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** Send `docs` over CONNECTIONS keep-alive connections; per-request latency and throughput. */
async function load(url, docs, headers) {
  const agent = new http.Agent({keepAlive: true, maxSockets: CONNECTIONS})
  const u = new URL(url + '/v1/submissions')
  const lat = []
  let next = 0
  let failed = 0
  const one = (body, key) =>
    new Promise((resolve) => {
      const t0 = process.hrtime.bigint()
      const req = http.request({host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Idempotency-Key': key, ...headers}}, (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode !== 201) failed++
          lat.push(Number(process.hrtime.bigint() - t0) / 1e6)
          resolve()
        })
      })
      req.on('error', () => {
        failed++
        resolve()
      })
      req.end(body)
    })
  const t0 = process.hrtime.bigint()
  await Promise.all(
    Array.from({length: CONNECTIONS}, async () => {
      while (next < docs.length) {
        const i = next++
        await one(docs[i], `bench-${i}-${Math.random()}`)
      }
    }),
  )
  const s = Number(process.hrtime.bigint() - t0) / 1e9
  agent.destroy()
  return {rps: docs.length / s, p99: percentile(lat, 99), p50: percentile(lat, 50), failed}
}

async function sjtServer(store, tokenOf) {
  return async () => {
    const args = [path.join(ROOT, 'bin/run.js'), 'review-server', ...store.args, '--port', '0', '--rate-limit', '0']
    const {child, url} = await startProcess(process.execPath, args)
    return {child, url, headers: {Authorization: `Bearer ${tokenOf}`}}
  }
}

async function compare(label, startSjt, startAnchor, docs, rounds) {
  const a = []
  const b = []
  const per = Math.floor(docs.length / (2 * rounds))
  for (let r = 0; r < rounds; r++) {
    const sliceA = docs.slice(2 * r * per, (2 * r + 1) * per)
    const sliceB = docs.slice((2 * r + 1) * per, (2 * r + 2) * per)
    const s = await startSjt()
    await load(s.url, sliceA.slice(0, 100), s.headers) // warm-up (JIT, connections, first pages)
    a.push(await load(s.url, sliceA.slice(100), s.headers))
    await stop(s.child)
    const f = await startAnchor()
    await load(f.url, sliceB.slice(0, 100), {})
    b.push(await load(f.url, sliceB.slice(100), {}))
    await stop(f.child)
  }
  const med = (xs, k) => median(xs.map((x) => x[k]))
  const res = {sjtRps: med(a, 'rps'), anchorRps: med(b, 'rps'), sjtP99: med(a, 'p99'), anchorP99: med(b, 'p99'), sjtP50: med(a, 'p50'), failed: a.reduce((n, x) => n + x.failed, 0) + b.reduce((n, x) => n + x.failed, 0)}
  console.log(
    `${label}: sjt ${res.sjtRps.toFixed(0)} req/s (p50 ${res.sjtP50.toFixed(2)} ms, p99 ${res.sjtP99.toFixed(2)} ms) vs fastify ${res.anchorRps.toFixed(0)} req/s (p99 ${res.anchorP99.toFixed(2)} ms) → ${(res.sjtRps / res.anchorRps).toFixed(2)}×${res.failed ? `  (${res.failed} requests failed)` : ''}`,
  )
  return [
    {name: `review submissions/s (${label}, 50 KB, ${CONNECTIONS} connections)`, sjt: Math.round(res.sjtRps), anchor: Math.round(res.anchorRps), anchorName: `fastify + ${label === 'SQLite' ? 'better-sqlite3' : 'pg'}`, ratio: res.sjtRps / res.anchorRps, unit: 'req/s', goal: '≥ 0.7×', met: res.sjtRps / res.anchorRps >= 0.7},
    {name: `review p99 latency (${label}, 50 KB, ${CONNECTIONS} connections)`, sjt: Math.round(res.sjtP99 * 100) / 100, anchor: Math.round(res.anchorP99 * 100) / 100, anchorName: `fastify + ${label === 'SQLite' ? 'better-sqlite3' : 'pg'}`, ratio: res.sjtP99 / res.anchorP99, unit: 'ms', goal: '≤ 25 ms', met: res.sjtP99 <= 25},
  ]
}

export async function run({rounds = 3, requests = 1200} = {}) {
  printMachine()
  if (!existsSync(path.join(ROOT, 'bench/anchors/node_modules/fastify/package.json'))) throw new Error('fastify is not installed in bench/anchors: npm run bench:setup')
  const {computeDigest} = await import('../dist/core/result.js')
  const {openSqliteStore} = await import('../dist/review/store-sqlite.js')
  const {openPgStore} = await import('../dist/review/store-pg.js')
  const {hashToken, newToken} = await import('../dist/review/server.js')
  const {newId} = await import('../dist/review/store.js')
  const docs = sampleDocs(2 * rounds * (requests + 100), computeDigest)
  console.log(`documents: ${docs.length} × ${(docs[0].length / 1024).toFixed(1)} KB`)
  const code = JSON.parse(docs[0]).app.creditCode

  async function token(store) {
    const t = newToken('submitter')
    await store.createToken({id: newId('tok'), hash: hashToken(t), role: 'submitter', creditCode: code, label: 'bench', createdAt: new Date().toISOString(), revokedAt: null})
    await store.close()
    return t
  }

  const results = []
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-db-'))
  try {
    // SQLite: a fresh database file per round, for both.
    let n = 0
    const sqliteSjt = async () => {
      const file = path.join(tmp, `sjt-${++n}.db`)
      const t = await token(await openSqliteStore(file))
      return (await sjtServer({args: ['--db', file]}, t))()
    }
    const sqliteAnchor = () => startProcess(process.execPath, [path.join(ROOT, 'bench/review-anchor.js'), 'sqlite', path.join(tmp, `anchor-${++n}.db`)])
    results.push(...(await compare('SQLite', sqliteSjt, sqliteAnchor, docs, rounds)))

    let cluster
    try {
      const {startPgCluster} = await import('../test/review/pg-cluster.js')
      cluster = await startPgCluster({durable: true})
    } catch (error) {
      console.log(`PostgreSQL: not measured (${error.message.split('\n')[0]})`)
    }
    if (cluster) {
      try {
        const pgSjt = async () => {
          const url = cluster.createDatabase('bench_sjt')
          const t = await token(await openPgStore(url))
          return (await sjtServer({args: ['--database-url', url]}, t))()
        }
        const pgAnchor = () => startProcess(process.execPath, [path.join(ROOT, 'bench/review-anchor.js'), 'postgres', cluster.createDatabase('bench_anchor')])
        results.push(...(await compare('PostgreSQL', pgSjt, pgAnchor, docs, rounds)))
      } finally {
        cluster.stop()
      }
    }
  } finally {
    rmSync(tmp, {recursive: true, force: true})
  }
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await run()
  for (const r of rows) console.log(`${r.name}: sjt ${r.sjt} ${r.unit} vs ${r.anchorName} ${r.anchor} ${r.unit} → ${r.ratio.toFixed(2)}× (goal ${r.goal}: ${r.met ? 'met' : 'not met'})`)
}
