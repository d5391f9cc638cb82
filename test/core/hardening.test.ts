// Hostile inputs, in-process: app ids that would leave --out, device files and FIFOs, deep nesting,
// $refs leading outside the project, login headers aimed at a contract's server, formula cells in
// CSV, secrets built around ${VAR}, config discovery limits, results that would crash a renderer.
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {stringify} from 'yaml'
import {InputError} from '../../src/lib/errors.js'
import {finalizeDocument, readResult, runCheck} from '../../src/core/run.js'
import type {ResultDocument} from '../../src/core/types.js'
import {configSearchDirs, loadConfig} from '../../src/core/config.js'
import {secretEnv} from '../../src/core/auth.js'
import {APP_ID_PATTERN} from '../../src/core/app-id.js'
import {writeReports} from '../../src/report/index.js'
import {renderText} from '../../src/report/text.js'
import {renderMarkdown} from '../../src/report/md.js'
import {renderHtml} from '../../src/report/html.js'
import {decodeText, parseStructured, readRegularFile, readTextFile} from '../../src/lib/source.js'
import {clearSecrets, maskText} from '../../src/lib/secrets.js'
import {csvCell} from '../../src/lib/csv.js'
import {renderRankingCsv, renderRankingHtml, renderOneHtml} from '../../src/score/render.js'
import {scoreResult} from '../../src/score/score.js'
import {schemaValidator} from '../../src/lib/schema.js'
import {t} from '../../src/lib/i18n/index.js'
import {options, SAMPLE} from '../contract/helpers.js'
import {ROOT} from '../helpers/cli.js'

let tmp: string
let sample: ResultDocument

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-hard-'))
  const manifest = path.join(tmp, 'sample', 'sjt.yaml')
  mkdirSync(path.dirname(manifest))
  writeFileSync(manifest, readFileSync(path.join(SAMPLE, 'sjt.yaml'), 'utf8').replace(/^contract: .*$/m, ''))
  sample = (await runCheck(options(manifest), ['manifest'])).doc
})

const rejects = (fn: () => unknown, re: RegExp) => {
  let err: unknown
  try {
    fn()
  } catch (error) {
    err = error
  }
  expect(err).toBeInstanceOf(InputError)
  expect((err as InputError).exitCode).toBe(2)
  expect((err as InputError).format()).toMatch(re)
}
const rejectsAsync = async (p: Promise<unknown>, re: RegExp) => {
  const err = await p.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(InputError)
  expect((err as InputError).format()).toMatch(re)
}

