// Elder-mode rules ELD-001 … ELD-010 (MIIT《移动互联网应用（APP）适老化通用设计规范》), judged
// from what the elder probe measured in the rendered pages. Every threshold is a rule param.
//
// Which pages each rule judges:
// - ELD-001: the entry page (the switch on its first screen).
// - ELD-002, ELD-006 and the 60×60 band of ELD-003: the elder entry. When no elder entry is known
//   (URL mode with --url only, or no app.elderEntry), the entry page is measured as the elder mode
//   and the message says so.
// - ELD-004, ELD-005: every page; the elder pages at the rule's severity, the others at the
//   rule's `otherSeverity` param (MIIT states spacing and contrast for every interface).
// - the 44×44 band of ELD-003: every other page; ELD-007, ELD-008, ELD-009: every page.
// - ELD-010: the links of the elder entry against the manifest's service pages, or, without a
//   manifest, against the same-origin links of the entry page (one click deep).
// - ELD-011: the entry page and the elder entry (text enlarged by the platform or a control).
// - ELD-012: the elder entry only (a read-aloud or voice control); not applicable without one.
import type {AuditContext, CategoryModule, CheckFn, RawFinding} from '../../core/types.js'
import type {PageVisit} from '../../artifacts/page.js'
import type {ElderFacts, Rect} from '../../artifacts/page.js'
import type {ScaleState, TextScaleFacts} from '../../artifacts/page.js'
import {t} from '../../lib/i18n/index.js'
import {allPages, at, byRoles, elderPages, num, overPages, pageArtifact, roleName, strs} from '../a11y/pages.js'

export const requires = ['page']

const LIMIT = 20
const fmt = (n: number) => String(Math.round(n * 10) / 10)

function elderSelect(ctx: AuditContext) {
  let standIn = false
  const select = (pages: PageVisit[]) => {
    const r = elderPages(pages)
    standIn = r.standIn
    return r.pages
  }
  const note = () => (standIn ? t(ctx.lang, 'ELD.standIn') : '')
  return {select, note}
}

export const ELDER_NAMES = ['长辈版', '长辈模式', '关怀版', '关怀模式', '关爱版', '关爱模式', '亲情版', '老年版', '老年模式', '大字版', '语音版', '简洁版', '适老版', '适老模式', '敬老版']

// ELD-001 — a visible 长辈版 switch on the first screen of the entry page.
const elderSwitch: CheckFn = (ctx) => {
  const names = strs(ctx.params.names, ELDER_NAMES)
  const aboveFold = ctx.params.requireAboveFold !== false
  return overPages<ElderFacts>(ctx, 'elder', byRoles('entry'), (f, visit) => {
    const named = (f.elderSwitch ?? []).filter((s) => names.some((n) => s.text.includes(n)))
    const good = named.find((s) => s.visible && s.interactive && (!aboveFold || s.aboveFold))
    const list = names.join('/')
    if (good) return [{status: 'pass', message: t(ctx.lang, 'ELD-001.pass', {text: good.text}), location: at(visit, good.selector)}]
    if (named.length === 0) return [{status: 'fail', message: t(ctx.lang, 'ELD-001.missing', {names: list}), location: at(visit), details: {candidates: f.elderSwitch ?? []}}]
    const s = named[0]
    const key = !s.visible ? 'ELD-001.hidden' : !s.interactive ? 'ELD-001.notControl' : 'ELD-001.belowFold'
    return [{status: 'fail', message: t(ctx.lang, key, {text: s.text}), location: at(visit, s.selector), details: {candidates: named}}]
  }, 'ELD.noEntry')
}

/** The main text size: the size carrying the most characters (ties go to the smaller size), or the character-weighted median. */
export function mainTextSize(histogram: Array<[number, number]>, rule: string = 'mode'): number | null {
  if (!histogram.length) return null
  if (rule === 'median') {
    const total = histogram.reduce((s, [, c]) => s + c, 0)
    let acc = 0
    for (const [size, c] of [...histogram].sort((a, b) => a[0] - b[0])) {
      acc += c
      if (acc * 2 >= total) return size
    }
  }
  let best: [number, number] | null = null
  for (const [size, c] of histogram) if (!best || c > best[1] || (c === best[1] && size < best[0])) best = [size, c]
  return best![0]
}

/** Characters set below `min` px, as a share of all characters (0–1). */
export function smallShare(histogram: Array<[number, number]>, min: number): number {
  const total = histogram.reduce((s, [, c]) => s + c, 0)
  if (!total) return 0
  return histogram.filter(([size]) => size < min - 0.005).reduce((s, [, c]) => s + c, 0) / total
}

