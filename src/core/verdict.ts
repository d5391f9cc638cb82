// The verdict of a run, as ONE pure function of what the result document records: its findings,
// the failOn threshold, the waivers and the baseline marks. `sjt check` writes it; the review
// server recomputes it from the submitted document and refuses a document whose verdict differs.
import type {FailOn, Finding, Severity} from './types.js'

export type Verdict = 'pass' | 'fail' | 'incomplete'

const SEV_RANK: Record<Severity, number> = {error: 3, warn: 2, info: 1}

/** Whether a failing finding of this severity trips the gate under `failOn`. */
export function gates(severity: Severity, failOn: FailOn): boolean {
  if (failOn === 'never') return false
  return SEV_RANK[severity] >= SEV_RANK[failOn]
}

/** A waiver as the result document records it (`waivers[]`). */
export interface VerdictWaiver {
  rule: string
  location?: string
  expires: string
  state?: 'active' | 'expired' | 'unused'
}

export type VerdictFinding = Pick<Finding, 'ruleId' | 'category' | 'severity' | 'status' | 'location' | 'details' | 'baseline'>

export interface VerdictInput {
  findings: readonly VerdictFinding[]
  failOn: FailOn
  /** The waivers of the run. A `waived` finding that none of them covers counts as a failure. */
  waivers?: readonly VerdictWaiver[]
  /**
   * The baseline the run compared against (the document's `baseline`). Without one, a failure
   * marked `baseline: "known"` is not excused.
   */
  baseline?: {knownFailures?: number} | null
  /** The run's day (YYYY-MM-DD): a waiver that expired before it excuses nothing. Omitted: not checked. */
  day?: string
  /** Category summaries as written; any `error` makes the run incomplete. */
  categories?: Partial<Record<string, {status: string} | undefined>>
  /** The login bootstrap's outcome: a failed login leaves the authenticated pages unchecked. */
  auth?: {ok: boolean} | null
}

/**
 * Whether a waiver's `location` names this finding: `file:line` (or `file:line:column`) names that
 * position of a file whose path ends with `file`; anything else (a host, URL, selector, JSON
 * Pointer, file name) matches as a part of the location or of the finding's details.
 */
export function waiverMatches(location: string | undefined, f: Pick<Finding, 'location' | 'details'>): boolean {
  if (!location) return true
  const l = f.location
  const pos = /^(.+?):(\d+)(?::(\d+))?$/.exec(location)
  if (pos && !pos[1].includes('://') && l?.file) {
    const file = l.file.replace(/\\/g, '/')
    const want = pos[1].replace(/\\/g, '/').replace(/^\.\//, '')
    return (file === want || file.endsWith('/' + want)) && l.line === Number(pos[2]) && (!pos[3] || l.column === Number(pos[3]))
  }
  const where = l ? [l.file && `${l.file}${l.line ? `:${l.line}` : ''}`, l.pointer, l.url, l.selector].filter(Boolean).join(' ') : ''
  return where.includes(location) || JSON.stringify(f.details ?? {}).includes(location)
}

/**
 * Whether a category's findings say it did not run: it has findings, none of them judged (pass,
 * fail or waived), and at least one rule whose findings are all `error`.
 */
export function categoryErrored(findings: readonly Pick<Finding, 'ruleId' | 'status'>[]): boolean {
  const byRule = new Map<string, string[]>()
  for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f.status])
  let judged = false
  let broken = false
  for (const statuses of byRule.values()) {
    if (statuses.some((s) => s === 'pass' || s === 'fail' || s === 'waived')) judged = true
    if (statuses.every((s) => s === 'error')) broken = true
  }
  return byRule.size > 0 && !judged && broken
}

/** Whether this finding, as recorded, fails the gate (a waiver or a known baseline failure excuses it). */
export function findingGates(f: VerdictFinding, input: Pick<VerdictInput, 'failOn' | 'waivers' | 'baseline' | 'day'>): boolean {
  if (f.status !== 'fail' && f.status !== 'waived') return false
  if (!gates(f.severity, input.failOn)) return false
  if (f.status === 'waived') {
    const covered = (input.waivers ?? []).some(
      (w) =>
        typeof w.rule === 'string' &&
        w.rule.toUpperCase() === f.ruleId &&
        w.state !== 'expired' &&
        (input.day === undefined || String(w.expires) >= input.day) &&
        waiverMatches(w.location, f),
    )
    if (covered) return false
  }
  if (f.baseline === 'known' && input.baseline) return false
  return true
}

/**
 * The verdict: `fail` when a finding at or above failOn fails (not waived, not a known baseline
 * failure); else `incomplete` when a whole category could not run or the login failed (exit 3);
 * else `pass`. Pure: the same document always gives the same verdict.
 */
export function computeVerdict(input: VerdictInput): Verdict {
  if (input.findings.some((f) => findingGates(f, input))) return 'fail'
  if (input.auth && input.auth.ok === false) return 'incomplete'
  if (input.categories && Object.values(input.categories).some((c) => c?.status === 'error')) return 'incomplete'
  const byCategory = new Map<string, VerdictFinding[]>()
  for (const f of input.findings) byCategory.set(f.category, [...(byCategory.get(f.category) ?? []), f])
  for (const list of byCategory.values()) if (categoryErrored(list)) return 'incomplete'
  return 'pass'
}

/** The verdict a result document's own contents call for (what the review server recomputes). */
export function verdictOfDocument(doc: {
  findings: readonly VerdictFinding[]
  failOn?: FailOn
  waivers?: readonly VerdictWaiver[]
  baseline?: {knownFailures?: number}
  categories?: VerdictInput['categories']
  auth?: {ok: boolean}
}): Verdict {
  return computeVerdict({
    findings: doc.findings,
    failOn: doc.failOn ?? 'error',
    waivers: doc.waivers,
    baseline: doc.baseline,
    categories: doc.categories,
    auth: doc.auth,
  })
}
