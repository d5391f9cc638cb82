// The portable SQL store: every read and write, once, for both databases; a Dialect supplies the
// differences (dialect.ts).
import type {Dialect} from './dialect.js'
import {addHistory, APP_COLS, appRow, historyRow, SUB_COLS, subRow, tokenRow, windowOf} from './rows.js'
import {newId, nextAppState, nextSubmissionStatus, regionPrefix} from './states.js'
import type {
  Actor,
  AppAction,
  AppFilter,
  AppRecord,
  CreateOutcome,
  Decision,
  HistoryEntry,
  MonitoredUrls,
  MonitorWindow,
  ProbeBucket,
  NewSubmission,
  ProbeEvent,
  RecheckSummary,
  Store,
  SubmissionFilter,
  SubmissionReceipt,
  SubmissionRecord,
  TokenRecord,
  TransitionOutcome,
} from './types.js'

export class SqlStore implements Store {
  constructor(private readonly d: Dialect) {}

  get kind(): 'sqlite' | 'postgres' {
    return this.d.kind
  }

  migrate(): Promise<void> {
    return this.d.migrate()
  }

  ping(): Promise<boolean> {
    return this.d.ping()
  }

  close(): Promise<void> {
    return this.d.close()
  }

  async createToken(t: TokenRecord & {hash: string}): Promise<void> {
    await this.d.query('INSERT INTO tokens (id, hash, role, credit_code, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)', [t.id, t.hash, t.role, t.creditCode, t.label, t.createdAt])
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    const {rows} = await this.d.query('SELECT id, role, credit_code, label, created_at, revoked_at FROM tokens WHERE hash = ?', [hash])
    return rows.length ? tokenRow(rows[0]) : null
  }

  async listTokens(): Promise<TokenRecord[]> {
    const {rows} = await this.d.query('SELECT id, role, credit_code, label, created_at, revoked_at FROM tokens ORDER BY created_at, id')
    return rows.map(tokenRow)
  }

  async revokeToken(id: string, at: string): Promise<'revoked' | 'already' | 'not-found'> {
    return this.d.tx(async (q) => {
      const {rows} = await q(`SELECT revoked_at FROM tokens WHERE id = ?${this.d.forUpdate}`, [id])
      if (!rows.length) return 'not-found'
      if (rows[0].revoked_at) return 'already'
      await q('UPDATE tokens SET revoked_at = ? WHERE id = ?', [at, id])
      return 'revoked'
    })
  }