const pct = (share: number) => String(Math.round(share * 1000) / 10)

/** The largest text state the user can reach on this page: the platform's largest font setting or the page's own control, whichever gives the larger main text. */
export function reachable(f: TextScaleFacts | undefined, minScaledShare: number): {how: 'default' | 'platform' | 'control'; state: ScaleState} | null {
  if (!f || !f.base) return null
  const states: Array<{how: 'platform' | 'control'; state: ScaleState}> = []
  if (f.platform && f.platform.totalChars && f.platform.scaledChars / f.platform.totalChars >= minScaledShare) states.push({how: 'platform', state: f.platform})
  const c = f.control?.state
  if (c && c.totalChars && c.scaledChars / c.totalChars >= minScaledShare) states.push({how: 'control', state: c})
  if (!states.length) return null
  return states.reduce((a, b) => ((mainTextSize(b.state.histogram) ?? 0) > (mainTextSize(a.state.histogram) ?? 0) ? b : a))
}

// ELD-002 — main text ≥ 18 px: at most `maxSmallShare` of the characters below it (error); the
// main text at the largest size the user can reach ≥ 30 px (warn).
const fontSize: CheckFn = (ctx) => {
  const minMain = num(ctx.params.mainTextMinPx, 18)
  const maxSmall = num(ctx.params.maxSmallShare, 0.1)
  const minLargest = num(ctx.params.largestMinPx, 30)
  const minScaled = num(ctx.params.minScaledShare, 0.8)
  const {select, note} = elderSelect(ctx)
  return overPages<ElderFacts>(ctx, 'elder', select, (f, visit) => {
    const hist = f.text?.histogram ?? []
    const main = mainTextSize(hist)
    if (main === null) return [{status: 'error', message: t(ctx.lang, 'ELD-002.noText') + note(), location: at(visit)}]
    const share = smallShare(hist, minMain)
    const small = (f.text.blocks ?? []).filter((b) => b.fontSize < minMain - 0.005)
    const details = {mainTextPx: main, smallShare: Math.round(share * 1000) / 10, maxSmallShare: Math.round(maxSmall * 1000) / 10, histogram: hist}
    const out: RawFinding[] = []
    const vars = {share: pct(share), max: pct(maxSmall), min: minMain, size: fmt(main)}
    if (share > maxSmall + 1e-9) out.push({status: 'fail', message: t(ctx.lang, 'ELD-002.main', {...vars, text: small[0]?.text ?? '', small: fmt(small[0]?.fontSize ?? 0)}) + note(), location: at(visit, small[0]?.selector), details: {...details, key: 'main', elements: small.slice(0, LIMIT).map((b) => ({selector: b.selector, text: b.text, fontSize: b.fontSize, chars: b.chars}))}})
    else out.push({status: 'pass', message: t(ctx.lang, 'ELD-002.mainPass', vars) + note(), location: at(visit), details: {...details, key: 'main'}})
    const scale = visit.probes?.textscale as (TextScaleFacts & {error?: string}) | undefined
    if (!scale || typeof scale.error === 'string') {
      out.push({status: 'error', message: t(ctx.lang, 'page.probeMissing', {probe: 'textscale'}) + note(), location: at(visit), details: {key: 'largest'}})
      return out
    }
    const reach = reachable(scale, minScaled)
    const reachedMain = reach ? (mainTextSize(reach.state.histogram) ?? main) : main
    const how = reach?.how ?? 'default'
    const d = {key: 'largest', largestPx: reachedMain, reachedBy: how}
    if (reachedMain < minLargest - 0.005) out.push({status: 'fail', severity: 'warn', message: t(ctx.lang, `ELD-002.largest.${how}`, {size: fmt(reachedMain), min: minLargest}) + note(), location: at(visit), details: d})
    else out.push({status: 'pass', message: t(ctx.lang, `ELD-002.largestPass.${how}`, {size: fmt(reachedMain), min: minLargest}) + note(), location: at(visit), details: d})
    return out
  })
}

