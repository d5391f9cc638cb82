// Security headers of one loopback HTTPS page. The header-only part of `sjt check security`
// (fetch the page, check http→https, read and judge the headers: SEC-003 … SEC-009 and the
// SEC-018 table's header tests) against a minimal anchor that does what a header scanner must at
// least do: one HTTPS GET of the page, one plain-HTTP GET for the redirect, and parse the headers.
// A second row times sjt's whole HTTP collector (adds TLS version probing and the exposed-file
// checks, which no header scanner does), against the same anchor, for information.
// The HTTP Observatory package (@mdn/mdn-http-observatory) needs Node ≥ 22 and a PostgreSQL for
// its scanner, so it is not an anchor here (Node 20 is the supported runtime).
//   node bench/security.bench.js [runs]      (after `npm run build`)
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {median, ROOT} from './lib.js'

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
}

function certificate(dir) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {stdio: 'ignore'})
  return {key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')), caFile: path.join(dir, 'cert.pem')}
}

const listen = (server) => new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port)))

function get(mod, url, opts) {
  return new Promise((resolve, reject) => {
    const req = mod.get(url, {...opts, headers: {connection: 'close'}}, (res) => {
      res.resume()
      res.on('end', () => resolve(res))
    })
    req.on('error', reject)
  })
}

// The anchor resumes TLS sessions too, as sjt does (a scanner's repeated scans of one host would).
const anchorAgent = new https.Agent({keepAlive: false, maxCachedSessions: 10})

/** The anchor: one HTTPS GET, one plain-HTTP GET, the security headers parsed into a record. */
async function anchor(url, plainUrl, ca) {
  const res = await get(https, url, {ca, agent: anchorAgent})
  const names = ['strict-transport-security', 'content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'set-cookie', 'cross-origin-resource-policy', 'cross-origin-opener-policy']
  const headers = Object.fromEntries(names.map((n) => [n, res.headers[n] ?? null]))
  const plain = await get(http, plainUrl, {agent: false}).catch(() => null)
  return {headers, redirect: plain?.headers.location ?? null}
}

export async function run(runs = 9) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-security-'))
  const {key, cert, caFile} = certificate(dir)
  const page = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>公积金</title></head><body><h1>公积金</h1></body></html>'
  const tlsServer = https.createServer({key, cert}, (req, res) => (res.writeHead(req.url === '/' ? 200 : 404, HEADERS), res.end(page)))
  const port = await listen(tlsServer)
  const plainServer = http.createServer((req, res) => (res.writeHead(301, {location: `https://127.0.0.1:${port}${req.url}`}), res.end()))
  const plainPort = await listen(plainServer)
  const url = `https://127.0.0.1:${port}/`
  const dist = (p) => import(pathToFileURL(path.join(ROOT, 'dist', p)).href)
  const {fetchTarget} = await dist('gather/http/request.js')
  const {checkRedirect} = await dist('gather/http/redirect.js')
  const {caBundle} = await dist('gather/http/ca.js')
  const {collect} = await dist('gather/http.js')
  const {analyzeCsp, analyzeFraming, analyzeHsts, analyzeNosniff, analyzeReferrer, analyzeCoop, analyzeCorp, first} = await dist('audits/security/headers.js')
  const {buildOptions} = await dist('cli/check.js')
  const {loadProfile} = await dist('core/profile.js')
  const profile = loadProfile('shanxi-2022', 'en')
  const ca = caBundle(caFile)
  const budget = () => ({deadline: Date.now() + 60_000, deadOrigins: new Map(), skipped: []})
  const sjtHeaders = async () => {
    const base = {timeoutMs: 30_000, bodyCap: 1024 * 1024, ca}
    const {result} = await fetchTarget(url, {...base, budget: budget()})
    await checkRedirect(url, {...base, budget: budget(), plainPort})
    const h = result.headers
    const csp = analyzeCsp(first(h, 'content-security-policy'))
    return [analyzeHsts(first(h, 'strict-transport-security'), true, 15552000), csp, analyzeNosniff(first(h, 'x-content-type-options')), analyzeFraming(first(h, 'x-frame-options'), csp.frameAncestors), analyzeReferrer(first(h, 'referrer-policy'), ['no-referrer']), analyzeCorp(first(h, 'cross-origin-resource-policy')), analyzeCoop(first(h, 'cross-origin-opener-policy'))]
  }
  const sjtCollector = async () => {
    const o = buildOptions({}, {}, 'en')
    Object.assign(o, {url, ca: caFile, plainHttpPort: plainPort, progress: undefined})
    return collect({options: o, profile, artifacts: {}, shared: new Map()})
  }
  const plainUrl = `http://127.0.0.1:${plainPort}/`
  const time = async (fn) => {
    const t = performance.now()
    await fn()
    return performance.now() - t
  }
  const a = []
  const b = []
  const c = []
  await sjtHeaders()
  await anchor(url, plainUrl, ca)
  await sjtCollector()
  for (let i = 0; i < runs; i++) {
    a.push(await time(sjtHeaders))
    b.push(await time(() => anchor(url, plainUrl, ca)))
    c.push(await time(sjtCollector))
  }
  tlsServer.close()
  plainServer.close()
  const an = Math.round(median(b) * 10) / 10
  const rows = [
    {name: 'security headers of one loopback HTTPS page (fetch, http→https, judge)', sjt: Math.round(median(a) * 10) / 10, anchor: an, anchorName: 'node https.get + http.get + header parse', unit: 'ms', goal: '≤ 1.5×'},
    {name: 'whole HTTP collector of one loopback HTTPS page (adds TLS versions, 15 exposed-file checks)', sjt: Math.round(median(c)), anchor: an, anchorName: 'node https.get + http.get + header parse', unit: 'ms', goal: 'information'},
  ]
  for (const r of rows) {
    r.ratio = Math.round((r.sjt / r.anchor) * 100) / 100
    if (r.goal === '≤ 1.5×') r.met = r.ratio <= 1.5
  }
  console.log(`machine: ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`)
  for (const [r, xs] of [[rows[0], a], [rows[1], c]]) console.log(`${r.name}: sjt ${r.sjt} ms, anchor ${r.anchor} ms, ratio ${r.ratio}   runs: ${xs.map((x) => Math.round(x)).join(' ')}`)
  console.log(`  anchor runs: ${b.map((x) => Math.round(x)).join(' ')}`)
  return rows
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run(Number(process.argv[2] ?? 9))
