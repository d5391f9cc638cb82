// What a hostile submitter, reviewer or monitor can send the review server, on SQLite and on a
// real PostgreSQL: the server recomputes the verdict, refuses bodies no store can keep faithfully
// (NUL, unpaired surrogates, bytes that are not UTF-8, 20,000 levels of nesting, numbers out of
// range), enforces the limits its OpenAPI contract publishes, verifies signatures, answers 4xx
// (never 500) to malformed percent-encoding, and keeps latestSubmission the newest under 40
// concurrent submissions. Every exchange is checked against the contract.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {randomBytes} from 'node:crypto'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {computeDigest} from '../../src/core/result.js'
import {signDocument} from '../../src/core/sign.js'
import {recomputeVerdict} from '../../src/review/shared/verdict.js'
import {openPgStore} from '../../src/review/store-pg.js'
import {openSqliteStore} from '../../src/review/store-sqlite.js'
import type {Store} from '../../src/review/store.js'
import {makeTokens, OWN_CODE, startTestServer, variant, type TestServer, type Tokens} from './helpers.js'
import {startPgCluster} from './pg-cluster.js'

const P = 'https://sjt.example/problems/'

/** A document with a fresh digest after `change`. */
function redigest(d: any): any {
  d.digest = {alg: 'sha256', value: computeDigest(d)}
  return d
}

