// The job queue's names and settings. Re-checks and monitoring probes run on pg-boss (PostgreSQL
// only): the review server with --schedule enqueues, `sjt worker` processes take the jobs. The
// settings come from the `queue:` block of sjt.config.yaml; every figure has a default fit for a
// province, and short ones (seconds) make the tests fast.
import {InputError} from '../../lib/errors.js'
import type {Lang} from '../../core/types.js'
import {CATEGORIES, type Category} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'

/** One queue per kind of job; the dead-letter queue keeps the jobs that failed every retry. */
export const QUEUES = {
  recheck: 'sjt-recheck',
  monitor: 'sjt-monitor',
  /** Fan-out: one job → one sjt-recheck job per published app (nightly cron, new profile version). */
  recheckAll: 'sjt-recheck-all',
  /** Fan-out: one job → one sjt-monitor job per published app whose interval slot has come. */
  monitorAll: 'sjt-monitor-all',
  dead: 'sjt-dead',
} as const

export type JobKind = 'recheck' | 'monitor'
export const JOB_KINDS: JobKind[] = ['recheck', 'monitor']

export interface QueueSettings {
  /** Cron expression (UTC) of the nightly full re-check of every published app. */
  recheckCron: string
  /** Cron expression of the monitoring fan-out (each app is probed once per its interval). */
  monitorCron: string
  /** Categories of a re-check (default: every category, as `sjt check`). */
  categories: Category[]
  /** Attempts after the first before a job is dead-lettered. */
  retryLimit: number
  retryDelaySeconds: number
  /** A job still active this long after it started is failed and retried (its worker died). */
  expireSeconds: number
  /** How often a stale active job is looked for (pg-boss maintenance). */
  maintenanceSeconds: number
  /** How often an idle worker asks for a job. */
  pollSeconds: number
  /** Probe interval for every app, overriding the profiles' monitoring.yaml (tests). */
  monitorIntervalSeconds?: number
  /** PostgreSQL schema of the queue tables. */
  schema: string
}

const DEFAULT_QUEUE: QueueSettings = {
  recheckCron: '0 2 * * *',
  monitorCron: '* * * * *',
  categories: [...CATEGORIES],
  retryLimit: 3,
  retryDelaySeconds: 60,
  expireSeconds: 1800,
  maintenanceSeconds: 60,
  pollSeconds: 2,
  schema: 'pgboss',
}

/** The config's `queue:` block over the defaults (the config schema has already checked types). */
export function queueSettings(block: Record<string, unknown> | undefined, lang: Lang): QueueSettings {
  const s: QueueSettings = {...DEFAULT_QUEUE, ...(block ?? {})} as QueueSettings
  for (const c of s.categories) if (!CATEGORIES.includes(c)) throw new InputError(t(lang, 'queue.badCategory', {category: c, known: CATEGORIES.join(', ')}))
  for (const cron of [s.recheckCron, s.monitorCron]) if (!/^\S+( \S+){4,5}$/.test(cron.trim())) throw new InputError(t(lang, 'queue.badCron', {cron}))
  return s
}

/** `--db postgres://…` or `--database-url`: the PostgreSQL URL, or null for an SQLite file. */
export function postgresUrl(flags: {db?: string; 'database-url'?: string}): string | null {
  if (flags['database-url']) return flags['database-url']
  return flags.db && /^postgres(ql)?:\/\//i.test(flags.db) ? flags.db : null
}
