// Every role × endpoint × own/other department cell. "Own" is a resource of the submitter's
// department (12140100MB0123457K), "other" one of another department. Submitters get 404 for
// whatever is not theirs, whatever the role would allow; other roles get 403 where they may not.
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openSqliteStore} from '../../src/review/store-sqlite.js'
import type {Store} from '../../src/review/store.js'
import {OTHER_CODE, OWN_CODE, makeTokens, startTestServer, variant, type TestServer, type Tokens} from './helpers.js'

type Who = 'submitter' | 'reviewer' | 'auditor' | 'monitor' | 'anonymous'
type Side = 'own' | 'other'
const WHO: Who[] = ['submitter', 'reviewer', 'auditor', 'monitor', 'anonymous']

let store: Store
let srv: TestServer
let tk: Tokens
let n = 0

/** A fresh submission (and app) of one department, optionally approved, through the store. */
async function fresh(side: Side, approve = false): Promise<{id: string; appId: string}> {
  const code = side === 'own' ? OWN_CODE : OTHER_CODE
  const appId = `authz-${side}-${++n}`
  const doc = variant({appId, creditCode: code})
  const out = await store.createSubmission({
    scope: `submitter:${code}`,
    key: null,
    requestHash: doc.digest.value,
    appId,
    appName: doc.app.name,
    appVersion: doc.app.version,
    creditCode: code,
    regionCode: doc.app.regionCode,
    verdict: doc.verdict,
    digest: doc.digest.value,
    document: JSON.stringify(doc),
    entryUrl: null,
    elderUrl: null,
    healthUrl: null,
    actor: {role: 'submitter', tokenId: 'tok_setup'},
  })
  if (out.kind !== 'created') throw new Error(out.kind)
  if (approve) await store.decide(out.body.id, {decision: 'approve', comment: 'ok', override: false, actor: {role: 'reviewer', tokenId: 'tok_setup'}, at: new Date().toISOString()})
  return {id: out.body.id, appId}
}

interface Endpoint {
  name: string
  /** Expected status per role, for [own, other] (one number: the same for both). */
  expect: Record<Who, number | [number, number]>
  request(side: Side): Promise<{method: string; path: string; body?: unknown}>
  /** For lists: what an answer of 200 must (not) contain. */
  check?(body: any, who: Who, side: Side, ctx: {ownApp: string; otherApp: string}): void
}

const probe = {url: 'https://a.example/m/', kind: 'entry', ok: true, status: 200, latencyMs: 100, at: new Date().toISOString()}

