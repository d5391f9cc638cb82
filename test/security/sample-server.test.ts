// The sample app's demo server as a process: prints its base URL and CA, serves the site under
// /m/ and the API under /api with the security headers, never serves files outside the site.
import {spawn, type ChildProcess} from 'node:child_process'
import https from 'node:https'
import path from 'node:path'
import {readFileSync} from 'node:fs'
import {afterAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/cli.js'
import {makePki} from './pki.js'

const SERVER = path.join(ROOT, 'fixtures/apps/sample/server/index.js')
const children: ChildProcess[] = []

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
})

function start(args: string[]): Promise<{child: ChildProcess; lines: string[]}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, ...args], {stdio: ['ignore', 'pipe', 'pipe']})
    children.push(child)
    let out = ''
    const timer = setTimeout(() => reject(new Error('server did not start')), 20_000)
    child.stdout!.on('data', (d) => {
      out += d
      const lines = out.split('\n').filter(Boolean)
      const want = args.includes('--cert') ? 1 : 2
      if (lines.length >= want) {
        clearTimeout(timer)
        resolve({child, lines})
      }
    })
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)))
  })
}

function get(url: string, ca: string, method = 'GET'): Promise<{status: number; headers: Record<string, any>; body: string}> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {ca, method}, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body}))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('sample demo server', () => {
  it('generates a CA, prints the base URL and the CA, and serves site and API with the security headers', async () => {
    const {child, lines} = await start(['--port', '0'])
    const url = lines[0]
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/)
    const caFile = lines[1].replace(/^CA: /, '')
    const ca = readFileSync(caFile, 'utf8')
    const page = await get(url + 'm/', ca)
    expect(page.status).toBe(200)
    expect(page.body).toContain('隐私政策')
    expect(page.headers['strict-transport-security']).toMatch(/max-age=31536000/)
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/)
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers.server).toBeUndefined()
    const health = await get(url + 'api/healthz', ca)
    expect(JSON.parse(health.body)).toMatchObject({code: '0', message: 'ok'})
    expect(health.headers['strict-transport-security']).toBeDefined()
    expect((await get(url + 'm/%2e%2e/sjt.yaml', ca)).status).toBe(404)
    expect((await get(url + 'm/../server/api.js', ca)).status).toBe(404)
    expect((await get(url + 'm/.env', ca)).status).toBe(404)
    expect((await get(url + 'm/elder', ca)).status).toBe(301)
    expect((await get(url, ca)).headers.location).toBe('/m/')
    expect((await get(url + 'm/', ca, 'HEAD')).status).toBe(200)
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  })

  it('uses a certificate given with --cert/--key and prints no CA', async () => {
    const pki = makePki()
    try {
      const dir = pki.dir
      const {child, lines} = await start(['--port', '0', '--https', '--cert', path.join(dir, 'leaf.pem'), '--key', path.join(dir, 'leaf.key')])
      expect(lines).toHaveLength(1)
      expect((await get(lines[0] + 'm/privacy.html', pki.ca)).status).toBe(200)
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    } finally {
      pki.cleanup()
    }
  })

  it('refuses bad arguments with exit 2', async () => {
    const child = spawn(process.execPath, [SERVER, '--port', 'x'], {stdio: ['ignore', 'pipe', 'pipe']})
    let err = ''
    child.stderr!.on('data', (d) => (err += d))
    const code = await new Promise((r) => child.once('exit', r))
    expect(code).toBe(2)
    expect(err).toMatch(/--port must be 0…65535\nusage:/)
  })
})
