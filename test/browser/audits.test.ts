// The A11Y and ELD rules as pure functions over small page artifacts (no browser), plus the
// page-session helpers that need no browser (targets, rebasing, probe discovery).
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/cli.js'
import * as a11y from '../../src/audits/a11y/index.js'
import * as elder from '../../src/audits/elder/index.js'
import {loadProfile} from '../../src/core/profile.js'
import type {AuditContext, GatherContext, RawFinding} from '../../src/core/types.js'
import {buildOptions} from '../../src/cli/check.js'
import {loadProbes} from '../../src/gather/page.js'
import {rebase, resolveServicePath, targetsOf} from '../../src/gather/targets.js'

/** The pages the session visits, as the targets artifact plans them. */
const pageTargets = (c: GatherContext) => targetsOf({options: c.options, artifacts: {...c.artifacts}}).pages
import type {PageArtifact, PageRole, PageVisit} from '../../src/artifacts/page.js'
import type {A11yFacts} from '../../src/artifacts/page.js'
import type {ElderFacts} from '../../src/artifacts/page.js'
import type {TextScaleFacts} from '../../src/artifacts/page.js'

const profile = loadProfile('shanxi-2022', 'en')
const options = buildOptions({}, {}, 'en')

function run(ruleId: string, pages: PageVisit[], extra: Record<string, unknown> = {}): RawFinding[] {
  const rule = profile.rules.find((r) => r.id === ruleId)!
  const mod = rule.category === 'a11y' ? a11y : elder
  const fn = mod.checks[rule.check.split('.')[1]]
  const artifact: PageArtifact = {browserVersion: 'test', viewport: {width: 375, height: 812, deviceScaleFactor: 3}, pages}
  const ctx: AuditContext = {artifacts: {page: artifact, ...extra}, params: rule.params, rule, lang: 'en', profile, options}
  return fn(ctx)
}

const statuses = (f: RawFinding[]) => f.map((x) => x.status)

function a11yFacts(p: Partial<A11yFacts> = {}): A11yFacts {
  return {axeVersion: '4.14.1', tags: [], violations: [], passes: [], viewport: ['width=device-width, initial-scale=1'], lang: 'zh-CN', ...p}
}

function elderFacts(p: Partial<ElderFacts> = {}, text: Partial<ElderFacts['text']> = {}): ElderFacts {
  return {
    viewport: {width: 375, height: 812},
    scale: 1,
    text: {
      totalChars: 100,
      histogram: [
        [20, 80],
        [32, 20],
      ],
      largest: {size: 32, selector: 'h1', text: '标题'},
      blocks: [{selector: 'p', text: '正文', chars: 80, fontSize: 20, bold: false, lineHeight: 32, interactive: false, contrast: 18.9, fg: '#111111', bg: '#ffffff'}],
      paragraphs: [],
      ...text,
    },
    targets: [{selector: 'a', tag: 'a', text: '办理', w: 343, h: 64, inline: false}],
    overlays: [],
    adLabels: [],
    requestHosts: ['127.0.0.1'],
    frames: [],
    lures: [],
    elderSwitch: [],
    captchas: [],
    captchaAlternatives: [],
    links: [],
    icons: [],
    ...p,
  }
}

/** Text-scaling facts: `share` of the characters grow when the default font is doubled; the main text reaches `main` px. */
function scaleFacts(share: number, main = 40, control: TextScaleFacts['control'] = null): TextScaleFacts {
  const hist: Array<[number, number]> = [[main, 100]]
  return {defaultFontPx: 16, enlargedFontPx: 32, base: {totalChars: 100, histogram: [[20, 100]], largest: 20}, platform: {scaledChars: share, totalChars: 100, histogram: share >= 80 ? hist : [[20, 100]], largest: share >= 80 ? main : 20}, sizeAdjustLocked: false, control}
}

const page = (role: PageRole, probes: Record<string, unknown>, more: Partial<PageVisit> = {}): PageVisit => ({role, url: `http://127.0.0.1/${role}`, probes, ...more})

