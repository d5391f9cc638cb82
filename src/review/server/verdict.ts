// The server's own verdict of a result document, recomputed from what the document shows rather
// than taken from its `verdict` member: a failing finding at or above `failOn` gates the result
// unless an active waiver of the document covers it or the document's baseline already knew it;
// a category that errored or a failed login bootstrap leave the check incomplete — the same
// function as the CLI's (src/core/verdict.ts), so a document sjt wrote always agrees. Pure; the submission route refuses a document whose verdict disagrees and
// the decision route lets only a recomputed `pass` be approved without an override.
import {gates} from '../../core/result.js'
import type {FailOn, Severity} from '../../core/types.js'
import {categoryErrored, computeVerdict, type VerdictFinding} from '../../core/verdict.js'

export type ServerVerdict = 'pass' | 'fail' | 'incomplete'

export interface VerdictReason {
  pointer: string
  message: string
}

export interface RecomputedVerdict {
  verdict: ServerVerdict
  /** The failing findings that gate the result (JSON Pointers into the document). */
  failing: VerdictReason[]
  /** Why the check is incomplete: errored categories and rules, a failed login. */
  incomplete: VerdictReason[]
}

const FAIL_ON: FailOn[] = ['error', 'warn', 'never']
const SEVERITIES: Severity[] = ['error', 'warn', 'info']

/**
 * The earliest calendar day anywhere at `iso` (UTC−12): a waiver that expires on a day holds
 * through that day in the local time of the machine that ran the check, which the server does
 * not know, so the server gives it the benefit of every time zone.
 */
function earliestDay(iso: string): string {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? '0000-00-00' : new Date(t - 12 * 3_600_000).toISOString().slice(0, 10)
}

export function recomputeVerdict(doc: Record<string, any>): RecomputedVerdict {
  const failOn: FailOn = FAIL_ON.includes(doc.failOn) ? doc.failOn : 'error'
  const findings: any[] = Array.isArray(doc.findings) ? doc.findings : []
  const runDay = earliestDay(String(doc.startedAt ?? ''))
  const waivers: any[] = Array.isArray(doc.waivers) ? doc.waivers : []
  const activeWaiver = (ruleId: string, expires: unknown) =>
    waivers.some((w) => w && w.state === 'active' && String(w.rule).toUpperCase() === ruleId && typeof w.expires === 'string' && w.expires >= runDay && (expires === undefined || w.expires === expires))
  const hasBaseline = doc.baseline !== null && typeof doc.baseline === 'object'

  const failing: VerdictReason[] = []
  const byRule = new Map<string, {all: number; errored: number; first: number}>()
  findings.forEach((f, i) => {
    if (!f || typeof f !== 'object') return
    const ruleId = String(f.ruleId)
    const r = byRule.get(ruleId) ?? {all: 0, errored: 0, first: i}
    r.all++
    if (f.status === 'error') r.errored++
    byRule.set(ruleId, r)
    const severity: Severity = SEVERITIES.includes(f.severity) ? f.severity : 'error'
    if (!gates(severity, failOn)) return
    if (f.status === 'fail') {
      if (f.baseline === 'known' && hasBaseline) return
      failing.push({pointer: `/findings/${i}`, message: `${ruleId} fails at severity ${severity} (failOn: ${failOn})`})
    } else if (f.status === 'waived') {
      // A finding says it is waived; the document must hold the active waiver that says so.
      const w = f.waiver
      if (w && typeof w === 'object' && activeWaiver(ruleId, w.expires)) return
      failing.push({pointer: `/findings/${i}`, message: `${ruleId} is marked waived, but no active waiver of the document covers it on the day of the run`})
    }
  })

  const incomplete: VerdictReason[] = []
  const categories = doc.categories && typeof doc.categories === 'object' ? doc.categories : {}
  for (const [name, c] of Object.entries<any>(categories)) {
    if (c && c.status === 'error') incomplete.push({pointer: `/categories/${name}/status`, message: `the ${name} checks did not run to the end (status error)`})
  }
  const wellFormed = findings.filter((f) => f && typeof f === 'object' && typeof f.ruleId === 'string' && typeof f.category === 'string')
  const byCategory = new Map<string, any[]>()
  for (const f of wellFormed) byCategory.set(f.category, [...(byCategory.get(f.category) ?? []), f])
  for (const [name, list] of byCategory) {
    if (!(name in categories) && categoryErrored(list)) incomplete.push({pointer: `/findings/${findings.indexOf(list[0])}`, message: `no rule of ${name} could be checked: the category did not run`})
  }
  if (doc.auth && typeof doc.auth === 'object' && doc.auth.ok === false) incomplete.push({pointer: '/auth/ok', message: 'the login bootstrap failed, so the pages behind it were not checked'})

  // The verdict itself is the one the CLI writes (src/core/verdict.ts): the same function on the
  // same document, with waivers judged on the earliest calendar day of the run anywhere.
  const verdict: ServerVerdict = computeVerdict({
    findings: wellFormed.map((f) => ({...f, severity: SEVERITIES.includes(f.severity) ? f.severity : 'error'})) as VerdictFinding[],
    failOn,
    waivers: waivers.filter((w) => w && typeof w === 'object' && typeof w.rule === 'string'),
    baseline: hasBaseline ? doc.baseline : null,
    day: runDay,
    categories,
    auth: doc.auth && typeof doc.auth === 'object' ? doc.auth : null,
  })
  // Reasons agree with the verdict: failures explain a fail; an incomplete check explains incomplete.
  if (verdict === 'pass') {
    failing.length = 0
    incomplete.length = 0
  }
  return {verdict, failing, incomplete}
}

/**
 * Whether the document's own verdict agrees with the recomputed one. A check that is both
 * incomplete and failing may say either `incomplete` or `fail`; otherwise they must be equal.
 */
export function verdictAgrees(written: unknown, r: RecomputedVerdict): boolean {
  return written === r.verdict
}
