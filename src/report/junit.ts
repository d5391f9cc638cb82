// JUnit XML for CI test tabs: one <testsuite> per category, one <testcase> per rule and location
// (page or file position).
//
// A testcase carries:
//   <failure>  when a finding failed with severity error, or with a lower severity that the
//              document's fail-on policy gates (warn under `--fail-on warn`). Failures already in
//              the baseline stay failures, with type "known" (the exit code gates only new ones).
//              Failures below the gate (a warning under `--fail-on error`) pass, with their message
//              in <system-out>, so CI test tabs match the exit code.
//   <error>    when the rule could not be judged (status error).
//   <skipped>  when every finding is not-applicable or waived (the waiver's reason and expiry).
// Waivers that expired or match nothing get a testcase of their own in the "waivers" suite,
// skipped with the warning as its message (visible, never failing the build).
import {create} from 'xmlbuilder2'
import type {XMLBuilder} from 'xmlbuilder2/lib/interfaces.js'
import type {Finding, Lang, ResultDocument} from '../core/types.js'
import {CATEGORIES} from '../core/types.js'
import {gates} from '../core/result.js'
import {t} from '../lib/i18n/index.js'
import type {RenderOptions} from './index.js'
import {categoryName} from './text.js'
import {reportLang, ruleHelp, ruleIndex, ruleTitle, waiverWarnings, where} from './common.js'

export const extension = 'junit'

