// Server-rendered SVG charts of the console: no script, no inline style (colours come from
// classes in assets/features.css, with presentation attributes as the fallback). Each chart is an
// image with a <title> and a <desc> (aria-labelledby); the page puts the same figures in a table.
import {esc} from './html.js'

export interface SeriesPoint {
  /** Milliseconds since the epoch. */
  x: number
  y: number
  /** The text of the point's tooltip (<title>). */
  label: string
}

export interface LineChartSpec {
  id: string
  title: string
  desc: string
  points: SeriesPoint[]
  xMin: number
  xMax: number
  yMin: number
  yMax: number
  /** Points further apart than this are not joined (a gap in the probes). */
  gapMs: number
  yTicks: number[]
  yFormat: (v: number) => string
  xTicks: Array<{x: number; label: string}>
  threshold?: {y: number; label: string}
}

const W = 640
const H = 220
const L = 56
const R = 12
const T = 12
const B = 34

const num = (v: number) => (Math.round(v * 10) / 10).toString()

/** A line chart with one circle per point (class chart-pt); the x axis is time. */
export function lineChart(c: LineChartSpec): string {
  const pw = W - L - R
  const ph = H - T - B
  const sx = (x: number) => L + (c.xMax > c.xMin ? ((x - c.xMin) / (c.xMax - c.xMin)) * pw : pw / 2)
  const sy = (y: number) => T + ph - (c.yMax > c.yMin ? ((Math.min(c.yMax, Math.max(c.yMin, y)) - c.yMin) / (c.yMax - c.yMin)) * ph : 0)
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" aria-labelledby="${esc(c.id)}-t ${esc(c.id)}-d" viewBox="0 0 ${W} ${H}" preserveAspectRatio="xMidYMid meet" font-size="12">`,
    `<title id="${esc(c.id)}-t">${esc(c.title)}</title>`,
    `<desc id="${esc(c.id)}-d">${esc(c.desc)}</desc>`,
    `<g class="chart-grid" stroke="#ccc" fill="#555">`,
  ]
  for (const y of c.yTicks) {
    const py = num(sy(y))
    out.push(`<line x1="${L}" y1="${py}" x2="${W - R}" y2="${py}" stroke-dasharray="2,3"/><text x="${L - 6}" y="${py}" dy="4" text-anchor="end" stroke="none">${esc(c.yFormat(y))}</text>`)
  }
  for (const tick of c.xTicks) {
    const px = num(sx(tick.x))
    out.push(`<line x1="${px}" y1="${T}" x2="${px}" y2="${T + ph}" stroke-dasharray="2,3"/><text x="${px}" y="${H - 12}" text-anchor="middle" stroke="none">${esc(tick.label)}</text>`)
  }
  out.push(`<line class="chart-axis" x1="${L}" y1="${T + ph}" x2="${W - R}" y2="${T + ph}" stroke="#555"/><line class="chart-axis" x1="${L}" y1="${T}" x2="${L}" y2="${T + ph}" stroke="#555"/>`, '</g>')
  if (c.threshold && c.threshold.y >= c.yMin && c.threshold.y <= c.yMax) {
    const py = num(sy(c.threshold.y))
    out.push(`<g class="chart-threshold" stroke="#c53030" fill="#c53030"><line x1="${L}" y1="${py}" x2="${W - R}" y2="${py}" stroke-dasharray="6,3"/><text x="${L + 4}" y="${py}" dy="-4" text-anchor="start" stroke="none">${esc(c.threshold.label)}</text></g>`)
  }
  // The line, broken where the probes have a gap.
  const runs: SeriesPoint[][] = []
  for (const p of c.points) {
    const run = runs.at(-1)
    if (run && p.x - run.at(-1)!.x <= c.gapMs) run.push(p)
    else runs.push([p])
  }
  for (const run of runs) if (run.length > 1) out.push(`<polyline class="chart-line" fill="none" stroke="#2f6fbd" stroke-width="2" points="${run.map((p) => `${num(sx(p.x))},${num(sy(p.y))}`).join(' ')}"/>`)
  for (const p of c.points) out.push(`<circle class="chart-pt" cx="${num(sx(p.x))}" cy="${num(sy(p.y))}" r="3" fill="#2f6fbd"><title>${esc(p.label)}</title></circle>`)
  out.push('</svg>')
  return out.join('')
}

export interface Bar {
  label: string
  value: number | null
  /** A class naming the bar's colour (e.g. the grade). */
  cls?: string
}

/** Horizontal bars from 0 to 100, one per row (class chart-bar); the value is written beside it. */
export function barChart(c: {id: string; title: string; desc: string; bars: Bar[]}): string {
  const rowH = 24
  const labelW = 220
  const barW = 360
  const width = labelW + barW + 56
  const h = c.bars.length * rowH + 30
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" aria-labelledby="${esc(c.id)}-t ${esc(c.id)}-d" viewBox="0 0 ${width} ${h}" preserveAspectRatio="xMinYMin meet" font-size="12">`,
    `<title id="${esc(c.id)}-t">${esc(c.title)}</title>`,
    `<desc id="${esc(c.id)}-d">${esc(c.desc)}</desc>`,
    `<g class="chart-grid" stroke="#ccc" fill="#555">`,
  ]
  for (const tick of [0, 60, 80, 90, 100]) {
    const x = labelW + (barW * tick) / 100
    out.push(`<line x1="${x}" y1="4" x2="${x}" y2="${h - 22}" stroke-dasharray="3,3"/><text x="${x}" y="${h - 6}" text-anchor="middle" stroke="none">${tick}</text>`)
  }
  out.push('</g>')
  c.bars.forEach((b, i) => {
    const y = 6 + i * rowH
    const w = b.value === null ? 0 : (barW * Math.max(0, Math.min(100, b.value))) / 100
    const v = b.value === null ? '—' : b.value.toFixed(1)
    out.push(`<text x="${labelW - 8}" y="${y + 14}" text-anchor="end" fill="#222">${esc(b.label)}</text>`)
    out.push(`<rect class="chart-bar${b.cls ? ' ' + esc(b.cls) : ''}" x="${labelW}" y="${y + 2}" width="${num(w)}" height="${rowH - 8}" fill="#2f6fbd"><title>${esc(b.label)}: ${esc(v)}</title></rect>`)
    out.push(`<text x="${num(labelW + w + 6)}" y="${y + 14}" fill="#222">${esc(v)}</text>`)
  })
  out.push('</svg>')
  return out.join('')
}
