// The Markdown report, for pull-request comments: a summary table and the failures, always under
// 65,000 characters (GitHub refuses comments over 65,536); what does not fit is cut with a note.
import type {Finding, Lang, ResultDocument} from '../core/types.js'
import {CATEGORIES} from '../core/types.js'
import {t, type MessageKey} from '../lib/i18n/index.js'
import type {RenderOptions} from './index.js'
import {categoryName} from './text.js'
import {shownCategory} from './status.js'
import {capabilityOf, countFindings, perfMetrics, reportLang, ruleIndex, ruleTitle, securityGrade, sortFindings, waiverWarnings, where} from './common.js'

export const extension = 'md'

/** The hard ceiling of the whole report, note included. */
export const MD_LIMIT = 65_000
const FIELD_MAX = 1_500

/** Escape text for Markdown (and the HTML that Markdown lets through). */
export function mdText(s: unknown): string {
  let v = String(s ?? '')
  if (v.length > FIELD_MAX) v = v.slice(0, FIELD_MAX - 1) + '…'
  return v
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => '\\' + c)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

/** An inline code span that survives any backticks inside. */
function code(s: unknown): string {
  let v = String(s ?? '').replace(/\r?\n/g, ' ')
  if (v.length > FIELD_MAX) v = v.slice(0, FIELD_MAX - 1) + '…'
  const ticks = '`'.repeat(Math.max(1, ...[...v.matchAll(/`+/g)].map((m) => m[0].length + 1)))
  const pad = v.startsWith('`') || v.endsWith('`') ? ' ' : ''
  // A pipe inside a code span still splits a table cell on GitHub.
  return `${ticks}${pad}${v.replace(/\|/g, '\\|')}${pad}${ticks}`
}

export async function render(doc: ResultDocument, opts: RenderOptions): Promise<string> {
  return renderMarkdown(doc, opts)
}

export function renderMarkdown(doc: ResultDocument, opts: Partial<RenderOptions> = {}, limit = MD_LIMIT): string {
  const lang = reportLang(doc, opts)
  const rules = ruleIndex(doc, lang)
  const L = (k: MessageKey, p?: Record<string, unknown>) => t(lang, k, p)
  const head: string[] = []
  const verdict = doc.verdict === 'pass' ? 'pass' : doc.verdict === 'incomplete' ? 'incomplete' : 'fail'
  head.push(`# ${mdText(L('report.title'))} · ${mdText(doc.app.name)} (${code(doc.app.id)} ${mdText(doc.app.version)})`, '')
  head.push(
    `**${mdText(L('report.verdict'))}: ${verdict === 'pass' ? '✅' : verdict === 'incomplete' ? '⚠️' : '❌'} ${mdText(L(`report.verdict.${verdict}`))}** · ${mdText(L('report.profile'))} ${mdText(doc.profile.name)} ${mdText(doc.profile.version)} · sjt ${mdText(doc.tool.version)} · ${mdText(L('report.failOn'))} ${mdText(doc.failOn ?? 'error')} · ${mdText(doc.startedAt)}`,
    '',
  )
  if (doc.inputs?.config) head.push(mdText(L('report.configUsed', {file: doc.inputs.config})), '')
  const cats = CATEGORIES.filter((k) => doc.categories[k])
  if (cats.length) {
    head.push(`| ${[L('report.category'), L('report.status'), L('report.scoreCol'), L('report.count.errors'), L('report.count.warnings')].map(mdText).join(' | ')} |`, '| --- | --- | ---: | ---: | ---: |')
    for (const k of cats) {
      const s = doc.categories[k]!
      const shown = shownCategory(doc, k)!
      const icon = shown.status === 'pass' ? '✅' : shown.status === 'fail' ? '❌' : shown.status === 'error' || shown.status === 'incomplete' ? '⚠️' : '➖'
      const label = L(`report.catStatus.${shown.status}`) + (shown.status === 'incomplete' ? `（${L('report.catIncomplete', {count: shown.faults})}）` : '')
      head.push(`| ${mdText(categoryName(k, lang))} | ${icon} ${mdText(label)} | ${shown.score === null ? mdText(L('report.noScore')) : shown.score} | ${s.errors} | ${s.warnings} |`)
    }
    head.push('')
  }
  const c = countFindings(doc.findings)
  head.push(
    [
      `${L('report.count.errors')} ${c.errors}`,
      `${L('report.count.warnings')} ${c.warnings}`,
      `${L('report.count.infos')} ${c.infos}`,
      `${L('report.count.passed')} ${c.passed}`,
      `${L('report.count.na')} ${c.na}`,
      `${L('report.count.waived')} ${c.waived}`,
      `${L('report.count.faults')} ${c.faults}`,
    ]
      .map(mdText)
      .join(' · '),
    '',
  )
  if (doc.baseline) head.push(mdText(L('report.baseline.summary', {file: doc.baseline.file, new: doc.baseline.newFailures, known: doc.baseline.knownFailures})), '')
  for (const w of waiverWarnings(doc, lang)) head.push(`> ⚠️ ${mdText(w.text)}`, '')

  const cap = capabilityOf(doc, lang)
  if (cap) {
    const bits = [cap.total !== undefined ? `${L('report.capability.total')} ${Math.round(cap.total * 10) / 10}` : '', cap.grade ? `${L('report.capability.grade')} ${cap.grade}` : '', cap.modelVersion ? `${L('report.capability.model')} ${cap.modelVersion}` : '']
    head.push(`**${mdText(L('report.capability'))}**: ${bits.filter(Boolean).map(mdText).join(' · ')}`, '')
    if (cap.indices.length) {
      head.push(`| ${mdText(L('report.capability.index'))} | ${mdText(L('report.capability.weight'))} | ${mdText(L('report.scoreCol'))} |`, '| --- | ---: | ---: |')
      for (const i of cap.indices) head.push(`| ${mdText(i.name)} | ${i.weight ?? ''} | ${i.score === undefined ? '' : Math.round(i.score * 10) / 10} |`)
      head.push('')
    }
  }
  for (const g of perfMetrics(doc, lang)) {
    const caption = [g.page ? `${L('report.metrics.page')}: ${g.page}` : '', g.runs !== undefined ? L('report.metrics.runs', {runs: g.runs}) : ''].filter(Boolean).join(' · ')
    head.push(`**${mdText(L('report.metrics'))}**${caption ? ` (${mdText(caption)})` : ''}: ` + g.rows.map((r) => `${mdText(r.label)} ${mdText(r.value)}${r.spread ? ` (${mdText(r.spread)})` : ''}`).join(' · '), '')
  }
  const sec = securityGrade(doc)
  if (sec) head.push(`**${mdText(L('report.security'))}**: ${mdText(sec.grade)}${sec.score !== undefined ? ` · ${mdText(L('report.security.score', {score: sec.score}))}` : ''}`, '')

  // The lists, in order of importance; each item is added only while it fits.
  const sorted = sortFindings(doc.findings)
  const failures = sorted.filter((f) => f.status === 'fail')
  const faults = sorted.filter((f) => f.status === 'error')
  const waived = sorted.filter((f) => f.status === 'waived')
  const sections: Array<{title: string; items: string[]}> = [
    {title: `## ${mdText(L('report.failures'))} (${failures.length})`, items: failures.length ? failures.map((f) => item(f, lang, rules)) : [mdText(L('report.failures.none'))]},
  ]
  if (faults.length) sections.push({title: `## ${mdText(L('report.faults'))} (${faults.length})`, items: faults.map((f) => item(f, lang, rules))})
  if (waived.length) sections.push({title: `## ${mdText(L('report.waived'))} (${waived.length})`, items: waived.map((f) => item(f, lang, rules))})

  const footer = `\n---\n${mdText(L('report.generated', {version: doc.tool.version, digest: doc.digest?.value ?? ''}))}\n`
  const totalItems = sections.reduce((n, s) => n + s.items.length, 0)
  // Room for the truncation note, whatever the number in it.
  const reserve = footer.length + mdText(L('report.md.truncated', {limit, more: totalItems})).length + 16
  let out = head.join('\n')
  if (out.length > limit - reserve) out = out.slice(0, Math.max(0, limit - reserve - 2)) + '…\n'
  let shown = 0
  let cut = false
  for (const s of sections) {
    if (cut) break
    const title = `\n${s.title}\n\n`
    if (out.length + title.length > limit - reserve) {
      cut = true
      break
    }
    out += title
    for (const it of s.items) {
      const line = it + '\n'
      if (out.length + line.length > limit - reserve) {
        cut = true
        break
      }
      out += line
      shown++
    }
  }
  if (cut) out += `\n${L('report.md.truncated', {limit, more: totalItems - shown})}\n`
  return out + footer
}

function item(f: Finding, lang: Lang, rules: ReturnType<typeof ruleIndex>): string {
  const L = (k: MessageKey, p?: Record<string, unknown>) => t(lang, k, p)
  const sev = f.status === 'error' ? L('report.findingStatus.error') : f.status === 'waived' ? L('report.findingStatus.waived') : L(`report.severity.${f.severity}`)
  const icon = f.status === 'error' ? '⚠️' : f.status === 'waived' ? '💤' : f.severity === 'error' ? '❌' : f.severity === 'warn' ? '🟡' : 'ℹ️'
  const mark = f.baseline ? ` \\[${mdText(L(`report.baseline.${f.baseline}`))}\\]` : ''
  const title = ruleTitle(rules, f.ruleId, lang)
  const lines = [`- ${icon} **${mdText(sev)}** ${code(f.ruleId)} ${mdText(title)}${mark}: ${mdText(f.message)}`]
  const loc = where(f)
  const meta = [loc ? `${mdText(L('report.location'))}: ${code(loc)}` : '', `${mdText(L('report.clause'))}: ${mdText(f.clause)}`, f.evidence ? `${mdText(L('report.evidence'))}: ${mdText(L(`report.evidence.${f.evidence}`))}` : ''].filter(Boolean)
  lines.push(`  ${meta.join(' · ')}`)
  if (f.waiver) lines.push(`  ${mdText(L('report.waivedBy', {reason: f.waiver.reason, owner: f.waiver.owner ?? '—', expires: f.waiver.expires}))}`)
  // A backslash at the end of a line is a hard line break (CommonMark), keeping the item's lines apart.
  return lines.join(' \\\n')
}
