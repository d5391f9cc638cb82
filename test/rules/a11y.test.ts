// A11Y rules against fixtures/rules/A11Y-…/ (the rule tester): each page visited once in the file's
// Chromium, judged through the pipeline from its saved artifact. Plus the hostile pages
// (fixtures/pages/hostile/) whose scripts must not reach the probes, and an axe-core failure.
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildOptions} from '../../src/cli/check.js'
import {runCheck, saveArtifacts} from '../../src/core/run.js'
import type {Finding} from '../../src/core/types.js'
import {RULES_DIR, testRules} from '../helpers/rule-tester.js'
import {pageRunner} from './pages.js'

const pages = pageRunner()
const failed = (f: Finding[]) => [...new Set(f.filter((x) => x.status === 'fail').map((x) => x.ruleId))].sort()

testRules('a11y', pages.fixture('a11y'))

describe('beyond the fixtures', () => {
  it('an axe finding carries a JPEG crop of the node and the page URL', async () => {
    const url = pages.url(path.join(RULES_DIR, 'A11Y-001/fail.html'))
    const f = await pages.check('a11y', url)
    const v = f.find((x) => x.ruleId === 'A11Y-001' && x.status === 'fail')!
    expect(v.details).toMatchObject({axeRule: 'image-alt', impact: 'critical', selectors: ['img']})
    const shot = v.details!.screenshot as string
    expect(shot).toMatch(/^data:image\/jpeg;base64,/)
    expect(shot.length).toBeLessThanOrEqual(40 * 1024)
    expect(v.location).toEqual({url, selector: 'img'})
  })

  it('hostile page: an AMD loader that refuses anonymous modules does not break axe-core', async () => {
    const f = await pages.check('a11y', pages.url('fixtures/pages/hostile/amd.html'))
    expect(f.filter((x) => x.status === 'error')).toEqual([])
    expect(failed(f)).toEqual(['A11Y-001', 'A11Y-002', 'A11Y-003']) // meta-viewport (moderate) sees user-scalable=no too
    expect(f.find((x) => x.ruleId === 'A11Y-001' && x.status === 'fail')!.details).toMatchObject({axeRule: 'image-alt'})
  })

  it('hostile page: overwritten performance, Promise, querySelectorAll, getAttribute, Array.prototype.map do not reach the probes', async () => {
    const url = pages.url('fixtures/pages/hostile/globals.html')
    const f = await pages.check('a11y', url)
    expect(f.filter((x) => x.status === 'error')).toEqual([])
    expect(failed(f)).toEqual(['A11Y-001', 'A11Y-004'])
    expect(f.filter((x) => x.ruleId === 'A11Y-001' && x.status === 'fail').map((x) => x.details!.axeRule).sort()).toEqual(['button-name', 'html-has-lang'])
    // The same visit judged as the elder mode: no probe broke.
    const e = await pages.check('elder', url)
    expect(e.filter((x) => x.status === 'error')).toEqual([])
  })

  it('when axe-core fails, A11Y-001/002 cannot be judged but A11Y-003/004 still are', async () => {
    const dir = pages.tmpDir()
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
