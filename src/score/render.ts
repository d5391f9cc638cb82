// Output of `sjt score`: one app (indices, and with explain what wins the missed points back) or
// a ranking of many, as text, CSV, JSON or a self-contained HTML page with an inline SVG chart.
import {csvCell} from '../lib/csv.js'
import type {Lang, Localized} from '../core/types.js'
import {t} from '../lib/i18n/index.js'
import {categoryName} from '../report/text.js'
import {REPORT_CSP} from '../report/html.js'
import type {ExplainEntry, ScoreResult} from './score.js'

export type ScoreFormat = 'text' | 'csv' | 'json' | 'html'
export const SCORE_FORMATS: ScoreFormat[] = ['text', 'csv', 'json', 'html']

export interface RankedRow {
  rank: number
  file?: string
  score: ScoreResult
}

const loc = (v: Localized | null | undefined, lang: Lang): string => (v ? (v[lang] ?? v['zh-CN']) : '')
const fmt = (n: number | null | undefined): string => (typeof n === 'number' ? n.toFixed(1) : '—')

/** Terminal width of a string: CJK and full-width characters take two columns. */
function displayWidth(s: string): number {
  let w = 0
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1
  }
  return w
}

function pad(s: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)))
  return right ? fill + s : s + fill
}

function table(head: string[], rows: string[][], numeric: boolean[]): string[] {
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))))
  const line = (r: string[]) => r.map((c, i) => pad(c ?? '', widths[i], numeric[i])).join('  ').trimEnd()
  return [line(head), ...rows.map(line)]
}

function indexLabel(name: Localized, lang: Lang): string {
  return t(lang, 'score.bilingualName', {zh: name['zh-CN'], en: name.en})
}

function gradeText(s: ScoreResult, lang: Lang): string {
  if (!s.gradeName) return '—'
  const name = t(lang, 'score.bilingualName', {zh: s.gradeName['zh-CN'], en: s.gradeName.en})
  return s.gradeBasis === 'lower-bound' ? name + t(lang, 'score.lowerBound', {min: fmt(s.range.min)}) : name
}

function unknownText(s: ScoreResult, lang: Lang): string {
  const declared = s.declaredPoints > 0 ? t(lang, 'score.clauseSeparator') + t(lang, 'score.declaredLine', {points: fmt(s.declaredPoints)}) : ''
  return unknownPart(s, lang) + declared
}

function unknownPart(s: ScoreResult, lang: Lang): string {
  if (s.unknownWeight <= 0) return t(lang, 'score.allKnown')
  const from = s.unknownFrom.map((u) => t(lang, 'score.unknownFrom.item', {id: u.category, name: categoryName(u.category, lang), points: fmt(u.points)})).join(t(lang, 'score.listSeparator'))
  return t(lang, 'score.unknownLine', {points: fmt(s.unknownWeight), from, min: fmt(s.range.min), max: fmt(s.range.max)})
}

function howToWinText(e: ExplainEntry, lang: Lang): string {
  const parts: string[] = []
  if (e.howToWin.rules.length) parts.push(`${t(lang, 'score.explain.rules')}: ${e.howToWin.rules.join(', ')}`)
  if (e.howToWin.fields.length) parts.push(`${t(lang, 'score.explain.fields')}: ${e.howToWin.fields.join(', ')}`)
  if (e.howToWin.items?.length) parts.push(`${t(lang, 'score.explain.items')}: ${e.howToWin.items.join('、')}`)
  if (e.howToWin.run?.length) parts.push(`${t(lang, 'score.explain.run')}: ${e.howToWin.run.map((c) => `sjt check ${c}`).join(', ')}`)
  return parts.join('; ')
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return String(Math.round(v * 1000) / 1000)
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if ('matched' in o && 'of' in o) return `${o.matched}/${o.of}`
    if ('count' in o && 'target' in o) return `${o.count}/${o.target}`
    if ('active' in o && 'months' in o) return `${o.active}/${o.months}`
    if ('rate' in o && 'ratings' in o) return `${o.good}/${o.ratings}`
    return Object.entries(o)
      .map(([k, x]) => `${k} ${x}`)
      .join(', ')
  }
  return String(v)
}

const MARK: Record<ExplainEntry['status'], string> = {won: '✓', partial: '◐', missed: '✗', unknown: '?', 'not-applicable': '–'}

