// The composite action, run step by step on this machine against the sample app: the shell steps
// really run (sjt check, the SARIF join, the comment against a loopback stand-in for the GitHub
// API, the gate), `if:` conditions are evaluated, and the steps that call other actions are
// checked for what they would receive. Only `npm ci` (the install step) is left out.
import {cpSync, createReadStream, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/cli'
import {startFakeGitHub, type FakeGitHub} from './github-api'
import {evaluate, runAction} from './run-local'

const ACTION = path.join(ROOT, 'action.yml')
const REPO = 'sx-gov/ty-gjj-withdraw'
let gh: FakeGitHub

beforeAll(async () => {
  gh = await startFakeGitHub(REPO)
})
afterAll(async () => {
  await gh.close()
})

function workspace(breakCreditCode = false): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-gha-'))
  cpSync(path.join(ROOT, 'fixtures', 'apps', 'sample'), path.join(dir, 'app'), {recursive: true})
  if (breakCreditCode) {
    const f = path.join(dir, 'app', 'sjt.yaml')
    writeFileSync(f, readFileSync(f, 'utf8').replace('creditCode: 12140100MB0123457K', 'creditCode: 12140100MB0123457X'))
  }
  return dir
}

function run(dir: string, inputs: Record<string, string>, event = 'pull_request') {
  const eventFile = path.join(dir, 'event.json')
  writeFileSync(eventFile, JSON.stringify({pull_request: {number: 7}}))
  return runAction(ACTION, {
    inputs: {category: 'manifest', path: 'app', 'github-token': gh.token, ...inputs},
    github: {event_name: event, action_path: ROOT, token: gh.token, repository: REPO, server_url: 'https://github.example', run_id: '42'},
    env: {...process.env, NO_COLOR: '1', GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: REPO, GITHUB_EVENT_PATH: eventFile, GITHUB_WORKSPACE: dir},
    cwd: dir,
    skip: ['install'],
  })
}

describe('action.yml run locally', () => {
  it('passes the sample app: reports, SARIF, one comment, artifact, exit 0', async () => {
    const dir = workspace()
    const r = await run(dir, {})
    const byName = (s: string) => r.steps.find((x) => x.name.includes(s))!
    const check = byName('Run sjt check')
    expect(check.code, check.stderr).toBe(0)
    expect(check.stdout).toContain('sjt check manifest app --profile shanxi-2022 --fail-on error')
    expect(r.outputs['exit-code']).toBe('0')
    expect(r.outputs.verdict).toBe('pass')
    const out = path.join(dir, r.outputs['report-dir'])
    for (const f of ['result.json', 'report.html', 'report.md', 'report.sarif', 'report.junit.xml']) expect(existsSync(path.join(out, 'ty-gjj-withdraw', f)), f).toBe(true)

    // The browser step is skipped for manifest-only checks; the SARIF upload gets a real SARIF file.
    expect(byName('Find or install Chromium').stdout).toContain('no browser needed')
    const sarif = byName('Upload SARIF')
    expect(sarif.ran).toBe(true)
    const sarifFile = path.join(dir, String(sarif.with!.sarif_file))
    const doc = JSON.parse(readFileSync(sarifFile, 'utf8'))
    expect(doc.version).toBe('2.1.0')
    expect(doc.runs).toHaveLength(1)
    const artifact = byName('Upload the report')
    expect(artifact.ran).toBe(true)
    expect(existsSync(path.join(dir, String(artifact.with!.path), 'ty-gjj-withdraw', 'report.html'))).toBe(true)
    expect(byName('Set up Node.js').with!['cache-dependency-path']).toBe(`${ROOT}/package-lock.json`)

    // One comment on pull request 7, carrying the marker and the Markdown report.
    const comments = gh.comments.get(7) ?? []
    expect(comments).toHaveLength(1)
    expect(comments[0].body.startsWith('<!-- sjt-report -->')).toBe(true)
    expect(comments[0].body).toContain(readFileSync(path.join(out, 'ty-gjj-withdraw', 'report.md'), 'utf8').trim().slice(0, 200))
    expect(comments[0].body).toContain('https://github.example/sx-gov/ty-gjj-withdraw/actions/runs/42')

    const gate = byName('Gate on the result')
    expect(gate.code).toBe(0)
    expect(r.code).toBe(0)
  })

  it('fails with sjt\'s exit code and updates the same comment on the next push', async () => {
    const before = gh.comments.get(7)?.length ?? 0
    const dir = workspace(true)
    const r = await run(dir, {})
    expect(r.outputs['exit-code']).toBe('1')
    expect(r.outputs.verdict).toBe('fail')
    const gate = r.steps.find((s) => s.name.includes('Gate'))!
    expect(gate.code).toBe(1)
    expect(gate.stdout).toContain('::error title=sjt::')
    expect(r.code).toBe(1)
    // Still one comment, now showing the failure; the artifact and SARIF steps still ran.
    const comments = gh.comments.get(7)!
    expect(comments).toHaveLength(Math.max(1, before))
    expect(comments[0].body).toContain('MAN-002')
    expect(gh.requests.some((q) => q.method === 'PATCH')).toBe(true)
    expect(r.steps.find((s) => s.name.includes('Upload the report'))!.ran).toBe(true)
  })

  it('exit 2 for a bad input passes through as the action\'s exit code', async () => {
    const dir = workspace()
    const r = await run(dir, {path: 'no-such-app', comment: 'false'})
    expect(r.outputs['exit-code']).toBe('2')
    expect(r.code).toBe(2)
    expect(r.steps.find((s) => s.name.includes('Comment'))!.ran).toBe(false)
  })

  it('--fail-on never lets findings through; no comment outside pull requests', async () => {
    const dir = workspace(true)
    const requests = gh.requests.length
    const r = await run(dir, {'fail-on': 'never', formats: 'md'}, 'push')
    expect(r.outputs['exit-code']).toBe('0')
    expect(r.code).toBe(0)
    expect(r.steps.find((s) => s.name.includes('Comment'))!.ran).toBe(false)
    expect(gh.requests.length).toBe(requests)
    // No SARIF asked for: nothing to upload.
    expect(r.steps.find((s) => s.name.includes('Upload SARIF'))!.ran).toBe(false)
  })

  it('a folder of apps gives one result per app, one joined SARIF run and one comment body', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-gha-many-'))
    for (const id of ['ty-gjj-withdraw', 'dt-gjj-withdraw']) {
      cpSync(path.join(ROOT, 'fixtures', 'apps', 'sample'), path.join(dir, 'apps', id), {recursive: true})
      const f = path.join(dir, 'apps', id, 'sjt.yaml')
      writeFileSync(f, readFileSync(f, 'utf8').replace('id: ty-gjj-withdraw', `id: ${id}`))
    }
    writeFileSync(path.join(dir, 'event.json'), JSON.stringify({pull_request: {number: 9}}))
    const r = await runAction(ACTION, {
      inputs: {category: 'manifest', path: 'apps', 'github-token': gh.token, formats: 'md,sarif'},
      github: {event_name: 'pull_request', action_path: ROOT, token: gh.token, repository: REPO, server_url: 'https://github.example', run_id: '43'},
      env: {...process.env, NO_COLOR: '1', GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: REPO, GITHUB_EVENT_PATH: path.join(dir, 'event.json')},
      cwd: dir,
      skip: ['install'],
    })
    expect(r.code).toBe(0)
    const sarif = JSON.parse(readFileSync(path.join(dir, r.outputs['report-dir'], 'sjt.sarif'), 'utf8'))
    expect(sarif.runs).toHaveLength(1)
    const body = gh.comments.get(9)![0].body
    expect(body).toContain('ty-gjj-withdraw')
    expect(body).toContain('dt-gjj-withdraw')
  })
})

