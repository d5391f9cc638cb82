// The schedule (sjt review-server --schedule): pg-boss cron schedules send a fan-out job nightly
// (full re-check) and every minute (monitoring); a server that starts with a profile version the
// database has not seen sends a re-check fan-out too. Fan-out jobs are taken by one scheduler
// each and turn into one job per published app. Every send is de-duplicated by the queue itself:
// a re-check has the app as its singleton key (one pending per app), a probe also has the app's
// interval slot (one per app per interval), so any number of schedulers enqueue each job once.
import type pg from 'pg'
import {loadProfile} from '../../core/profile.js'
import {loadMonitoringRule} from '../server.js'
import type {Boss} from './boss.js'
import {QUEUES, type QueueSettings} from './settings.js'

export interface RecheckData {
  appId: string
  trigger: string
}

export interface MonitorData {
  appId: string
  intervalSeconds: number
}

type Log = (rec: Record<string, unknown>) => void

/** Published apps with the profile of their approved result (the one whose monitoring rule applies). */
async function publishedApps(pool: pg.Pool): Promise<Array<{appId: string; profile: string | null}>> {
  const {rows} = await pool.query(
    `SELECT a.app_id, (s.document::jsonb -> 'profile' ->> 'name') AS profile
       FROM apps a LEFT JOIN submissions s ON s.id = a.latest_approved_id
      WHERE a.state = 'published' ORDER BY a.app_id`,
  )
  return rows.map((r) => ({appId: r.app_id, profile: r.profile ?? null}))
}

/**
 * Send one re-check per published app; returns how many were new (the others were pending).
 * @public bench/workers.bench.js imports it from dist/ by path.
 */
export async function fanOutRechecks(boss: Boss, pool: pg.Pool, trigger: string): Promise<{apps: number; sent: number}> {
  const apps = await publishedApps(pool)
  let sent = 0
  for (const a of apps) {
    const id = await boss.send(QUEUES.recheck, {appId: a.appId, trigger} satisfies RecheckData, {singletonKey: a.appId})
    if (id) sent++
  }
  return {apps: apps.length, sent}
}

const intervals = new Map<string, number>()

function intervalOf(profile: string | null, s: QueueSettings, fallback: string): number {
  if (s.monitorIntervalSeconds) return s.monitorIntervalSeconds
  const name = profile ?? fallback
  let v = intervals.get(name)
  if (v === undefined) {
    try {
      v = loadMonitoringRule(name).intervalSeconds
    } catch {
      v = loadMonitoringRule(fallback).intervalSeconds
    }
    intervals.set(name, v)
  }
  return v
}

/** Send one probe per published app for its current interval slot (already sent → nothing). */
async function fanOutProbes(boss: Boss, pool: pg.Pool, s: QueueSettings, fallbackProfile: string): Promise<{apps: number; sent: number}> {
  const apps = await publishedApps(pool)
  let sent = 0
  for (const a of apps) {
    const seconds = intervalOf(a.profile, s, fallbackProfile)
    const id = await boss.send(QUEUES.monitor, {appId: a.appId, intervalSeconds: seconds} satisfies MonitorData, {singletonKey: a.appId, singletonSeconds: seconds})
    if (id) sent++
  }
  return {apps: apps.length, sent}
}

/**
 * Record the profile version this server runs; true when it differs from the one the database saw
 * last (or none was seen). One statement, so of two servers starting together one sees the change.
 */
async function profileDeployed(pool: pg.Pool, name: string, version: string): Promise<{changed: boolean; previous: string | null}> {
  const key = `profile:${name}`
  const now = new Date().toISOString()
  const {rows} = await pool.query(
    `WITH prev AS (SELECT value FROM sjt_queue_state WHERE key = $1 FOR UPDATE)
     INSERT INTO sjt_queue_state (key, value, at) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, at = excluded.at WHERE sjt_queue_state.value <> excluded.value
     RETURNING (SELECT value FROM prev) AS previous`,
    [key, version, now],
  )
  return {changed: rows.length === 1, previous: rows[0]?.previous ?? null}
}

export interface Scheduler {
  stop(): Promise<void>
}

export async function startScheduler(boss: Boss, pool: pg.Pool, s: QueueSettings, opts: {profile: string; log: Log}): Promise<Scheduler> {
  const {log} = opts
  await boss.schedule(QUEUES.recheckAll, s.recheckCron, {trigger: 'nightly'}, {tz: 'UTC'})
  await boss.schedule(QUEUES.monitorAll, s.monitorCron, {trigger: 'interval'}, {tz: 'UTC'})
  const poll = {pollingIntervalSeconds: Math.max(0.5, s.pollSeconds), batchSize: 1}
  const w1 = await boss.work<{trigger?: string}>(QUEUES.recheckAll, poll, async ([job]) => {
    const out = await fanOutRechecks(boss, pool, job.data?.trigger ?? 'nightly')
    log({level: 'info', msg: 'recheck fan-out', jobId: job.id, trigger: job.data?.trigger, ...out})
    return out
  })
  const w2 = await boss.work(QUEUES.monitorAll, poll, async ([job]) => {
    const out = await fanOutProbes(boss, pool, s, opts.profile)
    log({level: 'info', msg: 'monitor fan-out', jobId: job.id, ...out})
    return out
  })
  const profile = loadProfile(opts.profile, 'en')
  const deployed = await profileDeployed(pool, profile.name, profile.version)
  if (deployed.changed) {
    const trigger = `profile ${profile.name} ${deployed.previous ?? '(none)'} → ${profile.version}`
    await boss.send(QUEUES.recheckAll, {trigger}, {singletonKey: `profile:${profile.name}@${profile.version}`})
    log({level: 'info', msg: 'profile deployed: re-check of every published app enqueued', trigger})
  }
  // The first probes need not wait for the minute's cron tick.
  await boss.send(QUEUES.monitorAll, {trigger: 'start'}, {singletonKey: 'start'})
  log({level: 'info', msg: 'schedule', recheckCron: s.recheckCron, monitorCron: s.monitorCron, profile: `${profile.name}@${profile.version}`})
  return {
    async stop() {
      await boss.offWork({id: w1})
      await boss.offWork({id: w2})
    },
  }
}
