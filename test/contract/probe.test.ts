// The live probe (API-009, API-010) against real loopback servers: the sample app's API, and a
// server whose answers break the contract in known ways.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {stringify} from 'yaml'
// @ts-expect-error plain ESM without types
import {handleApi} from '../../fixtures/apps/sample/server/api.js'
import {checkContract, of, SAMPLE} from './helpers.js'

const envelope = (data: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  required: ['code', 'message', 'data'],
  properties: {code: {type: 'string'}, message: {type: 'string'}, data: {type: 'object', required, properties: data}},
})
const op = (id: string, schema: unknown) => ({
  get: {operationId: id, summary: id, responses: {'200': {description: 'ok', content: {'application/json': {schema}}}, '500': {description: 'error'}}},
})

/** Contract of the misbehaving server. */
const contract = {
  openapi: '3.1.0',
  info: {title: 'probe fixture', version: '1'},
  servers: [{url: 'https://api.example.gov.cn/api'}],
  paths: {
    '/good': op('good', envelope({count: {type: 'integer'}}, ['count'])),
    '/wrong-type': op('wrongType', envelope({count: {type: 'integer'}}, ['count'])),
    '/no-envelope': op('noEnvelope', envelope({status: {type: 'string'}}, ['status'])),
    '/boom': op('boom', envelope({}, [])),
    '/text': op('text', envelope({}, [])),
    '/slow': op('slow', envelope({}, [])),
    '/items/{id}': {
      parameters: [{name: 'id', in: 'path', required: true, schema: {type: 'string', pattern: '^[A-Z]{2}-[0-9]{4}$'}}],
      get: {
        operationId: 'item',
        summary: 'item',
        responses: {'200': {description: 'ok', content: {'application/json': {schema: envelope({id: {type: 'string', pattern: '^[A-Z]{2}-[0-9]{4}$'}}, ['id'])}}}},
      },
      post: {operationId: 'writeItem', summary: 'write', responses: {'200': {description: 'ok'}}},
    },
  },
}

const hits: string[] = []
let base = ''
let server: http.Server
let slowMs = 1500

