// Shared by the a11y and elder audits: walk the visited pages of the page artifact and turn page
// faults, skipped pages and failed probes into findings, so each check only judges facts.
import type {AuditContext, Lang, Location, RawFinding} from '../../core/types.js'
import type {PageArtifact, PageRole, PageVisit} from '../../artifacts/page.js'
import {t, type MessageKey} from '../../lib/i18n/index.js'

export function pageArtifact(ctx: AuditContext): PageArtifact | undefined {
  const a = ctx.artifacts.page as PageArtifact | undefined
  return a && Array.isArray(a.pages) ? a : undefined
}

export const at = (visit: Pick<PageVisit, 'url'>, selector?: string): Location => ({url: visit.url, ...(selector ? {selector} : {})})

/** A page role as people read it. */
export function roleName(lang: Lang, visit: PageVisit): string {
  const r = t(lang, `page.role.${visit.role}`)
  return visit.name ? `${r}「${visit.name}」` : r
}

/**
 * The pages measured as the elder mode: the elder entry; when no elder entry was given at all
 * (URL mode with --url only, or a manifest without app.elderEntry), the entry page stands in.
 */
export function elderPages(pages: PageVisit[]): {pages: PageVisit[]; standIn: boolean} {
  const elder = pages.filter((p) => p.role === 'elder')
  if (elder.length) return {pages: elder, standIn: false}
  return {pages: pages.filter((p) => p.role === 'entry'), standIn: true}
}

/**
 * Runs `judge` on the facts the named probe gathered on each selected page. Pages that failed to
 * load give `error`, skipped pages `not-applicable`; no page at all gives one `not-applicable`.
 */
export function overPages<F>(
  ctx: AuditContext,
  probe: string,
  select: (pages: PageVisit[]) => PageVisit[],
  judge: (facts: F, visit: PageVisit) => RawFinding[],
  noPage: MessageKey = 'page.none',
): RawFinding[] {
  const art = pageArtifact(ctx)
  if (!art) return [{status: 'error', message: t(ctx.lang, 'page.noArtifact')}]
  const chosen = select(art.pages)
  if (chosen.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, noPage)}]
  const out: RawFinding[] = []
  for (const visit of chosen) {
    if (visit.skipped) {
      out.push({status: 'not-applicable', message: visit.skipped, location: at(visit)})
      continue
    }
    if (visit.error) {
      out.push({status: 'error', message: visit.error, location: at(visit)})
      continue
    }
    const facts = visit.probes?.[probe] as (F & {error?: string}) | undefined
    if (!facts) {
      out.push({status: 'error', message: t(ctx.lang, 'page.probeMissing', {probe}), location: at(visit)})
      continue
    }
    if (typeof facts === 'object' && typeof (facts as {error?: unknown}).error === 'string') {
      out.push({status: 'error', message: t(ctx.lang, 'page.probeError', {probe, detail: (facts as {error: string}).error}), location: at(visit)})
      continue
    }
    try {
      out.push(...judge(facts, visit))
    } catch (error) {
      out.push({status: 'error', message: t(ctx.lang, 'audit.crashed', {detail: (error as Error).message}), location: at(visit)})
    }
  }
  return out
}

export const byRoles =
  (...roles: PageRole[]) =>
  (pages: PageVisit[]): PageVisit[] =>
    pages.filter((p) => roles.includes(p.role))

export const allPages = (pages: PageVisit[]): PageVisit[] => pages

export const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : fallback)
export const strs = (v: unknown, fallback: string[]): string[] => (Array.isArray(v) ? v.map(String) : fallback)
