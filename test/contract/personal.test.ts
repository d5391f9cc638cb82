// API-007's recognition of personal information by name and pattern, on single parameters.
// (The API rules on their fixtures: test/rules/contract.test.ts.)
import {describe, expect, it} from 'vitest'

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
