// The job queue for commands: settings from the config, pg-boss and a pool on the review database.
// PostgreSQL only: with an SQLite store there is no queue (sjt monitor probes from one process).
import path from 'node:path'
import pg from 'pg'
import {InputError} from '../../lib/errors.js'
import {loadConfig} from '../../core/config.js'
import type {Lang} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {ensureQueues, ensureRecordTables, openBoss, type Boss} from './boss.js'

/** An arbitrary constant: the advisory lock under which instances start pg-boss and create the queues. */
const QUEUE_SETUP_LOCK = 0x736a7472
import {postgresUrl, queueSettings, type QueueSettings} from './settings.js'

export {postgresUrl, type QueueSettings} from './settings.js'

/** The queue settings of the config found from the current folder (or the one named). */
export function loadQueueSettings(configFile: string | undefined, lang: Lang): QueueSettings {
  const {config} = loadConfig(process.cwd(), lang, configFile ? path.resolve(configFile) : undefined)
  return queueSettings(config.queue, lang)
}

/** The PostgreSQL URL of the flags, or exit 2 naming the command that needs it. */
export function requirePostgres(flags: {db?: string; 'database-url'?: string}, what: string, lang: Lang): string {
  const url = postgresUrl(flags)
  if (!url) throw new InputError(t(lang, 'queue.needsPostgres', {what, db: flags.db ?? ''}), undefined, t(lang, 'queue.needsPostgres.hint'))
  return url
}

export interface OpenQueue {
  boss: Boss
  pool: pg.Pool
  settings: QueueSettings
  close(): Promise<void>
}

export async function openQueue(url: string, settings: QueueSettings, opts: {scheduler: boolean; onError?: (e: Error) => void}): Promise<OpenQueue> {
  const pool = new pg.Pool({connectionString: url, max: 6, connectionTimeoutMillis: 10_000})
  pool.on('error', () => undefined)
  let boss: Boss | undefined
  try {
    await ensureRecordTables(pool)
    // pg-boss creates a queue's partition and constraints in DDL that deadlocks when two instances
    // create the same queues at the same moment: instances starting together take turns here.
    const c = await pool.connect()
    try {
      await c.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK])
      boss = await openBoss(url, settings, opts)
      await ensureQueues(boss, settings, opts.scheduler)
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [QUEUE_SETUP_LOCK]).catch(() => undefined)
      c.release()
    }
  } catch (error) {
    await boss?.stop({graceful: false, close: true, wait: true}).catch(() => undefined)
    await pool.end().catch(() => undefined)
    throw error
  }
  let closed = false
  return {
    boss,
    pool,
    settings,
    async close() {
      if (closed) return
      closed = true
      await boss!.stop({graceful: false, close: true, wait: true}).catch(() => undefined)
      await pool.end().catch(() => undefined)
    },
  }
}
