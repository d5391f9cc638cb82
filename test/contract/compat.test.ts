// Structural compatibility (API-002) decisions, schema by schema.
import {describe, expect, it} from 'vitest'
import {covers} from '../../src/audits/contract/compat.js'
import type {Docs} from '../../src/lib/openapi/model.js'

const docs: Docs = {
  app: {id: 'app', file: 'app.yaml', data: {components: {schemas: {Tree: {type: 'object', properties: {kids: {type: 'array', items: {$ref: '#/components/schemas/Tree'}}}}}}}, positions: {}, keys: {}},
  prov: {id: 'prov', file: 'prov.yaml', data: {components: {schemas: {Tree: {type: 'object', properties: {kids: {type: 'array', items: {$ref: '#/components/schemas/Tree'}}}}}}}, positions: {}, keys: {}},
}
const a = (value: unknown) => [{doc: 'app', pointer: '/x', value}]
const p = (value: unknown) => [{doc: 'prov', pointer: '/y', value}]
const keys = (app: unknown, prov: unknown, mode: 'request' | 'response' = 'response') => covers(docs, a(app), p(prov), mode).map((m) => `${m.key} ${m.field}`)

describe('covers', () => {
  it('accepts the same schema and widened types', () => {
    expect(keys({type: 'string'}, {type: 'string'})).toEqual([])
    expect(keys({type: 'number'}, {type: 'integer'})).toEqual([])
    expect(keys({type: ['string', 'null']}, {type: 'string'})).toEqual([])
    expect(keys({}, {type: 'string'})).toEqual([])
  })
  it('rejects narrowed types and lost nullability', () => {
    expect(keys({type: 'integer'}, {type: 'number'})).toEqual(['API-002.type (body)'])
    expect(keys({type: 'string'}, {type: 'string', nullable: true})).toEqual(['API-002.type (body)'])
  })
  it('enums may add values but not drop them', () => {
    expect(keys({enum: ['a', 'b', 'c']}, {enum: ['a', 'b']})).toEqual([])
    expect(keys({enum: ['a']}, {enum: ['a', 'b']})).toEqual(['API-002.enumDropped (body)'])
    expect(keys({type: 'string', enum: ['a']}, {type: 'string'})).toEqual(['API-002.enumAdded (body)'])
  })
  it('responses: required provincial fields must be present and required; added fields are fine', () => {
    const prov = {type: 'object', required: ['a'], properties: {a: {type: 'string'}, b: {type: 'string'}}}
    expect(keys({type: 'object', required: ['a', 'z'], properties: {a: {type: 'string'}, z: {type: 'string'}}}, prov)).toEqual([])
    expect(keys({type: 'object', properties: {a: {type: 'string'}}}, prov)).toEqual(['API-002.notRequired a'])
    expect(keys({type: 'object', properties: {}}, prov)).toEqual(['API-002.fieldMissing a'])
    expect(keys({type: 'object', required: ['a'], properties: {a: {type: 'string'}}, additionalProperties: false}, prov)).toEqual(['API-002.fieldRejected b'])
  })
  it('requests: the app may not require what the platform does not send, nor tighten provincial bounds', () => {
    const prov = {type: 'object', required: ['level'], properties: {level: {type: 'integer', minimum: 1, maximum: 5}, comment: {type: 'string'}}}
    expect(keys({type: 'object', required: ['level'], properties: {level: {type: 'integer'}, comment: {type: 'string', maxLength: 500}}}, prov, 'request')).toEqual([])
    expect(keys({type: 'object', required: ['level', 'comment'], properties: {level: {type: 'integer'}}}, prov, 'request')).toEqual(['API-002.addedRequiredField comment'])
    expect(keys({type: 'object', properties: {level: {type: 'integer', maximum: 3}}}, prov, 'request')).toEqual(['API-002.bound level'])
  })
  it('a pattern that rejects a provincial example is a mismatch', () => {
    expect(keys({type: 'string', pattern: '^[0-9]{20}$'}, {type: 'string', pattern: '^[0-9A-Za-z-]{20,64}$', example: 'TY-GJJ-20261126-000123'}, 'request')).toEqual(['API-002.pattern (body)'])
    expect(keys({type: 'string', pattern: '^[0-9A-Za-z\\-]{20,64}$'}, {type: 'string', pattern: '^[0-9A-Za-z-]{20,64}$', example: 'TY-GJJ-20261126-000123'}, 'request')).toEqual([])
  })
  it('allOf is merged on both sides; oneOf on the app side needs one accepting branch', () => {
    const prov = {allOf: [{type: 'object', required: ['code'], properties: {code: {type: 'string'}}}, {type: 'object', properties: {data: {type: 'object', required: ['x'], properties: {x: {type: 'integer'}}}}}]}
    const app = {allOf: [{type: 'object', required: ['code', 'data'], properties: {code: {type: 'string'}}}, {properties: {data: {type: 'object', required: ['x'], properties: {x: {type: 'number'}}}}}]}
    expect(keys(app, prov)).toEqual([])
    expect(keys({oneOf: [{type: 'integer'}, {type: 'string'}]}, {type: 'string'})).toEqual([])
    expect(keys({oneOf: [{type: 'integer'}, {type: 'boolean'}]}, {type: 'string'})).not.toEqual([])
  })
  it('recursive schemas terminate', () => {
    const app = [{doc: 'app', pointer: '/components/schemas/Tree', value: {$ref: '#/components/schemas/Tree'}}]
    const prov = [{doc: 'prov', pointer: '/components/schemas/Tree', value: {$ref: '#/components/schemas/Tree'}}]
    expect(covers(docs, app, prov, 'response')).toEqual([])
  })
})

describe('API-002 reference contracts', () => {
  it('a city profile replaces a provincial contract by putting a file of the same name in its contracts/', async () => {
    const {mkdtempSync, mkdirSync, writeFileSync, rmSync} = await import('node:fs')
    const os = await import('node:os')
    const path = await import('node:path')
    const {loadProfile} = await import('../../src/core/profile.js')
    const {loadProvincial} = await import('../../src/gather/contract.js')
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-city-'))
    try {
      mkdirSync(path.join(dir, 'contracts'))
      writeFileSync(path.join(dir, 'profile.yaml'), 'name: city\nversion: "1"\nextends: shanxi-2022\n')
      writeFileSync(path.join(dir, 'contracts', 'evaluations.openapi.yaml'), 'openapi: 3.0.3\ninfo: {title: 城市好差评, version: "1"}\npaths:\n  /city/evaluations:\n    post:\n      operationId: cityEvaluate\n      responses:\n        "200": {description: ok}\n')
      const province = loadProvincial(loadProfile('shanxi-2022', 'en'), 'en')
      const city = loadProvincial(loadProfile(dir, 'en'), 'en')
      const names = (p: typeof city) => p.files.map((f) => path.basename(f)).sort()
      expect(names(city)).toEqual(names(province))
      const cityEval = city.files.find((f) => f.endsWith('evaluations.openapi.yaml'))!
      expect(cityEval.startsWith(dir)).toBe(true)
      expect(Object.keys((city.docs[cityEval] as any).data.paths)).toEqual(['/city/evaluations'])
      expect(city.files.filter((f) => !f.startsWith(dir)).length).toBe(province.files.length - 1)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
