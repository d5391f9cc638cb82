// The client against real servers on loopback: retries with the same Idempotency-Key through 5xx,
// 429 (Retry-After) and connections destroyed after the request was read; the outbox when the
// server cannot be reached; --flush. Every request the server accepted is checked against the
// OpenAPI contract.
import http from 'node:http'
import {existsSync, mkdtempSync, readdirSync} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {computeDigest} from '../../src/core/result.js'
import {ReviewClient, backoffMs, idempotencyKeyFor, retryAfterMs, verifyResult} from '../../src/review/client/client.js'
import {Outbox, flushOutbox, sendWithOutbox} from '../../src/review/client/outbox.js'
import {openSqliteStore} from '../../src/review/store-sqlite.js'
import type {Store} from '../../src/review/store.js'
import {makeTokens, startTestServer, variant, type TestServer, type Tokens} from './helpers.js'

let store: Store
let srv: TestServer
let tk: Tokens
let v = 0
const fast = {baseDelayMs: 20, maxDelayMs: 200, lang: 'en' as const}

/** A front that reads each request, then either answers itself, forwards, or destroys the socket. */
async function front(decide: (n: number) => 'forward' | 'forward-then-drop' | 'drop' | {status: number; headers?: Record<string, string>}): Promise<{url: string; seen: () => number; close: () => void}> {
  let n = 0
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const what = decide(++n)
    if (what === 'drop') {
      req.socket.destroy()
      return
    }
    if (typeof what === 'object') {
      res.writeHead(what.status, {'Content-Type': 'application/problem+json', ...what.headers})
      res.end(JSON.stringify({type: 'https://sjt.example/problems/internal', title: 'x', status: what.status}))
      return
    }
    const headers: Record<string, string> = {}
    for (const [k, val] of Object.entries(req.headers)) if (typeof val === 'string' && k !== 'host' && k !== 'connection') headers[k] = val
    const r = await fetch(srv.url + req.url, {method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined})
    const body = Buffer.from(await r.arrayBuffer())
    if (what === 'forward-then-drop') {
      // The server has committed and answered; the client never hears it.
      req.socket.destroy()
      return
    }
    res.writeHead(r.status, Object.fromEntries([...r.headers].filter(([k]) => k !== 'content-length' && k !== 'connection' && k !== 'keep-alive' && k !== 'transfer-encoding')))
    res.end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as net.AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    seen: () => n,
    close: () => {
      server.close()
      server.closeAllConnections()
    },
  }
}

async function deadUrl(): Promise<string> {
  const s = net.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const port = (s.address() as net.AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return `http://127.0.0.1:${port}`
}

const redigest = (d: any) => ((d.digest = {alg: 'sha256', value: computeDigest(d)}), d)

const records = async (appId: string) => (await store.listSubmissions({appId, limit: 100, offset: 0})).length

beforeAll(async () => {
  store = await openSqliteStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-client-')), 'review.db'))
  tk = await makeTokens(store)
  srv = await startTestServer(store)
})

afterAll(async () => {
  await srv?.close()
})

describe('retries', () => {
  it('a server that destroys the connection after reading (and committing) the request: exactly one record', async () => {
    const appId = `drop-${++v}`
    const f = await front((n) => (n <= 2 ? 'forward-then-drop' : 'forward'))
    try {
      const retries: string[] = []
      const client = new ReviewClient({server: f.url, token: tk.submitter, ...fast, onRetry: (i) => retries.push(i.reason)})
      const doc = variant({appId})
      const r = await client.submit(doc, idempotencyKeyFor(doc))
      expect(r.status).toBe(201)
      expect(r.headers.get('idempotent-replayed')).toBe('true')
      expect(retries.length).toBe(2)
      expect(f.seen()).toBe(3)
      expect(await records(appId)).toBe(1)
    } finally {
      f.close()
    }
  })

  it('a connection destroyed before the server saw it: retried, one record', async () => {
    const appId = `drop-${++v}`
    const f = await front((n) => (n === 1 ? 'drop' : 'forward'))
    try {
      const doc = variant({appId})
      const r = await new ReviewClient({server: f.url, token: tk.submitter, ...fast}).submit(doc, idempotencyKeyFor(doc))
      expect(r.status).toBe(201)
      expect(await records(appId)).toBe(1)
    } finally {
      f.close()
    }
  })

  it('5xx is retried with the same key; 4xx is not', async () => {
    const f = await front((n) => (n <= 2 ? {status: 503} : 'forward'))
    try {
      const appId = `retry-${++v}`
      const doc = variant({appId})
      const client = new ReviewClient({server: f.url, token: tk.submitter, ...fast})
      const r = await client.submit(doc, 'k-503')
      expect(r.status).toBe(201)
      expect(f.seen()).toBe(3)
      expect(srv.exchanges.filter((x) => x.requestHeaders['idempotency-key'] === 'k-503').length).toBe(1)
      const before = f.seen()
      const bad = await client.submit({...doc, verdict: 'nope'}, 'k-422')
      expect(bad.status).toBe(422)
      expect(f.seen()).toBe(before + 1)
    } finally {
      f.close()
    }
  })

  it('429 waits at least Retry-After', async () => {
    const f = await front((n) => (n === 1 ? {status: 429, headers: {'Retry-After': '1'}} : 'forward'))
    try {
      const doc = variant({appId: `rl-${++v}`})
      const t0 = Date.now()
      const r = await new ReviewClient({server: f.url, token: tk.submitter, ...fast}).submit(doc, idempotencyKeyFor(doc))
      expect(r.status).toBe(201)
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1000)
    } finally {
      f.close()
    }
  })

  it('backoff is exponential with full jitter; Retry-After reads seconds and dates', () => {
    expect(backoffMs(0, 500, 15_000, () => 1)).toBe(500)
    expect(backoffMs(3, 500, 15_000, () => 1)).toBe(4000)
    expect(backoffMs(10, 500, 15_000, () => 1)).toBe(15_000)
    expect(backoffMs(3, 500, 15_000, () => 0)).toBe(0)
    const draws = Array.from({length: 200}, () => backoffMs(2, 500, 15_000))
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...draws)).toBeLessThanOrEqual(2000)
    expect(new Set(draws).size).toBeGreaterThan(50)
    expect(retryAfterMs('3')).toBe(3000)
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000)
    expect(retryAfterMs('soon')).toBeNull()
    expect(retryAfterMs(null)).toBeNull()
  })
})