  /**
   * One transaction: check the actor's token (when asked), claim the idempotency key, upsert the
   * app (locking its row) and read its owner, add the submission and its history. A key already
   * taken (on PostgreSQL a concurrent holder is waited for by the unique index) ends it with
   * nothing written: the stored answer is replayed, or the request is a conflict. Another
   * department's app rolls everything back, the claimed key with it.
   */
  async createSubmission(s: NewSubmission): Promise<CreateOutcome> {
    const id = newId('sub')
    const now = new Date().toISOString()
    const body: SubmissionReceipt = {id, appId: s.appId, status: 'received', receivedAt: now}
    const receipt = JSON.stringify(body)
    const historyData = JSON.stringify({digest: s.digest, verdict: s.verdict, version: s.appVersion})
    const replay = (r: {requestHash: string; status: number; response: string}): CreateOutcome =>
      r.requestHash !== s.requestHash ? {kind: 'key-conflict'} : {kind: 'replayed', status: Number(r.status), body: JSON.parse(r.response)}
    if (this.d.createSubmission) {
      const out = await this.d.createSubmission(s, {id, now, receipt, historyData})
      if (out.kind === 'key-taken') return replay(out)
      if (out.kind === 'created') return {kind: 'created', status: 201, body: out.receipt ? JSON.parse(out.receipt) : body}
      return {kind: out.kind}
    }
    try {
      return await this.d.tx(async (q): Promise<CreateOutcome> => {
        if (s.liveToken) {
          const tok = (await q('SELECT revoked_at FROM tokens WHERE id = ?', [s.actor.tokenId])).rows[0]
          if (!tok || tok.revoked_at) return {kind: 'unauthorized'}
        }
        if (s.key !== null) {
          const claim = await q('INSERT INTO idempotency (scope, idem_key, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, idem_key) DO NOTHING', [
            s.scope,
            s.key,
            s.requestHash,
            201,
            receipt,
            now,
          ])
          if (claim.changes === 0) {
            const r = (await q('SELECT request_hash, status, response FROM idempotency WHERE scope = ? AND idem_key = ?', [s.scope, s.key])).rows[0]
            return r ? replay({requestHash: r.request_hash, status: r.status, response: r.response}) : {kind: 'key-conflict'}
          }
        }
        // Under the app's row lock (the write lock on SQLite), the app's latest submission is read
        // first: this one's time must follow it, so the latest submission is always the newest by
        // receivedAt, whatever order concurrent requests took their clock readings in.
        const prev = (await q(`SELECT latest_submission_id FROM apps WHERE app_id = ?${this.d.forUpdate}`, [s.appId])).rows[0]
        // Whether this submission registers the app is read before the upsert, never inferred from
        // timestamps: two submissions can share a millisecond.
        const existed = prev !== undefined
        const prevAt: string | undefined = prev?.latest_submission_id ? (await q('SELECT received_at FROM submissions WHERE id = ?', [prev.latest_submission_id])).rows[0]?.received_at : undefined
        let at = now
        if (prevAt && prevAt >= now) {
          at = new Date(Date.parse(prevAt) + 1).toISOString()
          body.receivedAt = at
          if (s.key !== null) await q('UPDATE idempotency SET response = ? WHERE scope = ? AND idem_key = ?', [JSON.stringify(body), s.scope, s.key])
        }
        // The monitored URLs are not touched: they change when a submission is approved.
        const app = (
          await q(
            `INSERT INTO apps (${APP_COLS}) VALUES (?, ?, ?, ?, ?, 'registered', ?, NULL, NULL, NULL, NULL, 0, NULL, ?, ?)
             ON CONFLICT (app_id) DO UPDATE SET name = excluded.name, version = excluded.version, region_code = excluded.region_code,
               latest_submission_id = excluded.latest_submission_id, updated_at = excluded.updated_at
             RETURNING credit_code`,
            [s.appId, s.appName, s.appVersion, s.creditCode, s.regionCode, id, at, at],
          )
        ).rows[0]
        // Another department's app: the upsert and the key claimed above are rolled back.
        if (app.credit_code !== s.creditCode) throw new OtherDepartment()
        await q(`INSERT INTO submissions (${SUB_COLS}, token_id, idem_key, document) VALUES (?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?)`, [
          id,
          s.appId,
          s.appName,
          s.appVersion,
          s.creditCode,
          s.regionCode,
          s.verdict,
          s.digest,
          at,
          at,
          s.actor.tokenId,
          s.key,
          s.document,
        ])
        if (!existed) {
          await addHistory(q, {appId: s.appId, submissionId: null, kind: 'action', name: 'register', from: null, to: 'registered', actor: s.actor, comment: null, at})
        }
        await addHistory(q, {appId: s.appId, submissionId: id, kind: 'submission', name: 'received', from: null, to: 'received', actor: s.actor, comment: null, data: historyData, at})
        return {kind: 'created', status: 201, body}
      })
    } catch (error) {
      if (error instanceof OtherDepartment) return {kind: 'other-department'}
      throw error
    }
  }

  async getSubmission(id: string): Promise<SubmissionRecord | null> {
    const {rows} = await this.d.query(`SELECT ${SUB_COLS} FROM submissions WHERE id = ?`, [id])
    return rows.length ? subRow(rows[0]) : null
  }

  async getSubmissionDocument(id: string): Promise<string | null> {
    const {rows} = await this.d.query('SELECT document FROM submissions WHERE id = ?', [id])
    return rows.length ? rows[0].document : null
  }

