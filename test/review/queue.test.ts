// Re-checks and monitoring on the PostgreSQL job queue, for real: a throwaway PostgreSQL cluster,
// 31 published apps (30 copies of the sample app served on loopback, and one whose folder no worker
// has), two `sjt review-server --schedule` processes and three `sjt worker` processes, one of them
// SIGKILLed in the middle of a re-check. Short queue figures (seconds) come from the config.
import {mkdtempSync, rmSync, writeFileSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openPgStore} from '../../src/review/store-pg.js'
import type {Store} from '../../src/review/store.js'
import {ROOT, sjt, json} from '../helpers/cli.js'
import {makeToken, OWN_CODE} from './helpers.js'
// @ts-expect-error plain JavaScript helper
import {startPgCluster} from './pg-cluster.js'
import {appId, makeAppFolders, publishApps, sampleServer, spawnSjt, templateResult, until, type Proc} from './queue-helpers.js'

const APPS = 30
const MISSING = 'q-no-folder'
const QUEUE = {
  recheckCron: '0 0 1 1 *',
  monitorCron: '* * * * *',
  categories: ['manifest', 'contract'],
  retryLimit: 3,
  retryDelaySeconds: 1,
  expireSeconds: 20,
  maintenanceSeconds: 1,
  pollSeconds: 0.5,
  monitorIntervalSeconds: 43200,
}

let cluster: any
let url: string
let store: Store
let pool: pg.Pool
let dir: string
let apps: string
let config: string
let site: Awaited<ReturnType<typeof sampleServer>>
const procs: Proc[] = []

beforeAll(async () => {
  cluster = await startPgCluster()
  url = cluster.createDatabase('sjt_queue')
  dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-queue-'))
  // Each response held back 20 ms: a re-check (11 requests of the contract probe) is killed in the middle.
  site = await sampleServer(20)
  ;({apps, config} = makeAppFolders(dir, APPS, site.origin, QUEUE))
  store = await openPgStore(url)
  pool = new pg.Pool({connectionString: url, max: 3})
  const template = await templateResult(apps, ['manifest', 'contract'])
  await publishApps(store, template, [...Array.from({length: APPS}, (_, i) => appId(i)), MISSING])
  // After publication app 00 loses its privacy policy: its re-check newly fails a rule (a regression).
  const m = path.join(apps, appId(0), 'sjt.yaml')
  writeFileSync(m, readFileSync(m, 'utf8').replace(/  policyUrl: .*\n/, ''))
}, 120_000)

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
  await Promise.all(procs.map((p) => p.exited))
  await pool?.end()
  await store?.close()
  await site?.close()
  cluster?.stop()
  if (dir) rmSync(dir, {recursive: true, force: true})
})

const rows = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows

describe('without PostgreSQL there is no queue', () => {
  it('sjt worker and sjt review-server --schedule on an SQLite file exit 2 and say why', async () => {
    const db = path.join(dir, 'review.db')
    const w = await sjt(['worker', '--db', db, '--apps', apps])
    expect(w.code).toBe(2)
    expect(w.stderr).toMatch(/sjt worker needs the PostgreSQL review database/)
    const s = await sjt(['review-server', '--db', db, '--schedule', '--port', '0'])
    expect(s.code).toBe(2)
    expect(s.stderr).toMatch(/sjt review-server --schedule needs the PostgreSQL review database/)
    expect(s.stderr).toMatch(/sjt monitor/)
  })
})

