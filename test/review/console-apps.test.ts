// The console's app pages on a real fastify instance and a real SQLite store: the list with its
// filters, paging and role rules, one app's page (actions, score, monitoring chart, history) and
// the lifecycle actions through the same store transitions as POST /v1/apps/{appId}/actions.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {FastifyInstance} from 'fastify'
import {parseDocument} from 'htmlparser2'
import {appsConsole} from '../../src/review/console/apps.js'
import type {Store} from '../../src/review/store.js'
import {approve, consoleApp, CSRF_PREFIX, form, submit} from './console-feature-deps.js'
import {makeTokens, OTHER_CODE, OWN_CODE, variant, type Tokens} from './helpers.js'

let app: FastifyInstance
let store: Store
let tk: Tokens

const HOUR = 3_600_000
/** Hours ago of the probe batches: three adjacent hours, then two lone ones; one batch outside the window. */
const BATCH_HOURS = [1, 2, 3, 30, 50]

async function get(url: string, token: string, lang = 'zh-CN') {
  return app.inject({method: 'GET', url, headers: {'x-test-token': token, 'x-test-lang': lang}})
}

async function act(id: string, token: string, fields: Record<string, string>) {
  const f = form(fields)
  return app.inject({method: 'POST', url: `/console/apps/${id}/actions`, payload: f.payload, headers: {...f.headers, 'x-test-token': token, 'x-test-lang': 'en'}})
}

const csrfOf = (role: keyof Tokens['ids']) => CSRF_PREFIX + tk.ids[role]
const appIds = (body: string) => [...body.matchAll(/href="\/console\/apps\/([^"?/]+)"/g)].map((m) => decodeURIComponent(m[1]))

beforeAll(async () => {
  ;({app, store} = await consoleApp([appsConsole]))
  tk = await makeTokens(store)
  // Own department, Taiyuan: approved (in review); another of its apps only registered.
  await approve(store, await submit(store, variant({appId: 'ty-own-a', creditCode: OWN_CODE, regionCode: '140100'})))
  await submit(store, variant({appId: 'ty-own-c', creditCode: OWN_CODE, regionCode: '140100'}))
  // Another department, Datong: approved and published.
  await approve(store, await submit(store, variant({appId: 'dt-other-b', creditCode: OTHER_CODE, regionCode: '140200'})))
  expect((await store.act('dt-other-b', {action: 'publish', reason: 'seed', actor: {role: 'reviewer', tokenId: 'tok_seed'}, at: new Date().toISOString()})).kind).toBe('ok')
  // Probes of ty-own-a: 4 per batch, one failing in two batches (2/20 = 10 % ≥ 5 %).
  const base = Math.floor(Date.now() / HOUR) * HOUR
  const events = BATCH_HOURS.flatMap((h, i) =>
    [0, 1, 2, 3].map((k) => ({url: 'https://app.example/m/', kind: 'entry' as const, ok: !(k === 0 && i < 2), status: k === 0 && i < 2 ? 503 : 200, latencyMs: 100 * (i + 1) + k, error: k === 0 && i < 2 ? 'HTTP 503' : null, at: new Date(base - h * HOUR + 60_000 + k * 1000).toISOString()})),
  )
  // One batch eight days ago: outside the seven-day window.
  events.push({url: 'https://app.example/m/', kind: 'entry', ok: false, status: 500, latencyMs: 9000, error: 'old', at: new Date(base - 8 * 24 * HOUR).toISOString()})
  const since = new Date(Date.now() - 7 * 24 * HOUR).toISOString()
  const rec = await store.recordProbes('ty-own-a', events, {role: 'monitor', tokenId: 'tok_seed'}, {since, failShare: 0.05, minProbes: 1}, new Date().toISOString())
  expect(rec?.newlyFlagged).toBe(true)
  // dt-other-b: all probes fine.
  await store.recordProbes('dt-other-b', [{url: 'https://b.example/', kind: 'entry', ok: true, status: 200, latencyMs: 80, at: new Date(base - HOUR).toISOString()}], {role: 'monitor', tokenId: 'tok_seed'}, {since, failShare: 0.05, minProbes: 1}, new Date().toISOString())
})

