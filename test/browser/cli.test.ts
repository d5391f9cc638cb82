// `sjt check a11y|elder` as a user runs it: the sample app's site served on loopback at /m/
// (its manifest names https://gjj.taiyuan.gov.cn/m/; --url rebases every page onto the server),
// URL mode without a manifest, and --save-artifacts / --from-artifacts without a browser.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {json, ROOT, sjt} from '../helpers/cli.js'
import {serve, type TestServer} from './server.js'

let server: TestServer
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-cli-browser-'))
const SAMPLE = path.join(ROOT, 'fixtures/apps/sample')

beforeAll(async () => {
  server = await serve({'/m/': path.join(SAMPLE, 'site'), '/fixtures/': path.join(ROOT, 'fixtures')})
})

afterAll(async () => {
  await server?.close()
  rmSync(tmp, {recursive: true, force: true})
})

const strip = (f: any[]) => f.map((x) => ({ruleId: x.ruleId, status: x.status, severity: x.severity, message: x.message, location: x.location}))

describe('sjt check a11y / elder', () => {
  it('the sample app passes every A11Y and ELD rule; artifacts re-audit to the same findings', async () => {
    const arts = path.join(tmp, 'arts')
    const r = await sjt(['check', 'a11y', SAMPLE, '--url', `${server.url}/m/`, '--json', '--save-artifacts', arts, '--out', tmp])
    const doc = json(r)
    expect(r.code, r.stderr).toBe(0)
    expect(doc.categories.a11y.status).toBe('pass')
    expect(doc.environment.browser).toMatch(/Chrom/)
    const pages = [...new Set(doc.findings.map((f: any) => f.location?.url))].sort()
    expect(pages).toEqual(['/m/', '/m/certificate.html', '/m/elder/', '/m/privacy.html', '/m/withdraw.html'].map((p) => server.url + p).sort())
    expect(doc.findings.filter((f: any) => f.status !== 'pass')).toEqual([])
    expect(readdirSync(arts).sort()).toEqual(['manifest.artifacts.json', 'page.artifacts.json', 'targets.artifacts.json'])

    const again = await sjt(['check', 'a11y', SAMPLE, '--from-artifacts', arts, '--json', '--out', tmp, '--chrome-path', '/nonexistent/chrome'])
    expect(again.code, again.stderr).toBe(0)
    expect(strip(json(again).findings)).toEqual(strip(doc.findings))
    expect(json(again).environment.browser).toBe(doc.environment.browser)

    const elder = await sjt(['check', 'elder', SAMPLE, '--from-artifacts', arts, '--json', '--out', tmp])
    const e = json(elder)
    expect(elder.code, elder.stderr).toBe(0)
    expect(e.categories.elder.status).toBe('pass')
    expect(e.findings.filter((f: any) => f.status === 'fail' || f.status === 'error')).toEqual([])
    expect(e.findings.find((f: any) => f.ruleId === 'ELD-010').status).toBe('pass')
  })

  it('sjt check elder on the sample site (live)', async () => {
    const r = await sjt(['check', 'elder', SAMPLE, '--url', `${server.url}/m/`, '--json', '--out', tmp, '--lang', 'zh-CN'])
    const doc = json(r)
    expect(r.code, r.stderr).toBe(0)
    expect(doc.findings.filter((f: any) => f.status === 'fail' || f.status === 'error')).toEqual([])
    expect(doc.findings.find((f: any) => f.ruleId === 'ELD-001').message).toMatch(/长辈版/)
  })

  it('URL mode without a manifest: a11y fails with exit 1, the finding has selectors and a screenshot', async () => {
    const url = `${server.url}/fixtures/rules/A11Y-001/fail.html`
    const r = await sjt(['check', 'a11y', '--url', url, '--json', '--out', tmp], {cwd: tmp})
    const doc = json(r)
    expect(r.code).toBe(1)
    expect(doc.inputs).toEqual({url})
    const f = doc.findings.find((x: any) => x.ruleId === 'A11Y-001' && x.status === 'fail')
    expect(f.details.selectors).toEqual(['img'])
    expect(f.details.screenshot).toMatch(/^data:image\/jpeg;base64,/)
  })

  it('URL mode with --url and --elder-url judges the elder page; ELD-010 compares link sets', async () => {
    const base = `${server.url}/fixtures/rules/ELD-010/fail`
    const r = await sjt(['check', 'elder', '--url', `${base}/index.html`, '--elder-url', `${base}/elder.html`, '--json', '--out', tmp], {cwd: tmp})
    const doc = json(r)
    expect(r.code).toBe(0) // ELD-010 is a warn
    const failed = doc.findings.filter((x: any) => x.status === 'fail')
    expect(failed.map((x: any) => [x.ruleId, x.severity])).toEqual([['ELD-010', 'warn']])
    expect(failed[0].message).toMatch(/certificate\.html/)
  })
})
