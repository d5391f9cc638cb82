// MP-009 accessible names and labels, MP-010 colour contrast of statically resolvable text.
import type {AuditContext, RawFinding} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {FORM_FIELDS, IMAGES} from '../../artifacts/miniprogram.js'
import {allUnits, artifactOf, at} from './common.js'

const MAX = 200

export function names(ctx: AuditContext): RawFinding[] {
  const got = artifactOf(ctx)
  if ('findings' in got) return got.findings
  const {art} = got
  const L = ctx.lang
  const decorative = (ctx.params.decorativeRoles as string[] | undefined) ?? ['presentation', 'none']
  const out: RawFinding[] = []
  let checked = 0
  const named = (a: Record<string, string>) => (a['aria-label'] ?? '').trim() !== '' || (a['aria-labelledby'] ?? '').trim() !== ''
  for (const u of allUnits(art)) {
    const labelFor = new Set(u.elements.filter((e) => e.tag === 'label' && e.attrs.for).map((e) => e.attrs.for))
    for (const e of u.elements) {
      if (out.length >= MAX) break
      const hidden = e.attrs['aria-hidden'] === 'true' || decorative.includes(e.attrs['aria-role'] ?? e.attrs.role ?? '')
      if (IMAGES.has(e.tag)) {
        checked++
        // An image inside a tappable that has text is named by that text; the tappable is checked below.
        if (!named(e.attrs) && !hidden) out.push({status: 'fail', message: t(L, 'MP-009.image', {tag: e.tag, src: e.attrs.src ?? e.attrs.type ?? ''}), location: at(u.file, e.line, e.column)})
      } else if (FORM_FIELDS.has(e.tag)) {
        checked++
        const labelled = named(e.attrs) || e.inLabel || (e.attrs.id && labelFor.has(e.attrs.id)) || (e.tag === 'picker' && !!e.allText)
        if (!labelled) out.push({status: 'fail', message: t(L, 'MP-009.field', {tag: e.tag}), location: at(u.file, e.line, e.column)})
      } else if (e.tappable && !e.allText && !hidden) {
        checked++
        if (!named(e.attrs)) out.push({status: 'fail', message: t(L, 'MP-009.iconOnly', {tag: e.tag}), location: at(u.file, e.line, e.column)})
      }
    }
  }
  if (!checked) return [{status: 'not-applicable', message: t(L, 'MP-009.none')}]
  return out.length ? out : [{status: 'pass', message: t(L, 'MP-009.pass', {count: checked}), location: at(art.app.file)}]
}

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
}

function ratio(fg: string, bg: string): number {
  const a = luminance(fg)
  const b = luminance(bg)
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
}

export function contrast(ctx: AuditContext): RawFinding[] {
  const got = artifactOf(ctx)
  if ('findings' in got) return got.findings
  const {art} = got
  const L = ctx.lang
  const min = Number(ctx.params.minRatio ?? 4.5)
  const large = Number(ctx.params.largeTextMinRatio ?? 3)
  const largeAbove = Number(ctx.params.largeTextAbovePx ?? 18)
  const out: RawFinding[] = []
  let resolved = 0
  let unresolved = 0
  let lowest = Infinity
  for (const u of allUnits(art)) {
    for (const e of u.elements) {
      if (!e.color || !e.text) continue
      if (!e.color.fg || !e.color.bg) {
        unresolved++
        continue
      }
      resolved++
      const r = ratio(e.color.fg, e.color.bg)
      lowest = Math.min(lowest, r)
      const need = e.font?.px != null && e.font.px > largeAbove ? large : min
      if (r < need && out.length < MAX) out.push({status: 'fail', message: t(L, 'MP-010.low', {text: e.text, fg: e.color.fg, bg: e.color.bg, ratio: r.toFixed(2), need}), location: at(u.file, e.line, e.column), details: {ratio: Math.round(r * 100) / 100, fg: e.color.fg, bg: e.color.bg}})
    }
  }
  if (!resolved) return [{status: 'not-applicable', message: t(L, 'MP-010.none', {unresolved})}]
  return out.length ? out : [{status: 'pass', message: t(L, 'MP-010.pass', {count: resolved, lowest: lowest.toFixed(2), unresolved}), location: at(art.app.file), details: {resolved, unresolved, lowest: Math.round(lowest * 100) / 100}}]
}
