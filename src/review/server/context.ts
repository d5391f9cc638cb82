// The state the route handlers share (store, monitoring rule, log, token cache, caches of
// scores) and the views built from it, passed to them as one context object.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {parse as parseYaml} from 'yaml'
import type {schemaValidator} from '../../lib/schema.js'
import {STANDARDS_DIR} from '../../lib/paths.js'
import type {AppRecord, Role, Store, SubmissionRecord} from '../store.js'
import type {TokenCache} from './auth.js'

export interface MonitoringRule {
  windowDays: number
  failShare: number
  openTimeoutSeconds: number
  minProbes: number
  intervalSeconds: number
  clause?: string
}

/** The profile's monitoring figures (standards/<profile>/monitoring.yaml). */
export function loadMonitoringRule(profile = 'shanxi-2022'): MonitoringRule {
  const file = path.join(STANDARDS_DIR, profile, 'monitoring.yaml')
  const data = parseYaml(readFileSync(file, 'utf8')) as {clause?: string; params: Partial<MonitoringRule>}
  const p = data.params ?? {}
  return {
    windowDays: Number(p.windowDays ?? 7),
    failShare: Number(p.failShare ?? 0.05),
    openTimeoutSeconds: Number(p.openTimeoutSeconds ?? 15),
    minProbes: Number(p.minProbes ?? 1),
    intervalSeconds: Number(p.intervalSeconds ?? 3600),
    clause: data.clause,
  }
}

interface ScoreView {
  total: number | null
  grade: string | null
  gradeId?: string | null
  indices: Array<{id: string; score: number | null; weight: number}>
  modelVersion: string
}

let scoreModule: Promise<typeof import('../../score/score.js')> | null = null

/** The capability model (src/score), loaded on the first score request. */
function loadScoreModule(): Promise<typeof import('../../score/score.js')> {
  scoreModule ??= import('../../score/score.js')
  return scoreModule
}

type Log = (rec: Record<string, unknown>) => void

export interface ServerContext {
  store: Store
  rule: MonitoringRule
  log: Log
  /** The token cache of the request line: the submission route drops a token the store refused. */
  tokenCache: TokenCache
  validateResult: ReturnType<typeof schemaValidator>
  scoreOf(submissionId: string | null, document?: string): Promise<ScoreView | null>
  since(): string
  submissionSummary(s: SubmissionRecord): Record<string, unknown>
  submissionView(s: SubmissionRecord): Promise<Record<string, unknown>>
  appView(a: AppRecord, detail: boolean, role: Role): Promise<Record<string, unknown>>
}

export function createContext(base: Pick<ServerContext, 'store' | 'rule' | 'log' | 'tokenCache' | 'validateResult'>): ServerContext {
  const {store, rule, log} = base

  // ---- scores, cached by submission id (a stored document never changes) ----
  const scoreCache = new Map<string, ScoreView | null>()
  async function scoreOf(submissionId: string | null, document?: string): Promise<ScoreView | null> {
    if (!submissionId) return null
    if (scoreCache.has(submissionId)) return scoreCache.get(submissionId)!
    const mod = await loadScoreModule()
    const text = document ?? (await store.getSubmissionDocument(submissionId))
    if (!text) return null
    let view: ScoreView | null = null
    try {
      const s = await mod.scoreResult(JSON.parse(text))
      view = {
        total: typeof s.total === 'number' ? s.total : null,
        grade: s.grade ?? null,
        gradeId: s.gradeId ?? null,
        indices: Array.isArray(s.indices) ? s.indices.map((i: any) => ({id: String(i.id), score: typeof i.score === 'number' ? i.score : null, weight: Number(i.weight)})) : [],
        modelVersion: String(s.modelVersion ?? 'unknown'),
      }
    } catch (error) {
      log({level: 'warn', msg: 'score failed', submissionId, error: (error as Error).message})
    }
    if (scoreCache.size > 5000) scoreCache.delete(scoreCache.keys().next().value!)
    scoreCache.set(submissionId, view)
    return view
  }

  function since(): string {
    return new Date(Date.now() - rule.windowDays * 86_400_000).toISOString()
  }

  function submissionSummary(s: SubmissionRecord): Record<string, unknown> {
    return {...s}
  }

  async function submissionView(s: SubmissionRecord): Promise<Record<string, unknown>> {
    const history = await store.history(s.appId, s.id)
    const comments = history
      .filter((h) => h.kind === 'decision' && h.comment)
      .map((h) => ({at: h.at, decision: h.name, comment: h.comment!, ...(h.data?.override ? {override: true} : {})}))
    return {...submissionSummary(s), history, comments}
  }

  /**
   * One app as a role may see it: the monitor role reads no submissions and no scores (the role
   * table of docs/review-api.md), so latestSubmission, latestApprovedSubmissionId and latestScore
   * are left out of its view.
   */
  async function appView(a: AppRecord, detail: boolean, role: Role): Promise<Record<string, unknown>> {
    const readsSubmissions = role !== 'monitor'
    const latest = readsSubmissions && a.latestSubmissionId ? await store.getSubmission(a.latestSubmissionId) : null
    const view: Record<string, unknown> = {
      appId: a.appId,
      name: a.name,
      version: a.version,
      creditCode: a.creditCode,
      regionCode: a.regionCode,
      state: a.state,
      ...(readsSubmissions
        ? {
            latestSubmission: latest ? {id: latest.id, status: latest.status, verdict: latest.verdict, receivedAt: latest.receivedAt} : null,
            latestApprovedSubmissionId: a.latestApprovedId,
            latestScore: await scoreOf(a.latestApprovedId),
          }
        : {}),
      urls: {entry: a.entryUrl, elder: a.elderUrl, health: a.healthUrl},
      needsReview: a.needsReview,
      reviewReason: a.reviewReason,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
    }
    if (detail) view.monitoring = await store.monitorWindow(a.appId, since())
    return view
  }

  return {...base, scoreOf, since, submissionSummary, submissionView, appView}
}
