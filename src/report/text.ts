// The terminal renderer: grouped by category, failures first, one line each; a summary line.
import type {Category, Finding, Lang, ResultDocument} from '../core/types.js'
import {CATEGORIES} from '../core/types.js'
import {t} from '../lib/i18n/index.js'
import {shownCategory} from './status.js'

export interface TextOptions {
  lang: Lang
  color: boolean
  /** Also list passing and not-applicable findings. */
  verbose?: boolean
}

const CAT_NAMES: Record<Category, {'zh-CN': string; en: string}> = {
  manifest: {'zh-CN': '接入清单', en: 'Manifest'},
  contract: {'zh-CN': '接口规范', en: 'Interface contract'},
  a11y: {'zh-CN': '无障碍', en: 'Accessibility'},
  elder: {'zh-CN': '适老化', en: 'Elder mode'},
  perf: {'zh-CN': '性能', en: 'Performance'},
  security: {'zh-CN': '安全与个人信息', en: 'Security & personal information'},
  miniprogram: {'zh-CN': '小程序', en: 'Mini-program'},
}

export function categoryName(c: Category, lang: Lang): string {
  return CAT_NAMES[c][lang]
}

export function locationLabel(f: Pick<Finding, 'location'>): string {
  const l = f.location
  if (!l) return ''
  if (l.file) return `${l.file}${l.line ? `:${l.line}${l.column ? `:${l.column}` : ''}` : ''}`
  return [l.url, l.selector].filter(Boolean).join(' ')
}

const ORDER: Record<string, number> = {fail: 0, error: 1, waived: 2, pass: 3, 'not-applicable': 4}

export function renderText(doc: ResultDocument, opts: TextOptions): string {
  const c = painter(opts.color)
  const lines: string[] = []
  const lang = opts.lang
  lines.push(c.bold(`${doc.app.name} (${doc.app.id} ${doc.app.version}) · ${doc.profile.name} ${doc.profile.version}`))
  if (doc.inputs?.config) lines.push(c.dim(t(lang, 'report.configUsed', {file: doc.inputs.config})))
  for (const cat of CATEGORIES) {
    const sum = doc.categories[cat]
    if (!sum) continue
    const list = doc.findings.filter((f) => f.category === cat).sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.ruleId.localeCompare(b.ruleId, 'en', {numeric: true}))
    const shown = shownCategory(doc, cat)!
    const badge = shown.status === 'pass' ? c.green('✔') : shown.status === 'fail' ? c.red('✖') : shown.status === 'skipped' ? c.dim('-') : c.yellow('!')
    const score =
      shown.status === 'incomplete'
        ? ` · ${t(lang, 'text.categoryIncomplete', {count: shown.faults})}`
        : shown.status === 'skipped'
          ? ` · ${t(lang, 'text.notChecked')}`
        : shown.score === null
          ? ''
          : ` · ${t(lang, 'text.score')} ${shown.score}${shown.faults > 0 ? ` (${t(lang, 'text.unjudged', {count: shown.faults})})` : ''}`
    lines.push('', `${badge} ${c.bold(categoryName(cat, lang))}${score}`)
    const visible = list.filter((f) => opts.verbose || f.status === 'fail' || f.status === 'error' || f.status === 'waived')
    if (visible.length === 0) lines.push(c.dim(`  ${t(lang, 'text.noFindings')}`))
    for (const f of visible) {
      const mark =
        f.status === 'fail' ? (f.severity === 'error' ? c.red('error') : f.severity === 'warn' ? c.yellow('warn ') : c.dim('info ')) : f.status === 'error' ? c.magenta('fault') : f.status === 'waived' ? c.dim('waived') : f.status === 'pass' ? c.green('pass ') : c.dim('n/a  ')
      const where = locationLabel(f)
      const known = f.baseline === 'known' ? c.dim(' [baseline]') : ''
      lines.push(`  ${mark} ${c.bold(f.ruleId)} ${where ? c.cyan(where) + ' ' : ''}${f.message}${known}`)
    }
  }
  for (const w of doc.waivers ?? []) {
    if (w.state === 'expired') lines.push(c.yellow(t(lang, 'text.waiverExpired', {rule: w.rule, location: w.location ?? '', expires: w.expires})))
    if (w.state === 'unused') lines.push(c.yellow(t(lang, 'text.waiverUnused', {rule: w.rule, location: w.location ?? ''})))
  }
  const count = (pred: (f: Finding) => boolean) => doc.findings.filter(pred).length
  // A pass with rules that could not be checked is a pass of what was checked: yellow, with the
  // number of unchecked rules' findings in the line, never plain green.
  const faults = count((f) => f.status === 'error')
  lines.push(
    '',
    (doc.verdict === 'pass' && faults === 0 ? c.green : doc.verdict === 'fail' ? c.red : c.yellow)(
      t(lang, 'text.summary', {
        verdict: t(lang, doc.verdict === 'pass' ? 'text.pass' : doc.verdict === 'incomplete' ? 'text.incomplete' : 'text.fail'),
        errors: count((f) => f.status === 'fail' && f.severity === 'error'),
        warnings: count((f) => f.status === 'fail' && f.severity === 'warn'),
        faults,
        passed: count((f) => f.status === 'pass'),
        na: count((f) => f.status === 'not-applicable'),
        waived: count((f) => f.status === 'waived'),
        seconds: (doc.durationMs / 1000).toFixed(1),
      }),
    ),
  )
  return lines.join('\n') + '\n'
}

type Paint = (s: string) => string
function painter(on: boolean): Record<'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta', Paint> {
  const wrap = (a: number, b: number): Paint => (s) => (on ? `\u001B[${a}m${s}\u001B[${b}m` : s)
  return {bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), magenta: wrap(35, 39)}
}

/** Colour only on a TTY, never with NO_COLOR (https://no-color.org), forced with FORCE_COLOR. */
export function useColor(stream: NodeJS.WriteStream = process.stdout, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY)
}
