// What the console's feature pages (apps, scores) share: the form-body parser of their POST
// routes, query parameters, the role check of the review API turned into "not found", localised
// labels, dates, paging links and the scores of approved submissions (cached: a stored document
// never changes).
import type {FastifyInstance, FastifyRequest} from 'fastify'
import type {Lang} from '../../core/types.js'
import {t, type MessageKey} from '../../lib/i18n/index.js'
import {regionName} from '../../lib/identifiers.js'
import {scoreResult, type ScoreResult} from '../../score/score.js'
import type {Role, Store} from '../store.js'
import {authorize} from '../server/auth.js'
import {type Principal} from '../server/http.js'
import {Problem} from '../shared/problem.js'
import {html, raw, type Raw} from './html.js'

/** Where the console is served; its pages link to each other under it. */
const CONSOLE_BASE = '/console'

/**
 * The route prefix a feature adds to its paths: none when the shell registered it under
 * /console already (fastify's `prefix`), /console otherwise; the paths are the same either way.
 */
export function routeBase(app: FastifyInstance): string {
  return app.prefix.endsWith(CONSOLE_BASE) ? '' : CONSOLE_BASE
}

/** The largest form body a feature route reads (a reason is at most 10 000 characters). */
const FORM_MAX_BYTES = 64 * 1024

/**
 * POST forms arrive as application/x-www-form-urlencoded. The shell may parse them already (for
 * its own forms); a scope that has no parser gets this one, which refuses repeated fields.
 */
export function ensureFormParser(app: FastifyInstance): void {
  if (app.hasContentTypeParser('application/x-www-form-urlencoded')) return
  app.addContentTypeParser('application/x-www-form-urlencoded', {parseAs: 'string', bodyLimit: FORM_MAX_BYTES}, (_req, body, done) => {
    const out: Record<string, string> = {}
    for (const [k, v] of new URLSearchParams(body as string)) {
      if (k in out) {
        done(Object.assign(new Error(`the form field ${k.slice(0, 40)} is repeated`), {statusCode: 400}), undefined)
        return
      }
      out[k] = v
    }
    done(null, out)
  })
}

/** One form field as a string ('' when absent or not a single string). */
export function formField(req: FastifyRequest, name: string): string {
  const b = req.body as Record<string, unknown> | null | undefined
  const v = b && typeof b === 'object' ? b[name] : undefined
  return typeof v === 'string' ? v : ''
}

/** One query parameter as a string ('' when absent; the first when repeated). */
export function queryField(req: FastifyRequest, name: string): string {
  const q = req.query as Record<string, unknown> | undefined
  const v = q?.[name]
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : ''
  return typeof v === 'string' ? v : ''
}

/** The item a principal may see, or null: the review API's authorize (404 and 403 alike). */
export async function visible<T>(p: Principal, roles: Role[], load: () => Promise<T | null>, owner: (x: T) => string): Promise<T | null> {
  try {
    return await authorize(p, roles, load, owner)
  } catch (error) {
    if (error instanceof Problem && (error.status === 404 || error.status === 403)) return null
    throw error
  }
}

export const tr =
  (lang: Lang) =>
  (key: MessageKey, params: Record<string, unknown> = {}): string =>
    t(lang, key, params)

/** A GB/T 2260 code with its name when known: "140100 太原市". */
export function regionLabel(code: string | null | undefined): string {
  if (!code) return '—'
  const name = /^\d{6}$/.test(code) ? regionName(code) : undefined
  return name ? `${code} ${name}` : code
}

/** A region filter: 2 to 12 digits (as the review API's regionCode), '' for none, null when malformed. */
export function regionFilter(v: string): string | null {
  const s = v.trim()
  if (s === '') return ''
  return /^\d{2,12}$/.test(s) ? s : null
}

/** A date-time as "YYYY-MM-DD HH:MM UTC" inside a <time> element. */
export function when(iso: string | null | undefined): Raw {
  if (!iso) return raw('—')
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return html`${iso}`
  return html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`
}

export const fmt1 = (n: number | null | undefined): string => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(1) : '—')

/** A path with a query string built from the non-empty parameters. */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `${path}?${s}` : path
}

/** Previous / next links of a list page. */
export function pager(lang: Lang, path: string, params: Record<string, string>, page: number, hasNext: boolean): Raw {
  const m = tr(lang)
  const links: Raw[] = []
  if (page > 1) links.push(html`<a rel="prev" href="${withQuery(path, {...params, page: page - 1 > 1 ? page - 1 : undefined})}">${m('console.pager.prev')}</a>`)
  links.push(html`<span>${m('console.pager.number', {page})}</span>`)
  if (hasNext) links.push(html`<a rel="next" href="${withQuery(path, {...params, page: page + 1})}">${m('console.pager.next')}</a>`)
  return html`<nav class="pager" aria-label="${m('console.pager.label')}">${links}</nav>`
}

/** The page number of a list: 1 when absent, null when malformed. */
export function pageNumber(v: string): number | null {
  if (v === '') return 1
  if (!/^\d{1,6}$/.test(v) || Number(v) < 1) return null
  return Number(v)
}

/** Scores of approved submissions by submission id, read from the stored document once. */
export function createScoreCache(store: Store, max = 2000): (submissionId: string | null, document?: string) => Promise<ScoreResult | null> {
  const cache = new Map<string, ScoreResult | null>()
  return async (submissionId, document) => {
    if (!submissionId) return null
    if (cache.has(submissionId)) return cache.get(submissionId)!
    const text = document ?? (await store.getSubmissionDocument(submissionId))
    if (!text) return null
    let s: ScoreResult | null = null
    try {
      s = scoreResult(JSON.parse(text))
    } catch {
      s = null
    }
    if (cache.size >= max) cache.delete(cache.keys().next().value!)
    cache.set(submissionId, s)
    return s
  }
}

/** A score's grade in the page's language; "≥" marks the band of the lowest possible total (some inputs unknown). */
export function gradeText(s: ScoreResult, lang: Lang): string {
  if (!s.gradeName) return '—'
  const name = indexName(s.gradeName, lang)
  return s.gradeBasis === 'lower-bound' ? `${name} ${t(lang, 'console.score.lowerBound', {min: fmt1(s.range.min)})}` : name
}

/** The localised name of a score index ("服务事项覆盖度" / "Service item coverage"). */
export function indexName(name: {'zh-CN': string; en?: string}, lang: Lang): string {
  return name[lang] ?? name['zh-CN']
}
