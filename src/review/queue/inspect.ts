// What `sjt review-server jobs` shows: jobs by queue and state, the dead letters with their error,
// and the latest records.
import type pg from 'pg'
import {QUEUES, type QueueSettings} from './settings.js'

export interface JobsReport {
  queues: Array<{queue: string; created: number; retry: number; active: number; completed: number; failed: number; cancelled: number}>
  dead: Array<{id: string; kind: string; appId: string | null; failedAt: string | null; retries: number; error: string}>
  records: Array<{jobId: string; kind: string; appId: string; recordId: string; outcome: string; durationMs: number; worker: string; at: string}>
}

function errorText(output: unknown): string {
  if (output && typeof output === 'object') {
    const o = output as {message?: unknown; value?: unknown}
    if (typeof o.message === 'string') return o.message
    if (typeof o.value === 'string') return o.value
    return JSON.stringify(output).slice(0, 2000)
  }
  return String(output ?? '')
}

export async function jobsReport(pool: pg.Pool, s: QueueSettings, limit = 50): Promise<JobsReport> {
  const names = Object.values(QUEUES)
  const counts = (await pool.query(`SELECT name, state::text AS state, COUNT(*) AS n FROM ${s.schema}.job WHERE name = ANY($1) GROUP BY name, state`, [names])).rows
  const queues = names.map((queue) => {
    const get = (st: string) => Number(counts.find((r) => r.name === queue && r.state === st)?.n ?? 0)
    return {queue, created: get('created'), retry: get('retry'), active: get('active'), completed: get('completed'), failed: get('failed'), cancelled: get('cancelled')}
  })
  // A job that failed its last retry stays `failed` in its queue (with the error as its output; later
  // in the archive) and a copy waits in the dead-letter queue: the failed original is what is listed.
  const dead = (
    await pool.query(
      `SELECT * FROM (
         SELECT id::text AS id, name, data, output, completed_on, retry_count FROM ${s.schema}.job WHERE name = ANY($1) AND state = 'failed'
         UNION ALL
         SELECT id::text AS id, name, data, output, completed_on, retry_count FROM ${s.schema}.archive WHERE name = ANY($1) AND state = 'failed'
       ) f ORDER BY completed_on DESC NULLS LAST LIMIT $2`,
      [[QUEUES.recheck, QUEUES.monitor], limit],
    )
  ).rows.map((r) => ({
    id: r.id,
    kind: r.name === QUEUES.recheck ? 'recheck' : 'monitor',
    appId: typeof r.data?.appId === 'string' ? r.data.appId : null,
    failedAt: r.completed_on ? new Date(r.completed_on).toISOString() : null,
    retries: Number(r.retry_count),
    error: errorText(r.output),
  }))
  const records = (await pool.query('SELECT job_id, kind, app_id, record_id, outcome, duration_ms, worker, at FROM sjt_job_records ORDER BY at DESC LIMIT $1', [limit])).rows.map((r) => ({
    jobId: r.job_id,
    kind: r.kind,
    appId: r.app_id,
    recordId: r.record_id,
    outcome: r.outcome,
    durationMs: Math.round(Number(r.duration_ms)),
    worker: r.worker,
    at: r.at,
  }))
  return {queues, dead, records}
}
