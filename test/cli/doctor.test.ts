// `sjt doctor`: what it finds on this machine, what it says when something is missing, and the
// review-server and token checks against a server on loopback that answers like the review API.
import {spawn, type ChildProcess} from 'node:child_process'
import {createServer, type Server} from 'node:http'
import {mkdtempSync, writeFileSync, existsSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, json, sjt} from '../helpers/cli'
import {sjtIn} from '../helpers/run'
import {checkNode, osFamily} from '../../src/core/doctor'

const TOKEN = 'sjt_test_token_0123456789'
let server: Server
let base = ''
let healthStatus = 200
const seen: Array<{url: string; auth?: string}> = []

beforeAll(async () => {
  // Answers the two endpoints doctor calls, as spec/review-api.md describes them.
  server = createServer((req, res) => {
    seen.push({url: req.url ?? '', auth: req.headers.authorization})
    if (req.url === '/healthz') {
      res.writeHead(healthStatus, {'content-type': 'application/json'})
      res.end(JSON.stringify({ok: healthStatus === 200}))
      return
    }
    if (req.url === '/v1/apps') {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, {'content-type': 'application/problem+json'})
        res.end(JSON.stringify({type: 'about:blank', title: 'unauthorized', status: 401}))
        return
      }
      res.writeHead(200, {'content-type': 'application/json'})
      res.end(JSON.stringify({items: []}))
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address() as {port: number}
  base = `http://127.0.0.1:${addr.port}`
})

afterAll(async () => {
  await new Promise((r) => server.close(r))
})

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({SJT_SERVER: '', SJT_TOKEN: '', CHROME_PATH: '', ...extra})
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'sjt-doctor-'))

describe('sjt doctor', () => {
  it('finds Node, the browser and its version, and a writable reports folder here', async () => {
    const cwd = tmp()
    const r = await sjt(['doctor', '--json', '--lang', 'en'], {cwd, env: env()})
    const doc = json(r)
    const by = Object.fromEntries(doc.checks.map((c: any) => [c.id, c]))
    expect(by.node.status).toBe('ok')
    expect(by.node.details.version).toBe(process.version)
    expect(by.chrome.status).toBe('ok')
    expect(by.chrome.details.version).toMatch(/(Chromium|Chrome)\S* \d+\.\d+/)
    expect(existsSync(by.chrome.details.path)).toBe(true)
    expect(by.out.status).toBe('ok')
    expect(by.server.status).toBe('skip')
    expect(r.code).toBe(0)
    expect(doc.ok).toBe(true)
    expect(r.stderr).toBe('')
  })

  it('says exactly what to install when there is no browser, and exits 3', async () => {
    const missing = path.join(tmp(), 'no-such-chrome')
    const r = await sjtIn(['doctor', '--lang', 'en'], {cwd: tmp(), env: env({CHROME_PATH: missing})})
    expect(r.code).toBe(3)
    const line = r.stdout.split('\n').find((l) => l.includes('Browser'))!
    expect(line).toContain('✖')
    expect(line).toContain(missing)
    const fix = r.stdout.split('\n')[r.stdout.split('\n').indexOf(line) + 1]
    expect(fix.trim().startsWith('→')).toBe(true)
    const family = osFamily()
    const expected: Record<string, string> = {debian: 'apt-get install -y chromium', ubuntu: 'snap install chromium', alpine: 'apk add chromium', fedora: 'dnf install -y chromium'}
    if (expected[family]) expect(fix).toContain(expected[family])
    expect(fix).toContain('CHROME_PATH')
    expect(r.stdout).toMatch(/1 problem/)
  })

  it('says it in Chinese by default', async () => {
    const r = await sjtIn(['doctor'], {cwd: tmp(), env: env({CHROME_PATH: '/nonexistent/chrome', LANG: 'zh_CN.UTF-8'})})
    expect(r.code).toBe(3)
    expect(r.stdout).toContain('浏览器')
    expect(r.stdout).toContain('该文件不存在')
    expect(r.stdout).toMatch(/安装 Chromium/)
  })

  it('reports a reports folder it cannot write to', async () => {
    const dir = tmp()
    const file = path.join(dir, 'a-file')
    writeFileSync(file, 'x')
    const r = await sjtIn(['doctor', '--json', '--out', path.join(file, 'reports')], {cwd: dir, env: env()})
    expect(r.code).toBe(3)
    const out = json(r).checks.find((c: any) => c.id === 'out')
    expect(out.status).toBe('fail')
    expect(out.fix).toContain('--out')
  })

  it('accepts a reports folder that does not exist yet under a writable one', async () => {
    const dir = tmp()
    const r = await sjtIn(['doctor', '--json', '--out', 'deep/new/reports', '--lang', 'en'], {cwd: dir, env: env()})
    const out = json(r).checks.find((c: any) => c.id === 'out')
    expect(out.status).toBe('ok')
    expect(out.summary).toContain('will be created')
    expect(existsSync(path.join(dir, 'deep'))).toBe(false)
  })

  it('checks the review server and a valid token (GET /healthz, authenticated GET /v1/apps)', async () => {
    seen.length = 0
    const r = await sjtIn(['doctor', '--json'], {cwd: tmp(), env: env({SJT_SERVER: base, SJT_TOKEN: TOKEN})})
    const by = Object.fromEntries(json(r).checks.map((c: any) => [c.id, c]))
    expect(by.server.status).toBe('ok')
    expect(by.token.status).toBe('ok')
    expect(r.code).toBe(0)
    expect(seen.map((s) => s.url)).toEqual(expect.arrayContaining(['/healthz', '/v1/apps']))
    expect(seen.find((s) => s.url === '/v1/apps')!.auth).toBe(`Bearer ${TOKEN}`)
    // The token is never printed.
    expect(r.stdout + r.stderr).not.toContain(TOKEN)
  })

  it('exits 3 when the token is refused, and says what to do', async () => {
    const r = await sjtIn(['doctor', '--server', base, '--lang', 'en'], {cwd: tmp(), env: env({SJT_TOKEN: 'wrong'})})
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/token was refused \(HTTP 401\)/)
    expect(r.stdout).toMatch(/→ .*token create/)
  })

  it('warns (exit 0) when a server is set but no token', async () => {
    const r = await sjtIn(['doctor', '--json', '--server', base], {cwd: tmp(), env: env()})
    const tok = json(r).checks.find((c: any) => c.id === 'token')
    expect(tok.status).toBe('warn')
    expect(tok.fix).toContain('SJT_TOKEN')
    expect(r.code).toBe(0)
  })

  it('exits 3 when the server is unhealthy or unreachable', async () => {
    healthStatus = 503
    try {
      const r = await sjtIn(['doctor', '--json', '--server', base], {cwd: tmp(), env: env({SJT_TOKEN: TOKEN})})
      const by = Object.fromEntries(json(r).checks.map((c: any) => [c.id, c]))
      expect(by.server.status).toBe('fail')
      expect(by.server.summary).toContain('503')
      expect(by.token.status).toBe('skip')
      expect(r.code).toBe(3)
    } finally {
      healthStatus = 200
    }
    // A port nothing listens on: bind one, note it, close it.
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const port = (probe.address() as {port: number}).port
    await new Promise((r) => probe.close(r))
    const r = await sjtIn(['doctor', '--lang', 'en', '--server', `http://127.0.0.1:${port}`], {cwd: tmp(), env: env()})
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/unreachable \(--server\): ECONNREFUSED/)
  })

  it('reads server and token from sjt.config.yaml (token as ${ENV})', async () => {
    const dir = tmp()
    writeFileSync(path.join(dir, 'sjt.config.yaml'), `server: ${base}\ntoken: \${MY_REVIEW_TOKEN}\n`)
    const ok = await sjtIn(['doctor', '--json'], {cwd: dir, env: env({MY_REVIEW_TOKEN: TOKEN})})
    const by = Object.fromEntries(json(ok).checks.map((c: any) => [c.id, c]))
    expect(by.server.status).toBe('ok')
    expect(by.token.status).toBe('ok')
    const unset = await sjtIn(['doctor', '--json', '--lang', 'en'], {cwd: dir, env: env()})
    const tok = json(unset).checks.find((c: any) => c.id === 'token')
    expect(tok.status).toBe('warn')
    expect(tok.summary).toContain('MY_REVIEW_TOKEN')
  })

  it('refuses a server address that is not a URL with exit 2', async () => {
    const r = await sjtIn(['doctor', '--server', 'review.example'], {cwd: tmp(), env: env()})
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2)
  })

  it('judges the Node version (≥ 20)', () => {
    expect(checkNode('en', 'v20.0.0').status).toBe('ok')
    const old = checkNode('en', 'v18.19.1')
    expect(old.status).toBe('fail')
    expect(old.fix).toMatch(/Node\.js 20/)
  })

  it('picks the install command from the system', () => {
    expect(osFamily('linux', {ID: 'debian'})).toBe('debian')
    expect(osFamily('linux', {ID: 'ubuntu', ID_LIKE: 'debian'})).toBe('ubuntu')
    expect(osFamily('linux', {ID: 'kylin', ID_LIKE: 'rhel fedora'})).toBe('fedora')
    expect(osFamily('darwin', {})).toBe('darwin')
  })
})