/** One app: total, grade, the five indices; with `explain`, every term and how to win it back. */
export function renderOneText(s: ScoreResult, lang: Lang, explain: boolean): string {
  const out: string[] = []
  out.push(`${t(lang, 'score.title')} · ${s.app.name} (${s.app.id})${s.app.regionCode ? ` · ${s.app.regionCode}` : ''}`)
  out.push(`${t(lang, 'score.model')} ${s.modelVersion} · ${t(lang, 'score.total')} ${s.total === null ? t(lang, 'score.noTotal') : fmt(s.total)} · ${t(lang, 'score.grade')} ${gradeText(s, lang)}`)
  out.push(unknownText(s, lang) + (s.usage ? ` · ${t(lang, 'score.usageUsed')}` : ''))
  out.push('')
  const head = (['score.col.index', 'score.col.weight', 'score.col.score', 'score.col.won', 'score.col.missed', 'score.col.unknown'] as const).map((k) => t(lang, k))
  const rows = s.indices.map((i) => [indexLabel(i.name, lang), i.weight.toFixed(2), fmt(i.score), fmt(i.won), fmt(i.missed), fmt(i.unknown)])
  out.push(...table(head, rows, [false, true, true, true, true, true]))
  if (explain) {
    for (const i of s.indices) {
      out.push('', `${indexLabel(i.name, lang)} · ${fmt(i.score)} (${t(lang, 'score.col.won')} ${fmt(i.won)}, ${t(lang, 'score.col.missed')} ${fmt(i.missed)}, ${t(lang, 'score.col.unknown')} ${fmt(i.unknown)})`)
      for (const e of i.explain) {
        const got = e.status === 'not-applicable' ? t(lang, 'score.explain.na') : `${fmt(e.won)}/${fmt(e.won + e.missed + e.unknown)}`
        const value = valueText(e.value)
        out.push(`  ${MARK[e.status]} ${e.id}: ${loc(e.what, lang)} — ${got}${value ? ` [${value}]` : ''}`)
        if (e.status !== 'won' && e.status !== 'not-applicable') {
          const how = howToWinText(e, lang)
          if (how) out.push(`      ${t(lang, 'score.explain.howToWin')}: ${how}`)
        }
        if (e.note && e.status !== 'won') out.push(`      ${loc(e.note, lang)}`)
      }
      if (i.missed === 0 && i.unknown === 0) out.push(`  ${t(lang, 'score.explain.none')}`)
    }
  } else out.push('', t(lang, 'score.explainHint'))
  return out.join('\n') + '\n'
}

function indexIds(rows: RankedRow[]): Array<{id: string; name: Localized}> {
  const seen = new Map<string, Localized>()
  for (const r of rows) for (const i of r.score.indices) if (!seen.has(i.id)) seen.set(i.id, i.name)
  return [...seen].map(([id, name]) => ({id, name}))
}

export function renderRankingText(rows: RankedRow[], lang: Lang, explain: boolean): string {
  const ids = indexIds(rows)
  const head = [t(lang, 'score.col.rank'), t(lang, 'score.col.region'), t(lang, 'score.col.app'), t(lang, 'score.col.name'), t(lang, 'score.total'), t(lang, 'score.grade'), ...ids.map((i) => t(lang, 'score.indexColumn', {id: i.id, name: i.name['zh-CN']})), t(lang, 'score.col.unknown')]
  const body = rows.map((r) => [
    String(r.rank),
    r.score.app.regionCode ?? '',
    r.score.app.id,
    r.score.app.name,
    fmt(r.score.total),
    gradeText(r.score, lang),
    ...ids.map((i) => fmt(r.score.indices.find((x) => x.id === i.id)?.score)),
    fmt(r.score.unknownWeight),
  ])
  const out = [`${t(lang, 'score.rankingTitle')} · ${t(lang, 'score.count', {count: rows.length})} · ${t(lang, 'score.model')} ${[...new Set(rows.map((r) => r.score.modelVersion))].join(', ')}`, '']
  out.push(...table(head, body, [true, false, false, false, true, false, ...ids.map(() => true), true]))
  if (explain) for (const r of rows) out.push('', '—'.repeat(8), renderOneText(r.score, lang, true).trimEnd())
  return out.join('\n') + '\n'
}


