// MAN rules against fixtures/rules/MAN-…/ (the rule tester): each fail* manifest fails exactly its
// rule, each pass* manifest fails nothing. The pipeline runs in-process (the CLI: test/manifest/cli.test.ts).
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildOptions} from '../../src/cli/check.js'
import {runCheck} from '../../src/core/run.js'
import type {Finding} from '../../src/core/types.js'
import {ROOT} from '../helpers/cli.js'
import {profile, RULES_DIR, testRules} from '../helpers/rule-tester.js'

async function findings(file: string): Promise<Finding[]> {
  const options = buildOptions({}, {}, 'en', file)
  options.progress = undefined
  const {doc} = await runCheck(options, ['manifest'])
  return doc.findings
}

testRules('manifest', (fx) => findings(fx.file))

describe('beyond the fixtures', () => {
  it('the sample app passes every manifest rule', async () => {
    expect((await findings(path.join(ROOT, 'fixtures/apps/sample/sjt.yaml'))).filter((f) => f.status === 'fail')).toEqual([])
  })

  it('MAN-008: a service page without a rating entry fails a declared evaluation: true; with one the pass is measured', async () => {
    const {checks} = await import('../../src/audits/manifest/index.js')
    const {readManifest} = await import('../../src/gather/manifest.js')
    const rule = profile.rules.find((r) => r.id === 'MAN-008')!
    const file = path.join(RULES_DIR, 'MAN-008/pass.yaml')
    const options = buildOptions({}, {}, 'en', file)
    options.progress = undefined
    // The manifest alone: the pass rests on the declaration.
    expect((await findings(file)).find((f) => f.ruleId === 'MAN-008')!.evidence).toBe('declared')
    const manifest = readManifest(file, 'en')
    const facts = (texts: string[]) => ({targets: texts.map((text) => ({selector: 'a', tag: 'a', text, w: 300, h: 64, inline: false})), links: []})
    const visit = (texts: string[]) => ({role: 'service' as const, url: 'https://gjj.taiyuan.gov.cn/m/withdraw.html', name: '住房公积金提取', probes: {elder: facts(texts)}})
    const run = (texts: string[]) => checks.evaluation({artifacts: {manifest, page: {browserVersion: 't', viewport: {width: 375, height: 812, deviceScaleFactor: 3}, pages: [visit(texts)]}}, params: rule.params, rule, lang: 'en', profile, options})
    expect(run(['提交申请', '返回']).map((f) => [f.status, f.evidence])).toEqual([['fail', 'measured']])
    expect(run(['提交申请', '办事评价']).map((f) => [f.status, f.evidence])).toEqual([['pass', 'measured']])
  })
})
