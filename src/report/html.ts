// The HTML access report: one self-contained file (inline CSS and SVG, no scripts, no fonts, no
// network references; a Content-Security-Policy forbids any load but inline data: images).
// Readable on a phone, prints cleanly. Everything taken from the document is escaped.
import type {Category, Finding, Lang, ResultDocument, RuleDef} from '../core/types.js'
import {CATEGORIES} from '../core/types.js'
import {t, type MessageKey} from '../lib/i18n/index.js'
import type {RenderOptions} from './index.js'
import {categoryName} from './text.js'
import {shownCategory} from './status.js'
import {
  capabilityOf,
  countFindings,
  perfMetrics,
  reportLang,
  ruleHelp,
  ruleIndex,
  ruleTitle,
  screenshotOf,
  securityGrade,
  signatureLabel,
  sortFindings,
  waiverWarnings,
  where,
} from './common.js'

export const extension = 'html'

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!)
}

const STYLE = `
:root{--fg:#1d2430;--muted:#5b6473;--line:#d9dee6;--bg:#f5f7fa;--card:#fff;--pass:#1e7a34;--fail:#b3261e;--warn:#9a5b00;--info:#3d5a99;--fault:#8e3fa8;--waived:#5b6473}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
main{max-width:1040px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.2rem;margin:0 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:0 0 6px;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px;margin:0 0 16px}
.top{display:flex;flex-wrap:wrap;gap:16px;align-items:center;justify-content:space-between}
.top .app{min-width:0;flex:1 1 320px}
.sub{color:var(--muted);margin:0}
.verdict{font-size:1.4rem;font-weight:700;padding:10px 22px;border-radius:8px;color:#fff;white-space:nowrap}
.verdict.pass{background:var(--pass)}.verdict.fail{background:var(--fail)}.verdict.incomplete{background:#8a5a00}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;min-width:0;overflow-wrap:anywhere}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(110px,1fr));gap:8px}
.tile{border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.tile b{display:block;font-size:1.4rem}
.tile.errors b{color:var(--fail)}.tile.warnings b{color:var(--warn)}.tile.passed b{color:var(--pass)}.tile.faults b{color:var(--fault)}
.note{margin:10px 0 0;color:var(--muted)}
.warnbox{border-color:#e0b252;background:#fff8e6}
.warnbox ul{margin:0;padding-left:20px}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
code{font:.88em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef1f5;border-radius:4px;padding:1px 4px;overflow-wrap:anywhere;word-break:break-word}
svg.chart{width:100%;height:auto;max-width:640px;display:block}
.badge{display:inline-block;font-size:.78rem;font-weight:600;border-radius:4px;padding:1px 7px;color:#fff;white-space:nowrap}
.sev-error{background:var(--fail)}.sev-warn{background:var(--warn)}.sev-info{background:var(--info)}
.st-fault{background:var(--fault)}.st-waived{background:var(--waived)}.st-pass{background:var(--pass)}.st-na{background:#8a93a3}
.mark{font-size:.78rem;border-radius:4px;padding:0 6px;border:1px solid currentColor;white-space:nowrap}
.mark.new{color:var(--fail)}.mark.known{color:var(--muted)}
.finding{border:1px solid var(--line);border-left:5px solid var(--fail);border-radius:6px;padding:10px 12px;margin:0 0 10px;break-inside:avoid;page-break-inside:avoid}
.finding.sev-warn-b{border-left-color:var(--warn)}.finding.sev-info-b{border-left-color:var(--info)}.finding.fault-b{border-left-color:var(--fault)}.finding.waived-b{border-left-color:var(--waived)}
.finding .title{font-weight:600}
.finding p{margin:4px 0}
.finding dl.kv{font-size:.9rem;margin-top:6px}
figure{margin:8px 0 0}
figure img{max-width:100%;height:auto;max-height:480px;border:1px solid var(--line);border-radius:4px;display:block}
figcaption{color:var(--muted);font-size:.85rem}
details summary{cursor:pointer;font-weight:600}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:8px 0 24px;overflow-wrap:anywhere}
.empty{color:var(--muted)}
@media (max-width:600px){
 body{font-size:14px}
 main{padding:8px}
 section{padding:12px;border-radius:6px}
 .verdict{font-size:1.15rem;padding:8px 14px}
 dl.kv{grid-template-columns:1fr;gap:0}
 dl.kv dt{margin-top:6px}
 th,td{padding:5px 4px}
}
@media print{
 @page{size:A4;margin:18mm 12mm 16mm}
 body{background:#fff;font-size:10.5pt}
 main{max-width:none;padding:0}
 section{border:none;border-radius:0;padding:0;margin:0 0 14pt}
 h2{break-after:avoid;page-break-after:avoid}
 .finding,tr,figure{break-inside:avoid;page-break-inside:avoid}
 .scroll{overflow:visible}
 .verdict,.badge,.tile,.finding{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 details.all{display:none}
 figure img{max-height:110mm}
}
`