// ELD-011 — text can be enlarged: it follows the platform's font setting, or the page has a
// text-size control that enlarges it (measured: at least `minScaledShare` of the characters grow).
const fontScaling: CheckFn = (ctx) => {
  const minScaled = num(ctx.params.minScaledShare, 0.8)
  return overPages<TextScaleFacts>(ctx, 'textscale', byRoles('entry', 'elder'), (f, visit) => {
    const page = roleName(ctx.lang, visit)
    if (!f.base?.totalChars) return [{status: 'not-applicable', message: `${page}: ${t(ctx.lang, 'ELD-002.noText')}`, location: at(visit)}]
    const shareOf = (s: ScaleState | null | undefined) => (s && s.totalChars ? s.scaledChars / s.totalChars : 0)
    const platform = shareOf(f.platform)
    const control = shareOf(f.control?.state)
    const details = {platformShare: Math.round(platform * 1000) / 10, controlShare: f.control ? Math.round(control * 1000) / 10 : null, control: f.control ? {text: f.control.text, clicks: f.control.clicks, navigated: f.control.navigated} : null, sizeAdjustLocked: f.sizeAdjustLocked, defaultFontPx: f.defaultFontPx, enlargedFontPx: f.enlargedFontPx}
    if (platform >= minScaled) return [{status: 'pass', message: t(ctx.lang, 'ELD-011.platform', {page, share: pct(platform), from: f.defaultFontPx, to: f.enlargedFontPx}), location: at(visit), details}]
    if (f.control && control >= minScaled) return [{status: 'pass', message: t(ctx.lang, 'ELD-011.control', {page, share: pct(control), text: f.control.text}), location: at(visit, f.control.selector), details}]
    const why = f.control ? (f.control.navigated ? t(ctx.lang, 'ELD-011.controlNavigates', {text: f.control.text}) : t(ctx.lang, 'ELD-011.controlWeak', {text: f.control.text, share: pct(control)})) : t(ctx.lang, 'ELD-011.noControl')
    return [{status: 'fail', message: t(ctx.lang, 'ELD-011.fail', {page, share: pct(platform), min: pct(minScaled), from: f.defaultFontPx, to: f.enlargedFontPx, why}) + (f.sizeAdjustLocked ? t(ctx.lang, 'ELD-011.locked') : ''), location: at(visit), details}]
  })
}

// ELD-003 — tap targets: 60×60 in elder mode (error), 44×44 elsewhere (warn).
const targets: CheckFn = (ctx) => {
  const elderMin = num(ctx.params.elderMinPx, 60)
  const otherMin = num(ctx.params.otherMinPx, 44)
  const ignoreInline = ctx.params.ignoreInline === true
  const art = pageArtifact(ctx)
  const elderSet = new Set(art ? elderPages(art.pages).pages : [])
  const standIn = art ? elderPages(art.pages).standIn : false
  return overPages<ElderFacts>(ctx, 'elder', allPages, (f, visit) => {
    const elder = elderSet.has(visit)
    const min = elder ? elderMin : otherMin
    const small = (f.targets ?? []).filter((x) => !(ignoreInline && x.inline) && (x.w < min - 0.01 || x.h < min - 0.01))
    const page = roleName(ctx.lang, visit)
    const note = elder && standIn ? t(ctx.lang, 'ELD.standIn') : ''
    const severity = elder ? undefined : ('warn' as const)
    if (small.length === 0) return [{status: 'pass', message: t(ctx.lang, 'ELD-003.pass', {count: (f.targets ?? []).length, min, page}) + note, location: at(visit)}]
    const first = small[0]
    return [
      {
        status: 'fail',
        ...(severity ? {severity} : {}),
        message: t(ctx.lang, 'ELD-003.fail', {count: small.length, min, page, text: first.text || first.tag, w: fmt(first.w), h: fmt(first.h)}) + note,
        location: at(visit, first.selector),
        details: {minPx: min, elderMode: elder, elements: small.slice(0, LIMIT)},
      },
    ]
  })
}

// ELD-004 — line height ≥ 1.3× font size; paragraph spacing ≥ 1.3× line spacing. Paragraph spacing
// is the baseline-to-baseline distance across the break: the gap between the two boxes plus the
// mean of their line heights, compared with the larger line height.
/** Every page; a finding on a page that is not measured as the elder mode gets the rule's `otherSeverity`. */
function everyPage(ctx: AuditContext) {
  const art = pageArtifact(ctx)
  const chosen = art ? elderPages(art.pages) : {pages: [], standIn: false}
  const elderSet = new Set(chosen.pages)
  const other = String(ctx.params.otherSeverity ?? 'warn')
  const otherSeverity = other === 'error' || other === 'warn' || other === 'info' ? other : 'warn'
  return {
    isElder: (v: PageVisit) => elderSet.has(v),
    note: (v: PageVisit) => (elderSet.has(v) ? (chosen.standIn ? t(ctx.lang, 'ELD.standIn') : '') : ` (${roleName(ctx.lang, v)})`),
    /** Lowers failing findings of other pages to `otherSeverity`. */
    grade: (v: PageVisit, out: RawFinding[]): RawFinding[] => (elderSet.has(v) ? out : out.map((f) => (f.status === 'fail' && otherSeverity !== 'error' ? {...f, severity: otherSeverity} : f))),
  }
}

