// GET /metrics: the Prometheus text for operators. Who may read it: monitor and auditor tokens
// (the figures name no app, but queue depth and failure counts are operational detail, not public);
// Prometheus sends the token as a bearer (authorization.credentials_file in its scrape config).
import {METRICS_CONTENT_TYPE} from '../queue/metrics.js'
import {requireRole} from './auth.js'
import {route, type Route} from './http.js'

export function metricsRoute(render: () => Promise<string>): Route {
  return route('GET', '/metrics', async (ctx) => {
    requireRole(ctx.principal, ['monitor', 'auditor'])
    return {status: 200, body: null, text: await render(), headers: {'Content-Type': METRICS_CONTENT_TYPE}}
  })
}