function answer(res: http.ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, {'content-type': type})
  res.end(typeof body === 'string' ? body : JSON.stringify(body))
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`)
    const p = new URL(req.url!, 'http://x').pathname
    if (p === '/api/good') return answer(res, 200, {code: '0', message: 'ok', data: {count: 3}})
    if (p === '/api/wrong-type') return answer(res, 200, {code: '0', message: 'ok', data: {count: 'three'}})
    if (p === '/api/no-envelope') return answer(res, 200, {status: 'up'})
    if (p === '/api/boom') return answer(res, 500, {code: '500', message: 'internal', data: null})
    if (p === '/api/text') return answer(res, 200, 'ok', 'text/plain')
    if (p === '/api/slow') return void setTimeout(() => answer(res, 200, {code: '0', message: 'ok', data: {}}), slowMs)
    const m = /^\/api\/items\/([^/]+)$/.exec(p)
    if (m) return answer(res, 200, {code: '0', message: 'ok', data: {id: decodeURIComponent(m[1])}})
    answer(res, 404, {code: '404', message: 'none', data: null})
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

function contractFile(doc: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-probe-'))
  const f = path.join(dir, 'openapi.yaml')
  writeFileSync(f, stringify(doc))
  return f
}

const byOp = (findings: any[], rule: string) => Object.fromEntries(of(findings, rule).map((f) => [f.details?.key, f]))

describe('a server that breaks its contract', () => {
  it('each violation is a finding with the operation, the URL and a clear reason', async () => {
    slowMs = 1500
    hits.length = 0
    const {findings, doc} = await checkContract(contractFile(contract), {apiBase: base, timeoutMs: 700, probeRequests: 2})
    const r = byOp(findings, 'API-009')
    expect(r['GET /good'].status).toBe('pass')
    expect(r['GET /wrong-type']).toMatchObject({status: 'fail'})
    expect(r['GET /wrong-type'].message).toMatch(/\/data\/count must be integer/)
    expect(r['GET /no-envelope'].status).toBe('fail')
    expect(r['GET /no-envelope'].message).toMatch(/missing "code"/)
    expect(r['GET /boom'].status).toBe('fail')
    expect(r['GET /boom'].message).toMatch(/500/)
    expect(r['GET /text'].status).toBe('fail')
    expect(r['GET /text'].message).toMatch(/text\/plain/)
    expect(r['GET /slow'].status).toBe('error')
    expect(r['GET /slow'].message).toMatch(/700 ms \(timeout\)/)
    // the path parameter was synthesised from its pattern
    expect(r['GET /items/{id}'].status).toBe('pass')
    expect(r['GET /items/{id}'].location.url).toMatch(/\/api\/items\/[A-Z]{2}-\d{4}$/)
    expect(r['GET /good'].location).toMatchObject({url: `${base}/good`})
    expect(r['GET /good'].location.line).toBeGreaterThan(0)
    // no write was sent without --probe-writes
    expect(hits.some((h) => !h.startsWith('GET '))).toBe(false)
    // latency lands in the result metrics
    expect((doc.metrics as any).apiprobe.operations['GET /good'].n).toBe(2)
  })

  it('API-010 fails an operation slower than the p95 limit', async () => {
    slowMs = 1100
    const {findings} = await checkContract(contractFile({...contract, paths: {'/slow': contract.paths['/slow'], '/good': contract.paths['/good']}}), {apiBase: base, timeoutMs: 5000, probeRequests: 1})
    const r = byOp(findings, 'API-010')
    expect(r['GET /slow']).toMatchObject({status: 'fail', severity: 'warn'})
    expect(r['GET /good'].status).toBe('pass')
  })

  it('--probe-writes lets the probe send writes', async () => {
    hits.length = 0
    await checkContract(contractFile({...contract, paths: {'/items/{id}': contract.paths['/items/{id}']}}), {apiBase: base, probeRequests: 1, probeWrites: true})
    expect(hits.some((h) => h.startsWith('POST /api/items/'))).toBe(true)
  })
})

describe('network failures are findings of status error', () => {
  it('connection refused', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    const {findings, doc} = await checkContract(contractFile(contract), {apiBase: `http://127.0.0.1:${port}/api`})
    const f = of(findings, 'API-009')
    expect(f.every((x) => x.status === 'error' || x.status === 'not-applicable')).toBe(true)
    expect(f[0].message).toMatch(/refused the connection/)
    expect(doc.categories.contract?.status).not.toBe('error') // the static rules still judged
  })

  it('TLS: an untrusted certificate is an error; --ca makes it pass', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-tls-'))
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {stdio: 'ignore'})
    const tlsServer = https.createServer({key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem'))}, (req, res) => answer(res, 200, {code: '0', message: 'ok', data: {count: 1}}))
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r))
    const tlsBase = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}/api`
    try {
      const file = contractFile({...contract, paths: {'/good': contract.paths['/good']}})
      const untrusted = byOp((await checkContract(file, {apiBase: tlsBase, probeRequests: 1})).findings, 'API-009')
      expect(untrusted['GET /good'].status).toBe('error')
      expect(untrusted['GET /good'].message).toMatch(/TLS/)
      const trusted = byOp((await checkContract(file, {apiBase: tlsBase, probeRequests: 1, ca: path.join(dir, 'cert.pem')})).findings, 'API-009')
      expect(trusted['GET /good'].status).toBe('pass')
    } finally {
      await new Promise<void>((r) => tlsServer.close(() => r()))
    }
  })
})

describe('the sample app', () => {
  it('its API (server/api.js) passes the live probe of its contract', async () => {
    const s = http.createServer((req, res) => {
      if (!handleApi(req, res, '/api')) answer(res, 404, 'not here', 'text/plain')
    })
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
    try {
      const apiBase = `http://127.0.0.1:${(s.address() as AddressInfo).port}/api`
      const {findings, doc} = await checkContract(path.join(SAMPLE, 'openapi.yaml'), {apiBase, probeRequests: 3})
      const probe = of(findings, 'API-009')
      expect(probe.filter((f) => f.status === 'fail' || f.status === 'error')).toEqual([])
      expect(probe.filter((f) => f.status === 'pass').map((f) => f.details?.key).sort()).toEqual(['GET /healthz', 'GET /sso/callback'])
      // the secured case query needs a session, which the probe does not have yet
      expect(probe.find((f) => f.details?.key === 'GET /cases/{caseNo}')?.status).toBe('not-applicable')
      expect(of(findings, 'API-010').every((f) => f.status === 'pass')).toBe(true)
      expect(doc.verdict).toBe('pass')
    } finally {
      await new Promise<void>((r) => s.close(() => r()))
    }
  })

  it('the SSO callback sets an HttpOnly Secure SameSite cookie and rejects a wrong ticket', async () => {
    const s = http.createServer((req, res) => void handleApi(req, res, '/api'))
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
    try {
      const port = (s.address() as AddressInfo).port
      const ok = await fetch(`http://127.0.0.1:${port}/api/sso/callback?ticket=ST-demo-ticket`, {redirect: 'manual'})
      expect(ok.status).toBe(302)
      expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly; Secure; SameSite=Lax/)
      const cookie = ok.headers.get('set-cookie')!.split(';')[0]
      const c = await fetch(`http://127.0.0.1:${port}/api/cases/TY-GJJ-20261126-000123`, {headers: {cookie}})
      expect(c.status).toBe(200)
      expect((await c.json()).data.status).toBe('in-progress')
      const bad = await fetch(`http://127.0.0.1:${port}/api/sso/callback?ticket=nope`)
      expect(bad.status).toBe(401)
      expect(await bad.json()).toMatchObject({code: '401', data: null})
    } finally {
      await new Promise<void>((r) => s.close(() => r()))
    }
  })
})
