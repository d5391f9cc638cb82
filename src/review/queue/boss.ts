// Opening the queue: pg-boss on the review database (its own schema), the queues with their retry,
// expiry and dead-letter policy, and the tables in which workers record what each job did (the
// idempotency of at-least-once delivery: one row per job id).
import {createRequire} from 'node:module'
import pg from 'pg'
import type PgBossType from 'pg-boss'
import {QUEUES, type QueueSettings} from './settings.js'

const require = createRequire(import.meta.url)
const PgBoss = require('pg-boss') as typeof PgBossType

export type Boss = PgBossType

/** An arbitrary constant: the advisory lock under which the record tables are created. */
const TABLES_LOCK = 0x736a7471

const RECORD_TABLES = `
  CREATE TABLE IF NOT EXISTS sjt_job_records (
    job_id TEXT PRIMARY KEY, kind TEXT NOT NULL, app_id TEXT NOT NULL, record_id TEXT NOT NULL,
    outcome TEXT NOT NULL, duration_ms DOUBLE PRECISION NOT NULL, worker TEXT NOT NULL, at TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS sjt_job_records_app ON sjt_job_records (app_id, at);
  CREATE TABLE IF NOT EXISTS sjt_rechecks (
    id TEXT PRIMARY KEY, job_id TEXT NOT NULL UNIQUE, app_id TEXT NOT NULL, app_version TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'recheck' CHECK (source = 'recheck'), trigger TEXT NOT NULL,
    profile TEXT NOT NULL, profile_version TEXT NOT NULL, verdict TEXT NOT NULL, digest TEXT NOT NULL,
    baseline_submission_id TEXT, regression INTEGER NOT NULL, new_failures TEXT NOT NULL, document TEXT NOT NULL, received_at TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS sjt_rechecks_app ON sjt_rechecks (app_id, received_at);
  CREATE TABLE IF NOT EXISTS sjt_job_errors (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, job_id TEXT NOT NULL, kind TEXT NOT NULL, app_id TEXT,
    error TEXT NOT NULL, worker TEXT NOT NULL, at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS sjt_queue_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, at TEXT NOT NULL);`

export async function ensureRecordTables(pool: pg.Pool): Promise<void> {
  const c = await pool.connect()
  try {
    await c.query('BEGIN')
    await c.query('SELECT pg_advisory_xact_lock($1)', [TABLES_LOCK])
    await c.query(RECORD_TABLES)
    await c.query('COMMIT')
  } catch (error) {
    await c.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    c.release()
  }
}

/**
 * Start pg-boss. `scheduler: true` also runs its cron clock (only review servers with --schedule);
 * every instance runs maintenance, which fails and retries jobs whose worker died (expiry).
 */
export async function openBoss(url: string, s: QueueSettings, opts: {scheduler: boolean; onError?: (e: Error) => void}): Promise<Boss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: s.schema,
    max: 4,
    schedule: opts.scheduler,
    supervise: true,
    maintenanceIntervalSeconds: s.maintenanceSeconds,
    // Cron ticks are looked at often enough that a minute's tick is never missed.
    cronMonitorIntervalSeconds: 30,
    cronWorkerIntervalSeconds: 5,
  })
  boss.on('error', (e: Error) => opts.onError?.(e))
  await boss.start()
  return boss
}

/**
 * Create the queues when missing. `own: true` (the scheduler) also applies the settings to queues
 * that exist, so a changed retry or expiry reaches jobs sent from then on.
 */
export async function ensureQueues(boss: Boss, s: QueueSettings, own: boolean): Promise<void> {
  const work = {retryLimit: s.retryLimit, retryDelay: s.retryDelaySeconds, retryBackoff: false, expireInSeconds: s.expireSeconds, deadLetter: QUEUES.dead}
  const plan: Array<[string, Record<string, unknown>]> = [
    [QUEUES.dead, {policy: 'standard'}],
    // stately: at most one pending and one running job per app (the singleton key).
    [QUEUES.recheck, {policy: 'stately', ...work}],
    [QUEUES.monitor, {policy: 'stately', ...work}],
    [QUEUES.recheckAll, {policy: 'short', retryLimit: s.retryLimit, retryDelay: s.retryDelaySeconds, expireInSeconds: 300}],
    [QUEUES.monitorAll, {policy: 'short', retryLimit: 1, retryDelay: 1, expireInSeconds: 300}],
  ]
  for (const [name, options] of plan) {
    const existing = await boss.getQueue(name)
    if (!existing) await boss.createQueue(name, options as never)
    else if (own) await boss.updateQueue(name, options as never)
  }
}
