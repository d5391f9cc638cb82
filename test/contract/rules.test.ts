// Every static API rule on its passing and failing fixtures (fixtures/contracts), through the real
// collectors and the pipeline.
import {readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {checkContract, failed, FIXTURES, of, SAMPLE, statuses} from './helpers.js'

const STATIC = ['API-001', 'API-002', 'API-003', 'API-004', 'API-005', 'API-006', 'API-007', 'API-008']

describe('passing contracts', () => {
  for (const file of [path.join(FIXTURES, 'pass.openapi.yaml'), path.join(FIXTURES, 'split', 'openapi.yaml'), path.join(SAMPLE, 'openapi.yaml')]) {
    it(`${path.relative(FIXTURES, file)} passes every static rule`, async () => {
      const {findings} = await checkContract(file)
      for (const rule of STATIC) {
        expect(statuses(findings, rule), `${rule}: ${JSON.stringify(of(findings, rule).filter((f) => f.status !== 'pass'))}`).toEqual(['pass'])
      }
      // every provincial operation is named as compatible
      expect(of(findings, 'API-002').map((f) => f.details?.operation).sort()).toEqual(['GET /cases/{caseNo}', 'GET /healthz', 'GET /sso/callback', 'POST /evaluations/notify'])
    })
  }
})

describe('failing contracts', () => {
  const files = readdirSync(path.join(FIXTURES, 'fail')).sort()
  it('there is a failing fixture for every static rule', () => {
    for (const rule of STATIC) expect(files.some((f) => f.startsWith(rule))).toBe(true)
  })
  for (const name of files) {
    const rule = name.slice(0, 7)
    it(`${name} fails ${rule} with file, line, column and pointer`, async () => {
      const {findings} = await checkContract(path.join(FIXTURES, 'fail', name))
      const bad = failed(findings, rule)
      expect(bad.length).toBeGreaterThan(0)
      for (const f of bad) {
        expect(f.location?.file).toMatch(new RegExp(name.replace(/\./g, '\\.') + '$'))
        expect(f.location?.line).toBeGreaterThan(0)
        expect(f.location?.column).toBeGreaterThan(0)
        expect(f.location?.pointer).toMatch(/^\//)
      }
    })
  }
})

describe('what each failure says', () => {
  const run = (name: string) => checkContract(path.join(FIXTURES, 'fail', name)).then((r) => r.findings)

  it('API-001 names the schema error and the place of the extra key', async () => {
    const f = failed(await run('API-001-schema.openapi.yaml'), 'API-001')
    const extra = f.find((x) => x.message.includes('"owner"'))!
    expect(extra.location).toMatchObject({line: 8, column: 3, pointer: '/info/owner'})
    const missing = f.find((x) => x.message.includes('description'))!
    expect(missing.location?.pointer).toBe('/paths/~1evaluations~1notify/post/responses/200')
  })

  it('API-001 reports a path parameter missing from the template (checks beyond the JSON Schema)', async () => {
    const f = failed(await run('API-001-path-params.openapi.yaml'), 'API-001')
    expect(f[0].message).toContain('caseNo')
    expect(f[0].location?.pointer).toBe('/paths/~1cases~1{caseId}/get')
  })

  it('API-002 names a dropped enum value at the schema that drops it', async () => {
    const f = failed(await run('API-002-enum-dropped.openapi.yaml'), 'API-002')
    expect(f).toHaveLength(1)
    expect(f[0].message).toContain('GET /cases/{caseNo}')
    expect(f[0].message).toContain('"rejected"')
    expect(f[0].location?.pointer).toBe('/components/schemas/Case/properties/status')
  })

  it('API-002 reports a missing operation', async () => {
    const f = failed(await run('API-002-missing-operation.openapi.yaml'), 'API-002')
    expect(f.map((x) => x.details?.operation)).toEqual(['POST /evaluations/notify'])
  })

  it('API-002 reports a wrong parameter type and an added required parameter', async () => {
    const f = failed(await run('API-002-param-type.openapi.yaml'), 'API-002')
    expect(f.some((x) => /path caseNo has type integer/.test(x.message))).toBe(true)
    expect(f.some((x) => /required query parameter region/.test(x.message))).toBe(true)
  })

  it('API-002 reports a missing required response field and a narrowed type', async () => {
    const f = failed(await run('API-002-response-field.openapi.yaml'), 'API-002')
    expect(f.some((x) => x.message.includes('data.version') && x.message.includes('missing'))).toBe(true)
    expect(f.some((x) => x.message.includes('data.status') && x.message.includes('integer'))).toBe(true)
  })

  it('API-003 points at the http server', async () => {
    const f = failed(await run('API-003-http.openapi.yaml'), 'API-003')
    expect(f).toHaveLength(1)
    expect(f[0].location?.pointer).toBe('/servers/1/url')
    expect(f[0].message).toContain('http://10.1.2.3:8080/api')
  })

  it('API-004 flags only the unsecured operations, never health', async () => {
    const f = failed(await run('API-004-no-security.openapi.yaml'), 'API-004')
    expect(f.map((x) => x.details?.key)).toEqual(['GET /cases/{caseNo}'])
  })

  it('API-005 names each missing envelope field', async () => {
    const f = failed(await run('API-005-no-envelope.openapi.yaml'), 'API-005')
    expect(f.map((x) => x.message.match(/field (\w+)/)?.[1]).sort()).toEqual(['code', 'data', 'message'])
  })

  it('API-006 says which classes are missing', async () => {
    const f = failed(await run('API-006-no-errors.openapi.yaml'), 'API-006')
    expect(f).toHaveLength(1)
    expect(f[0].message).toContain('4xx, 5xx')
    expect(f[0].severity).toBe('warn')
  })

  it('API-007 catches personal information by name and by pattern', async () => {
    const f = failed(await run('API-007-personal-info.openapi.yaml'), 'API-007')
    expect(f.map((x) => x.details?.key).sort()).toEqual(['GET /accounts query contact', 'GET /accounts query idNumber'])
    expect(f.find((x) => x.message.includes('contact'))!.message).toContain('pattern')
  })

  it('API-008 reports the repeated operationId once (not also under API-001) and the missing summary', async () => {
    const all = await run('API-008-naming.openapi.yaml')
    const f = failed(all, 'API-008')
    expect(f.map((x) => x.message).sort()).toEqual(['GET /cases/{caseNo} has no summary', 'GET /cases/{caseNo} repeats the operationId "health" of GET /healthz'])
    expect(failed(all, 'API-001')).toHaveLength(0)
  })
})

describe('API-007 names and patterns', () => {
  it('flags the usual names of the four kinds and leaves ordinary ids alone', async () => {
    const {personalKind} = await import('../../src/audits/contract/index.js')
    const {loadProfile} = await import('../../src/core/profile.js')
    const params = loadProfile('shanxi-2022', 'en').rules.find((r) => r.id === 'API-007')!.params
    const docs = {}
    const param = (name: string, schema: Record<string, unknown> = {type: 'string'}, extra: Record<string, unknown> = {}) => ({name, in: 'query', required: false, node: {doc: 'x', pointer: '', value: {name, in: 'query', schema, ...extra}}, schema: {doc: 'x', pointer: '/schema', value: schema}})
    for (const [name, kind] of [['idNumber', 'idNumber'], ['id_card', 'idNumber'], ['sfzh', 'idNumber'], ['certNo', 'idNumber'], ['mobile', 'phone'], ['phoneNumber', 'phone'], ['tel', 'phone'], ['realName', 'name'], ['xm', 'name'], ['bankAccount', 'bankAccount'], ['bank_card_no', 'bankAccount']] as const) {
      expect(personalKind(docs, param(name) as any, params)?.kind, name).toBe(kind)
    }
    // `name` and `username` alone name things; API-007 judges them by their context (test/contract/multifile.test.ts)
    for (const name of ['id', 'caseNo', 'itemCode', 'page', 'state', 'ticket', 'serviceName', 'name', 'username']) expect(personalKind(docs, param(name) as any, params), name).toBeNull()
    expect(personalKind(docs, param('q', {type: 'string', pattern: '^\\d{17}[\\dXx]$'}) as any, params)?.kind).toBe('idNumber')
    // 16-19 digits also takes an 18-digit ID number: personal either way
    expect(['bankAccount', 'idNumber']).toContain(personalKind(docs, param('q', {type: 'string', pattern: '^\\d{16,19}$'}) as any, params)?.kind)
    expect(personalKind(docs, param('q', {type: 'string', pattern: '^62\\d{14,17}$'}) as any, params)?.kind).toBe('bankAccount')
    expect(personalKind(docs, param('q', {type: 'string', pattern: '^\\d+$'}) as any, params)).toBeNull()
    expect(personalKind(docs, param('q', {type: 'string', format: 'idcard'}) as any, params)?.kind).toBe('idNumber')
    expect(personalKind(docs, param('who', {type: 'string'}, {example: '13912345678'}) as any, params)?.kind).toBe('phone')
    // Residence-permit numbers of Hong Kong, Macao and Taiwan residents are ID numbers too (GB 11643 format, region 810000/820000/830000).
    const {idCheckChar} = await import('../../src/lib/identifiers.js')
    for (const r of ['810000', '820000', '830000']) expect(personalKind(docs, param('holder', {type: 'string'}, {example: r + '19850101123' + idCheckChar(r + '19850101123')}) as any, params)?.kind, r).toBe('idNumber')
  })
})
