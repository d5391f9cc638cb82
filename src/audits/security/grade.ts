// SEC-018: an Observatory-style grade. Start at the table's `start` score, add one modifier per
// test (the result codes of headers.ts), count bonuses only when the score without them reaches
// `bonusFrom`, floor at 0, and map to a letter with the table's `grades`. The table is the rule's
// params (standards/shanxi-2022/rules/security.yaml), pinned and versioned; nothing is hard-coded
// here except the fallback used when a profile forgets a cell (0, i.e. no effect).
import type {Profile} from '../../core/types.js'
import type {Artifacts} from '../../artifacts/index.js'
import {allCookies, answered, facts, hostOf, isFirstParty, type Facts, type SecPage} from './facts.js'
import {analyzeCoop, analyzeCorp, analyzeFraming, analyzeHsts, analyzeNosniff, analyzeReferrer, cookieGrade, first, revealingHeaders} from './headers.js'
import {cspOf} from './transport.js'

export interface GradeTable {
  version: string
  start: number
  bonusFrom: number
  grades: Record<string, number>
  modifiers: Record<string, Record<string, number>>
}

interface GradeTest {
  test: string
  result: string
  modifier: number
}

export interface Grade {
  grade: string
  score: number
  table: string
  tests: GradeTest[]
}

const PASSIVE_TYPES = new Set(['image', 'media'])
const PASSIVE_TAGS = new Set(['img', 'audio', 'video', 'source', 'track'])

/** Mixed content of one https page: active (scripts, frames, styles, calls) and passive (images, media). */
export function mixedContent(p: SecPage): {active: string[]; passive: string[]} {
  const active = new Set<string>()
  const passive = new Set<string>()
  if (!String(p.visit.finalUrl ?? p.sec.finalUrl ?? p.visit.url).startsWith('https:')) return {active: [], passive: []}
  for (const r of p.sec.requests) {
    if (typeof r?.url !== 'string') continue
    if (r.scheme === 'http' || r.scheme === 'ws' || /^(http|ws):/i.test(r.url)) (PASSIVE_TYPES.has(r.type) ? passive : active).add(r.url)
  }
  for (const e of p.sec.insecureElements) if (typeof e?.url === 'string') (PASSIVE_TAGS.has(String(e.tag)) ? passive : active).add(e.url)
  for (const c of p.sec.scriptCalls) if (typeof c?.url === 'string' && /^(http|ws):/i.test(c.url)) active.add(c.url)
  for (const m of p.sec.mixedContentReports) {
    const u = /requested an insecure [^'"]*['"]([^'"]+)['"]/.exec(String(m))?.[1]
    if (!u) continue
    if (/automatically upgraded|insecure (image|video|audio|element)/i.test(String(m))) passive.add(u)
    else active.add(u)
  }
  for (const u of active) passive.delete(u)
  return {active: [...active], passive: [...passive]}
}

/** Third-party scripts of the pages with their SRI and scheme. */
export function thirdPartyScripts(f: Facts): Array<{page: string; src: string; integrity: boolean; secure: boolean}> {
  const out: Array<{page: string; src: string; integrity: boolean; secure: boolean}> = []
  const seen = new Set<string>()
  for (const p of f.pages) {
    for (const s of p.sec.scripts) {
      if (typeof s?.src !== 'string' || seen.has(s.src)) continue
      if (!hostOf(s.src) || isFirstParty(s.src, f)) continue
      seen.add(s.src)
      out.push({page: p.visit.url, src: s.src, integrity: typeof s.integrity === 'string' && /^(sha256|sha384|sha512)-/.test(s.integrity.trim()), secure: s.src.startsWith('https:')})
    }
  }
  return out
}

function ruleParams(profile: Pick<Profile, 'rules'> | undefined, id: string): Record<string, any> {
  return (profile?.rules?.find((r) => r.id === id)?.params as Record<string, any>) ?? {}
}

export function readTable(params: Record<string, any>): GradeTable | null {
  const t = params?.table
  if (!t || typeof t !== 'object' || typeof t.modifiers !== 'object' || typeof t.grades !== 'object') return null
  return {
    version: String(t.version ?? 'unversioned'),
    start: Number(t.start ?? 100),
    bonusFrom: Number(t.bonusFrom ?? 90),
    grades: t.grades as Record<string, number>,
    modifiers: t.modifiers as Record<string, Record<string, number>>,
  }
}