const spacing: CheckFn = (ctx) => {
  const minLh = num(ctx.params.minLineHeightRatio, 1.3)
  const minPara = num(ctx.params.minParagraphSpacingRatio, 1.3)
  const pages = everyPage(ctx)
  return overPages<ElderFacts>(ctx, 'elder', allPages, (f, visit) => {
    const note = () => pages.note(visit)
    const out: RawFinding[] = []
    const tight = (f.text?.blocks ?? []).filter((b) => !b.interactive && b.fontSize > 0 && b.lineHeight / b.fontSize < minLh - 0.005)
    if (tight.length) {
      const b = tight[0]
      out.push({status: 'fail', message: t(ctx.lang, 'ELD-004.lineHeight', {count: tight.length, ratio: (b.lineHeight / b.fontSize).toFixed(2), min: minLh, text: b.text}) + note(), location: at(visit, b.selector), details: {key: 'line-height', elements: tight.slice(0, LIMIT).map((x) => ({selector: x.selector, text: x.text, fontSize: x.fontSize, lineHeight: x.lineHeight}))}})
    }
    const close = (f.text?.paragraphs ?? []).filter((p) => {
      const ref = Math.max(p.lineHeightA, p.lineHeightB)
      return ref > 0 && (p.gap + (p.lineHeightA + p.lineHeightB) / 2) / ref < minPara - 0.005
    })
    if (close.length) {
      const p = close[0]
      const ref = Math.max(p.lineHeightA, p.lineHeightB)
      out.push({status: 'fail', message: t(ctx.lang, 'ELD-004.paragraph', {count: close.length, ratio: ((p.gap + (p.lineHeightA + p.lineHeightB) / 2) / ref).toFixed(2), min: minPara}) + note(), location: at(visit, p.b), details: {key: 'paragraph', pairs: close.slice(0, LIMIT)}})
    }
    if (out.length === 0) out.push({status: 'pass', message: t(ctx.lang, 'ELD-004.pass', {blocks: (f.text?.blocks ?? []).length, pairs: (f.text?.paragraphs ?? []).length}) + note(), location: at(visit)})
    return pages.grade(visit, out)
  })
}

/**
 * Large text as WCAG 2.1 defines it (SC 1.4.3, "large scale"): at least 18 pt (24 CSS px), or
 * 14 pt (18.66 CSS px) bold. ELD-005 and A11Y-001 (axe-core color-contrast) share this definition.
 */
export function isLargeText(fontSize: number, bold: boolean, largePx = 24, largeBoldPx = 18.66): boolean {
  return fontSize >= largePx - 0.005 || (bold && fontSize >= largeBoldPx - 0.005)
}