interface Ctx {
  lang: Lang
  rules: Map<string, RuleDef>
}

export async function render(doc: ResultDocument, opts: RenderOptions): Promise<string> {
  return renderHtml(doc, opts)
}

/** Reports are self-contained: no scripts, no network; only inline styles and data: images. */
export const REPORT_CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`

export function renderHtml(doc: ResultDocument, opts: Partial<RenderOptions> = {}): string {
  const lang = reportLang(doc, opts)
  const ctx: Ctx = {lang, rules: ruleIndex(doc, lang)}
  const L = (k: MessageKey, p?: Record<string, unknown>) => esc(t(lang, k, p))
  const verdict = doc.verdict === 'pass' ? 'pass' : doc.verdict === 'incomplete' ? 'incomplete' : 'fail'
  const title = `${t(lang, 'report.title')} · ${doc.app.name} (${doc.app.id})`
  const parts: string[] = []
  parts.push(
    `<!DOCTYPE html>`,
    `<html lang="${esc(lang)}">`,
    `<head>`,
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    REPORT_CSP,
    `<meta name="generator" content="sjt ${esc(doc.tool.version)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    `</head>`,
    `<body>`,
    `<main>`,
  )

  // Header: verdict and identity.
  parts.push(
    `<section class="top" id="verdict">`,
    `<div class="app"><h1>${esc(doc.app.name)}</h1>`,
    `<p class="sub">${L('report.title')} · <code>${esc(doc.app.id)}</code> ${esc(doc.app.version)}</p></div>`,
    `<div class="verdict ${verdict}" role="status">${L('report.verdict')}: ${L(`report.verdict.${verdict}`)}</div>`,
    `</section>`,
  )

  const kv: Array<[string, string]> = [
    [L('report.appId'), `<code>${esc(doc.app.id)}</code>`],
    [L('report.appVersion'), esc(doc.app.version)],
  ]
  if (doc.app.regionCode) kv.push([L('report.region'), esc(doc.app.regionCode)])
  if (doc.app.creditCode) kv.push([L('report.creditCode'), esc(doc.app.creditCode)])
  if (doc.app.level) kv.push([L('report.level'), esc(doc.app.level)])
  kv.push(
    [L('report.profile'), `${esc(doc.profile.name)} ${esc(doc.profile.version)}`],
    [L('report.tool'), `sjt ${esc(doc.tool.version)}`],
    [L('report.environment'), esc([`Node ${doc.environment?.node ?? ''}`, doc.environment?.browser, doc.environment?.os].filter(Boolean).join(' · '))],
    [L('report.startedAt'), esc(doc.startedAt)],
    [L('report.duration'), esc(`${(doc.durationMs / 1000).toFixed(1)} s`)],
    [L('report.failOn'), esc(doc.failOn ?? 'error')],
  )
  const inputs = Object.entries(doc.inputs ?? {}).filter(([, v]) => typeof v === 'string' && v)
  if (inputs.length) kv.push([L('report.inputs'), inputs.map(([k, v]) => `${esc(k)}: <code>${esc(v)}</code>`).join('<br>')])
  kv.push([L('report.digest'), `<code>${esc(doc.digest?.value ?? '')}</code>`], [L('report.signature'), esc(signatureLabel(doc, lang))])
  parts.push(`<section id="identity"><h2>${L('report.app')}</h2>${dl(kv)}</section>`)

  // Summary counts and baseline.
  const c = countFindings(doc.findings)
  const tiles: Array<[string, MessageKey, number]> = [
    ['errors', 'report.count.errors', c.errors],
    ['warnings', 'report.count.warnings', c.warnings],
    ['infos', 'report.count.infos', c.infos],
    ['passed', 'report.count.passed', c.passed],
    ['na', 'report.count.na', c.na],
    ['waived', 'report.count.waived', c.waived],
    ['faults', 'report.count.faults', c.faults],
  ]
  parts.push(`<section id="summary"><h2>${L('report.summary')}</h2><div class="tiles">`)
  for (const [cls, key, n] of tiles) parts.push(`<div class="tile ${cls}"><b>${n}</b>${L(key)}</div>`)
  parts.push(`</div>`)
  if (doc.baseline) parts.push(`<p class="note" id="baseline">${L('report.baseline.summary', {file: doc.baseline.file, new: doc.baseline.newFailures, known: doc.baseline.knownFailures})}</p>`)
  parts.push(`</section>`)

  // Waivers that expired or match nothing: their own warning, on top.
  const warnings = waiverWarnings(doc, lang)
  if (warnings.length) {
    parts.push(`<section class="warnbox" id="waiver-warnings" role="alert"><h2>${L('report.waivers')}</h2><ul>`)
    for (const w of warnings) parts.push(`<li>${esc(w.text)}</li>`)
    parts.push(`</ul></section>`)
  }

  // Category scores with a bar chart.
  parts.push(`<section id="categories"><h2>${L('report.categories')}</h2>`)
  const cats = CATEGORIES.filter((k) => doc.categories[k])
  if (cats.length) {
    parts.push(categoryChart(doc, cats, lang))
    parts.push(`<div class="scroll"><table><thead><tr><th>${L('report.category')}</th><th>${L('report.status')}</th><th class="num">${L('report.scoreCol')}</th><th class="num">${L('report.count.errors')}</th><th class="num">${L('report.count.warnings')}</th><th class="num">${L('report.rulesCol')}</th></tr></thead><tbody>`)
    for (const k of cats) {
      const s = doc.categories[k]!
      const shown = shownCategory(doc, k)!
      const note = shown.status === 'incomplete' ? t(lang, 'report.catIncomplete', {count: shown.faults}) : s.note
      parts.push(
        `<tr><td>${esc(categoryName(k, lang))}</td><td>${esc(t(lang, `report.catStatus.${shown.status}`))}${note ? `<br><small>${esc(note)}</small>` : ''}</td><td class="num">${shown.score === null ? L('report.noScore') : esc(shown.score)}</td><td class="num">${esc(s.errors)}</td><td class="num">${esc(s.warnings)}</td><td class="num">${esc(s.rules ?? '')}</td></tr>`,
      )
    }
    parts.push(`</tbody></table></div>`)
  } else parts.push(`<p class="empty">${L('report.noScore')}</p>`)
  parts.push(`</section>`)

  // Capability score, when `sjt score` added one.
  const cap = capabilityOf(doc, lang)
  if (cap) {
    const head: Array<[string, string]> = []
    if (cap.total !== undefined) head.push([L('report.capability.total'), `<b>${esc(round1(cap.total))}</b>`])
    if (cap.grade) head.push([L('report.capability.grade'), esc(cap.grade)])
    if (cap.range && (cap.range.min !== cap.total || cap.range.max !== cap.total)) head.push([L('report.capability.range'), esc(`${round1(cap.range.min)} – ${round1(cap.range.max)}`)])
    if (cap.modelVersion) head.push([L('report.capability.model'), esc(cap.modelVersion)])
    parts.push(`<section id="capability"><h2>${L('report.capability')}</h2>${dl(head)}`)
    if (cap.indices.length) {
      parts.push(barChart(cap.indices.map((i) => ({label: i.name, value: i.score ?? null, cls: 'info'})), t(lang, 'report.capability')))
      parts.push(`<div class="scroll"><table><thead><tr><th>${L('report.capability.index')}</th><th class="num">${L('report.capability.weight')}</th><th class="num">${L('report.scoreCol')}</th><th>${L('report.capability.won')}</th><th>${L('report.capability.missed')}</th></tr></thead><tbody>`)
      for (const i of cap.indices) {
        parts.push(
          `<tr><td>${esc(i.name)}${i.id && i.id !== i.name ? ` <small>${esc(i.id)}</small>` : ''}</td><td class="num">${i.weight === undefined ? '' : esc(i.weight)}</td><td class="num">${i.score === undefined ? '' : esc(round1(i.score))}</td><td>${list(i.won)}</td><td>${list(i.missed)}</td></tr>`,
        )
      }
      parts.push(`</tbody></table></div>`)
    }
    parts.push(`</section>`)
  }

  // Lighthouse metrics with the run spread.
  const metrics = perfMetrics(doc, lang)
  if (metrics.length) {
    parts.push(`<section id="metrics"><h2>${L('report.metrics')}</h2>`)
    for (const g of metrics) {
      const caption = [g.page ? `${t(lang, 'report.metrics.page')}: ${g.page}` : '', g.runs !== undefined ? t(lang, 'report.metrics.runs', {runs: g.runs}) : ''].filter(Boolean).join(' · ')
      if (caption) parts.push(`<p class="note">${esc(caption)}</p>`)
      parts.push(`<div class="scroll"><table><thead><tr><th>${L('report.metrics.metric')}</th><th class="num">${L('report.metrics.value')}</th><th>${L('report.metrics.spread')}</th></tr></thead><tbody>`)
      for (const r of g.rows) parts.push(`<tr><td>${esc(r.label)}</td><td class="num">${esc(r.value)}</td><td>${esc(r.spread ?? '')}</td></tr>`)
      parts.push(`</tbody></table></div>`)
    }
    parts.push(`</section>`)
  }

  const sec = securityGrade(doc)
  if (sec) {
    const rows: Array<[string, string]> = [[L('report.security.grade'), `<b>${esc(sec.grade)}</b>`]]
    if (sec.score !== undefined) rows.push([L('report.scoreCol'), L('report.security.score', {score: sec.score})])
    parts.push(`<section id="security"><h2>${L('report.security')}</h2>${dl(rows)}</section>`)
  }

  // Failures.
  const sorted = sortFindings(doc.findings)
  const failures = sorted.filter((f) => f.status === 'fail')
  parts.push(`<section id="failures"><h2>${L('report.failures')} (${failures.length})</h2>`)
  if (failures.length === 0) parts.push(`<p class="empty">${L('report.failures.none')}</p>`)
  for (const f of failures) parts.push(findingCard(f, ctx))
  parts.push(`</section>`)

  const faults = sorted.filter((f) => f.status === 'error')
  if (faults.length) {
    parts.push(`<section id="faults"><h2>${L('report.faults')} (${faults.length})</h2>`)
    for (const f of faults) parts.push(findingCard(f, ctx))
    parts.push(`</section>`)
  }

  // Waivers: the table of every waiver and the findings they cover.
  const waived = sorted.filter((f) => f.status === 'waived')
  if ((doc.waivers ?? []).length || waived.length) {
    parts.push(`<section id="waivers"><h2>${L('report.waivers')}</h2>`)
    if ((doc.waivers ?? []).length) {
      parts.push(`<div class="scroll"><table><thead><tr><th>${L('report.rule')}</th><th>${L('report.location')}</th><th>${L('report.waiver.reason')}</th><th>${L('report.waiver.owner')}</th><th>${L('report.waiver.expires')}</th><th>${L('report.waiver.state')}</th></tr></thead><tbody>`)
      for (const w of doc.waivers ?? []) {
        parts.push(
          `<tr class="waiver-${esc(w.state)}"><td><code>${esc(w.rule)}</code></td><td>${w.location ? `<code>${esc(w.location)}</code>` : L('report.waiver.anyLocation')}</td><td>${esc(w.reason)}</td><td>${esc(w.owner ?? '')}</td><td>${esc(w.expires)}</td><td>${esc(t(lang, `report.waiver.state.${w.state}`))}</td></tr>`,
        )
      }
      parts.push(`</tbody></table></div>`)
    }
    if (waived.length) {
      parts.push(`<h3 style="margin-top:12px">${L('report.waived')} (${waived.length})</h3>`)
      for (const f of waived) parts.push(findingCard(f, ctx))
    }
    parts.push(`</section>`)
  }

  // Every finding, passes included, folded.
  parts.push(`<section id="all"><details class="all"><summary>${L('report.allFindings', {count: doc.findings.length})}</summary><div class="scroll"><table><thead><tr><th>${L('report.rule')}</th><th>${L('report.status')}</th><th>${L('report.severity')}</th><th>${L('report.evidence')}</th><th>${L('report.location')}</th><th>${L('report.message')}</th></tr></thead><tbody>`)
  for (const f of sorted) {
    parts.push(`<tr><td><code>${esc(f.ruleId)}</code></td><td>${esc(t(lang, `report.findingStatus.${f.status}`))}</td><td>${esc(t(lang, `report.severity.${f.severity}`))}</td><td>${f.evidence ? esc(t(lang, `report.evidence.${f.evidence}`)) : ''}</td><td>${where(f) ? `<code>${esc(where(f))}</code>` : ''}</td><td>${esc(f.message)}</td></tr>`)
  }
  parts.push(`</tbody></table></div></details></section>`)

  parts.push(`<footer>${L('report.generated', {version: doc.tool.version, digest: doc.digest?.value ?? ''})}</footer>`, `</main>`, `</body>`, `</html>`)
  return parts.join('\n') + '\n'
}

