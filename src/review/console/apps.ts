// The console's app pages: the list (lifecycle state, department, region, latest score; filter by
// state and region; paging) and one app (state and history, the reviewer's actions with a reason,
// the latest score, and monitoring over the rule's window: availability and latency charts, the
// ≥ 5 %-failing rule's state and the events). Role rules are the review API's (GET /v1/apps,
// GET /v1/apps/{appId}, …/history, POST …/actions); transitions go through store.act, the same
// state machine the API applies.
import {messageKey} from '../../lib/i18n/index.js'
import type {FastifyReply} from 'fastify'
import type {Lang} from '../../core/types.js'
import {ACTIONS, APP_STATES, nextAppState, type AppAction, type AppRecord, type AppState, type HistoryEntry, type ProbeBucket} from '../store.js'
import {TEXT_MAX} from '../server/http.js'
import type {ScoreResult} from '../../score/score.js'
import {lineChart, type SeriesPoint} from './charts.js'
import type {ConsolePlugin, ConsoleSession} from './contract.js'
import {createScoreCache, ensureFormParser, routeBase, fmt1, formField, gradeText, indexName, pageNumber, pager, queryField, regionFilter, regionLabel, tr, visible, when, withQuery} from './feature-kit.js'
import {esc, html, raw, type Raw} from './html.js'

const PAGE_SIZE = 50
const DAY_MS = 86_400_000
/** The newest failed probes listed under monitoring. */
const FAILURES_SHOWN = 20

const stateLabel = (lang: Lang, s: string) => (APP_STATES.includes(s as AppState) ? tr(lang)(messageKey(`review.appState.${s}`)) : s)
const appPath = (id: string) => `/console/apps/${encodeURIComponent(id)}`

