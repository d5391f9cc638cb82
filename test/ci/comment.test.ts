// ci/github/comment.js against a loopback stand-in for the two GitHub REST endpoints it uses.
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/cli'
import {startFakeGitHub, type FakeGitHub} from './github-api'
// @ts-expect-error plain JavaScript module
import {buildBody, MARKER, MAX_BODY, pullRequestNumber, upsertComment} from '../../ci/github/comment.js'
// @ts-expect-error plain JavaScript module
import {mergeSarif} from '../../ci/github/sarif.js'

const REPO = 'sx-gov/ty-gjj-withdraw'
let gh: FakeGitHub

beforeAll(async () => {
  gh = await startFakeGitHub(REPO)
})
afterAll(async () => {
  await gh.close()
})
beforeEach(() => {
  gh.comments.clear()
  gh.requests.length = 0
  gh.failWith = undefined
})

function reportsDir(apps: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-comment-'))
  for (const [id, md] of Object.entries(apps)) {
    mkdirSync(path.join(dir, id), {recursive: true})
    writeFileSync(path.join(dir, id, 'report.md'), md)
  }
  return dir
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'ci', 'github', 'comment.js'), ...args], {env: {PATH: process.env.PATH, ...env}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({code: code ?? -1, stdout, stderr}))
  })
}

describe('comment.js', () => {
  it('creates one comment, then updates it instead of adding another', async () => {
    const dir = reportsDir({'ty-gjj-withdraw': '## 接入检测 · 通过\n\n| a | b |\n'})
    const first = await upsertComment({api: gh.url, token: gh.token, repo: REPO, pr: 3, body: buildBody({dir})})
    expect(first.action).toBe('created')
    const second = await upsertComment({api: gh.url, token: gh.token, repo: REPO, pr: 3, body: buildBody({dir, note: 'run 2'})})
    expect(second.action).toBe('updated')
    expect(second.id).toBe(first.id)
    const cs = gh.comments.get(3)!
    expect(cs).toHaveLength(1)
    expect(cs[0].body).toBe(`${MARKER}\n## 接入检测 · 通过\n\n| a | b |\n\nrun 2`)
  })

  it('leaves other comments alone and finds its own on a later page', async () => {
    gh.comments.set(5, Array.from({length: 150}, (_, i) => ({id: i + 1, body: i === 130 ? `${MARKER}\nold` : `comment ${i}`, html_url: '', user: {login: 'someone'}})))
    const r = await upsertComment({api: gh.url, token: gh.token, repo: REPO, pr: 5, body: `${MARKER}\nnew`})
    expect(r).toMatchObject({action: 'updated', id: 131})
    expect(gh.requests.filter((q) => q.method === 'GET').map((q) => q.path)).toEqual([`/repos/${REPO}/issues/5/comments?per_page=100&page=1`, `/repos/${REPO}/issues/5/comments?per_page=100&page=2`])
    expect(gh.comments.get(5)!.filter((c) => c.body.includes(MARKER))).toHaveLength(1)
    expect(gh.comments.get(5)![0].body).toBe('comment 0')
  })

  it('joins the reports of several apps and keeps under GitHub\'s size limit', () => {
    const dir = reportsDir({a: 'A'.repeat(40_000), b: 'B'.repeat(40_000)})
    const body = buildBody({dir, note: 'see artifact'})
    expect(body.length).toBeLessThanOrEqual(MAX_BODY)
    expect(body.startsWith(MARKER)).toBe(true)
    expect(body).toContain('A\n\n---\n\nB')
    expect(body).toMatch(/truncated/)
    expect(body.endsWith('see artifact')).toBe(true)
  })

  it('falls back to a summary table from result.json when there is no Markdown report', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-comment-'))
    mkdirSync(path.join(dir, 'x'))
    writeFileSync(path.join(dir, 'x', 'result.json'), JSON.stringify({app: {id: 'x-app', name: 'X'}, verdict: 'fail', findings: [{status: 'fail', severity: 'error'}, {status: 'fail', severity: 'warn'}, {status: 'pass', severity: 'error'}]}))
    const body = buildBody({dir})
    expect(body).toContain('| X (`x-app`) | ❌ fail | 1 | 1 |')
  })

  it('reads the pull request number from the event file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-event-'))
    writeFileSync(path.join(dir, 'pr.json'), JSON.stringify({pull_request: {number: 12}}))
    writeFileSync(path.join(dir, 'push.json'), JSON.stringify({ref: 'refs/heads/main'}))
    expect(pullRequestNumber({GITHUB_EVENT_PATH: path.join(dir, 'pr.json')})).toBe(12)
    expect(pullRequestNumber({GITHUB_EVENT_PATH: path.join(dir, 'push.json')})).toBeNull()
  })

  it('as a command: exit 0 outside a pull request, without calling the API', async () => {
    const r = await cli(['--dir', reportsDir({a: 'x'})], {GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: REPO, GITHUB_API_URL: gh.url})
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('not a pull request')
    expect(gh.requests).toHaveLength(0)
  })

  it('as a command: exit 1 with a warning that names the permission when the token may not write', async () => {
    gh.failWith = 403
    const r = await cli(['--dir', reportsDir({a: 'x'}), '--pr', '4'], {GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: REPO, GITHUB_API_URL: gh.url})
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^::warning title=sjt comment::GET .* answered HTTP 403: Resource not accessible by integration/)
    expect(r.stderr).toContain('pull-requests: write')
  })

  it('as a command: a wrong token is reported, a bad option is exit 2', async () => {
    const bad = await cli(['--dir', reportsDir({a: 'x'}), '--pr', '4'], {GITHUB_TOKEN: 'nope', GITHUB_REPOSITORY: REPO, GITHUB_API_URL: gh.url})
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('HTTP 401')
    const opt = await cli(['--bogus', 'x'], {})
    expect(opt.code).toBe(2)
  })
})

describe('sarif.js', () => {
  const doc = (rule: string, file: string) => ({
    version: '2.1.0',
    runs: [{tool: {driver: {name: 'sjt', rules: [{id: 'MAN-001'}, {id: rule}]}}, artifacts: [{location: {uri: file}}], results: [{ruleId: rule, ruleIndex: 1, locations: [{physicalLocation: {artifactLocation: {uri: file, index: 0}}}]}]}],
  })
  it('joins several apps into one run with consistent indexes', () => {
    const m = mergeSarif([doc('MAN-002', 'a/sjt.yaml'), doc('MAN-005', 'b/sjt.yaml')])
    expect(m.runs).toHaveLength(1)
    const run = m.runs[0]
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(['MAN-001', 'MAN-002', 'MAN-005'])
    for (const res of run.results) {
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId)
      const loc = res.locations[0].physicalLocation.artifactLocation
      expect(run.artifacts[loc.index].location.uri).toBe(loc.uri)
    }
  })
})
