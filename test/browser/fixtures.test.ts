// Every A11Y and ELD rule against its fixture pages (fixtures/pages), rendered in one Chromium
// for the whole file: pages served on 127.0.0.1, gathered by the page collector, judged by the
// pipeline from the saved artifacts.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildOptions} from '../../src/core/check.js'
import {loadProfile} from '../../src/core/profile.js'
import {runCheck, saveArtifacts} from '../../src/core/run.js'
import type {Category, Finding, GatherContext} from '../../src/core/types.js'
import {collect} from '../../src/gather/page.js'
import {launchBrowser, type BrowserSession} from '../../src/lib/browser.js'
import {ROOT} from '../helpers/cli.js'
import {serve, type TestServer} from './server.js'

const PAGES = path.join(ROOT, 'fixtures/pages')
let server: TestServer
let session: BrowserSession
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-fixtures-'))
const profile = loadProfile('shanxi-2022', 'en')

beforeAll(async () => {
  server = await serve({'/pages/': PAGES})
  session = await launchBrowser({lang: 'en'})
})

afterAll(async () => {
  await session?.close()
  await server?.close()
  rmSync(tmp, {recursive: true, force: true})
})

/** Rules whose fixtures are folders ({pass,fail}/index.html, elder.html), checked in their own tests below. */
const PAIRED = new Set(['ELD-010', 'ELD-012', 'A11Y-005', 'A11Y-006'])

let n = 0
/** Gather with the file's browser, then audit through the pipeline from the saved artifacts. */
async function check(category: Category, url: string, elderUrl?: string, manifest?: Record<string, unknown>): Promise<Finding[]> {
  const options = buildOptions({}, {}, 'en')
  options.url = url
  options.elderUrl = elderUrl
  options.progress = undefined
  options.timeoutMs = 15_000
  const ctx: GatherContext = {options, profile, artifacts: {}, shared: new Map([['browser', session as unknown as {close(): Promise<void>}]])}
  const page = await collect(ctx)
  const dir = path.join(tmp, String(n++))
  saveArtifacts(dir, manifest ? {page, manifest} : {page})
  const {doc} = await runCheck({...options, fromArtifacts: dir}, [category])
  return doc.findings
}

const failed = (f: Finding[]) => [...new Set(f.filter((x) => x.status === 'fail').map((x) => x.ruleId))].sort()

function cases(category: 'a11y' | 'elder') {
  const dir = path.join(PAGES, category)
  return readdirSync(dir)
    .filter((d) => /^[A-Z0-9]+-\d{3}$/.test(d) && !PAIRED.has(d))
    .sort()
    .flatMap((rule) => readdirSync(path.join(dir, rule)).sort().map((file) => ({rule, file, url: `${server.url}/pages/${category}/${rule}/${file}`})))
}

describe('A11Y fixtures', () => {
  // A fail page may also trip the axe-core rule that sees the same defect (A11Y-001/002).
  const alsoAxe: Record<string, string[]> = {'A11Y-003': ['A11Y-002'], 'A11Y-004': ['A11Y-001']}

  it('every A11Y rule has a failing and a passing page', () => {
    for (const r of profile.rules.filter((x) => x.category === 'a11y')) {
      const files = readdirSync(path.join(PAGES, 'a11y', r.id))
      expect(files.some((f) => f.startsWith('fail')), r.id).toBe(true)
      expect(files.some((f) => f.startsWith('pass')), r.id).toBe(true)
    }
  })

  it('each page judged as its name says', async () => {
    for (const c of cases('a11y')) {
      const f = await check('a11y', c.url)
      expect(f.filter((x) => x.status === 'error'), c.file).toEqual([])
      if (c.file.startsWith('pass')) expect(failed(f), `${c.rule}/${c.file}`).toEqual([])
      else expect(failed(f), `${c.rule}/${c.file}`).toEqual([c.rule, ...(alsoAxe[c.rule] ?? [])].sort())
    }
  })

  it('an axe finding carries impact, help, selectors and a JPEG crop of the node', async () => {
    const f = await check('a11y', `${server.url}/pages/a11y/A11Y-001/fail.html`)
    const v = f.find((x) => x.ruleId === 'A11Y-001' && x.status === 'fail')!
    expect(v.details).toMatchObject({axeRule: 'image-alt', impact: 'critical', selectors: ['img']})
    const shot = v.details!.screenshot as string
    expect(shot).toMatch(/^data:image\/jpeg;base64,/)
    expect(shot.length).toBeLessThanOrEqual(40 * 1024)
    expect(v.location).toEqual({url: `${server.url}/pages/a11y/A11Y-001/fail.html`, selector: 'img'})
  })
})

