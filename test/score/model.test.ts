// The capability model pinned by hand: three fixture apps (fixtures/results/*.json, rebuilt by
// test/score/build-fixtures.mjs) with their expected scores worked out in the comments.
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'
import {readResult} from '../../src/core/run.js'
import {loadProfile} from '../../src/core/profile.js'
import {InputError} from '../../src/lib/errors.js'
import type {ResultDocument} from '../../src/core/types.js'
import {loadScoringModel, readScoringModel} from '../../src/score/model.js'
import {rankScores, scoreResult, type ScoreResult} from '../../src/score/score.js'
import type {UsageMonth} from '../../src/score/usage.js'
import {ROOT} from '../helpers/cli.js'
import {renderOneText} from '../../src/score/render.js'
import {gradeOf} from '../../src/score/score.js'
import {round} from '../../src/score/model.js'

const fixture = (name: string): ResultDocument => readResult(path.join(ROOT, 'fixtures', 'results', `${name}.json`), 'en')
const index = (s: ScoreResult, id: string) => s.indices.find((i) => i.id === id)!
const term = (s: ScoreResult, ix: string, id: string) => index(s, ix).explain.find((e) => e.id === id)!

describe('the shanxi-2022 model (standards/shanxi-2022/scoring.yaml)', () => {
  const model = loadScoringModel('shanxi-2022')

  it('bands the unrounded total: 89.95 shows as 90 but is 高, not 非常高', () => {
    expect(round(89.95)).toBe(90)
    expect(gradeOf(model, 89.95)!.id).toBe('high')
    expect(gradeOf(model, 90)!.id).toBe('very-high')
  })

  it('has the five national dimensions, weights summing to 1 and the national grade bands', () => {
    expect(model.modelVersion).toBe('shanxi-2022/1.0')
    expect(model.indices.map((i) => i.name['zh-CN'])).toEqual(['服务事项覆盖度', '在线办理成熟度', '服务方式完备度', '办事指南准确度', '在线服务成效度'])
    expect(model.indices.map((i) => i.id)).toEqual(['coverage', 'maturity', 'channels', 'accuracy', 'effectiveness'])
    expect(model.indices.reduce((s, i) => s + i.weight, 0)).toBeCloseTo(1, 9)
    for (const i of model.indices) expect(i.terms.reduce((s, x) => s + x.points, 0)).toBe(100)
    expect(model.grades.map((g) => [g.name['zh-CN'], g.min])).toEqual([
      ['非常高', 90],
      ['高', 80],
      ['中', 60],
      ['低', 0],
    ])
  })

  it('is found through the profile, so a city profile can replace it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-city-'))
    writeFileSync(path.join(dir, 'profile.yaml'), `name: city-test\nversion: "1"\nextends: shanxi-2022\n`)
    // Without its own scoring.yaml the city inherits the provincial model.
    expect(loadScoringModel(dir).modelVersion).toBe('shanxi-2022/1.0')
    const city = mkdtempSync(path.join(os.tmpdir(), 'sjt-city-'))
    writeFileSync(path.join(city, 'profile.yaml'), `name: city-own\nversion: "1"\nextends: shanxi-2022\n`)
    const own = parseYaml(readFileSync(path.join(ROOT, 'standards', 'shanxi-2022', 'scoring.yaml'), 'utf8'))
    own.modelVersion = 'city-own/1.0'
    // The city weighs maturity less and effectiveness more.
    own.indices[1].weight = 0.15
    own.indices[4].weight = 0.3
    writeFileSync(path.join(city, 'scoring.yaml'), JSON.stringify(own))
    const p = loadProfile(city, 'en')
    const s = scoreResult(fixture('jz-tax-hall'), {profile: p})
    expect(s.modelVersion).toBe('city-own/1.0')
    // 0.2×100 + 0.15×100 + 0.15×100 + 0.2×93.125 + 0.3×87.5 = 20 + 15 + 15 + 18.625 + 26.25 = 94.875
    expect(s.total).toBe(94.9)
  })

  it('refuses a model whose weights do not sum to 1, naming the file and line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-model-'))
    const text = readFileSync(path.join(ROOT, 'standards', 'shanxi-2022', 'scoring.yaml'), 'utf8').replace('    weight: 0.25', '    weight: 0.3')
    const file = path.join(dir, 'scoring.yaml')
    writeFileSync(file, text)
    let err: unknown
    try {
      readScoringModel(file, 'en')
    } catch (error) {
      err = error
    }
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).exitCode).toBe(2)
    expect((err as InputError).format()).toMatch(/scoring\.yaml:\d+:\d+: .*weights must sum to 1, not 1\.05/)
  })

  it('refuses a term with an unknown input kind, at its line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-model-'))
    const text = readFileSync(path.join(ROOT, 'standards', 'shanxi-2022', 'scoring.yaml'), 'utf8').replace('input: {count: services, target: 5}', 'input: {countOf: services}')
    const file = path.join(dir, 'scoring.yaml')
    writeFileSync(file, text)
    const line = text.split('\n').findIndex((l) => l.includes('countOf')) + 1
    expect(() => readScoringModel(file, 'en')).toThrow(InputError)
    try {
      readScoringModel(file, 'en')
    } catch (error) {
      expect((error as InputError).location?.line).toBe(line)
    }
  })
})