  async listSubmissions(f: SubmissionFilter): Promise<SubmissionRecord[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (f.appId) (where.push('app_id = ?'), params.push(f.appId))
    if (f.status) (where.push('status = ?'), params.push(f.status))
    if (f.creditCode) (where.push('credit_code = ?'), params.push(f.creditCode))
    const prefix = regionPrefix(f.regionCode)
    if (prefix) (where.push('region_code LIKE ?'), params.push(prefix.replace(/[%_]/g, '') + '%'))
    if (f.verdict) (where.push('verdict = ?'), params.push(f.verdict))
    params.push(f.limit, f.offset)
    const order = f.order === 'newest' ? 'received_at DESC, id DESC' : 'received_at, id'
    const {rows} = await this.d.query(`SELECT ${SUB_COLS} FROM submissions${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT ? OFFSET ?`, params)
    return rows.map(subRow)
  }

  async countSubmissions(): Promise<number> {
    const {rows} = await this.d.query('SELECT COUNT(*) AS n FROM submissions')
    return Number(rows[0].n)
  }

  async listRechecks(appId: string, limit: number, offset: number): Promise<RecheckSummary[]> {
    let rows: any[]
    try {
      rows = (await this.d.query('SELECT id, job_id, app_id, app_version, source, trigger, profile, profile_version, verdict, digest, baseline_submission_id, regression, new_failures, received_at FROM sjt_rechecks WHERE app_id = ? ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?', [appId, limit, offset])).rows
    } catch (error) {
      // The table exists once the PostgreSQL job queue has run; a store without it has no re-checks.
      if (/sjt_rechecks|no such table|does not exist/i.test(String((error as Error).message))) return []
      throw error
    }
    return rows.map((r) => {
      let newFailures: string[] = []
      try {
        const v = JSON.parse(String(r.new_failures))
        if (Array.isArray(v)) newFailures = v.map(String)
      } catch {
        newFailures = []
      }
      return {id: r.id, jobId: r.job_id, appId: r.app_id, appVersion: r.app_version, source: 'recheck', trigger: r.trigger, profile: r.profile, profileVersion: r.profile_version, verdict: r.verdict, digest: r.digest, baselineSubmissionId: r.baseline_submission_id ?? null, regression: Number(r.regression) === 1, newFailures, receivedAt: r.received_at}
    })
  }

  async decide(id: string, d: {decision: Decision; comment: string | null; override: boolean; actor: Actor; at: string; urls?: MonitoredUrls}): Promise<TransitionOutcome<SubmissionRecord>> {
    return this.d.tx(async (q): Promise<TransitionOutcome<SubmissionRecord>> => {
      const sub = (await q(`SELECT ${SUB_COLS} FROM submissions WHERE id = ?${this.d.forUpdate}`, [id])).rows[0]
      if (!sub) return {kind: 'not-found'}
      const to = nextSubmissionStatus(sub.status, d.decision)
      if (!to) return {kind: 'illegal', from: sub.status}
      const appRows = (await q(`SELECT ${APP_COLS} FROM apps WHERE app_id = ?${this.d.forUpdate}`, [sub.app_id])).rows
      const app = appRow(appRows[0])
      await q('UPDATE submissions SET status = ?, updated_at = ? WHERE id = ?', [to, d.at, id])
      await addHistory(q, {appId: sub.app_id, submissionId: id, kind: 'decision', name: d.decision, from: sub.status, to, actor: d.actor, comment: d.comment, data: d.override ? {override: true} : null, at: d.at})
      // Review has started on the app once a reviewer acts on one of its submissions.
      if (app.state === 'registered') {
        await q('UPDATE apps SET state = ?, updated_at = ? WHERE app_id = ?', ['in_review', d.at, app.appId])
        await addHistory(q, {appId: app.appId, submissionId: id, kind: 'action', name: 'review', from: 'registered', to: 'in_review', actor: d.actor, comment: null, at: d.at})
      }
      // The approved submission's URLs are the ones the monitor probes from now on.
      if (to === 'approved') {
        const u = d.urls ?? {entryUrl: null, elderUrl: null, healthUrl: null}
        await q('UPDATE apps SET latest_approved_id = ?, entry_url = ?, elder_url = ?, health_url = ?, updated_at = ? WHERE app_id = ?', [id, u.entryUrl, u.elderUrl, u.healthUrl, d.at, app.appId])
      }
      return {kind: 'ok', value: subRow({...sub, status: to, updated_at: d.at})}
    })
  }