describe('app.id never leaves --out', () => {
  it('writers refuse ids that are not a folder name inside --out', async () => {
    const out = path.join(tmp, 'out1')
    for (const id of ['../../escaped', '.', '..', '', 'a/b', 'a\0b', 'x'.repeat(300), '/abs', 'UPPER']) {
      await rejectsAsync(writeReports({...sample, app: {...sample.app, id}}, ['md'], out, {lang: 'en'}), /app\.id|outside/)
    }
    expect(existsSync(path.join(tmp, 'escaped'))).toBe(false)
    expect(existsSync(path.join(out, 'result.json'))).toBe(false)
  })

  it('a symbolic link in --out that leads elsewhere is refused', async () => {
    const out = path.join(tmp, 'out2')
    mkdirSync(out)
    mkdirSync(path.join(tmp, 'elsewhere'))
    symlinkSync(path.join(tmp, 'elsewhere'), path.join(out, 'linked'))
    await rejectsAsync(writeReports({...sample, app: {...sample.app, id: 'linked'}}, [], out, {lang: 'en'}), /outside/)
    expect(existsSync(path.join(tmp, 'elsewhere', 'result.json'))).toBe(false)
    const ok = await writeReports(sample, ['md'], out, {lang: 'en'})
    expect(ok[0]).toBe(path.join(out, sample.app.id, 'result.json'))
  })

  it('one pattern: the result schema and the review API use it; the manifest pattern is stricter', () => {
    const result = JSON.parse(readFileSync(path.join(ROOT, 'standards/schemas/result.schema.json'), 'utf8'))
    expect(result.properties.app.properties.id.pattern).toBe(APP_ID_PATTERN)
    expect(readFileSync(path.join(ROOT, 'standards/review-api.openapi.yaml'), 'utf8')).toContain(`id: {type: string, maxLength: 200, pattern: "${APP_ID_PATTERN.replace(/\\/g, '\\\\')}"}`)
    const validate = schemaValidator('result')
    expect(validate({...sample, app: {...sample.app, id: '../x'}})).toBe(false)
    expect(validate({...sample, app: {...sample.app, id: 'a'.repeat(201)}})).toBe(false)
    expect(validate({...sample, app: {...sample.app, id: 'a'.repeat(200)}})).toBe(true)
  })

  it('a manifest with an unsafe id stops the run with exit 2 before anything is written', async () => {
    for (const id of ['"../../../x"', '"."', '""', '"a\\0b"', `"${'a'.repeat(300)}"`]) {
      const dir = mkdtempSync(path.join(tmp, 'id-'))
      writeFileSync(path.join(dir, 'sjt.yaml'), readFileSync(path.join(SAMPLE, 'sjt.yaml'), 'utf8').replace(/^ {2}id: .*$/m, `  id: ${id}`).replace(/^contract: .*$/m, ''))
      await rejectsAsync(runCheck(options(path.join(dir, 'sjt.yaml')), ['manifest']), /app\.id .* cannot name the report folder/)
    }
  })
})

describe('only regular files, capped while reading', () => {
  it('devices, FIFOs and folders are refused at once (exit 2)', () => {
    rejects(() => readRegularFile('/dev/zero', 'en'), /not a regular file \(character device\)/)
    const fifo = path.join(tmp, 'pipe.yaml')
    execFileSync('mkfifo', [fifo])
    rejects(() => readTextFile(fifo, 'en'), /not a regular file \(FIFO\)/)
    rejects(() => readResult(fifo, 'en'), /FIFO/)
    rejects(() => readResult('/dev/zero', 'en'), /character device/)
    rejects(() => readTextFile(tmp, 'en'), /folder/)
    rejects(() => readTextFile(path.join(tmp, 'nope.yaml'), 'en'), /no such file/)
  })

  it('the cap holds while reading, whatever stat says', () => {
    // /proc files say 0 bytes in stat and are longer.
    rejects(() => readRegularFile('/proc/self/maps', 'en', 10), /too large/)
    const f = path.join(tmp, 'big.yaml')
    writeFileSync(f, 'a: ' + 'x'.repeat(5000))
    rejects(() => readRegularFile(f, 'en', 1000), /too large/)
    expect(readRegularFile(f, 'en', 6000).length).toBe(5003)
  })
})

