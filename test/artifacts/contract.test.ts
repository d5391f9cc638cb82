// The artifact contract: what `--save-artifacts` writes matches standards/schemas/artifacts/, is
// read back by `--from-artifacts` into the same verdicts (the targets artifact carries --url, so
// no audit needs the options), and a file that does not match its schema is refused with exit 2
// and the JSON Pointer of the problem. Real HTTPS server on loopback; no browser (the page
// artifact is then an error, which the schemas also cover).
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, unlinkSync, cpSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'
import {ARTIFACT_NAMES} from '../../src/artifacts/index.js'
import {artifactSchema, validateArtifact} from '../../src/artifacts/validate.js'
// @ts-expect-error: plain JS fixture server without type declarations
import {startSampleServer} from '../../fixtures/apps/sample/server/index.js'

const SAMPLE = path.join(ROOT, 'fixtures/apps/sample')
let sample: {entry: string; caFile: string; close(): Promise<void>}
let tmp: string
let arts: string
let first: any

const verdicts = (doc: any) => doc.findings.map((f: any) => `${f.ruleId} ${f.status} ${f.message}`)

beforeAll(async () => {
  sample = await startSampleServer({https: true, port: 0})
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-artifacts-'))
  arts = path.join(tmp, 'arts')
  const r = await sjtIn(['check', 'security', SAMPLE, '--url', sample.entry, '--ca', sample.caFile, '--chrome-path', path.join(tmp, 'no-chrome'), '--save-artifacts', arts, '--json', '--lang', 'en', '--out', path.join(tmp, 'out1')])
  // No browser: the page rules are errors (exit 3), SEC-001…009 are judged from the http artifact.
  expect(r.code, r.stderr).toBe(3)
  first = JSON.parse(r.stdout)
}, 120_000)

afterAll(async () => {
  await sample?.close()
  if (tmp) rmSync(tmp, {recursive: true, force: true})
})

describe('artifact schemas', () => {
  it('every artifact has a draft 2020-12 schema, and what a run saved matches it', () => {
    for (const name of ARTIFACT_NAMES) {
      const s = artifactSchema(name)
      expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
      expect(s.$id).toBe(`https://sjt.example/schemas/artifacts/${name}.schema.json`)
    }
    const saved = readdirSync(arts).sort()
    expect(saved).toEqual(['http.artifacts.json', 'manifest.artifacts.json', 'page.artifacts.json', 'targets.artifacts.json'])
    for (const f of saved) {
      const name = f.replace('.artifacts.json', '') as (typeof ARTIFACT_NAMES)[number]
      expect(validateArtifact(name, JSON.parse(readFileSync(path.join(arts, f), 'utf8')), 'en'), f).toBeNull()
    }
    // The page artifact could not be gathered: its error form is part of the contract.
    expect(JSON.parse(readFileSync(path.join(arts, 'page.artifacts.json'), 'utf8')).__error.exitCode).toBe(3)
  })

  it('the targets artifact holds the pages, fetches and the URLs given on the command line', () => {
    const t = JSON.parse(readFileSync(path.join(arts, 'targets.artifacts.json'), 'utf8'))
    expect(t.given).toEqual({url: sample.entry})
    expect(t.entry).toBe(sample.entry)
    expect(t.pages[0]).toEqual({role: 'entry', url: sample.entry})
    expect(t.http.find((h: any) => h.role === 'entry')).toEqual({role: 'entry', url: sample.entry, source: '--url'})
    expect(t.lighthouse.map((l: any) => l.role)).toContain('entry')
  })

  it('a wrong shape is refused with exit 2, the artifact, the JSON Pointer and a hint, in zh-CN and en', () => {
    expect(validateArtifact('http', {targets: 'x', tls: [], redirects: [], exposed: {checks: []}, skipped: []}, 'en')).toEqual({pointer: '/targets', message: 'must be array'})
    expect(validateArtifact('targets', {given: {}, pages: [{role: 'kiosk', url: 'https://a.example/'}], lighthouse: [], http: [], login: {required: []}}, 'en')?.pointer).toBe('/pages/0/role')
    expect(validateArtifact('manifest', null, 'en')).toBeNull()
  })
})

describe('--from-artifacts', () => {
  it('gives the same verdicts and metrics as the run that gathered them, without --url', async () => {
    const r = await sjtIn(['check', 'security', SAMPLE, '--from-artifacts', arts, '--json', '--lang', 'en', '--out', path.join(tmp, 'out2')])
    expect(r.code, r.stderr).toBe(3)
    const doc = JSON.parse(r.stdout)
    expect(verdicts(doc)).toEqual(verdicts(first))
    expect(doc.metrics.security).toEqual(first.metrics.security)
    expect(doc.unavailable).toEqual(first.unavailable)
    expect(first.findings.filter((f: any) => f.status === 'pass').length).toBeGreaterThan(3)
  })

  it('artifacts saved without a targets file (older runs) are still read', async () => {
    const old = path.join(tmp, 'old')
    cpSync(arts, old, {recursive: true})
    unlinkSync(path.join(old, 'targets.artifacts.json'))
    writeFileSync(path.join(old, 'security.artifacts.json'), JSON.stringify({metrics: {grade: 'A+'}}))
    const r = await sjtIn(['check', 'security', SAMPLE, '--from-artifacts', old, '--json', '--lang', 'en', '--out', path.join(tmp, 'out3')])
    expect(r.code, r.stderr).toBe(3)
    expect(JSON.parse(r.stdout).findings.map((f: any) => f.ruleId)).toEqual(first.findings.map((f: any) => f.ruleId))
  })

  it('an artifact that does not match its schema exits 2 naming the file and the pointer', async () => {
    const bad = path.join(tmp, 'bad')
    cpSync(arts, bad, {recursive: true})
    const http = JSON.parse(readFileSync(path.join(bad, 'http.artifacts.json'), 'utf8'))
    http.targets[0].fetch.headers = 'x-frame-options: DENY'
    writeFileSync(path.join(bad, 'http.artifacts.json'), JSON.stringify(http))
    const en = await sjtIn(['check', 'security', SAMPLE, '--from-artifacts', bad, '--lang', 'en', '--out', path.join(tmp, 'out4')])
    expect(en.code).toBe(2)
    expect(en.stderr).toContain('the http artifact does not match its schema at /targets/0/fetch/headers: must be object')
    expect(en.stderr).toContain('http.artifacts.json')
    expect(en.stderr).toContain('standards/schemas/artifacts/')
    const zh = await sjtIn(['check', 'security', SAMPLE, '--from-artifacts', bad, '--lang', 'zh-CN', '--out', path.join(tmp, 'out5')])
    expect(zh.code).toBe(2)
    expect(zh.stderr).toContain('采集数据 http 不符合其结构定义，位置 /targets/0/fetch/headers')
  })
})
