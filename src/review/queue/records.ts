// Recording what a job found, exactly once per job. Delivery is at least once (a worker that dies
// mid-job has its job retried after the expiry), so each recording is one transaction that first
// claims the job id in sjt_job_records: a second attempt of the same job finds the claim and
// records nothing more. Re-check results are checked like a department's submission (result schema,
// digest) but kept apart from submissions (sjt_rechecks, source = recheck): they never enter the
// reviewers' queue, never become an app's latest submission and cannot publish anything. A
// re-check that newly fails rules the approved result passed marks the app for review, as the
// monitoring rule does.
import {computeDigest} from '../../core/result.js'
import type {Finding, ResultDocument} from '../../core/types.js'
import {describeAjvError, schemaValidator} from '../../lib/schema.js'
import type pg from 'pg'
import {addHistory, APP_COLS, appRow, windowOf} from '../store/rows.js'
import {newId} from '../store/states.js'
import type {Query} from '../store/dialect.js'
import type {Actor, MonitorWindow, ProbeEvent} from '../store.js'
import type {JobKind} from './settings.js'

/** The actor written into history by workers: the monitor role, a worker identity for a token id. */
function workerActor(worker: string): Actor {
  return {role: 'monitor', tokenId: `worker:${worker}`.slice(0, 200)}
}

class InvalidRecheck extends Error {}

let validate: ReturnType<typeof schemaValidator> | null = null

/** The checks POST /v1/submissions makes of a result document: the schema, then the digest. */
function validateRecheck(doc: ResultDocument): void {
  validate ??= schemaValidator('result')
  if (!validate(doc)) {
    const e = (validate.errors ?? [])[0]
    throw new InvalidRecheck(`the re-check result is not a valid result document: ${e ? `${e.instancePath || '/'} ${describeAjvError(e)}` : 'schema'}`)
  }
  const digest = computeDigest(doc as unknown as Record<string, unknown>)
  if (digest !== doc.digest.value) throw new InvalidRecheck(`the re-check result's digest ${doc.digest.value} does not match its content (${digest})`)
}

async function tx<T>(pool: pg.Pool, fn: (q: Query) => Promise<T>): Promise<T> {
  const c = await pool.connect()
  try {
    await c.query('BEGIN')
    let n = 0
    const q: Query = async (sql, params = []) => {
      n = 0
      const r = await c.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      )
      return {rows: r.rows, changes: r.rowCount ?? 0}
    }
    const out = await fn(q)
    await c.query('COMMIT')
    return out
  } catch (error) {
    await c.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    c.release()
  }
}

/** Claim the job id; null when an earlier attempt already recorded it (then its record id). */
async function claim(q: Query, job: {id: string; kind: JobKind; appId: string; worker: string; durationMs: number}, recordId: string, outcome: string, at: string): Promise<string | null> {
  const r = await q('INSERT INTO sjt_job_records (job_id, kind, app_id, record_id, outcome, duration_ms, worker, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING', [
    job.id,
    job.kind,
    job.appId,
    recordId,
    outcome,
    job.durationMs,
    job.worker,
    at,
  ])
  if (r.changes === 1) return null
  return (await q('SELECT record_id FROM sjt_job_records WHERE job_id = ?', [job.id])).rows[0].record_id
}

/** Error rules that fail now and did not fail in the approved result. */
function newFailures(now: ResultDocument, before: ResultDocument | null): string[] {
  const failing = (d: ResultDocument) => new Set(d.findings.filter((f: Finding) => f.status === 'fail' && f.severity === 'error' && !f.waiver).map((f) => f.ruleId))
  const was = before ? failing(before) : new Set<string>()
  return [...failing(now)].filter((id) => !was.has(id)).sort()
}

export interface RecheckRecord {
  id: string
  replayed: boolean
  regression: boolean
  newFailures: string[]
}

