// PERF rules against fixtures/rules/PERF-…/ (the rule tester): folders of a saved Lighthouse
// artifact (written by test/perf/make-fixtures.ts) judged through the pipeline with --from-artifacts,
// no browser. Real Lighthouse runs: test/perf/.
import {buildOptions} from '../../src/cli/check.js'
import {runCheck} from '../../src/core/run.js'
import type {Finding} from '../../src/core/types.js'
import {testRules} from '../helpers/rule-tester.js'

const seen = new Map<string, Promise<Finding[]>>()
async function judge(dir: string): Promise<Finding[]> {
  const options = buildOptions({}, {}, 'en')
  options.progress = undefined
  return (await runCheck({...options, fromArtifacts: dir}, ['perf'])).doc.findings
}

testRules('perf', (fx) => {
  if (!seen.has(fx.file)) seen.set(fx.file, judge(fx.file))
  return seen.get(fx.file)!
})
