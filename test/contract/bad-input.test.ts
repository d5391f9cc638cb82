// Bad contracts: exit 2 with file:line:column, or API-001 findings; bounded time; never a crash.
import {writeFileSync, mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {stringify} from 'yaml'
import {SjtError} from '../../src/lib/errors.js'
import {sjt} from '../helpers/cli.js'
import {appWith, checkContract, failed, FIXTURES, of, statuses} from './helpers.js'

const bad = (n: string) => path.join(FIXTURES, 'bad', n)

async function inputError(file: string): Promise<SjtError> {
  try {
    await checkContract(file)
  } catch (error) {
    expect(error).toBeInstanceOf(SjtError)
    return error as SjtError
  }
  throw new Error('expected an input error')
}

/** A contract with `n` operations over n/4 paths, each with a $ref'd schema. */
export function bigContract(n: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {}
  for (let i = 0; i < n / 4; i++) {
    const ops: Record<string, unknown> = {}
    for (const m of ['get', 'post', 'put', 'delete']) {
      ops[m] = {
        operationId: `${m}Item${i}`,
        summary: `${m} item ${i}`,
        parameters: [{name: 'id', in: 'path', required: true, schema: {type: 'string'}}],
        responses: {'200': {description: 'ok', content: {'application/json': {schema: {$ref: '#/components/schemas/Item'}}}}, '400': {description: 'bad'}, '500': {description: 'err'}},
      }
    }
    paths[`/items${i}/{id}`] = ops
  }
  return {
    openapi: '3.0.3',
    info: {title: 'big', version: '1'},
    servers: [{url: 'https://api.example.gov.cn'}],
    security: [{bearer: []}],
    paths,
    components: {securitySchemes: {bearer: {type: 'http', scheme: 'bearer'}}, schemas: {Item: {type: 'object', required: ['code', 'message', 'data'], properties: {code: {type: 'string'}, message: {type: 'string'}, data: {type: 'object'}}}}},
  }
}

describe('unreadable contracts stop the run with exit 2 and a position', () => {
  it('YAML syntax error', async () => {
    const e = await inputError(bad('not-yaml.yaml'))
    expect(e.exitCode).toBe(2)
    expect(e.location).toMatchObject({line: 7})
    expect(e.format()).toMatch(/not-yaml\.yaml:7:\d+: /)
  })
  it('JSON syntax error', async () => {
    const e = await inputError(bad('bad.json'))
    expect(e.exitCode).toBe(2)
    expect(e.location).toMatchObject({line: 4})
  })
  it('the contract file named by the manifest is missing: names the manifest line', async () => {
    const e = await inputError(path.join(FIXTURES, 'nowhere.yaml'))
    expect(e.exitCode).toBe(2)
    expect(e.location?.file).toMatch(/sjt\.yaml$/)
    expect(e.location?.line).toBeGreaterThan(1)
  })
  it('a 20 MB document is refused at once with the size and what to do', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-big-'))
    const file = path.join(dir, 'huge.yaml')
    writeFileSync(file, 'openapi: 3.1.0\ninfo: {title: huge, version: "1"}\npaths: {}\nx-padding: "' + 'a'.repeat(20 * 1024 * 1024) + '"\n')
    const started = Date.now()
    const e = await inputError(file)
    expect(e.exitCode).toBe(2)
    expect(e.message).toMatch(/20\.0 MiB.*8\.0 MiB/)
    expect(e.hint).toMatch(/maxBytes/)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
  it('the CLI prints file:line:column and exits 2, without a stack trace', async () => {
    const r = await sjt(['check', 'contract', appWith(bad('not-yaml.yaml')), '--json'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/not-yaml\.yaml:7:\d+/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('readable but broken contracts are API-001 findings', () => {
  it('not an OpenAPI document (a list)', async () => {
    const {findings} = await checkContract(bad('not-openapi.yaml'))
    expect(failed(findings, 'API-001')[0].message).toMatch(/not an OpenAPI document/)
    expect(statuses(findings, 'API-002')).toEqual(['error'])
  })
  it('a mapping without openapi', async () => {
    const {findings} = await checkContract(bad('mapping-not-openapi.yaml'))
    expect(failed(findings, 'API-001')[0].message).toMatch(/no openapi field/)
  })
  it('Swagger 2.0', async () => {
    const {findings} = await checkContract(bad('swagger2.yaml'))
    expect(failed(findings, 'API-001')[0].message).toMatch(/Swagger 2\.0/)
    expect(failed(findings, 'API-001')[0].location).toMatchObject({line: 1, pointer: '/swagger'})
  })
  it('circular $refs: reported once, and a recursive schema is fine', async () => {
    const {findings} = await checkContract(bad('circular.openapi.yaml'))
    const cyc = failed(findings, 'API-001').filter((f) => /cycle/.test(f.message))
    expect(cyc).toHaveLength(1)
    expect(cyc[0].location?.line).toBeGreaterThan(1)
    expect(of(findings, 'API-005').map((f) => f.status)).toEqual(['error'])
  })
  it('a $ref to a missing file and to a missing pointer', async () => {
    const {findings} = await checkContract(bad('missing-ref.openapi.yaml'))
    const f = failed(findings, 'API-001')
    expect(f.find((x) => x.message.includes('nowhere.yaml'))!.location).toMatchObject({line: 14, pointer: '/paths/~1healthz/get/responses/200/content/application~1json/schema/$ref'})
    expect(f.find((x) => x.message.includes('Missing'))!.location?.line).toBe(19)
  })
  it('a remote $ref is not fetched without --allow-remote-refs', async () => {
    const {findings} = await checkContract(bad('remote-ref.openapi.yaml'))
    const e = of(findings, 'API-001').find((f) => f.status === 'error')!
    expect(e.message).toMatch(/--allow-remote-refs/)
  })
  it('a contract of 2,000 operations is judged (positions kept) without a crash', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-ops-'))
    const file = path.join(dir, 'openapi.yaml')
    writeFileSync(file, stringify(bigContract(2000)))
    const {findings, artifacts} = await checkContract(file)
    expect(artifacts.contract.metrics.operations).toBe(2000)
    expect(statuses(findings, 'API-001')).toEqual(['pass'])
    expect(failed(findings, 'API-006')).toHaveLength(0)
    const f = failed(findings, 'API-002')
    expect(f.length).toBe(4)
    expect(f.every((x) => x.location?.line && x.location.line > 1)).toBe(true)
  })
})
