// MP rules against fixtures/rules/MP-…/ (the rule tester): mini-program project folders through the
// real collector and pipeline, in-process. Every failure points at a file and line.
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {validateArtifact} from '../../src/artifacts/validate.js'
import {buildOptions} from '../../src/cli/check.js'
import {readProject} from '../../src/gather/miniprogram/project.js'
import {runCheck} from '../../src/core/run.js'
import type {Finding} from '../../src/core/types.js'
import {schemaValidator} from '../../src/lib/schema.js'
import {RULES_DIR, testRules, type RuleFixture} from '../helpers/rule-tester.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-rules-mp-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

async function project(dir: string): Promise<Finding[]> {
  const options = buildOptions({}, {}, 'en')
  options.progress = undefined
  options.miniprogramProject = dir
  const {doc} = await runCheck(options, ['miniprogram'])
  expect(schemaValidator('result')(doc)).toBe(true)
  return doc.findings
}

/** A temporary copy with the sparse files the fixture asks for (sizes on paper, nothing on disk). */
function withSparse(fx: RuleFixture): string {
  const dir = mkdtempSync(path.join(tmp, 'p'))
  cpSync(fx.file, dir, {recursive: true})
  for (const [file, bytes] of Object.entries(fx.expect.sparse!)) {
    const f = path.join(dir, file)
    if (!f.startsWith(dir + path.sep)) throw new Error(`${fx.rule}/${fx.name}: ${file} is outside the project`)
    mkdirSync(path.dirname(f), {recursive: true})
    writeFileSync(f, '')
    truncateSync(f, bytes)
  }
  return dir
}

testRules('miniprogram', (fx) => project(fx.expect.sparse ? withSparse(fx) : fx.file), (fx, findings) => {
  if (fx.kind !== 'fail') return
  for (const f of findings.filter((x) => x.ruleId === fx.rule && x.status === 'fail')) {
    if (fx.rule === 'MP-002') continue // package sizes are about the package, not a line
    expect(f.location?.file, `${fx.name}: ${f.message}`).toBeTruthy()
    expect(f.location?.line ?? 0).toBeGreaterThanOrEqual(1)
  }
})

describe('beyond the fixtures', () => {
  it('MP-001: a GBK page is named at its template; a failure names the file', async () => {
    const gbk = (await project(path.join(RULES_DIR, 'MP-001/fail-gbk-page'))).filter((f) => f.ruleId === 'MP-001')
    expect(gbk.some((f) => f.message.includes('GBK') && f.location?.file?.endsWith('index.wxml'))).toBe(true)
    const wxml = (await project(path.join(RULES_DIR, 'MP-001/fail-wxml-syntax'))).find((f) => f.ruleId === 'MP-001')!
    expect(wxml.location?.file).toMatch(/index\.wxml$/)
  })

  it('MP-004 does not repeat the secret it found', async () => {
    const secret = (await project(path.join(RULES_DIR, 'MP-004/fail-secret'))).find((f) => f.ruleId === 'MP-004')!
    expect(secret.status).toBe('fail')
    expect(secret.message).not.toContain('3f2a9c1e7b6d4a0f8e5c2b1a9d7e6f40')
  })

  it('MP-007: a tap target whose size is not statically determinable is an error, not a pass', async () => {
    const unknown = (await project(path.join(RULES_DIR, 'MP-007/error-not-determinable'))).find((f) => f.ruleId === 'MP-007')!
    expect(unknown.status).toBe('error')
    expect(unknown.message).toContain('not statically determinable')
    expect(unknown.location?.file).toBeTruthy()
    expect(unknown.location?.line ?? 0).toBeGreaterThanOrEqual(1)
  })

  it('elder rules: a component two elder pages use is reported once, at its own template, naming both pages', async () => {
    const dir = mkdtempSync(path.join(tmp, 'two-'))
    cpSync(path.join(RULES_DIR, 'MP-006/fail-small-text-in-component'), dir, {recursive: true})
    // A second elder page (pages/care/…) that uses the same component, through app.json this time.
    cpSync(path.join(dir, 'pages/elder'), path.join(dir, 'pages/care'), {recursive: true})
    writeFileSync(path.join(dir, 'pages/care/index.json'), '{}\n')
    const app = JSON.parse(readFileSync(path.join(dir, 'app.json'), 'utf8'))
    app.pages.push('pages/care/index')
    app.usingComponents = {'elder-guide': '/components/elder-guide/index'}
    writeFileSync(path.join(dir, 'app.json'), JSON.stringify(app))
    const own = (await project(dir)).filter((f) => f.ruleId === 'MP-006')
    const small = own.filter((f) => f.status === 'fail')
    expect(small).toHaveLength(1)
    expect(small[0].location?.file).toMatch(/components\/elder-guide\/index\.wxml$/)
    expect(small[0].message).toContain('pages/elder/index, pages/care/index')
    expect(small[0].details).toMatchObject({component: 'components/elder-guide/index', reachedFrom: ['pages/elder/index', 'pages/care/index']})
    expect(own.filter((f) => f.status === 'pass')).toEqual([])
  })

  it('the artifact records the components each unit uses (tag → path); plug-ins stay out, and an ad plug-in in a component fails MP-008', async () => {
    const dir = mkdtempSync(path.join(tmp, 'uses-'))
    cpSync(path.join(RULES_DIR, 'MP-008/pass-component'), dir, {recursive: true})
    writeFileSync(path.join(dir, 'components/promo-slot/index.json'), JSON.stringify({component: true, usingComponents: {'ad-banner': 'plugin://adUnion/banner', unused: '/components/service-list/index'}}))
    writeFileSync(path.join(dir, 'components/promo-slot/index.wxml'), '<view class="slot">\n  <ad-banner></ad-banner>\n</view>\n')
    const art = readProject(dir, {lang: 'en'})
    expect(validateArtifact('miniprogram', JSON.parse(JSON.stringify(art)), 'en')).toBeNull()
    expect(art.pages.find((p) => p.route === 'pages/elder/index')?.template?.uses).toEqual({'service-list': 'components/service-list/index'})
    const unit = (p: string) => art.components.find((c) => c.path === p)
    expect(unit('components/service-list/index')?.uses).toEqual({'service-list': 'components/service-list/index', 'promo-slot': 'components/promo-slot/index'})
    expect(unit('components/promo-slot/index')?.uses).toEqual({})
    expect(art.plugins.map((p) => p.name)).toContain('ad-banner')
    expect(validateArtifact('miniprogram', {...JSON.parse(JSON.stringify(art)), components: [{...unit('components/promo-slot/index'), uses: {x: 1}}]}, 'en')?.pointer).toBe('/components/0/uses/x')
    const ad = (await project(dir)).filter((f) => f.ruleId === 'MP-008' && f.status === 'fail')
    expect(ad.map((f) => f.message)).toEqual(['elder page pages/elder/index uses the ad plug-in <ad-banner> (through component components/promo-slot/index)'])
    expect(ad[0].location).toMatchObject({line: 2, column: 3})
  })
})