describe('hostile pages (fixtures/pages/hostile): probes run in an isolated world', () => {
  it('an AMD loader that refuses anonymous modules does not break axe-core', async () => {
    const f = await check('a11y', `${server.url}/pages/hostile/amd.html`)
    expect(f.filter((x) => x.status === 'error')).toEqual([])
    expect(failed(f)).toEqual(['A11Y-001', 'A11Y-002', 'A11Y-003']) // meta-viewport (moderate) sees user-scalable=no too
    expect(f.find((x) => x.ruleId === 'A11Y-001' && x.status === 'fail')!.details).toMatchObject({axeRule: 'image-alt'})
  })

  it('overwritten performance, Promise, querySelectorAll, getAttribute, Array.prototype.map do not reach the probes', async () => {
    const f = await check('a11y', `${server.url}/pages/hostile/globals.html`)
    expect(f.filter((x) => x.status === 'error')).toEqual([])
    expect(failed(f)).toEqual(['A11Y-001', 'A11Y-004'])
    expect(f.filter((x) => x.ruleId === 'A11Y-001' && x.status === 'fail').map((x) => x.details!.axeRule).sort()).toEqual(['button-name', 'html-has-lang'])
    const e = await check('elder', `${server.url}/pages/hostile/globals.html`)
    expect(e.filter((x) => x.status === 'error')).toEqual([])
  })

  it('when axe-core fails, A11Y-001/002 cannot be judged but A11Y-003/004 still are', async () => {
    const dir = path.join(tmp, 'axe-error')
    const visit = {role: 'entry', url: 'https://m.example.gov.cn/', probes: {a11y: {axeVersion: '', tags: [], violations: [], passes: [], viewport: ['width=device-width, user-scalable=no'], lang: 'zh-CN', axeError: 'Error: No AMD modules allowed'}}}
    saveArtifacts(dir, {page: {browserVersion: 'x', viewport: {width: 375, height: 812, deviceScaleFactor: 3}, pages: [visit]}})
    const options = buildOptions({}, {}, 'en')
    const {doc} = await runCheck({...options, progress: undefined, fromArtifacts: dir}, ['a11y'])
    const by = Object.fromEntries(doc.findings.map((x) => [x.ruleId, x]))
    expect(by['A11Y-001'].status).toBe('error')
    expect(by['A11Y-001'].message).toContain('No AMD modules allowed')
    expect(by['A11Y-002'].status).toBe('error')
    expect(by['A11Y-003'].status).toBe('fail')
    expect(by['A11Y-004'].status).toBe('pass')
  })
})