afterAll(async () => {
  await app?.close()
  await store?.close()
})

describe('the app list', () => {
  it('a reviewer sees every app with state, department, region and latest score', async () => {
    const r = await get('/console/apps', tk.reviewer)
    expect(r.statusCode).toBe(200)
    expect(appIds(r.body)).toEqual(['dt-other-b', 'ty-own-a', 'ty-own-c'])
    expect(r.body).toContain('已发布')
    expect(r.body).toContain(OTHER_CODE)
    expect(r.body).toContain('140100 太原市')
    // Approved apps carry their score (a number with one decimal), the registered one none.
    const rowA = r.body.slice(r.body.indexOf('/console/apps/ty-own-a'), r.body.indexOf('/console/apps/ty-own-c'))
    expect(rowA).toMatch(/class="num">\d+\.\d/)
  })

  it('filters by state and by region, and refuses a malformed filter', async () => {
    expect(appIds((await get('/console/apps?state=published', tk.reviewer)).body)).toEqual(['dt-other-b'])
    expect(appIds((await get('/console/apps?regionCode=1401', tk.reviewer)).body)).toEqual(['ty-own-a', 'ty-own-c'])
    const bad = await get('/console/apps?state=gone&regionCode=14x', tk.reviewer, 'en')
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('the state must be one of')
    expect(bad.body).toContain('the region code must be 2 to 12 digits')
  })

  it('a submitter sees only its own department; another department\'s app is not found', async () => {
    const r = await get('/console/apps', tk.submitter)
    expect(appIds(r.body)).toEqual(['ty-own-a', 'ty-own-c'])
    expect((await get('/console/apps/dt-other-b', tk.submitter)).statusCode).toBe(404)
    expect((await get('/console/apps/no-such-app', tk.submitter)).statusCode).toBe(404)
    expect(appIds((await get('/console/apps', tk.other)).body)).toEqual(['dt-other-b'])
  })

  it('the monitor role sees no scores', async () => {
    const r = await get('/console/apps', tk.monitor, 'en')
    expect(appIds(r.body)).toHaveLength(3)
    expect(r.body).not.toContain('Latest score')
  })

  it('pages by 50 with previous and next links that keep the filter', async () => {
    for (let i = 0; i < 51; i++) await submit(store, variant({appId: `jz-fill-${String(i).padStart(2, '0')}`, regionCode: '140700'}), {document: '{}'})
    const p1 = await get('/console/apps?regionCode=1407', tk.reviewer)
    expect(appIds(p1.body)).toHaveLength(50)
    expect(p1.body).toContain('href="/console/apps?regionCode=1407&amp;page=2"')
    const p2 = await get('/console/apps?regionCode=1407&page=2', tk.reviewer)
    expect(appIds(p2.body)).toEqual(['jz-fill-50'])
    expect(p2.body).toContain('rel="prev"')
    expect(p2.body).not.toContain('rel="next"')
  })
})

