// canonicalJson is what every result digest is computed over: its text must never change. These
// tests hold it to the plain definition (sort the keys, JSON.stringify the rest) on any JSON value
// and on the stored result fixtures, whose digests were computed by earlier versions.
import {readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {canonicalJson, computeDigest} from '../../src/core/result.js'

/** The definition, written the short way. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return '[' + value.map((v) => (v === undefined ? 'null' : reference(v))).join(',') + ']'
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function')
    .sort()
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + reference(obj[k])).join(',') + '}'
}

const FIXTURES = path.resolve(__dirname, '../../fixtures/results')

describe('canonicalJson', () => {
  it('writes what the definition writes for any JSON value (unicode, escapes, numbers, deep nesting)', () => {
    const text = fc.oneof(fc.string(), fc.string({unit: 'binary'}), fc.string({unit: 'grapheme'}), fc.constantFrom('"', '\\', '\u2028', '\ud800', '\udc00x', '\u0000\u001f\u007f', 'x'.repeat(300) + '"'))
    const json = fc.letrec((tie) => ({
      value: fc.oneof({depthSize: 'small'}, fc.constant(null), fc.boolean(), fc.integer(), fc.double(), text, tie('array'), tie('object')),
      array: fc.array(tie('value'), {maxLength: 6}),
      object: fc.dictionary(fc.oneof(text, fc.constantFrom('10', '9', '__proto__', 'a', 'B', 'é')), tie('value'), {maxKeys: 6}),
    })).value
    fc.assert(
      fc.property(json, (v) => {
        expect(canonicalJson(v)).toBe(reference(v))
        // What JSON.parse gives back (the server's case) canonicalises the same way.
        expect(canonicalJson(JSON.parse(JSON.stringify(v)))).toBe(reference(JSON.parse(JSON.stringify(v))))
      }),
      {numRuns: 2000},
    )
  })

  it('drops undefined and function members, writes undefined array items, NaN and Infinity as null', () => {
    const v = {b: undefined, a: [undefined, () => 1, NaN, -0, Infinity, 1e21, 5e-7], c: () => 2, d: {z: 1, y: [true, false, null]}}
    expect(canonicalJson(v)).toBe(reference(v))
    expect(canonicalJson(v)).toBe('{"a":[null,null,null,0,null,1e+21,5e-7],"d":{"y":[true,false,null],"z":1}}')
    expect(canonicalJson(undefined)).toBe('null')
    expect(canonicalJson('é"\n')).toBe(JSON.stringify('é"\n'))
  })

  it('keeps the digests of the stored result fixtures', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) {
      const doc = JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8'))
      expect(computeDigest(doc), f).toBe(doc.digest.value)
      const {digest: _d, signature: _s, ...rest} = doc
      expect(canonicalJson(rest)).toBe(reference(rest))
    }
  })
})