describe('outbox', () => {
  it('unreachable: kept in the outbox; --flush sends it once; a second flush has nothing to send', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-outbox-')), 'outbox')
    const outbox = new Outbox(dir)
    const appId = `ob-${++v}`
    const doc = variant({appId})
    const o = await sendWithOutbox(doc, {server: await deadUrl(), token: tk.submitter, ...fast, retries: 2, outbox})
    expect(o.kind).toBe('unreachable')
    if (o.kind !== 'unreachable') return
    expect(o.outboxFile && existsSync(o.outboxFile)).toBeTruthy()
    expect(outbox.list().map((e) => e.entry.key)).toEqual([idempotencyKeyFor(doc)])
    const sent = await flushOutbox(outbox, {server: srv.url, token: tk.submitter, ...fast})
    expect(sent.map((s) => s.outcome.kind)).toEqual(['received'])
    expect(outbox.list()).toEqual([])
    expect(await records(appId)).toBe(1)
    expect(await flushOutbox(outbox, {server: srv.url, token: tk.submitter, ...fast})).toEqual([])
  })

  it('a submission that reached the server before every answer was lost is not recorded twice by the flush', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-outbox-')), 'outbox')
    const outbox = new Outbox(dir)
    const appId = `ob-${++v}`
    const doc = variant({appId})
    const f = await front(() => 'forward-then-drop')
    try {
      const o = await sendWithOutbox(doc, {server: f.url, token: tk.submitter, ...fast, retries: 1, outbox})
      expect(o.kind).toBe('unreachable')
    } finally {
      f.close()
    }
    expect(await records(appId)).toBe(1)
    const sent = await flushOutbox(outbox, {server: srv.url, token: tk.submitter, ...fast})
    expect(sent[0].outcome).toMatchObject({kind: 'received', replayed: true})
    expect(await records(appId)).toBe(1)
  })

  it('a flushed entry the server refuses is set aside, not sent again', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-outbox-')), 'outbox')
    const outbox = new Outbox(dir)
    const doc = variant({appId: `ob-${++v}`})
    doc.verdict = doc.verdict === 'pass' ? 'fail' : 'pass' // digest no longer matches
    outbox.put({version: 1, key: 'k-bad', server: srv.url, file: null, appId: doc.app.id, createdAt: new Date().toISOString(), attempts: 1, lastError: null, document: doc})
    const sent = await flushOutbox(outbox, {token: tk.submitter, ...fast})
    expect(sent[0].outcome).toMatchObject({kind: 'refused', status: 422})
    expect(outbox.list()).toEqual([])
    expect(readdirSync(path.join(dir, 'refused'))).toEqual(['k-bad.json'])
  })
})

