// Runs the contract category in-process on a contract file, through the real pipeline
// (manifest → contract → apiprobe collectors → API rules).
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {runCheck} from '../../src/core/run.js'
import {scoreOf} from '../../src/cli/check.js'
import type {Finding, RunOptions} from '../../src/core/types.js'
import {ROOT} from '../helpers/cli.js'

export const FIXTURES = path.join(ROOT, 'fixtures', 'contracts')
export const SAMPLE = path.join(ROOT, 'fixtures', 'apps', 'sample')

/** A temporary app folder whose manifest (the sample's) names `contract`. */
export function appWith(contract: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-contract-'))
  const manifest = readFileSync(path.join(SAMPLE, 'sjt.yaml'), 'utf8').replace(/^contract: .*$/m, `contract: ${JSON.stringify(path.resolve(contract))}`)
  writeFileSync(path.join(dir, 'sjt.yaml'), manifest)
  return dir
}

export function options(manifestPath: string, extra: Partial<RunOptions> = {}): RunOptions {
  return {
    appDir: path.dirname(manifestPath),
    manifestPath,
    // a closed loopback port: the live probe fails fast instead of reaching the contract's servers
    apiBase: 'http://127.0.0.1:1',
    timeoutMs: 5000,
    runs: 1,
    throttling: 'none',
    lang: 'en',
    failOn: 'error',
    profile: 'shanxi-2022',
    allowRemoteRefs: false,
    probeWrites: false,
    probeRequests: 2,
    noAuth: true,
    debug: true,
    ruleOverrides: {},
    waivers: [],
    // as buildOptions: a run with a manifest carries the capability score
    score: scoreOf,
    ...extra,
  }
}

export async function checkContract(contract: string, extra: Partial<RunOptions> = {}) {
  const dir = appWith(contract)
  const outcome = await runCheck(options(path.join(dir, 'sjt.yaml'), extra), ['contract'])
  return {doc: outcome.doc, artifacts: outcome.artifacts, findings: outcome.doc.findings, dir}
}

export const of = (findings: Finding[], rule: string) => findings.filter((f) => f.ruleId === rule)
export const failed = (findings: Finding[], rule: string) => of(findings, rule).filter((f) => f.status === 'fail')
export const statuses = (findings: Finding[], rule: string) => [...new Set(of(findings, rule).map((f) => f.status))].sort()