export async function recordRecheck(
  pool: pg.Pool,
  job: {id: string; appId: string; trigger: string; worker: string; durationMs: number},
  doc: ResultDocument,
): Promise<RecheckRecord> {
  validateRecheck(doc)
  const at = new Date().toISOString()
  const id = newId('rck')
  const actor = workerActor(job.worker)
  return tx(pool, async (q) => {
    const row = (await q(`SELECT ${APP_COLS} FROM apps WHERE app_id = ? FOR UPDATE`, [job.appId])).rows[0]
    if (!row) throw new InvalidRecheck(`app ${job.appId} is not registered`)
    const app = appRow(row)
    const baseline = app.latestApprovedId ? (await q('SELECT document FROM submissions WHERE id = ?', [app.latestApprovedId])).rows[0] : undefined
    const before = baseline ? (JSON.parse(baseline.document) as ResultDocument) : null
    const fresh = newFailures(doc, before)
    const regression = doc.verdict === 'fail' && fresh.length > 0
    const taken = await claim(q, {...job, kind: 'recheck'}, id, regression ? 'regression' : doc.verdict, at)
    if (taken) {
      const prior = (await q('SELECT regression, new_failures FROM sjt_rechecks WHERE id = ?', [taken])).rows[0]
      return {id: taken, replayed: true, regression: Number(prior?.regression) === 1, newFailures: prior ? JSON.parse(prior.new_failures) : []}
    }
    await q(
      `INSERT INTO sjt_rechecks (id, job_id, app_id, app_version, source, trigger, profile, profile_version, verdict, digest, baseline_submission_id, regression, new_failures, document, received_at)
       VALUES (?, ?, ?, ?, 'recheck', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, job.id, job.appId, doc.app.version, job.trigger, doc.profile.name, doc.profile.version, doc.verdict, doc.digest.value, app.latestApprovedId, regression ? 1 : 0, JSON.stringify(fresh), JSON.stringify(doc), at],
    )
    if (regression && !app.needsReview) {
      const reason = `recheck: ${fresh.length} rule(s) fail that passed in the approved result (${fresh.slice(0, 5).join(', ')}${fresh.length > 5 ? ', …' : ''})`
      await q('UPDATE apps SET needs_review = 1, review_reason = ?, updated_at = ? WHERE app_id = ?', [reason, at, job.appId])
      await addHistory(q, {appId: job.appId, submissionId: null, kind: 'monitor', name: 'flagged', from: app.state, to: app.state, actor, comment: reason, data: {source: 'recheck', recheckId: id, jobId: job.id, newFailures: fresh}, at})
    }
    return {id, replayed: false, regression, newFailures: fresh}
  })
}

export interface ProbeRecord {
  id: string
  replayed: boolean
  window: MonitorWindow | null
  newlyFlagged: boolean
}

/** What POST /v1/apps/{appId}/events does (store.recordProbes), with the job's claim in the same transaction. */
export async function recordProbeJob(
  pool: pg.Pool,
  job: {id: string; appId: string; worker: string; durationMs: number},
  events: ProbeEvent[],
  rule: {since: string; failShare: number; minProbes: number},
): Promise<ProbeRecord> {
  const at = new Date().toISOString()
  const actor = workerActor(job.worker)
  const id = `probes:${job.id}`
  return tx(pool, async (q) => {
    const row = (await q(`SELECT ${APP_COLS} FROM apps WHERE app_id = ? FOR UPDATE`, [job.appId])).rows[0]
    if (!row) return {id, replayed: false, window: null, newlyFlagged: false}
    const app = appRow(row)
    const failed = events.filter((e) => !e.ok).length
    if (await claim(q, {...job, kind: 'monitor'}, id, `${events.length - failed}/${events.length} open`, at)) return {id, replayed: true, window: null, newlyFlagged: false}
    for (const e of events) {
      await q('INSERT INTO probes (app_id, url, kind, ok, status, latency_ms, error, at, token_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [job.appId, e.url, e.kind, e.ok ? 1 : 0, e.status, e.latencyMs, e.error ?? null, e.at, actor.tokenId])
    }
    const window = windowOf((await q('SELECT ok, latency_ms, at FROM probes WHERE app_id = ? AND at >= ?', [job.appId, rule.since])).rows, rule.since)
    const breaks = window.probes >= rule.minProbes && window.failureShare >= rule.failShare
    let newlyFlagged = false
    if (breaks && !app.needsReview) {
      const reason = `monitoring: ${window.failures}/${window.probes} probes failed to open since ${rule.since}`
      await q('UPDATE apps SET needs_review = 1, review_reason = ?, updated_at = ? WHERE app_id = ?', [reason, at, job.appId])
      await addHistory(q, {appId: job.appId, submissionId: null, kind: 'monitor', name: 'flagged', from: app.state, to: app.state, actor, comment: reason, data: {...window, jobId: job.id}, at})
      newlyFlagged = true
    }
    return {id, replayed: false, window, newlyFlagged}
  })
}

/** A failed attempt, kept for `sjt review-server jobs` and the failure counter of /metrics. */
export async function recordJobError(pool: pg.Pool, e: {jobId: string; kind: string; appId: string | null; error: string; worker: string}): Promise<void> {
  await pool.query('INSERT INTO sjt_job_errors (job_id, kind, app_id, error, worker, at) VALUES ($1, $2, $3, $4, $5, $6)', [e.jobId, e.kind, e.appId, e.error.slice(0, 2000), e.worker, new Date().toISOString()])
}