function dl(rows: Array<[string, string]>): string {
  return `<dl class="kv">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`
}

function list(items: string[]): string {
  if (items.length === 0) return ''
  return items.length === 1 ? esc(items[0]) : `<ul style="margin:0;padding-left:18px">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`
}

function round1(n: number): string {
  return String(Math.round(n * 10) / 10)
}

function findingCard(f: Finding, ctx: Ctx): string {
  const {lang, rules} = ctx
  const L = (k: MessageKey, p?: Record<string, unknown>) => esc(t(lang, k, p))
  const border = f.status === 'error' ? 'fault-b' : f.status === 'waived' ? 'waived-b' : f.severity === 'warn' ? 'sev-warn-b' : f.severity === 'info' ? 'sev-info-b' : ''
  const badge =
    f.status === 'error'
      ? `<span class="badge st-fault">${L('report.findingStatus.error')}</span>`
      : f.status === 'waived'
        ? `<span class="badge st-waived">${L('report.findingStatus.waived')}</span>`
        : `<span class="badge sev-${esc(f.severity)}">${L(`report.severity.${f.severity}`)}</span>`
  const mark = f.baseline ? ` <span class="mark ${f.baseline}">${L(`report.baseline.${f.baseline}`)}</span>` : ''
  const rows: Array<[string, string]> = [[L('report.clause'), esc(f.clause)]]
  if (f.evidence) rows.push([L('report.evidence'), `<span class="evidence ev-${esc(f.evidence)}">${esc(L(`report.evidence.${f.evidence}`))}</span>`])
  const loc = where(f)
  if (loc) rows.push([L('report.location'), `<code>${esc(loc)}</code>`])
  const help = ruleHelp(rules, f.ruleId, lang)
  if (help && f.status !== 'waived') rows.push([L('report.help'), esc(help)])
  if (f.waiver) rows.push([L('report.waivers'), L('report.waivedBy', {reason: f.waiver.reason, owner: f.waiver.owner ?? '—', expires: f.waiver.expires})])
  const shot = screenshotOf(f)
  const figure = shot ? `<figure><img src="${esc(shot)}" alt="${L('report.screenshotAlt', {rule: f.ruleId})}"><figcaption>${L('report.screenshot')}</figcaption></figure>` : ''
  return [
    `<article class="finding ${border}" data-rule="${esc(f.ruleId)}" data-status="${esc(f.status)}"${f.baseline ? ` data-baseline="${f.baseline}"` : ''}>`,
    `<h3>${badge} <code>${esc(f.ruleId)}</code> <span class="title">${esc(ruleTitle(rules, f.ruleId, lang))}</span>${mark}</h3>`,
    `<p>${esc(f.message)}</p>`,
    dl(rows),
    figure,
    `</article>`,
  ].join('')
}

