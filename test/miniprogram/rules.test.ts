// MP-001 … MP-010 on the sample projects and mutations generated here, run in-process through the
// real pipeline (collector, rules, result document). Each rule on its fixtures (fixtures/rules/MP-…/):
// test/rules/miniprogram.test.ts.
import {cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, mkdirSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {buildOptions} from '../../src/cli/check.js'
import {InputError} from '../../src/lib/errors.js'
import {runCheck} from '../../src/core/run.js'
import type {Category, Finding, ResultDocument} from '../../src/core/types.js'
import {schemaValidator} from '../../src/lib/schema.js'
import {ROOT} from '../helpers/cli.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-mp-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))
const RULES = path.join(ROOT, 'fixtures/rules')
const WECHAT = path.join(ROOT, 'fixtures/miniprograms/wechat-sample')
const ALIPAY = path.join(ROOT, 'fixtures/miniprograms/alipay-sample')

async function project(dir: string, categories: Category[] = ['miniprogram']): Promise<ResultDocument> {
  const options = buildOptions({}, {}, 'en')
  options.progress = undefined
  options.miniprogramProject = dir
  const {doc} = await runCheck(options, categories)
  expect(schemaValidator('result')(doc)).toBe(true)
  return doc
}

async function app(dir: string, categories: Category[] = ['miniprogram']): Promise<ResultDocument> {
  const options = buildOptions({}, {}, 'en', path.join(dir, 'sjt.yaml'))
  options.progress = undefined
  const {doc} = await runCheck(options, categories)
  expect(schemaValidator('result')(doc)).toBe(true)
  return doc
}

const of = (doc: ResultDocument, id: string): Finding[] => doc.findings.filter((f) => f.ruleId === id)
const copy = (from: string, name: string) => {
  const to = path.join(tmp, name)
  cpSync(from, to, {recursive: true})
  return to
}

describe('sample projects', () => {
  it('the WeChat sample passes every MP rule, with its manifest', async () => {
    const doc = await app(WECHAT, ['manifest', 'miniprogram'])
    expect(doc.categories.miniprogram?.status).toBe('pass')
    expect(doc.categories.manifest?.status).toBe('pass')
    for (let i = 1; i <= 10; i++) {
      const id = `MP-${String(i).padStart(3, '0')}`
      expect(of(doc, id).length, id).toBeGreaterThan(0)
      expect(of(doc, id).every((f) => f.status === 'pass'), `${id}: ${JSON.stringify(of(doc, id))}`).toBe(true)
    }
    expect(doc.inputs?.miniprogram).toMatch(/wechat-sample[/\\]miniprogram$/)
    const m = doc.metrics.miniprogram as {pages: number; files: number}
    expect(m.pages).toBe(4)
    // The elder page's text sizes are resolved from rpx at 750 and reported.
    const font = of(doc, 'MP-006')[0]
    expect(font.message).toContain('smallest 20 px')
    expect(font.location?.file).toMatch(/pages[/\\]elder[/\\]index\.wxml$/)
  })

  it('the Alipay sample passes every MP rule (AXML/ACSS, subPackages, onTap)', async () => {
    const doc = await app(ALIPAY, ['manifest', 'miniprogram'])
    expect(doc.categories.miniprogram?.status).toBe('pass')
    expect(of(doc, 'MP-001')[0].details?.platform).toBe('alipay')
    expect(doc.findings.filter((f) => f.category === 'miniprogram' && f.status !== 'pass')).toEqual([])
  })

  it('a full check of a mini-program app runs manifest, contract and miniprogram, not the page categories', async () => {
    const doc = await app(WECHAT, ['manifest', 'contract', 'a11y', 'elder', 'perf', 'security', 'miniprogram'].filter((c) => c !== 'contract') as Category[])
    expect(Object.keys(doc.categories).sort()).toEqual(['manifest', 'miniprogram'])
  })

  it('an H5 app does not get a miniprogram category in a full check, and MP rules are not applicable when asked alone', async () => {
    const full = await app(path.join(ROOT, 'fixtures/apps/sample'), ['manifest', 'miniprogram'])
    expect(full.categories.miniprogram).toBeUndefined()
    const alone = await app(path.join(ROOT, 'fixtures/apps/sample'), ['miniprogram'])
    expect(alone.findings.every((f) => f.status === 'not-applicable')).toBe(true)
  })
})

describe('generated mutations', () => {
  it('MP-002: an oversized main package and subpackage fail, naming the largest files; a 50 MB image is sized, not read; ignore rules count', async () => {
    const dir = copy(path.join(WECHAT, 'miniprogram'), 'mp002')
    const big = path.join(dir, 'images', 'banner.png')
    writeFileSync(big, '')
    truncateSync(big, 50 * 1024 * 1024) // sparse: 50 MB on paper
    const sub = path.join(dir, 'packageB', 'video.mp4')
    writeFileSync(sub, '')
    truncateSync(sub, 3 * 1024 * 1024)
    const before = process.memoryUsage().rss
    const doc = await project(dir)
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024)
    const list = of(doc, 'MP-002')
    const main = list.find((f) => f.message.startsWith('main package'))!
    expect(main.status).toBe('fail')
    expect(main.message).toContain('images/banner.png (50.00 MB)')
    expect(list.find((f) => f.message.startsWith('packageB'))?.status).toBe('fail')
    expect(list.some((f) => f.message.startsWith('all packages total'))).toBe(true)
    // packOptions.ignore leaves the file out of the upload, as the developer tool does.
    const cfg = JSON.parse(readFileSync(path.join(dir, 'project.config.json'), 'utf8'))
    cfg.packOptions.ignore.push({type: 'suffix', value: '.png'}, {type: 'glob', value: 'packageB/**/*.mp4'})
    writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify(cfg))
    const again = await project(dir)
    expect(of(again, 'MP-002').every((f) => f.status === 'pass')).toBe(true)
  })

  it('MP-003/MP-004: the manifest must declare the collection and the third-party host', async () => {
    const dir = copy(WECHAT, 'mp003')
    const y = readFileSync(path.join(dir, 'sjt.yaml'), 'utf8')
    writeFileSync(
      path.join(dir, 'sjt.yaml'),
      y
        .replace(/^ {4}- \{item: location.*\n/m, '')
        .replace('permissions: [location]', 'permissions: []')
        .replace(/ {2}collects:\n.*\n/, '')
        .replace(/thirdParties:\n.*\n/, 'thirdParties: []\n'),
    )
    const doc = await app(dir)
    const p = of(doc, 'MP-003')
    expect(p.map((f) => f.status)).toEqual(['fail'])
    expect(p[0].message).toContain('wx.getLocation collects location')
    expect(p[0].location?.file).toMatch(/service\.js$/)
    const n = of(doc, 'MP-004')
    expect(n.map((f) => f.status)).toEqual(['fail'])
    expect(n[0].message).toContain('apis.map.qq.com')
  })

  it('MP-003 compares with privacy.collects when the manifest has it, and says which declaration it used', async () => {
    const sample = await app(WECHAT)
    expect(of(sample, 'MP-003').map((f) => [f.status, f.details?.comparedWith])).toEqual([['pass', 'collects']])
    expect(of(sample, 'MP-003')[0].message).toContain("match the manifest's privacy.collects")
    const dir = copy(WECHAT, 'mp003c')
    const y = readFileSync(path.join(dir, 'sjt.yaml'), 'utf8')
    // The collection declared is camera, the code collects location: both directions are reported.
    writeFileSync(path.join(dir, 'sjt.yaml'), y.replace(/- \{kind: location, purpose: [^}]*\}/, '- {kind: camera, purpose: 扫码核验}'))
    const p = of(await app(dir), 'MP-003')
    expect(p.map((f) => [f.status, f.severity])).toEqual([['fail', 'error'], ['fail', 'warn']])
    expect(p[0].message).toContain("wx.getLocation collects location, which the manifest's privacy.collects does not declare")
    expect(p[0].location?.file).toMatch(/service\.js$/)
    expect(p[1].message).toContain('privacy.collects declares camera, but no code collects it')
    // Without privacy.collects the older declarations are compared, and the message says so.
    writeFileSync(path.join(dir, 'sjt.yaml'), y.replace(/ {2}collects:\n.*\n/, ''))
    const old = of(await app(dir), 'MP-003')
    expect(old.map((f) => [f.status, f.details?.comparedWith])).toEqual([['pass', 'personalInfo']])
    expect(old[0].message).toContain('no privacy.collects')
  })

  it('MP-003 on Alipay: my.getLocation without an authorisation flow fails', async () => {
    const dir = copy(path.join(ALIPAY, 'project'), 'mp003a')
    const f = path.join(dir, 'pages/query/query.js')
    writeFileSync(f, "Page({\n  nearby() {\n    my.getLocation({success: () => {}})\n  },\n})\n")
    const list = of(await project(dir), 'MP-003')
    expect(list[0].status).toBe('fail')
    expect(list[0].message).toContain('my.getLocation')
    expect(list[0].location).toMatchObject({line: 3, column: 8})
  })

  it('a symbolic-link loop and a link out of the project are findings, not hangs', async () => {
    const dir = copy(path.join(RULES, 'MP-001/pass'), 'links')
    symlinkSync('..', path.join(dir, 'pages', 'loop'))
    symlinkSync(os.tmpdir(), path.join(dir, 'outside'))
    const list = of(await project(dir), 'MP-001')
    expect(list.some((f) => f.message.includes('symbolic-link loop'))).toBe(true)
    expect(list.some((f) => f.message.includes('links outside the project'))).toBe(true)
  })
})

