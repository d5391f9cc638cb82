// The seam between the console's shell (sign-in, session, CSRF, layout, submissions) and its
// feature plugins (apps, monitoring, scores, exports). A feature plugin is a fastify plugin that
// registers GET/POST routes under /console/… and renders its pages through `deps.page`; it never
// reads cookies or tokens itself: `deps.session` answers who is signed in, `deps.csrf` checks a
// state-changing form. Role rules are the review API's (src/review/server/*): a feature shows only
// what the API would answer for the same principal.
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'
import type {Lang} from '../../core/types.js'
import type {MonitoringRule} from '../server/context.js'
import type {Principal} from '../server/http.js'
import type {Store} from '../store.js'

export interface ConsoleSession {
  principal: Principal
  lang: Lang
  /** The per-session CSRF token every state-changing form carries as the `_csrf` field. */
  csrfToken: string
}

export interface PageSpec {
  /** The document title and the page's <h1>. */
  title: string
  /** The HTML of <main>, already escaped where it carries data (use `html` from ./html.js). */
  body: string
  /** Which navigation entry is current: 'submissions' | 'apps' | 'scores' | … */
  nav?: string
  /** HTTP status of the page (default 200). */
  status?: number
}

/** An API answer: the status and the JSON body (a problem+json body when status ≥ 400). */
interface ApiAnswer {
  status: number
  body: any
}

/**
 * The review API's own routes called in process for a principal: the same role, department and
 * body checks as over HTTP (and the same per-token rate limit), without a second HTTP hop.
 * `pathAndQuery` is an API path such as `/v1/submissions?status=received`.
 */
export type ApiCall = (principal: Principal, method: 'GET' | 'POST', pathAndQuery: string, opts?: {body?: unknown; lang?: Lang; req?: import('node:http').IncomingMessage}) => Promise<ApiAnswer>

export interface ConsoleDeps {
  store: Store
  monitoring: MonitoringRule
  /** The API's routes for the signed-in principal (role rules exactly as the API's). */
  api: ApiCall
  /** The signed-in session, or undefined after it has answered (redirect to sign-in). */
  session(req: FastifyRequest, reply: FastifyReply): Promise<ConsoleSession | undefined>
  /** True when the request's `_csrf` form field (or X-CSRF-Token header) matches the session's. */
  csrf(req: FastifyRequest, session: ConsoleSession): boolean
  /** Sends a whole console page (layout, navigation, language switch, CSP-safe assets). */
  page(reply: FastifyReply, session: ConsoleSession, spec: PageSpec): FastifyReply
  /** Sends the console's not-found page (also for what the role may not see: never 403 details). */
  notFound(reply: FastifyReply, session: ConsoleSession): FastifyReply
}

export type ConsolePlugin = (app: FastifyInstance, deps: ConsoleDeps) => Promise<void>