function letterOf(score: number, grades: Record<string, number>): string {
  const sorted = Object.entries(grades).sort((a, b) => b[1] - a[1])
  for (const [g, min] of sorted) if (score >= min) return g
  return sorted.length ? sorted[sorted.length - 1][0] : 'F'
}

/** The grade of the app's entry, or null when the entry never answered. */
export function computeGrade(artifacts: Artifacts, profile: Pick<Profile, 'rules'>): Grade | null {
  const table = readTable(ruleParams(profile, 'SEC-018'))
  if (!table) return null
  const f = facts({artifacts, params: {}, rule: undefined as never, lang: 'en', profile: profile as Profile})
  const entry = answered(f.targets).find((t) => t.roles.includes('entry'))
  if (!entry) return null
  const h = entry.fetch.headers ?? {}
  const https = entry.fetch.finalUrl.startsWith('https:')
  const tests: GradeTest[] = []
  const add = (test: string, result: string) => tests.push({test, result, modifier: Number(table.modifiers[test]?.[result] ?? 0)})

  const hsts = analyzeHsts(first(h, 'strict-transport-security'), https, Number(ruleParams(profile, 'SEC-003').minMaxAge ?? 15552000))
  add('hsts', hsts.result)
  const csp = cspOf(entry, h)
  add('csp', csp.result)
  add('contentTypeOptions', analyzeNosniff(first(h, 'x-content-type-options')))
  add('framing', analyzeFraming(first(h, 'x-frame-options'), csp.frameAncestors).result)
  const allowedRef = (ruleParams(profile, 'SEC-007').allowed as string[]) ?? ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']
  add('referrerPolicy', analyzeReferrer(first(h, 'referrer-policy'), allowedRef, Array.isArray(entry.meta?.referrer) ? entry.meta!.referrer.map(String) : []).result)
  // The Observatory's bonuses for isolating the document from other origins.
  add('crossOriginResourcePolicy', analyzeCorp(first(h, 'cross-origin-resource-policy')))
  add('crossOriginOpenerPolicy', analyzeCoop(first(h, 'cross-origin-opener-policy')))
  add('cookies', cookieGrade(allCookies(f), hsts.result === 'ok'))
  const names = (ruleParams(profile, 'SEC-009').headers as string[]) ?? ['server', 'x-powered-by']
  add('serverVersion', answered(f.targets).some((t) => revealingHeaders(t.fetch.headers ?? {}, names).length > 0) ? 'revealed' : 'hidden')
  let active = false
  let passive = false
  for (const p of f.pages) {
    const m = mixedContent(p)
    active ||= m.active.length > 0
    passive ||= m.passive.length > 0
  }
  add('mixedContent', active ? 'active' : passive ? 'passive' : 'none')
  const third = thirdPartyScripts(f)
  const anyScripts = f.pages.some((p) => p.sec.scripts.length > 0 || Number(p.sec.inlineScripts) > 0)
  add('sri', third.some((s) => !s.integrity && !s.secure) ? 'insecure-without-sri' : third.some((s) => !s.integrity) ? 'third-party-without-sri' : third.length ? 'third-party-with-sri' : anyScripts ? 'first-party-only' : 'no-scripts')
  const redirect = f.http?.redirects.find((r) => hostOf(r.url) === hostOf(entry.fetch.finalUrl))
  let rr = redirect?.result ?? (https ? 'not-applicable' : 'no-redirect')
  if (rr === 'https' && redirect?.location) {
    try {
      if (new URL(redirect.location, redirect.httpUrl ?? redirect.url).hostname !== hostOf(redirect.url)) rr = 'off-host' as typeof rr
    } catch {
      // keep
    }
  }
  add('redirect', rr)

  const penalties = tests.filter((t) => t.modifier < 0).reduce((n, t) => n + t.modifier, 0)
  const bonuses = tests.filter((t) => t.modifier > 0).reduce((n, t) => n + t.modifier, 0)
  let score = table.start + penalties
  if (score >= table.bonusFrom) score += bonuses
  score = Math.max(0, score)
  return {grade: letterOf(score, table.grades), score, table: table.version, tests}
}

export function gradeRank(grade: string, grades: Record<string, number>): number {
  return grades[grade] ?? -1
}