describe('action.yml with a browser category', () => {
  it('finds the browser, hands it to sjt through CHROME_PATH and checks a page on loopback', async () => {
    // The sample site, served as it is, under /m/.
    const site = path.join(ROOT, 'fixtures', 'apps', 'sample', 'site')
    const server = createServer((req, res) => {
      const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/m\/?/, '') || 'index.html'
      const file = path.join(site, rel.endsWith('/') ? rel + 'index.html' : rel)
      if (!file.startsWith(site) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end()
      res.writeHead(200, {'content-type': file.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8'})
      createReadStream(file).pipe(res)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(server.address() as {port: number}).port}/m/`
      const dir = workspace()
      const r = await run(dir, {category: 'a11y', url, formats: 'md', comment: 'false', 'fail-on': 'never'}, 'push')
      const browser = r.steps.find((s) => s.name === 'Find or install Chromium')!
      expect(browser.code, browser.stderr).toBe(0)
      expect(browser.stdout).toMatch(/^browser: \/\S+ \((Chromium|Google Chrome)/m)
      expect(existsSync(r.env.CHROME_PATH)).toBe(true)
      const check = r.steps.find((s) => s.name.includes('Run sjt check'))!
      expect(r.outputs['exit-code'], check.stderr).toBe('0')
      const doc = JSON.parse(readFileSync(path.join(dir, r.outputs['report-dir'], 'ty-gjj-withdraw', 'result.json'), 'utf8'))
      expect(doc.categories.a11y.status).not.toBe('error')
      expect(doc.environment.browser).toBeTruthy()
    } finally {
      await new Promise((r) => server.close(r))
    }
  }, 180_000)
})

describe('the expression evaluator used to run the action', () => {
  const ctx = {inputs: {comment: 'true', 'upload-sarif': 'false'}, github: {event_name: 'pull_request'}, steps: {check: {outputs: {sarif: ''}}}}
  it('follows GitHub semantics for the conditions in action.yml', async () => {
    expect(evaluate("inputs.comment == 'true' && (github.event_name == 'pull_request' || github.event_name == 'pull_request_target')", ctx, {failed: false})).toBe(true)
    expect(evaluate("inputs.upload-sarif == 'true' && steps.check.outputs.sarif != ''", ctx, {failed: false})).toBe(false)
    expect(evaluate("always() && steps.check.outputs.sarif != ''", ctx, {failed: true})).toBe(false)
    expect(evaluate('success()', ctx, {failed: true})).toBe(false)
  })
})
