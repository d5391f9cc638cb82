// The score route: GET /v1/scores, the latest approved submissions of a region ranked by the
// capability model (src/score).
import {t} from '../../lib/i18n/index.js'
import {requireRole} from './auth.js'
import {loadScoreModule, type ServerContext} from './context.js'
import {regionParam, route, type Route} from './http.js'
import {Problem} from '../shared/problem.js'

export function scoreRoutes(sc: ServerContext): Route[] {
  const {store, scoreOf} = sc
  return [
    route('GET', '/v1/scores', async (ctx) => {
      requireRole(ctx.principal, ['auditor', 'reviewer'])
      const region = regionParam(ctx.query)
      const mod = await loadScoreModule()
      if (!mod) throw new Problem(503, 'score-model-unavailable', t(ctx.lang, 'review.detail.noScoreModel'))
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
          // The shape rankScores reads.
          score: {total: s.total, app: {id: r.app.appId, regionCode: r.app.regionCode ?? undefined}},
        })
      }
      const ranked: Array<(typeof scored)[number] & {rank: number}> = mod.rankScores
        ? mod.rankScores(scored)
        : [...scored]
            .sort((a, b) => (b.total ?? -1) - (a.total ?? -1) || (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0))
            .map((x, i, all) => ({...x, rank: i > 0 && all[i - 1].total === x.total ? -1 : i + 1}))
            .map((x, i, all) => ({...x, rank: x.rank === -1 ? all.slice(0, i).reverse().find((y) => y.rank !== -1)!.rank : x.rank}))
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
