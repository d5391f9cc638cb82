// Record types of the review store, the roles and state lists, and the Store interface that
// store-sqlite.ts and store-pg.ts both implement (through SqlStore).
export const ROLES = ['submitter', 'reviewer', 'auditor', 'monitor'] as const
export type Role = (typeof ROLES)[number]

export const SUBMISSION_STATES = ['received', 'in_review', 'approved', 'rejected'] as const
export type SubmissionStatus = (typeof SUBMISSION_STATES)[number]

export const APP_STATES = ['registered', 'in_review', 'published', 'suspended', 'delisted'] as const
export type AppState = (typeof APP_STATES)[number]

/** A result's verdict as the server recomputed it; `incomplete`: a category or rule could not be checked. */
export type Verdict = 'pass' | 'fail' | 'incomplete'

export const DECISIONS = ['review', 'approve', 'reject'] as const
export type Decision = (typeof DECISIONS)[number]

export const ACTIONS = ['publish', 'suspend', 'delist', 'restore'] as const
export type AppAction = (typeof ACTIONS)[number]

export interface TokenRecord {
  id: string
  role: Role
  creditCode: string | null
  label: string | null
  createdAt: string
  revokedAt: string | null
}

export interface Actor {
  role: Role
  tokenId: string
}

export interface SubmissionRecord {
  id: string
  appId: string
  appName: string
  appVersion: string
  creditCode: string
  regionCode: string | null
  status: SubmissionStatus
  verdict: Verdict
  digest: string
  receivedAt: string
  updatedAt: string
}

export interface AppRecord {
  appId: string
  name: string
  version: string
  creditCode: string
  regionCode: string | null
  state: AppState
  latestSubmissionId: string | null
  latestApprovedId: string | null
  /** The monitored URLs: those of the latest approved submission (null until one is approved). */
  entryUrl: string | null
  elderUrl: string | null
  healthUrl: string | null
  needsReview: boolean
  reviewReason: string | null
  createdAt: string
  updatedAt: string
}

export interface HistoryEntry {
  seq: number
  at: string
  appId: string
  submissionId: string | null
  kind: 'submission' | 'decision' | 'action' | 'monitor'
  /** The decision or action name; `received` for a submission; `flagged` for a monitor mark. */
  name: string
  from: string | null
  to: string | null
  actor: Actor
  comment: string | null
  data: Record<string, unknown> | null
}

export interface ProbeEvent {
  url: string
  kind: 'entry' | 'elder' | 'health'
  ok: boolean
  status: number | null
  latencyMs: number | null
  error?: string | null
  at: string
}

export interface MonitorWindow {
  since: string
  probes: number
  failures: number
  failureShare: number
  p50LatencyMs: number | null
  lastProbeAt: string | null
}

/** Probes of one hour (or day) of a window: the series the console charts. */
export interface ProbeBucket {
  /** The bucket's start, an ISO date-time (UTC). */
  start: string
  probes: number
  failures: number
  avgLatencyMs: number | null
  maxLatencyMs: number | null
}

export interface MonitoredUrls {
  entryUrl: string | null
  elderUrl: string | null
  healthUrl: string | null
}

export interface NewSubmission {
  /** Idempotency scope (the department for submitters) and key; no key → no deduplication. */
  scope: string
  key: string | null
  /** Identifies the request body (recomputed digest + signature): same key + other hash → conflict. */
  requestHash: string
  appId: string
  appName: string
  appVersion: string
  creditCode: string
  regionCode: string | null
  verdict: Verdict
  digest: string
  document: string
  /** The URLs in the submitted manifest; they become the app's monitored URLs when this submission is approved. */
  entryUrl: string | null
  elderUrl: string | null
  healthUrl: string | null
  actor: Actor
  /**
   * The actor's token must still exist, unrevoked, when the submission commits (checked inside the
   * transaction); otherwise nothing is recorded and the outcome is `unauthorized`. The server sets
   * it, so a principal it took from its token cache is confirmed by the store at commit.
   */
  liveToken?: boolean
}