/** The ranking as a table with English column names (stable for machines): the CSV and the console's XLSX. */
export function rankingCells(rows: RankedRow[]): {head: string[]; rows: unknown[][]} {
  const ids = indexIds(rows).map((i) => i.id)
  const head = ['rank', 'region', 'app', 'name', 'total', 'grade', 'grade_id', ...ids, 'unknown', 'min', 'max', 'model', 'file']
  const body = rows.map((r) => {
    const s = r.score
    return [r.rank, s.app.regionCode ?? '', s.app.id, s.app.name, s.total ?? '', s.grade ?? '', s.gradeId ?? '', ...ids.map((id) => s.indices.find((x) => x.id === id)?.score ?? ''), s.unknownWeight, s.range.min, s.range.max, s.modelVersion, r.file ?? '']
  })
  return {head, rows: body}
}

/** RFC 4180 CSV with English column names (stable for machines); one row per result. */
export function renderRankingCsv(rows: RankedRow[]): string {
  const table = rankingCells(rows)
  const lines = [table.head.join(',')]
  for (const r of table.rows) lines.push(r.map(csvCell).join(','))
  return lines.join('\r\n') + '\r\n'
}

export function renderRankingJson(rows: RankedRow[], filter: {region?: string}): string {
  return (
    JSON.stringify(
      {
        models: [...new Set(rows.map((r) => r.score.modelVersion))],
        ...(filter.region ? {region: filter.region} : {}),
        count: rows.length,
        ranking: rows.map((r) => ({rank: r.rank, ...(r.file ? {file: r.file} : {}), ...r.score})),
      },
      null,
      2,
    ) + '\n'
  )
}

function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!)
}

const GRADE_COLOR: Record<string, string> = {'very-high': '#1a7f37', high: '#2f6fbd', medium: '#b7791f', low: '#c53030'}

