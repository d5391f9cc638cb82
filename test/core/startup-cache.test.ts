// The start-up caches: JSON read by JSON.parse (repeated keys still refused with their position),
// the build's copy of the bundled profile, and the ahead-of-time compiled schema validators.
import {createRequire} from 'node:module'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseDocument} from 'yaml'
import {parseStructured} from '../../src/lib/source.js'
import {newAjv, loadSchema, SCHEMA_NAMES, schemasHash, standaloneValidatorCode} from '../../src/lib/schema.js'
import {InputError} from '../../src/lib/errors.js'

const json = (text: string, p = 'x.json') => parseStructured({path: p, text, bytes: text.length, bom: false}, 'en')

describe('JSON by JSON.parse', () => {
  it('gives the same data as the YAML reader and locates nodes on demand', () => {
    const text = '{\n  "app": {"id": "ty-gjj", "pages": [\n    {"url": "https://a.gov.cn/"},\n    {"url": "b"}\n  ]},\n  "k\\u0065y": 1\n}\n'
    const s = json(text)
    expect(s.data).toEqual(parseDocument(text).toJS())
    expect(s.format).toBe('json')
    expect(s.locate(['app', 'pages', 1, 'url'])).toEqual({line: 4, column: 13})
    expect(s.locate(['key'], {key: true})).toEqual({line: 6, column: 3})
  })

  it('refuses a repeated key, also when written with an escape, with its line', () => {
    for (const text of ['{"a": 1,\n "b": {"c": 1, "c": 2}}', '{"a": 1,\n "\\u0061": 2}']) {
      let error: unknown
      try {
        json(text)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).location?.line).toBe(2)
    }
  })

  it('does not take keys inside strings or arrays for repeats', () => {
    const text = '{"a": "\\"a\\": 1", "list": ["a", "a", {"a": 1}], "b": {"a": 2}}'
    expect(json(text).data).toEqual(JSON.parse(text))
  })
})

describe('ahead-of-time validators', () => {
  it('judge every bundled result and manifest document as the compiled schema does, errors included', () => {
    const req = createRequire(import.meta.url)
    // The code as dist/schemas/<name>.validate.cjs holds it, evaluated with this file's require.
    const load = (code: string) => {
      const mod = {exports: {} as any}
      new Function('module', 'exports', 'require', code)(mod, mod.exports, req)
      return mod.exports
    }
    const hash = schemasHash()
    const ajv = newAjv()
    for (const n of SCHEMA_NAMES()) ajv.addSchema(loadSchema(n))
    const root = path.resolve(__dirname, '../..')
    const docs = ['fixtures/results/ty-gjj-withdraw.json', 'fixtures/results/jz-tax-hall.json'].map((f) => JSON.parse(readFileSync(path.join(root, f), 'utf8')))
    const broken = structuredClone(docs[0])
    broken.app.id = 'Not An Id'
    delete broken.summary
    for (const name of ['result', 'manifest']) {
      const aot = load(standaloneValidatorCode(name, hash))
      expect(aot.sourceHash).toBe(hash)
      const compiled = ajv.getSchema(loadSchema(name).$id as string)!
      for (const doc of [...docs, broken, {}, null, 'x']) {
        expect(aot(doc)).toBe(compiled(doc))
        expect(aot.errors ?? null).toEqual(compiled.errors ?? null)
      }
    }
  })
})