  async getApp(appId: string): Promise<AppRecord | null> {
    const {rows} = await this.d.query(`SELECT ${APP_COLS} FROM apps WHERE app_id = ?`, [appId])
    return rows.length ? appRow(rows[0]) : null
  }

  async listApps(f: AppFilter): Promise<AppRecord[]> {
    const where: string[] = []
    const params: unknown[] = []
    const prefix = regionPrefix(f.regionCode)
    if (prefix) (where.push('region_code LIKE ?'), params.push(prefix.replace(/[%_]/g, '') + '%'))
    if (f.state) (where.push('state = ?'), params.push(f.state))
    if (f.creditCode) (where.push('credit_code = ?'), params.push(f.creditCode))
    params.push(f.limit, f.offset)
    const {rows} = await this.d.query(`SELECT ${APP_COLS} FROM apps${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY app_id LIMIT ? OFFSET ?`, params)
    return rows.map(appRow)
  }

  async act(appId: string, a: {action: AppAction; reason: string | null; actor: Actor; at: string}): Promise<TransitionOutcome<AppRecord>> {
    return this.d.tx(async (q): Promise<TransitionOutcome<AppRecord>> => {
      const row = (await q(`SELECT ${APP_COLS} FROM apps WHERE app_id = ?${this.d.forUpdate}`, [appId])).rows[0]
      if (!row) return {kind: 'not-found'}
      const app = appRow(row)
      const to = nextAppState(app.state, a.action)
      if (!to) return {kind: 'illegal', from: app.state}
      if (a.action === 'publish') {
        const latest = app.latestSubmissionId ? (await q('SELECT status FROM submissions WHERE id = ?', [app.latestSubmissionId])).rows[0] : undefined
        if (!latest || latest.status !== 'approved') return {kind: 'not-approved'}
      }
      // A reviewer's action answers a monitoring mark.
      await q('UPDATE apps SET state = ?, needs_review = 0, review_reason = NULL, updated_at = ? WHERE app_id = ?', [to, a.at, appId])
      await addHistory(q, {appId, submissionId: null, kind: 'action', name: a.action, from: app.state, to, actor: a.actor, comment: a.reason, at: a.at})
      return {kind: 'ok', value: {...app, state: to, needsReview: false, reviewReason: null, updatedAt: a.at}}
    })
  }

  async history(appId: string, submissionId?: string): Promise<HistoryEntry[]> {
    const {rows} = submissionId
      ? await this.d.query('SELECT * FROM history WHERE app_id = ? AND submission_id = ? ORDER BY seq', [appId, submissionId])
      : await this.d.query('SELECT * FROM history WHERE app_id = ? ORDER BY seq', [appId])
    return rows.map(historyRow)
  }

