// The app routes: GET /v1/apps, one app, the reviewer's actions, its history, and the monitor's
// probe events.
import {t} from '../../lib/i18n/index.js'
import {ACTIONS, APP_STATES, type AppState, type HistoryEntry, type ProbeEvent} from '../store.js'
import {authorize} from './auth.js'
import type {ServerContext} from './context.js'
import {intParam, isObject, LIMIT_MAX, notInFuture, regionParam, route, strictBody, TEXT_MAX, type Route} from './http.js'
import {Problem} from '../shared/problem.js'

/** The longest probe time the API takes: one hour (a probe gives up long before). */
const LATENCY_MAX_MS = 3_600_000

export function appRoutes(sc: ServerContext): Route[] {
  const {store, rule, log, since, appView} = sc
  return [
    route('GET', '/v1/apps', async (ctx) => {
      const p = ctx.principal
      const state = ctx.query.get('state') || undefined
      if (state && !APP_STATES.includes(state as AppState)) throw new Problem(400, 'malformed-request', `state must be one of ${APP_STATES.join(', ')}`)
      const limit = intParam(ctx.query, 'limit', 100, 1, LIMIT_MAX)
      const offset = intParam(ctx.query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER)
      const apps = await store.listApps({regionCode: regionParam(ctx.query), state: state as AppState | undefined, creditCode: p.role === 'submitter' ? p.creditCode! : undefined, limit: limit + 1, offset})
      const items = []
      for (const a of apps.slice(0, limit)) items.push(await appView(a, false, p.role))
      return {status: 200, body: {items, nextOffset: apps.length > limit ? offset + limit : null}}
    }),
    route('GET', '/v1/apps/{appId}', async (ctx) => {
      const a = await authorize(ctx.principal, ['submitter', 'reviewer', 'auditor', 'monitor'], () => store.getApp(ctx.params.appId), (x) => x.creditCode)
      return {status: 200, body: await appView(a, true, ctx.principal.role)}
    }),
    route('POST', '/v1/apps/{appId}/actions', async (ctx) => {
      const p = ctx.principal
      const a = await authorize(p, ['reviewer'], () => store.getApp(ctx.params.appId), (x) => x.creditCode)
      const b = strictBody(await ctx.body(), ['action', 'reason'])
      if (!ACTIONS.includes(b.action)) throw new Problem(400, 'malformed-request', `action must be one of ${ACTIONS.join(', ')}`)
      if (b.reason !== undefined && (typeof b.reason !== 'string' || b.reason.length > TEXT_MAX)) throw new Problem(400, 'malformed-request', `reason must be a string of at most ${TEXT_MAX} characters`)
      const out = await store.act(a.appId, {action: b.action, reason: typeof b.reason === 'string' && b.reason.trim() ? b.reason.trim() : null, actor: {role: p.role, tokenId: p.token.id}, at: new Date().toISOString()})
      if (out.kind === 'not-found') throw new Problem(404, 'not-found')
      if (out.kind === 'illegal') throw new Problem(409, 'illegal-transition', t(ctx.lang, 'review.detail.illegalAction', {action: b.action, from: out.from}), {from: out.from})
      if (out.kind === 'not-approved') throw new Problem(409, 'not-approved', t(ctx.lang, 'review.detail.notApproved'))
      return {status: 200, body: await appView(out.value, true, p.role)}
    }),
    route('GET', '/v1/apps/{appId}/history', async (ctx) => {
      const a = await authorize(ctx.principal, ['submitter', 'reviewer', 'auditor'], () => store.getApp(ctx.params.appId), (x) => x.creditCode)
      const items: HistoryEntry[] = await store.history(a.appId)
      return {status: 200, body: {appId: a.appId, items}}
    }),
    route('POST', '/v1/apps/{appId}/events', async (ctx) => {
      const p = ctx.principal
      const a = await authorize(p, ['monitor', 'reviewer'], () => store.getApp(ctx.params.appId), (x) => x.creditCode)
      const b = strictBody(await ctx.body(), ['events'])
      if (!Array.isArray(b.events) || b.events.length < 1 || b.events.length > 1000) throw new Problem(400, 'malformed-request', 'events must be an array of 1 to 1000 probes')
      const events: ProbeEvent[] = b.events.map((e: unknown, i: number) => {
        if (!isObject(e)) throw new Problem(400, 'malformed-request', `events/${i} must be an object`)
        const bad = (m: string) => new Problem(400, 'malformed-request', `events/${i}: ${m}`)
        if (typeof e.url !== 'string' || e.url.length > 2000) throw bad('url must be a string')
        if (!['entry', 'elder', 'health'].includes(e.kind)) throw bad('kind must be entry, elder or health')
        if (typeof e.ok !== 'boolean') throw bad('ok must be true or false')
        if (typeof e.at !== 'string' || Number.isNaN(Date.parse(e.at))) throw bad('at must be a date-time')
        if (!notInFuture(e.at)) throw bad('at is later than the server\'s clock')
        if (e.status !== undefined && e.status !== null && !(Number.isInteger(e.status) && e.status >= 100 && e.status <= 599)) throw bad('status must be an HTTP status code from 100 to 599')
        if (e.latencyMs !== undefined && e.latencyMs !== null && !(typeof e.latencyMs === 'number' && e.latencyMs >= 0 && e.latencyMs <= LATENCY_MAX_MS)) throw bad(`latencyMs must be a number from 0 to ${LATENCY_MAX_MS}`)
        if (e.error !== undefined && e.error !== null && (typeof e.error !== 'string' || e.error.length > 500)) throw bad('error must be a string of at most 500 characters')
        const extra = Object.keys(e).filter((k) => !['url', 'kind', 'ok', 'status', 'latencyMs', 'error', 'at'].includes(k))
        if (extra.length) throw bad(`unknown member ${extra[0]}`)
        return {url: e.url, kind: e.kind, ok: e.ok, status: e.status ?? null, latencyMs: e.latencyMs ?? null, error: typeof e.error === 'string' ? e.error : null, at: new Date(e.at).toISOString()}
      })
      const out = await store.recordProbes(a.appId, events, {role: p.role, tokenId: p.token.id}, {since: since(), failShare: rule.failShare, minProbes: rule.minProbes}, new Date().toISOString())
      if (!out) throw new Problem(404, 'not-found')
      if (out.newlyFlagged) log({level: 'warn', msg: 'app marked for review by monitoring', appId: a.appId, probes: out.window.probes, failures: out.window.failures})
      return {
        status: 201,
        body: {
          appId: a.appId,
          recorded: events.length,
          window: out.window,
          rule: {windowDays: rule.windowDays, failShare: rule.failShare, openTimeoutSeconds: rule.openTimeoutSeconds, minProbes: rule.minProbes},
          needsReview: out.flagged,
          newlyFlagged: out.newlyFlagged,
        },
      }
    }),
  ]
}
