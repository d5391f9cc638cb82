// The data that flows through the pipeline: load → gather → audit → result document.
// Artifacts are plain JSON (their types: src/artifacts/); audits are pure functions over them.
import type {Artifacts} from '../artifacts/index.js'

import type {Lang} from '../lib/i18n/index.js'
import type {Location} from '../lib/location.js'
export type {Lang, Location}
export type Severity = 'error' | 'warn' | 'info'
export type SeverityOverride = Severity | 'off'
type FindingStatus = 'pass' | 'fail' | 'waived' | 'error' | 'not-applicable'
type CategoryStatus = 'pass' | 'fail' | 'error' | 'skipped'
export type FailOn = 'error' | 'warn' | 'never'

export const CATEGORIES = ['manifest', 'contract', 'a11y', 'elder', 'perf', 'security', 'miniprogram'] as const
export type Category = (typeof CATEGORIES)[number]

export type Localized = {'zh-CN': string; en: string}

/** A rule of a profile, after `extends` and overrides are applied. */
export interface RuleDef {
  id: string
  category: Category
  severity: SeverityOverride
  weight: number
  title: Localized
  /** Where the requirement comes from, naming its source document. */
  clause: string
  /** The check function, `category.name` (see src/audits/<category>/index.ts). */
  check: string
  /** The artifacts the check reads; default: its category module's `requires`. */
  requires?: string[]
  params: Record<string, unknown>
  help?: Localized
  /** What the rule's verdict rests on (default measured). */
  evidence?: Evidence
}

/** A rule as the result document carries it (no check function, no params). */
export type RuleMeta = Pick<RuleDef, 'category' | 'title' | 'clause' | 'severity' | 'weight'> & {help?: Localized}

export interface Profile {
  name: string
  version: string
  title?: Localized
  extends?: string
  /** Folder the profile was loaded from (contracts, scoring model live beside it). */
  dir: string
  /** Every folder in the extends chain, nearest first. */
  dirs: string[]
  rules: RuleDef[]
  /** Extra data of the profile (e.g. observatory modifier tables), merged along `extends`. */
  data: Record<string, unknown>
}

/** What a check function returns; the pipeline adds rule id, category, severity and clause. */
/** What a verdict rests on: measured (seen in a browser, on the wire, in a document), declared (the manifest says so), not-verifiable. */
type Evidence = 'measured' | 'declared' | 'not-verifiable'

export interface RawFinding {
  status: FindingStatus
  /** Overrides the rule's evidence for this finding (e.g. a declaration that was checked on the wire). */
  evidence?: Evidence
  message: string
  location?: Location
  /** Lower the rule's severity for this finding (e.g. "warn above 2500 ms" bands). */
  severity?: Severity
  details?: Record<string, unknown>
}

export interface Finding {
  ruleId: string
  category: Category
  severity: Severity
  status: FindingStatus
  message: string
  clause: string
  location?: Location
  details?: Record<string, unknown>
  /** What the verdict rests on; set for every finding the pipeline makes (older documents lack it). */
  evidence?: Evidence
  /** Set when a baseline was given: whether this failure was already in the baseline. */
  baseline?: 'new' | 'known'
  waiver?: {reason: string; owner?: string; expires: string}
}

export interface CategorySummary {
  status: CategoryStatus
  errors: number
  warnings: number
  score: number | null
  rules?: number
  note?: string
}

export interface ResultDocument {
  schemaVersion: '1.0'
  tool: {name: 'sjt'; version: string}
  profile: {name: string; version: string}
  app: {id: string; name: string; version: string; regionCode?: string; creditCode?: string; level?: string}
  lang: Lang
  startedAt: string
  durationMs: number
  environment: {node: string; browser?: string; os: string}
  failOn: FailOn
  inputs?: {manifest?: string; contract?: string; url?: string; elderUrl?: string; miniprogram?: string; config?: string}
  categories: Partial<Record<Category, CategorySummary>>
  findings: Finding[]
  metrics: Record<string, unknown>
  manifest?: unknown
  score?: unknown
  waivers?: Array<{rule: string; location?: string; reason: string; owner?: string; expires: string; state: 'active' | 'expired' | 'unused'}>
  baseline?: {file: string; digest?: string; newFailures: number; knownFailures: number}
  /** What the report needs of every rule the findings mention, so no profile is needed to render it. */
  rules?: Record<string, RuleMeta>
  /** Artifacts that could not be gathered and the rules they left unjudged (exit 3). */
  unavailable?: Array<{artifact: string; message: string; rules: string[]}>
  verdict: 'pass' | 'fail' | 'incomplete'
  digest: {alg: 'sha256'; value: string}
  signature?: {alg: 'ed25519' | 'sm2'; value: string; publicKey: string}
}

/** Everything collectors and audits can see about the run. */
export interface RunOptions {
  appDir?: string
  manifestPath?: string
  url?: string
  elderUrl?: string
  apiBase?: string
  ca?: string
  chromePath?: string
  timeoutMs: number
  runs: number
  throttling: 'simulate' | 'devtools' | 'none'
  lang: Lang
  failOn: FailOn
  profile: string
  baseline?: string
  saveArtifacts?: string
  fromArtifacts?: string
  /** The capability score of a document with a manifest (src/score/score.ts), given by the command layer. */
  score?: (doc: ResultDocument, profile: Profile) => Promise<unknown>
  allowRemoteRefs: boolean
  probeWrites: boolean
  probeRequests: number
  noAuth: boolean
  debug: boolean
  /** Per-rule overrides from config: severity or `off`. */
  ruleOverrides: Record<string, SeverityOverride>
  waivers: Waiver[]
  auth?: Record<string, unknown>
  /** The config file the options came from (recorded as inputs.config). */
  configFile?: string
  /** Progress lines go here (stderr); never stdout. */
  progress?: (line: string) => void
  [extra: string]: unknown
}

export interface Waiver {
  rule: string
  location?: string
  reason: string
  owner?: string
  expires: string
}


export interface GatherContext {
  options: RunOptions
  profile: Profile
  artifacts: Artifacts
  /** Shared resources of the run (the browser session); closed by the pipeline. */
  shared: Map<string, {close(): Promise<void>} & Record<string, any>>
}

/** What a check sees: the artifacts, never the options (a run from saved artifacts has none of the URLs). */
export interface AuditContext {
  artifacts: Artifacts
  params: Record<string, any>
  rule: RuleDef
  lang: Lang
  profile: Profile
}

export type CheckFn = (ctx: AuditContext) => RawFinding[]

/** A category module: which collectors it needs and its check functions. */
export interface CategoryModule {
  requires: string[]
  checks: Record<string, CheckFn>
  /** Metrics computed over several artifacts (result.metrics.<key>), after the category's rules ran. */
  metrics?(ctx: {artifacts: Artifacts; profile: Profile; rules: RuleDef[]}): Record<string, unknown> | undefined
}

/** A collector module in src/gather/<name>.ts. */
export interface CollectorModule {
  /** Other collectors whose artifacts this one reads. */
  after?: string[]
  /** Start only after every other collector of the run settled (work that measures, e.g. Lighthouse). */
  last?: boolean
  collect(ctx: GatherContext): Promise<unknown>
}
