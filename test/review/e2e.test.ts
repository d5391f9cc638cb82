// End to end on loopback, as a user would: the built CLI runs the server, creates tokens, checks
// the sample app, submits, retries, is refused, is reviewed; the server is killed with SIGKILL in
// the middle of a burst and restarted on the same database, and keeps everything it acknowledged.
// The server is always the built binary (it is killed); four client runs spawn it too (submit exit
// 0, 1 and 3, and the submit after the restart); the rest run in-process (test/helpers/run.ts).
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {computeDigest} from '../../src/core/result.js'
import {BIN, ROOT, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'
import {loadContract} from './contract.js'
import {OTHER_CODE, OWN_CODE} from './helpers.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-e2e-'))
const db = path.join(dir, 'review.db')
const contract = loadContract()
const violations: string[] = []

let server: ChildProcess | null = null
let url = ''
let submitter = ''
let other = ''
let reviewer = ''
let resultFile = ''
let firstId = ''

function startServer(): Promise<{child: ChildProcess; url: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'review-server', '--db', db, '--port', '0', '--rate-limit', '0'], {cwd: dir, env: {...process.env, LANG: 'en_US.UTF-8'}, stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    let err = ''
    child.stderr!.on('data', (d) => (err += d))
    child.stdout!.on('data', (d) => {
      out += d
      const line = out.split('\n')[0]
      if (out.includes('\n')) resolve({child, url: line.trim()})
    })
    child.on('exit', (code) => reject(new Error(`review-server exited ${code}: ${err}`)))
  })
}

async function call(method: string, p: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url + p, {method, headers: {...(token ? {Authorization: `Bearer ${token}`} : {}), ...(body ? {'Content-Type': 'application/json'} : {}), ...headers}, body: body ? JSON.stringify(body) : undefined})
  const text = await res.text()
  const parsed = text ? JSON.parse(text) : null
  const h: Record<string, string> = {}
  res.headers.forEach((val, k) => (h[k.replace(/(^|-)\w/g, (m) => m.toUpperCase())] = val))
  violations.push(...contract.check({method, path: p.split('?')[0], status: res.status, contentType: res.headers.get('content-type') ?? '', requestBody: body, responseBody: parsed, headers: h}))
  return {status: res.status, body: parsed}
}

const env = () => ({SJT_SERVER: url, SJT_TOKEN: submitter, SJT_STATE_DIR: path.join(dir, 'state')})

beforeAll(async () => {
  for (const [role, code] of [
    ['submitter', OWN_CODE],
    ['submitter', OTHER_CODE],
    ['reviewer', null],
  ] as const) {
    const r = await sjtIn(['review-server', 'token', 'create', '--role', role, ...(code ? ['--credit-code', code] : []), '--db', db])
    expect(r.code, r.stderr).toBe(0)
    const token = r.stdout.trim().split('\n').at(-1)!
    expect(token).toMatch(/^sjt_/)
    if (role === 'reviewer') reviewer = token
    else if (code === OWN_CODE) submitter = token
    else other = token
  }
  ;({child: server, url} = await startServer())
  const check = await sjtIn(['check', 'manifest', path.join(ROOT, 'fixtures/apps/sample'), '--json', '--out', path.join(dir, 'reports')])
  expect(check.code, check.stderr).toBe(0)
  resultFile = path.join(dir, 'reports', 'ty-gjj-withdraw', 'result.json')
  expect(existsSync(resultFile)).toBe(true)
})

afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL')
})

