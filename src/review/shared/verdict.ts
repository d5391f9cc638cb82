// The server's own verdict of a result document, recomputed from what the document shows rather
// than taken from its `verdict` member: a failing finding at or above `failOn` gates the result
// unless an active waiver of the document covers it or the document's baseline already knew it;
// a category that errored or a failed login bootstrap leave the check incomplete — the same
// function as the CLI's (src/core/verdict.ts), so a document sjt wrote always agrees. Pure; the submission route refuses a document whose verdict disagrees and
// the decision route lets only a recomputed `pass` be approved without an override.
import type {FailOn, Severity} from '../../core/types.js'
import {categoryErrored, computeVerdict, findingGates, type VerdictFinding} from '../../core/verdict.js'

type ServerVerdict = 'pass' | 'fail' | 'incomplete'

interface VerdictReason {
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
  const waivers = (Array.isArray(doc.waivers) ? doc.waivers : []).filter((w: any) => w && typeof w === 'object' && typeof w.rule === 'string')
  const hasBaseline = doc.baseline !== null && typeof doc.baseline === 'object'
  // Findings as the verdict function reads them (an unknown severity counts as error).
  const normalised: Array<VerdictFinding & {index: number}> = []
  findings.forEach((f, index) => {
    if (f && typeof f === 'object' && typeof f.ruleId === 'string' && typeof f.category === 'string') normalised.push({...f, severity: SEVERITIES.includes(f.severity) ? f.severity : 'error', index})
  })
  const gate = {failOn, waivers, baseline: hasBaseline ? doc.baseline : null, day: runDay}

  // The reasons come from the same per-finding test the verdict uses (src/core/verdict.ts).
  const failing: VerdictReason[] = normalised
    .filter((f) => findingGates(f, gate))
    .map((f) =>
      f.status === 'waived'
        ? {pointer: `/findings/${f.index}`, message: `${f.ruleId} is marked waived, but no active waiver of the document covers it on the day of the run`}
        : {pointer: `/findings/${f.index}`, message: `${f.ruleId} fails at severity ${f.severity} (failOn: ${failOn})`},
    )

  const incomplete: VerdictReason[] = []
  const categories = doc.categories && typeof doc.categories === 'object' ? doc.categories : {}
  for (const [name, c] of Object.entries<any>(categories)) {
    if (c && c.status === 'error') incomplete.push({pointer: `/categories/${name}/status`, message: `the ${name} checks did not run to the end (status error)`})
  }
  const byCategory = new Map<string, typeof normalised>()
  for (const f of normalised) byCategory.set(f.category, [...(byCategory.get(f.category) ?? []), f])
  for (const [name, list] of byCategory) {
    if (!(name in categories) && categoryErrored(list)) incomplete.push({pointer: `/findings/${list[0].index}`, message: `no rule of ${name} could be checked: the category did not run`})
  }
  if (doc.auth && typeof doc.auth === 'object' && doc.auth.ok === false) incomplete.push({pointer: '/auth/ok', message: 'the login bootstrap failed, so the pages behind it were not checked'})

  // The verdict itself is the one the CLI writes (src/core/verdict.ts): the same function on the
  // same document, with waivers judged on the earliest calendar day of the run anywhere.
  const verdict: ServerVerdict = computeVerdict({
    findings: normalised,
    ...gate,
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