  async recordProbes(
    appId: string,
    events: ProbeEvent[],
    actor: Actor,
    rule: {since: string; failShare: number; minProbes: number},
    at: string,
  ): Promise<{window: MonitorWindow; flagged: boolean; newlyFlagged: boolean} | null> {
    return this.d.tx(async (q) => {
      const row = (await q(`SELECT ${APP_COLS} FROM apps WHERE app_id = ?${this.d.forUpdate}`, [appId])).rows[0]
      if (!row) return null
      const app = appRow(row)
      for (const e of events) {
        await q('INSERT INTO probes (app_id, url, kind, ok, status, latency_ms, error, at, token_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
          appId,
          e.url,
          e.kind,
          e.ok ? 1 : 0,
          e.status,
          e.latencyMs,
          e.error ?? null,
          e.at,
          actor.tokenId,
        ])
      }
      const rows = (await q('SELECT ok, latency_ms, at FROM probes WHERE app_id = ? AND at >= ?', [appId, rule.since])).rows
      const window = windowOf(rows, rule.since)
      const breaks = window.probes >= rule.minProbes && window.failureShare >= rule.failShare
      let newlyFlagged = false
      if (breaks && !app.needsReview) {
        const reason = `monitoring: ${window.failures}/${window.probes} probes failed to open since ${rule.since}`
        await q('UPDATE apps SET needs_review = 1, review_reason = ?, updated_at = ? WHERE app_id = ?', [reason, at, appId])
        await addHistory(q, {appId, submissionId: null, kind: 'monitor', name: 'flagged', from: app.state, to: app.state, actor, comment: reason, data: {...window}, at})
        newlyFlagged = true
      }
      return {window, flagged: breaks || app.needsReview, newlyFlagged}
    })
  }

  async monitorWindow(appId: string, since: string): Promise<MonitorWindow> {
    const {rows} = await this.d.query('SELECT ok, latency_ms, at FROM probes WHERE app_id = ? AND at >= ?', [appId, since])
    return windowOf(rows, since)
  }

  async probeSeries(appId: string, since: string, unit: 'hour' | 'day'): Promise<ProbeBucket[]> {
    // Dates are stored as ISO strings in UTC (YYYY-MM-DDTHH:MM:SS.sssZ): their first 13 (10)
    // characters name the hour (the day), in both databases.
    const n = unit === 'hour' ? 13 : 10
    const {rows} = await this.d.query(
      `SELECT substr(at, 1, ${n}) AS bucket, COUNT(*) AS probes, SUM(CASE WHEN ok = 1 THEN 0 ELSE 1 END) AS failures, AVG(latency_ms) AS avg_latency, MAX(latency_ms) AS max_latency
       FROM probes WHERE app_id = ? AND at >= ? GROUP BY substr(at, 1, ${n}) ORDER BY bucket`,
      [appId, since],
    )
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))
    return rows.map((r) => ({
      start: unit === 'hour' ? `${r.bucket}:00:00.000Z` : `${r.bucket}T00:00:00.000Z`,
      probes: Number(r.probes),
      failures: Number(r.failures),
      avgLatencyMs: num(r.avg_latency),
      maxLatencyMs: num(r.max_latency),
    }))
  }

  async recentProbes(appId: string, since: string, opts: {failedOnly: boolean; limit: number}): Promise<ProbeEvent[]> {
    const {rows} = await this.d.query(
      `SELECT url, kind, ok, status, latency_ms, error, at FROM probes WHERE app_id = ? AND at >= ?${opts.failedOnly ? ' AND ok <> 1' : ''} ORDER BY at DESC, seq DESC LIMIT ?`,
      [appId, since, Math.max(1, Math.min(1000, Math.floor(opts.limit)))],
    )
    return rows.map((r) => ({
      url: r.url,
      kind: r.kind,
      ok: Number(r.ok) === 1,
      status: r.status === null || r.status === undefined ? null : Number(r.status),
      latencyMs: r.latency_ms === null || r.latency_ms === undefined ? null : Number(r.latency_ms),
      error: r.error ?? null,
      at: r.at,
    }))
  }

  async latestApproved(prefix: string): Promise<Array<{app: AppRecord; submissionId: string; document: string}>> {
    const p = regionPrefix(prefix)
    const cols = APP_COLS.split(', ')
      .map((c) => `a.${c}`)
      .join(', ')
    const {rows} = await this.d.query(
      `SELECT ${cols}, s.id AS sid, s.document AS document FROM apps a JOIN submissions s ON s.id = a.latest_approved_id${p ? ' WHERE a.region_code LIKE ?' : ''} ORDER BY a.app_id`,
      p ? [p.replace(/[%_]/g, '') + '%'] : [],
    )
    return rows.map((r) => ({app: appRow(r), submissionId: r.sid, document: r.document}))
  }
}

class OtherDepartment extends Error {}
