// One store suite, run against SQLite and against a real PostgreSQL started for the purpose
// (initdb + pg_ctl in a temporary folder). If PostgreSQL is not installed the PostgreSQL half
// fails: CI installs it.
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {openSqliteStore} from '../../src/review/store-sqlite.js'
import {openPgStore} from '../../src/review/store-pg.js'
import {nextAppState, nextSubmissionStatus, regionPrefix, type NewSubmission, type Store} from '../../src/review/store.js'
import {startPgCluster} from './pg-cluster.js'

const actor = {role: 'submitter' as const, tokenId: 'tok_test'}
const reviewer = {role: 'reviewer' as const, tokenId: 'tok_rev'}

function sub(over: Partial<NewSubmission> = {}): NewSubmission {
  return {
    scope: 'submitter:12140100MB0123457K',
    key: null,
    requestHash: 'h1',
    appId: 'app-a',
    appName: 'A',
    appVersion: '1.0.0',
    creditCode: '12140100MB0123457K',
    regionCode: '140100',
    verdict: 'pass',
    digest: 'a'.repeat(64),
    document: '{"x":1}',
    entryUrl: 'https://a.example/m/',
    elderUrl: null,
    healthUrl: 'https://a.example/healthz',
    actor,
    ...over,
  }
}

function storeSuite(name: string, setup: () => Promise<{open: () => Promise<Store>; done: () => Promise<void>; url?: string}>) {
  describe(`${name} store`, () => {
    let open: () => Promise<Store>
    let done: () => Promise<void>
    let store: Store
    let url: string | undefined

    beforeAll(async () => {
      ;({open, done, url} = await setup())
      store = await open()
    })
    afterAll(async () => {
      await store?.close()
      await done?.()
    })

    it('migrates idempotently and answers ping', async () => {
      await store.migrate()
      await store.migrate()
      expect(await store.ping()).toBe(true)
    })

    it('lists an app\'s re-checks newest first: none where the job queue never ran, the queue\'s records on PostgreSQL', async () => {
      await store.migrate()
      expect(await store.listRechecks('rc-app', 10, 0)).toEqual([])
      if (!url) return
      const {ensureRecordTables} = await import('../../src/review/queue/boss.js')
      const pg = (await import('pg')).default
      const pool = new pg.Pool({connectionString: url, max: 1})
      try {
        await ensureRecordTables(pool)
        const row = (id: string, at: string, regression: number, fails: string[]) =>
          pool.query(
            `INSERT INTO sjt_rechecks (id, job_id, app_id, app_version, trigger, profile, profile_version, verdict, digest, baseline_submission_id, regression, new_failures, document, received_at) VALUES ($1, $2, 'rc-app', '1.0.0', 'nightly', 'shanxi-2022', '2022.1', $3, 'sha256:x', NULL, $4, $5, '{}', $6)`,
            [id, 'job-' + id, regression ? 'fail' : 'pass', regression, JSON.stringify(fails), at],
          )
        await row('rc_1', '2026-11-26T01:00:00.000Z', 0, [])
        await row('rc_2', '2026-11-27T01:00:00.000Z', 1, ['ELD-002'])
        const list = await store.listRechecks('rc-app', 10, 0)
        expect(list.map((r) => [r.id, r.source, r.regression, r.newFailures])).toEqual([['rc_2', 'recheck', true, ['ELD-002']], ['rc_1', 'recheck', false, []]])
        expect((await store.listRechecks('rc-app', 1, 1)).map((r) => r.id)).toEqual(['rc_1'])
        expect(await store.listRechecks('other-app', 10, 0)).toEqual([])
      } finally {
        await pool.end()
      }
    })

    it('keeps tokens by hash, lists them without it, revokes once', async () => {
      await store.createToken({id: 'tok_1', hash: 'f'.repeat(64), role: 'reviewer', creditCode: null, label: 'r', createdAt: '2026-11-26T00:00:00.000Z', revokedAt: null})
      const found = await store.findTokenByHash('f'.repeat(64))
      expect(found).toMatchObject({id: 'tok_1', role: 'reviewer', revokedAt: null})
      expect(JSON.stringify(await store.listTokens())).not.toContain('f'.repeat(64))
      expect(await store.revokeToken('tok_1', '2026-11-26T01:00:00.000Z')).toBe('revoked')
      expect(await store.revokeToken('tok_1', '2026-11-26T02:00:00.000Z')).toBe('already')
      expect(await store.revokeToken('tok_nope', '2026-11-26T02:00:00.000Z')).toBe('not-found')
      expect((await store.findTokenByHash('f'.repeat(64)))?.revokedAt).toBe('2026-11-26T01:00:00.000Z')
    })

    it('creates a submission, registers the app, and replays or refuses a reused key', async () => {
      const first = await store.createSubmission(sub({key: 'k1'}))
      expect(first.kind).toBe('created')
      if (first.kind !== 'created') return
      const again = await store.createSubmission(sub({key: 'k1'}))
      expect(again).toEqual({kind: 'replayed', status: 201, body: first.body})
      expect(await store.createSubmission(sub({key: 'k1', requestHash: 'h2'}))).toEqual({kind: 'key-conflict'})
      // The same key in another department's scope is another key.
      const other = await store.createSubmission(sub({key: 'k1', scope: 'submitter:X', appId: 'app-x', creditCode: '12140200MB07654337'}))
      expect(other.kind).toBe('created')
      const app = await store.getApp('app-a')
      // The monitored URLs are those of an approved submission: none yet.
      expect(app).toMatchObject({state: 'registered', latestSubmissionId: first.body.id, creditCode: '12140100MB0123457K', entryUrl: null, healthUrl: null})
      expect((await store.listSubmissions({appId: 'app-a', limit: 10, offset: 0})).length).toBe(1)
      expect(await store.getSubmissionDocument(first.body.id)).toBe('{"x":1}')
    })

    it('refuses a submission for an app another department owns, recording nothing', async () => {
      const before = await store.countSubmissions()
      expect(await store.createSubmission(sub({creditCode: '12140200MB07654337', key: 'k-foreign', scope: 'submitter:X'}))).toEqual({kind: 'other-department'})
      expect(await store.countSubmissions()).toBe(before)
      // The key was not consumed by the refused request.
      expect((await store.createSubmission(sub({appId: 'app-x', creditCode: '12140200MB07654337', key: 'k-foreign', scope: 'submitter:X'}))).kind).toBe('created')
    })

    it('with liveToken, records only while the token of the actor exists unrevoked, leaving the key free otherwise', async () => {
      const live = {role: 'submitter' as const, tokenId: 'tok_live'}
      await store.createToken({id: 'tok_live', hash: 'e'.repeat(64), role: 'submitter', creditCode: '12140100MB0123457K', label: null, createdAt: '2026-11-26T00:00:00.000Z', revokedAt: null})
      const before = await store.countSubmissions()
      expect(await store.createSubmission(sub({appId: 'app-live', key: 'k-live-0', actor: {role: 'submitter', tokenId: 'tok_unknown'}, liveToken: true}))).toEqual({kind: 'unauthorized'})
      expect(await store.getApp('app-live')).toBeNull()
      const ok = await store.createSubmission(sub({appId: 'app-live', key: 'k-live-1', actor: live, liveToken: true}))
      expect(ok.kind).toBe('created')
      expect(await store.revokeToken('tok_live', '2026-11-26T01:00:00.000Z')).toBe('revoked')
      expect(await store.createSubmission(sub({appId: 'app-live', key: 'k-live-1', actor: live, liveToken: true}))).toEqual({kind: 'unauthorized'})
      expect(await store.createSubmission(sub({appId: 'app-live', key: 'k-live-2', actor: live, liveToken: true}))).toEqual({kind: 'unauthorized'})
      expect(await store.countSubmissions()).toBe(before + 1)
      // The refused request did not consume its key.
      expect((await store.createSubmission(sub({appId: 'app-live', key: 'k-live-2'}))).kind).toBe('created')
      const history = await store.history('app-live')
      expect(history.map((h) => h.name)).toEqual(['register', 'received', 'received'])
      expect(history[1]).toMatchObject({kind: 'submission', submissionId: ok.kind === 'created' ? ok.body.id : '', actor: live, data: {digest: 'a'.repeat(64), verdict: 'pass', version: '1.0.0'}})
    })

    it('an app is registered once even when its first two submissions share a millisecond', async () => {
      vi.useFakeTimers({toFake: ['Date']})
      try {
        vi.setSystemTime(new Date('2026-11-26T03:00:00.000Z'))
        expect((await store.createSubmission(sub({appId: 'app-ms', key: 'k-ms-1'}))).kind).toBe('created')
        expect((await store.createSubmission(sub({appId: 'app-ms', key: 'k-ms-2'}))).kind).toBe('created')
      } finally {
        vi.useRealTimers()
      }
      const history = await store.history('app-ms')
      expect(history.map((h) => h.name)).toEqual(['register', 'received', 'received'])
      // The second follows the first by a millisecond, so the latest is also the newest.
      expect(history.map((h) => h.at)).toEqual(['2026-11-26T03:00:00.000Z', '2026-11-26T03:00:00.000Z', '2026-11-26T03:00:00.001Z'])
      const subs = await store.listSubmissions({appId: 'app-ms', limit: 10, offset: 0})
      expect((await store.getApp('app-ms'))?.latestSubmissionId).toBe(subs[1].id)
    })

    it('concurrent requests with one key make one record', async () => {
      const before = await store.countSubmissions()
      const outs = await Promise.all(Array.from({length: 12}, () => store.createSubmission(sub({appId: 'app-c', key: 'k-race', requestHash: 'hr'}))))
      expect(outs.filter((o) => o.kind === 'created').length).toBe(1)
      expect(outs.filter((o) => o.kind === 'replayed').length).toBe(11)
      expect(new Set(outs.map((o) => (o as {body: {id: string}}).body.id)).size).toBe(1)
      expect(await store.countSubmissions()).toBe(before + 1)
    })

    it('walks the submission state machine and refuses illegal decisions', async () => {
      const c = await store.createSubmission(sub({appId: 'app-d'}))
      if (c.kind !== 'created') throw new Error(c.kind)
      const id = c.body.id
      const at = () => new Date().toISOString()
      expect(await store.decide(id, {decision: 'review', comment: null, override: false, actor: reviewer, at: at()})).toMatchObject({kind: 'ok', value: {status: 'in_review'}})
      expect((await store.getApp('app-d'))?.state).toBe('in_review')
      expect(await store.decide(id, {decision: 'review', comment: null, override: false, actor: reviewer, at: at()})).toEqual({kind: 'illegal', from: 'in_review'})
      const urls = {entryUrl: 'https://d.example/m/', elderUrl: null, healthUrl: 'https://d.example/healthz'}
      expect(await store.decide(id, {decision: 'approve', comment: 'fine', override: false, actor: reviewer, at: at(), urls})).toMatchObject({kind: 'ok', value: {status: 'approved'}})
      // The approved submission's URLs are the app's monitored ones; a later submission leaves them.
      expect(await store.getApp('app-d')).toMatchObject(urls)
      expect((await store.createSubmission(sub({appId: 'app-d', entryUrl: 'http://169.254.169.254/'}))).kind).toBe('created')
      expect(await store.getApp('app-d')).toMatchObject(urls)
      expect(await store.decide(id, {decision: 'reject', comment: 'no', override: false, actor: reviewer, at: at()})).toEqual({kind: 'illegal', from: 'approved'})
      expect(await store.decide('sub_missing', {decision: 'approve', comment: null, override: false, actor: reviewer, at: at()})).toEqual({kind: 'not-found'})
      expect((await store.getApp('app-d'))?.latestApprovedId).toBe(id)
    })

    it('walks the app lifecycle, refuses illegal moves, and keeps history oldest first', async () => {
      const c = await store.createSubmission(sub({appId: 'app-e'}))
      if (c.kind !== 'created') throw new Error(c.kind)
      const at = () => new Date().toISOString()
      expect(await store.act('app-e', {action: 'publish', reason: null, actor: reviewer, at: at()})).toEqual({kind: 'illegal', from: 'registered'})
      await store.decide(c.body.id, {decision: 'review', comment: null, override: false, actor: reviewer, at: at()})
      expect(await store.act('app-e', {action: 'publish', reason: null, actor: reviewer, at: at()})).toEqual({kind: 'not-approved'})
      await store.decide(c.body.id, {decision: 'approve', comment: 'ok', override: false, actor: reviewer, at: at()})
      const steps: Array<[string, string]> = [
        ['publish', 'published'],
        ['suspend', 'suspended'],
        ['restore', 'published'],
        ['delist', 'delisted'],
        ['restore', 'in_review'],
        ['publish', 'published'],
      ]
      for (const [action, state] of steps) {
        expect(await store.act('app-e', {action: action as any, reason: `because ${action}`, actor: reviewer, at: at()})).toMatchObject({kind: 'ok', value: {state}})
      }
      expect(await store.act('app-e', {action: 'restore', reason: null, actor: reviewer, at: at()})).toEqual({kind: 'illegal', from: 'published'})
      expect(await store.act('app-missing', {action: 'publish', reason: null, actor: reviewer, at: at()})).toEqual({kind: 'not-found'})
      const h = await store.history('app-e')
      expect(h.map((x) => x.name)).toEqual(['register', 'received', 'review', 'review', 'approve', 'publish', 'suspend', 'restore', 'delist', 'restore', 'publish'])
      const seqs = h.map((x) => x.seq)
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs)
      expect(h.find((x) => x.name === 'suspend')?.comment).toBe('because suspend')
    })

    it('records probes, flags an app once under the rule, and a reviewer action clears it', async () => {
      const c = await store.createSubmission(sub({appId: 'app-m'}))
      if (c.kind !== 'created') throw new Error(c.kind)
      const now = new Date().toISOString()
      const since = new Date(Date.now() - 7 * 86_400_000).toISOString()
      const rule = {since, failShare: 0.05, minProbes: 20}
      const ok = {url: 'https://a.example/m/', kind: 'entry' as const, ok: true, status: 200, latencyMs: 120, at: now}
      const bad = {...ok, ok: false, status: null, latencyMs: 15000, error: 'timeout'}
      let r = await store.recordProbes('app-m', Array.from({length: 19}, () => ok), reviewer, rule, now)
      expect(r).toMatchObject({flagged: false, newlyFlagged: false, window: {probes: 19, failures: 0}})
      // 1 failure in 20: exactly 5% → flagged.
      r = await store.recordProbes('app-m', [bad], reviewer, rule, now)
      expect(r).toMatchObject({flagged: true, newlyFlagged: true, window: {probes: 20, failures: 1, failureShare: 0.05}})
      r = await store.recordProbes('app-m', [bad], reviewer, rule, now)
      expect(r).toMatchObject({flagged: true, newlyFlagged: false})
      expect((await store.getApp('app-m'))?.needsReview).toBe(true)
      expect((await store.history('app-m')).filter((h) => h.kind === 'monitor').length).toBe(1)
      // Probes older than the window do not count.
      const later = await store.monitorWindow('app-m', new Date(Date.now() + 1000).toISOString())
      expect(later.probes).toBe(0)
      expect(await store.recordProbes('app-none', [ok], reviewer, rule, now)).toBeNull()
    })

    it('groups the window\'s probes by hour and by day, and lists the newest (failed) probes', async () => {
      const c = await store.createSubmission(sub({appId: 'app-series'}))
      if (c.kind !== 'created') throw new Error(c.kind)
      const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000
      const at = (h: number, min: number) => new Date(hour - h * 3_600_000 + min * 60_000).toISOString()
      const p = (h: number, min: number, ok: boolean, latencyMs: number | null) => ({url: 'https://s.example/', kind: 'entry' as const, ok, status: ok ? 200 : 503, latencyMs, error: ok ? null : 'HTTP 503', at: at(h, min)})
      const since = new Date(hour - 48 * 3_600_000).toISOString()
      const events = [p(2, 1, true, 100), p(2, 30, false, 300), p(2, 59, true, null), p(5, 10, true, 50), p(72, 0, false, 1)]
      await store.recordProbes('app-series', events, reviewer, {since, failShare: 0.5, minProbes: 100}, new Date().toISOString())
      const hours = await store.probeSeries('app-series', since, 'hour')
      expect(hours).toEqual([
        {start: new Date(hour - 5 * 3_600_000).toISOString(), probes: 1, failures: 0, avgLatencyMs: 50, maxLatencyMs: 50},
        {start: new Date(hour - 2 * 3_600_000).toISOString(), probes: 3, failures: 1, avgLatencyMs: 200, maxLatencyMs: 300},
      ])
      const days = await store.probeSeries('app-series', since, 'day')
      expect(days.reduce((n, d) => n + d.probes, 0)).toBe(4)
      expect(days.every((d) => d.start.endsWith('T00:00:00.000Z'))).toBe(true)
      const failed = await store.recentProbes('app-series', since, {failedOnly: true, limit: 10})
      expect(failed).toEqual([{url: 'https://s.example/', kind: 'entry', ok: false, status: 503, latencyMs: 300, error: 'HTTP 503', at: at(2, 30)}])
      const newest = await store.recentProbes('app-series', since, {failedOnly: false, limit: 2})
      expect(newest.map((e) => e.at)).toEqual([at(2, 59), at(2, 30)])
    })

    it('lists apps by region prefix and state, and the latest approved results', async () => {
      await store.createSubmission(sub({appId: 'app-dt', regionCode: '140200', creditCode: '12140200MB07654337', scope: 's2'}))
      const ty = await store.listApps({regionCode: '140100', limit: 100, offset: 0})
      expect(ty.every((a) => a.regionCode?.startsWith('1401'))).toBe(true)
      expect(ty.some((a) => a.appId === 'app-a')).toBe(true)
      const sx = await store.listApps({regionCode: '140000', limit: 100, offset: 0})
      expect(sx.some((a) => a.appId === 'app-dt')).toBe(true)
      expect((await store.listApps({state: 'published', limit: 100, offset: 0})).map((a) => a.appId)).toEqual(['app-e'])
      const approved = await store.latestApproved('1401')
      expect(approved.map((a) => a.app.appId).sort()).toEqual(['app-d', 'app-e'])
      expect((await store.latestApproved('1402')).length).toBe(0)
      const paged = await store.listApps({limit: 2, offset: 1})
      expect(paged.length).toBe(2)
    })

    it('keeps everything across close and reopen', async () => {
      const n = await store.countSubmissions()
      await store.close()
      store = await open()
      expect(await store.countSubmissions()).toBe(n)
      expect((await store.getApp('app-e'))?.state).toBe('published')
      const replay = await store.createSubmission(sub({key: 'k1'}))
      expect(replay.kind).toBe('replayed')
    })
  })
}

