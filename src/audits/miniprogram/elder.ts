// MP-005 elder switch, MP-006 elder font, MP-007 elder tap targets, MP-008 ads and lures.
// The elder rules judge each elder page with the components it uses (elderReach): an element of a
// component is reported once, at the component's own file:line:column, naming every elder page that
// reaches it; each page's verdict (pass, font setting) counts the components it uses.
import type {AuditContext, Lang, RawFinding} from '../../core/types.js'
import type {ElementFact, UnitFacts} from '../../artifacts/miniprogram.js'
import {t} from '../../lib/i18n/index.js'
import {allUnits, artifactOf, at, cap, elderPages, elderReach, entryPage, matchesName, routeList, type ElderReach} from './common.js'

const PER_PAGE = 20

interface Hit {
  unit: UnitFacts
  e: ElementFact
}

/** The elements of a page and its components, each with its unit. */
function hitsOf(units: UnitFacts[], keep: (e: ElementFact) => boolean | undefined): Hit[] {
  return units.flatMap((unit) => unit.elements.filter((e) => keep(e)).map((e) => ({unit, e})))
}

/** Tells, for a component's element, which component and elder pages it is reached through (empty for the page's own). */
function via(L: Lang, reach: ElderReach, route: string, unit: UnitFacts): {suffix: string; details: Record<string, unknown>} {
  if (unit.path === route) return {suffix: '', details: {}}
  const from = reach.reachedFrom.get(unit.path) ?? [route]
  return {suffix: t(L, 'MP.viaComponent', {component: unit.path, pages: routeList(from)}), details: {component: unit.path, reachedFrom: from}}
}

/** Shows a component's elements once: true the first time a page reaches them. */
function firstTime(done: Set<string>, route: string, unit: UnitFacts): boolean {
  return unit.path === route || !done.has(unit.path)
}

function withComponents(L: Lang, units: UnitFacts[]): string {
  const comps = units.slice(1).map((u) => u.path)
  return comps.length ? t(L, 'MP.withComponents', {components: routeList(comps)}) : ''
}

export function elderSwitch(ctx: AuditContext): RawFinding[] {
  const got = artifactOf(ctx)
  if ('findings' in got) return got.findings
  const {art} = got
  const L = ctx.lang
  const names = (ctx.params.names as string[] | undefined) ?? ['长辈版']
  const entry = entryPage(art)
  if (!entry?.template) return [{status: 'fail', message: t(L, 'MP-005.noEntry', {route: entry?.route ?? '-'}), location: at(art.app.file)}]
  const hit = entry.template.elements.find((e) => e.tappable && matchesName(e.allText, names))
  if (hit) return [{status: 'pass', message: t(L, 'MP-005.pass', {text: hit.allText ?? '', tag: hit.tag}), location: at(entry.template.file, hit.line, hit.column)}]
  const shown = entry.template.elements.find((e) => matchesName(e.allText, names))
  if (shown) return [{status: 'fail', message: t(L, 'MP-005.notTappable', {text: shown.allText ?? ''}), location: at(entry.template.file, shown.line, shown.column)}]
  return [{status: 'fail', message: t(L, 'MP-005.missing', {route: entry.route, names: names.join('/')}), location: at(entry.template.file, 1, 1)}]
}

