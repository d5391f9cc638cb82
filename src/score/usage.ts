// Usage data for 在线服务成效度: one CSV row per app and month with PV, UV, clicks, transactions
// and 好差评 counts by the five GB/T 39734 levels. Headers may be English or Chinese.
import {readFileSync, statSync} from 'node:fs'
import {parse} from 'csv-parse/sync'
import {InputError} from '../lib/errors.js'
import type {Lang} from '../core/types.js'
import {t} from '../lib/i18n/index.js'
import {decodeText, MAX_INPUT_BYTES} from '../lib/source.js'

const LEVELS = ['verySatisfied', 'satisfied', 'basicallySatisfied', 'dissatisfied', 'veryDissatisfied'] as const
type Level = (typeof LEVELS)[number]
/** 非常满意, 满意, 基本满意 count as good; 不满意 and 非常不满意 are 差评 (国办发〔2019〕51号, GB/T 39734). */
const GOOD_LEVELS: readonly Level[] = ['verySatisfied', 'satisfied', 'basicallySatisfied']
const BAD_LEVELS: readonly Level[] = ['dissatisfied', 'veryDissatisfied']

export interface UsageMonth {
  app?: string
  /** YYYY-MM */
  month: string
  pv: number
  uv: number
  clicks: number
  transactions: number
  ratings: Record<Level, number>
  /** Line in the CSV, for messages. */
  line?: number
}

export interface UsageTable {
  file?: string
  /** Whether rows name their app; without the column every row belongs to the one app scored. */
  hasAppColumn: boolean
  rows: UsageMonth[]
}

/** Columns: canonical key → accepted headers (compared lower-case, spaces and hyphens as `_`). */
const USAGE_COLUMNS: Record<string, string[]> = {
  app: ['app', 'app_id', 'appid', '应用', '应用id', '应用标识'],
  month: ['month', '月份', '统计月份'],
  pv: ['pv', 'page_views', '浏览量', '页面浏览量'],
  uv: ['uv', 'unique_visitors', 'visitors', '访客数', '独立访客数'],
  clicks: ['clicks', '点击量'],
  transactions: ['transactions', '办件量'],
  verySatisfied: ['very_satisfied', '非常满意'],
  satisfied: ['satisfied', '满意'],
  basicallySatisfied: ['basically_satisfied', 'fairly_satisfied', '基本满意'],
  dissatisfied: ['dissatisfied', '不满意'],
  veryDissatisfied: ['very_dissatisfied', '非常不满意'],
}
const REQUIRED = ['month', 'pv', 'uv', 'clicks', 'transactions', ...LEVELS]
const NUMERIC = ['pv', 'uv', 'clicks', 'transactions', ...LEVELS] as const

function normalizeHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_')
}

/** Read a usage CSV (UTF-8; GBK and other encodings are named and refused). */
export function readUsageFile(file: string, lang: Lang): UsageTable {
  let buf: Buffer
  try {
    if (statSync(file).isDirectory()) throw new InputError(t(lang, 'input.isDirectory'), {file})
    if (statSync(file).size > 16 * MAX_INPUT_BYTES) throw new InputError(t(lang, 'input.tooLarge', {size: statSync(file).size, max: 16 * MAX_INPUT_BYTES}), {file}, t(lang, 'input.tooLarge.hint'))
    buf = readFileSync(file)
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(t(lang, 'input.notFound'), {file}, t(lang, 'input.notFound.hint'))
  }
  return parseUsageCsv(decodeText(buf, file, lang).text, file, lang)
}

