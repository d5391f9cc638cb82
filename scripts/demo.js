#!/usr/bin/env node
// `npm run demo`: the whole path on this machine, offline. Serves the sample app (site + API,
// HTTPS with a throwaway CA) on loopback, checks it with every category, writes the reports,
// starts a review server on a temporary SQLite file, submits the result, approves and publishes
// it as a reviewer, scores it, prints where the report is and ends with the review console's
// address and a reviewer token to sign in with (on a terminal the server stays up until Ctrl-C).
// It also checks the WeChat mini-program sample from its source project (no account, network or
// developer tool).
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'run.js')
const SAMPLE = path.join(ROOT, 'fixtures', 'apps', 'sample')
const MP_SAMPLE = path.join(ROOT, 'fixtures', 'miniprograms', 'wechat-sample')
const OUT = path.join(ROOT, 'reports', 'demo')
const {resolveLang, t} = await import(pathToFileURL(path.join(ROOT, 'dist', 'lib', 'i18n', 'index.js')).href)
const lang = resolveLang()
const say = (key, params) => console.log(`\n▶ ${t(lang, key, params)}`)

/** Runs sjt; resolves with its output; `live` streams stdout/stderr to the terminal. */
function sjt(args, {env = {}, live = false} = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, '--lang', lang], {cwd: ROOT, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
      if (live) process.stdout.write(d)
    })
    child.stderr.on('data', (d) => {
      stderr += d
      if (live) process.stderr.write(d)
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
  })
}

function must(r, what) {
  if (r.code !== 0) {
    process.stderr.write(r.stdout + r.stderr)
    throw new Error(`${what} exited ${r.code}`)
  }
  return r
}

const {startSampleServer} = await import(pathToFileURL(path.join(SAMPLE, 'server', 'index.js')).href)
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-demo-'))
const app = await startSampleServer({https: true})
let review
try {
  say('demo.sampleServing', {entry: app.entry, api: app.apiBase})

  say('demo.check')
  const check = await sjt(['check', SAMPLE, '--url', app.entry, '--api-base', app.apiBase, '--ca', app.caFile, '--format', 'html,md,junit,sarif', '--out', OUT], {live: true})
  if (check.code !== 0) throw new Error(`sjt check exited ${check.code}`)
  const result = path.join(OUT, 'ty-gjj-withdraw', 'result.json')

  say('demo.miniprogram')
  const mp = await sjt(['check', 'miniprogram', MP_SAMPLE, '--format', 'html,md', '--out', OUT], {live: true})
  if (mp.code !== 0) throw new Error(`sjt check miniprogram exited ${mp.code}`)
  must(await sjt(['score', path.join(OUT, 'ty-gjj-mp', 'result.json')], {live: true}), 'sjt score (mini-program)')

  say('demo.reviewServer')
  const db = path.join(tmp, 'review.db')
  const token = async (role, extra = []) => must(await sjt(['review-server', 'token', 'create', '--db', db, '--role', role, ...extra]), `token create ${role}`).stdout.trim().split('\n').pop()
  const submitter = await token('submitter', ['--credit-code', '12140100MB0123457K'])
  const reviewer = await token('reviewer')
  const auditor = await token('auditor')
  review = spawn(process.execPath, [BIN, 'review-server', '--db', db, '--port', '0'], {cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore']})
  const server = await new Promise((resolve, reject) => {
    let buf = ''
    review.stdout.on('data', (d) => {
      buf += d
      const line = buf.split('\n').find((l) => /^https?:\/\//.test(l))
      if (line) resolve(line.trim())
    })
    review.on('close', (code) => reject(new Error(`review server exited ${code}`)))
  })
  console.log(server)

  say('demo.submit')
  const sub = must(await sjt(['submit', result, '--server', server, '--json'], {env: {SJT_TOKEN: submitter}}), 'sjt submit')
  const receipt = JSON.parse(sub.stdout)
  console.log(`${receipt.id} ${receipt.status}`)

  say('demo.approve')
  const call = async (method, p, tok, body) => {
    const res = await fetch(server + p, {method, headers: {authorization: `Bearer ${tok}`, 'content-type': 'application/json'}, body: body ? JSON.stringify(body) : undefined})
    const data = await res.json().catch(() => ({}))
    if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${JSON.stringify(data)}`)
    return data
  }
  const decision = await call('POST', `/v1/submissions/${receipt.id}/decision`, reviewer, {decision: 'approve', comment: t(lang, 'demo.approveComment')})
  console.log(`${receipt.id} → ${decision.status ?? decision.state ?? 'approved'}`)
  const published = await call('POST', `/v1/apps/ty-gjj-withdraw/actions`, reviewer, {action: 'publish', reason: t(lang, 'demo.publishReason')})
  console.log(`ty-gjj-withdraw → ${published.state ?? published.lifecycle ?? 'published'}`)
  must(await sjt(['status', receipt.id, '--server', server], {env: {SJT_TOKEN: submitter}, live: true}), 'sjt status')

  say('demo.score')
  must(await sjt(['score', result, '--explain'], {live: true}), 'sjt score')
  const scores = await call('GET', '/v1/scores?regionCode=1401', auditor)
  // GET /v1/scores as the auditor sees it: one line per ranked app.
  say('demo.scores', {count: scores.items?.length ?? 0, model: scores.modelVersion ?? '—'})
  for (const it of scores.items ?? []) console.log(`  ${String(it.rank).padStart(2)}. ${it.appId}  ${it.total ?? '—'}${it.grade ? ` ${it.grade}` : ''}`)

  say('demo.reports')
  for (const f of ['report.html', 'report.md', 'report.junit.xml', 'report.sarif', 'result.json']) console.log(path.relative(process.cwd(), path.join(OUT, 'ty-gjj-withdraw', f)))
  for (const f of ['report.html', 'report.md', 'result.json']) console.log(path.relative(process.cwd(), path.join(OUT, 'ty-gjj-mp', f)))

  // The review console of the same server, with a reviewer token to paste on its sign-in page.
  say('demo.console')
  console.log(`${server}/console/`)
  console.log(reviewer)
  if (process.stdin.isTTY && !process.env.CI) {
    say('demo.keepRunning')
    await new Promise((resolve) => process.once('SIGINT', resolve))
  }
} finally {
  review?.kill('SIGTERM')
  await app.close()
  rmSync(tmp, {recursive: true, force: true})
}