export function elderFont(ctx: AuditContext): RawFinding[] {
  const got = artifactOf(ctx)
  if ('findings' in got) return got.findings
  const {art} = got
  const L = ctx.lang
  const min = Number(ctx.params.mainTextMinPx ?? 18)
  const pages = elderPages(art, ctx)
  if (!pages.length) return [{status: 'not-applicable', message: t(L, 'MP.noElderPages')}]
  const out: RawFinding[] = []
  const appFontSetting = art.scripts.filter((s) => s.rel === 'app.js' && s.fontSetting.length > 0)
  const reach = elderReach(art, pages)
  const done = new Set<string>()
  for (const p of pages) {
    const u = p.template
    if (!u) continue
    const units = reach.units.get(p.route) ?? [u]
    const texts = hitsOf(units, (e) => e.font !== undefined)
    const small = texts.filter((h) => h.e.font!.px !== null && h.e.font!.px < min)
    const unknown = texts.filter((h) => h.e.font!.px === null)
    for (const {unit, e} of cap(small.filter((h) => firstTime(done, p.route, h.unit)), PER_PAGE)) {
      const v = via(L, reach, p.route, unit)
      out.push({status: 'fail', message: t(L, 'MP-006.small', {text: e.text ?? '', px: e.font!.px, min}) + v.suffix, location: at(unit.file, e.line, e.column), details: {px: e.font!.px, ...v.details}})
    }
    for (const {unit, e} of cap(unknown.filter((h) => firstTime(done, p.route, h.unit)), PER_PAGE)) {
      const v = via(L, reach, p.route, unit)
      out.push({status: 'error', message: t(L, 'MP-006.unknown', {text: e.text ?? '', why: e.font!.why ?? ''}) + v.suffix, location: at(unit.file, e.line, e.column), ...(v.suffix ? {details: v.details} : {})})
    }
    for (const c of units.slice(1)) done.add(c.path)
    const pageScript = art.scripts.find((s) => s.file === p.script && s.fontSetting.length > 0)
    const meta = u.pageMeta && ('root-font-size' in u.pageMeta.attrs || 'page-font-size' in u.pageMeta.attrs)
    const follows = ctx.params.requireFontSetting === false || meta || pageScript !== undefined || appFontSetting.length > 0
    if (!follows) out.push({status: 'fail', message: t(L, 'MP-006.noSetting', {route: p.route}), location: at(u.file, 1, 1)})
    if (follows && !small.length && !unknown.length && texts.length) {
      const sizes = texts.map((h) => h.e.font!.px as number)
      const how = meta ? `page-meta ${Object.entries(u.pageMeta!.attrs).filter(([k]) => k.endsWith('font-size')).map(([k, v]) => `${k}="${v}"`).join(' ')}` : 'fontSizeSetting'
      const first = texts[0]
      out.push({status: 'pass', message: t(L, 'MP-006.pass', {route: p.route, count: texts.length, smallest: Math.min(...sizes), how}) + withComponents(L, units), location: at(first.unit.file, first.e.line, first.e.column), details: {resolved: cap(texts.map(({unit, e}) => ({text: e.text, px: e.font!.px, line: e.line, ...(unit === u ? {} : {component: unit.path})})), 30)}})
    }
  }
  return out.length ? out : [{status: 'not-applicable', message: t(L, 'MP.noElderPages')}]
}

export function elderTargets(ctx: AuditContext): RawFinding[] {
  const got = artifactOf(ctx)
  if ('findings' in got) return got.findings
  const {art} = got
  const L = ctx.lang
  const min = Number(ctx.params.elderMinPx ?? 60)
  const pages = elderPages(art, ctx)
  if (!pages.length) return [{status: 'not-applicable', message: t(L, 'MP.noElderPages')}]
  const out: RawFinding[] = []
  const reach = elderReach(art, pages)
  const done = new Set<string>()
  for (const p of pages) {
    const u = p.template
    if (!u) continue
    const units = reach.units.get(p.route) ?? [u]
    const taps = hitsOf(units, (e) => e.tappable && e.size !== undefined)
    let ok = 0
    let shown = 0
    for (const {unit, e} of taps) {
      const {w, h, why} = e.size!
      const label = e.allText || e.attrs['aria-label'] || `<${e.tag}>`
      const show = firstTime(done, p.route, unit) && shown < PER_PAGE
      const v = show ? via(L, reach, p.route, unit) : undefined
      if (w === null || h === null) {
        if (v && shown++ < PER_PAGE) out.push({status: 'error', message: t(L, 'MP-007.unknown', {label, why: why ?? '', w: w ?? '?', h: h ?? '?'}) + v.suffix, location: at(unit.file, e.line, e.column), ...(v.suffix ? {details: v.details} : {})})
      } else if (w < min || h < min) {
        if (v && shown++ < PER_PAGE) out.push({status: 'fail', message: t(L, 'MP-007.small', {label, w, h, min}) + v.suffix, location: at(unit.file, e.line, e.column), details: {w, h, ...v.details}})
      } else ok++
    }
    for (const c of units.slice(1)) done.add(c.path)
    if (ok === taps.length && taps.length) out.push({status: 'pass', message: t(L, 'MP-007.pass', {route: p.route, count: ok, min}) + withComponents(L, units), location: at(taps[0].unit.file, taps[0].e.line, taps[0].e.column)})
  }
  return out.length ? out : [{status: 'not-applicable', message: t(L, 'MP-007.none')}]
}