// ELD-005 — contrast 4.5:1, or 3:1 for large text (WCAG 2.1 large scale); icons (images, inline
// SVG, icon fonts) at `iconMinRatio`; undeterminable backgrounds never pass.
const contrast: CheckFn = (ctx) => {
  const normal = num(ctx.params.minRatio, 4.5)
  const large = num(ctx.params.largeTextMinRatio, 3)
  const largePx = num(ctx.params.largeTextMinPx, 24)
  const largeBoldPx = num(ctx.params.largeBoldTextMinPx, 18.66)
  const iconMin = num(ctx.params.iconMinRatio, 4.5)
  const pages = everyPage(ctx)
  return overPages<ElderFacts>(ctx, 'elder', allPages, (f, visit) => {
    const note = () => pages.note(visit)
    const need = (b: {fontSize: number; bold: boolean}) => (isLargeText(b.fontSize, b.bold, largePx, largeBoldPx) ? large : normal)
    const blocks = f.text?.blocks ?? []
    const icons = f.icons ?? []
    const low = blocks.filter((b) => b.contrast !== null && b.contrast < need(b))
    const lowIcons = icons.filter((i) => i.contrast !== null && i.contrast < iconMin)
    const unknown = blocks.filter((b) => b.contrast === null)
    const unknownIcons = icons.filter((i) => i.contrast === null)
    const out: RawFinding[] = []
    if (low.length) {
      const b = low[0]
      out.push({status: 'fail', message: t(ctx.lang, 'ELD-005.fail', {count: low.length, ratio: b.contrast, min: need(b), text: b.text, fg: b.fg, bg: b.bg, size: fmt(b.fontSize)}) + note(), location: at(visit, b.selector), details: {key: 'text', elements: low.slice(0, LIMIT).map((x) => ({selector: x.selector, text: x.text, fontSize: x.fontSize, bold: x.bold, ratio: x.contrast, min: need(x), fg: x.fg, bg: x.bg})), undetermined: unknown.length}})
    }
    if (lowIcons.length) {
      const i = lowIcons[0]
      out.push({status: 'fail', message: t(ctx.lang, 'ELD-005.icon', {count: lowIcons.length, ratio: i.contrast, min: iconMin, kind: t(ctx.lang, `ELD-005.kind.${i.kind}`), fg: i.fg, bg: i.bg}) + note(), location: at(visit, i.selector), details: {key: 'icon', icons: lowIcons.slice(0, LIMIT)}})
    }
    if (out.length) return pages.grade(visit, out)
    if (unknown.length) {
      const b = unknown[0]
      return [{status: 'error', message: t(ctx.lang, 'ELD-005.undetermined', {count: unknown.length, text: b.text, reason: t(ctx.lang, `ELD-005.reason.${b.undetermined ?? 'image'}`)}) + note(), location: at(visit, b.selector), details: {elements: unknown.slice(0, LIMIT).map((x) => ({selector: x.selector, text: x.text, reason: x.undetermined}))}}]
    }
    if (unknownIcons.length) return [{status: 'error', message: t(ctx.lang, 'ELD-005.iconUndetermined', {count: unknownIcons.length}) + note(), location: at(visit, unknownIcons[0].selector), details: {icons: unknownIcons.slice(0, LIMIT)}}]
    if (blocks.length === 0 && icons.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, 'ELD-002.noText') + note(), location: at(visit)}]
    const worst = blocks.reduce((m, b) => (b.contrast !== null && b.contrast < m ? b.contrast : m), Infinity)
    const worstIcon = icons.reduce((m, b) => (b.contrast !== null && b.contrast < m ? b.contrast : m), Infinity)
    return [{status: 'pass', message: t(ctx.lang, icons.length ? 'ELD-005.passIcons' : 'ELD-005.pass', {count: blocks.length, worst: Number.isFinite(worst) ? worst : '-', icons: icons.length, worstIcon: Number.isFinite(worstIcon) ? worstIcon : '-'}) + note(), location: at(visit)}]
  })
}

const hostMatches = (host: string, list: string[]) => list.some((h) => host === h || host.endsWith('.' + h))
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** An ad label: the word alone or set apart at the start or end ("广告", "【推广】", "推广：某某理财", "某某银行 | 广告"), not a word inside a sentence ("广告法"). */
export function isAdLabel(text: string, labels: string[]): boolean {
  const t = text.replace(/[×✕✖]|关闭/g, '').trim()
  return labels.some((l) => {
    const w = esc(l)
    return new RegExp(`^[\\[【(（]?${w}[\\]】)）]?(\\s|[:：|·\\-—]|$)`).test(t) || new RegExp(`(^|\\s|[|·\\-—])[\\[【(（]?${w}[\\]】)）]?$`).test(t)
  })
}

/**
 * A layer over the content is a pop-up (MIIT §5.1.1), whatever its size: a dialog, a backdrop, a
 * floating button or banner. Only a bar docked to the top or bottom edge across the full width
 * (a header or a tab bar, at most `barShare` of the screen high) is part of the page's frame.
 */
export function isPopup(o: ElderFacts['overlays'][number], viewport: {width: number; height: number} | undefined, barShare = 0.15): boolean {
  if (o.kind === 'dialog') return true
  const vw = viewport?.width ?? 375
  const vh = viewport?.height ?? 812
  const r = o.rect
  const fullWidth = r.x <= 1 && r.x + r.w >= vw - 1
  const docked = r.y <= 1 || r.y + r.h >= vh - 1
  return !(fullWidth && docked && r.h <= vh * barShare)
}