describe('a result too large for the server', () => {
  it('over the limit the server publishes: not sent, not kept in the outbox, and an older outbox entry of it is dropped', async () => {
    const small = await startTestServer(store, {maxBodyBytes: 64 * 1024})
    try {
      const outbox = new Outbox(path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-outbox-')), 'outbox'))
      const doc = variant({appId: `big-${++v}`, pad: 100 * 1024})
      outbox.put({version: 1, key: idempotencyKeyFor(doc), server: small.url, file: null, appId: doc.app.id, createdAt: new Date().toISOString(), attempts: 1, lastError: 'earlier', document: doc})
      const o = await sendWithOutbox(doc, {server: small.url, token: tk.submitter, ...fast, outbox, file: 'result.json'})
      expect(o).toMatchObject({kind: 'too-large', limit: 64 * 1024})
      if (o.kind !== 'too-large') return
      expect(o.size).toBeGreaterThan(100 * 1024)
      expect(o.message).toMatch(/^result\.json is \d+ bytes, over the server's body limit of 65536 bytes; not sent and not kept in the outbox/)
      expect(small.exchanges.filter((x) => x.method === 'POST')).toEqual([])
      expect(outbox.list()).toEqual([])
      expect(small.violations).toEqual([])
    } finally {
      small.server.close()
      small.server.closeAllConnections()
    }
  })

  it('answered 413 by a server that publishes no limit: refused, never queued; a flushed one is set aside', async () => {
    const f = await front(() => ({status: 413}))
    try {
      const outbox = new Outbox(path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-outbox-')), 'outbox'))
      const doc = variant({appId: `big-${++v}`})
      const o = await sendWithOutbox(doc, {server: f.url, token: tk.submitter, ...fast, outbox})
      expect(o).toMatchObject({kind: 'too-large', limit: null})
      expect(outbox.list()).toEqual([])
      outbox.put({version: 1, key: 'k-big', server: f.url, file: null, appId: doc.app.id, createdAt: new Date().toISOString(), attempts: 1, lastError: null, document: doc})
      const sent = await flushOutbox(outbox, {token: tk.submitter, ...fast})
      expect(sent[0].outcome.kind).toBe('too-large')
      expect(outbox.list()).toEqual([])
      expect(readdirSync(path.join(outbox.dir, 'refused'))).toEqual(['k-big.json'])
    } finally {
      f.close()
    }
  })

  it('a server that closes the connection on a body over the published default (EPIPE / ECONNRESET): too large, not queued', async () => {
    const server = http.createServer((req, res) => {
      if (req.method === 'GET') {
        res.writeHead(404).end()
        return
      }
      // Refuses at the headers and closes while the body is still going out.
      req.socket.destroy()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    try {
      const outbox = new Outbox(path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-outbox-')), 'outbox'))
      const doc = variant({appId: `big-${++v}`, pad: 6 * 1024 * 1024})
      const o = await sendWithOutbox(doc, {server: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, token: tk.submitter, ...fast, retries: 1, outbox})
      expect(o.kind).toBe('too-large')
      expect(outbox.list()).toEqual([])
    } finally {
      server.close()
      server.closeAllConnections()
    }
  })
})

describe('verification before sending', () => {
  it('passes the sample result and names what is wrong with a tampered one', () => {
    expect(verifyResult(variant())).toEqual([])
    const t = variant()
    t.findings[0].message = 'changed'
    expect(verifyResult(t).map((r) => r.pointer)).toEqual(['/digest/value'])
    const s = variant()
    delete s.app
    expect(verifyResult(s).length).toBeGreaterThan(0)
    // A verdict the findings do not give (digest recomputed): refused before sending.
    const lie = variant({fail: true})
    lie.verdict = 'pass'
    expect(verifyResult(redigest(lie)).map((r) => r.pointer)).toContain('/verdict')
    // 20,000 levels of nesting: refused with a reason, no stack overflow (sjt submit exits 1, not 70).
    const d = variant()
    d.metrics.deep = 'DEEP'
    const deep = JSON.parse(JSON.stringify(d).replace('"DEEP"', '['.repeat(20_000) + ']'.repeat(20_000)))
    expect(verifyResult(deep)[0].message).toMatch(/deeper than 200 levels/)
  })

  it('the requests the client sent fit the contract', () => {
    expect(srv.violations).toEqual([])
  })
})