describe('fixture A: jz-tax-hall (every category run, nothing unknown)', () => {
  const s = scoreResult(fixture('jz-tax-hall'))

  it('scores 96.1, 非常高', () => {
    // coverage: 5 items ≥ target 5 → 30; path 5/5 → 25; guideUrl 5/5 → 25; evaluation 5/5 → 20 = 100
    expect(index(s, 'coverage').score).toBe(100)
    // maturity: online-full, oneCertificate, prefill, eLicenses all 5/5 → 40 + 20 + 20 + 20 = 100
    expect(index(s, 'maturity').score).toBe(100)
    // channels: 3 channels / 3 → 30; MAN-006 and ELD-001 hold → 30; MAN-011 → 20; API-002 → 20 = 100
    expect(index(s, 'channels').score).toBe(100)
    // accuracy: MAN-001…015 all hold → 40
    //   API-001…008: API-006 fails as a warning (holds half) → 7.5/8 × 30 = 28.125
    //   API-009 holds, API-010 fails as a warning → 1.5/2 × 20 = 15
    //   guideUrl 5/5 → 10                                   = 93.125
    expect(term(s, 'accuracy', 'contractRules').won).toBe(28.1)
    expect(term(s, 'accuracy', 'liveAgrees').won).toBe(15)
    expect(index(s, 'accuracy').score).toBe(93.1)
    // effectiveness: no usage data, so satisfaction (15) and activeMonths (5) do not apply and
    // the other four terms are worth 20 × 100/80 = 25 each:
    //   a11y 92% × 25 = 23, elder 88% × 25 = 22, perf 75% × 25 = 18.75, security 95% × 25 = 23.75 = 87.5
    expect(index(s, 'effectiveness').score).toBe(87.5)
    expect(term(s, 'effectiveness', 'satisfaction').status).toBe('not-applicable')
    // total = 0.2×100 + 0.25×100 + 0.15×100 + 0.2×93.125 + 0.2×87.5 = 20 + 25 + 15 + 18.625 + 17.5 = 96.125
    expect(s.total).toBe(96.1)
    expect(s.grade).toBe('非常高')
    expect(s.gradeBasis).toBe('complete')
    expect(s.gradeId).toBe('very-high')
    expect(s.unknownWeight).toBe(0)
    expect(s.range).toEqual({min: 96.1, max: 96.1})
    expect(s.unknownFrom).toEqual([])
    expect(s.modelVersion).toBe('shanxi-2022/1.0')
    expect(s.app).toEqual({id: 'jz-tax-hall', name: '榆次政务服务', regionCode: '140702'})
  })

  it('with usage data, 好差评 satisfaction and active months feed 成效度: 96.5', () => {
    const r = (month: string, transactions: number, v: number[]): UsageMonth => ({
      month,
      pv: 1000,
      uv: 300,
      clicks: 800,
      transactions,
      ratings: {verySatisfied: v[0], satisfied: v[1], basicallySatisfied: v[2], dissatisfied: v[3], veryDissatisfied: v[4]},
    })
    const usage = [r('2026-08', 40, [40, 20, 4, 2, 1]), r('2026-09', 35, [50, 25, 5, 3, 0]), r('2026-10', 50, [30, 15, 3, 1, 1])]
    const u = scoreResult(fixture('jz-tax-hall'), {usage})
    // ratings: 120 非常满意 + 60 满意 + 12 基本满意 = 192 good; 6 不满意 + 2 非常不满意 = 8 差评; 200 in all
    // satisfaction 192/200 = 96% × 15 = 14.4; transactions in 3/3 months × 5 = 5
    // a11y 0.92×20 = 18.4, elder 0.88×20 = 17.6, perf 0.75×20 = 15, security 0.95×20 = 19
    // effectiveness = 18.4 + 17.6 + 15 + 19 + 14.4 + 5 = 89.4
    expect(term(u, 'effectiveness', 'satisfaction').won).toBe(14.4)
    expect(term(u, 'effectiveness', 'satisfaction').value).toMatchObject({ratings: 200, good: 192, bad: 8, rate: 0.96})
    expect(index(u, 'effectiveness').score).toBe(89.4)
    // total = 20 + 25 + 15 + 18.625 + 0.2 × 89.4 (17.88) = 96.505
    expect(u.total).toBe(96.5)
    expect(u.usage).toBe(true)
    // Usage for another app is not this app's: the usage terms stay not applicable.
    const other = scoreResult(fixture('jz-tax-hall'), {usage: {hasAppColumn: true, rows: usage.map((x) => ({...x, app: 'other-app'}))}})
    expect(other.total).toBe(96.1)
    expect(other.usage).toBe(false)
  })
})