export const appsConsole: ConsolePlugin = async (app, deps) => {
  const {store, monitoring: rule} = deps
  const scoreOf = createScoreCache(store)

  const base = routeBase(app)
  await app.register(async (scope) => {
    ensureFormParser(scope)

    scope.get(`${base}/apps`, async (req, reply) => {
      const s = await deps.session(req, reply)
      if (!s) return reply
      const m = tr(s.lang)
      const p = s.principal
      const state = queryField(req, 'state')
      const region = regionFilter(queryField(req, 'regionCode'))
      const page = pageNumber(queryField(req, 'page'))
      const problems: string[] = []
      if (state && !APP_STATES.includes(state as AppState)) problems.push(m('console.apps.badState', {states: APP_STATES.join(', ')}))
      if (region === null) problems.push(m('console.filter.badRegion'))
      if (page === null) problems.push(m('console.pager.bad'))
      const filterForm = filters(s.lang, problems.length ? '' : state, region ?? '')
      if (problems.length) {
        return deps.page(reply, s, {title: m('console.apps.title'), nav: 'apps', status: 400, body: html`${errorBox(problems)}${filterForm}`.value})
      }
      const offset = (page! - 1) * PAGE_SIZE
      // A submitter sees its department's apps only (a submitter token without one sees none).
      const rows = p.role === 'submitter' && !p.creditCode ? [] : await store.listApps({regionCode: region || undefined, state: (state || undefined) as AppState | undefined, creditCode: p.role === 'submitter' ? p.creditCode! : undefined, limit: PAGE_SIZE + 1, offset})
      const apps = rows.slice(0, PAGE_SIZE)
      const readsScores = p.role !== 'monitor'
      const body: Raw[] = [filterForm]
      if (!apps.length) body.push(html`<p class="empty">${m('console.apps.none')}</p>`)
      else {
        const items: Raw[] = []
        for (const a of apps) {
          const score = readsScores ? await scoreOf(a.latestApprovedId) : null
          items.push(html`<tr>
<th scope="row"><a href="${appPath(a.appId)}">${a.name}</a><br><small>${a.appId} · ${a.version}</small></th>
<td><span class="state state-${a.state}">${stateLabel(s.lang, a.state)}</span>${a.needsReview ? html` <span class="flag">${m('review.status.needsReview')}</span>` : ''}</td>
<td>${a.creditCode}</td>
<td>${regionLabel(a.regionCode)}</td>
${readsScores ? html`<td class="num">${score ? html`${fmt1(score.total)}<br><small>${gradeText(score, s.lang)}</small>` : '—'}</td>` : ''}
<td>${when(a.updatedAt)}</td>
</tr>`)
        }
        body.push(html`<div class="table-wrap" tabindex="0"><table class="data">
<caption>${m('console.apps.caption', {count: apps.length})}</caption>
<thead><tr><th scope="col">${m('console.col.app')}</th><th scope="col">${m('console.col.state')}</th><th scope="col">${m('console.col.department')}</th><th scope="col">${m('console.col.region')}</th>${readsScores ? html`<th scope="col" class="num">${m('console.col.score')}</th>` : ''}<th scope="col">${m('console.col.updated')}</th></tr></thead>
<tbody>${items}</tbody></table></div>`)
      }
      body.push(pager(s.lang, '/console/apps', {state, regionCode: region ?? ''}, page!, rows.length > PAGE_SIZE))
      return deps.page(reply, s, {title: m('console.apps.title'), nav: 'apps', body: html`${body}`.value})
    })

    scope.get(`${base}/apps/:id`, async (req, reply) => {
      const s = await deps.session(req, reply)
      if (!s) return reply
      const id = (req.params as {id: string}).id
      const a = await visible(s.principal, ['submitter', 'reviewer', 'auditor', 'monitor'], () => store.getApp(id), (x) => x.creditCode)
      if (!a) return deps.notFound(reply, s)
      const done = queryField(req, 'done')
      return detailPage(reply, s, a, {done: ACTIONS.includes(done as AppAction) ? (done as AppAction) : undefined})
    })

    scope.post(`${base}/apps/:id/actions`, async (req, reply) => {
      const s = await deps.session(req, reply)
      if (!s) return reply
      const m = tr(s.lang)
      if (!deps.csrf(req, s)) {
        return deps.page(reply, s, {title: m('console.form.csrfTitle'), nav: 'apps', status: 403, body: html`${errorBox([m('console.form.csrfRefused')])}<p><a href="/console/apps">${m('console.apps.back')}</a></p>`.value})
      }
      const p = s.principal
      const id = (req.params as {id: string}).id
      // POST /v1/apps/{appId}/actions: reviewers only; a submitter learns nothing of other departments.
      const a = await visible(p, ['reviewer'], () => store.getApp(id), (x) => x.creditCode)
      if (!a) return deps.notFound(reply, s)
      const action = formField(req, 'action')
      const reason = formField(req, 'reason').trim()
      if (!ACTIONS.includes(action as AppAction)) return detailPage(reply, s, a, {status: 400, error: m('console.action.unknown', {actions: ACTIONS.join(', ')})})
      if (!reason) return detailPage(reply, s, a, {status: 400, error: m('console.action.reasonRequired'), action: action as AppAction})
      if (reason.length > TEXT_MAX) return detailPage(reply, s, a, {status: 400, error: m('console.action.reasonTooLong', {max: TEXT_MAX}), action: action as AppAction, reason})
      const out = await store.act(a.appId, {action: action as AppAction, reason, actor: {role: p.role, tokenId: p.token.id}, at: new Date().toISOString()})
      if (out.kind === 'not-found') return deps.notFound(reply, s)
      if (out.kind === 'illegal') return detailPage(reply, s, a, {status: 409, error: m('review.detail.illegalAction', {action: m(messageKey(`console.action.${action}`)), from: stateLabel(s.lang, out.from)})})
      if (out.kind === 'not-approved') return detailPage(reply, s, a, {status: 409, error: m('review.detail.notApproved')})
      return reply.redirect(withQuery(appPath(a.appId), {done: action}), 303)
    })
  })

  async function detailPage(reply: FastifyReply, s: ConsoleSession, a: AppRecord, opts: {status?: number; error?: string; done?: AppAction; action?: AppAction; reason?: string}): Promise<FastifyReply> {
    const m = tr(s.lang)
    const role = s.principal.role
    const body: Raw[] = []
    if (opts.error) body.push(errorBox([opts.error]))
    if (opts.done) body.push(html`<p class="notice notice-ok" role="status">${m('console.action.done', {action: m(messageKey(`console.action.${opts.done}`)), state: stateLabel(s.lang, a.state)})}</p>`)
    if (a.needsReview) body.push(html`<p class="notice notice-warn">${m('review.status.needsReview')}${a.reviewReason ? html`: ${a.reviewReason}` : ''}</p>`)
    body.push(html`<dl class="facts">
<dt>${m('console.col.appId')}</dt><dd>${a.appId}</dd>
<dt>${m('console.col.version')}</dt><dd>${a.version}</dd>
<dt>${m('console.col.state')}</dt><dd><span class="state state-${a.state}">${stateLabel(s.lang, a.state)}</span></dd>
<dt>${m('console.col.department')}</dt><dd>${a.creditCode}</dd>
<dt>${m('console.col.region')}</dt><dd>${regionLabel(a.regionCode)}</dd>
<dt>${m('console.col.urls')}</dt><dd>${urlList(a)}</dd>
<dt>${m('console.col.created')}</dt><dd>${when(a.createdAt)}</dd>
<dt>${m('console.col.updated')}</dt><dd>${when(a.updatedAt)}</dd>
</dl>`)
    if (role === 'reviewer') body.push(actionForms(s, a, opts))
    if (role !== 'monitor') body.push(scoreSection(s.lang, a, await scoreOf(a.latestApprovedId)))
    // GET /v1/apps/{appId}/history: submitters (their own), reviewers and auditors.
    const history = role === 'submitter' || role === 'reviewer' || role === 'auditor' ? await store.history(a.appId) : null
    body.push(await monitoringSection(s, a, history))
    if (history) body.push(historySection(s.lang, history))
    return deps.page(reply, s, {title: a.name, nav: 'apps', status: opts.status, body: html`<p><a href="/console/apps">${m('console.apps.back')}</a></p>${body}`.value})
  }

  function actionForms(s: ConsoleSession, a: AppRecord, opts: {action?: AppAction; reason?: string}): Raw {
    const m = tr(s.lang)
    // The actions the state machine allows from here (nextAppState: the function store.act applies).
    const legal = ACTIONS.filter((x) => nextAppState(a.state, x) !== null)
    const forms = legal.map((x) => {
      const to = nextAppState(a.state, x)!
      const fid = `reason-${x}`
      return html`<form method="post" action="${appPath(a.appId)}/actions" class="action-form">
<input type="hidden" name="_csrf" value="${s.csrfToken}">
<input type="hidden" name="action" value="${x}">
<label for="${fid}">${m('console.action.reasonLabel', {action: m(messageKey(`console.action.${x}`)), state: stateLabel(s.lang, to)})}</label>
<textarea id="${fid}" name="reason" required maxlength="${TEXT_MAX}" rows="2">${opts.action === x ? (opts.reason ?? '') : ''}</textarea>
<button type="submit">${m(messageKey(`console.action.${x}`))}</button>
</form>`
    })
    return html`<section aria-labelledby="h-actions"><h2 id="h-actions">${m('console.action.title')}</h2>
${forms.length ? forms : html`<p class="empty">${m('console.action.none', {state: stateLabel(s.lang, a.state)})}</p>`}</section>`
  }

  function scoreSection(lang: Lang, a: AppRecord, score: ScoreResult | null): Raw {
    const m = tr(lang)
    if (!score) return html`<section aria-labelledby="h-score"><h2 id="h-score">${m('console.score.latest')}</h2><p class="empty">${m('console.score.none')}</p></section>`
    return html`<section aria-labelledby="h-score"><h2 id="h-score">${m('console.score.latest')}</h2>
<p><strong>${m('score.total')} ${fmt1(score.total)}</strong> · ${m('score.grade')} ${gradeText(score, lang)} · ${m('score.model')} ${score.modelVersion}</p>
<div class="table-wrap" tabindex="0"><table class="data"><thead><tr><th scope="col">${m('score.col.index')}</th><th scope="col" class="num">${m('score.col.weight')}</th><th scope="col" class="num">${m('score.col.score')}</th></tr></thead>
<tbody>${score.indices.map((i) => html`<tr><th scope="row">${indexName(i.name, lang)}</th><td class="num">${i.weight.toFixed(2)}</td><td class="num">${fmt1(i.score)}</td></tr>`)}</tbody></table></div>
<p><a href="/console/scores/${encodeURIComponent(a.appId)}">${m('console.score.explainLink')}</a></p></section>`
  }

  async function monitoringSection(s: ConsoleSession, a: AppRecord, history: HistoryEntry[] | null): Promise<Raw> {
    const lang = s.lang
    const m = tr(lang)
    const now = Date.now()
    const sinceMs = now - rule.windowDays * DAY_MS
    const since = new Date(sinceMs).toISOString()
    const unit: 'hour' | 'day' = rule.windowDays <= 14 ? 'hour' : 'day'
    const unitMs = unit === 'hour' ? 3_600_000 : DAY_MS
    const [win, buckets, failures] = await Promise.all([store.monitorWindow(a.appId, since), store.probeSeries(a.appId, since, unit), store.recentProbes(a.appId, since, {failedOnly: true, limit: FAILURES_SHOWN})])
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`
    const sharePct = Math.round(rule.failShare * 1000) / 10
    let state: Raw
    if (win.probes === 0) state = html`<span class="rule-state rule-none">${m('console.monitor.state.none')}</span>`
    else if (win.probes < rule.minProbes) state = html`<span class="rule-state rule-none">${m('console.monitor.state.few', {probes: win.probes, min: rule.minProbes})}</span>`
    else if (win.failureShare >= rule.failShare) state = html`<span class="rule-state rule-bad">${m('console.monitor.state.breaks', {share: pct(win.failureShare), limit: sharePct})}</span>`
    else state = html`<span class="rule-state rule-ok">${m('console.monitor.state.within', {share: pct(win.failureShare), limit: sharePct})}</span>`

    const bucketLabel = (b: ProbeBucket) => (unit === 'hour' ? `${b.start.slice(0, 13).replace('T', ' ')}:00 UTC` : b.start.slice(0, 10))
    const mid = (b: ProbeBucket) => Date.parse(b.start) + unitMs / 2
    const availability: SeriesPoint[] = buckets.map((b) => {
      const y = ((b.probes - b.failures) / b.probes) * 100
      return {x: mid(b), y, label: `${bucketLabel(b)}: ${y.toFixed(1)} % (${b.probes - b.failures}/${b.probes})`}
    })
    const latency: SeriesPoint[] = buckets.filter((b) => b.avgLatencyMs !== null).map((b) => ({x: mid(b), y: b.avgLatencyMs!, label: `${bucketLabel(b)}: ${Math.round(b.avgLatencyMs!)} ms`}))
    const xTicks: Array<{x: number; label: string}> = []
    for (let d = Math.ceil(sinceMs / DAY_MS) * DAY_MS; d <= now; d += DAY_MS * Math.max(1, Math.ceil(rule.windowDays / 10))) xTicks.push({x: d, label: new Date(d).toISOString().slice(5, 10)})
    const unitName = m(messageKey(`console.monitor.unit.${unit}`))
    const charts: Raw[] = []
    if (buckets.length) {
      const lowest = Math.min(...availability.map((p) => p.y))
      charts.push(
        raw(
          `<figure class="chart"><figcaption>${esc(m('console.monitor.chart.availability', {days: rule.windowDays}))}</figcaption>${lineChart({
            id: 'chart-availability',
            title: m('console.monitor.chart.availability', {days: rule.windowDays}),
            desc: m('console.monitor.chart.availabilityDesc', {count: buckets.length, unit: unitName, lowest: lowest.toFixed(1), limit: (100 - sharePct).toFixed(1)}),
            points: availability,
            xMin: sinceMs,
            xMax: now,
            yMin: 0,
            yMax: 100,
            gapMs: unitMs * 1.5,
            yTicks: [0, 25, 50, 75, 100],
            yFormat: (v) => `${v} %`,
            xTicks,
            threshold: {y: 100 - sharePct, label: `${(100 - sharePct).toFixed(0)} %`},
          })}</figure>`,
        ),
      )
      if (latency.length) {
        const top = niceCeil(Math.max(...latency.map((p) => p.y)))
        const timeout = rule.openTimeoutSeconds * 1000
        charts.push(
          raw(
            `<figure class="chart"><figcaption>${esc(m('console.monitor.chart.latency', {days: rule.windowDays}))}</figcaption>${lineChart({
              id: 'chart-latency',
              title: m('console.monitor.chart.latency', {days: rule.windowDays}),
              desc: m('console.monitor.chart.latencyDesc', {count: latency.length, unit: unitName, highest: Math.round(Math.max(...latency.map((p) => p.y))), timeout: rule.openTimeoutSeconds}),
              points: latency,
              xMin: sinceMs,
              xMax: now,
              yMin: 0,
              yMax: top,
              gapMs: unitMs * 1.5,
              yTicks: [0, top / 4, top / 2, (3 * top) / 4, top],
              yFormat: (v) => (top >= 2000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`),
              xTicks,
              threshold: timeout <= top ? {y: timeout, label: `${rule.openTimeoutSeconds} s`} : undefined,
            })}</figure>`,
          ),
        )
      }
      charts.push(html`<details class="chart-data"><summary>${m('console.monitor.table.summary', {count: buckets.length})}</summary>
<div class="table-wrap" tabindex="0"><table class="data"><caption>${m('console.monitor.table.caption', {unit: unitName})}</caption>
<thead><tr><th scope="col">${unitName}</th><th scope="col" class="num">${m('console.monitor.col.probes')}</th><th scope="col" class="num">${m('console.monitor.col.failures')}</th><th scope="col" class="num">${m('console.monitor.col.availability')}</th><th scope="col" class="num">${m('console.monitor.col.avgLatency')}</th><th scope="col" class="num">${m('console.monitor.col.maxLatency')}</th></tr></thead>
<tbody>${buckets.map((b, i) => html`<tr><th scope="row">${bucketLabel(b)}</th><td class="num">${b.probes}</td><td class="num">${b.failures}</td><td class="num">${availability[i].y.toFixed(1)} %</td><td class="num">${b.avgLatencyMs === null ? '—' : Math.round(b.avgLatencyMs)}</td><td class="num">${b.maxLatencyMs === null ? '—' : Math.round(b.maxLatencyMs)}</td></tr>`)}</tbody></table></div></details>`)
    } else charts.push(html`<p class="empty">${m('console.monitor.noProbes', {days: rule.windowDays})}</p>`)

    // The monitor's marks (history entries of kind monitor), newest first, for the roles that read history.
    const flagged = (history ?? []).filter((h) => h.kind === 'monitor').reverse()
    const marks = flagged.length ? html`<ul class="marks">${flagged.map((h) => html`<li>${when(h.at)} — ${m('review.status.needsReview')}${h.comment ? html`: ${h.comment}` : ''}</li>`)}</ul>` : raw('')
    const failed = failures.length
      ? html`<div class="table-wrap" tabindex="0"><table class="data"><caption>${m('console.monitor.failures.caption', {count: failures.length})}</caption>
<thead><tr><th scope="col">${m('console.monitor.col.at')}</th><th scope="col">${m('console.monitor.col.kind')}</th><th scope="col">${m('console.monitor.col.url')}</th><th scope="col" class="num">${m('console.monitor.col.status')}</th><th scope="col" class="num">${m('console.monitor.col.latency')}</th><th scope="col">${m('console.monitor.col.error')}</th></tr></thead>
<tbody>${failures.map((e) => html`<tr><td>${when(e.at)}</td><td>${e.kind}</td><td class="url">${e.url}</td><td class="num">${e.status ?? '—'}</td><td class="num">${e.latencyMs === null ? '—' : Math.round(e.latencyMs)}</td><td>${e.error ?? ''}</td></tr>`)}</tbody></table></div>`
      : html`<p class="empty">${m('console.monitor.failures.none')}</p>`

    return html`<section aria-labelledby="h-monitoring"><h2 id="h-monitoring">${m('console.monitor.title')}</h2>
<p>${m('console.monitor.rule', {days: rule.windowDays, share: sharePct, seconds: rule.openTimeoutSeconds, min: rule.minProbes})}${rule.clause ? html` <small>${rule.clause}</small>` : ''}</p>
<dl class="facts">
<dt>${m('console.monitor.ruleState')}</dt><dd>${state}</dd>
<dt>${m('console.monitor.flag')}</dt><dd>${a.needsReview ? html`<span class="flag">${m('review.status.needsReview')}</span>${a.reviewReason ? html` — ${a.reviewReason}` : ''}` : m('console.monitor.notFlagged')}</dd>
<dt>${m('console.monitor.col.probes')}</dt><dd>${win.probes}</dd>
<dt>${m('console.monitor.col.failures')}</dt><dd>${win.failures}${win.probes ? ` (${pct(win.failureShare)})` : ''}</dd>
<dt>${m('console.monitor.p50')}</dt><dd>${win.p50LatencyMs === null ? '—' : `${Math.round(win.p50LatencyMs)} ms`}</dd>
<dt>${m('console.monitor.lastProbe')}</dt><dd>${when(win.lastProbeAt)}</dd>
</dl>
${charts}
<h3>${m('console.monitor.events')}</h3>
${marks}${failed}</section>`
  }

  function historySection(lang: Lang, items: HistoryEntry[]): Raw {
    const m = tr(lang)
    const rows = items
      .slice()
      .reverse()
      .map(
        (h) => html`<tr class="hist-${h.kind}"><td>${when(h.at)}</td><td>${m(messageKey(`console.history.kind.${h.kind}`))}</td><td>${h.kind === 'action' ? actionLabel(lang, h.name) : h.name}</td><td>${h.from ? stateText(lang, h.kind, h.from) : ''}${h.to && h.to !== h.from ? html` → ${stateText(lang, h.kind, h.to)}` : ''}</td><td>${h.actor.role}</td><td>${h.comment ?? ''}${h.submissionId ? html` <small>${h.submissionId}</small>` : ''}</td></tr>`,
      )
    return html`<section aria-labelledby="h-history"><h2 id="h-history">${m('console.history.title')}</h2>
${rows.length ? html`<div class="table-wrap" tabindex="0"><table class="data"><thead><tr><th scope="col">${m('console.monitor.col.at')}</th><th scope="col">${m('console.history.col.kind')}</th><th scope="col">${m('console.history.col.name')}</th><th scope="col">${m('console.col.state')}</th><th scope="col">${m('console.history.col.actor')}</th><th scope="col">${m('console.history.col.comment')}</th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="empty">${m('console.history.none')}</p>`}</section>`
  }
}

