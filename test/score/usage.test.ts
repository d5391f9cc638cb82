// Usage CSV: English or Chinese headers; every mistake is an input error with its line.
import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/lib/errors.js'
import {parseUsageCsv, readUsageFile, satisfactionOf, usageRowsFor} from '../../src/score/usage.js'

const EN = 'app,month,pv,uv,clicks,transactions,very_satisfied,satisfied,basically_satisfied,dissatisfied,very_dissatisfied'
const ZH = '应用,月份,浏览量,访客数,点击量,办件量,非常满意,满意,基本满意,不满意,非常不满意'

function fails(text: string): InputError {
  try {
    parseUsageCsv(text, 'usage.csv', 'en')
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an input error')
}

describe('usage CSV', () => {
  it('reads English headers, one row per app and month', () => {
    const u = parseUsageCsv(`${EN}\njz-tax-hall,2026-09,1000,300,800,40,40,20,4,2,1\njz-tax-hall,2026-10,1200,320,900,0,10,5,1,0,0\nother,2026-10,5,1,3,1,0,0,0,0,1\n`, 'usage.csv', 'en')
    expect(u.hasAppColumn).toBe(true)
    expect(u.rows).toHaveLength(3)
    const rows = usageRowsFor(u, 'jz-tax-hall')
    expect(rows.map((r) => [r.month, r.line])).toEqual([
      ['2026-09', 2],
      ['2026-10', 3],
    ])
    const s = satisfactionOf(rows)
    // good = 40 + 20 + 4 + 10 + 5 + 1 = 80; 差评 = 2 + 1 + 0 + 0 = 3; rate 80 / 83
    expect(s).toMatchObject({months: 2, pv: 2200, uv: 620, clicks: 1700, transactions: 40, ratings: 83, good: 80, bad: 3})
    expect(s.rate).toBeCloseTo(80 / 83, 12)
  })

  it('reads Chinese headers in any order, with a BOM, without an app column', () => {
    const u = parseUsageCsv(`\uFEFF非常不满意,不满意,基本满意,满意,非常满意,办件量,点击量,访客数,浏览量,月份\n1,2,3,4,90,12,30,20,100,2026年9月\n`, 'usage.csv', 'zh-CN')
    expect(u.hasAppColumn).toBe(false)
    expect(u.rows[0]).toMatchObject({month: '2026-09', pv: 100, uv: 20, clicks: 30, transactions: 12, ratings: {verySatisfied: 90, satisfied: 4, basicallySatisfied: 3, dissatisfied: 2, veryDissatisfied: 1}})
    expect(usageRowsFor(u, 'anything')).toHaveLength(1)
    expect(satisfactionOf(u.rows).rate).toBe(0.97)
    expect(parseUsageCsv(`${ZH}\na,2026-01,1,1,1,1,1,1,1,1,1\n`, 'u.csv', 'en').rows).toHaveLength(1)
  })

  it('missing columns: line 1, naming them', () => {
    const e = fails('month,pv,uv,clicks\n2026-01,1,1,1\n')
    expect(e.location?.line).toBe(1)
    expect(e.message).toMatch(/transactions/)
    expect(e.message).toMatch(/very_dissatisfied\/非常不满意/)
  })

  it('negative counts: the line and column', () => {
    const e = fails(`${EN}\na,2026-01,1,1,1,1,1,1,1,1,1\na,2026-02,1,1,1,-4,1,1,1,1,1\n`)
    expect(e.format()).toMatch(/^usage\.csv:3:6: transactions is negative \(-4\)/)
  })

  it('non-numbers and fractions: the line', () => {
    expect(fails(`${EN}\na,2026-01,1,1,1,1,1,1,1,1,1\n\na,2026-02,1,lots,1,1,1,1,1,1,1\n`).format()).toMatch(/^usage\.csv:4:4: uv "lots" is not a whole number/)
    expect(fails(`${EN}\na,2026-01,1.5,1,1,1,1,1,1,1,1\n`).location?.line).toBe(2)
    expect(fails(`${EN}\na,2026-01,,1,1,1,1,1,1,1,1\n`).location?.line).toBe(2)
  })

  it('a bad month, a repeated month, a short row', () => {
    expect(fails(`${EN}\na,Sept 2026,1,1,1,1,1,1,1,1,1\n`).format()).toMatch(/^usage\.csv:2:2: month "Sept 2026" must be YYYY-MM/)
    expect(fails(`${EN}\na,2026-13,1,1,1,1,1,1,1,1,1\n`).location?.line).toBe(2)
    expect(parseUsageCsv(`${EN}\na,2026-10-01,1,1,1,1,1,1,1,1,1\nb,2026/9,1,1,1,1,1,1,1,1,1\n`, 'u.csv', 'en').rows.map((r) => r.month)).toEqual(['2026-10', '2026-09'])
    const dup = fails(`${EN}\na,2026-01,1,1,1,1,1,1,1,1,1\nb,2026-01,1,1,1,1,1,1,1,1,1\na,2026-01,1,1,1,1,1,1,1,1,1\n`)
    expect(dup.location?.line).toBe(4)
    expect(dup.message).toMatch(/already on line 2/)
    expect(fails(`${EN}\na,2026-01,1,1,1\n`).location?.line).toBe(2)
    expect(fails(`${EN}\n`).message).toMatch(/no rows/)
  })

  it('a GBK file is refused and named', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-usage-'))
    const file = path.join(dir, 'usage.csv')
    // "月份" in GBK is D4 C2 B7 DD.
    const header = Buffer.concat([Buffer.from('app,'), Buffer.from([0xd4, 0xc2, 0xb7, 0xdd]), Buffer.from(',pv,uv,clicks,transactions,very_satisfied,satisfied,basically_satisfied,dissatisfied,very_dissatisfied\n')])
    writeFileSync(file, Buffer.concat([header, Buffer.from('a,2026-01,1,1,1,1,1,1,1,1,1\n')]))
    let err: unknown
    try {
      readUsageFile(file, 'en')
    } catch (error) {
      err = error
    }
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).format()).toContain(file)
    expect((err as InputError).format()).toContain('GBK')
  })
})