describe('sjt doctor against the reference review server (sjt review-server)', () => {
  let child: ChildProcess | undefined
  let url = ''
  let db = ''

  beforeAll(async () => {
    db = path.join(tmp(), 'review.db')
    child = spawn(process.execPath, [BIN, 'review-server', '--db', db, '--port', '0', '--lang', 'en'], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, SJT_DATABASE_URL: ''}})
    url = await new Promise<string>((resolve, reject) => {
      let buf = ''
      const timer = setTimeout(() => reject(new Error(`review-server did not start: ${buf}`)), 30_000)
      child!.stdout!.on('data', (d) => {
        buf += d
        const m = /^(https?:\/\/\S+)$/m.exec(buf)
        if (m) {
          clearTimeout(timer)
          resolve(m[1])
        }
      })
      child!.on('exit', (code) => reject(new Error(`review-server exited ${code}: ${buf}`)))
    })
  })

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child!.once('exit', r))
      child.kill('SIGTERM')
      await gone
    }
  })

  it('accepts a token the server issued and refuses one it did not', async () => {
    const created = await sjtIn(['review-server', 'token', 'create', '--db', db, '--role', 'auditor', '--lang', 'en'], {env: {SJT_DATABASE_URL: ''}})
    expect(created.code, created.stderr).toBe(0)
    const token = created.stdout.trim().split('\n').pop()!
    const ok = await sjtIn(['doctor', '--json', '--server', url], {cwd: tmp(), env: env({SJT_TOKEN: token})})
    const by = Object.fromEntries(json(ok).checks.map((c: any) => [c.id, c]))
    expect(by.server.status).toBe('ok')
    expect(by.token.status).toBe('ok')
    expect(ok.code).toBe(0)
    const bad = await sjtIn(['doctor', '--json', '--server', url], {cwd: tmp(), env: env({SJT_TOKEN: token.slice(0, -4) + 'xxxx'})})
    expect(json(bad).checks.find((c: any) => c.id === 'token').status).toBe('fail')
    expect(bad.code).toBe(3)
  })
})
