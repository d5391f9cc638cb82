// SEC rules against fixtures/rules/SEC-…/ (the rule tester): artifact folders (manifest, http and
// page artifacts, written by test/security/make-fixtures.ts) judged through the pipeline with
// --from-artifacts, no network and no browser. The collectors on real servers: test/security/.
import {buildOptions} from '../../src/cli/check.js'
import {runCheck} from '../../src/core/run.js'
import type {Finding} from '../../src/core/types.js'
import {testRules} from '../helpers/rule-tester.js'

const seen = new Map<string, Promise<Finding[]>>()
async function judge(dir: string): Promise<Finding[]> {
  const options = buildOptions({}, {}, 'en')
  options.progress = undefined
  return (await runCheck({...options, fromArtifacts: dir}, ['security'])).doc.findings
}

testRules('security', (fx) => {
  if (!seen.has(fx.file)) seen.set(fx.file, judge(fx.file))
  return seen.get(fx.file)!
})