export type CreateOutcome =
  | {kind: 'created'; status: 201; body: SubmissionReceipt}
  | {kind: 'replayed'; status: number; body: SubmissionReceipt}
  | {kind: 'key-conflict'}
  | {kind: 'other-department'}
  | {kind: 'unauthorized'}

export interface SubmissionReceipt {
  id: string
  appId: string
  status: 'received'
  receivedAt: string
}

export type TransitionOutcome<T> = {kind: 'ok'; value: T} | {kind: 'not-found'} | {kind: 'illegal'; from: string} | {kind: 'not-approved'}

export interface SubmissionFilter {
  appId?: string
  status?: SubmissionStatus
  creditCode?: string
  /** A region (GB/T 2260) and the regions within it, as GET /v1/apps?regionCode=. */
  regionCode?: string
  verdict?: Verdict
  /** By time received: oldest first (default) or newest first. */
  order?: 'oldest' | 'newest'
  limit: number
  offset: number
}

export interface AppFilter {
  regionCode?: string
  state?: AppState
  creditCode?: string
  limit: number
  offset: number
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres'
  /** Apply the migrations that are missing (safe to call on every start, and concurrently on PG). */
  migrate(): Promise<void>
  ping(): Promise<boolean>
  close(): Promise<void>

  createToken(t: TokenRecord & {hash: string}): Promise<void>
  findTokenByHash(hash: string): Promise<TokenRecord | null>
  listTokens(): Promise<TokenRecord[]>
  revokeToken(id: string, at: string): Promise<'revoked' | 'already' | 'not-found'>

  createSubmission(s: NewSubmission): Promise<CreateOutcome>
  getSubmission(id: string): Promise<SubmissionRecord | null>
  getSubmissionDocument(id: string): Promise<string | null>
  listSubmissions(f: SubmissionFilter): Promise<SubmissionRecord[]>
  countSubmissions(): Promise<number>
  /** The scheduled re-checks recorded for an app (newest first; none where no queue ever ran). */
  listRechecks(appId: string, limit: number, offset: number): Promise<RecheckSummary[]>
  /** `urls`: on approval, the monitored URLs of the approved document (they replace the app's). */
  decide(id: string, d: {decision: Decision; comment: string | null; override: boolean; actor: Actor; at: string; urls?: MonitoredUrls}): Promise<TransitionOutcome<SubmissionRecord>>

  getApp(appId: string): Promise<AppRecord | null>
  listApps(f: AppFilter): Promise<AppRecord[]>
  act(appId: string, a: {action: AppAction; reason: string | null; actor: Actor; at: string}): Promise<TransitionOutcome<AppRecord>>
  history(appId: string, submissionId?: string): Promise<HistoryEntry[]>

  /** Record probe events and return the window's figures after them; `flag` marks the app when given. */
  recordProbes(appId: string, events: ProbeEvent[], actor: Actor, rule: {since: string; failShare: number; minProbes: number}, at: string): Promise<{window: MonitorWindow; flagged: boolean; newlyFlagged: boolean} | null>
  monitorWindow(appId: string, since: string): Promise<MonitorWindow>
  /** The window's probes grouped by hour or by day (UTC), oldest first: one row per bucket that has probes. */
  probeSeries(appId: string, since: string, unit: 'hour' | 'day'): Promise<ProbeBucket[]>
  /** The newest probes of the window (failed ones only with `failedOnly`), newest first, at most `limit`. */
  recentProbes(appId: string, since: string, opts: {failedOnly: boolean; limit: number}): Promise<ProbeEvent[]>
  /** The latest approved submission of every app under a region prefix (all apps when empty). */
  latestApproved(regionPrefix: string): Promise<Array<{app: AppRecord; submissionId: string; document: string}>>
}

/** One re-check record of the job queue (sjt_rechecks), without its document. */
export interface RecheckSummary {
  id: string
  jobId: string
  appId: string
  appVersion: string
  source: 'recheck'
  trigger: string
  profile: string
  profileVersion: string
  verdict: string
  digest: string
  baselineSubmissionId: string | null
  regression: boolean
  newFailures: string[]
  receivedAt: string
}
