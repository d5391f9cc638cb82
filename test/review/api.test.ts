// The review server in-process on loopback, SQLite store: every answer is checked against the
// OpenAPI contract (requests too), and the behaviour of spec/review-api.md is exercised.
import {mkdtempSync} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openSqliteStore} from '../../src/review/store-sqlite.js'
import type {Store} from '../../src/review/store.js'
import {OTHER_CODE, OWN_CODE, makeToken, makeTokens, startTestServer, variant, type TestServer, type Tokens} from './helpers.js'

const P = 'https://sjt.example/problems/'

let store: Store
let srv: TestServer
let tk: Tokens

beforeAll(async () => {
  store = await openSqliteStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-api-')), 'review.db'))
  tk = await makeTokens(store)
  srv = await startTestServer(store, {maxBodyBytes: 256 * 1024})
})

afterAll(async () => {
  await srv?.close()
})

describe('submissions', () => {
  let id: string
  it('201 with id, appId, status received, receivedAt; Location', async () => {
    const doc = variant({version: '2.0.0'})
    const r = await srv.call('POST', '/v1/submissions', tk.submitter, doc, {'Idempotency-Key': 'key-a'})
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({appId: doc.app.id, status: 'received'})
    expect(r.body.id).toMatch(/^sub_/)
    expect(r.headers.get('location')).toBe(`/v1/submissions/${r.body.id}`)
    id = r.body.id
  })

  it('the same key and body: the same 201 answer, no second record', async () => {
    const before = await store.countSubmissions()
    const doc = variant({version: '2.0.0'})
    const r = await srv.call('POST', '/v1/submissions', tk.submitter, doc, {'Idempotency-Key': 'key-a'})
    expect(r.status).toBe(201)
    expect(r.body.id).toBe(id)
    expect(r.headers.get('idempotent-replayed')).toBe('true')
    // Formatting does not make another body.
    const pretty = await srv.call('POST', '/v1/submissions', tk.submitter, JSON.stringify(doc, null, 2), {'Idempotency-Key': 'key-a'})
    expect(pretty.body.id).toBe(id)
    expect(await store.countSubmissions()).toBe(before)
  })

  it('the same key with another body: 409', async () => {
    const r = await srv.call('POST', '/v1/submissions', tk.submitter, variant({version: '2.0.1'}), {'Idempotency-Key': 'key-a'})
    expect(r.status).toBe(409)
    expect(r.body.type).toBe(P + 'idempotency-key-reused')
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })

  it('a tampered result: 422 digest-mismatch with the reason', async () => {
    const doc = variant({version: '2.0.2'})
    doc.findings[0].status = 'pass'
    doc.verdict = doc.verdict === 'pass' ? 'fail' : 'pass'
    const r = await srv.call('POST', '/v1/submissions', tk.submitter, doc, {'Idempotency-Key': 'key-t'})
    expect(r.status).toBe(422)
    expect(r.body.type).toBe(P + 'digest-mismatch')
    expect(r.body.errors[0].pointer).toBe('/digest/value')
  })

  it('a schema-invalid result: 422 invalid-result with every reason', async () => {
    const doc = variant()
    delete doc.findings
    doc.verdict = 'maybe'
    const r = await srv.call('POST', '/v1/submissions', tk.submitter, doc)
    expect(r.status).toBe(422)
    expect(r.body.type).toBe(P + 'invalid-result')
    const text = JSON.stringify(r.body.errors)
    expect(text).toContain('findings')
    expect(text).toContain('/verdict')
  })

  it('a result without creditCode: 422; of another department: 403', async () => {
    const doc = variant({version: '2.0.3'})
    delete doc.app.creditCode
    const {computeDigest} = await import('../../src/core/result.js')
    doc.digest.value = computeDigest(doc)
    expect((await srv.call('POST', '/v1/submissions', tk.submitter, doc)).status).toBe(422)
    const foreign = await srv.call('POST', '/v1/submissions', tk.submitter, variant({creditCode: OTHER_CODE, appId: 'dt-app'}))
    expect(foreign.status).toBe(403)
    expect(foreign.body.type).toBe(P + 'wrong-department')
    // Another department submitting for an app id this department registered: refused too.
    const squat = await srv.call('POST', '/v1/submissions', tk.other, variant({creditCode: OTHER_CODE}))
    expect(squat.status).toBe(403)
  })

  it('malformed JSON: 400; a bad Idempotency-Key: 400', async () => {
    expect((await srv.call('POST', '/v1/submissions', tk.submitter, '{"a":')).body.type).toBe(P + 'malformed-request')
    expect((await srv.call('POST', '/v1/submissions', tk.submitter, variant(), {'Idempotency-Key': 'x'.repeat(201)})).status).toBe(400)
  })

  it('a body over the limit: 413, and the connection is closed', async () => {
    const r = await srv.call('POST', '/v1/submissions', tk.submitter, variant({pad: 300 * 1024}))
    expect(r.status).toBe(413)
    expect(r.body.type).toBe(P + 'payload-too-large')
  })

  it('a streamed body that grows over the limit (no Content-Length): 413', async () => {
    const port = new URL(srv.url).port
    const answer = await new Promise<string>((resolve) => {
      const s = net.connect(Number(port), '127.0.0.1', () => {
        s.write(`POST /v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tk.submitter}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`)
        const chunk = 'x'.repeat(64 * 1024)
        for (let i = 0; i < 6; i++) s.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)
      })
      let data = ''
      s.on('data', (d) => (data += d))
      s.on('close', () => resolve(data))
      s.on('error', () => resolve(data))
    })
    expect(answer).toMatch(/^HTTP\/1\.1 413/)
  })

  it('history of a submission and reviewer comments', async () => {
    const d = await srv.call('POST', `/v1/submissions/${id}/decision`, tk.reviewer, {decision: 'review', comment: '开始审核'})
    expect(d.status).toBe(200)
    expect(d.body.status).toBe('in_review')
    const r = await srv.call('GET', `/v1/submissions/${id}`, tk.submitter)
    expect(r.status).toBe(200)
    expect(r.body.history.map((h: any) => h.name)).toEqual(['received', 'review', 'review'])
    expect(r.body.comments).toEqual([expect.objectContaining({decision: 'review', comment: '开始审核'})])
    const doc = await srv.call('GET', `/v1/submissions/${id}/document`, tk.auditor)
    expect(doc.body.app.version).toBe('2.0.0')
  })

  it('approving a failing result needs override and a comment', async () => {
    const c = await srv.call('POST', '/v1/submissions', tk.submitter, variant({version: '3.0.0', fail: true}))
    expect(c.status).toBe(201)
    const bare = await srv.call('POST', `/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'approve'})
    expect(bare.status).toBe(422)
    expect(bare.body.type).toBe(P + 'override-required')
    const noComment = await srv.call('POST', `/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'approve', override: true})
    expect(noComment.status).toBe(422)
    const ok = await srv.call('POST', `/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'approve', override: true, comment: '整改承诺已备案'})
    expect(ok.status).toBe(200)
    expect(ok.body.status).toBe('approved')
    expect(ok.body.comments[0]).toMatchObject({override: true})
    const again = await srv.call('POST', `/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'reject', comment: 'late'})
    expect(again.status).toBe(409)
    expect(again.body.type).toBe(P + 'illegal-transition')
    expect(again.body.from).toBe('approved')
    const bad = await srv.call('POST', `/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'maybe'})
    expect(bad.status).toBe(400)
  })
})

describe('apps', () => {
  it('lifecycle: publish → suspend → restore → delist, illegal moves 409, history oldest first', async () => {
    const appId = 'ty-lifecycle'
    const c = await srv.call('POST', '/v1/submissions', tk.submitter, variant({appId}))
    expect((await srv.call('GET', `/v1/apps/${appId}`, tk.submitter)).body.state).toBe('registered')
    expect((await srv.call('POST', `/v1/apps/${appId}/actions`, tk.reviewer, {action: 'publish'})).status).toBe(409)
    await srv.call('POST', `/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'approve', comment: 'ok'})
    const pub = await srv.call('POST', `/v1/apps/${appId}/actions`, tk.reviewer, {action: 'publish', reason: '上线'})
    expect(pub.status).toBe(200)
    expect(pub.body.state).toBe('published')
    expect((await srv.call('POST', `/v1/apps/${appId}/actions`, tk.reviewer, {action: 'publish'})).body.type).toBe(P + 'illegal-transition')
    expect((await srv.call('POST', `/v1/apps/${appId}/actions`, tk.reviewer, {action: 'suspend', reason: '整改'})).body.state).toBe('suspended')
    expect((await srv.call('POST', `/v1/apps/${appId}/actions`, tk.reviewer, {action: 'restore'})).body.state).toBe('published')
    expect((await srv.call('POST', `/v1/apps/${appId}/actions`, tk.reviewer, {action: 'delist', reason: '停止服务'})).body.state).toBe('delisted')
    expect((await srv.call('POST', `/v1/apps/${appId}/actions`, tk.reviewer, {action: 'suspend'})).status).toBe(409)
    expect((await srv.call('POST', `/v1/apps/${appId}/actions`, tk.reviewer, {action: 'explode'})).status).toBe(400)
    const h = await srv.call('GET', `/v1/apps/${appId}/history`, tk.auditor)
    expect(h.body.items.map((x: any) => x.name)).toEqual(['register', 'received', 'approve', 'review', 'publish', 'suspend', 'restore', 'delist'])
    const ats = h.body.items.map((x: any) => x.at)
    expect([...ats].sort()).toEqual(ats)
  })

  it('lists with filters; submitters see only their own', async () => {
    await srv.call('POST', '/v1/submissions', tk.other, variant({appId: 'dt-only', creditCode: OTHER_CODE, regionCode: '140200'}))
    const all = await srv.call('GET', '/v1/apps', tk.auditor)
    expect(all.body.items.map((a: any) => a.appId)).toContain('dt-only')
    const mine = await srv.call('GET', '/v1/apps', tk.submitter)
    expect(mine.body.items.map((a: any) => a.appId)).not.toContain('dt-only')
    expect((await srv.call('GET', '/v1/apps?regionCode=1402', tk.auditor)).body.items.map((a: any) => a.appId)).toEqual(['dt-only'])
    expect((await srv.call('GET', '/v1/apps?state=delisted', tk.reviewer)).body.items.map((a: any) => a.appId)).toEqual(['ty-lifecycle'])
    expect((await srv.call('GET', '/v1/apps?state=gone', tk.reviewer)).status).toBe(400)
    expect((await srv.call('GET', '/v1/apps?regionCode=abc', tk.reviewer)).status).toBe(400)
    const page = await srv.call('GET', '/v1/apps?limit=1', tk.auditor)
    expect(page.body.items.length).toBe(1)
    expect(page.body.nextOffset).toBe(1)
  })

  it('scores: the ranked table of the latest approved results, by region', async () => {
    const r = await srv.call('GET', '/v1/scores?regionCode=140000', tk.auditor)
    if (r.status === 503) throw new Error('the scoring model (src/score) is not there: ' + JSON.stringify(r.body))
    expect(r.status).toBe(200)
    expect(r.body.items.length).toBeGreaterThan(0)
    const totals = r.body.items.map((i: any) => i.total ?? -1)
    expect([...totals].sort((a, b) => b - a)).toEqual(totals)
    expect(r.body.items[0].rank).toBe(1)
    expect((await srv.call('GET', '/v1/scores?regionCode=1402', tk.reviewer)).body.items).toEqual([])
  })
})