describe('messages name the right format and encoding', () => {
  it('UTF-16 is named as such, and the hint does not say GBK', () => {
    let err: InputError | undefined
    try {
      decodeText(Buffer.from('\ufeffapp: x', 'utf16le'), 'm.yaml', 'en')
    } catch (error) {
      err = error as InputError
    }
    expect(err?.format()).toMatch(/UTF-16LE/)
    expect(err?.format()).toMatch(/iconv -f UTF-16LE -t UTF-8/)
    expect(err?.format()).not.toMatch(/GBK/)
  })

  it('deep JSON is a JSON error, deep YAML a YAML error; neither crashes', () => {
    const deepJson = '['.repeat(20_000) + ']'.repeat(20_000)
    rejects(() => parseStructured({path: 'x.json', text: deepJson, bytes: deepJson.length, bom: false}, 'en'), /^x\.json: JSON nested too deeply/)
    rejects(() => parseStructured({path: 'x.yaml', text: deepJson, bytes: deepJson.length, bom: false}, 'en'), /JSON nested too deeply/)
    const deepYaml = Array.from({length: 300}, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + ' 1\n'
    rejects(() => parseStructured({path: 'y.yaml', text: deepYaml, bytes: deepYaml.length, bom: false}, 'en'), /YAML nested too deeply/)
    rejects(() => parseStructured({path: 'dup.json', text: '{"a": 1, "a": 2}', bytes: 16, bom: false}, 'en'), /JSON syntax error/)
  })
})

describe('results from elsewhere', () => {
  it('a score whose index names are not strings is a schema error (exit 2), not a crash', () => {
    const bad = structuredClone(sample) as any
    bad.score.indices[0].name = {en: 5}
    const file = path.join(tmp, 'bad-score.json')
    writeFileSync(file, JSON.stringify(bad))
    rejects(() => readResult(file, 'en'), /\/score\/indices\/0\/name/)
    // And the renderers never take a non-string for a name.
    expect(() => renderHtml(bad, {lang: 'en'})).not.toThrow()
  })

  it('a 20,000-deep result is refused, not a stack overflow', () => {
    const file = path.join(tmp, 'deep.json')
    writeFileSync(file, JSON.stringify({...sample, metrics: {}}).replace('"metrics":{}', `"metrics":{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`))
    rejects(() => readResult(file, 'en'), /nested too deeply/)
  })
})

describe('the verdict of an incomplete run', () => {
  it('a whole category that errored says incomplete in the document and every report', () => {
    const broken = finalizeDocument({
      ...structuredClone(sample),
      findings: sample.findings.map((f) => ({...f, status: 'error', message: 'browser failed'})),
      categories: {manifest: {status: 'error', errors: 0, warnings: 0, score: null}},
      verdict: 'incomplete',
    } as any)
    expect(broken.verdict).toBe('incomplete')
    expect(renderText(broken, {lang: 'en', color: false})).toMatch(/verdict: incomplete/)
    expect(renderMarkdown(broken, {lang: 'en'})).toMatch(/Verdict: ⚠️ Incomplete/)
    expect(renderHtml(broken, {lang: 'en'})).toMatch(/class="verdict incomplete"/)
  })
})

describe('CSV cells are never formulas', () => {
  it('cells starting with = + - @ TAB CR get an apostrophe and quotes (OWASP)', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
    expect(csvCell('+1')).toBe(`"'+1"`)
    expect(csvCell('-cmd')).toBe(`"'-cmd"`)
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`)
    expect(csvCell('\tx')).toBe(`"'\tx"`)
    expect(csvCell('\rx')).toBe(`"'\rx"`)
    expect(csvCell(-3.5)).toBe('-3.5')
    expect(csvCell('太原公积金')).toBe('太原公积金')
  })

  it('sjt score --format csv neutralises a hostile app name', () => {
    const s = scoreResult({...sample, app: {...sample.app, name: '=cmd|\' /C calc\'!A0'}} as ResultDocument)
    const csv = renderRankingCsv([{rank: 1, score: s, file: 'r.json'} as any])
    expect(csv.split('\r\n')[1]).toContain(`"'=cmd|' /C calc'!A0"`)
  })

  it('sjt score --format html has the same Content-Security-Policy as the check report', () => {
    const s = scoreResult(sample)
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
    const report = csp.exec(renderHtml(sample, {lang: 'en'}))![1]
    expect(report).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    expect(csp.exec(renderOneHtml(s, 'en', true))?.[1]).toBe(report)
    expect(csp.exec(renderRankingHtml([{rank: 1, score: s} as any], 'en'))?.[1]).toBe(report)
  })
})

describe('secrets', () => {
  it('a value built around ${VAR} is masked whole, literal part included', () => {
    clearSecrets()
    process.env.SJT_HARD_PART = 'abc123tail'
    const v = secretEnv('sk-live-prefix-${SJT_HARD_PART}', 'en')
    expect(v).toBe('sk-live-prefix-abc123tail')
    expect(maskText(`authorization: ${v}; other`)).toBe('authorization: ***; other')
    expect(maskText(JSON.stringify({headers: {Authorization: v}}))).not.toContain('sk-live-prefix')
    clearSecrets()
    delete process.env.SJT_HARD_PART
  })
})

describe('config discovery', () => {
  it('stops at the repository root, at home, and never reads a folder others may write', () => {
    const base = mkdtempSync(path.join(tmp, 'cfg-'))
    const repo = path.join(base, 'repo')
    const app = path.join(repo, 'apps', 'one')
    mkdirSync(app, {recursive: true})
    mkdirSync(path.join(repo, '.git'))
    writeFileSync(path.join(base, 'sjt.config.yaml'), 'failOn: never\n')
    expect(configSearchDirs(app, '/nonexistent-home')).toEqual([app, path.dirname(app), repo])
    expect(loadConfig(app, 'en').file).toBeUndefined()
    // Home stops it as well (no .git above).
    const home = path.join(base, 'home')
    const inHome = path.join(home, 'work', 'app')
    mkdirSync(inHome, {recursive: true})
    expect(configSearchDirs(inHome, home)).toEqual([inHome, path.dirname(inHome), home])
    // The system temp folder (o+w, sticky) is never searched.
    expect(configSearchDirs(path.join(os.tmpdir(), 'anything'), '/nonexistent-home')).toEqual([path.join(os.tmpdir(), 'anything')])
    // The config used is named.
    writeFileSync(path.join(repo, 'sjt.config.yaml'), 'failOn: warn\n')
    expect(loadConfig(app, 'en').file).toBe(path.join(repo, 'sjt.config.yaml'))
  })

  it('the result and the text report name the config that was used', async () => {
    const doc = (await runCheck({...options(path.join(tmp, 'sample', 'sjt.yaml')), configFile: '/etc/sjt/x.yaml'}, ['manifest'])).doc
    expect(doc.inputs?.config).toBe('/etc/sjt/x.yaml')
    expect(renderText(doc, {lang: 'en', color: false})).toContain('config file used: /etc/sjt/x.yaml')
  })
})

describe('monitor message', () => {
  it('names the timeout and share that applied', () => {
    const m = t('en', 'review.monitor.flagged', {app: 'a', seconds: 7, share: 5})
    expect(m).toBe('a: 5% or more of its probes did not open within 7 s; marked for review')
  })
})

// ---- login headers and $refs, against real loopback servers ----

interface Recorder {
  url: string
  seen: Array<{url: string; authorization?: string}>
  close(): Promise<void>
}
function serve(body: (url: string) => [number, string, string]): Promise<Recorder> {
  const seen: Recorder['seen'] = []
  const s = http.createServer((req, res) => {
    seen.push({url: req.url ?? '', authorization: req.headers.authorization})
    const [status, type, text] = body(req.url ?? '')
    res.writeHead(status, {'content-type': type}).end(text)
  })
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r({url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((c) => (s.closeAllConnections(), s.close(() => c())))})))
}

describe('contracts cannot steer credentials or reads', () => {
  let site: Recorder
  let other: Recorder
  beforeAll(async () => {
    site = await serve(() => [200, 'text/html; charset=utf-8', '<!doctype html><title>t</title>'])
    other = await serve(() => [200, 'application/json', JSON.stringify({code: '0', message: 'ok', data: {}})])
  })
  afterAll(async () => {
    await site.close()
    await other.close()
  })

  function project(contract: Record<string, unknown>): string {
    const dir = mkdtempSync(path.join(tmp, 'proj-'))
    writeFileSync(path.join(dir, 'openapi.yaml'), stringify(contract))
    writeFileSync(path.join(dir, 'sjt.yaml'), readFileSync(path.join(SAMPLE, 'sjt.yaml'), 'utf8').replace(/^contract: .*$/m, 'contract: openapi.yaml'))
    return path.join(dir, 'sjt.yaml')
  }
  const ping = {get: {operationId: 'ping', summary: 'ping', responses: {'200': {description: 'ok', content: {'application/json': {schema: {type: 'object'}}}}}}}

  it('auth.headers go to --api-base, never to a servers[0] host that is not the app', async () => {
    process.env.SJT_HARD_TOKEN = 'Bearer hard-secret-token'
    const manifest = project({openapi: '3.1.0', info: {title: 't', version: '1'}, servers: [{url: other.url}], paths: {'/ping': ping}})
    const auth = {kind: 'headers', headers: {authorization: '${SJT_HARD_TOKEN}'}}
    const notes: string[] = []
    const base = {...options(manifest), url: site.url + '/', noAuth: false, auth, debug: false, progress: (l: string) => notes.push(l)}
    delete (base as any).apiBase
    await runCheck(base, ['contract'])
    const pings = other.seen.filter((s) => s.url === '/ping')
    expect(pings.length).toBeGreaterThan(0)
    expect(pings.every((s) => s.authorization === undefined)).toBe(true)
    expect(notes.join('\n')).toMatch(/login headers are not sent to http:\/\/127\.0\.0\.1:\d+ .*--api-base/)
    // Named with --api-base, it is the app's own API: the header goes there.
    other.seen.length = 0
    await runCheck({...base, apiBase: other.url}, ['contract'])
    expect(other.seen.filter((s) => s.url === '/ping').every((s) => s.authorization === 'Bearer hard-secret-token')).toBe(true)
    delete process.env.SJT_HARD_TOKEN
    clearSecrets()
  })

  it('$refs outside the project, absolute or file: are refused and never read', async () => {
    // One target file per way in: the collector reports each file once.
    const secret = (n: number) => path.join(tmp, `secret${n}.json`)
    for (const n of [1, 2, 3]) writeFileSync(secret(n), JSON.stringify({type: 'object', description: 'TOP-SECRET-VALUE'}))
    const schemaRef = (ref: string) => ({get: {operationId: 'op' + Math.abs(ref.length), summary: 's', responses: {'200': {description: 'ok', content: {'application/json': {schema: {$ref: ref}}}}}}})
    const manifest = project({
      openapi: '3.1.0',
      info: {title: 't', version: '1'},
      servers: [{url: 'http://127.0.0.1:1'}],
      paths: {'/a': schemaRef('../secret1.json'), '/b': schemaRef(secret(2)), '/c': schemaRef('file://' + secret(3)), '/d': schemaRef('/dev/zero')},
    })
    const {doc, artifacts} = {...(await runCheck(options(manifest), ['contract']))}
    const refusals = doc.findings.filter((f) => /was not read: it is not inside the project folder/.test(f.message))
    expect(refusals.map((f) => f.message.match(/\((.*)\)$/)?.[1]).sort()).toEqual(['a file: URL', 'an absolute path', 'an absolute path', 'it leads outside the project folder'])
    expect(JSON.stringify(artifacts)).not.toContain('TOP-SECRET-VALUE')
    // Inside the project, refs still work.
    const dir = path.dirname(manifest)
    writeFileSync(path.join(dir, 'schema.json'), JSON.stringify({type: 'object'}))
    const ok = project({openapi: '3.1.0', info: {title: 't', version: '1'}, servers: [{url: 'http://127.0.0.1:1'}], paths: {'/a': schemaRef('./schema.json')}})
    writeFileSync(path.join(path.dirname(ok), 'schema.json'), JSON.stringify({type: 'object'}))
    const good = await runCheck(options(ok), ['contract'])
    expect(good.doc.findings.some((f) => /not inside the project folder/.test(f.message))).toBe(false)
  })
})