// ELD-006 — no ads, ad plug-ins or pop-ups in elder mode.
const ads: CheckFn = (ctx) => {
  const adHosts = strs(ctx.params.adHosts, [])
  const labels = strs(ctx.params.adLabels, ['广告', '推广'])
  const classPattern = new RegExp(String(ctx.params.adClassPattern ?? '(^|[-_\\s])(ad|ads|adv|advert|advertisement|adsbygoogle|adbox|ad-?banner|sponsored|guanggao)([-_\\s]|$)'), 'i')
  const barShare = num(ctx.params.dockedBarMaxHeightShare, 0.15)
  const {select, note} = elderSelect(ctx)
  return overPages<ElderFacts>(ctx, 'elder', select, (f, visit) => {
    const out: RawFinding[] = []
    for (const host of (f.requestHosts ?? []).filter((h) => hostMatches(h, adHosts))) out.push({status: 'fail', message: t(ctx.lang, 'ELD-006.host', {host}) + note(), location: at(visit), details: {key: `host ${host}`, host}})
    const labelled = (f.adLabels ?? []).filter((a) => (a.source === 'text' && isAdLabel(a.text, labels)) || (a.source === 'aria' && labels.some((l) => a.text.includes(l))) || (a.source === 'class' && classPattern.test(a.text)))
    for (const a of labelled.slice(0, LIMIT)) out.push({status: 'fail', message: t(ctx.lang, `ELD-006.${a.source === 'class' ? 'adClass' : 'label'}`, {text: a.text}) + note(), location: at(visit, a.selector), details: {key: `label ${a.selector}`}})
    for (const o of (f.overlays ?? []).filter((x) => isPopup(x, f.viewport, barShare))) out.push({status: 'fail', message: t(ctx.lang, 'ELD-006.overlay', {percent: Math.round(o.coverage * 100), text: o.text, kind: t(ctx.lang, `ELD-006.kind.${o.kind}`)}) + note(), location: at(visit, o.selector), details: {key: `overlay ${o.selector}`, coverage: o.coverage, kind: o.kind, rect: o.rect}})
    for (const d of visit.dialogs ?? []) out.push({status: 'fail', message: t(ctx.lang, 'ELD-006.dialog', {type: d.type, text: d.message}) + note(), location: at(visit), details: {key: `dialog ${d.type}`}})
    if (out.length === 0) out.push({status: 'pass', message: t(ctx.lang, 'ELD-006.pass') + note(), location: at(visit)})
    return out
  })
}

/**
 * A lure (MIIT §5.1.2): a control inviting a download or install (anywhere), or a payment or
 * top-up that is not the service's own step (a pay button inside the page's form, not floating
 * and not in a pop-up, is the service's own action).
 */
export function isLure(l: ElderFacts['lures'][number], downloadWords: string[], payWords: string[]): boolean {
  const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase()
  const text = norm(l.text)
  if (downloadWords.some((w) => text.includes(norm(w)))) return true
  if (!payWords.some((w) => text.includes(norm(w)))) return false
  return l.floating || l.inOverlay || !l.inForm
}

// ELD-007 — no 诱导下载 / 诱导付款 buttons, floating or not, on any page.
const lures: CheckFn = (ctx) => {
  const words = strs(ctx.params.words, ['下载App', '立即下载', '安装App'])
  const payWords = strs(ctx.params.payWords, ['立即支付', '去支付', '立即充值'])
  return overPages<ElderFacts>(ctx, 'elder', allPages, (f, visit) => {
    const found = (f.lures ?? []).filter((l) => isLure(l, words, payWords))
    const page = roleName(ctx.lang, visit)
    if (found.length === 0) return [{status: 'pass', message: t(ctx.lang, 'ELD-007.pass', {page}), location: at(visit)}]
    return found.slice(0, LIMIT).map((l) => ({status: 'fail' as const, message: t(ctx.lang, 'ELD-007.fail', {text: l.text, where: t(ctx.lang, l.floating ? 'ELD-007.floating' : l.inOverlay ? 'ELD-007.inOverlay' : 'ELD-007.inPage'), page}), location: at(visit, l.selector), details: {key: l.text, rect: l.rect, href: l.href}}))
  })
}

/** Where a close control sits on its pop-up panel: top-left, top-right, bottom-centre or elsewhere. */
export function closePosition(c: Rect, p: Rect, params: {cornerShare?: number; edgeShare?: number; edgeMinPx?: number; centreShare?: number} = {}): 'top-left' | 'top-right' | 'bottom-centre' | 'elsewhere' {
  const corner = params.cornerShare ?? 0.3
  const edge = Math.max(p.h * (params.edgeShare ?? 0.25), params.edgeMinPx ?? 60)
  const centre = params.centreShare ?? 0.2
  const cx = c.x + c.w / 2
  const cy = c.y + c.h / 2
  const top = cy <= p.y + edge
  const bottom = cy >= p.y + p.h - edge
  if (top && cx <= p.x + p.w * corner) return 'top-left'
  if (top && cx >= p.x + p.w * (1 - corner)) return 'top-right'
  if (bottom && Math.abs(cx - (p.x + p.w / 2)) <= p.w * centre) return 'bottom-centre'
  return 'elsewhere'
}

