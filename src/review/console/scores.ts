// The console's score pages: the ranking of the latest approved submissions by region with the
// five dimension indices and a bar chart (GET /v1/scores: reviewers and auditors), its CSV and
// XLSX exports (cells neutralised against formula injection), and one app's score explanation —
// the content of `sjt score --explain`, rendered by the same code (src/score/render.ts).
import type {FastifyReply, FastifyRequest} from 'fastify'
import type {Lang} from '../../core/types.js'
import {regionPrefix, type AppRecord} from '../store.js'
import {requireRole} from '../server/auth.js'
import {type Principal} from '../server/http.js'
import {Problem} from '../shared/problem.js'
import {rankScores, type ScoreResult} from '../../score/score.js'
import {rankingCells, renderOneFragment, renderOneText, renderRankingCsv, type RankedRow} from '../../score/render.js'
import {barChart} from './charts.js'
import type {ConsolePlugin, ConsoleSession} from './contract.js'
import {createScoreCache, routeBase, fmt1, gradeText, indexName, queryField, regionFilter, regionLabel, tr, visible, withQuery} from './feature-kit.js'
import {esc, html, raw, type Raw} from './html.js'
import {xlsxWorkbook} from './xlsx.js'

/** The most bars the ranking's chart draws (the table lists every app). */
const CHART_MAX = 60
/** The most apps the region links count (a province has far fewer). */
const REGION_APPS_MAX = 20_000
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

interface Ranked extends RankedRow {
  app: AppRecord
}