/** A raw request (bytes and headers exactly as given). */
function raw(url: string, method: string, p: string, headers: Record<string, string>, body?: Buffer | string): Promise<{status: number; body: any}> {
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    const req = http.request({host: u.hostname, port: u.port, method, path: p, headers: {...headers, ...(body !== undefined ? {'Content-Length': String(Buffer.byteLength(body))} : {})}}, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (text += c))
      res.on('end', () => {
        let parsed: any = text
        try {
          parsed = JSON.parse(text)
        } catch {
          // keep the text
        }
        resolve({status: res.statusCode ?? 0, body: parsed})
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

function suite(name: string, open: () => Promise<Store>) {
  describe(`${name}`, () => {
    let store: Store
    let srv: TestServer
    let tk: Tokens
    const post = (p: string, token: string, body: unknown, headers: Record<string, string> = {}) => srv.call('POST', p, token, body, headers)

    beforeAll(async () => {
      store = await open()
      tk = await makeTokens(store)
      srv = await startTestServer(store, {maxBodyBytes: 2 * 1024 * 1024})
    })
    afterAll(async () => {
      await srv?.close()
    })

    describe('the verdict is the server\'s', () => {
      it('a failing error-severity finding under verdict "pass" (digest recomputed): 422 verdict-mismatch naming the finding', async () => {
        const d = variant({appId: 'v-lie', fail: true})
        d.verdict = 'pass'
        const r = await post('/v1/submissions', tk.submitter, redigest(d))
        expect(r.status).toBe(422)
        expect(r.body.type).toBe(P + 'verdict-mismatch')
        expect(r.body.errors[0].pointer).toBe('/verdict')
        expect(r.body.errors.map((e: any) => e.pointer)).toContain(`/findings/${d.findings.findIndex((f: any) => f.status === 'fail')}`)
        // Under failOn: never the same finding does not gate: "pass" is then the right verdict.
        const never = variant({appId: 'v-never', fail: true})
        never.verdict = 'pass'
        never.failOn = 'never'
        expect((await post('/v1/submissions', tk.submitter, redigest(never))).status).toBe(201)
        // And "fail" for a result whose findings all hold is a mismatch too.
        expect((await post('/v1/submissions', tk.submitter, variant({appId: 'v-false-fail', verdict: 'fail'}))).body.type).toBe(P + 'verdict-mismatch')
      })

      it('"waived" counts only with an active waiver of the document; a known failure only with a baseline', async () => {
        const d = variant({appId: 'v-waived', fail: true})
        const f = d.findings.find((x: any) => x.status === 'fail')
        f.status = 'waived'
        f.waiver = {reason: '整改中', expires: '2099-12-31'}
        d.verdict = 'pass'
        const forged = await post('/v1/submissions', tk.submitter, redigest(structuredClone(d)))
        expect(forged.body.type).toBe(P + 'verdict-mismatch')
        d.waivers = [{rule: f.ruleId, reason: '整改中', expires: '2099-12-31', state: 'active'}]
        expect((await post('/v1/submissions', tk.submitter, redigest(structuredClone(d)))).status).toBe(201)
        // An expired waiver (before the day of the run) does not hold.
        d.app.version = '1.0.1'
        d.waivers[0].expires = '2020-01-01'
        f.waiver.expires = '2020-01-01'
        expect((await post('/v1/submissions', tk.submitter, redigest(structuredClone(d)))).body.type).toBe(P + 'verdict-mismatch')

        const k = variant({appId: 'v-known', fail: true})
        k.findings.find((x: any) => x.status === 'fail').baseline = 'known'
        k.verdict = 'pass'
        expect((await post('/v1/submissions', tk.submitter, redigest(structuredClone(k)))).body.type).toBe(P + 'verdict-mismatch')
        k.baseline = {file: 'baseline.json', newFailures: 0, knownFailures: 1}
        expect((await post('/v1/submissions', tk.submitter, redigest(k))).status).toBe(201)
      })

      it('a run whose category errored must say "incomplete"; it is stored so and approved only with an override', async () => {
        const d = variant({appId: 'v-incomplete'})
        d.categories.security = {status: 'error', errors: 0, warnings: 0, score: null, rules: 1}
        d.findings.push({ruleId: 'SEC-001', category: 'security', severity: 'error', status: 'error', message: 'the site did not answer', clause: 'GB/T 35273-2020'})
        expect((await post('/v1/submissions', tk.submitter, redigest(structuredClone(d)))).body.type).toBe(P + 'verdict-mismatch')
        d.verdict = 'incomplete'
        const c = await post('/v1/submissions', tk.submitter, redigest(d))
        expect(c.status).toBe(201)
        const s = await srv.call('GET', `/v1/submissions/${c.body.id}`, tk.reviewer)
        expect(s.body.verdict).toBe('incomplete')
        const bare = await post(`/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'approve', comment: '看起来没问题'})
        expect(bare.status).toBe(422)
        expect(bare.body.type).toBe(P + 'override-required')
        expect(bare.body.detail).toContain('incomplete')
        const ok = await post(`/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'approve', override: true, comment: '安全检测另行完成，报告已备案'})
        expect(ok.status).toBe(200)
      })

      it('a row stored with verdict "pass" over a failing document (written before the server recomputed) needs the override', async () => {
        const d = variant({appId: 'v-legacy', fail: true})
        d.verdict = 'pass'
        redigest(d)
        const out = await store.createSubmission({
          scope: `submitter:${OWN_CODE}`,
          key: null,
          requestHash: 'legacy',
          appId: d.app.id,
          appName: d.app.name,
          appVersion: d.app.version,
          creditCode: OWN_CODE,
          regionCode: null,
          verdict: 'pass',
          digest: d.digest.value,
          document: JSON.stringify(d),
          entryUrl: null,
          elderUrl: null,
          healthUrl: null,
          actor: {role: 'submitter', tokenId: tk.ids.submitter},
        })
        if (out.kind !== 'created') throw new Error(out.kind)
        const r = await post(`/v1/submissions/${out.body.id}/decision`, tk.reviewer, {decision: 'approve', comment: 'ok'})
        expect(r.status).toBe(422)
        expect(r.body.detail).toContain('fail')
      })

      it('the recomputation itself: categories, wholly errored rules and a failed login make it incomplete', () => {
        const d = variant()
        expect(recomputeVerdict(d).verdict).toBe('pass')
        expect(recomputeVerdict({...d, auth: {ok: false, kind: 'form', message: 'login failed'}}).verdict).toBe('incomplete')
        const r = structuredClone(d)
        r.findings.push({ruleId: 'A11Y-001', category: 'a11y', severity: 'warn', status: 'error', message: 'x', clause: 'WCAG 2.1'})
        expect(recomputeVerdict(r)).toMatchObject({verdict: 'incomplete', incomplete: [{pointer: `/findings/${r.findings.length - 1}`}]})
      })
    })

    describe('signatures that are present are verified', () => {
      it('an SM2-signed result: 201; the same signature over changed content (digest recomputed): 422 signature-invalid', async () => {
        const key = path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-sm2-')), 'key.hex')
        writeFileSync(key, '1' + randomBytes(31).toString('hex') + '1')
        const signed = signDocument(variant({appId: 'v-signed'}), key, 'en', 'sm2') as any
        expect(signed.signature.alg).toBe('sm2')
        expect((await post('/v1/submissions', tk.submitter, signed)).status).toBe(201)
        const changed = structuredClone(signed)
        changed.app.version = '6.6.6'
        const r = await post('/v1/submissions', tk.submitter, redigest(changed))
        expect(r.status).toBe(422)
        expect(r.body.type).toBe(P + 'signature-invalid')
        const garbage = structuredClone(signed)
        garbage.signature.value = 'AAAA'
        expect((await post('/v1/submissions', tk.submitter, garbage)).body.type).toBe(P + 'signature-invalid')
      })
    })

    describe('bodies no store can keep are refused with 400, never 500', () => {
      it('NUL in a string, an unpaired surrogate, bytes that are not UTF-8, 20,000 levels of nesting', async () => {
        const before = await store.countSubmissions()
        const nul = variant({appId: 'v-nul'})
        nul.app.name = 'a\u0000b'
        const r1 = await post('/v1/submissions', tk.submitter, redigest(nul))
        expect(r1.status).toBe(400)
        expect(r1.body.detail).toMatch(/NUL .*\/app\/name/)
        const sur = await post('/v1/submissions', tk.submitter, JSON.stringify(variant({appId: 'v-sur'})).replace('"v-sur"', '"v-sur\\ud800"'))
        expect(sur.status).toBe(400)
        expect(sur.body.detail).toMatch(/unpaired surrogate/)
        const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])
        const bad = await raw(srv.url, 'POST', '/v1/submissions', {Authorization: `Bearer ${tk.submitter}`, 'Content-Type': 'application/json'}, bytes)
        expect(bad.status).toBe(400)
        expect(bad.body.detail).toMatch(/UTF-8/)
        const deep = variant({appId: 'v-deep'})
        deep.metrics.deep = 'DEEP'
        const text = JSON.stringify(deep).replace('"DEEP"', '['.repeat(20_000) + ']'.repeat(20_000))
        const r4 = await post('/v1/submissions', tk.submitter, text)
        expect(r4.status).toBe(400)
        expect(r4.body.detail).toMatch(/deeper than 200/)
        // A NUL in a reviewer's comment, an out-of-range probe status and latency.
        const c = await post('/v1/submissions', tk.submitter, variant({appId: 'v-probe'}))
        expect((await post(`/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'review', comment: 'x\u0000'})).status).toBe(400)
        const ev = (over: Record<string, unknown>) => ({events: [{url: 'https://a.example/', kind: 'entry', ok: true, at: new Date().toISOString(), ...over}]})
        expect((await post('/v1/apps/v-probe/events', tk.monitor, ev({status: 1e12}))).status).toBe(400)
        expect((await post('/v1/apps/v-probe/events', tk.monitor, ev({status: 2 ** 31}))).status).toBe(400)
        expect((await post('/v1/apps/v-probe/events', tk.monitor, ev({latencyMs: 1e300}))).status).toBe(400)
        expect((await post('/v1/apps/v-probe/events', tk.monitor, ev({url: 'https://a.example/\u0000'}))).status).toBe(400)
        expect((await post('/v1/apps/v-probe/events', tk.monitor, ev({status: 200, latencyMs: 12.5}))).status).toBe(201)
        expect(await store.countSubmissions()).toBe(before + 1)
      })

      it('malformed percent-encoding, an encoded surrogate or NUL in a path or query: 400', async () => {
        expect((await post('/v1/submissions', tk.submitter, variant({appId: 'v-pct'}))).status).toBe(201)
        for (const p of ['/v1/apps/%E0%A4%A', '/v1/submissions/%ZZ', '/v1/apps/v-pct/history?x=%', '/v1/submissions?appId=%E0%A4%A', '/v1/apps/%ED%A0%80', '/v1/apps/v%00', '/v1/submissions?appId=v%00', '/v1/submissions/sub%00/document']) {
          const r = await srv.call('GET', p, tk.reviewer)
          expect(r.status, p).toBe(400)
          expect(r.body.type).toBe(P + 'malformed-request')
        }
        // Well-formed encoding still works.
        expect((await srv.call('GET', '/v1/apps/v%2Dpct', tk.reviewer)).status).toBe(200)
      })
    })

    describe('the limits the contract publishes', () => {
      it('Content-Type other than application/json: 415', async () => {
        const body = JSON.stringify({action: 'suspend'})
        expect((await post('/v1/submissions', tk.submitter, variant({appId: 'v-type'}))).status).toBe(201)
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
          const r = await raw(srv.url, 'POST', '/v1/submissions', {Authorization: `Bearer ${tk.submitter}`, 'Content-Type': type}, JSON.stringify(variant()))
          expect(r.status, type).toBe(415)
          expect(r.body.type).toBe(P + 'unsupported-media-type')
        }
        expect((await raw(srv.url, 'POST', '/v1/apps/v-type/actions', {Authorization: `Bearer ${tk.reviewer}`}, body)).status).toBe(415)
        expect((await raw(srv.url, 'POST', '/v1/apps/v-type/actions', {Authorization: `Bearer ${tk.reviewer}`, 'Content-Type': 'application/json; charset=UTF-8'}, JSON.stringify({action: 'suspend'}))).status).toBe(409)
      })

      it('app.id over 200 characters, startedAt in the future, comment and reason over 10,000, probe error over 500, probe time in the future', async () => {
        const long = await post('/v1/submissions', tk.submitter, variant({appId: 'a'.repeat(201)}))
        expect(long.status).toBe(422)
        expect(long.body.errors[0].pointer).toBe('/app/id')
        const future = variant({appId: 'v-future'})
        future.startedAt = new Date(Date.now() + 86_400_000).toISOString()
        const f = await post('/v1/submissions', tk.submitter, redigest(future))
        expect(f.status).toBe(422)
        expect(f.body.errors[0].pointer).toBe('/startedAt')
        const c = await post('/v1/submissions', tk.submitter, variant({appId: 'v-limits'}))
        expect((await post(`/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'review', comment: 'x'.repeat(10_001)})).status).toBe(400)
        expect((await post(`/v1/submissions/${c.body.id}/decision`, tk.reviewer, {decision: 'review', comment: 'x'.repeat(10_000)})).status).toBe(200)
        expect((await post('/v1/apps/v-limits/actions', tk.reviewer, {action: 'publish', reason: 'x'.repeat(10_001)})).status).toBe(400)
        const ev = (over: Record<string, unknown>) => ({events: [{url: 'https://a.example/', kind: 'entry', ok: false, at: new Date().toISOString(), ...over}]})
        expect((await post('/v1/apps/v-limits/events', tk.monitor, ev({error: 'e'.repeat(501)}))).status).toBe(400)
        expect((await post('/v1/apps/v-limits/events', tk.monitor, ev({at: new Date(Date.now() + 3_600_000).toISOString()}))).status).toBe(400)
        expect((await post('/v1/apps/v-limits/events', tk.monitor, ev({error: 'e'.repeat(500)}))).status).toBe(201)
      })
    })

    it('40 concurrent submissions of one app: latestSubmission is the newest, receivedAt strictly increasing in list order', async () => {
      const docs = Array.from({length: 40}, (_, i) => variant({appId: 'v-race', version: `4.0.${i}`}))
      const outs = await Promise.all(docs.map((d, i) => post('/v1/submissions', tk.submitter, d, {'Idempotency-Key': `race-${i}`})))
      expect(outs.map((o) => o.status)).toEqual(docs.map(() => 201))
      const list = (await srv.call('GET', '/v1/submissions?appId=v-race&limit=100', tk.reviewer)).body.items
      expect(list.length).toBe(40)
      const ats = list.map((s: any) => s.receivedAt)
      for (let i = 1; i < ats.length; i++) expect(ats[i] > ats[i - 1], `${ats[i - 1]} < ${ats[i]}`).toBe(true)
      const app = (await srv.call('GET', '/v1/apps/v-race', tk.reviewer)).body
      expect(app.latestSubmission.id).toBe(list.at(-1).id)
      expect(app.latestSubmission.receivedAt).toBe(ats.at(-1))
      // The receipt tells the time stored, and a replay tells the same.
      const receipts = new Map(outs.map((o) => [o.body.id, o.body.receivedAt]))
      for (const s of list) expect(receipts.get(s.id)).toBe(s.receivedAt)
      const again = await post('/v1/submissions', tk.submitter, docs[0], {'Idempotency-Key': 'race-0'})
      expect(again.body).toEqual(outs[0].body)
    })

    it('the same straight through the store, 3 × 40 at once: the latest is the newest, the times strictly increase', async () => {
      for (let round = 0; round < 3; round++) {
        const appId = `v-store-race-${round}`
        const outs = await Promise.all(
          Array.from({length: 40}, (_, i) =>
            store.createSubmission({
              scope: `submitter:${OWN_CODE}`,
              key: `store-race-${round}-${i}`,
              requestHash: `h${i}`,
              appId,
              appName: 'race',
              appVersion: `1.0.${i}`,
              creditCode: OWN_CODE,
              regionCode: null,
              verdict: 'pass',
              digest: 'a'.repeat(64),
              document: '{}',
              entryUrl: null,
              elderUrl: null,
              healthUrl: null,
              actor: {role: 'submitter', tokenId: tk.ids.submitter},
            }),
          ),
        )
        expect(outs.every((o) => o.kind === 'created')).toBe(true)
        const list = await store.listSubmissions({appId, limit: 100, offset: 0})
        for (let i = 1; i < list.length; i++) expect(list[i].receivedAt > list[i - 1].receivedAt).toBe(true)
        expect((await store.getApp(appId))?.latestSubmissionId).toBe(list.at(-1)!.id)
      }
    })

    it('every exchange fits the OpenAPI contract; no answer was a 500', () => {
      expect(srv.exchanges.filter((x) => x.status >= 500)).toEqual([])
      expect(srv.violations).toEqual([])
    })
  })
}