/** Horizontal bars (0–100) as inline SVG; labels are text, so the page needs no network. */
function svgBars(bars: Array<{label: string; value: number | null; color?: string}>, title: string): string {
  const rowH = 26
  const labelW = 230
  const barW = 420
  const h = bars.length * rowH + 30
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${labelW + barW + 60}" height="${h}" viewBox="0 0 ${labelW + barW + 60} ${h}" font-family="sans-serif" font-size="13">`, `<title>${esc(title)}</title>`]
  for (const tick of [0, 60, 80, 90, 100]) {
    const x = labelW + (barW * tick) / 100
    parts.push(`<line x1="${x}" y1="4" x2="${x}" y2="${h - 22}" stroke="#ccc" stroke-dasharray="${tick % 100 === 0 ? '' : '3,3'}"/><text x="${x}" y="${h - 6}" text-anchor="middle" fill="#666">${tick}</text>`)
  }
  bars.forEach((b, i) => {
    const y = 6 + i * rowH
    const w = b.value === null ? 0 : (barW * Math.max(0, Math.min(100, b.value))) / 100
    parts.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>`)
    parts.push(`<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${b.color ?? '#2f6fbd'}"><title>${esc(b.label)}: ${esc(fmt(b.value))}</title></rect>`)
    parts.push(`<text x="${labelW + w + 6}" y="${y + 15}" fill="#222">${esc(fmt(b.value))}</text>`)
  })
  parts.push('</svg>')
  return parts.join('')
}

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f6f8}small{color:#666}
.chart{overflow-x:auto}.won{color:#1a7f37}.missed{color:#c53030}.unknown{color:#666}
@media print{body{margin:0}.chart{page-break-inside:avoid}}`

function page(title: string, lang: Lang, body: string): string {
  return `<!DOCTYPE html>\n<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${REPORT_CSP}<title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`
}

function explainHtml(s: ScoreResult, lang: Lang): string {
  const parts: string[] = []
  for (const i of s.indices) {
    parts.push(`<h3>${esc(indexLabel(i.name, lang))} · ${esc(fmt(i.score))}</h3><table><thead><tr><th>${esc(t(lang, 'score.col.status'))}</th><th>${esc(t(lang, 'score.col.term'))}</th><th class="num">${esc(t(lang, 'score.col.won'))}</th><th class="num">${esc(t(lang, 'score.col.missed'))}</th><th class="num">${esc(t(lang, 'score.col.unknown'))}</th><th>${esc(t(lang, 'score.explain.howToWin'))}</th></tr></thead><tbody>`)
    for (const e of i.explain) {
      const how = e.status === 'won' ? '' : e.status === 'not-applicable' ? t(lang, 'score.explain.na') : [howToWinText(e, lang), e.note ? loc(e.note, lang) : ''].filter(Boolean).join(' · ')
      parts.push(`<tr><td title="${esc(t(lang, `score.status.${e.status}`))}">${esc(MARK[e.status])}</td><td>${esc(loc(e.what, lang))} <small>${esc(e.id)} ${esc(valueText(e.value))}</small></td><td class="num won">${esc(fmt(e.won))}</td><td class="num missed">${esc(fmt(e.missed))}</td><td class="num unknown">${esc(fmt(e.unknown))}</td><td>${esc(how)}</td></tr>`)
    }
    parts.push('</tbody></table>')
  }
  return parts.join('')
}

/** The body of one app's score page without its heading (the review console shows it too). */
export function renderOneFragment(s: ScoreResult, lang: Lang, explain: boolean): string {
  const body = [
    `<p>${esc(s.app.id)}${s.app.regionCode ? ` · ${esc(s.app.regionCode)}` : ''} · ${esc(t(lang, 'score.model'))} ${esc(s.modelVersion)}</p>`,
    `<p><b>${esc(t(lang, 'score.total'))} ${esc(fmt(s.total))}</b> · ${esc(t(lang, 'score.grade'))} ${esc(gradeText(s, lang))}</p>`,
    `<p>${esc(unknownText(s, lang))}</p>`,
    `<div class="chart">${svgBars(
      s.indices.map((i) => ({label: loc(i.name, lang), value: i.score})),
      t(lang, 'score.title'),
    )}</div>`,
    `<table><thead><tr><th>${esc(t(lang, 'score.col.index'))}</th><th class="num">${esc(t(lang, 'score.col.weight'))}</th><th class="num">${esc(t(lang, 'score.col.score'))}</th><th class="num">${esc(t(lang, 'score.col.won'))}</th><th class="num">${esc(t(lang, 'score.col.missed'))}</th><th class="num">${esc(t(lang, 'score.col.unknown'))}</th></tr></thead><tbody>`,
    ...s.indices.map((i) => `<tr><td>${esc(indexLabel(i.name, lang))}</td><td class="num">${esc(i.weight.toFixed(2))}</td><td class="num">${esc(fmt(i.score))}</td><td class="num">${esc(fmt(i.won))}</td><td class="num">${esc(fmt(i.missed))}</td><td class="num">${esc(fmt(i.unknown))}</td></tr>`),
    '</tbody></table>',
    explain ? explainHtml(s, lang) : '',
  ]
  return body.join('\n')
}

export function renderOneHtml(s: ScoreResult, lang: Lang, explain: boolean): string {
  const title = `${t(lang, 'score.title')} · ${s.app.name}`
  return page(title, lang, `<h1>${esc(title)}</h1>\n` + renderOneFragment(s, lang, explain))
}

export function renderRankingHtml(rows: RankedRow[], lang: Lang): string {
  const ids = indexIds(rows)
  const title = t(lang, 'score.rankingTitle')
  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p>${esc(t(lang, 'score.count', {count: rows.length}))} · ${esc(t(lang, 'score.model'))} ${esc([...new Set(rows.map((r) => r.score.modelVersion))].join(', '))}</p>`,
    `<div class="chart">${svgBars(
      rows.map((r) => ({label: `${r.rank}. ${r.score.app.name}`, value: r.score.total, color: GRADE_COLOR[r.score.gradeId ?? ''] ?? '#888'})),
      title,
    )}</div>`,
    `<table><thead><tr><th class="num">${esc(t(lang, 'score.col.rank'))}</th><th>${esc(t(lang, 'score.col.region'))}</th><th>${esc(t(lang, 'score.col.app'))}</th><th class="num">${esc(t(lang, 'score.total'))}</th><th>${esc(t(lang, 'score.grade'))}</th>${ids.map((i) => `<th class="num">${esc(loc(i.name, lang))}</th>`).join('')}<th class="num">${esc(t(lang, 'score.col.unknown'))}</th></tr></thead><tbody>`,
    ...rows.map(
      (r) =>
        `<tr><td class="num">${r.rank}</td><td>${esc(r.score.app.regionCode ?? '')}</td><td>${esc(r.score.app.name)}<br><small>${esc(r.score.app.id)}</small></td><td class="num"><b>${esc(fmt(r.score.total))}</b></td><td>${esc(gradeText(r.score, lang))}</td>${ids.map((i) => `<td class="num">${esc(fmt(r.score.indices.find((x) => x.id === i.id)?.score))}</td>`).join('')}<td class="num">${esc(fmt(r.score.unknownWeight))}</td></tr>`,
    ),
    '</tbody></table>',
  ]
  return page(title, lang, body.join('\n'))
}