describe('sjt submit, status and the review server end to end', () => {
  it('token list shows the tokens, never the token itself', async () => {
    const r = await sjtIn(['review-server', 'token', 'list', '--db', db, '--json'])
    const list = JSON.parse(r.stdout)
    expect(list.map((t: any) => t.role).sort()).toEqual(['reviewer', 'submitter', 'submitter'])
    for (const tok of [submitter, other, reviewer]) expect(r.stdout).not.toContain(tok)
    expect(readFileSync(db).includes(Buffer.from(submitter))).toBe(false)
  })

  it('submits the checked sample: exit 0, the id on stdout; again: the same id', async () => {
    const r = await sjt(['submit', resultFile], {cwd: dir, env: env()})
    expect(r.code, r.stderr).toBe(0)
    firstId = r.stdout.trim()
    expect(firstId).toMatch(/^sub_/)
    const again = await sjtIn(['submit', resultFile], {cwd: dir, env: env()})
    expect(again.code).toBe(0)
    expect(again.stdout.trim()).toBe(firstId)
    expect(r.stderr + again.stderr).not.toContain(submitter)
    const list = await call('GET', '/v1/submissions?appId=ty-gjj-withdraw', reviewer)
    expect(list.body.items.length).toBe(1)
  })

  it('a tampered result is refused: exit 1 with the reason, locally and by the server (422)', async () => {
    const doc = JSON.parse(readFileSync(resultFile, 'utf8'))
    doc.findings[0].status = doc.findings[0].status === 'pass' ? 'fail' : 'pass'
    const file = path.join(dir, 'tampered.json')
    writeFileSync(file, JSON.stringify(doc))
    const local = await sjt(['submit', file], {cwd: dir, env: env()})
    expect(local.code).toBe(1)
    expect(local.stderr).toContain('/digest/value')
    const remote = await sjtIn(['submit', file, '--no-verify'], {cwd: dir, env: env()})
    expect(remote.code).toBe(1)
    expect(remote.stderr).toMatch(/422/)
    const raw = await call('POST', '/v1/submissions', submitter, doc)
    expect(raw.status).toBe(422)
    expect(raw.body.type).toBe('https://sjt.example/problems/digest-mismatch')
  })

  it("another department's token gets 404 for this submission; no token gets 401", async () => {
    expect((await call('GET', `/v1/submissions/${firstId}`, other)).status).toBe(404)
    expect((await call('GET', '/v1/apps/ty-gjj-withdraw', other)).status).toBe(404)
    const st = await sjtIn(['status', firstId], {cwd: dir, env: {...env(), SJT_TOKEN: other}})
    expect(st.code).toBe(2)
    expect((await call('GET', `/v1/submissions/${firstId}`, null)).status).toBe(401)
    const none = await sjtIn(['submit', resultFile], {cwd: dir, env: {...env(), SJT_TOKEN: ''}})
    expect(none.code).toBe(2)
  })

  it('the reviewer approves; sjt status shows it', async () => {
    const r = await call('POST', `/v1/submissions/${firstId}/decision`, reviewer, {decision: 'approve', comment: '符合接入标准'})
    expect(r.status).toBe(200)
    expect((await call('POST', '/v1/apps/ty-gjj-withdraw/actions', reviewer, {action: 'publish', reason: '审核通过'})).body.state).toBe('published')
    const st = await sjtIn(['status', firstId], {cwd: dir, env: env()})
    expect(st.code, st.stderr).toBe(0)
    expect(st.stdout).toContain('approved')
    expect(st.stdout).toContain('符合接入标准')
    const latest = await sjtIn(['status', '--json'], {cwd: dir, env: env()})
    expect(JSON.parse(latest.stdout)).toMatchObject({id: firstId, status: 'approved', app: {state: 'published'}})
  })

  it('kill -9 in the middle of a burst, restart on the same database: everything acknowledged is kept', async () => {
    const base = JSON.parse(readFileSync(resultFile, 'utf8'))
    const docs = Array.from({length: 80}, (_x, i) => {
      const d = structuredClone(base)
      d.app.id = `burst-${i}`
      d.digest.value = computeDigest(d)
      return d
    })
    const acknowledged: string[] = []
    let next = 0
    const victim = server!
    const worker = async () => {
      while (next < docs.length) {
        const d = docs[next++]
        try {
          const res = await fetch(url + '/v1/submissions', {method: 'POST', headers: {Authorization: `Bearer ${submitter}`, 'Content-Type': 'application/json', 'Idempotency-Key': `burst-${d.app.id}`}, body: JSON.stringify(d)})
          if (res.status === 201) acknowledged.push((await res.json()).id)
          if (acknowledged.length === 25) victim.kill('SIGKILL')
        } catch {
          // the server is gone
        }
      }
    }
    await Promise.all([worker(), worker(), worker(), worker()])
    await new Promise<void>((r) => (victim.exitCode !== null || victim.signalCode !== null ? r() : victim.once('exit', () => r())))
    expect(victim.signalCode).toBe('SIGKILL')
    expect(acknowledged.length).toBeGreaterThanOrEqual(25)
    expect(acknowledged.length).toBeLessThan(80)
    ;({child: server, url} = await startServer())
    for (const id of acknowledged) expect((await call('GET', `/v1/submissions/${id}`, reviewer)).status, id).toBe(200)
    // Tokens, states and idempotency records survived too.
    expect((await call('GET', `/v1/submissions/${firstId}`, submitter)).body.status).toBe('approved')
    expect((await call('GET', '/v1/apps/ty-gjj-withdraw', reviewer)).body.state).toBe('published')
    const again = await sjt(['submit', resultFile], {cwd: dir, env: env()})
    expect(again.stdout.trim()).toBe(firstId)
    const all = await call('GET', '/v1/submissions?limit=1000', reviewer)
    const ids = all.body.items.map((s: any) => s.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('a revoked token stops working at once', async () => {
    const list = JSON.parse((await sjtIn(['review-server', 'token', 'list', '--db', db, '--json'])).stdout)
    const otherId = list.find((t: any) => t.creditCode === OTHER_CODE).id
    const r = await sjtIn(['review-server', 'token', 'revoke', otherId, '--db', db])
    expect(r.code, r.stderr).toBe(0)
    expect((await call('GET', '/v1/apps', other)).status).toBe(401)
  })

  it('unreachable: exit 3, kept in the outbox; --flush sends it when the server is back', async () => {
    const doc = JSON.parse(readFileSync(resultFile, 'utf8'))
    doc.app.version = '9.9.9'
    doc.digest.value = computeDigest(doc)
    const file = path.join(dir, 'later.json')
    writeFileSync(file, JSON.stringify(doc))
    server!.kill('SIGTERM')
    await new Promise<void>((r) => server!.once('exit', () => r()))
    expect(server!.exitCode).toBe(0)
    const down = await sjt(['submit', file, '--retries', '1'], {cwd: dir, env: env()})
    expect(down.code).toBe(3)
    expect(down.stderr).toMatch(/outbox/)
    ;({child: server, url} = await startServer())
    const flushed = await sjtIn(['submit', '--flush'], {cwd: dir, env: env()})
    expect(flushed.code, flushed.stderr).toBe(0)
    expect(flushed.stdout.trim()).toMatch(/^sub_/)
    const empty = await sjtIn(['submit', '--flush'], {cwd: dir, env: env()})
    expect(empty.code).toBe(0)
    expect(empty.stdout.trim()).toBe('')
  })

  it('every answer fits the contract', () => {
    expect(violations).toEqual([])
  })
})
