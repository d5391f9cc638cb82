// Shared helpers of the MP rules: the artifact, positions, entry page and elder pages.
import type {AuditContext, Location, RawFinding} from '../../core/types.js'
import type {MiniprogramArtifact, PageFacts, UnitFacts} from '../../artifacts/miniprogram.js'
import {t} from '../../lib/i18n/index.js'

export type Art = MiniprogramArtifact

/** The artifact, or the finding that says why there is none (not a mini-program run). */
export function artifactOf(ctx: AuditContext): {art: Art} | {findings: RawFinding[]} {
  const a = ctx.artifacts.miniprogram as Art | null | undefined
  if (!a) return {findings: [{status: 'not-applicable', message: t(ctx.lang, 'MP.none')}]}
  return {art: a}
}

export function at(file: string, line?: number, column?: number): Location {
  return {file, ...(line ? {line} : {}), ...(column ? {column} : {})}
}

/** Position of a JSON Pointer in app.json. */
export function appAt(art: Art, pointer: string): Location {
  const p = art.app.positions[pointer]
  return {file: art.app.file, ...(p ? {line: p[0], column: p[1]} : {}), pointer}
}

export function entryRoute(art: Art): string | undefined {
  const d = art.app.data
  if (art.platform === 'wechat' && typeof d.entryPagePath === 'string') return d.entryPagePath.replace(/^\//, '')
  return art.pages.find((p) => p.package === 'main')?.route
}

export function entryPage(art: Art): PageFacts | undefined {
  const r = entryRoute(art)
  return art.pages.find((p) => p.route === r)
}

/** A navigator url (absolute `/pages/x/x?a=1` or relative `../x/x`) as a route. */
function routeOf(url: string, fromRoute: string): string {
  const bare = url.split('?')[0].split('#')[0]
  if (bare.startsWith('/')) return bare.slice(1)
  const parts = fromRoute.split('/').slice(0, -1)
  for (const seg of bare.split('/')) {
    if (seg === '..') parts.pop()
    else if (seg !== '.' && seg !== '') parts.push(seg)
  }
  return parts.join('/')
}

export function matchesName(text: string | undefined, names: string[]): string | undefined {
  if (!text) return undefined
  return names.find((n) => text.includes(n))
}

/** Elder pages: routes with an elder word in a path segment, and the targets of the entry page's elder switch. */
export function elderPages(art: Art, ctx: AuditContext): PageFacts[] {
  const words = ((ctx.params.elderRouteWords as string[] | undefined) ?? ['elder', 'care']).map((w) => w.toLowerCase())
  const names = (ctx.profile.rules.find((r) => r.id === 'MP-005')?.params.names as string[] | undefined) ?? ['长辈版']
  const routes = new Set<string>()
  for (const p of art.pages) {
    if (p.route.toLowerCase().split('/').some((seg) => words.some((w) => seg.includes(w)))) routes.add(p.route)
  }
  const entry = entryPage(art)
  for (const n of entry?.template?.navigators ?? []) if (matchesName(n.text, names)) routes.add(routeOf(n.url, entry!.route))
  return art.pages.filter((p) => routes.has(p.route))
}

/**
 * What the elder rules judge: for each elder page, its template and every component unit reachable
 * from it through the tags its elements use (`uses`, transitively; each unit once per page, cycles
 * cut), and for each component reached, the elder pages it is reached from (in page order).
 */
export interface ElderReach {
  units: Map<string, UnitFacts[]>
  reachedFrom: Map<string, string[]>
}

export function elderReach(art: Art, pages: PageFacts[]): ElderReach {
  const byPath = new Map(art.components.map((c) => [c.path, c]))
  const units = new Map<string, UnitFacts[]>()
  const reachedFrom = new Map<string, string[]>()
  for (const p of pages) {
    if (!p.template) continue
    const list: UnitFacts[] = [p.template]
    const seen = new Set<string>([p.template.path])
    for (let i = 0; i < list.length; i++) {
      const u = list[i]
      const tags = new Set(u.elements.map((e) => e.tag))
      for (const [tag, target] of Object.entries(u.uses ?? {})) {
        if (!tags.has(tag) || seen.has(target)) continue
        seen.add(target)
        const c = byPath.get(target)
        if (!c) continue
        list.push(c)
        const from = reachedFrom.get(c.path) ?? []
        if (!from.includes(p.route)) from.push(p.route)
        reachedFrom.set(c.path, from)
      }
    }
    units.set(p.route, list)
  }
  return {units, reachedFrom}
}

/** Routes for a message: the first three, then how many more. */
export function routeList(routes: string[]): string {
  return routes.length > 3 ? `${routes.slice(0, 3).join(', ')} +${routes.length - 3}` : routes.join(', ')
}

export function allUnits(art: Art): UnitFacts[] {
  return [...art.pages.flatMap((p) => (p.template ? [p.template] : [])), ...art.components, ...art.templates]
}

export const cap = <T>(list: T[], n = 50): T[] => list.slice(0, n)