// ELD-008 — every pop-up's close control is top-left, top-right or bottom-centre and ≥ 44×44.
const popupClose: CheckFn = (ctx) => {
  const minPx = num(ctx.params.minClosePx, 44)
  const minCover = num(ctx.params.popupMinCoverage, 0.15)
  const zones = {cornerShare: num(ctx.params.cornerShare, 0.3), edgeShare: num(ctx.params.edgeShare, 0.25), edgeMinPx: num(ctx.params.edgeMinPx, 60), centreShare: num(ctx.params.centreShare, 0.2)}
  const findings = overPages<ElderFacts>(ctx, 'elder', allPages, (f, visit) => {
    const popups = (f.overlays ?? []).filter((o) => o.kind === 'dialog' || o.coverage >= minCover)
    if (popups.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, 'ELD-008.none', {page: roleName(ctx.lang, visit)}), location: at(visit)}]
    const out: RawFinding[] = []
    for (const o of popups) {
      if (o.closeControls.length === 0) {
        out.push({status: 'fail', message: t(ctx.lang, 'ELD-008.noClose', {text: o.text}), location: at(visit, o.selector), details: {key: o.selector}})
        continue
      }
      const placed = o.closeControls.map((c) => ({...c, position: closePosition(c.rect, o.panel, zones)}))
      const ok = placed.find((c) => c.position !== 'elsewhere' && c.rect.w >= minPx - 0.01 && c.rect.h >= minPx - 0.01)
      if (ok) {
        out.push({status: 'pass', message: t(ctx.lang, 'ELD-008.pass', {position: ok.position, w: fmt(ok.rect.w), h: fmt(ok.rect.h)}), location: at(visit, ok.selector)})
        continue
      }
      const c = placed[0]
      const key = c.position === 'elsewhere' ? 'ELD-008.position' : 'ELD-008.size'
      out.push({status: 'fail', message: t(ctx.lang, key, {text: c.text, w: fmt(c.rect.w), h: fmt(c.rect.h), min: minPx}), location: at(visit, c.selector), details: {key: o.selector, position: c.position, rect: c.rect, panel: o.panel}})
    }
    return out
  })
  return collapseNotApplicable(findings)
}

// ELD-009 — an image captcha offers a non-visual alternative (audio, voice, SMS).
const captcha: CheckFn = (ctx) => {
  const words = strs(ctx.params.alternatives, ['语音', '音频', '短信', 'audio', 'voice', 'sms'])
  const findings = overPages<ElderFacts>(ctx, 'elder', allPages, (f, visit) => {
    const caps = f.captchas ?? []
    if (caps.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, 'ELD-009.none', {page: roleName(ctx.lang, visit)}), location: at(visit)}]
    const named = (f.captchaAlternatives ?? []).filter((a) => a.text === 'audio' || words.some((w) => a.text.toLowerCase().includes(w.toLowerCase())))
    const alt = named.find((a) => a.control === true)
    if (!alt && named.length) return [{status: 'fail', message: t(ctx.lang, 'ELD-009.notControl', {text: named[0].text}), location: at(visit, named[0].selector), details: {captchas: caps, words: named}}]
    if (alt) return [{status: 'pass', message: t(ctx.lang, 'ELD-009.pass', {text: alt.text}), location: at(visit, caps[0].selector)}]
    return [{status: 'fail', message: t(ctx.lang, 'ELD-009.fail', {count: caps.length}), location: at(visit, caps[0].selector), details: {captchas: caps}}]
  })
  return collapseNotApplicable(findings)
}

/** Many pages with nothing to judge → one not-applicable finding instead of one per page. */
function collapseNotApplicable(findings: RawFinding[]): RawFinding[] {
  if (findings.length > 1 && findings.every((f) => f.status === 'not-applicable')) return [findings[0]]
  const judged = findings.filter((f) => f.status !== 'not-applicable' || !f.location?.url)
  return judged.length ? judged : findings
}

/**
 * Two URLs name the same page: same origin and the same path (a trailing index.html and a
 * trailing slash dropped) and, when both carry one, the same query. A file of the same name in
 * another folder is another page.
 */
export function samePage(a: URL, b: URL): boolean {
  if (a.origin !== b.origin) return false
  const norm = (p: string) => p.replace(/\/index\.html?$/i, '/').replace(/\/+$/, '') || '/'
  return norm(a.pathname) === norm(b.pathname) && (a.search === b.search || !a.search || !b.search)
}

