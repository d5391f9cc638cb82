// Rows to records: the column lists, the row mappers, one history row, and the monitoring window
// figured from probe rows.
import type {Query} from './dialect.js'
import type {Actor, AppRecord, HistoryEntry, MonitorWindow, SubmissionRecord, TokenRecord} from './types.js'

export const SUB_COLS = 'id, app_id, app_name, app_version, credit_code, region_code, status, verdict, digest, received_at, updated_at'
export const APP_COLS =
  'app_id, name, version, credit_code, region_code, state, latest_submission_id, latest_approved_id, entry_url, elder_url, health_url, needs_review, review_reason, created_at, updated_at'

export function subRow(r: any): SubmissionRecord {
  return {
    id: r.id,
    appId: r.app_id,
    appName: r.app_name,
    appVersion: r.app_version,
    creditCode: r.credit_code,
    regionCode: r.region_code ?? null,
    status: r.status,
    verdict: r.verdict,
    digest: r.digest,
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
  }
}

export function appRow(r: any): AppRecord {
  return {
    appId: r.app_id,
    name: r.name,
    version: r.version,
    creditCode: r.credit_code,
    regionCode: r.region_code ?? null,
    state: r.state,
    latestSubmissionId: r.latest_submission_id ?? null,
    latestApprovedId: r.latest_approved_id ?? null,
    entryUrl: r.entry_url ?? null,
    elderUrl: r.elder_url ?? null,
    healthUrl: r.health_url ?? null,
    needsReview: Number(r.needs_review) === 1,
    reviewReason: r.review_reason ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function tokenRow(r: any): TokenRecord {
  return {id: r.id, role: r.role, creditCode: r.credit_code ?? null, label: r.label ?? null, createdAt: r.created_at, revokedAt: r.revoked_at ?? null}
}

export function historyRow(r: any): HistoryEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    appId: r.app_id,
    submissionId: r.submission_id ?? null,
    kind: r.kind,
    name: r.name,
    from: r.from_state ?? null,
    to: r.to_state ?? null,
    actor: {role: r.actor_role, tokenId: r.actor_token},
    comment: r.comment ?? null,
    data: r.data ? JSON.parse(r.data) : null,
  }
}

/** One history row; `data` is an object, or its JSON text already written. */
export async function addHistory(
  q: Query,
  h: {appId: string; submissionId: string | null; kind: HistoryEntry['kind']; name: string; from: string | null; to: string | null; actor: Actor; comment: string | null; data?: unknown; at: string},
): Promise<void> {
  await q('INSERT INTO history (app_id, submission_id, kind, name, from_state, to_state, actor_role, actor_token, comment, data, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    h.appId,
    h.submissionId,
    h.kind,
    h.name,
    h.from,
    h.to,
    h.actor.role,
    h.actor.tokenId,
    h.comment,
    h.data === undefined || h.data === null ? null : typeof h.data === 'string' ? h.data : JSON.stringify(h.data),
    h.at,
  ])
}

export function windowOf(rows: any[], since: string): MonitorWindow {
  const probes = rows.length
  const failures = rows.filter((r) => Number(r.ok) !== 1).length
  const lat = rows
    .map((r) => (r.latency_ms === null || r.latency_ms === undefined ? null : Number(r.latency_ms)))
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b)
  return {
    since,
    probes,
    failures,
    failureShare: probes ? failures / probes : 0,
    p50LatencyMs: lat.length ? lat[Math.floor((lat.length - 1) / 2)] : null,
    lastProbeAt: rows.length ? rows.map((r) => r.at as string).sort().at(-1)! : null,
  }
}