describe('ELD fixtures', () => {
  // A too-small close control is also a too-small tap target in elder mode. Every pop-up of the
  // ELD-008 pages is also a pop-up that ELD-006 forbids in elder mode (where they are measured).
  // Text fixed in px cannot reach 30 px either (ELD-002's warn band).
  const also: Record<string, string[]> = {
    'ELD-008/fail.html': ['ELD-003', 'ELD-006'],
    'ELD-008/fail-backdrop.html': ['ELD-006'],
    'ELD-008/fail-position.html': ['ELD-006'],
    'ELD-008/pass.html': ['ELD-006'],
    'ELD-008/pass-bottom-centre.html': ['ELD-006'],
    'ELD-011/fail.html': ['ELD-002'],
    // A floating 下载App button is a lure and, floating over the content, a pop-up layer too (MIIT 附件2 §5.1.1).
    'ELD-007/fail.html': ['ELD-006'],
  }

  it('every ELD rule has a failing and a passing page', () => {
    for (const r of profile.rules.filter((x) => x.category === 'elder')) {
      const files = readdirSync(path.join(PAGES, 'elder', r.id))
      expect(files.some((f) => f.startsWith('fail')), r.id).toBe(true)
      expect(files.some((f) => f.startsWith('pass')), r.id).toBe(true)
    }
  })

  it('each page judged as its name says (measured as the elder mode)', async () => {
    for (const c of cases('elder')) {
      const f = await check('elder', c.url)
      const key = `${c.rule}/${c.file}`
      if (c.file.startsWith('error')) {
        expect(f.filter((x) => x.ruleId === c.rule).map((x) => x.status), key).toEqual(['error'])
        expect(failed(f), key).toEqual([])
        continue
      }
      expect(f.filter((x) => x.status === 'error'), key).toEqual([])
      const expected = [...new Set([...(c.file.startsWith('pass') ? [] : [c.rule]), ...(also[key] ?? [])])].sort()
      expect(failed(f), key).toEqual(expected)
    }
  }, 480_000)

  it('ELD-011 and ELD-002 measure text enlarged by the platform setting and by the page\'s control; ELD-005 measures icons', async () => {
    const at = (p: string) => `${server.url}/pages/elder/${p}`
    const fixed = await check('elder', at('ELD-011/fail.html'))
    expect(fixed.find((x) => x.ruleId === 'ELD-011')!.details).toMatchObject({platformShare: 0, sizeAdjustLocked: true, control: null})
    const control = await check('elder', at('ELD-011/pass-control.html'))
    expect(control.find((x) => x.ruleId === 'ELD-011')!.details).toMatchObject({platformShare: 0, controlShare: 100, control: {text: 'A+ 放大字号', clicks: 3}})
    expect(control.find((x) => x.ruleId === 'ELD-002' && x.details?.key === 'largest')!.details).toMatchObject({reachedBy: 'control', largestPx: 32})
    const capped = await check('elder', at('ELD-002/fail-largest.html'))
    expect(capped.find((x) => x.ruleId === 'ELD-002' && x.status === 'fail')!.details).toMatchObject({reachedBy: 'platform', largestPx: 24})
    const share = await check('elder', at('ELD-002/fail-small-share.html'))
    const main = share.find((x) => x.ruleId === 'ELD-002' && x.details?.key === 'main')!
    expect(main.status).toBe('fail')
    expect(main.details!.smallShare as number).toBeGreaterThan(40)
    const icons = await check('elder', at('ELD-005/fail-icon-font.html'))
    const low = icons.find((x) => x.ruleId === 'ELD-005' && x.status === 'fail')!
    expect(low.details!.key).toBe('icon')
    expect((low.details!.icons as Array<{kind: string; contrast: number}>)[0]).toMatchObject({kind: 'font'})
    expect((low.details!.icons as Array<{contrast: number}>)[0].contrast).toBeLessThan(2.5)
    const svg = await check('elder', at('ELD-005/fail-icon-svg.html'))
    expect((svg.find((x) => x.ruleId === 'ELD-005' && x.status === 'fail')!.details!.icons as Array<{kind: string}>)[0].kind).toBe('svg')
  })

  it('ELD-002 sizes are measured, ELD-005 composites translucent backgrounds', async () => {
    const f = await check('elder', `${server.url}/pages/elder/ELD-005/fail-alpha.html`)
    const c = f.find((x) => x.ruleId === 'ELD-005')!
    expect(c.status).toBe('fail')
    expect((c.details!.elements as Array<{bg: string; ratio: number}>)[0]).toMatchObject({bg: '#b6c5d7'})
    const s = await check('elder', `${server.url}/pages/elder/ELD-002/fail.html`)
    expect(s.find((x) => x.ruleId === 'ELD-002' && x.status === 'fail')!.details).toMatchObject({mainTextPx: 14})
  })

  it('ELD-010 compares the elder entry with the standard entry', async () => {
    // fail-same-name: the elder entry links elder/certificate.html, another file of the same name.
    for (const v of ['fail', 'fail-same-name', 'pass']) {
      const base = `${server.url}/pages/elder/ELD-010/${v}`
      const f = await check('elder', `${base}/index.html`, `${base}/elder.html`)
      expect(failed(f), v).toEqual(v === 'pass' ? [] : ['ELD-010'])
      expect(f.filter((x) => x.ruleId === 'ELD-010').map((x) => x.status), v).toEqual([v === 'pass' ? 'pass' : 'fail'])
    }
  })
})

describe('service entries on real-looking pages (A11Y-005, A11Y-006, ELD-012)', () => {
  // A manifest that declares the page as the app's entry (the --url page stands for app.entry).
  const manifest = {file: 'sjt.yaml', dir: tmp, format: 'yaml', data: {app: {entry: 'https://swj.jinzhong.gov.cn/m/'}}, positions: {}, keys: {}}

  it('A11Y-005 投诉建议 and A11Y-006 搜索 on the entry page', async () => {
    for (const rule of ['A11Y-005', 'A11Y-006']) {
      for (const v of ['fail', 'pass']) {
        const f = await check('a11y', `${server.url}/pages/a11y/${rule}/${v}/index.html`, undefined, manifest)
        expect(f.filter((x) => x.status === 'error'), `${rule}/${v}`).toEqual([])
        expect(failed(f), `${rule}/${v}`).toEqual(v === 'pass' ? [] : [rule])
      }
    }
  })

  it('ELD-012 read-aloud in the elder version', async () => {
    for (const v of ['fail', 'pass']) {
      const base = `${server.url}/pages/elder/ELD-012/${v}`
      const f = await check('elder', `${base}/index.html`, `${base}/elder.html`)
      expect(f.filter((x) => x.ruleId === 'ELD-012').map((x) => x.status), v).toEqual([v])
    }
  })
})
