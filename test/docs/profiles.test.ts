// The example city profile in docs/profiles.md: it extends shanxi-2022, and its overrides show
// in `sjt standards show` and change the outcome of a check.
// One run spawns the built binary; the rest run in-process (test/helpers/run.ts).
import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {json, ROOT, sjt} from '../helpers/cli'
import {sjtIn} from '../helpers/run.js'

const TAIYUAN = path.join('fixtures', 'profiles', 'taiyuan')

describe('fixtures/profiles/taiyuan', () => {
  it('sjt standards show displays the overridden severity and parameter, and keeps the rest', async () => {
    const city = await sjt(['standards', 'show', 'MAN-014', '--profile', TAIYUAN, '--lang', 'en'])
    expect(city.code).toBe(0)
    expect(city.stdout).toMatch(/severity: error/)
    const params = city.stdout.slice(city.stdout.indexOf('parameters'))
    expect(params).toMatch(/\bminLevel: 3\b/)
    expect(params).toMatch(/\bfilingPattern: /)
    const province = await sjtIn(['standards', 'show', 'MAN-014', '--lang', 'en'])
    expect(province.stdout).toMatch(/severity: warn/)
    expect(province.stdout.slice(province.stdout.indexOf('parameters'))).toMatch(/\bminLevel: 2\b/)
  })

  it('--json gives the merged rule; the other rules are the province\'s', async () => {
    const rule = json(await sjtIn(['standards', 'show', 'MAN-014', '--profile', TAIYUAN, '--json']))
    expect(rule).toMatchObject({id: 'MAN-014', severity: 'error', params: {minLevel: 3}})
    const list = json(await sjtIn(['standards', 'list', '--profile', TAIYUAN, '--json']))
    const base = json(await sjtIn(['standards', 'list', '--json']))
    expect(list.profile).toEqual({name: 'taiyuan', version: '2026.1'})
    expect(list.rules.map((r: any) => r.id)).toEqual(base.rules.map((r: any) => r.id))
    const changed = list.rules.filter((r: any, i: number) => JSON.stringify(r) !== JSON.stringify(base.rules[i])).map((r: any) => r.id)
    expect(changed.sort()).toEqual(['MAN-012', 'MAN-014'])
  })

  it('an app at MLPS level 2 passes the province and fails the city', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-city-'))
    cpSync(path.join(ROOT, 'fixtures', 'apps', 'sample'), dir, {recursive: true})
    const f = path.join(dir, 'sjt.yaml')
    const text = readFileSync(f, 'utf8')
    expect(text).toMatch(/mlps: \{level: 3,/)
    writeFileSync(f, text.replace(/mlps: \{level: 3,/, 'mlps: {level: 2,'))
    const out = path.join(dir, 'out')
    const province = json(await sjtIn(['check', 'manifest', dir, '--json', '--out', out]))
    expect(province.findings.find((x: any) => x.ruleId === 'MAN-014').status).toBe('pass')
    const r = await sjtIn(['check', 'manifest', dir, '--json', '--out', out, '--profile', TAIYUAN])
    const doc = json(r)
    expect(doc.profile).toEqual({name: 'taiyuan', version: '2026.1'})
    const f14 = doc.findings.find((x: any) => x.ruleId === 'MAN-014')
    expect(f14).toMatchObject({status: 'fail', severity: 'error'})
    expect(r.code).toBe(1)
  })
})
