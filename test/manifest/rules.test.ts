// Every MAN rule against its fixtures: each fail-* manifest fails exactly that rule, each pass*
// manifest fails nothing. Runs the pipeline in-process (the CLI is exercised in cli.test.ts).
import {readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCheck} from '../../src/core/run.js'
import {buildOptions} from '../../src/cli/check.js'
import {loadProfile} from '../../src/core/profile.js'
import {ROOT} from '../helpers/cli.js'

const dir = path.join(ROOT, 'fixtures/manifests')

async function failedRules(file: string): Promise<string[]> {
  const options = buildOptions({}, {}, 'en', file)
  options.progress = undefined
  const {doc} = await runCheck(options, ['manifest'])
  return [...new Set(doc.findings.filter((f) => f.status === 'fail').map((f) => f.ruleId))]
}

describe('manifest rules against their fixtures', () => {
  const profile = loadProfile('shanxi-2022', 'en')
  const manRules = profile.rules.filter((r) => r.category === 'manifest').map((r) => r.id)

  it('every MAN rule has a failing and a passing fixture', () => {
    for (const id of manRules) {
      const files = readdirSync(path.join(dir, id))
      expect(files.some((f) => f.startsWith('fail')), `${id} has no failing fixture`).toBe(true)
      expect(files.some((f) => f.startsWith('pass')), `${id} has no passing fixture`).toBe(true)
    }
  })

  for (const rule of readdirSync(dir).sort()) {
    for (const file of readdirSync(path.join(dir, rule)).sort()) {
      it(`${rule}/${file}`, async () => {
        const failed = await failedRules(path.join(dir, rule, file))
        if (file.startsWith('fail')) expect(failed).toEqual([rule])
        else expect(failed).toEqual([])
      })
    }
  }

  it('the sample app passes every manifest rule', async () => {
    expect(await failedRules(path.join(ROOT, 'fixtures/apps/sample/sjt.yaml'))).toEqual([])
  })
})

describe('declarations checked where the run measured more (MAN-008)', () => {
  it('a service page without a rating entry fails a declared evaluation: true; with one the pass is measured', async () => {
    const {checks} = await import('../../src/audits/manifest/index.js')
    const {readManifest} = await import('../../src/gather/manifest.js')
    const profile = loadProfile('shanxi-2022', 'en')
    const rule = profile.rules.find((r) => r.id === 'MAN-008')!
    const file = path.join(dir, 'MAN-008/pass.yaml')
    const options = buildOptions({}, {}, 'en', file)
    options.progress = undefined
    const {doc} = await runCheck(options, ['manifest'])
    // The manifest alone: the pass rests on the declaration.
    expect(doc.findings.find((f) => f.ruleId === 'MAN-008')!.evidence).toBe('declared')
    const manifest = readManifest(file, 'en')
    const facts = (texts: string[]) => ({targets: texts.map((text) => ({selector: 'a', tag: 'a', text, w: 300, h: 64, inline: false})), links: []})
    const visit = (texts: string[]) => ({role: 'service' as const, url: 'https://gjj.taiyuan.gov.cn/m/withdraw.html', name: '住房公积金提取', probes: {elder: facts(texts)}})
    const run = (texts: string[]) => checks.evaluation({artifacts: {manifest, page: {browserVersion: 't', viewport: {width: 375, height: 812, deviceScaleFactor: 3}, pages: [visit(texts)]}}, params: rule.params, rule, lang: 'en', profile, options})
    expect(run(['提交申请', '返回']).map((f) => [f.status, f.evidence])).toEqual([['fail', 'measured']])
    expect(run(['提交申请', '办事评价']).map((f) => [f.status, f.evidence])).toEqual([['pass', 'measured']])
  })
})
