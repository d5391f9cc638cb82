// Page faults: refused connection, HTTP 500, redirect loop, timeout, renderer crash, pages behind
// a login, no browser at all, and Ctrl-C. One page fault never stops the other pages.
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildOptions} from '../../src/cli/check.js'
import {loadProfile} from '../../src/core/profile.js'
import {exitCodeOf} from '../../src/core/result.js'
import {runCheck, saveArtifacts} from '../../src/core/run.js'
import type {Category, GatherContext, RunOptions} from '../../src/core/types.js'
import {collect} from '../../src/gather/page.js'
import type {PageArtifact} from '../../src/artifacts/page.js'
import {launchBrowser, type BrowserSession} from '../../src/lib/browser.js'
import {BIN, ROOT, sjt} from '../helpers/cli.js'
import {processes} from '../helpers/proc.js'
import {serve, type TestServer} from './server.js'

let server: TestServer
let session: BrowserSession
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-faults-'))
const profile = loadProfile('shanxi-2022', 'en')

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const port = (s.address() as net.AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

beforeAll(async () => {
  server = await serve({'/m/': path.join(ROOT, 'fixtures/apps/sample/site'), '/pages/': path.join(ROOT, 'fixtures/pages')})
  session = await launchBrowser({lang: 'en'})
})

afterAll(async () => {
  await session?.close()
  await server?.close()
  rmSync(tmp, {recursive: true, force: true})
})

let n = 0
async function gather(o: Partial<RunOptions>, extra: Partial<GatherContext> = {}): Promise<{page: PageArtifact; options: RunOptions}> {
  const options = {...buildOptions({}, {}, 'en'), progress: undefined, ...o} as RunOptions
  const ctx: GatherContext = {options, profile, artifacts: {}, shared: new Map([['browser', session as unknown as {close(): Promise<void>}]]), ...extra}
  return {page: await collect(ctx), options}
}

async function audit(page: PageArtifact, options: RunOptions, categories: Category[], more: Record<string, unknown> = {}) {
  const dir = path.join(tmp, `a${n++}`)
  saveArtifacts(dir, {page, ...more})
  return (await runCheck({...options, fromArtifacts: dir}, categories)).doc
}

describe('page faults', () => {
  it('refused, 500, redirect loop and timeout are errors on their page; the other pages are checked', async () => {
    const port = await freePort()
    const {page, options} = await gather({url: `${server.url}/status/500`, elderUrl: `http://127.0.0.1:${port}/`, timeoutMs: 3000})
    expect(page.pages.map((p) => p.error)).toEqual([expect.stringMatching(/HTTP 500/), expect.stringMatching(/refused/)])
    const loop = await gather({url: `${server.url}/loop/0`, elderUrl: `${server.url}/hang`, timeoutMs: 1500})
    expect(loop.page.pages[0].error).toMatch(/redirects in a loop/)
    expect(loop.page.pages[1].error).toMatch(/did not load within 1\.5 s/)
    // Nothing could be checked: every finding is an error, the category is `error`, exit 3.
    const doc = await audit(page, options, ['a11y'])
    // (A11Y-005/006 judge the entry a manifest declares; with --url alone they do not apply.)
    const judged = doc.findings.filter((f) => !['A11Y-005', 'A11Y-006'].includes(f.ruleId))
    expect(judged.length).toBeGreaterThan(0)
    expect(judged.every((f) => f.status === 'error')).toBe(true)
    expect(doc.findings.filter((f) => ['A11Y-005', 'A11Y-006'].includes(f.ruleId)).every((f) => f.status === 'not-applicable')).toBe(true)
    expect(doc.categories.a11y!.status).toBe('error')
    expect(exitCodeOf(doc)).toBe(3)
    // One good page: the others are errors, the run is judged.
    const mixed = await gather({url: `${server.url}/m/`, elderUrl: `http://127.0.0.1:${port}/`})
    const d2 = await audit(mixed.page, mixed.options, ['a11y'])
    expect(d2.findings.filter((f) => f.status === 'error').length).toBe(4)
    expect(d2.findings.filter((f) => f.status === 'pass').length).toBe(4)
    expect(exitCodeOf(d2)).toBe(0)
  })

  it('a renderer crash is an error on that page', async () => {
    const {page} = await gather({url: 'chrome://crash', elderUrl: `${server.url}/m/elder/`})
    expect(page.pages[0].error).toMatch(/renderer crashed/)
    expect(page.pages[1].error).toBeUndefined()
    expect(page.pages[1].probes.a11y).toBeDefined()
  })

  it('pages behind a login are skipped without a session and visited with one (cookies and headers)', async () => {
    const manifest = {file: 'sjt.yaml', dir: tmp, format: 'yaml', positions: {}, keys: {}, data: {app: {entry: `${server.url}/m/`}, services: [{path: '/withdraw.html', name: '提取', auth: 'required'}]}}
    const without = await gather({}, {artifacts: {manifest}})
    expect(without.page.pages.map((p) => [p.role, p.skipped ? 'skipped' : 'visited'])).toEqual([['entry', 'visited'], ['service', 'skipped']])
    const doc = await audit(without.page, without.options, ['a11y'], {manifest})
    expect(doc.findings.filter((f) => f.location?.url?.endsWith('withdraw.html')).map((f) => f.status)).toEqual(['not-applicable', 'not-applicable', 'not-applicable', 'not-applicable'])

    const seen: string[] = []
    const authServer = await serveEcho(seen)
    try {
      const m2 = {file: 'sjt.yaml', data: {app: {entry: `${authServer.url}/`}, services: [{path: '/private', auth: 'required'}]}}
      const auth = {cookies: [{name: 'sid', value: 'abc', url: authServer.url}], headers: {'X-Sjt-Test': 'yes'}, close: async () => undefined}
      const shared = new Map<string, {close(): Promise<void>}>([['browser', session as unknown as {close(): Promise<void>}], ['auth', auth]])
      const withAuth = await gather({}, {artifacts: {manifest: m2}, shared})
      expect(withAuth.page.pages.map((p) => p.status)).toEqual([200, 200])
      expect(seen).toContain('/private sid=abc yes')
    } finally {
      await authServer.close()
    }
  })

  it('no browser: exit 3 naming what to install', async () => {
    const r = await sjt(['check', 'a11y', '--url', `${server.url}/m/`, '--chrome-path', '/nonexistent/chrome', '--out', tmp])
    expect(r.code).toBe(3)
    expect(r.stdout + r.stderr).toMatch(/apt-get install -y chromium/)
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/)
  })

  /** Starts `sjt check a11y` on a page that never loads; resolves once its browser is up. */
  async function startHung(): Promise<{child: ReturnType<typeof spawn>; pids: number[]; profile: string}> {
    const child = spawn(process.execPath, [BIN, 'check', 'a11y', '--url', `${server.url}/hang`, '--timeout', '60', '--out', tmp], {cwd: ROOT, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
    let err = ''
    child.stderr!.on('data', (d) => (err += d))
    let profile = ''
    const browsers = (): number[] =>
      processes()
        .filter((p) => p.ppid === child.pid && p.cmdline.includes('sjt-chrome-'))
        .map((p) => {
          profile = /--user-data-dir=([^\0]+)/.exec(p.cmdline)?.[1] ?? ''
          return p.pid
        })
    let pids: number[] = []
    // Generous: on a loaded machine the browser may take a minute to come up.
    for (let i = 0; i < 450 && pids.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200))
      if (/page entry/.test(err)) pids = browsers()
    }
    return {child, pids, profile}
  }
  const alive = (pids: number[]) => pids.filter((p) => existsSync(`/proc/${p}`) && !readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z '))

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: the browser does not outlive sjt and its temp profile is removed', async (signal, code) => {
    const {child, pids, profile} = await startHung()
    expect(pids.length).toBeGreaterThan(0)
    expect(profile).toMatch(/sjt-chrome-/)
    const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)))
    child.kill(signal)
    expect(await exited).toBe(code)
    await new Promise((r) => setTimeout(r, 300))
    expect(alive(pids)).toEqual([])
    // Removed by sjt itself before it exits (the watchdog would take a second or more).
    expect(existsSync(profile)).toBe(false)
  }, 180_000)

  it('kill -9 (no handler runs): the watchdog ends the browser and removes its profile', async () => {
    const {child, pids, profile} = await startHung()
    expect(pids.length).toBeGreaterThan(0)
    expect(profile).toMatch(/sjt-chrome-/)
    const exited = new Promise<string | null>((r) => child.on('close', (_code, signal) => r(signal)))
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    // The watchdog polls once a second.
    for (let i = 0; i < 50 && (alive(pids).length > 0 || existsSync(profile)); i++) await new Promise((r) => setTimeout(r, 200))
    expect(alive(pids)).toEqual([])
    expect(existsSync(profile)).toBe(false)
  }, 180_000)
})

/** A server whose /private answers 403 unless the cookie and header of the login session arrive. */
async function serveEcho(seen: string[]): Promise<TestServer> {
  const http = await import('node:http')
  const page = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body><main><h1>办事</h1></main></body></html>'
  const s = http.createServer((req, res) => {
    const cookie = /sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1] ?? ''
    seen.push(`${req.url} sid=${cookie} ${req.headers['x-sjt-test'] ?? ''}`)
    if (req.url === '/private' && cookie !== 'abc') res.writeHead(403).end('no')
    else res.writeHead(200, {'content-type': 'text/html; charset=utf-8'}).end(page)
  })
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const port = (s.address() as net.AddressInfo).port
  return {url: `http://127.0.0.1:${port}`, port, close: () => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))}
}