describe('A11Y rules from artifacts', () => {
  const violation = (id: string, impact: 'critical' | 'serious' | 'moderate' | 'minor') => ({id, impact, help: {en: `${id} help`, 'zh-CN': `${id} 说明`}, helpUrl: `https://dequeuniversity.com/rules/axe/4.14/${id}`, tags: ['wcag2a'], nodes: 12, selectors: Array.from({length: 10}, (_, i) => `img:nth-of-type(${i + 1})`), screenshot: 'data:image/jpeg;base64,AAAA'})

  it('A11Y-001: one finding per serious/critical axe rule and page, with selectors and screenshot', () => {
    const f = run('A11Y-001', [page('entry', {a11y: a11yFacts({violations: [violation('image-alt', 'critical'), violation('color-contrast', 'serious'), violation('html-xml-lang-mismatch', 'moderate')]})}), page('service', {a11y: a11yFacts()})])
    expect(statuses(f)).toEqual(['fail', 'fail', 'pass'])
    expect(f[0].location).toEqual({url: 'http://127.0.0.1/entry', selector: 'img:nth-of-type(1)'})
    expect(f[0].details).toMatchObject({axeRule: 'image-alt', impact: 'critical', nodes: 12, helpUrl: expect.stringContaining('image-alt'), screenshot: expect.stringMatching(/^data:image\/jpeg;base64,/)})
    expect((f[0].details!.selectors as string[]).length).toBe(10)
  })

  it('A11Y-002: moderate and minor only', () => {
    const f = run('A11Y-002', [page('entry', {a11y: a11yFacts({violations: [violation('image-alt', 'critical'), violation('html-xml-lang-mismatch', 'moderate')]})})])
    expect(statuses(f)).toEqual(['fail'])
    expect(f[0].details!.axeRule).toBe('html-xml-lang-mismatch')
  })

  it.each([
    ['width=device-width, user-scalable=no', 'fail'],
    ['width=device-width; user-scalable=0', 'fail'],
    ['width=device-width, maximum-scale=1', 'fail'],
    ['width=device-width, maximum-scale=1.9', 'fail'],
    ['width=device-width, maximum-scale=2', 'pass'],
    ['width=device-width, initial-scale=1, user-scalable=yes', 'pass'],
    ['width=device-width, initial-scale=1', 'pass'],
  ])('A11Y-003: viewport %s → %s', (content, status) => {
    expect(statuses(run('A11Y-003', [page('entry', {a11y: a11yFacts({viewport: [content]})})]))).toEqual([status])
  })

  it('A11Y-003: the last viewport meta applies; none at all does not block zoom', () => {
    expect(statuses(run('A11Y-003', [page('entry', {a11y: a11yFacts({viewport: ['user-scalable=no', 'width=device-width']})})]))).toEqual(['pass'])
    expect(statuses(run('A11Y-003', [page('entry', {a11y: a11yFacts({viewport: []})})]))).toEqual(['pass'])
  })

  it('A11Y-004: lang missing, empty, set', () => {
    expect(statuses(run('A11Y-004', [page('entry', {a11y: a11yFacts({lang: null})})]))).toEqual(['fail'])
    expect(statuses(run('A11Y-004', [page('entry', {a11y: a11yFacts({lang: '  '})})]))).toEqual(['fail'])
    expect(statuses(run('A11Y-004', [page('entry', {a11y: a11yFacts({lang: 'zh-CN'})})]))).toEqual(['pass'])
  })

  it('page faults become error findings; skipped pages not-applicable; no pages not-applicable', () => {
    const f = run('A11Y-004', [page('entry', {}, {error: 'connection refused'}), page('service', {}, {skipped: 'needs login'}), page('privacy', {a11y: {error: 'boom'}}), page('elder', {a11y: a11yFacts()})])
    expect(statuses(f)).toEqual(['error', 'not-applicable', 'error', 'pass'])
    expect(f[0].message).toBe('connection refused')
    expect(statuses(run('A11Y-001', []))).toEqual(['not-applicable'])
  })
})