describe('fixture B: yc-social-card (failing rules, some categories unknown)', () => {
  const s = scoreResult(fixture('yc-social-card'))

  it('scores 54.6, 低, with 17.3 points unknown', () => {
    // coverage: 3 items / 5 → 0.6 × 30 = 18; path 2/3 × 25 = 16.667; guideUrl 2/3 × 25 = 16.667;
    //   evaluation 2/3 × 20 = 13.333 → 64.667
    expect(index(s, 'coverage').score).toBe(64.7)
    // maturity: online-full 1/3 × 40 = 13.333; oneCertificate 1/3 × 20 = 6.667; prefill 2/3 × 20 = 13.333;
    //   eLicenses 1/3 × 20 = 6.667 → 40
    expect(index(s, 'maturity').score).toBe(40)
    // channels: 1 channel / 3 × 30 = 10 won, 20 missed
    //   elderReach: MAN-006 fails (0), ELD-001 unknown (elder not run) → 0 won, 15 missed, 15 unknown
    //   MAN-011 fails as a warning → holds half: 10 won, 10 missed; API-002 fails → 20 missed
    //   won 20, missed 65, unknown 15 → score 20 / 85 = 23.53
    expect([index(s, 'channels').won, index(s, 'channels').missed, index(s, 'channels').unknown]).toEqual([20, 65, 15])
    expect(index(s, 'channels').score).toBe(23.5)
    expect(term(s, 'channels', 'elderReach').howToWin).toEqual({rules: ['MAN-006'], fields: ['app.elderEntry'], run: ['elder']})
    // accuracy: MAN-*: 15 rules, MAN-006 and MAN-008 fail (0), MAN-011 warn (0.5) → 12.5/15 × 40 = 33.333
    //   API-001…008: API-002 fails, API-006 warns → 6.5/8 × 30 = 24.375
    //   API-009/010 not applicable (no live probe): their 20 points go to the others (× 100/80)
    //   guideUrl 2/3 × 10 = 6.667
    //   won (33.333 + 24.375 + 6.667) × 1.25 = 80.469; missed 19.531
    expect(term(s, 'accuracy', 'manifestRules').howToWin.rules).toEqual(['MAN-006', 'MAN-008', 'MAN-011'])
    expect(term(s, 'accuracy', 'liveAgrees').status).toBe('not-applicable')
    expect(index(s, 'accuracy').score).toBe(80.5)
    // effectiveness: a11y 62.5% (elder, security not run; perf could not run → unknown; no usage)
    //   each of the four category terms is worth 25: a11y 15.625 won, 9.375 missed; 75 unknown
    expect([index(s, 'effectiveness').won, index(s, 'effectiveness').missed, index(s, 'effectiveness').unknown]).toEqual([15.6, 9.4, 75])
    expect(index(s, 'effectiveness').score).toBe(62.5)
    // total over what is known:
    //   won   = 0.2×64.667 + 0.25×40 + 0.15×20 + 0.2×80.469 + 0.2×15.625 = 12.933 + 10 + 3 + 16.094 + 3.125 = 45.152
    //   known = 0.2×100 + 0.25×100 + 0.15×85 + 0.2×100 + 0.2×25 = 20 + 25 + 12.75 + 20 + 5 = 82.75
    //   total = 45.152 / 82.75 = 54.56
    expect(s.total).toBe(54.6)
    expect(s.grade).toBe('低')
    // unknown = 0.15×15 + 0.2×75 = 2.25 + 15 = 17.25; range 45.152 … 45.152 + 17.25 = 62.402
    expect(s.unknownWeight).toBe(17.3)
    expect(s.range).toEqual({min: 45.2, max: 62.4})
    // elder: 0.15×15 + 0.2×25 = 7.25; perf 0.2×25 = 5; security 0.2×25 = 5
    expect(s.unknownFrom).toEqual([
      {category: 'elder', points: 7.3},
      {category: 'perf', points: 5},
      {category: 'security', points: 5},
    ])
  })
})

