// The score route: GET /v1/scores, the latest approved submissions of a region ranked by the
// capability model (src/score).
import {requireRole} from './auth.js'
import {rankScores} from '../../score/score.js'
import type {ServerContext} from './context.js'
import {regionParam, route, type Route} from './http.js'

export function scoreRoutes(sc: ServerContext): Route[] {
  const {store, scoreOf} = sc
  return [
    route('GET', '/v1/scores', async (ctx) => {
      requireRole(ctx.principal, ['auditor', 'reviewer'])
      const region = regionParam(ctx.query)
      const rows = await store.latestApproved(region ?? '')
      const scored = []
      for (const r of rows) {
        const s = await scoreOf(r.submissionId, r.document)
        if (!s) continue
        scored.push({
          appId: r.app.appId,
          name: r.app.name,
          regionCode: r.app.regionCode,
          state: r.app.state,
          submissionId: r.submissionId,
          total: s.total,
          grade: s.grade,
          indices: s.indices,
          modelVersion: s.modelVersion,
          // What rankScores reads of a score (total, app id and region).
          score: {total: s.total, app: {id: r.app.appId, regionCode: r.app.regionCode ?? undefined}},
        })
      }
      const ranked = rankScores(scored)
      const versions = [...new Set(ranked.map((r) => r.modelVersion))]
      return {
        status: 200,
        body: {
          regionCode: region ?? null,
          generatedAt: new Date().toISOString(),
          modelVersion: versions.length === 1 ? versions[0] : null,
          items: ranked.map(({score: _s, ...r}) => r),
        },
      }
    }),
  ]
}
