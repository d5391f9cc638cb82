// The console's submissions pages: the queue (filters, sort by age, paging), one submission (its
// access report sandboxed, failing findings by category with their evidence, what changed since
// the app's previous submission, the decision form, the history) and the decision itself. What a
// role may read or do is the API's answer for the same principal (deps.api): a submitter asking
// for another department's submission gets the not-found page, as the API answers 404.
import type {FastifyReply, FastifyRequest} from 'fastify'
import type {Finding, Lang, ResultDocument} from '../../core/types.js'
import {t, isMessageKey, type MessageKey, messageKey} from '../../lib/i18n/index.js'
import {renderHtml} from '../../report/html.js'
import {SUBMISSION_STATES, type HistoryEntry, type SubmissionRecord, type SubmissionStatus, type Verdict} from '../store.js'
import type {ConsoleDeps, ConsolePlugin, ConsoleSession} from './contract.js'
import {html, raw, type Raw} from './html.js'
import {age, BASE, notice, time} from './layout.js'

const PAGE_SIZE = 20
const VERDICTS: Verdict[] = ['pass', 'fail', 'incomplete']
const READERS = ['submitter', 'reviewer', 'auditor']
/** The CSP of the sandboxed report: no script, no network, its own inline styles, framed only here. */
const REPORT_FRAME_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

interface QueueFilter {
  status?: SubmissionStatus
  regionCode?: string
  creditCode?: string
  verdict?: Verdict
  order: 'oldest' | 'newest'
  page: number
}

/** The queue's filters from the query string, or the reason they are refused (shown as a 400 page). */
function parseQueueFilter(q: Record<string, unknown>): QueueFilter | string {
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).trim() : '')
  const f: QueueFilter = {order: s('order') === 'newest' ? 'newest' : 'oldest', page: 1}
  if (s('status')) {
    if (!SUBMISSION_STATES.includes(s('status') as SubmissionStatus)) return `status: ${SUBMISSION_STATES.join(', ')}`
    f.status = s('status') as SubmissionStatus
  }
  if (s('verdict')) {
    if (!VERDICTS.includes(s('verdict') as Verdict)) return `verdict: ${VERDICTS.join(', ')}`
    f.verdict = s('verdict') as Verdict
  }
  if (s('regionCode')) {
    if (!/^\d{2,12}$/.test(s('regionCode'))) return 'regionCode: 2–12 digits (GB/T 2260, e.g. 140100)'
    f.regionCode = s('regionCode')
  }
  if (s('creditCode')) {
    if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(s('creditCode').toUpperCase())) return 'creditCode: 18 characters (GB 32100-2015)'
    f.creditCode = s('creditCode').toUpperCase()
  }
  if (s('page')) {
    if (!/^\d{1,5}$/.test(s('page')) || Number(s('page')) < 1) return 'page: 1–99999'
    f.page = Number(s('page'))
  }
  return f
}

function queryOf(f: QueueFilter, page: number): string {
  const p = new URLSearchParams()
  if (f.status) p.set('status', f.status)
  if (f.regionCode) p.set('regionCode', f.regionCode)
  if (f.creditCode) p.set('creditCode', f.creditCode)
  if (f.verdict) p.set('verdict', f.verdict)
  if (f.order !== 'oldest') p.set('order', f.order)
  if (page > 1) p.set('page', String(page))
  const s = p.toString()
  return s ? `?${s}` : ''
}

const failing = (f: Finding) => f.status === 'fail' || f.status === 'error'
/** A finding's identity across submissions: the rule and where it was found. */
const findingKey = (f: Finding) => [f.ruleId, f.location?.url ?? '', f.location?.selector ?? '', f.location?.pointer ?? '', f.location?.file ?? ''].join('\u0001')

interface FindingDiff {
  added: Finding[]
  fixed: Finding[]
  unchanged: Finding[]
}

/** New, fixed and unchanged failing findings of `now` against `before`. */
function diffFindings(before: Finding[], now: Finding[]): FindingDiff {
  const b = new Map(before.filter(failing).map((f) => [findingKey(f), f]))
  const n = new Map(now.filter(failing).map((f) => [findingKey(f), f]))
  return {
    added: [...n].filter(([k]) => !b.has(k)).map(([, f]) => f),
    fixed: [...b].filter(([k]) => !n.has(k)).map(([, f]) => f),
    unchanged: [...n].filter(([k]) => b.has(k)).map(([, f]) => f),
  }
}

