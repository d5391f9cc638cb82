// API rules against fixtures/rules/API-…/ (the rule tester), through the real collectors and the
// pipeline, in-process: contract files (API-001 … API-008) with the live probe off, artifact folders
// of a probed contract (API-009, API-010) through --from-artifacts.
import {existsSync, readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCheck} from '../../src/core/run.js'
import type {Finding} from '../../src/core/types.js'
import {checkContract, options} from '../contract/helpers.js'
import {testRules} from '../helpers/rule-tester.js'

const isArtifacts = (f: string) => statSync(f).isDirectory() && readdirSync(f).some((n) => n.endsWith('.artifacts.json'))

// A contract shared by several rules is checked once.
const seen = new Map<string, Promise<Finding[]>>()
const findings = (file: string): Promise<Finding[]> => {
  if (!seen.has(file)) seen.set(file, judge(file))
  return seen.get(file)!
}

async function judge(file: string): Promise<Finding[]> {
  if (isArtifacts(file)) {
    const {manifestPath: _m, appDir: _a, ...base} = options(path.join(file, 'sjt.yaml'))
    return (await runCheck({...base, fromArtifacts: file}, ['contract'])).doc.findings
  }
  return (await checkContract(file, {ruleOverrides: {'API-009': 'off', 'API-010': 'off'}})).findings
}

testRules('contract', (fx) => findings(fx.file), (fx, all) => {
  if (fx.kind !== 'fail' || isArtifacts(fx.file)) return
  // A failure in a contract file names the file, line, column and JSON pointer.
  for (const f of all.filter((x) => x.ruleId === fx.rule && x.status === 'fail')) {
    expect(f.location?.file, fx.name).toMatch(new RegExp(path.basename(fx.file).replace(/\./g, '\\.') + '$'))
    expect(f.location?.line).toBeGreaterThan(0)
    expect(f.location?.column).toBeGreaterThan(0)
    expect(f.location?.pointer).toMatch(/^\//)
  }
})

describe('beyond the fixtures', () => {
  it('API-002 names every provincial operation of a passing contract as compatible', async () => {
    for (const file of ['fixtures/rules/API-001/pass.openapi.yaml', 'fixtures/contracts/split/openapi.yaml', 'fixtures/apps/sample/openapi.yaml']) {
      expect(existsSync(file)).toBe(true)
      const f = (await findings(path.resolve(file))).filter((x) => x.ruleId === 'API-002')
      expect(f.map((x) => x.details?.operation).sort(), file).toEqual(['GET /cases/{caseNo}', 'GET /healthz', 'GET /sso/callback', 'POST /evaluations/notify'])
    }
  })
})