export function parseUsageCsv(text: string, file: string, lang: Lang): UsageTable {
  let records: Array<{record: string[]; info: {lines: number}}>
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {info: true, skip_empty_lines: true, trim: true, relax_quotes: false}) as typeof records
  } catch (error) {
    const e = error as Error & {lines?: number}
    throw new InputError(t(lang, 'score.usage.badCsv', {detail: e.message.replace(/^Invalid Record Length: /, '')}), {file, ...(e.lines ? {line: e.lines} : {})}, t(lang, 'score.usage.hint'))
  }
  // Lines that are only commas (a spreadsheet's empty rows) are empty too.
  records = records.filter((r) => r.record.some((c) => c !== ''))
  if (records.length === 0) throw new InputError(t(lang, 'input.empty'), {file}, t(lang, 'score.usage.hint'))
  const header = records[0]
  const index: Record<string, number> = {}
  header.record.forEach((h, i) => {
    const n = normalizeHeader(h)
    for (const [key, names] of Object.entries(USAGE_COLUMNS)) {
      if (names.includes(n)) {
        if (key in index) throw new InputError(t(lang, 'score.usage.duplicateColumn', {column: h}), {file, line: header.info.lines, column: i + 1}, t(lang, 'score.usage.hint'))
        index[key] = i
      }
    }
  })
  const missing = REQUIRED.filter((k) => !(k in index))
  if (missing.length) {
    throw new InputError(t(lang, 'score.usage.missingColumns', {columns: missing.map((k) => USAGE_COLUMNS[k][0] + '/' + USAGE_COLUMNS[k].at(-1)).join(', ')}), {file, line: header.info.lines}, t(lang, 'score.usage.hint'))
  }
  const hasAppColumn = 'app' in index
  const rows: UsageMonth[] = []
  const seen = new Map<string, number>()
  for (const {record, info} of records.slice(1)) {
    const line = info.lines
    const cell = (key: string) => record[index[key]] ?? ''
    const month = normalizeMonth(cell('month'))
    if (!month) throw new InputError(t(lang, 'score.usage.badMonth', {value: cell('month')}), {file, line, column: index.month + 1}, t(lang, 'score.usage.hint'))
    const app = hasAppColumn ? cell('app') : undefined
    if (hasAppColumn && !app) throw new InputError(t(lang, 'score.usage.noApp'), {file, line, column: index.app + 1}, t(lang, 'score.usage.hint'))
    const nums: Record<string, number> = {}
    for (const key of NUMERIC) {
      const raw = cell(key)
      const column = header.record[index[key]]
      if (!/^-?\d+$/.test(raw)) throw new InputError(t(lang, 'score.usage.notNumber', {column, value: raw}), {file, line, column: index[key] + 1}, t(lang, 'score.usage.hint'))
      const n = Number(raw)
      if (n < 0) throw new InputError(t(lang, 'score.usage.negative', {column, value: raw}), {file, line, column: index[key] + 1}, t(lang, 'score.usage.hint'))
      if (!Number.isSafeInteger(n)) throw new InputError(t(lang, 'score.usage.notNumber', {column, value: raw}), {file, line, column: index[key] + 1}, t(lang, 'score.usage.hint'))
      nums[key] = n
    }
    const k = `${app ?? ''}\u0000${month}`
    if (seen.has(k)) throw new InputError(t(lang, 'score.usage.duplicateRow', {month, app: app ?? '', first: seen.get(k)!}), {file, line}, t(lang, 'score.usage.hint'))
    seen.set(k, line)
    rows.push({
      ...(app ? {app} : {}),
      month,
      pv: nums.pv,
      uv: nums.uv,
      clicks: nums.clicks,
      transactions: nums.transactions,
      ratings: Object.fromEntries(LEVELS.map((l) => [l, nums[l]])) as Record<Level, number>,
      line,
    })
  }
  if (rows.length === 0) throw new InputError(t(lang, 'score.usage.noRows'), {file}, t(lang, 'score.usage.hint'))
  return {file, hasAppColumn, rows}
}

/** YYYY-MM (also YYYY/MM, YYYY.MM, YYYYMM, YYYY年M月, YYYY-MM-DD) → YYYY-MM, else null. */
function normalizeMonth(v: string): string | null {
  // A date (the first of the month, as spreadsheets often export) names its month.
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim())
  if (d) return Number(d[2]) >= 1 && Number(d[2]) <= 12 && Number(d[3]) >= 1 && Number(d[3]) <= 31 ? `${d[1]}-${d[2]}` : null
  const m = /^(\d{4})(?:[-/.]|年)?(\d{1,2})月?$/.exec(v.trim())
  if (!m) return null
  const mm = Number(m[2])
  if (mm < 1 || mm > 12 || (m[2].length === 1 && !/[-/.年]/.test(v))) return null
  return `${m[1]}-${String(mm).padStart(2, '0')}`
}

/** The rows of one app: by its id when the CSV names apps, else every row. */
export function usageRowsFor(table: UsageTable, appId: string | undefined): UsageMonth[] {
  if (!table.hasAppColumn) return table.rows
  return table.rows.filter((r) => r.app === appId)
}

export interface Satisfaction {
  months: number
  pv: number
  uv: number
  clicks: number
  transactions: number
  ratings: number
  good: number
  bad: number
  /** good / ratings (null without ratings). */
  rate: number | null
  levels: Record<Level, number>
}

/** 满意率 over the months given: (非常满意 + 满意 + 基本满意) / all ratings; 差评 = 不满意 + 非常不满意. */
export function satisfactionOf(rows: UsageMonth[]): Satisfaction {
  const levels = Object.fromEntries(LEVELS.map((l) => [l, rows.reduce((s, r) => s + r.ratings[l], 0)])) as Record<Level, number>
  const good = GOOD_LEVELS.reduce((s, l) => s + levels[l], 0)
  const bad = BAD_LEVELS.reduce((s, l) => s + levels[l], 0)
  const ratings = good + bad
  const sum = (k: 'pv' | 'uv' | 'clicks' | 'transactions') => rows.reduce((s, r) => s + r[k], 0)
  return {months: rows.length, pv: sum('pv'), uv: sum('uv'), clicks: sum('clicks'), transactions: sum('transactions'), ratings, good, bad, rate: ratings ? good / ratings : null, levels}
}