describe('fixture C: ty-gjj-withdraw (manifest only)', () => {
  const s = scoreResult(fixture('ty-gjj-withdraw'))

  it('scores 81.3, 高; categories not run are unknown, not zero', () => {
    // coverage: 2 items / 5 × 30 = 12; path 2/2 → 25; guideUrl 0/2 → 0; evaluation 2/2 → 20 = 57
    expect(index(s, 'coverage').score).toBe(57)
    expect(term(s, 'coverage', 'itemGuides').howToWin).toEqual({rules: [], fields: ['services[].guideUrl'], items: ['住房公积金提取', '住房公积金缴存证明']})
    expect(index(s, 'maturity').score).toBe(100)
    // channels: 2/3 × 30 = 20 (10 missed); MAN-006 holds, ELD-001 unknown → 15 won, 15 unknown;
    //   MAN-011 → 20; API-002 unknown → 20 unknown. won 55, missed 10, unknown 35 → 55/65 = 84.6
    expect(index(s, 'channels').score).toBe(84.6)
    // accuracy: MAN-* all hold → 40; contract 30 + 20 unknown; guideUrl 0/10 → won 40, missed 10 → 80
    expect(index(s, 'accuracy').score).toBe(80)
    // effectiveness: nothing known (no category run, no usage)
    expect(index(s, 'effectiveness').score).toBeNull()
    expect(index(s, 'effectiveness').unknown).toBe(100)
    // total = (0.2×57 + 0.25×100 + 0.15×55 + 0.2×40) / (0.2×100 + 0.25×100 + 0.15×65 + 0.2×50)
    //       = (11.4 + 25 + 8.25 + 8) / (20 + 25 + 9.75 + 10) = 52.65 / 64.75 = 81.31
    expect(s.total).toBe(81.3)
    // 81.3 over the known part, but 35 points are unknown: the band is that of the least the app
    // can score (52.7, 低), labelled, never 高 on a part of the evidence.
    expect(s.grade).toBe('低')
    expect(s.gradeBasis).toBe('lower-bound')
    // unknown = 0.15×35 + 0.2×50 + 0.2×100 = 5.25 + 10 + 20 = 35.25
    expect(s.unknownWeight).toBe(35.3)
    // counted as zero the total would be 52.65; as full marks 87.9
    expect(s.range).toEqual({min: 52.7, max: 87.9})
    expect(s.unknownFrom.map((u) => u.category)).toEqual(['contract', 'a11y', 'elder', 'perf', 'security'])
  })

  it('shows the points that rest on declarations only apart from measured ones', () => {
    // MAN-006, MAN-008, MAN-011 … hold on what the manifest declares: their points are counted apart.
    expect(s.declaredPoints).toBeGreaterThan(0)
    expect(s.declaredPoints).toBeLessThanOrEqual(s.range.min)
    const channels = index(s, 'channels').explain.find((e) => (e.declared ?? 0) > 0)
    expect(channels).toBeDefined()
    expect(renderOneText(s, 'en', false)).toContain('rest on the manifest\'s declarations only')
    expect(renderOneText(s, 'zh-CN', false)).toContain('按可能得分下限')
  })

  it('running a category turns its unknown points into a verdict', () => {
    const doc = structuredClone(fixture('ty-gjj-withdraw'))
    doc.categories.security = {status: 'pass', errors: 0, warnings: 0, score: 100, rules: 1}
    doc.findings.push({ruleId: 'SEC-001', category: 'security', severity: 'error', status: 'pass', message: 'ok', clause: 'GB/T 22239'})
    const s2 = scoreResult(doc)
    expect(s2.unknownWeight).toBe(30.3) // 35.25 − 0.2 × 25
    expect(s2.unknownFrom.map((u) => u.category)).not.toContain('security')
    expect(index(s2, 'effectiveness').score).toBe(100)
  })
})