describe('ELD rules from artifacts', () => {
  const sw = (p: Partial<ElderFacts['elderSwitch'][number]>) => ({selector: 'a', text: '长辈版', tag: 'a', href: 'http://x/elder', interactive: true, visible: true, aboveFold: true, rect: {x: 0, y: 0, w: 80, h: 44}, ...p})

  it('ELD-001: a visible link named 长辈版 or an alias on the entry page', () => {
    expect(statuses(run('ELD-001', [page('entry', {elder: elderFacts({elderSwitch: [sw({})]})})]))).toEqual(['pass'])
    expect(statuses(run('ELD-001', [page('entry', {elder: elderFacts({elderSwitch: [sw({text: '亲情版'})]})})]))).toEqual(['pass'])
    // The plan's own words (晋政办函〔2022〕38号 四(二)3) and the usual aliases.
    for (const text of ['长辈模式', '关怀模式', '大字版', '老年模式', '适老版', '敬老版']) expect(statuses(run('ELD-001', [page('entry', {elder: elderFacts({elderSwitch: [sw({text})]})})])), text).toEqual(['pass'])
    // Prominence: a switch below the first screen fails.
    expect(statuses(run('ELD-001', [page('entry', {elder: elderFacts({elderSwitch: [sw({aboveFold: false})]})})]))).toEqual(['fail'])
    expect(statuses(run('ELD-001', [page('entry', {elder: elderFacts({elderSwitch: [sw({visible: false})]})})]))).toEqual(['fail'])
    expect(statuses(run('ELD-001', [page('entry', {elder: elderFacts({elderSwitch: [sw({interactive: false})]})})]))).toEqual(['fail'])
    expect(statuses(run('ELD-001', [page('entry', {elder: elderFacts({elderSwitch: [sw({text: '老年人专区'})]})})]))).toEqual(['fail'])
    expect(statuses(run('ELD-001', [page('entry', {elder: elderFacts()})]))).toEqual(['fail'])
    expect(statuses(run('ELD-001', [page('elder', {elder: elderFacts()})]))).toEqual(['not-applicable'])
  })

  it('ELD-002: the share of characters below 18 px; the main text at the largest reachable size (warn)', () => {
    expect(elder.mainTextSize([[14, 40], [18, 30], [30, 30]])).toBe(14)
    expect(elder.mainTextSize([[16, 50], [20, 50]])).toBe(16)
    const ok = {elder: elderFacts(), textscale: scaleFacts(100)}
    expect(run('ELD-002', [page('elder', ok)]).map((f) => [f.status, f.severity])).toEqual([['pass', undefined], ['pass', undefined]])
    // 44 % of the characters at 12 px: the most frequent size (18 px) no longer hides them.
    const mixed = run('ELD-002', [page('elder', {elder: elderFacts({}, {totalChars: 100, histogram: [[12, 44], [18, 46], [32, 10]]}), textscale: scaleFacts(100)})])
    expect(mixed[0]).toMatchObject({status: 'fail', details: {mainTextPx: 18, smallShare: 44}})
    expect(elder.smallShare([[12, 10], [20, 90]], 18)).toBeCloseTo(0.1)
    expect(run('ELD-002', [page('elder', {elder: elderFacts({}, {histogram: [[12, 10], [20, 90]]}), textscale: scaleFacts(100)})])[0].status).toBe('pass')
    // The 30 px is judged at the largest size the user can reach, not on the largest heading.
    const fixed = run('ELD-002', [page('elder', {elder: elderFacts({}, {largest: {size: 36, selector: 'h1', text: 'x'}}), textscale: scaleFacts(0)})])
    expect(fixed[1]).toMatchObject({status: 'fail', severity: 'warn', details: {reachedBy: 'default', largestPx: 20}})
    const capped = run('ELD-002', [page('elder', {elder: elderFacts(), textscale: scaleFacts(100, 24)})])
    expect(capped[1]).toMatchObject({status: 'fail', details: {reachedBy: 'platform', largestPx: 24}})
    const viaControl = scaleFacts(0, 40, {selector: 'button', text: 'A+', clicks: 2, navigated: false, state: {scaledChars: 100, totalChars: 100, histogram: [[32, 100]], largest: 32}})
    expect(run('ELD-002', [page('elder', {elder: elderFacts(), textscale: viaControl})])[1]).toMatchObject({status: 'pass', details: {reachedBy: 'control', largestPx: 32}})
    expect(statuses(run('ELD-002', [page('elder', {elder: elderFacts()})]))).toEqual(['pass', 'error'])
    // Only the elder page is measured; the entry stands in when there is none.
    expect(run('ELD-002', [page('entry', {elder: elderFacts({}, {histogram: [[16, 100]]}), textscale: scaleFacts(100)}), page('elder', ok)]).every((f) => f.status === 'pass')).toBe(true)
    expect(run('ELD-002', [page('entry', {elder: elderFacts({}, {histogram: [[16, 100]]}), textscale: scaleFacts(100)})])[0].status).toBe('fail')
  })

  it('ELD-011: text follows the platform font setting or a text-size control enlarges it', () => {
    expect(statuses(run('ELD-011', [page('entry', {textscale: scaleFacts(100)}), page('elder', {textscale: scaleFacts(85)})]))).toEqual(['pass', 'pass'])
    const px = run('ELD-011', [page('elder', {textscale: {...scaleFacts(10), sizeAdjustLocked: true}})])
    expect(px[0]).toMatchObject({status: 'fail', details: {platformShare: 10, sizeAdjustLocked: true}})
    expect(px[0].message).toContain('-webkit-text-size-adjust')
    const control = (share: number, navigated = false) => scaleFacts(0, 20, {selector: 'button', text: 'A+', clicks: 3, navigated, state: navigated ? null : {scaledChars: share, totalChars: 100, histogram: [[30, 100]], largest: 30}})
    expect(statuses(run('ELD-011', [page('entry', {textscale: control(90)})]))).toEqual(['pass'])
    expect(statuses(run('ELD-011', [page('entry', {textscale: control(30)})]))).toEqual(['fail'])
    expect(statuses(run('ELD-011', [page('entry', {textscale: control(0, true)})]))).toEqual(['fail'])
    // Service pages are not judged; a missing probe is an error, never a pass.
    expect(statuses(run('ELD-011', [page('service', {textscale: scaleFacts(0)})]))).toEqual(['not-applicable'])
    expect(statuses(run('ELD-011', [page('entry', {})]))).toEqual(['error'])
  })

  it('ELD-003: 60×60 in elder mode (error), 44×44 elsewhere (warn)', () => {
    const t = (w: number, h: number) => ({targets: [{selector: 'button', tag: 'button', text: 'x', w, h, inline: false}]})
    const f = run('ELD-003', [page('entry', {elder: elderFacts(t(50, 50))}), page('elder', {elder: elderFacts(t(50, 50))}), page('service', {elder: elderFacts(t(40, 60))})])
    expect(f.map((x) => [x.status, x.severity ?? 'rule'])).toEqual([['pass', 'rule'], ['fail', 'rule'], ['fail', 'warn']])
    expect(statuses(run('ELD-003', [page('elder', {elder: elderFacts(t(60, 60))})]))).toEqual(['pass'])
  })

  it('ELD-004: line height ratio and paragraph spacing', () => {
    const tight = elderFacts({}, {blocks: [{selector: 'p', text: 't', chars: 10, fontSize: 20, bold: false, lineHeight: 24, interactive: false, contrast: 10, fg: '#000', bg: '#fff'}]})
    expect(statuses(run('ELD-004', [page('elder', {elder: tight})]))).toEqual(['fail'])
    const para = (gap: number) => elderFacts({}, {paragraphs: [{a: 'p:nth-of-type(1)', b: 'p:nth-of-type(2)', gap, lineHeightA: 30, lineHeightB: 30}]})
    expect(statuses(run('ELD-004', [page('elder', {elder: para(0)})]))).toEqual(['fail'])
    expect(statuses(run('ELD-004', [page('elder', {elder: para(8)})]))).toEqual(['fail'])
    expect(statuses(run('ELD-004', [page('elder', {elder: para(9)})]))).toEqual(['pass'])
    // Every page: the elder entry at the rule's severity, the other pages at otherSeverity.
    const f = run('ELD-004', [page('entry', {elder: tight}), page('elder', {elder: tight}), page('service', {elder: tight})])
    expect(f.map((x) => [x.status, x.severity ?? 'rule'])).toEqual([['fail', 'warn'], ['fail', 'rule'], ['fail', 'warn']])
  })

  it('ELD-005: 4.5:1, 3:1 for WCAG large text (24 px, 18.66 px bold), icons, undeterminable backgrounds never pass', () => {
    const b = (fontSize: number, contrast: number | null, undetermined?: 'image' | 'gradient', bold = false) => elderFacts({}, {blocks: [{selector: 'p', text: 't', chars: 10, fontSize, bold, lineHeight: 32, interactive: false, contrast, fg: '#777', bg: contrast === null ? null : '#fff', ...(undetermined ? {undetermined} : {})}]})
    expect(statuses(run('ELD-005', [page('elder', {elder: b(18, 4.47)})]))).toEqual(['fail'])
    expect(statuses(run('ELD-005', [page('elder', {elder: b(18, 4.5)})]))).toEqual(['pass'])
    // 19–23 px is not large text in WCAG (nor in axe-core, which A11Y-001 runs): 4.5:1 applies.
    expect(statuses(run('ELD-005', [page('elder', {elder: b(19, 3.2)})]))).toEqual(['fail'])
    expect(statuses(run('ELD-005', [page('elder', {elder: b(19, 3.2, undefined, true)})]))).toEqual(['pass'])
    expect(statuses(run('ELD-005', [page('elder', {elder: b(24, 3.2)})]))).toEqual(['pass'])
    expect(statuses(run('ELD-005', [page('elder', {elder: b(24, 2.9)})]))).toEqual(['fail'])
    expect(statuses(run('ELD-005', [page('elder', {elder: b(24, null, 'gradient')})]))).toEqual(['error'])
    expect(elder.isLargeText(24, false) && elder.isLargeText(18.66, true) && !elder.isLargeText(23.9, false) && !elder.isLargeText(18.5, true)).toBe(true)
    const icon = (contrast: number | null) => elderFacts({icons: [{selector: 'i.iconfont', kind: 'font', w: 24, h: 24, contrast, fg: '#cccccc', bg: '#ffffff'}]})
    expect(run('ELD-005', [page('elder', {elder: icon(1.6)})])[0]).toMatchObject({status: 'fail', details: {key: 'icon'}})
    expect(statuses(run('ELD-005', [page('elder', {elder: icon(7)})]))).toEqual(['pass'])
    expect(statuses(run('ELD-005', [page('elder', {elder: icon(null)})]))).toEqual(['error'])
    // Every page, other pages at otherSeverity.
    expect(run('ELD-005', [page('service', {elder: b(18, 3)})]).map((x) => [x.status, x.severity])).toEqual([['fail', 'warn']])
  })

  it('ELD-006: ad hosts, ad labels, big overlays, dialogs', () => {
    const f = (p: Partial<ElderFacts>, more: Partial<PageVisit> = {}) => statuses(run('ELD-006', [page('elder', {elder: elderFacts(p)}, more)]))
    expect(f({requestHosts: ['127.0.0.1', 'googleads.g.doubleclick.net']})).toEqual(['fail'])
    expect(f({requestHosts: ['notdoubleclick.net']})).toEqual(['pass'])
    expect(f({adLabels: [{selector: 'span', text: '【广告】', source: 'text'}]})).toEqual(['fail'])
    expect(f({adLabels: [{selector: 'span', text: '广告法', source: 'text'}]})).toEqual(['pass'])
    expect(['广告', '【广告】', '推广：某某理财', '某某银行 | 广告', '广告 ×'].every((x) => elder.isAdLabel(x, ['广告', '推广']))).toBe(true)
    expect(['广告法', '推广应用', '不用于广告或推送'].some((x) => elder.isAdLabel(x, ['广告', '推广']))).toBe(false)
    expect(f({adLabels: [{selector: 'div', text: 'ad-banner top', source: 'class'}]})).toEqual(['fail'])
    expect(f({adLabels: [{selector: 'div', text: 'address', source: 'class'}]})).toEqual(['pass'])
    const overlay = (rect: {x: number; y: number; w: number; h: number}, kind: 'fixed' | 'dialog' = 'fixed') => ({selector: 'div', kind, role: null, coverage: (rect.w * rect.h) / (375 * 812), rect, panel: rect, text: '领券', closeControls: []})
    expect(f({overlays: [overlay({x: 0, y: 0, w: 375, h: 300})]})).toEqual(['fail'])
    // Small floating layers are pop-ups too (a 客服 bubble, a coupon corner), whatever their share of the screen.
    expect(f({overlays: [overlay({x: 300, y: 600, w: 60, h: 60})]})).toEqual(['fail'])
    expect(f({overlays: [overlay({x: 40, y: 300, w: 100, h: 80}, 'dialog')]})).toEqual(['fail'])
    // A header or tab bar docked across the full width is the page's frame.
    expect(f({overlays: [overlay({x: 0, y: 0, w: 375, h: 56}), overlay({x: 0, y: 748, w: 375, h: 64})]})).toEqual(['pass'])
    expect(f({}, {dialogs: [{type: 'alert', message: 'hi'}]})).toEqual(['fail'])
  })

  it('ELD-007: download prompts anywhere; payment prompts outside the service form', () => {
    const l = (text: string, floating: boolean, inOverlay = false, inForm = false) => elderFacts({lures: [{selector: 'a', text, floating, inOverlay, inForm, href: null, rect: {x: 0, y: 0, w: 80, h: 44}}]})
    expect(statuses(run('ELD-007', [page('entry', {elder: l('下载 APP', true)})]))).toEqual(['fail'])
    expect(statuses(run('ELD-007', [page('entry', {elder: l('下载App', false)})]))).toEqual(['fail'])
    expect(statuses(run('ELD-007', [page('service', {elder: l('去支付', false, true, true)})]))).toEqual(['fail'])
    expect(statuses(run('ELD-007', [page('entry', {elder: l('立即充值', false)})]))).toEqual(['fail'])
    expect(statuses(run('ELD-007', [page('service', {elder: l('立即支付', false, false, true)})]))).toEqual(['pass'])
    expect(statuses(run('ELD-007', [page('entry', {elder: l('支付说明', true)})]))).toEqual(['pass'])
  })

  it('ELD-008: close control position and size', () => {
    const panel = {x: 20, y: 200, w: 335, h: 300}
    expect(elder.closePosition({x: 311, y: 200, w: 44, h: 44}, panel)).toBe('top-right')
    expect(elder.closePosition({x: 20, y: 190, w: 44, h: 44}, panel)).toBe('top-left')
    expect(elder.closePosition({x: 165, y: 520, w: 44, h: 44}, panel)).toBe('bottom-centre')
    expect(elder.closePosition({x: 20, y: 330, w: 44, h: 44}, panel)).toBe('elsewhere')
    const pop = (c: Array<{w: number; h: number; x: number; y: number}>) => elderFacts({overlays: [{selector: 'div', kind: 'dialog', role: 'dialog', coverage: 0.2, rect: panel, panel, text: '提示', closeControls: c.map((r) => ({selector: 'button', text: '×', rect: r}))}]})
    expect(statuses(run('ELD-008', [page('entry', {elder: pop([{x: 311, y: 200, w: 44, h: 44}])})]))).toEqual(['pass'])
    expect(statuses(run('ELD-008', [page('entry', {elder: pop([{x: 331, y: 200, w: 24, h: 24}])})]))).toEqual(['fail'])
    expect(statuses(run('ELD-008', [page('entry', {elder: pop([{x: 20, y: 330, w: 44, h: 44}])})]))).toEqual(['fail'])
    expect(statuses(run('ELD-008', [page('entry', {elder: pop([])})]))).toEqual(['fail'])
    expect(statuses(run('ELD-008', [page('entry', {elder: elderFacts()}), page('elder', {elder: elderFacts()})]))).toEqual(['not-applicable'])
  })

  it('ELD-009: image captcha needs a non-visual alternative', () => {
    const cap = [{selector: 'img#captcha', tag: 'img', hint: 'captcha'}]
    expect(statuses(run('ELD-009', [page('entry', {elder: elderFacts({captchas: cap})})]))).toEqual(['fail'])
    expect(statuses(run('ELD-009', [page('entry', {elder: elderFacts({captchas: cap, captchaAlternatives: [{selector: 'a', text: '语音验证码', control: true}]})})]))).toEqual(['pass'])
    // The word alone (a span of running text) is no alternative.
    expect(statuses(run('ELD-009', [page('entry', {elder: elderFacts({captchas: cap, captchaAlternatives: [{selector: 'span', text: '也可使用短信验证', control: false}]})})]))).toEqual(['fail'])
    expect(statuses(run('ELD-009', [page('entry', {elder: elderFacts()})]))).toEqual(['not-applicable'])
  })

  it('ELD-010: every service page reachable from the elder entry; without a manifest, the entry links', () => {
    const links = (...hrefs: string[]) => elderFacts({links: hrefs.map((href) => ({href, text: href}))})
    const svc = (p: string): PageVisit => ({role: 'service', url: `http://h/m${p}`, path: p, name: p, probes: {}})
    const elderPage = (facts: ElderFacts): PageVisit => ({role: 'elder', url: 'http://h/m/elder/', probes: {elder: facts}})
    expect(statuses(run('ELD-010', [elderPage(links('http://h/m/withdraw.html', 'http://h/m/certificate.html')), svc('/withdraw.html'), svc('/certificate.html')]))).toEqual(['pass'])
    // A file of the same name in another folder is another page.
    expect(statuses(run('ELD-010', [elderPage(links('http://h/m/withdraw.html', 'http://h/m/elder/certificate.html')), svc('/withdraw.html'), svc('/certificate.html')]))).toEqual(['fail'])
    expect(elder.samePage(new URL('http://h/m/index.html'), new URL('http://h/m/'))).toBe(true)
    const missing = run('ELD-010', [elderPage(links('http://h/m/withdraw.html')), svc('/withdraw.html'), svc('/certificate.html')])
    expect(statuses(missing)).toEqual(['fail'])
    expect(missing[0].details!.missing).toBe('http://h/m/certificate.html')
    const entry: PageVisit = {role: 'entry', url: 'http://h/m/', probes: {elder: links('http://h/m/elder/', 'http://h/m/a.html', 'http://h/m/b.html', 'https://other.example/x')}}
    expect(statuses(run('ELD-010', [entry, elderPage(links('http://h/m/a.html', 'http://h/m/b.html'))]))).toEqual(['pass'])
    expect(statuses(run('ELD-010', [entry, elderPage(links('http://h/m/a.html'))]))).toEqual(['fail'])
    expect(statuses(run('ELD-010', [entry]))).toEqual(['not-applicable'])
  })
})