const COLORS: Record<string, string> = {pass: '#1e7a34', fail: '#b3261e', error: '#8e3fa8', skipped: '#8a93a3', info: '#3d5a99'}

function categoryChart(doc: ResultDocument, cats: Category[], lang: Lang): string {
  return barChart(
    cats.map((k) => {
      const shown = shownCategory(doc, k)!
      return {label: categoryName(k, lang), value: shown.score, cls: shown.status === 'incomplete' ? 'error' : shown.status}
    }),
    t(lang, 'report.chart.label'),
  )
}

/** A horizontal bar chart (0–100) as inline SVG; it scales with the page width. */
/** Shorten a chart label to about `px` pixels at 13 px type (CJK characters count full width). */
function fitLabel(label: string, px: number): string {
  const w = (c: string) => (c.charCodeAt(0) > 0x2e80 ? 13 : /[A-Z&]/.test(c) ? 8.5 : 7)
  let used = 0
  let out = ''
  for (const c of label) {
    if (used + w(c) > px) return out.trimEnd() + '…'
    used += w(c)
    out += c
  }
  return out
}

function barChart(rows: Array<{label: string; value: number | null; cls: string}>, label: string): string {
  const W = 520
  const labelW = 150
  const barW = W - labelW - 50
  const rowH = 30
  const H = rows.length * rowH + 24
  const out: string[] = [`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}" font-family="system-ui,sans-serif" font-size="13">`]
  out.push(`<title>${esc(label)}</title>`)
  for (const tick of [0, 50, 100]) {
    const x = labelW + (barW * tick) / 100
    out.push(`<line x1="${x}" y1="4" x2="${x}" y2="${H - 18}" stroke="#d9dee6" stroke-width="1"/>`, `<text x="${x}" y="${H - 4}" text-anchor="middle" fill="#5b6473" font-size="11">${tick}</text>`)
  }
  rows.forEach((r, i) => {
    const y = 6 + i * rowH
    const name = fitLabel(r.label, labelW - 12)
    out.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end" fill="#1d2430"><title>${esc(r.label)}</title>${esc(name)}</text>`)
    out.push(`<rect x="${labelW}" y="${y + 3}" width="${barW}" height="16" rx="3" fill="#eef1f5"/>`)
    if (r.value !== null && Number.isFinite(r.value)) {
      const v = Math.max(0, Math.min(100, r.value))
      out.push(`<rect x="${labelW}" y="${y + 3}" width="${((barW * v) / 100).toFixed(1)}" height="16" rx="3" fill="${COLORS[r.cls] ?? COLORS.info}"/>`)
      out.push(`<text x="${labelW + barW + 8}" y="${y + 15}" fill="#1d2430">${esc(round1(r.value))}</text>`)
    } else out.push(`<text x="${labelW + barW + 8}" y="${y + 15}" fill="#5b6473">–</text>`)
  })
  out.push(`</svg>`)
  return out.join('')
}