describe('failing rules score lower; ranking', () => {
  it('the same app with a failing rule scores below the app without it', () => {
    const good = fixture('jz-tax-hall')
    const bad = structuredClone(good)
    const f = bad.findings.find((x) => x.ruleId === 'MAN-010')!
    f.status = 'fail'
    const sGood = scoreResult(good)
    const sBad = scoreResult(bad)
    // MAN-010 fails: manifest rules 14/15 → 37.333 of 40; accuracy 93.125 − 2.667 = 90.458;
    // total 96.125 − 0.2 × 2.667 = 95.592
    expect(sBad.total).toBe(95.6)
    expect(sBad.total!).toBeLessThan(sGood.total!)
    const ranked = rankScores([
      {file: 'b/result.json', score: sBad},
      {file: 'a/result.json', score: sGood},
    ])
    expect(ranked.map((r) => [r.rank, r.file])).toEqual([
      [1, 'a/result.json'],
      [2, 'b/result.json'],
    ])
  })

  it('a lower category score lowers 成效度 and the total', () => {
    const doc = structuredClone(fixture('jz-tax-hall'))
    doc.categories.perf = {status: 'fail', errors: 2, warnings: 0, score: 35, rules: 4}
    // perf 75 → 35: effectiveness −0.4 × 25 = −10 → 77.5; total −0.2 × 10 = −2 → 94.125
    expect(scoreResult(doc).total).toBe(94.1)
  })

  it('ties keep a stable order: total, then region, then app id, and share a rank', () => {
    const base = scoreResult(fixture('jz-tax-hall'))
    const mk = (id: string, regionCode: string | undefined, total: number): ScoreResult => ({...base, total, app: {id, name: id, ...(regionCode ? {regionCode} : {})}})
    const items = [mk('b-app', '140800', 70), mk('a-app', '140800', 70), mk('z-app', '140100', 70), mk('top', '149999', 90), mk('noregion', undefined, 70), mk('low', '140100', 10)]
    const ranked = rankScores(items)
    expect(ranked.map((r) => `${r.rank} ${r.app.id}`)).toEqual(['1 top', '2 z-app', '2 a-app', '2 b-app', '2 noregion', '6 low'])
    // Input order does not matter.
    expect(rankScores([...items].reverse()).map((r) => r.app.id)).toEqual(ranked.map((r) => r.app.id))
  })
})

describe('the score in the result document', () => {
  it('sjt check puts the same score the model gives into the document (the HTML renderer reads it)', async () => {
    const {runCheck} = await import('../../src/core/run.js')
    const out = mkdtempSync(path.join(os.tmpdir(), 'sjt-score-run-'))
    mkdirSync(out, {recursive: true})
    const {doc} = await runCheck(
      {manifestPath: path.join(ROOT, 'fixtures', 'apps', 'sample', 'sjt.yaml'), timeoutMs: 30_000, runs: 1, throttling: 'simulate', lang: 'en', failOn: 'error', profile: 'shanxi-2022', allowRemoteRefs: false, probeWrites: false, probeRequests: 0, noAuth: true, debug: true, ruleOverrides: {}, waivers: [], score: async (d, p) => scoreResult(d, {profile: p})},
      ['manifest'],
    )
    const s = doc.score as ScoreResult
    expect(s.total).toBe(81.3)
    expect([s.grade, s.gradeBasis]).toEqual(['低', 'lower-bound'])
    expect(s).toEqual(scoreResult(doc))
    const {capabilityOf} = await import('../../src/report/common.js')
    const cap = capabilityOf(doc, 'en')!
    expect(cap.total).toBe(81.3)
    expect(cap.indices.map((i) => i.id)).toEqual(['coverage', 'maturity', 'channels', 'accuracy', 'effectiveness'])
  })
})
