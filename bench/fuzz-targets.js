// Fuzz targets over the four inputs users and submitters hand sjt: manifests, configs, contracts
// and result documents. Shared by bench/fuzz.js (≥ 10,000 cases on the build) and
// test/core/fuzz.test.ts (a few hundred on the sources). Each target turns a generated value into
// a file, feeds it to the real code, and answers 'ok' or 'input-error'; anything else it throws
// is a crash (an exit 70 through the CLI).
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {parseDocument, stringify} from 'yaml'

/** Insert, delete or replace characters of `text` at generated positions. */
export function mutations(fc) {
  const edit = fc.record({
    at: fc.nat(),
    del: fc.nat({max: 12}),
    ins: fc.oneof(
      fc.string({maxLength: 12}),
      fc.constantFrom('\0', '\ufeff', '\ud800', '"', "'", ':', '- ', '{', '[', '&a', '*a', '!!binary', '${X}', '../', '#', '\t', '\r\n', '%', '='),
    ),
  })
  return fc.array(edit, {maxLength: 6})
}

export function applyMutations(text, edits) {
  let out = text
  for (const e of edits) {
    const at = out.length ? e.at % (out.length + 1) : 0
    out = out.slice(0, at) + e.ins + out.slice(at + e.del)
  }
  return out
}

/** A JSON value with a generated part replaced: the shape stays close to a real document. */
function replaceAt(value, pathSeed, replacement) {
  const copy = structuredClone(value)
  const nodes = []
  const walk = (v, parent, key, depth) => {
    if (parent) nodes.push([parent, key])
    if (v && typeof v === 'object' && depth < 6) for (const k of Object.keys(v)) walk(v[k], v, k, depth + 1)
  }
  walk(copy, null, null, 0)
  if (nodes.length === 0) return replacement
  const [parent, key] = nodes[pathSeed % nodes.length]
  parent[key] = replacement
  return copy
}

const HOSTILE = ['', '.', '..', '../../../x', '/etc/passwd', 'file:///etc/passwd', '/dev/zero', 'a\0b', 'x'.repeat(300), '=cmd|x', '${HOME}', '#/components/schemas/X', 'https://127.0.0.1:1/x']

function hostile(fc) {
  return fc.oneof(fc.anything({maxDepth: 3}), fc.constantFrom(...HOSTILE), fc.string({maxLength: 40}), fc.integer(), fc.constant(null))
}

/**
 * lib: {runCheck, buildOptions, loadConfig, readResult, renderText, renderMarkdown, renderHtml,
 * verdictOfDocument, SjtError}; root: the repository; tmp: a folder to write cases into.
 */
export function targets(fc, lib, {root, tmp}) {
  const sampleManifest = readFileSync(path.join(root, 'fixtures/apps/sample/sjt.yaml'), 'utf8').replace(/^contract: .*$/m, '')
  const manifestData = parseDocument(sampleManifest).toJS()
  const result = JSON.parse(readFileSync(path.join(root, 'fixtures/results/ty-gjj-withdraw.json'), 'utf8'))
  const contract = parseDocument(readFileSync(path.join(root, 'fixtures/rules/API-001/pass.openapi.yaml'), 'utf8')).toJS()
  let n = 0
  const caseDir = () => {
    const d = path.join(tmp, `c${n++}`)
    mkdirSync(d, {recursive: true})
    return d
  }
  const expected = (error) => {
    if (error instanceof lib.SjtError) return 'input-error'
    throw error
  }
  const options = (manifestPath, extra = {}) => ({
    ...lib.buildOptions({}, {}, 'en', manifestPath),
    apiBase: 'http://127.0.0.1:1',
    timeoutMs: 2000,
    probeRequests: 1,
    progress: undefined,
    ...extra,
  })
  const text = (base, data) =>
    fc.oneof(
      mutations(fc).map((m) => applyMutations(base, m)),
      fc.tuple(fc.nat(), hostile(fc)).map(([seed, v]) => stringify(replaceAt(data, seed, v))),
      fc.tuple(fc.nat(), hostile(fc)).map(([seed, v]) => JSON.stringify(replaceAt(data, seed, v))),
    )

  return {
    manifest: {
      arb: text(sampleManifest, manifestData),
      async run(t) {
        const d = caseDir()
        writeFileSync(path.join(d, 'sjt.yaml'), t)
        try {
          await lib.runCheck(options(path.join(d, 'sjt.yaml')), ['manifest'])
          return 'ok'
        } catch (error) {
          return expected(error)
        }
      },
    },
    config: {
      arb: fc.oneof(
        text('failOn: warn\nrules:\n  ELD-004: off\nwaivers:\n  - rule: SEC-012\n    reason: x\n    expires: "2099-01-01"\nauth:\n  kind: headers\n  headers:\n    authorization: "${SJT_T}"\n', {failOn: 'warn', rules: {'ELD-004': 'off'}, out: 'reports', timeout: 30}),
        fc.dictionary(fc.constantFrom('profile', 'failOn', 'rules', 'waivers', 'auth', 'out', 'ca', 'timeout', 'format', 'lang', 'token', 'x'), hostile(fc)).map((o) => stringify(o)),
      ),
      async run(t) {
        const d = caseDir()
        writeFileSync(path.join(d, 'sjt.config.yaml'), t)
        try {
          const {config} = lib.loadConfig(d, 'en')
          lib.buildOptions({}, config, 'en', undefined)
          return 'ok'
        } catch (error) {
          return expected(error)
        }
      },
    },
    contract: {
      arb: fc.oneof(
        fc.tuple(fc.nat(), hostile(fc)).map(([seed, v]) => stringify(replaceAt(contract, seed, v))),
        fc.tuple(fc.nat(), fc.constantFrom(...HOSTILE)).map(([seed, ref]) => stringify(replaceAt(contract, seed, {$ref: ref}))),
        mutations(fc).map((m) => applyMutations(stringify(contract), m)),
      ),
      async run(t) {
        const d = caseDir()
        writeFileSync(path.join(d, 'openapi.yaml'), t)
        writeFileSync(path.join(d, 'sjt.yaml'), sampleManifest + '\ncontract: openapi.yaml\n')
        try {
          await lib.runCheck(options(path.join(d, 'sjt.yaml')), ['contract'])
          return 'ok'
        } catch (error) {
          return expected(error)
        }
      },
    },
    result: {
      arb: fc.oneof(
        fc.tuple(fc.nat(), hostile(fc)).map(([seed, v]) => JSON.stringify(replaceAt(result, seed, v))),
        mutations(fc).map((m) => applyMutations(JSON.stringify(result), m)),
      ),
      async run(t) {
        const d = caseDir()
        const f = path.join(d, 'result.json')
        writeFileSync(f, t)
        try {
          const doc = lib.readResult(f, 'en')
          lib.renderText(doc, {lang: 'en', color: false})
          lib.renderMarkdown(doc, {lang: 'en'})
          lib.renderHtml(doc, {lang: 'en'})
          lib.verdictOfDocument(doc)
          return 'ok'
        } catch (error) {
          return expected(error)
        }
      },
    },
  }
}