const ENDPOINTS: Endpoint[] = [
  {
    name: 'POST /v1/submissions',
    expect: {submitter: [201, 403], reviewer: 403, auditor: 403, monitor: 403, anonymous: 401},
    request: async (side) => ({method: 'POST', path: '/v1/submissions', body: variant({appId: `authz-new-${side}-${++n}`, creditCode: side === 'own' ? OWN_CODE : OTHER_CODE})}),
  },
  {
    name: 'GET /v1/submissions',
    expect: {submitter: 200, reviewer: 200, auditor: 200, monitor: 403, anonymous: 401},
    request: async () => ({method: 'GET', path: '/v1/submissions?limit=1000'}),
    check(body, who, _side, ctx) {
      const apps = body.items.map((s: any) => s.appId)
      expect(apps).toContain(ctx.ownApp)
      if (who === 'submitter') expect(apps).not.toContain(ctx.otherApp)
      else expect(apps).toContain(ctx.otherApp)
    },
  },
  {
    name: 'GET /v1/submissions/{id}',
    expect: {submitter: [200, 404], reviewer: 200, auditor: 200, monitor: 403, anonymous: 401},
    request: async (side) => ({method: 'GET', path: `/v1/submissions/${(await fresh(side)).id}`}),
  },
  {
    name: 'GET /v1/submissions/{id}/document',
    expect: {submitter: [200, 404], reviewer: 200, auditor: 200, monitor: 403, anonymous: 401},
    request: async (side) => ({method: 'GET', path: `/v1/submissions/${(await fresh(side)).id}/document`}),
  },
  {
    name: 'POST /v1/submissions/{id}/decision',
    expect: {submitter: [403, 404], reviewer: 200, auditor: 403, monitor: 403, anonymous: 401},
    request: async (side) => ({method: 'POST', path: `/v1/submissions/${(await fresh(side)).id}/decision`, body: {decision: 'approve', comment: 'ok'}}),
  },
  {
    name: 'GET /v1/apps',
    expect: {submitter: 200, reviewer: 200, auditor: 200, monitor: 200, anonymous: 401},
    request: async () => ({method: 'GET', path: '/v1/apps?limit=1000'}),
    check(body, who, _side, ctx) {
      const apps = body.items.map((a: any) => a.appId)
      expect(apps).toContain(ctx.ownApp)
      if (who === 'submitter') expect(apps).not.toContain(ctx.otherApp)
      else expect(apps).toContain(ctx.otherApp)
    },
  },
  {
    name: 'GET /v1/apps/{appId}',
    expect: {submitter: [200, 404], reviewer: 200, auditor: 200, monitor: 200, anonymous: 401},
    request: async (side) => ({method: 'GET', path: `/v1/apps/${(await fresh(side)).appId}`}),
  },
  {
    name: 'POST /v1/apps/{appId}/actions',
    expect: {submitter: [403, 404], reviewer: 409, auditor: 403, monitor: 403, anonymous: 401},
    // A registered app cannot be published: reaching 409 proves the reviewer got through.
    request: async (side) => ({method: 'POST', path: `/v1/apps/${(await fresh(side)).appId}/actions`, body: {action: 'publish', reason: 'x'}}),
  },
  {
    name: 'POST /v1/apps/{appId}/actions (approved app)',
    expect: {submitter: [403, 404], reviewer: 200, auditor: 403, monitor: 403, anonymous: 401},
    request: async (side) => ({method: 'POST', path: `/v1/apps/${(await fresh(side, true)).appId}/actions`, body: {action: 'publish', reason: 'x'}}),
  },
  {
    name: 'GET /v1/apps/{appId}/history',
    expect: {submitter: [200, 404], reviewer: 200, auditor: 200, monitor: 403, anonymous: 401},
    request: async (side) => ({method: 'GET', path: `/v1/apps/${(await fresh(side)).appId}/history`}),
  },
  {
    name: 'GET /v1/apps/{appId}/rechecks',
    expect: {submitter: [200, 404], reviewer: 200, auditor: 200, monitor: 403, anonymous: 401},
    request: async (side) => ({method: 'GET', path: `/v1/apps/${(await fresh(side)).appId}/rechecks`}),
  },
  {
    name: 'POST /v1/apps/{appId}/events',
    expect: {submitter: [403, 404], reviewer: 201, auditor: 403, monitor: 201, anonymous: 401},
    request: async (side) => ({method: 'POST', path: `/v1/apps/${(await fresh(side)).appId}/events`, body: {events: [probe]}}),
  },
  {
    name: 'GET /v1/scores',
    expect: {submitter: 403, reviewer: 200, auditor: 200, monitor: 403, anonymous: 401},
    request: async () => ({method: 'GET', path: '/v1/scores'}),
  },
  {
    name: 'GET /metrics',
    expect: {submitter: 403, reviewer: 403, auditor: 200, monitor: 200, anonymous: 401},
    request: async () => ({method: 'GET', path: '/metrics'}),
    check(body) {
      expect(body).toMatch(/^sjt_submissions_total\{source="department"\} \d+$/m)
    },
  },
  {
    name: 'GET /healthz',
    expect: {submitter: 200, reviewer: 200, auditor: 200, monitor: 200, anonymous: 200},
    request: async () => ({method: 'GET', path: '/healthz'}),
  },
]

let ctx: {ownApp: string; otherApp: string}

beforeAll(async () => {
  store = await openSqliteStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-authz-')), 'review.db'))
  tk = await makeTokens(store)
  srv = await startTestServer(store)
  ctx = {ownApp: (await fresh('own', true)).appId, otherApp: (await fresh('other', true)).appId}
})

afterAll(async () => {
  await srv?.close()
})

describe('authorization matrix', () => {
  const cells: Array<[string, Who, Side]> = []
  for (const e of ENDPOINTS) for (const who of WHO) for (const side of ['own', 'other'] as Side[]) cells.push([e.name, who, side])

  it.each(cells)('%s as %s on the %s department', async (name, who, side) => {
    const e = ENDPOINTS.find((x) => x.name === name)!
    const want = e.expect[who]
    const status = Array.isArray(want) ? want[side === 'own' ? 0 : 1] : want
    const req = await e.request(side)
    const token = who === 'anonymous' ? null : who === 'submitter' ? tk.submitter : tk[who]
    const r = await srv.call(req.method, req.path, token, req.body)
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(status)
    if (status === 404) expect(r.body.type).toBe('https://sjt.example/problems/not-found')
    if (status === 200 && e.check) e.check(r.body, who, side, ctx)
  })

  it('covers every operation of the contract', async () => {
    const {loadContract} = await import('./contract.js')
    const ops = loadContract()
      .operations()
      .filter((o) => o !== 'GET /openapi.yaml')
    for (const o of ops) expect(ENDPOINTS.some((e) => e.name === o || e.name.startsWith(o + ' ')), o).toBe(true)
  })

  it('every answer fits the contract', () => {
    expect(srv.violations).toEqual([])
  })
})
