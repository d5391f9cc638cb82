// Property: whatever YAML a user feeds `sjt check manifest`, the answer is an input error (exit 2)
// or a valid result document; never a crash.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {parseDocument, stringify} from 'yaml'
import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/lib/errors.js'
import {buildOptions} from '../../src/cli/check.js'
import {runCheck} from '../../src/core/run.js'
import {schemaValidator} from '../../src/lib/schema.js'
import {ROOT, sjt} from '../helpers/cli.js'
import {APP_ID_PATTERN, placeholderAppId} from '../../src/core/app-id.js'

const APP_ID_RE = new RegExp(APP_ID_PATTERN)
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-prop-'))
const sampleText = readFileSync(path.join(ROOT, 'fixtures/apps/sample/sjt.yaml'), 'utf8')
const sample = parseDocument(sampleText).toJS()
let n = 0

async function judge(text: string | Buffer): Promise<'input-error' | 'result'> {
  const file = path.join(tmp, `m${n++}.yaml`)
  writeFileSync(file, text)
  try {
    const options = buildOptions({}, {}, 'en', file)
    options.progress = undefined
    const {doc} = await runCheck(options, ['manifest'])
    expect(schemaValidator('result')(doc)).toBe(true)
    return 'result'
  } catch (error) {
    if (error instanceof InputError) {
      expect(error.exitCode).toBe(2)
      expect(error.format().split('\n').length).toBeLessThanOrEqual(2)
      return 'input-error'
    }
    throw error
  }
}

/** Paths of every node of a value. */
function paths(v: unknown, p: (string | number)[] = []): (string | number)[][] {
  const out = [p]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...p, i])))
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...p, k]))
  return out
}

function setAt(root: any, p: (string | number)[], value: unknown): any {
  if (p.length === 0) return value
  const copy = structuredClone(root)
  let o = copy
  for (const k of p.slice(0, -1)) o = o[k]
  o[p[p.length - 1]] = value
  return copy
}

describe('random YAML never crashes the manifest check', () => {
  it('random documents', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({maxDepth: 4}), async (v) => void (await judge(stringify(v) || '~'))), {numRuns: 150})
  })

  it('random text', async () => {
    await fc.assert(fc.asyncProperty(fc.string({unit: 'binary', maxLength: 300}), async (s) => void (await judge(s))), {numRuns: 150})
  })

  it('the sample with one node replaced by anything', async () => {
    const all = paths(sample)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...all), fc.jsonValue({maxDepth: 2}), async (p, value) => {
        const outcome = await judge(stringify(setAt(sample, p, value)))
        // Only replacing the whole document or all its main sections can make it "not a manifest",
        // and an app.id string that could not name a report folder even as a placeholder (empty,
        // over 200 characters, a path separator or control character, dots only) is refused.
        const refusedId = p.length === 2 && p[0] === 'app' && p[1] === 'id' && typeof value === 'string' && !APP_ID_RE.test(value) && placeholderAppId(value) === undefined
        if (p.length > 1) expect(outcome).toBe(refusedId ? 'input-error' : 'result')
      }),
      {numRuns: 300},
    )
  })

  it('through the CLI: exit 0, 1 or 2, never a crash', async () => {
    const samples = fc.sample(fc.jsonValue({maxDepth: 3}), {numRuns: 6, seed: 42})
    for (const v of samples) {
      const file = path.join(tmp, `cli${n++}.yaml`)
      writeFileSync(file, stringify(v) || '~')
      const r = await sjt(['check', 'manifest', file, '--json', '--out', path.join(tmp, 'out')])
      expect([0, 1, 2], r.stderr).toContain(r.code)
      if (r.code !== 2) expect(() => JSON.parse(r.stdout)).not.toThrow()
      expect(r.stderr).not.toMatch(/internal error/)
    }
  })
})