describe('service', () => {
  it('healthz needs no token and names the store', async () => {
    const r = await srv.call('GET', '/healthz', null)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({status: 'ok', store: {kind: 'sqlite', reachable: true}})
  })

  it('401 without a token, with a bad one, and with a revoked one', async () => {
    const none = await srv.call('GET', '/v1/apps', null)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect((await srv.call('GET', '/v1/apps', 'sjt_s_nope')).status).toBe(401)
    await store.revokeToken(tk.ids.auditor, new Date().toISOString())
    expect((await srv.call('GET', '/v1/apps', tk.auditor)).status).toBe(401)
  })

  it('a submitter token revoked while the server holds it in its cache: the next submission is 401 and records nothing', async () => {
    const {token, id} = await makeToken(store, 'submitter', OWN_CODE)
    expect((await srv.call('POST', '/v1/submissions', token, variant({version: '6.0.0'}), {'Idempotency-Key': 'key-rev-1'})).status).toBe(201)
    // Revoked by another process (`sjt review-server token revoke`): straight through the store.
    expect(await store.revokeToken(id, new Date().toISOString())).toBe('revoked')
    const before = await store.countSubmissions()
    const r = await srv.call('POST', '/v1/submissions', token, variant({version: '6.0.1'}), {'Idempotency-Key': 'key-rev-2'})
    expect(r.status).toBe(401)
    expect(r.body.type).toBe(P + 'unauthorized')
    expect(r.headers.get('www-authenticate')).toMatch(/invalid_token/)
    expect(await store.countSubmissions()).toBe(before)
    // Even a replay of its earlier request is refused now.
    expect((await srv.call('POST', '/v1/submissions', token, variant({version: '6.0.0'}), {'Idempotency-Key': 'key-rev-1'})).status).toBe(401)
    expect((await srv.call('POST', '/v1/submissions', token, variant({version: '6.0.2'}))).status).toBe(401)
  })

  it('unknown paths 404, wrong methods 405', async () => {
    expect((await srv.call('GET', '/v2/nothing', tk.reviewer)).status).toBe(404)
    const r = await srv.call('DELETE', '/v1/submissions', tk.reviewer)
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toContain('POST')
  })

  it('serves its contract', async () => {
    const res = await fetch(srv.url + '/openapi.yaml')
    expect(await res.text()).toMatch(/^openapi: 3\.1/)
  })

  it('logs are JSON lines and never hold a token', () => {
    expect(srv.logs.length).toBeGreaterThan(10)
    for (const l of srv.logs) expect(() => JSON.parse(l)).not.toThrow()
    const all = srv.logs.join('\n')
    for (const tok of [tk.submitter, tk.other, tk.reviewer, tk.monitor]) expect(all).not.toContain(tok)
    expect(all).not.toMatch(/Bearer/)
  })

  it('every exchange fits the OpenAPI contract', () => {
    expect(srv.exchanges.length).toBeGreaterThan(30)
    expect(srv.violations).toEqual([])
  })
})