suite('SQLite', () => openSqliteStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-hard-')), 'review.db')))

let cluster: Awaited<ReturnType<typeof startPgCluster>> | undefined
const stores: Store[] = []
afterAll(async () => {
  for (const s of stores) await s.close().catch(() => undefined)
  cluster?.stop()
})
suite('PostgreSQL', async () => {
  cluster ??= await startPgCluster()
  const s = await openPgStore(cluster.createDatabase('hard'))
  stores.push(s)
  return s
})

describe('a store of the previous version, migrated', () => {
  // Before: apps.entry_url etc. followed the latest submission, approved or not.
  const doc = (entry: string) => JSON.stringify({manifest: {app: {entry, elderEntry: 'javascript:alert(1)'}, monitoring: {health: `${entry}healthz`}}})
  const rows = [
    "INSERT INTO apps (app_id, name, version, credit_code, region_code, state, latest_submission_id, latest_approved_id, entry_url, elder_url, health_url, needs_review, review_reason, created_at, updated_at) VALUES ('m-approved', 'A', '2', 'C', NULL, 'published', 'sub_2', 'sub_1', 'http://169.254.169.254/', NULL, NULL, 0, NULL, 't', 't')",
    "INSERT INTO apps (app_id, name, version, credit_code, region_code, state, latest_submission_id, latest_approved_id, entry_url, elder_url, health_url, needs_review, review_reason, created_at, updated_at) VALUES ('m-none', 'B', '1', 'C', NULL, 'registered', 'sub_3', NULL, 'http://10.0.0.1/', NULL, 'http://10.0.0.1/h', 0, NULL, 't', 't')",
    `INSERT INTO submissions (id, app_id, app_name, app_version, credit_code, region_code, status, verdict, digest, received_at, updated_at, token_id, idem_key, document) VALUES ('sub_1', 'm-approved', 'A', '1', 'C', NULL, 'approved', 'pass', 'd', 't1', 't1', 'tok', NULL, '${doc('https://a.example/m/')}')`,
    `INSERT INTO submissions (id, app_id, app_name, app_version, credit_code, region_code, status, verdict, digest, received_at, updated_at, token_id, idem_key, document) VALUES ('sub_2', 'm-approved', 'A', '2', 'C', NULL, 'received', 'pass', 'd', 't2', 't2', 'tok', NULL, '${doc('http://169.254.169.254/')}')`,
    `INSERT INTO submissions (id, app_id, app_name, app_version, credit_code, region_code, status, verdict, digest, received_at, updated_at, token_id, idem_key, document) VALUES ('sub_3', 'm-none', 'B', '1', 'C', NULL, 'received', 'pass', 'd', 't3', 't3', 'tok', NULL, '${doc('http://10.0.0.1/')}')`,
  ]
  const check = async (store: Store) => {
    expect(await store.getApp('m-approved')).toMatchObject({entryUrl: 'https://a.example/m/', elderUrl: null, healthUrl: 'https://a.example/m/healthz'})
    expect(await store.getApp('m-none')).toMatchObject({entryUrl: null, elderUrl: null, healthUrl: null})
  }

  it('SQLite: the monitored URLs become those of the latest approved submission', async () => {
    const {default: Database} = await import('better-sqlite3')
    const {SQLITE_MIGRATIONS} = await import('../../src/review/store-sqlite.js')
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-migrate-')), 'review.db')
    const db = new Database(file)
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
    db.exec(SQLITE_MIGRATIONS[0])
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?)').run(new Date().toISOString())
    for (const r of rows) db.exec(r)
    db.close()
    const store = await openSqliteStore(file)
    try {
      await check(store)
    } finally {
      await store.close()
    }
  })

  it('PostgreSQL: the same', async () => {
    const {default: pg} = await import('pg')
    const {PG_MIGRATIONS} = await import('../../src/review/store-pg.js')
    cluster ??= await startPgCluster()
    const url = cluster.createDatabase('migrate')
    const client = new pg.Client({connectionString: url})
    await client.connect()
    try {
      await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
      for (let i = 0; i < 3; i++) {
        await client.query(PG_MIGRATIONS[i])
        await client.query('INSERT INTO schema_migrations VALUES ($1, $2)', [i + 1, new Date().toISOString()])
      }
      for (const r of rows) await client.query(r)
    } finally {
      await client.end()
    }
    const store = await openPgStore(url)
    stores.push(store)
    await check(store)
  })

  it('both stores end with the same tables and columns (one schema, src/review/store/schema.ts)', async () => {
    const {default: Database} = await import('better-sqlite3')
    const {default: pg} = await import('pg')
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-schema-')), 'review.db')
    await (await openSqliteStore(file)).close()
    const db = new Database(file, {readonly: true})
    const lite: Record<string, string[]> = {}
    for (const {name} of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{name: string}>) {
      lite[name] = (db.prepare(`PRAGMA table_info(${name})`).all() as Array<{name: string; notnull: number}>).map((c) => `${c.name}${c.notnull ? ' not null' : ''}`)
    }
    db.close()
    cluster ??= await startPgCluster()
    const url = cluster.createDatabase('schema')
    await (await openPgStore(url)).close()
    const client = new pg.Client({connectionString: url})
    await client.connect()
    const pgTables: Record<string, string[]> = {}
    try {
      const r = await client.query("SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position")
      for (const c of r.rows) (pgTables[c.table_name] ??= []).push(`${c.column_name}${c.is_nullable === 'NO' ? ' not null' : ''}`)
    } finally {
      await client.end()
    }
    // PostgreSQL marks primary-key columns NOT NULL; SQLite's table_info does not (a rowid alias or
    // a TEXT key): compare the names and the NOT NULL of every other column.
    const names = (t: Record<string, string[]>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.map((c) => c.replace(/ not null$/, ''))]))
    expect(Object.keys(lite).sort()).toEqual(Object.keys(pgTables).sort())
    expect(names(lite)).toEqual(names(pgTables))
    for (const [table, cols] of Object.entries(lite)) for (const c of cols.filter((x) => x.endsWith(' not null'))) expect(pgTables[table], table).toContain(c)
  })
})
