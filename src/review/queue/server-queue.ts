// The review server's part of the job queue (--schedule): checked before the store opens (SQLite
// has no queue: exit 2), started after it. Kept apart from the server command so it stays small.
import {EnvError} from '../../lib/errors.js'
import type {Lang} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {redactUrl} from '../server/cli-flags.js'
import type {Store} from '../store.js'
import type {QueueSettings} from './settings.js'

type Flags = {db?: string; 'database-url'?: string; schedule: boolean; config?: string; profile: string}

export interface QueueSetup {
  url: string | null
  settings: QueueSettings | null
}

export async function prepareQueue(flags: Flags, lang: Lang): Promise<QueueSetup> {
  const {postgresUrl, requirePostgres, loadQueueSettings} = await import('./index.js')
  if (flags.schedule) requirePostgres(flags, 'sjt review-server --schedule', lang)
  const url = postgresUrl(flags)
  return {url, settings: url ? loadQueueSettings(flags.config, lang) : null}
}

export async function startQueue(setup: QueueSetup, flags: Flags, lang: Lang, store: Store): Promise<{metrics: () => Promise<string>; close: () => Promise<void>} | null> {
  if (!setup.url || !setup.settings) return null
  const {openQueue} = await import('./index.js')
  const {renderMetrics} = await import('./metrics.js')
  const log = (rec: Record<string, unknown>) => process.stderr.write(JSON.stringify({time: new Date().toISOString(), ...rec}) + '\n')
  const settings = setup.settings
  if (!flags.schedule) {
    // Without the schedule the server still reports the queue's figures on /metrics.
    const pg = (await import('pg')).default
    const {ensureRecordTables} = await import('./boss.js')
    const pool = new pg.Pool({connectionString: setup.url, max: 2, connectionTimeoutMillis: 10_000})
    pool.on('error', () => undefined)
    try {
      await ensureRecordTables(pool)
    } catch (error) {
      await pool.end().catch(() => undefined)
      throw new EnvError(t(lang, 'queue.failed', {db: redactUrl(setup.url), detail: (error as Error).message.split('\n')[0]}), undefined, t(lang, 'review.storeFailed.hint'))
    }
    return {
      metrics: () => renderMetrics(store, {pool, settings}),
      close: () => pool.end().catch(() => undefined),
    }
  }
  let queue
  try {
    queue = await openQueue(setup.url, settings, {scheduler: true, onError: (e) => log({level: 'error', msg: 'queue error', error: e.message})})
  } catch (error) {
    throw new EnvError(t(lang, 'queue.failed', {db: redactUrl(setup.url), detail: (error as Error).message.split('\n')[0]}), undefined, t(lang, 'review.storeFailed.hint'))
  }
  const {startScheduler} = await import('./scheduler.js')
  let scheduler
  try {
    scheduler = await startScheduler(queue.boss, queue.pool, settings, {profile: flags.profile, log})
  } catch (error) {
    await queue.close()
    throw new EnvError(t(lang, 'queue.failed', {db: redactUrl(setup.url), detail: (error as Error).message.split('\n')[0]}), undefined, t(lang, 'review.storeFailed.hint'))
  }
  process.stderr.write(t(lang, 'queue.schedule.on', {recheck: settings.recheckCron, monitor: settings.monitorCron}) + '\n')
  return {
    metrics: () => renderMetrics(store, {pool: queue.pool, settings}),
    close: async () => {
      await scheduler.stop().catch(() => undefined)
      await queue.close()
    },
  }
}
