// `sjt score` as a user runs it: one result, a folder ranked, formats, --region, --usage. Where the
// exit code of a real process is not the point the command runs in-process (test/helpers/run.ts).
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {parse} from 'csv-parse/sync'
import {beforeAll, describe, expect, it} from 'vitest'
import {json, ROOT, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'

const RESULTS = path.join(ROOT, 'fixtures', 'results')
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'sjt-score-cli-'))

describe('sjt score RESULT.json', () => {
  it('prints total, grade and the five indices with points won and missed', async () => {
    const r = await sjtIn(['score', path.join(RESULTS, 'yc-social-card.json')])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/total 54\.6 · grade low \(低\)/)
    expect(r.stdout).toMatch(/17\.3 points unknown \(elder 7\.3, perf 5\.0, security 5\.0\): the total could move between 45\.2 and 62\.4/)
    for (const name of ['服务事项覆盖度', '在线办理成熟度', '服务方式完备度', '办事指南准确度', '在线服务成效度']) expect(r.stdout).toContain(name)
    expect(r.stdout).toMatch(/service channels \(服务方式完备度\)\s+0\.15\s+23\.5\s+20\.0\s+65\.0\s+15\.0/)
  })

  it('--explain lists what wins the missed points back: rule ids and manifest fields', async () => {
    const r = await sjtIn(['score', path.join(RESULTS, 'yc-social-card.json'), '--explain'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/elderReach: .* — 0\.0\/30\.0[\s\S]*?to win back: fix rules: MAN-006; manifest fields: app\.elderEntry; run: sjt check elder/)
    expect(r.stdout).toMatch(/to win back: fix rules: MAN-006, MAN-008, MAN-011/)
    expect(r.stdout).toMatch(/manifest fields: services\[\]\.handling; items: 社保卡挂失、社保卡换领预约/)
  })

  it('--json prints the score object only', async () => {
    const r = await sjtIn(['score', path.join(RESULTS, 'jz-tax-hall.json'), '--json'])
    const s = json(r)
    expect(s).toMatchObject({modelVersion: 'shanxi-2022/1.0', total: 96.1, grade: '非常高', unknownWeight: 0})
    expect(s.indices).toHaveLength(5)
    expect(s.indices[0]).toMatchObject({id: 'coverage', name: {'zh-CN': '服务事项覆盖度', en: 'service coverage'}, weight: 0.2, score: 100, won: 100, missed: 0, unknown: 0})
    expect(r.stderr).toBe('')
  })

  it('zh-CN output by default from LANG', async () => {
    const r = await sjtIn(['score', path.join(RESULTS, 'ty-gjj-withdraw.json')], {env: {LANG: 'zh_CN.UTF-8'}})
    // Some inputs unknown: the band is that of the possible score's lower end, labelled as such.
    expect(r.stdout).toMatch(/总分 81\.3 · 等级 低（按可能得分下限 52\.7 定档/)
    expect(r.stdout).toMatch(/未知部分 35\.3 分/)
  })

  it('a missing file or a file that is not a result is exit 2 in a line or two, nothing on stdout', async () => {
    const missing = await sjt(['score', path.join(tmp(), 'nope.json'), '--json'])
    expect(missing.code).toBe(2)
    expect(missing.stdout).toBe('')
    const dir = tmp()
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify({hello: 1}))
    const bad = await sjtIn(['score', path.join(dir, 'result.json')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('result.json')
    expect(bad.stderr.trim().split('\n').length).toBeLessThanOrEqual(2)
    const empty = await sjtIn(['score', tmp()])
    expect(empty.code).toBe(2)
    expect(empty.stderr).toMatch(/no result\.json under/)
  })
})

describe('sjt score DIR', () => {
  let dir: string
  beforeAll(async () => {
    // The same app checked twice for real: once clean, once with MAN-011 failing (a local login).
    dir = tmp()
    const good = await sjtIn(['check', 'manifest', path.join(ROOT, 'fixtures', 'apps', 'sample'), '--out', path.join(dir, 'good'), '--fail-on', 'never'])
    expect(good.code, good.stderr).toBe(0)
    const bad = await sjtIn(['check', 'manifest', path.join(ROOT, 'fixtures', 'rules', 'MAN-011', 'fail-other-provider.yaml'), '--out', path.join(dir, 'bad'), '--fail-on', 'never'])
    expect(bad.code, bad.stderr).toBe(0)
    mkdirSync(path.join(dir, 'more', 'deeper'), {recursive: true})
    copyFileSync(path.join(RESULTS, 'jz-tax-hall.json'), path.join(dir, 'more', 'deeper', 'result.json'))
    copyFileSync(path.join(RESULTS, 'yc-social-card.json'), path.join(dir, 'more', 'yc.json'))
    writeFileSync(path.join(dir, 'more', 'notes.json'), JSON.stringify({not: 'a result'}))
  })

  it('ranks every result found recursively; the app with a failing rule ranks below the same app without it', async () => {
    const r = await sjtIn(['score', dir, '--json'])
    expect(r.code).toBe(0)
    const out = json(r)
    expect(out.count).toBe(4)
    const rows = out.ranking as Array<{rank: number; file: string; total: number; app: {id: string}}>
    expect(rows.map((x) => x.app.id)).toEqual(['jz-tax-hall', 'ty-gjj-withdraw', 'ty-gjj-withdraw', 'yc-social-card'])
    const good = rows.find((x) => x.file.includes(`${path.sep}good${path.sep}`))!
    const bad = rows.find((x) => x.file.includes(`${path.sep}bad${path.sep}`))!
    expect(bad.total).toBeLessThan(good.total)
    expect(bad.rank).toBeGreaterThan(good.rank)
    expect(rows.map((x) => x.total)).toEqual([...rows.map((x) => x.total)].sort((a, b) => b - a))
  })

  it('text: a ranked table with region, app, total, grade and indices', async () => {
    const r = await sjtIn(['score', dir])
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n').filter((l) => /^\s+\d+\s/.test(l))
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^\s+1\s+140702\s+jz-tax-hall\s+榆次政务服务\s+96\.1\s+very high \(非常高\)\s+100\.0\s+100\.0\s+100\.0\s+93\.1\s+87\.5\s+0\.0$/)
    expect(lines[3]).toMatch(/^\s+4\s+140800\s+yc-social-card/)
  })

  it('CSV parses, one row per result, in rank order', async () => {
    const out = path.join(tmp(), 'sub', 'ranking.csv')
    const r = await sjtIn(['score', dir, '--format', 'csv', '--out', out])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(out)
    const rows = parse(readFileSync(out, 'utf8'), {columns: true}) as Array<Record<string, string>>
    expect(rows).toHaveLength(4)
    expect(Object.keys(rows[0])).toEqual(['rank', 'region', 'app', 'name', 'total', 'grade', 'grade_id', 'coverage', 'maturity', 'channels', 'accuracy', 'effectiveness', 'unknown', 'min', 'max', 'model', 'file'])
    expect(rows[0]).toMatchObject({rank: '1', region: '140702', app: 'jz-tax-hall', name: '榆次政务服务', total: '96.1', grade: '非常高', accuracy: '93.1'})
    expect(rows[3]).toMatchObject({rank: '4', app: 'yc-social-card', total: '54.6', grade: '低', unknown: '17.3'})
    expect(rows.map((x) => Number(x.total))).toEqual([...rows.map((x) => Number(x.total))].sort((a, b) => b - a))
  })

  it('--region filters by GB/T 2260 prefix', async () => {
    const jz = json(await sjtIn(['score', dir, '--region', '1407', '--json']))
    expect(jz.ranking.map((x: {app: {id: string}}) => x.app.id)).toEqual(['jz-tax-hall'])
    expect(jz.region).toBe('1407')
    const ty = json(await sjtIn(['score', dir, '--region', '140100', '--json']))
    expect(ty.ranking.map((x: {app: {regionCode: string}}) => x.app.regionCode)).toEqual(['140100', '140100'])
    const all = json(await sjtIn(['score', dir, '--region', '14', '--json']))
    expect(all.count).toBe(4)
    const none = await sjtIn(['score', dir, '--region', '1502'])
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/1502/)
    const bad = await sjtIn(['score', dir, '--region', 'taiyuan'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/2-6 digit GB\/T 2260 prefix/)
  })

  it('HTML: one self-contained page with an inline SVG chart', async () => {
    const r = await sjtIn(['score', dir, '--format', 'html'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/)
    expect(r.stdout).toMatch(/<svg [^>]*role="img"/)
    expect((r.stdout.match(/<rect /g) ?? []).length).toBe(4)
    expect(r.stdout).not.toMatch(/(src|href)="https?:/)
    expect(r.stdout).toContain('榆次政务服务')
  })

  it('--usage: per-app rows feed 成效度; a CSV without an app column fits one app only', async () => {
    const ucsv = path.join(tmp(), 'usage.csv')
    writeFileSync(ucsv, 'app,month,pv,uv,clicks,transactions,very_satisfied,satisfied,basically_satisfied,dissatisfied,very_dissatisfied\njz-tax-hall,2026-08,1000,300,800,40,40,20,4,2,1\njz-tax-hall,2026-09,1000,300,800,35,50,25,5,3,0\njz-tax-hall,2026-10,1000,300,800,50,30,15,3,1,1\n')
    const r = await sjtIn(['score', dir, '--usage', ucsv, '--json'])
    expect(r.code).toBe(0)
    const jz = json(r).ranking.find((x: {app: {id: string}}) => x.app.id === 'jz-tax-hall')
    expect(jz.total).toBe(96.5)
    expect(jz.usage).toBe(true)
    const single = path.join(tmp(), 'single.csv')
    writeFileSync(single, '月份,浏览量,访客数,点击量,办件量,非常满意,满意,基本满意,不满意,非常不满意\n2026-10,1,1,1,1,1,1,1,1,1\n')
    const many = await sjtIn(['score', dir, '--usage', single])
    expect(many.code).toBe(2)
    expect(many.stderr).toMatch(/no app column/)
    const one = await sjtIn(['score', path.join(RESULTS, 'jz-tax-hall.json'), '--usage', single, '--json'])
    expect(one.code).toBe(0)
    expect(json(one).usage).toBe(true)
  })

  it('--usage errors are exit 2 with the line number; GBK is named', async () => {
    const d = tmp()
    const neg = path.join(d, 'neg.csv')
    writeFileSync(neg, 'app,month,pv,uv,clicks,transactions,very_satisfied,satisfied,basically_satisfied,dissatisfied,very_dissatisfied\njz-tax-hall,2026-08,1000,300,800,40,40,20,4,2,1\njz-tax-hall,2026-09,1000,300,800,35,50,-25,5,3,0\n')
    const r1 = await sjtIn(['score', dir, '--usage', neg])
    expect(r1.code).toBe(2)
    expect(r1.stdout).toBe('')
    expect(r1.stderr).toContain(`${neg}:3:8: satisfied is negative (-25)`)
    const cols = path.join(d, 'cols.csv')
    writeFileSync(cols, 'app,month,pv\njz-tax-hall,2026-08,1\n')
    const r2 = await sjtIn(['score', dir, '--usage', cols])
    expect(r2.code).toBe(2)
    expect(r2.stderr).toContain(`${cols}:1: the usage CSV lacks columns: uv/`)
    const gbk = path.join(d, 'gbk.csv')
    writeFileSync(gbk, Buffer.concat([Buffer.from('app,'), Buffer.from([0xd4, 0xc2, 0xb7, 0xdd]), Buffer.from(',pv\n')]))
    const r3 = await sjtIn(['score', dir, '--usage', gbk])
    expect(r3.code).toBe(2)
    expect(r3.stderr).toContain(gbk)
    expect(r3.stderr).toContain('GBK')
  })
})

describe('sjt check writes the score into the result document', () => {
  it('when the run had a manifest; the digest still verifies', async () => {
    const out = tmp()
    const r = await sjtIn(['check', 'manifest', path.join(ROOT, 'fixtures', 'apps', 'sample'), '--out', out, '--json'])
    const doc = json(r)
    expect(doc.score).toMatchObject({modelVersion: 'shanxi-2022/1.0', total: 81.3, grade: '低', gradeBasis: 'lower-bound', unknownWeight: 35.3})
    const v = await sjtIn(['report', path.join(out, 'ty-gjj-withdraw', 'result.json'), '--verify'])
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/digest: ok/)
  })
})