describe('rate limit', () => {
  it('429 with Retry-After per token; other tokens are unaffected', async () => {
    const s2 = await startTestServer(store, {rateLimit: 5})
    try {
      const statuses: number[] = []
      let retryAfter: string | null = null
      for (let i = 0; i < 7; i++) {
        const r = await s2.call('GET', '/v1/apps', tk.reviewer)
        statuses.push(r.status)
        if (r.status === 429) retryAfter = r.headers.get('retry-after')
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200])
      expect(statuses.slice(5)).toEqual([429, 429])
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
      expect((await s2.call('GET', '/v1/apps', tk.submitter)).status).toBe(200)
      expect(s2.violations).toEqual([])
    } finally {
      // The shared store stays open for the other tests.
      s2.server.close()
      s2.server.closeAllConnections()
    }
  })
})

describe('the curl commands of docs/review-api.md, exactly as written', () => {
  it('approve and publish with a reviewer token', async () => {
    const {readFileSync, mkdtempSync: tmp} = await import('node:fs')
    const {execFile} = await import('node:child_process')
    const {promisify} = await import('node:util')
    const run = promisify(execFile)
    const {ROOT} = await import('../helpers/cli.js')
    const text = readFileSync(path.join(ROOT, 'docs/review-api.md'), 'utf8')
    const block = /```sh\n([\s\S]*?)```/.exec(text)![1]
    const commands = block
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .filter((l) => l.startsWith('curl '))
    expect(commands.length).toBe(2)
    // A store of its own, so the sample app's state is the doc's: one passing submission.
    const own = await openSqliteStore(path.join(tmp(path.join(os.tmpdir(), 'sjt-doc-')), 'review.db'))
    const t2 = await makeTokens(own)
    const s2 = await startTestServer(own)
    try {
      const c = await s2.call('POST', '/v1/submissions', t2.submitter, variant())
      expect(c.status).toBe(201)
      expect(c.body.appId).toBe('ty-gjj-withdraw')
      const env = {...process.env, REVIEWER: t2.reviewer, SJT_SERVER: s2.url}
      // The server runs in this process: the commands run asynchronously, one after the other.
      const answers = []
      for (const cmd of commands) answers.push(JSON.parse((await run('sh', ['-c', cmd.replace('sub_…', c.body.id) + ' -s'], {env, encoding: 'utf8', timeout: 60_000})).stdout))
      expect(answers[0]).toMatchObject({id: c.body.id, status: 'approved'})
      expect(answers[1]).toMatchObject({appId: 'ty-gjj-withdraw', state: 'published'})
      expect(s2.violations).toEqual([])
    } finally {
      await s2.close()
    }
  })
})