export const scoresConsole: ConsolePlugin = async (app, deps) => {
  const {store} = deps
  const scoreOf = createScoreCache(store)
  const base = routeBase(app)

  /** GET /v1/scores's role rule: reviewers and auditors. */
  const readsRanking = (p: Principal) => {
    try {
      requireRole(p, ['auditor', 'reviewer'])
      return true
    } catch (error) {
      if (error instanceof Problem) return false
      throw error
    }
  }

  /** The latest approved submissions under a region prefix, scored and ranked (ties: region, app id). */
  async function ranking(region: string): Promise<Ranked[]> {
    const rows = await store.latestApproved(region)
    const items: Array<{score: ScoreResult; app: AppRecord}> = []
    for (const r of rows) {
      const s = await scoreOf(r.submissionId, r.document)
      if (!s) continue
      // The app's region as registered (the one the filter matched), its id and name as stored.
      items.push({app: r.app, score: {...s, app: {...s.app, id: r.app.appId, name: r.app.name, ...(r.app.regionCode ? {regionCode: r.app.regionCode} : {})}}})
    }
    return rankScores(items)
  }

  /** The session of a ranking request, the region filter, or undefined after the answer was sent. */
  async function rankingRequest(req: FastifyRequest, reply: FastifyReply): Promise<{s: ConsoleSession; region: string} | undefined> {
    const s = await deps.session(req, reply)
    if (!s) return undefined
    if (!readsRanking(s.principal)) {
      deps.notFound(reply, s)
      return undefined
    }
    const region = regionFilter(queryField(req, 'regionCode'))
    if (region === null) {
      const m = tr(s.lang)
      deps.page(reply, s, {title: m('console.scores.title'), nav: 'scores', status: 400, body: html`<div class="notice notice-error" role="alert"><p>${m('console.filter.badRegion')}</p></div>${filterForm(s.lang, '')}`.value})
      return undefined
    }
    return {s, region}
  }

  const fileName = (region: string, ext: string) => `sjt-scores-${region || 'all'}-${new Date().toISOString().slice(0, 10)}.${ext}`

  app.get(`${base}/scores`, async (req, reply) => {
    const r = await rankingRequest(req, reply)
    if (!r) return reply
    const {s, region} = r
    const lang = s.lang
    const m = tr(lang)
    const rows = await ranking(region)
    const body: Raw[] = [filterForm(lang, region), regionLinks(lang, region, await store.listApps({limit: REGION_APPS_MAX, offset: 0}))]
    if (!rows.length) body.push(html`<p class="empty">${region ? m('console.scores.noneIn', {region: regionLabel(region)}) : m('console.scores.none')}</p>`)
    else {
      const ids = indexColumns(rows, lang)
      const shown = rows.slice(0, CHART_MAX)
      body.push(
        raw(
          `<figure class="chart"><figcaption>${esc(m('console.scores.chart', {region: region ? regionLabel(region) : m('console.scores.allRegions')}))}</figcaption>${barChart({
            id: 'chart-scores',
            title: m('console.scores.chart', {region: region ? regionLabel(region) : m('console.scores.allRegions')}),
            desc: m('console.scores.chartDesc', {count: shown.length, total: rows.length, best: fmt1(rows[0].score.total), worst: fmt1(rows.at(-1)!.score.total)}),
            bars: shown.map((x) => ({label: `${x.rank}. ${x.app.name}`, value: x.score.total, cls: x.score.gradeId ? `grade-${x.score.gradeId}` : undefined})),
          })}</figure>`,
        ),
      )
      const exportQuery = {regionCode: region}
      body.push(html`<p class="exports">${m('console.scores.export')}: <a href="${withQuery('/console/scores.csv', exportQuery)}" download>CSV</a> · <a href="${withQuery('/console/scores.xlsx', exportQuery)}" download>XLSX</a></p>`)
      body.push(html`<div class="table-wrap" tabindex="0"><table class="data ranking">
<caption>${m('console.scores.caption', {count: rows.length, model: [...new Set(rows.map((x) => x.score.modelVersion))].join(', ')})}</caption>
<thead><tr><th scope="col" class="num">${m('score.col.rank')}</th><th scope="col">${m('score.col.region')}</th><th scope="col">${m('score.col.app')}</th><th scope="col" class="num">${m('score.total')}</th><th scope="col">${m('score.grade')}</th>${ids.map((i) => html`<th scope="col" class="num">${i.label}</th>`)}<th scope="col" class="num">${m('score.col.unknown')}</th></tr></thead>
<tbody>${rows.map(
        (x) =>
          html`<tr><td class="num">${x.rank}</td><td>${regionLabel(x.app.regionCode)}</td><th scope="row"><a href="/console/scores/${encodeURIComponent(x.app.appId)}">${x.app.name}</a><br><small>${x.app.appId}</small></th><td class="num"><strong>${fmt1(x.score.total)}</strong></td><td>${gradeText(x.score, lang)}</td>${ids.map((i) => html`<td class="num">${fmt1(x.score.indices.find((y) => y.id === i.id)?.score)}</td>`)}<td class="num">${fmt1(x.score.unknownWeight)}</td></tr>`,
      )}</tbody></table></div>`)
    }
    return deps.page(reply, s, {title: m('console.scores.title'), nav: 'scores', body: html`${body}`.value})
  })

  app.get(`${base}/scores.csv`, async (req, reply) => {
    const r = await rankingRequest(req, reply)
    if (!r) return reply
    const rows = await ranking(r.region)
    // The same CSV as `sjt score --format csv` (src/lib/csv.ts neutralises the cells), with a BOM so
    // spreadsheet programs read it as UTF-8.
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${fileName(r.region, 'csv')}"`)
      .header('Cache-Control', 'no-store')
      .send('\uFEFF' + renderRankingCsv(rows))
  })

  app.get(`${base}/scores.xlsx`, async (req, reply) => {
    const r = await rankingRequest(req, reply)
    if (!r) return reply
    const rows = await ranking(r.region)
    const table = rankingCells(rows)
    return reply
      .header('Content-Type', XLSX_TYPE)
      .header('Content-Disposition', `attachment; filename="${fileName(r.region, 'xlsx')}"`)
      .header('Cache-Control', 'no-store')
      .send(xlsxWorkbook(table.head, table.rows, {sheet: r.region ? `scores ${r.region}` : 'scores'}))
  })

  /** One app's score as its role may see it: GET /v1/apps/{appId}'s latestScore (not the monitor's). */
  async function appScore(req: FastifyRequest, reply: FastifyReply): Promise<{s: ConsoleSession; a: AppRecord; score: ScoreResult | null} | undefined> {
    const s = await deps.session(req, reply)
    if (!s) return undefined
    const id = (req.params as {appId: string}).appId
    const a = await visible(s.principal, ['submitter', 'reviewer', 'auditor'], () => store.getApp(id), (x) => x.creditCode)
    if (!a) {
      deps.notFound(reply, s)
      return undefined
    }
    return {s, a, score: await scoreOf(a.latestApprovedId)}
  }

  app.get(`${base}/scores/:appId`, async (req, reply) => {
    const r = await appScore(req, reply)
    if (!r) return reply
    const {s, a, score} = r
    const m = tr(s.lang)
    const back = html`<p><a href="/console/apps/${encodeURIComponent(a.appId)}">${m('console.scores.backApp')}</a>${readsRanking(s.principal) ? html` · <a href="/console/scores">${m('console.scores.backRanking')}</a>` : ''}</p>`
    if (!score) return deps.page(reply, s, {title: `${m('score.title')} · ${a.name}`, nav: 'scores', body: html`${back}<p class="empty">${m('console.score.none')}</p>`.value})
    const txt = `/console/scores/${encodeURIComponent(a.appId)}/explain.txt`
    return deps.page(reply, s, {
      title: `${m('score.title')} · ${a.name}`,
      nav: 'scores',
      body: html`${back}<p>${m('console.scores.explainFrom', {submission: a.latestApprovedId ?? ''})} <a href="${txt}">${m('console.scores.explainText')}</a></p><section class="score-explain" aria-labelledby="h-explain"><h2 id="h-explain">${m('console.scores.explainTitle')}</h2>${raw(renderOneFragment(score, s.lang, true))}</section>`.value,
    })
  })

  app.get(`${base}/scores/:appId/explain.txt`, async (req, reply) => {
    const r = await appScore(req, reply)
    if (!r) return reply
    if (!r.score) return deps.notFound(reply, r.s)
    return reply.header('Content-Type', 'text/plain; charset=utf-8').header('Cache-Control', 'no-store').send(renderOneText(r.score, r.s.lang, true))
  })
}

