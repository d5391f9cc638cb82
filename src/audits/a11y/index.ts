// Accessibility rules A11Y-001 … A11Y-006 (GB/T 37668-2019, built on WCAG 2.0/2.1 AA), judged
// from the facts the a11y probe gathered with axe-core on every visited page.
import type {AuditContext, CategoryModule, CheckFn, RawFinding} from '../../core/types.js'
import type {A11yFacts, ElderFacts} from '../../artifacts/page.js'
import {messageKey, t, type MessageKey} from '../../lib/i18n/index.js'
import {allPages, at, byRoles, num, overPages, roleName, strs} from './pages.js'

export const requires = ['page']

/** A11Y-001 / A11Y-002: one finding per axe rule and page among the impacts named in params. */
function axeByImpact(defaults: string[], passKey: MessageKey): CheckFn {
  return (ctx: AuditContext) => {
    const impacts = strs(ctx.params.impacts, defaults)
    return overPages<A11yFacts>(ctx, 'a11y', allPages, (facts, visit) => {
      if (typeof facts.axeError === 'string') return [{status: 'error', message: t(ctx.lang, 'page.probeError', {probe: 'axe-core', detail: facts.axeError}), location: at(visit)}]
      const out: RawFinding[] = []
      for (const v of facts.violations ?? []) {
        if (!impacts.includes(String(v.impact ?? 'minor'))) continue
        const help = v.help?.[ctx.lang] ?? v.help?.en ?? v.id
        out.push({
          status: 'fail',
          message: t(ctx.lang, 'A11Y.violation', {rule: v.id, impact: v.impact ?? 'minor', help, count: v.nodes, page: roleName(ctx.lang, visit)}),
          location: at(visit, v.selectors?.[0]),
          details: {
            key: v.id,
            axeRule: v.id,
            impact: v.impact,
            help,
            helpUrl: v.helpUrl,
            nodes: v.nodes,
            selectors: (v.selectors ?? []).slice(0, 10),
            ...(v.summary ? {summary: v.summary} : {}),
            ...(v.screenshot ? {screenshot: v.screenshot} : {}),
          },
        })
      }
      if (out.length === 0) out.push({status: 'pass', message: t(ctx.lang, passKey, {impacts: impacts.join('/'), page: roleName(ctx.lang, visit)}), location: at(visit)})
      return out
    })
  }
}

/** The viewport meta's properties: `width=device-width, user-scalable=no` → {width, user-scalable}. */
export function parseViewport(content: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of content.split(/[,;]/)) {
    const m = /^\s*([\w-]+)\s*=\s*([^\s]*)\s*$/.exec(part)
    if (m) out[m[1].toLowerCase()] = m[2].toLowerCase()
  }
  return out
}

/** Chromium's reading of user-scalable: yes/true → on; no/false/0 → off; a number n → |n| ≥ 1. */
export function zoomDisabled(v: Record<string, string>): boolean {
  const us = v['user-scalable']
  if (us === undefined) return false
  if (us === 'yes' || us === 'true' || us === 'device-width' || us === 'device-height') return false
  if (us === 'no' || us === 'false') return true
  const n = Number(us)
  return Number.isFinite(n) ? Math.abs(n) < 1 : true
}

export function maximumScale(v: Record<string, string>): number | undefined {
  const ms = v['maximum-scale']
  if (ms === undefined) return undefined
  if (ms === 'yes') return 1
  if (ms === 'device-width' || ms === 'device-height') return 10
  const n = Number(ms)
  return Number.isFinite(n) ? n : undefined
}

const viewport: CheckFn = (ctx) => {
  const minScale = num(ctx.params.minMaximumScale, 2)
  return overPages<A11yFacts>(ctx, 'a11y', allPages, (facts, visit) => {
    const metas = facts.viewport ?? []
    const page = roleName(ctx.lang, visit)
    if (metas.length === 0) return [{status: 'pass', message: t(ctx.lang, 'A11Y-003.none', {page}), location: at(visit)}]
    const content = metas[metas.length - 1]
    const v = parseViewport(content)
    const details = {content}
    if (zoomDisabled(v)) return [{status: 'fail', message: t(ctx.lang, 'A11Y-003.userScalable', {content, page}), location: at(visit, 'meta[name="viewport"]'), details}]
    const ms = maximumScale(v)
    if (ms !== undefined && ms < minScale) return [{status: 'fail', message: t(ctx.lang, 'A11Y-003.maxScale', {content, value: ms, min: minScale, page}), location: at(visit, 'meta[name="viewport"]'), details}]
    return [{status: 'pass', message: t(ctx.lang, 'A11Y-003.pass', {content, page}), location: at(visit), details}]
  })
}

const lang: CheckFn = (ctx) =>
  overPages<A11yFacts>(ctx, 'a11y', allPages, (facts, visit) => {
    const page = roleName(ctx.lang, visit)
    const value = typeof facts.lang === 'string' ? facts.lang.trim() : ''
    if (!value) return [{status: 'fail', message: t(ctx.lang, facts.lang === null || facts.lang === undefined ? 'A11Y-004.missing' : 'A11Y-004.empty', {page}), location: at(visit, 'html')}]
    return [{status: 'pass', message: t(ctx.lang, 'A11Y-004.pass', {lang: value, page}), location: at(visit, 'html')}]
  })

/**
 * A11Y-005 / A11Y-006: a named entry on the app's entry page. Judged only when a manifest
 * declares the app (its app.entry is then known to be the home page); a page checked by --url
 * alone may be any page of the site, so the rule is not applicable there and says so.
 */
function entryOnHome(key: string, defaults: string[], isEntry: (e: NonNullable<ElderFacts['entries']>[number]) => boolean): CheckFn {
  return (ctx) => {
    const m = ctx.artifacts.manifest as {data?: unknown; __error?: unknown} | undefined
    if (!m || m.__error || !m.data) return [{status: 'not-applicable', message: t(ctx.lang, 'A11Y.entryNoManifest')}]
    const names = strs(ctx.params.names, defaults)
    return overPages<ElderFacts>(ctx, 'elder', byRoles('entry'), (f, visit) => {
      const page = roleName(ctx.lang, visit)
      if (!Array.isArray(f.entries)) return [{status: 'error', message: t(ctx.lang, 'page.probeMissing', {probe: 'elder.entries'}), location: at(visit)}]
      const found = f.entries.find((e) => isEntry(e) || names.some((n) => e.name.toLowerCase().includes(n.toLowerCase())))
      if (found) return [{status: 'pass', message: t(ctx.lang, messageKey(`${key}.pass`), {page, name: found.name || found.tag}), location: at(visit, found.selector)}]
      return [{status: 'fail', message: t(ctx.lang, messageKey(`${key}.fail`), {page, names: names.join('/')}), location: at(visit), details: {entries: f.entries.slice(0, 30).map((e) => e.name)}}]
    }, 'ELD.noEntry')
  }
}

const COMPLAINT_NAMES = ['投诉建议', '投诉', '意见建议', '建议反馈', '意见反馈', '留言', '12345']
const SEARCH_NAMES = ['搜索', '检索', '查找', 'search']

export const checks: CategoryModule['checks'] = {
  complaintEntry: entryOnHome('A11Y-005', COMPLAINT_NAMES, () => false),
  searchEntry: entryOnHome('A11Y-006', SEARCH_NAMES, (e) => e.search),
  axeSerious: axeByImpact(['critical', 'serious'], 'A11Y-001.pass'),
  axeModerate: axeByImpact(['moderate', 'minor'], 'A11Y-002.pass'),
  viewport,
  lang,
}