function where(f: Finding): string {
  const l = f.location ?? {}
  return [l.url, l.selector, l.file ? `${l.file}${l.line ? `:${l.line}` : ''}` : '', l.pointer].filter(Boolean).join(' · ')
}

function findingItem(f: Finding, lang: Lang): Raw {
  const w = where(f)
  const details = f.details && Object.keys(f.details).length ? JSON.stringify(f.details, null, 1).slice(0, 2000) : ''
  return html`<li class="finding sev-${f.severity}">
<p><strong>${f.ruleId}</strong> <span class="badge">${f.severity}</span> ${f.message}</p>
<p class="meta">${f.clause}${f.evidence ? html` · ${t(lang, 'console.sub.evidence', {kind: t(lang, messageKey(`console.evidence.${f.evidence}`))})}` : ''}</p>
${w ? html`<p class="meta">${t(lang, 'console.sub.where')}: <code>${w}</code></p>` : ''}
${details ? html`<details><summary>${t(lang, 'console.sub.details')}</summary><pre>${details}</pre></details>` : ''}
</li>`
}

function catName(lang: Lang, c: string): string {
  const k = messageKey(`console.cat.${c}`)
  return isMessageKey(k) ? t(lang, k) : c
}

export const submissionsConsole: ConsolePlugin = async (app, deps) => {
  const L = (s: ConsoleSession, k: MessageKey, p?: Record<string, unknown>) => t(s.lang, k, p)

  app.get('/submissions', async (req, reply) => {
    const s = await deps.session(req, reply)
    if (!s) return reply
    if (!READERS.includes(s.principal.role)) return deps.notFound(reply, s)
    const f = parseQueueFilter(req.query as Record<string, unknown>)
    const title = L(s, 'console.queue.title')
    if (typeof f === 'string') return deps.page(reply, s, {title, nav: 'submissions', status: 400, body: notice(L(s, 'console.queue.badFilter', {detail: f}), 'error').value})
    // The API's rule for GET /v1/submissions: a submitter reads only the own department.
    const own = s.principal.role === 'submitter' ? s.principal.creditCode! : undefined
    const rows = await deps.store.listSubmissions({status: f.status, regionCode: f.regionCode, creditCode: own ?? f.creditCode, verdict: f.verdict, order: f.order, limit: PAGE_SIZE + 1, offset: (f.page - 1) * PAGE_SIZE})
    const more = rows.length > PAGE_SIZE
    const opt = (v: string, cur: string | undefined, label: string) => html`<option value="${v}"${raw(cur === v ? ' selected' : '')}>${label}</option>`
    const filters = html`<form method="get" action="${BASE}/submissions" class="filters card" role="search" aria-label="${L(s, 'console.queue.filters')}">
<p><label for="f-status">${L(s, 'console.queue.status')}</label>
<select id="f-status" name="status">${opt('', f.status, L(s, 'console.queue.any'))}${SUBMISSION_STATES.map((x) => opt(x, f.status, L(s, messageKey(`console.status.${x}`))))}</select></p>
<p><label for="f-region">${L(s, 'console.queue.region')}</label>
<input id="f-region" name="regionCode" inputmode="numeric" pattern="[0-9]{2,12}" value="${f.regionCode ?? ''}"></p>
${own ? '' : html`<p><label for="f-dept">${L(s, 'console.queue.dept')}</label>
<input id="f-dept" name="creditCode" pattern="[0-9A-Za-z]{18}" value="${f.creditCode ?? ''}"></p>`}
<p><label for="f-verdict">${L(s, 'console.queue.verdict')}</label>
<select id="f-verdict" name="verdict">${opt('', f.verdict, L(s, 'console.queue.any'))}${VERDICTS.map((x) => opt(x, f.verdict, L(s, messageKey(`console.verdict.${x}`))))}</select></p>
<p><label for="f-order">${L(s, 'console.queue.sort')}</label>
<select id="f-order" name="order">${opt('oldest', f.order, L(s, 'console.queue.oldest'))}${opt('newest', f.order, L(s, 'console.queue.newest'))}</select></p>
<p class="actions"><button type="submit">${L(s, 'console.queue.apply')}</button></p>
</form>`
    const list = rows.slice(0, PAGE_SIZE)
    const table = list.length
      ? html`<div class="scroll" tabindex="0" role="region" aria-labelledby="queue-caption"><table>
<caption id="queue-caption">${L(s, 'console.queue.caption', {page: f.page})}</caption>
<thead><tr><th scope="col">${L(s, 'console.queue.app')}</th><th scope="col">${L(s, 'console.queue.version')}</th><th scope="col">${L(s, 'console.field.dept')}</th><th scope="col">${L(s, 'console.field.region')}</th><th scope="col">${L(s, 'console.field.status')}</th><th scope="col">${L(s, 'console.field.verdict')}</th><th scope="col">${L(s, 'console.queue.received')}</th><th scope="col">${L(s, 'console.queue.age')}</th></tr></thead>
<tbody>${list.map(
          (x: SubmissionRecord) => html`<tr><th scope="row"><a href="${BASE}/submissions/${encodeURIComponent(x.id)}">${x.appName}</a><br><span class="meta">${x.appId}</span></th><td>${x.appVersion}</td><td><code>${x.creditCode}</code></td><td>${x.regionCode ?? ''}</td><td><span class="status st-${x.status}">${L(s, messageKey(`console.status.${x.status}`))}</span></td><td><span class="verdict v-${x.verdict}">${L(s, messageKey(`console.verdict.${x.verdict}`))}</span></td><td>${time(x.receivedAt)}</td><td>${age(x.receivedAt, s.lang)}</td></tr>`,
        )}</tbody></table></div>`
      : html`<p>${L(s, 'console.queue.empty')}</p>`
    const pager = html`<nav class="pager" aria-label="${L(s, 'console.queue.caption', {page: f.page})}">${f.page > 1 ? html`<a rel="prev" href="${BASE}/submissions${queryOf(f, f.page - 1)}">${L(s, 'console.queue.prev')}</a>` : ''}${more ? html`<a rel="next" href="${BASE}/submissions${queryOf(f, f.page + 1)}">${L(s, 'console.queue.next')}</a>` : ''}</nav>`
    return deps.page(reply, s, {title, nav: 'submissions', body: html`${filters}${table}${pager}`.value})
  })

  /** The submission as the API shows it to this principal, or undefined after the not-found page. */
  async function load(req: FastifyRequest, reply: FastifyReply, s: ConsoleSession): Promise<Record<string, any> | undefined> {
    const id = (req.params as {id: string}).id
    const a = await deps.api(s.principal, 'GET', `/v1/submissions/${encodeURIComponent(id)}`, {lang: s.lang})
    if (a.status !== 200) {
      deps.notFound(reply, s)
      return undefined
    }
    return a.body
  }

  async function documentOf(s: ConsoleSession, id: string): Promise<ResultDocument | null> {
    const a = await deps.api(s.principal, 'GET', `/v1/submissions/${encodeURIComponent(id)}/document`, {lang: s.lang})
    return a.status === 200 ? (a.body as ResultDocument) : null
  }

  async function submissionPage(reply: FastifyReply, s: ConsoleSession, sub: Record<string, any>, status = 200, message?: Raw, form?: {decision?: string; comment?: string; override?: boolean}): Promise<FastifyReply> {
    const doc = await documentOf(s, sub.id)
    const findings: Finding[] = doc?.findings ?? []
    // The app's previous submission: the latest received before this one that this principal may read.
    const earlier = (await deps.store.listSubmissions({appId: sub.appId, creditCode: s.principal.role === 'submitter' ? s.principal.creditCode! : undefined, order: 'newest', limit: 50, offset: 0})).filter((x) => x.receivedAt < sub.receivedAt || (x.receivedAt === sub.receivedAt && x.id < sub.id))
    const prev = earlier[0]
    const prevDoc = prev ? await documentOf(s, prev.id) : null
    const summary = html`<section aria-labelledby="h-summary" class="card"><h2 id="h-summary">${L(s, 'console.sub.summary')}</h2><dl class="facts">
<dt>${L(s, 'console.field.app')}</dt><dd>${sub.appName} <span class="meta">${sub.appId} · ${sub.appVersion}</span></dd>
<dt>${L(s, 'console.field.dept')}</dt><dd><code>${sub.creditCode}</code></dd>
<dt>${L(s, 'console.field.region')}</dt><dd>${sub.regionCode ?? '—'}</dd>
<dt>${L(s, 'console.field.status')}</dt><dd><span class="status st-${sub.status}">${L(s, messageKey(`console.status.${sub.status}`))}</span></dd>
<dt>${L(s, 'console.field.verdict')}</dt><dd><span class="verdict v-${sub.verdict}">${L(s, messageKey(`console.verdict.${sub.verdict}`))}</span></dd>
<dt>${L(s, 'console.field.received')}</dt><dd>${time(sub.receivedAt)} (${age(sub.receivedAt, s.lang)})</dd>
<dt>${L(s, 'console.field.digest')}</dt><dd><code class="wrap">${sub.digest}</code></dd>
</dl></section>`

    const open = sub.status === 'received' || sub.status === 'in_review'
    let decision: Raw = raw('')
    if (s.principal.role === 'reviewer') {
      const choices = (sub.status === 'received' ? ['review', 'approve', 'reject'] : ['approve', 'reject']) as string[]
      const chosen = form?.decision ?? (sub.verdict === 'pass' ? 'approve' : 'reject')
      decision = open
        ? html`<section aria-labelledby="h-decision" class="card"><h2 id="h-decision">${L(s, 'console.sub.decision')}</h2>
<form method="post" action="${BASE}/submissions/${encodeURIComponent(sub.id)}/decision" class="decision">
<input type="hidden" name="_csrf" value="${s.csrfToken}">
<fieldset><legend>${L(s, 'console.sub.decisionChoice')}</legend>
${choices.map((c) => html`<p class="choice"><input type="radio" id="d-${c}" name="decision" value="${c}"${raw(c === chosen ? ' checked' : '')}><label for="d-${c}">${L(s, messageKey(`console.sub.${c}`))}</label></p>`)}
</fieldset>
${sub.verdict !== 'pass' ? html`<p class="choice" id="override-row"><input type="checkbox" id="override" name="override" value="true"${raw(form?.override ? ' checked' : '')}><label for="override">${L(s, 'console.sub.override', {verdict: L(s, messageKey(`console.verdict.${sub.verdict}`))})}</label></p>` : ''}
<p><label for="comment">${L(s, 'console.sub.comment')}</label>
<textarea id="comment" name="comment" rows="4" maxlength="10000">${form?.comment ?? ''}</textarea></p>
<p><button type="submit">${L(s, 'console.sub.submit')}</button></p>
</form></section>`
        : html`<section aria-labelledby="h-decision" class="card"><h2 id="h-decision">${L(s, 'console.sub.decision')}</h2><p>${L(s, 'console.sub.closed', {status: L(s, messageKey(`console.status.${sub.status}`))})}</p></section>`
    }

    const byCat = new Map<string, Finding[]>()
    for (const f of findings.filter(failing)) byCat.set(f.category, [...(byCat.get(f.category) ?? []), f])
    const grouped = html`<section aria-labelledby="h-findings"><h2 id="h-findings">${L(s, 'console.sub.findings')}</h2>
${byCat.size ? [...byCat].map(([c, list]) => html`<h3>${catName(s.lang, c)} <span class="count">(${list.length})</span></h3><ul class="findings">${list.map((f) => findingItem(f, s.lang))}</ul>`) : html`<p>${L(s, 'console.sub.noFindings')}</p>`}
</section>`

    let diff: Raw
    if (!prev || !prevDoc) diff = html`<p>${L(s, 'console.sub.diffNone')}</p>`
    else {
      const d = diffFindings(prevDoc.findings ?? [], findings)
      const part = (id: string, key: string, list: Finding[]) => html`<h3 id="${id}">${L(s, messageKey(key))} <span class="count">(${list.length})</span></h3>${list.length ? html`<ul class="findings" aria-labelledby="${id}">${list.map((f) => html`<li><strong>${f.ruleId}</strong> ${f.message}${where(f) ? html` <span class="meta">${where(f)}</span>` : ''}</li>`)}</ul>` : html`<p class="meta">${L(s, 'console.sub.none')}</p>`}`
      diff = html`<p>${L(s, 'console.sub.diffAgainst', {id: prev.id, at: ''})}${time(prev.receivedAt)} · <a href="${BASE}/submissions/${encodeURIComponent(prev.id)}">${prev.appVersion}</a></p>${part('d-new', 'console.sub.new', d.added)}${part('d-fixed', 'console.sub.fixed', d.fixed)}${part('d-same', 'console.sub.unchanged', d.unchanged)}`
    }
    const diffSection = html`<section aria-labelledby="h-diff"><h2 id="h-diff">${L(s, 'console.sub.diff')}</h2>${diff}</section>`

    const reportHref = `${BASE}/submissions/${encodeURIComponent(sub.id)}/report`
    const report = html`<section aria-labelledby="h-report"><h2 id="h-report">${L(s, 'console.sub.report')}</h2>
<p><a href="${reportHref}" target="_blank" rel="noopener">${L(s, 'console.sub.reportOpen')}</a></p>
<iframe class="report" src="${reportHref}" title="${L(s, 'console.sub.reportFrame')}" sandbox="" referrerpolicy="no-referrer" loading="lazy"></iframe>
</section>`

    const history: HistoryEntry[] = sub.history ?? []
    const hist = html`<section aria-labelledby="h-history"><h2 id="h-history">${L(s, 'console.sub.history')}</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="h-history"><table><thead><tr><th scope="col">${L(s, 'console.field.when')}</th><th scope="col">${L(s, 'console.field.what')}</th><th scope="col">${L(s, 'console.field.who')}</th><th scope="col">${L(s, 'console.sub.comment')}</th></tr></thead>
<tbody>${history.map((h) => html`<tr><td>${time(h.at)}</td><td>${h.name}${h.from && h.to ? html` <span class="meta">${h.from} → ${h.to}</span>` : ''}${h.data?.override ? html` <span class="badge">override</span>` : ''}</td><td>${L(s, messageKey(`console.role.${h.actor.role}`))}</td><td>${h.comment ?? ''}</td></tr>`)}</tbody></table></div></section>`

    return deps.page(reply, s, {title: L(s, 'console.sub.title', {id: sub.id}), nav: 'submissions', status, body: html`${message ?? ''}${summary}${decision}${grouped}${diffSection}${report}${hist}`.value})
  }

  app.get('/submissions/:id', async (req, reply) => {
    const s = await deps.session(req, reply)
    if (!s) return reply
    const sub = await load(req, reply, s)
    if (!sub) return reply
    const done = (req.query as Record<string, unknown>).done
    const msg = typeof done === 'string' && ['review', 'approve', 'reject'].includes(done) ? notice(L(s, 'console.done.decision', {decision: L(s, messageKey(`console.sub.${done}`))})) : undefined
    return submissionPage(reply, s, sub, 200, msg)
  })

  app.get('/submissions/:id/report', async (req, reply) => {
    const s = await deps.session(req, reply)
    if (!s) return reply
    const sub = await load(req, reply, s)
    if (!sub) return reply
    const doc = await documentOf(s, sub.id)
    if (!doc) return deps.notFound(reply, s)
    // The report has its own inline styles; it is shown sandboxed (no script, unique origin).
    return reply.code(200).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').header('Content-Security-Policy', REPORT_FRAME_CSP).send(renderHtml(doc, {lang: s.lang}))
  })

  app.post('/submissions/:id/decision', async (req, reply) => {
    const s = await deps.session(req, reply)
    if (!s) return reply
    if (!deps.csrf(req, s)) return refuse(deps, reply, s)
    const sub = await load(req, reply, s)
    if (!sub) return reply
    const b = (req.body ?? {}) as Record<string, unknown>
    const decision = typeof b.decision === 'string' ? b.decision : ''
    const comment = typeof b.comment === 'string' ? b.comment : ''
    const override = b.override === 'true' || b.override === 'on'
    const a = await deps.api(s.principal, 'POST', `/v1/submissions/${encodeURIComponent(sub.id)}/decision`, {lang: s.lang, body: {decision, ...(comment.trim() ? {comment} : {}), ...(override ? {override: true} : {})}})
    if (a.status === 200) return reply.redirect(`${BASE}/submissions/${encodeURIComponent(sub.id)}?done=${encodeURIComponent(decision)}`, 303)
    if (a.status === 404) return deps.notFound(reply, s)
    const detail = String(a.body?.detail ?? a.body?.title ?? a.status)
    return submissionPage(reply, s, sub, a.status === 403 ? 403 : a.status === 409 ? 409 : a.status === 429 ? 429 : a.status >= 500 ? 503 : 422, notice(L(s, 'console.error', {detail}), 'error'), {decision, comment, override})
  })
}

/** 403 for a form whose CSRF token is missing or wrong: nothing is done. */
function refuse(deps: ConsoleDeps, reply: FastifyReply, s: ConsoleSession): FastifyReply {
  return deps.page(reply, s, {title: t(s.lang, 'console.csrf.title'), status: 403, body: html`<p role="alert">${t(s.lang, 'console.csrf.body')}</p>`.value})
}
