// The lighthouse artifact (src/gather/lighthouse.ts): per page, every Lighthouse run's metrics,
// the median run and its diagnostics. Schema: standards/schemas/artifacts/lighthouse.schema.json.

/** `service`: a service page marked `auth: required`, measured with the login session. */
type PageRole = 'entry' | 'elder' | 'service'

export interface RunMetrics {
  lcpMs?: number
  fcpMs?: number
  tbtMs?: number
  cls?: number
  ttiMs?: number
  speedIndexMs?: number
  transferBytes?: number
  jsBytes?: number
  requests?: number
  /** Lighthouse performance score, 0–100. */
  score?: number
}

export const METRIC_KEYS = ['lcpMs', 'fcpMs', 'tbtMs', 'cls', 'ttiMs', 'speedIndexMs', 'transferBytes', 'jsBytes', 'score'] as const

export type MetricKey = (typeof METRIC_KEYS)[number]

export interface LhRun {
  /** 1-based run number. */
  run: number
  durationMs: number
  metrics?: RunMetrics
  /** Why the run produced no (or partial) metrics: a Lighthouse error code or a fault. */
  error?: {code: string; message: string}
  /** Status of the main document as Lighthouse saw it. */
  statusCode?: number
  warnings?: string[]
}

export interface ProbeResult {
  /** HTTP status of the main document. */
  status?: number
  /** DOMContentLoaded, ms after navigation start, unthrottled. */
  dclMs?: number
  /** The navigation did not reach DOMContentLoaded within `waitedMs`. */
  timedOut?: boolean
  waitedMs?: number
  /** The page could not be reached at all (refused, DNS, TLS). */
  unreachable?: string
  /** Another failure (renderer crash, redirect loop, …). */
  error?: string
  finalUrl?: string
}

export interface Diagnostics {
  lcpElement?: string
  renderBlocking?: Array<{url: string; wastedMs: number; bytes?: number}>
  longTasks?: Array<{url: string; durationMs: number}>
  layoutShifts?: Array<{selector: string; score: number}>
  largestRequests?: Array<{url: string; transferBytes: number; type?: string}>
}

export interface LhPage {
  role: PageRole
  url: string
  source: string
  /** Service name from the manifest (service pages). */
  name?: string
  /** Skipped because the page needs a login and there is no session (not-applicable, not an error). */
  authSkipped?: boolean
  /** The login page the page redirected to (the session did not work). */
  loginRedirect?: string
  probe?: ProbeResult
  runs: LhRun[]
  /** Run number of the reported (median) run, or null when no run produced metrics. */
  medianRun: number | null
  /** Why Lighthouse did not run on this page (it could not be loaded at all). */
  skipped?: string
  diagnostics?: Diagnostics
  /** The median run's full Lighthouse JSON, relative to the --save-artifacts folder. */
  reportFile?: string
}

export interface Spread {
  min: number
  max: number
  median: number
  ratio?: number
}

export interface PageSummary extends RunMetrics {
  url: string
  page?: PageRole
  /** Runs attempted. */
  runs: number
  /** The reported run and how many runs produced metrics. */
  median: {run: number | null; runsWithMetrics: number; rule: string}
  spread: Partial<Record<MetricKey, Spread>>
}

export interface LighthouseArtifact {
  lighthouseVersion: string
  throttling: 'simulate' | 'devtools' | 'none'
  formFactor: 'mobile'
  runsRequested: number
  medianRule: string
  pages: LhPage[]
  metrics: Record<string, unknown>
  namedMetrics: {perf?: PageSummary & {pages?: PageSummary[]}}
}
