// A large contract split over ~500 files with operation-level $refs
// (fixtures/contracts/multifile/generate.mjs, written to a temp folder): every rule reads the
// operation behind `get: {$ref: …}`; the $ref file limit is said once and what it left unread
// "cannot be judged"; `name` is a personal name only in a person-like context; 3.0 $ref siblings
// and operation $refs are API-001 warnings that name the strict reading.
import {mkdtempSync, rmSync, writeFileSync, mkdirSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Finding} from '../../src/core/types.js'
import {ROOT} from '../helpers/cli.js'
import {checkContract, of, statuses} from './helpers.js'

let tmp: string
let main: string
let operations: number
let limited: Finding[]
let raised: Finding[]

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-multifile-'))
  const {generate} = (await import(path.join(ROOT, 'fixtures/contracts/multifile/generate.mjs'))) as {generate: (dir: string) => {operations: number; main: string}}
  ;({operations, main} = generate(path.join(tmp, 'spec')))
  const profile = path.join(tmp, 'profile')
  mkdirSync(profile)
  writeFileSync(path.join(profile, 'profile.yaml'), 'name: big-contracts\nversion: "1"\ntitle: {zh-CN: 大契约, en: large contracts}\nextends: shanxi-2022\noverrides:\n  API-001:\n    params:\n      maxFiles: 1000\n')
  limited = (await checkContract(main)).findings
  raised = (await checkContract(main, {profile})).findings
}, 120_000)

afterAll(() => rmSync(tmp, {recursive: true, force: true}))

const STATIC = ['API-001', 'API-003', 'API-004', 'API-005', 'API-006', 'API-007', 'API-008']

describe('a multi-file contract with operation-level $refs', () => {
  it('has a few hundred operations in more files than the default limit', () => {
    expect(operations).toBeGreaterThanOrEqual(300)
  })

  it('at the file limit, API-001 says it once and the other rules cannot judge what was not read (no failures)', () => {
    const limit = of(limited, 'API-001').filter((f) => f.status === 'error')
    expect(limit).toHaveLength(1)
    expect(limit[0].message).toMatch(/^\d+ \$ref files not loaded: limit 100 .*raise it with API-001 params\.maxFiles/)
    for (const rule of ['API-005', 'API-006', 'API-007', 'API-008']) {
      expect(of(limited, rule).filter((f) => f.status === 'fail' && !/personal name|phone/.test(f.message)), rule).toEqual([])
      const cannot = of(limited, rule).filter((f) => f.status === 'error')
      expect(cannot.length, rule).toBeGreaterThanOrEqual(1)
      expect(cannot[0].message, rule).toMatch(/operations cannot be judged|responses cannot be judged/)
    }
    // API-008: one finding for all the unread operations, not one per operation
    expect(of(limited, 'API-008')).toHaveLength(1)
  })

  it('with the limit raised, every rule sees the operations behind the $refs', () => {
    expect(of(raised, 'API-001').filter((f) => f.status === 'error')).toEqual([])
    for (const rule of ['API-003', 'API-004', 'API-005', 'API-006', 'API-008']) expect(statuses(raised, rule), rule).toEqual(['pass'])
    expect(of(raised, 'API-008')[0].message).toContain(`all ${operations} operations`)
    expect(of(raised, 'API-006')[0].message).toContain(`all ${operations} operations`)
  })

  it('API-001 warns once for operation $refs and once for 3.0 $ref siblings, naming the strict reading', () => {
    const warnings = of(raised, 'API-001')
    expect(warnings.map((f) => [f.status, f.severity])).toEqual([
      ['fail', 'warn'],
      ['fail', 'warn'],
    ])
    const [opRef, sibling] = warnings
    expect(opRef.message).toMatch(new RegExp(`^${operations} operations are written as a \\$ref .*OpenAPI 3\\.0\\.3 \\(§4\\.7\\.9 Path Item Object\\)`))
    expect(sibling.message).toMatch(/\$refs have keys beside them \(e\.g\. description at .*OpenAPI 3\.0\.3 \(§4\.7\.23 Reference Object\) says such keys SHALL be ignored/)
    expect(sibling.location?.file).toMatch(/models\/\w+\.yml$/)
  })

  it('API-007 calls `name` a personal name only in a person-like context, and says why', () => {
    const fails = of(raised, 'API-007').filter((f) => f.status === 'fail')
    const got = fails.map((f) => f.message.replace(/ passes .* parameter (\w+) \(by (.*)\);.*/, ' $1: $2')).sort()
    expect(got).toEqual([
      'GET /v2/applicants name: a name in a path about people: applicants',
      'GET /v2/contacts mobile: name ~ /(mobile|cell|tel|telephone)(phone)?(no|num|number)?/',
      'GET /v2/contacts name: a name beside mobile (a phone number)',
    ])
    // `name` of certificates, volumes, DNS records …, `username` of a database user: not personal
    expect(fails.some((f) => /certificates|volumes|dns_records|databases/.test(f.message))).toBe(false)
    expect(STATIC.every((r) => of(raised, r).length > 0)).toBe(true)
  })
})