/** A lifecycle step of the history: the four actions, and register / review that submissions cause. */
function actionLabel(lang: Lang, name: string): string {
  return [...ACTIONS, 'register', 'review'].includes(name) ? tr(lang)(messageKey(`console.action.${name}`)) : name
}

/** An app state or, for submission entries, a submission status, localised. */
function stateText(lang: Lang, kind: string, s: string): string {
  const m = tr(lang)
  if ((kind === 'submission' || kind === 'decision') && ['received', 'in_review', 'approved', 'rejected'].includes(s)) return m(messageKey(`review.state.${s}`))
  return stateLabel(lang, s)
}

function urlList(a: AppRecord): Raw {
  const urls = [a.entryUrl, a.elderUrl, a.healthUrl].filter((u): u is string => !!u)
  return urls.length ? html`<ul class="plain">${urls.map((u) => html`<li class="url">${u}</li>`)}</ul>` : raw('—')
}

function errorBox(messages: string[]): Raw {
  return html`<div class="notice notice-error" role="alert">${messages.map((x) => html`<p>${x}</p>`)}</div>`
}

function filters(lang: Lang, state: string, region: string): Raw {
  const m = tr(lang)
  return html`<form method="get" action="/console/apps" class="filters">
<div><label for="f-state">${m('console.col.state')}</label>
<select id="f-state" name="state"><option value="">${m('console.filter.all')}</option>${APP_STATES.map((x) => html`<option value="${x}"${x === state ? raw(' selected') : ''}>${stateLabel(lang, x)}</option>`)}</select></div>
<div><label for="f-region">${m('console.col.regionCode')}</label>
<input id="f-region" name="regionCode" inputmode="numeric" pattern="[0-9]{2,12}" maxlength="12" value="${region}" aria-describedby="f-region-hint"><small id="f-region-hint">${m('console.filter.regionHint')}</small></div>
<div><button type="submit">${m('console.filter.apply')}</button></div>
</form>`
}

/** 1, 2 or 5 times a power of ten, at least v (the top of a chart's axis). */
function niceCeil(v: number): number {
  if (!(v > 0)) return 100
  const p = 10 ** Math.floor(Math.log10(v))
  for (const k of [1, 2, 5, 10]) if (k * p >= v) return Math.max(100, k * p)
  return Math.max(100, 10 * p)
}