describe('bad input', () => {
  const inputError = async (dir: string): Promise<InputError> => {
    try {
      await project(dir)
    } catch (error) {
      expect(error).toBeInstanceOf(InputError)
      return error as InputError
    }
    throw new Error('expected an input error')
  }

  it('no app.json, a file instead of a folder, a missing folder, app.json that is not JSON', async () => {
    const empty = path.join(tmp, 'empty')
    mkdirSync(empty)
    writeFileSync(path.join(empty, 'project.config.json'), '{"appid": "wx1"}')
    expect((await inputError(empty)).format()).toMatch(/app\.json: not a mini-program project/)
    expect((await inputError(path.join(empty, 'project.config.json'))).exitCode).toBe(2)
    expect((await inputError(path.join(tmp, 'nope'))).exitCode).toBe(2)
    const bad = copy(path.join(RULES, 'MP-001/pass'), 'badjson')
    writeFileSync(path.join(bad, 'app.json'), '{\n  "pages": [\n    "pages/index/index",\n  ]\n}\n')
    const e = await inputError(bad)
    expect(e.location).toMatchObject({line: 4, column: 3})
    expect(e.location?.file).toMatch(/app\.json$/)
  })

  it.skipIf(process.getuid?.() === 0)('an unreadable project folder is an input error', async () => {
    const dir = copy(path.join(RULES, 'MP-001/pass'), 'locked')
    const {chmodSync} = await import('node:fs')
    chmodSync(dir, 0o000)
    try {
      expect((await inputError(dir)).exitCode).toBe(2)
    } finally {
      chmodSync(dir, 0o755)
    }
  })
})