describe('one app', () => {
  it('shows state, the latest score, the monitoring rule\'s state and history to a reviewer, with only the legal actions', async () => {
    const r = await get('/console/apps/ty-own-a', tk.reviewer, 'en')
    expect(r.statusCode).toBe(200)
    expect(r.body).toContain('in review')
    expect(r.body).toContain('Latest service-capability score')
    expect(r.body).toContain('href="/console/scores/ty-own-a"')
    // 2 of 20 probes failed: 10 % ≥ 5 %; the monitor marked the app.
    expect(r.body).toContain('breaks the rule: 10.0 % failed, at or above 5%')
    expect(r.body).toContain('marked for review by monitoring')
    expect(r.body).toMatch(/<dt>Probes<\/dt><dd>20<\/dd>/)
    // in_review: only publish is legal.
    expect([...r.body.matchAll(/name="action" value="(\w+)"/g)].map((m) => m[1])).toEqual(['publish'])
    expect(r.body).toContain(`name="_csrf" value="${csrfOf('reviewer')}"`)
    expect(r.body).toContain('id="h-history"')
    expect(r.body).toContain('Register')
  })

  it('draws availability and latency as accessible SVG with one point per hour with probes, and a data table', async () => {
    const r = await get('/console/apps/ty-own-a', tk.auditor, 'en')
    const doc = parseDocument(r.body)
    const svgs = findAll(doc, (e) => e.name === 'svg')
    expect(svgs.map((s) => s.attribs['aria-labelledby'])).toEqual(['chart-availability-t chart-availability-d', 'chart-latency-t chart-latency-d'])
    for (const svg of svgs) {
      expect(findAll(svg, (e) => e.name === 'title' && e.parent === svg)).toHaveLength(1)
      expect(findAll(svg, (e) => e.name === 'desc')).toHaveLength(1)
      // Five hours with probes in the window (the batch of eight days ago is outside it).
      expect(findAll(svg, (e) => e.name === 'circle' && e.attribs.class === 'chart-pt')).toHaveLength(BATCH_HOURS.length)
    }
    // Hours 1-3 are adjacent: one line of three points; the two lone hours stand alone.
    const lines = findAll(svgs[0], (e) => e.name === 'polyline')
    expect(lines.map((l) => l.attribs.points.split(' ').length)).toEqual([3])
    // The availability of the two batches with a failure is 75 %.
    const labels = findAll(svgs[0], (e) => e.name === 'circle').map((c) => textOf(c))
    expect(labels.filter((l) => l.includes(': 75.0 % (3/4)'))).toHaveLength(2)
    const table = findAll(doc, (e) => e.name === 'details' && e.attribs.class === 'chart-data')[0]
    expect(findAll(table, (e) => e.name === 'tbody')[0].children.filter((c: any) => c.name === 'tr')).toHaveLength(BATCH_HOURS.length)
    // Events: the two failed probes of the window, not the old one.
    expect(r.body).toMatch(/<ul class="marks"><li>.*marked for review by monitoring: monitoring: 2\/20 probes failed/)
    expect(r.body).toContain('The latest 2 failed probes')
    expect(r.body).not.toContain('>old<')
    expect(r.body).not.toMatch(/name="action"/)
  })

  it('an app with good probes is within the rule; a submitter sees history but no actions; the monitor sees neither history nor score', async () => {
    const b = await get('/console/apps/dt-other-b', tk.auditor, 'en')
    expect(b.body).toContain('within the rule: 0.0 % failed, below 5%')
    const own = await get('/console/apps/ty-own-a', tk.submitter, 'en')
    expect(own.statusCode).toBe(200)
    expect(own.body).toContain('id="h-history"')
    expect(own.body).not.toContain('name="action"')
    const mon = await get('/console/apps/ty-own-a', tk.monitor, 'en')
    expect(mon.statusCode).toBe(200)
    expect(mon.body).not.toContain('id="h-history"')
    expect(mon.body).not.toContain('id="h-score"')
    expect(mon.body).toContain('id="h-monitoring"')
    expect(mon.body).not.toContain('class="marks"')
  })
})

