// ELD rules against fixtures/rules/ELD-…/ (the rule tester): each page visited once in the file's
// Chromium and judged as the elder mode (no elder entry is given, so the page stands in for it);
// ELD-010's fixtures are folders of a standard entry (index.html) and its elder entry (elder.html).
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {RULES_DIR, testRules} from '../helpers/rule-tester.js'
import {pageRunner} from './pages.js'

const pages = pageRunner()
const at = (p: string) => pages.url(path.join(RULES_DIR, p))

testRules('elder', pages.fixture('elder'))

describe('beyond the fixtures', () => {
  it('a page whose text cannot be measured leaves ELD-005 in error and fails nothing', async () => {
    const f = await pages.check('elder', at('ELD-005/error-gradient.html'))
    expect(f.filter((x) => x.ruleId === 'ELD-005').map((x) => x.status)).toEqual(['error'])
    expect(f.filter((x) => x.status === 'fail')).toEqual([])
  })

  it('ELD-011 and ELD-002 measure text enlarged by the page\'s control; ELD-005 measures icons', async () => {
    const control = await pages.check('elder', at('ELD-011/pass-control.html'))
    expect(control.find((x) => x.ruleId === 'ELD-011')!.details).toMatchObject({platformShare: 0, controlShare: 100, control: {text: 'A+ 放大字号', clicks: 3}})
    expect(control.find((x) => x.ruleId === 'ELD-002' && x.details?.key === 'largest')!.details).toMatchObject({reachedBy: 'control', largestPx: 32})
    const share = await pages.check('elder', at('ELD-002/fail-small-share.html'))
    const main = share.find((x) => x.ruleId === 'ELD-002' && x.details?.key === 'main')!
    expect(main.status).toBe('fail')
    expect(main.details!.smallShare as number).toBeGreaterThan(40)
    const icons = await pages.check('elder', at('ELD-005/fail-icon-font.html'))
    const low = icons.find((x) => x.ruleId === 'ELD-005' && x.status === 'fail')!
    expect((low.details!.icons as Array<{kind: string; contrast: number}>)[0]).toMatchObject({kind: 'font'})
    expect((low.details!.icons as Array<{contrast: number}>)[0].contrast).toBeLessThan(2.5)
    const svg = await pages.check('elder', at('ELD-005/fail-icon-svg.html'))
    expect((svg.find((x) => x.ruleId === 'ELD-005' && x.status === 'fail')!.details!.icons as Array<{kind: string}>)[0].kind).toBe('svg')
  })

  it('ELD-005 composites translucent backgrounds', async () => {
    const f = await pages.check('elder', at('ELD-005/fail-alpha.html'))
    const c = f.find((x) => x.ruleId === 'ELD-005')!
    expect(c.status).toBe('fail')
    expect((c.details!.elements as Array<{bg: string; ratio: number}>)[0]).toMatchObject({bg: '#b6c5d7'})
  })

  it('ELD-010 gives one verdict comparing the elder entry with the standard entry', async () => {
    // fail-same-name: the elder entry links elder/certificate.html, another file of the same name.
    for (const v of ['fail', 'fail-same-name', 'pass']) {
      const f = await pages.check('elder', at(`ELD-010/${v}/index.html`), at(`ELD-010/${v}/elder.html`))
      expect(f.filter((x) => x.ruleId === 'ELD-010').map((x) => x.status), v).toEqual([v === 'pass' ? 'pass' : 'fail'])
    }
  })
})