describe('state machines', () => {
  it('submission: received → in_review → approved | rejected', () => {
    expect(nextSubmissionStatus('received', 'review')).toBe('in_review')
    expect(nextSubmissionStatus('received', 'approve')).toBe('approved')
    expect(nextSubmissionStatus('in_review', 'reject')).toBe('rejected')
    expect(nextSubmissionStatus('approved', 'reject')).toBeNull()
    expect(nextSubmissionStatus('rejected', 'approve')).toBeNull()
    expect(nextSubmissionStatus('in_review', 'review')).toBeNull()
  })
  it('app: every pair', () => {
    const table: Record<string, Record<string, string | null>> = {
      registered: {publish: null, suspend: null, delist: null, restore: null},
      in_review: {publish: 'published', suspend: null, delist: null, restore: null},
      published: {publish: null, suspend: 'suspended', delist: 'delisted', restore: null},
      suspended: {publish: null, suspend: null, delist: 'delisted', restore: 'published'},
      delisted: {publish: null, suspend: null, delist: null, restore: 'in_review'},
    }
    for (const [from, row] of Object.entries(table)) for (const [a, to] of Object.entries(row)) expect(nextAppState(from as any, a as any), `${from} ${a}`).toBe(to)
  })
  it('region prefixes', () => {
    expect(regionPrefix('140000')).toBe('14')
    expect(regionPrefix('140100')).toBe('1401')
    expect(regionPrefix('140105')).toBe('140105')
    expect(regionPrefix('14')).toBe('14')
    expect(regionPrefix(undefined)).toBe('')
  })
})

storeSuite('SQLite', async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-store-')), 'review.db')
  return {open: () => openSqliteStore(file), done: async () => undefined}
})

storeSuite('PostgreSQL', async () => {
  const cluster = await startPgCluster()
  const url = cluster.createDatabase('store')
  return {open: () => openPgStore(url), done: async () => cluster.stop(), url}
})