describe('service entries on the entry page and the elder version (A11Y-005, A11Y-006, ELD-012)', () => {
  type Entry = NonNullable<ElderFacts['entries']>[number]
  const e = (name: string, more: Partial<Entry> = {}): Entry => ({selector: 'a', tag: 'a', name, search: false, media: false, href: null, ...more})
  const manifest = {manifest: {file: 'sjt.yaml', dir: '.', format: 'yaml', data: {app: {entry: 'https://m.example.gov.cn/'}}, positions: {}, keys: {}}}
  const entry = (entries: Entry[]) => page('entry', {elder: elderFacts({entries})})

  it('A11Y-005: a link or button named 投诉建议 (or 意见反馈, 12345) on the declared entry page', () => {
    expect(statuses(run('A11Y-005', [entry([e('首页'), e('投诉建议')])], manifest))).toEqual(['pass'])
    expect(statuses(run('A11Y-005', [entry([e('意见反馈（12345 热线）')])], manifest))).toEqual(['pass'])
    expect(run('A11Y-005', [entry([e('好差评'), e('隐私政策')])], manifest)[0]).toMatchObject({status: 'fail', message: expect.stringMatching(/no 投诉建议/)})
    // --url alone: the page is not known to be the home page; the rule says so instead of judging.
    expect(run('A11Y-005', [entry([e('好差评')])])[0]).toMatchObject({status: 'not-applicable', message: expect.stringMatching(/app\.entry/)})
  })

  it('A11Y-006: a search field (type=search, role=search) or a control named 搜索', () => {
    expect(statuses(run('A11Y-006', [entry([e('', {tag: 'input', type: 'search', search: true})])], manifest))).toEqual(['pass'])
    expect(statuses(run('A11Y-006', [entry([e('搜一搜 搜索服务')])], manifest))).toEqual(['pass'])
    expect(statuses(run('A11Y-006', [entry([e('发票查验'), e('投诉建议')])], manifest))).toEqual(['fail'])
  })

  it('ELD-012: a read-aloud or voice control on the elder entry (warn); no elder entry → not applicable', () => {
    const elderPage = (entries: Entry[]) => page('elder', {elder: elderFacts({entries})})
    expect(statuses(run('ELD-012', [elderPage([e('语音朗读', {tag: 'button'})])]))).toEqual(['pass'])
    expect(statuses(run('ELD-012', [elderPage([e('', {tag: 'audio', media: true})])]))).toEqual(['pass'])
    expect(statuses(run('ELD-012', [elderPage([e('返回标准版')])]))).toEqual(['fail'])
    expect(statuses(run('ELD-012', [entry([e('语音朗读')])]))).toEqual(['not-applicable'])
  })
})

