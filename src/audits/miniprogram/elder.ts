// MP-005 elder switch, MP-006 elder font, MP-007 elder tap targets, MP-008 ads and lures.
import type {AuditContext, RawFinding} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {allUnits, artifactOf, at, cap, elderPages, entryPage, matchesName} from './common.js'

const PER_PAGE = 20

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
  for (const p of pages) {
    const u = p.template
    if (!u) continue
    const texts = u.elements.filter((e) => e.font)
    const small = texts.filter((e) => e.font!.px !== null && e.font!.px < min)
    const unknown = texts.filter((e) => e.font!.px === null)
    for (const e of cap(small, PER_PAGE)) out.push({status: 'fail', message: t(L, 'MP-006.small', {text: e.text ?? '', px: e.font!.px, min}), location: at(u.file, e.line, e.column), details: {px: e.font!.px}})
    for (const e of cap(unknown, PER_PAGE)) out.push({status: 'error', message: t(L, 'MP-006.unknown', {text: e.text ?? '', why: e.font!.why ?? ''}), location: at(u.file, e.line, e.column)})
    const pageScript = art.scripts.find((s) => s.file === p.script && s.fontSetting.length > 0)
    const meta = u.pageMeta && ('root-font-size' in u.pageMeta.attrs || 'page-font-size' in u.pageMeta.attrs)
    const follows = ctx.params.requireFontSetting === false || meta || pageScript !== undefined || appFontSetting.length > 0
    if (!follows) out.push({status: 'fail', message: t(L, 'MP-006.noSetting', {route: p.route}), location: at(u.file, 1, 1)})
    if (follows && !small.length && !unknown.length && texts.length) {
      const sizes = texts.map((e) => e.font!.px as number)
      const how = meta ? `page-meta ${Object.entries(u.pageMeta!.attrs).filter(([k]) => k.endsWith('font-size')).map(([k, v]) => `${k}="${v}"`).join(' ')}` : 'fontSizeSetting'
      out.push({status: 'pass', message: t(L, 'MP-006.pass', {route: p.route, count: texts.length, smallest: Math.min(...sizes), how}), location: at(u.file, texts[0].line, texts[0].column), details: {resolved: cap(texts.map((e) => ({text: e.text, px: e.font!.px, line: e.line})), 30)}})
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
  for (const p of pages) {
    const u = p.template
    if (!u) continue
    const taps = u.elements.filter((e) => e.tappable && e.size)
    let ok = 0
    let shown = 0
    for (const e of taps) {
      const {w, h, why} = e.size!
      const label = e.allText || e.attrs['aria-label'] || `<${e.tag}>`
      if (w === null || h === null) {
        if (shown++ < PER_PAGE) out.push({status: 'error', message: t(L, 'MP-007.unknown', {label, why: why ?? '', w: w ?? '?', h: h ?? '?'}), location: at(u.file, e.line, e.column)})
      } else if (w < min || h < min) {
        if (shown++ < PER_PAGE) out.push({status: 'fail', message: t(L, 'MP-007.small', {label, w, h, min}), location: at(u.file, e.line, e.column), details: {w, h}})
      } else ok++
    }
    if (ok === taps.length && taps.length) out.push({status: 'pass', message: t(L, 'MP-007.pass', {route: p.route, count: ok, min}), location: at(u.file, taps[0].line, taps[0].column)})
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
  for (const p of elder) {
    const u = p.template
    if (!u) continue
    for (const e of u.elements) {
      if (adTags.includes(e.tag)) out.push({status: 'fail', message: t(L, 'MP-008.ad', {tag: e.tag, route: p.route}), location: at(u.file, e.line, e.column)})
      else if (pluginTags.has(e.tag)) out.push({status: 'fail', message: t(L, 'MP-008.plugin', {tag: e.tag, route: p.route}), location: at(u.file, e.line, e.column)})
      else if (e.text && labels.some((l) => e.text === l || e.text!.startsWith(l + ' ') || e.text!.startsWith(l + '：'))) out.push({status: 'fail', message: t(L, 'MP-008.label', {text: e.text, route: p.route}), location: at(u.file, e.line, e.column)})
    }
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
