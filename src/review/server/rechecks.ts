// GET /v1/apps/{appId}/rechecks: the scheduled re-checks the job queue recorded for an app
// (newest first, without their documents), for the same roles as the app's history. Re-checks
// exist only where the PostgreSQL job queue runs; elsewhere the list is empty.
import {authorize} from './auth.js'
import type {ServerContext} from './context.js'
import {intParam, LIMIT_MAX, route, type Route} from './http.js'

export function recheckRoutes(sc: ServerContext): Route[] {
  const {store} = sc
  return [
    route('GET', '/v1/apps/{appId}/rechecks', async (ctx) => {
      const a = await authorize(ctx.principal, ['submitter', 'reviewer', 'auditor'], () => store.getApp(ctx.params.appId), (x) => x.creditCode)
      const limit = intParam(ctx.query, 'limit', 100, 1, LIMIT_MAX)
      const offset = intParam(ctx.query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER)
      const rows = await store.listRechecks(a.appId, limit + 1, offset)
      return {status: 200, body: {appId: a.appId, items: rows.slice(0, limit), nextOffset: rows.length > limit ? offset + limit : null}}
    }),
  ]
}
