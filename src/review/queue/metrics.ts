// GET /metrics in the Prometheus text format (version 0.0.4): submissions by source, and with the
// queue (PostgreSQL) jobs by queue and state, job durations, failed attempts and dead letters.
// Counters come from tables that only grow (sjt_job_records, sjt_job_errors, submissions,
// sjt_rechecks), so they never go back between two scrapes.
import type pg from 'pg'
import type {Store} from '../store.js'
import {JOB_KINDS, QUEUES, type QueueSettings} from './settings.js'

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/** Duration buckets (seconds) of a job: a probe takes well under a second, a full re-check minutes. */
const BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

class Text {
  lines: string[] = []
  family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    return this
  }
  sample(name: string, labels: Record<string, string>, value: number): this {
    const l = Object.entries(labels)
      .map(([k, v]) => `${k}="${esc(v)}"`)
      .join(',')
    this.lines.push(`${name}${l ? `{${l}}` : ''} ${Number.isFinite(value) ? value : 0}`)
    return this
  }
  toString(): string {
    return this.lines.join('\n') + '\n'
  }
}

export async function renderMetrics(store: Store, queue: {pool: pg.Pool; settings: QueueSettings} | null): Promise<string> {
  const m = new Text()
  m.family('sjt_submissions_total', 'counter', 'Results recorded, by source: a department\'s submission or a scheduled re-check')
  m.sample('sjt_submissions_total', {source: 'department'}, await store.countSubmissions())
  if (!queue) {
    m.family('sjt_queue_enabled', 'gauge', '1 when re-checks and monitoring run on the PostgreSQL job queue')
    m.sample('sjt_queue_enabled', {}, 0)
    return m.toString()
  }
  const {pool, settings} = queue
  const q = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows
  const rechecks = await q('SELECT COUNT(*) AS n FROM sjt_rechecks').catch(() => [{n: 0}])
  m.sample('sjt_submissions_total', {source: 'recheck'}, Number(rechecks[0].n))
  m.family('sjt_queue_enabled', 'gauge', '1 when re-checks and monitoring run on the PostgreSQL job queue')
  m.sample('sjt_queue_enabled', {}, 1)

  const states = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled']
  const byQueue = new Map<string, Record<string, number>>()
  for (const name of Object.values(QUEUES)) byQueue.set(name, Object.fromEntries(states.map((s) => [s, 0])))
  const rows = await q(`SELECT name, state::text AS state, COUNT(*) AS n FROM ${settings.schema}.job WHERE name = ANY($1) GROUP BY name, state`, [Object.values(QUEUES)]).catch(() => [])
  for (const r of rows) byQueue.get(r.name)![r.state] = Number(r.n)
  m.family('sjt_queue_depth', 'gauge', 'Jobs waiting to run (created or waiting to retry), by kind')
  for (const kind of JOB_KINDS) {
    const s = byQueue.get(QUEUES[kind])!
    m.sample('sjt_queue_depth', {kind}, s.created + s.retry)
  }
  m.family('sjt_queue_jobs', 'gauge', 'Jobs held by the queue (until archived), by queue and state')
  for (const [name, s] of byQueue) for (const st of states) m.sample('sjt_queue_jobs', {queue: name, state: st}, s[st])
  m.family('sjt_queue_dead_letters', 'gauge', 'Jobs that failed every retry and wait in the dead-letter queue')
  m.sample('sjt_queue_dead_letters', {}, byQueue.get(QUEUES.dead)!.created)

  m.family('sjt_job_duration_seconds', 'histogram', 'Time a job took from start to its record, by kind')
  const dur = await q('SELECT kind, duration_ms FROM sjt_job_records')
  for (const kind of JOB_KINDS) {
    const xs = dur.filter((r) => r.kind === kind).map((r) => Number(r.duration_ms) / 1000)
    for (const b of BUCKETS) m.sample('sjt_job_duration_seconds_bucket', {kind, le: String(b)}, xs.filter((x) => x <= b).length)
    m.sample('sjt_job_duration_seconds_bucket', {kind, le: '+Inf'}, xs.length)
    m.sample('sjt_job_duration_seconds_sum', {kind}, Math.round(xs.reduce((a, b) => a + b, 0) * 1000) / 1000)
    m.sample('sjt_job_duration_seconds_count', {kind}, xs.length)
  }
  m.family('sjt_job_failures_total', 'counter', 'Failed job attempts (each is retried until the retries run out), by kind')
  const fails = await q('SELECT kind, COUNT(*) AS n FROM sjt_job_errors GROUP BY kind')
  for (const kind of JOB_KINDS) m.sample('sjt_job_failures_total', {kind}, Number(fails.find((r) => r.kind === kind)?.n ?? 0))
  m.family('sjt_recheck_regressions_total', 'counter', 'Re-checks that newly failed rules and marked the app for review')
  const reg = await q('SELECT COUNT(*) AS n FROM sjt_rechecks WHERE regression = 1')
  m.sample('sjt_recheck_regressions_total', {}, Number(reg[0].n))
  return m.toString()
}