const parse = (u: string): URL | null => {
  try {
    return new URL(u)
  } catch {
    return null
  }
}

// ELD-010 — the elder mode keeps every service path reachable (one click from the elder entry).
const reachesServices: CheckFn = (ctx) => {
  const art = pageArtifact(ctx)
  if (!art) return [{status: 'error', message: t(ctx.lang, 'page.noArtifact')}]
  const elder = art.pages.find((p) => p.role === 'elder')
  if (!elder) return [{status: 'not-applicable', message: t(ctx.lang, 'ELD-010.noElder')}]
  const services = art.pages.filter((p) => p.role === 'service')
  const entry = art.pages.find((p) => p.role === 'entry')
  return overPages<ElderFacts>(ctx, 'elder', () => [elder], (f, visit) => {
    const offered = (f.links ?? []).map((l) => parse(l.href)).filter((u): u is URL => u !== null)
    const here = parse(visit.finalUrl ?? visit.url)
    let expected: Array<{url: string; name: string}>
    let source: 'manifest' | 'entry'
    if (services.length) {
      source = 'manifest'
      expected = services.map((s) => ({url: s.url, name: s.name ?? s.path ?? s.url}))
    } else {
      if (!entry) return [{status: 'not-applicable', message: t(ctx.lang, 'ELD-010.noEntry'), location: at(visit)}]
      if (entry.error) return [{status: 'error', message: entry.error, location: at(entry)}]
      const ef = entry.probes?.elder as ElderFacts | undefined
      if (!ef || (ef as {error?: string}).error) return [{status: 'error', message: t(ctx.lang, 'page.probeMissing', {probe: 'elder'}), location: at(entry)}]
      source = 'entry'
      const entryUrl = parse(entry.finalUrl ?? entry.url)
      expected = (ef.links ?? [])
        .map((l) => ({l, u: parse(l.href)}))
        .filter(({u}) => u && entryUrl && u.origin === entryUrl.origin && !samePage(u, entryUrl) && !(here && samePage(u, here)) && !(parse(visit.url) && samePage(u, parse(visit.url)!)))
        .map(({l}) => ({url: l.href, name: l.text || l.href}))
    }
    if (expected.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, 'ELD-010.nothing'), location: at(visit)}]
    const missing = expected.filter((e) => {
      const u = parse(e.url)
      return !u || !offered.some((o) => samePage(o, u))
    })
    if (missing.length === 0) return [{status: 'pass', message: t(ctx.lang, `ELD-010.pass.${source}`, {count: expected.length}), location: at(visit)}]
    return missing.slice(0, LIMIT).map((m) => ({status: 'fail' as const, message: t(ctx.lang, `ELD-010.missing.${source}`, {name: m.name, url: m.url}), location: at(visit), details: {key: m.url, missing: m.url}}))
  })
}

// ELD-012 — a read-aloud or voice control in the elder version (a control named 朗读/语音播报/读屏 …,
// or an audio player). Only the elder entry itself: a stand-in entry page is not an elder version.
const readAloud: CheckFn = (ctx) => {
  const names = strs(ctx.params.names, ['朗读', '读屏', '语音播报', '语音助手', '语音导航', '语音服务', '听一听', '读给我听', 'read aloud'])
  const art = pageArtifact(ctx)
  if (art && !art.pages.some((p) => p.role === 'elder')) return [{status: 'not-applicable', message: t(ctx.lang, 'ELD-012.noElder')}]
  return overPages<ElderFacts>(ctx, 'elder', byRoles('elder'), (f, visit) => {
    const page = roleName(ctx.lang, visit)
    if (!Array.isArray(f.entries)) return [{status: 'error', message: t(ctx.lang, 'page.probeMissing', {probe: 'elder.entries'}), location: at(visit)}]
    const found = f.entries.find((e) => e.media || names.some((n) => e.name.toLowerCase().includes(n.toLowerCase())))
    if (found) return [{status: 'pass', message: t(ctx.lang, 'ELD-012.pass', {page, name: found.name || found.tag}), location: at(visit, found.selector)}]
    return [{status: 'fail', message: t(ctx.lang, 'ELD-012.fail', {page, names: names.join('/')}), location: at(visit), details: {entries: f.entries.slice(0, 30).map((e) => e.name)}}]
  }, 'ELD-012.noElder')
}

export const checks: CategoryModule['checks'] = {
  readAloud,
  elderSwitch,
  fontSize,
  targets,
  spacing,
  contrast,
  ads,
  lures,
  popupClose,
  captcha,
  reachable: reachesServices,
  fontScaling,
}