describe('page targets', () => {
  const manifest = {
    data: {
      app: {entry: 'https://gjj.taiyuan.gov.cn/m/', elderEntry: 'https://gjj.taiyuan.gov.cn/m/elder/'},
      services: [{path: '/withdraw.html', name: '提取'}, {path: '/certificate.html', name: '证明', auth: 'required'}],
      privacy: {policyUrl: 'https://gjj.taiyuan.gov.cn/m/privacy.html'},
    },
  }
  const ctx = (o: Partial<typeof options>): GatherContext => ({options: {...options, ...o}, profile, artifacts: {manifest}, shared: new Map()})

  it('resolves service paths against the entry folder', () => {
    expect(resolveServicePath('/withdraw.html', 'https://a.gov.cn/m/')).toBe('https://a.gov.cn/m/withdraw.html')
    expect(resolveServicePath('/withdraw', 'https://a.gov.cn/m/index.html')).toBe('https://a.gov.cn/m/withdraw')
  })

  it('rebases manifest URLs of the entry origin onto --url', () => {
    expect(rebase('https://gjj.taiyuan.gov.cn/m/elder/', 'https://gjj.taiyuan.gov.cn/m/', 'http://127.0.0.1:8080/m/')).toBe('http://127.0.0.1:8080/m/elder/')
    expect(rebase('https://gjj.taiyuan.gov.cn/m/?mode=elder', 'https://gjj.taiyuan.gov.cn/m/', 'http://127.0.0.1:8080/app/')).toBe('http://127.0.0.1:8080/app/?mode=elder')
    expect(rebase('https://other.gov.cn/p.html', 'https://gjj.taiyuan.gov.cn/m/', 'http://127.0.0.1:8080/m/')).toBe('https://other.gov.cn/p.html')
  })

  it('lists entry, elder, services and privacy, rebased under --url', () => {
    expect(pageTargets(ctx({url: 'http://127.0.0.1:9/m/'}))).toEqual([
      {role: 'entry', url: 'http://127.0.0.1:9/m/'},
      {role: 'elder', url: 'http://127.0.0.1:9/m/elder/'},
      {role: 'service', url: 'http://127.0.0.1:9/m/withdraw.html', path: '/withdraw.html', name: '提取'},
      {role: 'service', url: 'http://127.0.0.1:9/m/certificate.html', path: '/certificate.html', name: '证明', auth: 'required'},
      {role: 'privacy', url: 'http://127.0.0.1:9/m/privacy.html'},
    ])
    expect(pageTargets(ctx({})).map((t) => t.url)[1]).toBe('https://gjj.taiyuan.gov.cn/m/elder/')
    expect(pageTargets(ctx({url: 'http://127.0.0.1:9/m/', elderUrl: 'http://127.0.0.1:9/care.html'}))[1]).toEqual({role: 'elder', url: 'http://127.0.0.1:9/care.html'})
  })

  it('URL mode: only the pages given', () => {
    const c: GatherContext = {options: {...options, url: 'http://127.0.0.1:9/a.html'}, profile, artifacts: {}, shared: new Map()}
    expect(pageTargets(c)).toEqual([{role: 'entry', url: 'http://127.0.0.1:9/a.html'}])
  })

  it('runs the probes of the registry (src/gather/probes/index.ts), every probe file in it', async () => {
    const names = (await loadProbes()).map((p) => p.name)
    expect(names).toEqual(expect.arrayContaining(['a11y', 'elder', 'textscale']))
    // A probe file left out of the registry would never run.
    const {readdirSync} = await import('node:fs')
    const files = readdirSync(path.join(ROOT, 'src', 'gather', 'probes')).filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    expect(names.length).toBe(files.length)
    // textscale changes the page (font setting, a tapped control): it runs last.
    expect(names[names.length - 1]).toBe('textscale')
  })
})
