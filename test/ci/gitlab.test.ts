// The GitLab template and the Jenkins pipeline, their scripts run on this machine against copies
// of the sample app: one app (JUnit for the widget, the HTML report at the exposed path), and a
// province-wide audit split over the template's `parallel:` jobs with --shard, then merged.
import {chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import YAML from 'yaml'
import {beforeAll, describe, expect, it} from 'vitest'
import {BIN, ROOT} from '../helpers/cli'
import {bash, gitlabJob, gitlabRulesAllow, runGitLabJob} from './run-local'

const config = YAML.parse(readFileSync(path.join(ROOT, 'ci', 'gitlab', 'sjt.gitlab-ci.yml'), 'utf8'))
let shimPath = ''

beforeAll(() => {
  // `sjt` on PATH is this checkout (the template's `npm install -g` step is skipped when sjt is
  // already there, which is exactly what it checks first).
  const bin = mkdtempSync(path.join(os.tmpdir(), 'sjt-bin-'))
  writeFileSync(path.join(bin, 'sjt'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`)
  chmodSync(path.join(bin, 'sjt'), 0o755)
  shimPath = `${bin}:${process.env.PATH}`
})

const env = () => ({...process.env, PATH: shimPath, NO_COLOR: '1'})

function project(ids: string[], sub = 'apps'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-gl-'))
  for (const id of ids) {
    const to = ids.length === 1 && sub === '.' ? dir : path.join(dir, sub, id)
    cpSync(path.join(ROOT, 'fixtures', 'apps', 'sample'), to, {recursive: true})
    const f = path.join(to, 'sjt.yaml')
    writeFileSync(f, readFileSync(f, 'utf8').replace('id: ty-gjj-withdraw', `id: ${id}`))
  }
  return dir
}

/** Files matching a CI artifact pattern whose segments may hold `*` (as GitLab and Jenkins read them). */
function glob(cwd: string, pattern: string): string[] {
  const seg = pattern.split('/')
  const out: string[] = []
  const walk = (rel: string[], i: number) => {
    const here = path.join(cwd, ...rel)
    if (i === seg.length) {
      if (existsSync(here) && statSync(here).isFile()) out.push(rel.join('/'))
      return
    }
    const re = new RegExp('^' + seg[i].split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$')
    if (!existsSync(here) || !statSync(here).isDirectory()) return
    for (const name of readdirSync(here).sort()) if (re.test(name)) walk([...rel, name], i + 1)
  }
  walk([], 0)
  return out
}

describe('ci/gitlab/sjt.gitlab-ci.yml', () => {
  it('checks one app: JUnit where the widget reads it, the HTML report under the exposed path', async () => {
    const dir = project(['ty-gjj-withdraw'], '.')
    const job = gitlabJob(config, 'sjt-check')
    expect(gitlabRulesAllow(job, job.variables)).toBe(true)
    expect(gitlabRulesAllow(gitlabJob(config, 'sjt-audit'), job.variables)).toBe(false)
    const r = await runGitLabJob(job, {cwd: dir, env: env(), variables: {SJT_CATEGORY: 'manifest'}})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^sjt\/\d+\.\d+\.\d+ /m)
    const junit = glob(dir, job.artifacts.reports.junit)
    expect(junit).toEqual(['sjt-reports/ty-gjj-withdraw/report.junit.xml'])
    expect(readFileSync(path.join(dir, junit[0]), 'utf8')).toContain('<testsuite')
    expect(job.artifacts.when).toBe('always')
    expect(job.artifacts.expose_as).toBeTruthy()
    expect(existsSync(path.join(dir, job.artifacts.paths[0], 'ty-gjj-withdraw', 'report.html'))).toBe(true)
  })

  it('fails the job on the gate, and keeps the artifacts (when: always)', async () => {
    const dir = project(['ty-gjj-withdraw'], '.')
    const f = path.join(dir, 'sjt.yaml')
    writeFileSync(f, readFileSync(f, 'utf8').replace('entry: https://', 'entry: http://'))
    const job = gitlabJob(config, 'sjt-check')
    const r = await runGitLabJob(job, {cwd: dir, env: env(), variables: {SJT_CATEGORY: 'manifest'}})
    expect(r.code).toBe(1)
    const xml = readFileSync(path.join(dir, glob(dir, job.artifacts.reports.junit)[0]), 'utf8')
    expect(xml).toContain('MAN-005')
    expect(xml).toContain('<failure')
    const warnOnly = await runGitLabJob(job, {cwd: dir, env: env(), variables: {SJT_CATEGORY: 'manifest', SJT_FAIL_ON: 'never'}})
    expect(warnOnly.code).toBe(0)
  })

  it('audits a folder of apps over the parallel jobs (--shard i/n) and merges them', async () => {
    const ids = ['ty-gjj-withdraw', 'dt-gjj-withdraw', 'yq-gjj-withdraw', 'cz-gjj-withdraw', 'jc-gjj-withdraw', 'sz-gjj-withdraw']
    const src = project(ids)
    const vars = {SJT_MODE: 'audit', SJT_PATH: 'apps/', SJT_CATEGORY: 'manifest'}
    const audit = gitlabJob(config, 'sjt-audit')
    const merge = gitlabJob(config, 'sjt-audit-merge')
    expect(gitlabRulesAllow(audit, {...audit.variables, ...vars})).toBe(true)
    expect(gitlabRulesAllow(gitlabJob(config, 'sjt-check'), {...audit.variables, ...vars})).toBe(false)
    expect(audit.parallel).toBeGreaterThan(1)
    expect(merge.needs[0].job).toBe('sjt-audit')

    // Each parallel job works in its own clone; its artifacts then land in the merge job's folder.
    const mergeDir = mkdtempSync(path.join(os.tmpdir(), 'sjt-gl-merge-'))
    const seen: string[] = []
    const n = audit.parallel!
    for (let i = 1; i <= n; i++) {
      const clone = mkdtempSync(path.join(os.tmpdir(), `sjt-gl-${i}-`))
      cpSync(src, clone, {recursive: true})
      const r = await runGitLabJob(audit, {cwd: clone, env: {...env(), CI_NODE_INDEX: String(i), CI_NODE_TOTAL: String(n)}, variables: vars})
      expect(r.code, r.stderr).toBe(0)
      const mine = glob(clone, audit.artifacts.reports.junit).map((f) => f.split('/')[1])
      const summary = JSON.parse(readFileSync(path.join(clone, 'sjt-reports', `summary-${i}-of-${n}.json`), 'utf8'))
      expect(summary.shard).toBe(`${i}/${n}`)
      expect(summary.apps.map((a: any) => a.appId).sort()).toEqual([...mine].sort())
      seen.push(...mine)
      cpSync(path.join(clone, 'sjt-reports'), path.join(mergeDir, 'sjt-reports'), {recursive: true})
    }
    // Every app checked exactly once across the shards.
    expect(seen.sort()).toEqual([...ids].sort())

    expect(gitlabRulesAllow(merge, {...merge.variables, ...vars})).toBe(true)
    const m = await runGitLabJob(merge, {cwd: mergeDir, env: env(), variables: vars})
    expect(m.code, m.stderr).toBe(0)
    const summary = JSON.parse(readFileSync(path.join(mergeDir, 'sjt-reports', 'summary.json'), 'utf8'))
    expect(summary.apps.map((a: any) => a.appId).sort()).toEqual([...ids].sort())
    expect(summary.apps.every((a: any) => a.verdict === 'pass')).toBe(true)
  })
})

describe('ci/jenkins/Jenkinsfile', () => {
  const text = readFileSync(path.join(ROOT, 'ci', 'jenkins', 'Jenkinsfile'), 'utf8')

  it('publishes JUnit, archives the reports and offers the HTML report', () => {
    expect(text).toMatch(/junit [^\n]*report\.junit\.xml/)
    expect(text).toMatch(/archiveArtifacts [^\n]*sjt-reports/)
    expect(text).toContain('publishHTML')
    expect(text).toMatch(/returnStatus: true/)
  })

  it('its sjt commands run against a folder of apps, shard by shard, then merge', async () => {
    // The Groovy strings with their escapes undone and the loop variables bound, as Jenkins would.
    const check = /script: "(sjt check [^"\\]*(?:\\.[^"\\]*)*)"/.exec(text)![1]
    const mergeCmd = /sh '(sjt report --merge [^']*?)(?: \|\| true)?'/.exec(text)![1]
    const ids = ['ty-gjj-withdraw', 'dt-gjj-withdraw', 'yq-gjj-withdraw']
    const dir = project(ids)
    const shards = 2
    for (let i = 1; i <= shards; i++) {
      const cmd = check.replace(/\\"/g, '"').replace(/\\\$/g, '$').replace(/\$\{shard\}/g, `${i}/${shards}`).replace(/\$\{dir\}/g, `sjt-reports/shard-${i}`)
      const r = await bash(cmd, {cwd: dir, env: {...env(), SJT_CATEGORY: 'manifest', SJT_PATH: 'apps/', SJT_PROFILE: 'shanxi-2022', SJT_FAIL_ON: 'error', SJT_FORMATS: 'junit,md'}})
      expect(r.code, r.stderr).toBe(0)
    }
    const r = await bash(mergeCmd, {cwd: dir, env: env()})
    expect(r.code, r.stderr).toBe(0)
    const summary = JSON.parse(readFileSync(path.join(dir, 'sjt-reports', 'summary.json'), 'utf8'))
    expect(summary.apps.map((a: any) => a.appId).sort()).toEqual([...ids].sort())
    const junit = glob(dir, 'sjt-reports/shard-*/*/report.junit.xml')
    expect(junit).toHaveLength(ids.length)
  })
})

