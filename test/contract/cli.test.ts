// `sjt check contract` as a user runs it: the unreachable API base spawns the built CLI, the sample
// runs in-process (test/helpers/run.ts).
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
// @ts-expect-error plain ESM without types
import {handleApi} from '../../fixtures/apps/sample/server/api.js'
import {json, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'
import {appWith, FIXTURES} from './helpers.js'

let server: http.Server
let apiBase = ''
beforeAll(async () => {
  server = http.createServer((req, res) => void handleApi(req, res, '/api'))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('sjt check contract', () => {
  it('passes the sample app (static rules and the live probe of its local API) and exits 0', async () => {
    const r = await sjtIn(['check', 'contract', 'fixtures/apps/sample', '--json', '--api-base', apiBase, '--probe-requests', '2'])
    expect(r.code, r.stderr).toBe(0)
    const doc = json(r)
    expect(doc.categories.contract.status).toBe('pass')
    expect(doc.inputs.contract).toMatch(/openapi\.yaml$/)
    const rules = new Set(doc.findings.filter((f: any) => f.status === 'pass').map((f: any) => f.ruleId))
    for (const id of ['API-001', 'API-002', 'API-003', 'API-004', 'API-005', 'API-006', 'API-007', 'API-008', 'API-009', 'API-010']) expect(rules.has(id), id).toBe(true)
    expect(doc.metrics.apiprobe.operations['GET /healthz'].n).toBe(2)
  })

  it('a failing contract exits 1 and names the rule, file and line', async () => {
    const r = await sjt(['check', 'contract', appWith(`${FIXTURES}/../rules/API-002/fail-enum-dropped.openapi.yaml`), '--json', '--api-base', 'http://127.0.0.1:1'])
    expect(r.code).toBe(1)
    const f = json(r).findings.find((x: any) => x.ruleId === 'API-002' && x.status === 'fail')
    expect(f.location).toMatchObject({pointer: '/components/schemas/Case/properties/status'})
    expect(f.location.line).toBeGreaterThan(1)
  })
})