describe('lifecycle actions', () => {
  const state = async (id: string) => (await store.getApp(id))!.state

  it('refuses a form without the session\'s CSRF token, changing nothing', async () => {
    const none = await act('ty-own-a', tk.reviewer, {action: 'publish', reason: 'ok'})
    expect(none.statusCode).toBe(403)
    expect(none.body).toContain('CSRF check failed')
    // No session: the shell's answer (here a redirect to sign-in), nothing done.
    const f = form({_csrf: csrfOf('reviewer'), action: 'publish', reason: 'ok'})
    const anon = await app.inject({method: 'POST', url: '/console/apps/ty-own-a/actions', payload: f.payload, headers: f.headers})
    expect(anon.statusCode).toBe(303)
    expect(anon.headers.location).toBe('/console/sign-in')
    const wrong = await act('ty-own-a', tk.reviewer, {_csrf: csrfOf('auditor'), action: 'publish', reason: 'ok'})
    expect(wrong.statusCode).toBe(403)
    expect(await state('ty-own-a')).toBe('in_review')
  })

  it('requires a reason', async () => {
    const r = await act('ty-own-a', tk.reviewer, {_csrf: csrfOf('reviewer'), action: 'publish', reason: '   '})
    expect(r.statusCode).toBe(400)
    expect(r.body).toContain('Give a reason')
    expect(await state('ty-own-a')).toBe('in_review')
    const unknown = await act('ty-own-a', tk.reviewer, {_csrf: csrfOf('reviewer'), action: 'erase', reason: 'x'})
    expect(unknown.statusCode).toBe(400)
  })

  it('only reviewers act: an auditor or a submitter gets not found, another department\'s submitter too', async () => {
    expect((await act('ty-own-a', tk.auditor, {_csrf: csrfOf('auditor'), action: 'publish', reason: 'x'})).statusCode).toBe(404)
    expect((await act('ty-own-a', tk.submitter, {_csrf: csrfOf('submitter'), action: 'publish', reason: 'x'})).statusCode).toBe(404)
    expect((await act('ty-own-a', tk.other, {_csrf: csrfOf('other'), action: 'publish', reason: 'x'})).statusCode).toBe(404)
    expect(await state('ty-own-a')).toBe('in_review')
  })

  it('publishes with a reason (redirect, history, monitoring mark answered), then refuses an illegal step', async () => {
    const r = await act('ty-own-a', tk.reviewer, {_csrf: csrfOf('reviewer'), action: 'publish', reason: 'access review passed'})
    expect(r.statusCode).toBe(303)
    expect(r.headers.location).toBe('/console/apps/ty-own-a?done=publish')
    const a = (await store.getApp('ty-own-a'))!
    expect(a.state).toBe('published')
    expect(a.needsReview).toBe(false)
    const h = (await store.history('ty-own-a')).at(-1)!
    expect(h).toMatchObject({kind: 'action', name: 'publish', from: 'in_review', to: 'published', comment: 'access review passed', actor: {role: 'reviewer', tokenId: tk.ids.reviewer}})
    const page = await get(r.headers.location as string, tk.reviewer, 'en')
    expect(page.body).toContain('Publish: done; the app is now published')
    expect([...page.body.matchAll(/name="action" value="(\w+)"/g)].map((m) => m[1])).toEqual(['suspend', 'delist'])
    const again = await act('ty-own-a', tk.reviewer, {_csrf: csrfOf('reviewer'), action: 'publish', reason: 'twice'})
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('the app is published; Publish is not possible')
  })

  it('an app whose latest submission is not approved cannot be published', async () => {
    // ty-own-c is registered: publishing is not a step from there.
    const c = await act('ty-own-c', tk.reviewer, {_csrf: csrfOf('reviewer'), action: 'publish', reason: 'x'})
    expect(c.statusCode).toBe(409)
    // A new, unapproved submission of dt-other-b after its suspension and delisting, then restore → in review → publish refused.
    for (const [action, to] of [
      ['suspend', 'suspended'],
      ['delist', 'delisted'],
      ['restore', 'in_review'],
    ]) {
      expect((await act('dt-other-b', tk.reviewer, {_csrf: csrfOf('reviewer'), action, reason: `step ${action}`})).statusCode).toBe(303)
      expect(await state('dt-other-b')).toBe(to)
    }
    await submit(store, variant({appId: 'dt-other-b', creditCode: OTHER_CODE, regionCode: '140200', version: '9.9.9'}))
    const p = await act('dt-other-b', tk.reviewer, {_csrf: csrfOf('reviewer'), action: 'publish', reason: 'x'})
    expect(p.statusCode).toBe(409)
    expect(p.body).toContain('latest submission is not approved')
    expect(await state('dt-other-b')).toBe('in_review')
  })
})

function findAll(node: any, test: (e: any) => boolean): any[] {
  const out: any[] = []
  const walk = (n: any) => {
    for (const c of n.children ?? []) {
      if (c.type === 'tag' && test(c)) out.push(c)
      walk(c)
    }
  }
  walk(node)
  return out
}

function textOf(n: any): string {
  if (n.type === 'text') return n.data
  return (n.children ?? []).map(textOf).join('')
}