/** Characters XML 1.0 cannot carry. */
function xml(s: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(s ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
}

/** Whether a failed finding is a JUnit <failure> under the document's policy. */
export function isJunitFailure(f: Finding, failOn: ResultDocument['failOn']): boolean {
  return f.status === 'fail' && (f.severity === 'error' || gates(f.severity, failOn ?? 'error'))
}

export async function render(doc: ResultDocument, opts: RenderOptions): Promise<string> {
  return renderJunit(doc, opts)
}

export function renderJunit(doc: ResultDocument, opts: Partial<RenderOptions> = {}): string {
  const lang = reportLang(doc, opts)
  const rules = ruleIndex(doc, lang)
  const failOn = doc.failOn ?? 'error'
  const root = create({version: '1.0', encoding: 'UTF-8'}).ele('testsuites', {name: xml(`sjt ${doc.app.id}`)})
  const totals = {tests: 0, failures: 0, errors: 0, skipped: 0}
  const cats = CATEGORIES.filter((c) => doc.categories[c] || doc.findings.some((f) => f.category === c))
  for (const cat of cats) {
    const findings = doc.findings.filter((f) => f.category === cat)
    // Group by rule and location, in first-seen order.
    const groups = new Map<string, Finding[]>()
    for (const f of findings) {
      const k = `${f.ruleId}\u0000${where(f)}`
      const g = groups.get(k) ?? []
      g.push(f)
      groups.set(k, g)
    }
    const suite = root.ele('testsuite', {name: xml(`${cat} (${categoryName(cat, lang)})`), id: cat, tests: 0, failures: 0, errors: 0, skipped: 0, time: '0', timestamp: xml(doc.startedAt.replace(/Z$/, ''))})
    const props = suite.ele('properties')
    for (const [name, value] of [
      ['app.id', doc.app.id],
      ['app.version', doc.app.version],
      ['profile', `${doc.profile.name} ${doc.profile.version}`],
      ['tool', `sjt ${doc.tool.version}`],
      ['failOn', failOn],
      ['verdict', doc.verdict],
      ['category.status', doc.categories[cat]?.status ?? ''],
      ['category.score', String(doc.categories[cat]?.score ?? '')],
    ]) {
      props.ele('property', {name, value: xml(value)})
    }
    const counts = {tests: 0, failures: 0, errors: 0, skipped: 0}
    for (const list of groups.values()) {
      const f0 = list[0]
      const loc = where(f0)
      const title = ruleTitle(rules, f0.ruleId, lang)
      const attrs: Record<string, string> = {
        name: xml(`${f0.ruleId}${title !== f0.ruleId ? ` ${title}` : ''}${loc ? ` @ ${loc}` : ''}`),
        classname: xml(`sjt.${cat}.${f0.ruleId}`),
        time: '0',
      }
      if (f0.location?.file) attrs.file = xml(f0.location.file)
      if (f0.location?.line) attrs.line = String(f0.location.line)
      const tc = suite.ele('testcase', attrs)
      counts.tests++
      const failed = list.filter((f) => isJunitFailure(f, failOn))
      const faults = list.filter((f) => f.status === 'error')
      const belowGate = list.filter((f) => f.status === 'fail' && !isJunitFailure(f, failOn))
      const skippable = list.every((f) => f.status === 'not-applicable' || f.status === 'waived')
      if (failed.length) {
        counts.failures++
        const known = failed.every((f) => f.baseline === 'known')
        tc.ele('failure', {message: xml(failed.map((f) => f.message).join('; ')), type: xml(known ? 'known' : failed[0].severity)}).txt(xml(body(failed, lang, rules)))
      } else if (faults.length) {
        counts.errors++
        tc.ele('error', {message: xml(faults.map((f) => f.message).join('; ')), type: 'could-not-judge'}).txt(xml(body(faults, lang, rules)))
      } else if (skippable) {
        counts.skipped++
        const w = list.find((f) => f.waiver)
        const message = w?.waiver
          ? t(lang, 'report.waivedBy', {reason: w.waiver.reason, owner: w.waiver.owner ?? '—', expires: w.waiver.expires})
          : list.map((f) => f.message).join('; ')
        tc.ele('skipped', {message: xml(message)})
      }
      if (belowGate.length) tc.ele('system-out').txt(xml(body(belowGate, lang, rules)))
    }
    setCounts(suite, counts)
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += counts[k]
  }
  const warnings = waiverWarnings(doc, lang)
  if (warnings.length) {
    const suite = root.ele('testsuite', {name: 'waivers', id: 'waivers', tests: 0, failures: 0, errors: 0, skipped: 0, time: '0'})
    for (const w of warnings) {
      const tc = suite.ele('testcase', {name: xml(`${t(lang, 'report.junit.waiverProblem')} ${w.waiver.rule}${w.waiver.location ? ` @ ${w.waiver.location}` : ''}`), classname: 'sjt.waivers', time: '0'})
      tc.ele('skipped', {message: xml(w.text)})
      tc.ele('system-err').txt(xml(w.text))
    }
    setCounts(suite, {tests: warnings.length, failures: 0, errors: 0, skipped: warnings.length})
    totals.tests += warnings.length
    totals.skipped += warnings.length
  }
  root.att('tests', String(totals.tests)).att('failures', String(totals.failures)).att('errors', String(totals.errors)).att('skipped', String(totals.skipped)).att('time', (doc.durationMs / 1000).toFixed(3))
  return root.end({prettyPrint: true}) + '\n'
}

function setCounts(suite: XMLBuilder, c: {tests: number; failures: number; errors: number; skipped: number}): void {
  suite.att('tests', String(c.tests)).att('failures', String(c.failures)).att('errors', String(c.errors)).att('skipped', String(c.skipped))
}

function body(list: Finding[], lang: Lang, rules: ReturnType<typeof ruleIndex>): string {
  const lines: string[] = []
  for (const f of list) {
    const loc = where(f)
    lines.push(`${f.ruleId} [${t(lang, `report.severity.${f.severity}`)}${f.baseline ? `, ${t(lang, `report.baseline.${f.baseline}`)}` : ''}] ${f.message}`)
    if (loc) lines.push(`  ${t(lang, 'report.location')}: ${loc}`)
    lines.push(`  ${t(lang, 'report.clause')}: ${f.clause}`)
  }
  const help = ruleHelp(rules, list[0].ruleId, lang)
  if (help) lines.push(`${t(lang, 'report.help')}: ${help}`)
  return lines.join('\n')
}