/** The index columns of the ranking (every index any row has), named in the page's language. */
function indexColumns(rows: Ranked[], lang: Lang): Array<{id: string; label: string}> {
  const seen = new Map<string, string>()
  for (const r of rows) for (const i of r.score.indices) if (!seen.has(i.id)) seen.set(i.id, indexName(i.name, lang))
  return [...seen].map(([id, label]) => ({id, label}))
}

function filterForm(lang: Lang, region: string): Raw {
  const m = tr(lang)
  return html`<form method="get" action="/console/scores" class="filters">
<div><label for="s-region">${m('console.col.regionCode')}</label>
<input id="s-region" name="regionCode" inputmode="numeric" pattern="[0-9]{2,12}" maxlength="12" value="${region}" aria-describedby="s-region-hint"><small id="s-region-hint">${m('console.filter.regionHint')}</small></div>
<div><button type="submit">${m('console.filter.apply')}</button></div>
</form>`
}

/** Links to the ranking of each city (GB/T 2260 prefix of four digits) that has approved apps. */
function regionLinks(lang: Lang, current: string, apps: AppRecord[]): Raw {
  const m = tr(lang)
  const counts = new Map<string, number>()
  for (const a of apps) {
    const code = a.latestApprovedId ? a.regionCode : null
    if (!code || !/^\d{4}/.test(code)) continue
    const city = code.slice(0, 4).padEnd(6, '0')
    counts.set(city, (counts.get(city) ?? 0) + 1)
  }
  if (!counts.size) return raw('')
  const cur = regionPrefix(current)
  const links = [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([city, n]) => (regionPrefix(city) === cur ? html`<li><strong aria-current="page">${regionLabel(city)} (${n})</strong></li>` : html`<li><a href="${withQuery('/console/scores', {regionCode: city})}">${regionLabel(city)}</a> (${n})</li>`))
  return html`<nav class="regions" aria-label="${m('console.scores.byRegion')}"><ul class="inline">${current ? html`<li><a href="/console/scores">${m('console.scores.allRegions')}</a></li>` : html`<li><strong aria-current="page">${m('console.scores.allRegions')}</strong></li>`}${links}</ul></nav>`
}