export function adsAndLures(ctx: AuditContext): RawFinding[] {
  const got = artifactOf(ctx)
  if ('findings' in got) return got.findings
  const {art} = got
  const L = ctx.lang
  const adTags = (ctx.params.adTags as string[] | undefined) ?? ['ad', 'ad-custom']
  const words = ((ctx.params.adPluginWords as string[] | undefined) ?? ['ad']).map((w) => w.toLowerCase())
  const labels = (ctx.params.adLabels as string[] | undefined) ?? []
  const lures = (ctx.params.lureWords as string[] | undefined) ?? []
  const adPlugin = (name: string, provider?: string) => {
    const tokens = `${name} ${provider ?? ''}`.toLowerCase().split(/[^a-z0-9\u4e00-\u9fff]+/)
    return tokens.some((tk) => words.includes(tk)) || words.some((w) => /[\u4e00-\u9fff]/.test(w) && `${name}${provider ?? ''}`.includes(w))
  }
  const pluginTags = new Set(art.plugins.filter((p) => adPlugin(p.name, p.provider)).map((p) => p.name))
  const out: RawFinding[] = []
  const elder = elderPages(art, ctx)
  const reach = elderReach(art, elder)
  const done = new Set<string>()
  for (const p of elder) {
    if (!p.template) continue
    const units = reach.units.get(p.route) ?? [p.template]
    for (const unit of units) {
      if (!firstTime(done, p.route, unit)) continue
      // A component's ad is reported once, naming every elder page that uses the component.
      const inComponent = unit.path !== p.route
      const from = inComponent ? (reach.reachedFrom.get(unit.path) ?? [p.route]) : [p.route]
      const route = inComponent ? routeList(from) : p.route
      const suffix = inComponent ? t(L, 'MP.inComponent', {component: unit.path}) : ''
      const details = inComponent ? {details: {component: unit.path, reachedFrom: from}} : {}
      for (const e of unit.elements) {
        const location = at(unit.file, e.line, e.column)
        if (adTags.includes(e.tag)) out.push({status: 'fail', message: t(L, 'MP-008.ad', {tag: e.tag, route}) + suffix, location, ...details})
        else if (pluginTags.has(e.tag)) out.push({status: 'fail', message: t(L, 'MP-008.plugin', {tag: e.tag, route}) + suffix, location, ...details})
        else if (e.text && labels.some((l) => e.text === l || e.text!.startsWith(l + ' ') || e.text!.startsWith(l + '：'))) out.push({status: 'fail', message: t(L, 'MP-008.label', {text: e.text, route}) + suffix, location, ...details})
      }
    }
    for (const c of units.slice(1)) done.add(c.path)
  }
  for (const u of allUnits(art)) {
    for (const e of u.elements) {
      const w = e.tappable ? matchesName(e.allText, lures) : undefined
      if (w) out.push({status: 'fail', message: t(L, 'MP-008.lure', {text: e.allText ?? '', word: w}), location: at(u.file, e.line, e.column)})
    }
  }
  if (out.length === 0) out.push({status: 'pass', message: t(L, 'MP-008.pass', {elder: elder.length, units: allUnits(art).length}), location: at(art.app.file)})
  return out
}