describe('the queue on PostgreSQL', () => {
  it('two review servers with --schedule on one database enqueue each job once', async () => {
    const servers = [0, 1].map(() => {
      const p = spawnSjt(['review-server', '--db', url, '--schedule', '--port', '0', '--rate-limit', '0', '--config', config], dir)
      procs.push(p)
      return p
    })
    // The profile version is new to the database: one of the two servers fans the re-checks out.
    await Promise.race(servers.map((s) => s.waitLog((r) => r.msg === 'recheck fan-out', 90_000)))
    await until(async () => Number((await rows(`SELECT COUNT(*) AS n FROM pgboss.job WHERE name = 'sjt-monitor'`))[0].n) >= APPS + 1, 60_000, 'the probes')
    await Promise.all(servers.map((s) => s.waitLog((r) => r.msg === 'schedule', 60_000)))
    const fanouts = servers.flatMap((s) => s.logs.filter((r) => r.msg === 'recheck fan-out'))
    expect(fanouts).toHaveLength(1)
    expect(servers.flatMap((s) => s.logs.filter((r) => r.msg === 'profile deployed: re-check of every published app enqueued'))).toHaveLength(1)
    const rechecks = await rows(`SELECT singleton_key AS app, COUNT(*) AS n FROM pgboss.job WHERE name = 'sjt-recheck' GROUP BY singleton_key`)
    expect(rechecks).toHaveLength(APPS + 1)
    expect(rechecks.every((r) => Number(r.n) === 1)).toBe(true)
    // Probes: one per app and interval slot, however many fan-outs ran (each server sent one at start).
    const probes = await rows(`SELECT singleton_key AS app, singleton_on, COUNT(*) AS n FROM pgboss.job WHERE name = 'sjt-monitor' GROUP BY singleton_key, singleton_on`)
    expect(new Set(probes.map((r) => r.app)).size).toBe(APPS + 1)
    expect(probes.every((r) => Number(r.n) === 1)).toBe(true)
    // The nightly schedule is pg-boss's, with the config's cron expression.
    const schedules = await rows('SELECT name, cron FROM pgboss.schedule ORDER BY name')
    expect(schedules).toEqual([
      {name: 'sjt-monitor-all', cron: '* * * * *'},
      {name: 'sjt-recheck-all', cron: '0 0 1 1 *'},
    ])
    // A third start with the same profile version enqueues no re-check.
    const again = spawnSjt(['review-server', '--db', url, '--schedule', '--port', '0', '--rate-limit', '0', '--config', config], dir)
    procs.push(again)
    await again.waitLog((r) => r.msg === 'schedule', 60_000)
    // Its URL on stdout: it listens, and SIGTERM now stops it cleanly.
    await until(async () => again.stdout.includes('http://'), 60_000, 'the third server to listen')
    again.child.kill('SIGTERM')
    expect(await again.exited).toBe(0)
    expect(again.logs.some((r) => String(r.msg).startsWith('profile deployed'))).toBe(false)
    expect(Number((await rows(`SELECT COUNT(*) AS n FROM pgboss.job WHERE name = 'sjt-recheck'`))[0].n)).toBe(APPS + 1)
  }, 150_000)

  it('three workers, one SIGKILLed mid-job: every job is recorded exactly once; a job that always fails is dead-lettered', async () => {
    let killed: {jobId: string; appId: string} | null = null
    const workers = [0, 1, 2].map((i) => {
      const p = spawnSjt(['worker', '--db', url, '--apps', apps, '--concurrency', '2', '--config', config, '--grace', '30', '--allow-private-targets'], dir, (rec, self) => {
        // The first worker dies in the middle of its first re-check of a real app.
        if (i === 0 && !killed && rec.msg === 'job started' && rec.kind === 'recheck' && rec.appId !== MISSING) {
          killed = {jobId: rec.jobId, appId: rec.appId}
          self.child.kill('SIGKILL')
        }
      })
      procs.push(p)
      return p
    })
    await until(async () => killed, 90_000, 'the first worker to start a re-check')
    expect(await workers[0].exited).toBe(null)
    const victim = killed!
    // Everything ends: done, or (the app without a folder) failed after its retries.
    await until(
      async () => {
        const r = await rows(`SELECT COUNT(*) AS n FROM pgboss.job WHERE name IN ('sjt-recheck', 'sjt-monitor') AND state IN ('created', 'retry', 'active')`)
        return Number(r[0].n) === 0
      },
      150_000,
      'the queue to drain',
    )
    // Exactly once: one re-check record per app, three probes (entry, elder, health) per app.
    const perApp = await rows(`SELECT app_id, COUNT(*) AS n FROM sjt_rechecks GROUP BY app_id ORDER BY app_id`)
    expect(perApp.map((r) => r.app_id)).toEqual(Array.from({length: APPS}, (_, i) => appId(i)))
    expect(perApp.every((r) => Number(r.n) === 1)).toBe(true)
    const probes = await rows(`SELECT app_id, COUNT(*) AS n FROM probes GROUP BY app_id`)
    expect(probes).toHaveLength(APPS + 1)
    expect(probes.every((r) => Number(r.n) === 3)).toBe(true)
    const completed = await rows(`SELECT id::text AS id FROM pgboss.job WHERE name = 'sjt-recheck' AND state = 'completed'`)
    const records = await rows(`SELECT job_id FROM sjt_job_records WHERE kind = 'recheck'`)
    expect(records.map((r) => r.job_id).sort()).toEqual(completed.map((r) => r.id).sort())
    expect(records).toHaveLength(APPS)
    // The killed worker's job ran again (after its expiry) on another worker and was recorded once, by it.
    const job = (await rows(`SELECT state::text AS state, retry_count FROM pgboss.job WHERE id = $1`, [victim.jobId]))[0]
    expect(job.state).toBe('completed')
    expect(Number(job.retry_count)).toBeGreaterThanOrEqual(1)
    const rec = await rows(`SELECT worker FROM sjt_job_records WHERE job_id = $1`, [victim.jobId])
    expect(rec).toHaveLength(1)
    expect(rec[0].worker).not.toContain(`:${workers[0].child.pid}`)
    // Re-checks are kept apart from submissions: the departments' 31 submissions are all there is.
    expect(await store.countSubmissions()).toBe(APPS + 1)
    expect((await rows(`SELECT DISTINCT source FROM sjt_rechecks`)).map((r) => r.source)).toEqual(['recheck'])

    // The app without a folder failed its first attempt and its three retries, then was dead-lettered.
    const errors = await rows(`SELECT error FROM sjt_job_errors WHERE app_id = $1`, [MISSING])
    expect(errors).toHaveLength(4)
    expect(errors[0].error).toMatch(/no folder of app q-no-folder/)
    const listed = await sjt(['review-server', 'jobs', '--db', url, '--json', '--config', config])
    expect(listed.code).toBe(0)
    const report = json(listed)
    expect(report.dead).toEqual([expect.objectContaining({kind: 'recheck', appId: MISSING, retries: 3, error: expect.stringMatching(/no folder of app q-no-folder/)})])
    expect(report.queues.find((q: any) => q.queue === 'sjt-dead').created).toBe(1)
    const text = await sjt(['review-server', 'jobs', '--db', url, '--config', config, '--fail-on-dead'])
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(/dead-lettered jobs \(retries exhausted\): 1/)

    // App 00 lost its privacy policy after publication: its re-check marks it for review.
    const app0 = await store.getApp(appId(0))
    expect(app0!.needsReview).toBe(true)
    expect(app0!.reviewReason).toMatch(/^recheck: /)
    const hist = await store.history(appId(0))
    expect(hist.at(-1)).toMatchObject({kind: 'monitor', name: 'flagged', actor: {role: 'monitor'}, data: expect.objectContaining({source: 'recheck'})})
    expect((await store.getApp(appId(1)))!.needsReview).toBe(false)

    // SIGTERM: the workers stop taking jobs and exit cleanly.
    for (const w of workers.slice(1)) w.child.kill('SIGTERM')
    expect(await workers[1].exited).toBe(0)
    expect(await workers[2].exited).toBe(0)
    expect(workers[1].logs.some((r) => r.msg === 'worker stopped')).toBe(true)
  }, 240_000)

  it('GET /metrics: Prometheus text for monitor and auditor tokens only', async () => {
    const base = procs.map((p) => p.stdout.trim().split('\n')[0]).find((u) => u.startsWith('http://'))
    const monitor = await makeToken(store, 'monitor')
    const submitter = await makeToken(store, 'submitter', OWN_CODE)
    const res = await fetch(`${base}/metrics`, {headers: {Authorization: `Bearer ${monitor.token}`}})
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = await res.text()
    expect(text).toContain('# TYPE sjt_queue_depth gauge')
    expect(text).toMatch(/^sjt_queue_depth\{kind="recheck"\} 0$/m)
    expect(text).toMatch(new RegExp(`^sjt_job_duration_seconds_count\\{kind="recheck"\\} ${APPS}$`, 'm'))
    expect(text).toMatch(new RegExp(`^sjt_job_duration_seconds_count\\{kind="monitor"\\} ${APPS + 1}$`, 'm'))
    expect(text).toMatch(/^sjt_job_failures_total\{kind="recheck"\} [3-9]\d*$/m)
    expect(text).toMatch(new RegExp(`^sjt_submissions_total\\{source="department"\\} ${APPS + 1}$`, 'm'))
    expect(text).toMatch(new RegExp(`^sjt_submissions_total\\{source="recheck"\\} ${APPS}$`, 'm'))
    expect(text).toMatch(/^sjt_queue_dead_letters 1$/m)
    expect((await fetch(`${base}/metrics`, {headers: {Authorization: `Bearer ${submitter.token}`}})).status).toBe(403)
    expect((await fetch(`${base}/metrics`)).status).toBe(401)
  }, 60_000)

  it('the commands of docs/workers.md run as written', async () => {
    const md = readFileSync(path.join(ROOT, 'docs', 'workers.md'), 'utf8')
    const shown = [...md.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n').filter((l) => l.startsWith('sjt ')))
    // How each runs: `serve` ones until ready, then SIGTERM (exit 0); the others to their exit code.
    // The PostgreSQL ones get SJT_DATABASE_URL, as the page says; the SQLite one does not.
    const plan: Record<string, {pg: boolean; serve?: (p: Proc) => Promise<unknown>; code?: number; out?: RegExp}> = {
      'sjt review-server --schedule': {pg: true, serve: (p) => until(async () => p.stdout.includes('http://'), 60_000, 'the server')},
      'sjt worker --apps apps --concurrency 2': {pg: true, serve: (p) => p.waitLog((r) => r.msg === 'worker started', 60_000)},
      'sjt review-server jobs': {pg: true, code: 0, out: /sjt-recheck/},
      'sjt review-server jobs --json --fail-on-dead': {pg: true, code: 1, out: /"dead": \[/},
      'sjt worker --db review.db': {pg: false, code: 2},
    }
    expect(shown.sort()).toEqual(Object.keys(plan).sort())
    for (const cmd of shown) {
      const args = cmd.split(' ').slice(1)
      const p = plan[cmd]
      const env = p.pg ? {SJT_DATABASE_URL: url} : {SJT_DATABASE_URL: ''}
      if (p.serve) {
        const proc = spawnSjt(args, dir, undefined, env)
        procs.push(proc)
        await p.serve(proc)
        proc.child.kill('SIGTERM')
        expect(await proc.exited, `${cmd}\n${proc.stderr.slice(-1000)}`).toBe(0)
      } else {
        const r = await sjt(args, {cwd: dir, env})
        expect(r.code, `${cmd}\n${r.stderr}`).toBe(p.code)
        if (p.out) expect(r.stdout).toMatch(p.out)
      }
    }
  }, 120_000)
})
