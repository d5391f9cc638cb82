// Run monitoring (运行监测): probe the entry, elder and health URLs of every published app (the
// server's list; the URLs come from the manifest inside each app's submitted result), record the
// probes on the server (POST /v1/apps/{appId}/events), which marks an app for review when it
// breaks the government-website rule (≥ 5% of probes in the window not open within 15 s).
import type {ProbeEvent} from './store.js'
import {ApiRefusal, ReviewClient} from './client.js'

/**
 * One probe: GET the URL, follow redirects, read the whole body; it opened when the status is
 * below 400 and everything arrived within the limit. A health URL that answers `down` (the
 * provincial envelope's data.status, or status) did not open either.
 */
export async function probeUrl(url: string, kind: ProbeEvent['kind'], timeoutMs: number): Promise<ProbeEvent> {
  const at = new Date().toISOString()
  const t0 = performance.now()
  const ctrl = new AbortController()
  const timer = setTimeout(() => ctrl.abort(new Error('timeout')), timeoutMs)
  try {
    const res = await fetch(url, {redirect: 'follow', signal: ctrl.signal, headers: {'User-Agent': 'sjt-monitor', Accept: kind === 'health' ? 'application/json' : 'text/html,*/*'}})
    let bytes = 0
    let text = ''
    if (res.body) {
      const reader = res.body.getReader()
      const decoder = new TextDecoder()
      for (;;) {
        const {done, value} = await reader.read()
        if (done) break
        bytes += value.length
        if (kind === 'health' && bytes <= 65_536) text += decoder.decode(value, {stream: true})
        if (bytes > 20 * 1024 * 1024) {
          await reader.cancel()
          break
        }
      }
    }
    const latencyMs = Math.round((performance.now() - t0) * 10) / 10
    let ok = res.status < 400
    let error: string | null = ok ? null : `HTTP ${res.status}`
    if (ok && kind === 'health') {
      try {
        const j = JSON.parse(text)
        const st = j?.data?.status ?? j?.status
        if (st === 'down') {
          ok = false
          error = 'health: down'
        }
      } catch {
        // a health URL that is not JSON but answers 2xx counts as open
      }
    }
    return {url, kind, ok, status: res.status, latencyMs, error, at}
  } catch (e) {
    const err = e as Error & {cause?: {code?: string; message?: string}}
    const timedOut = ctrl.signal.aborted
    return {
      url,
      kind,
      ok: false,
      status: null,
      latencyMs: timedOut ? timeoutMs : Math.round((performance.now() - t0) * 10) / 10,
      error: timedOut ? `not open within ${Math.round(timeoutMs / 1000)} s` : (err.cause?.code ?? err.cause?.message ?? err.message).slice(0, 500),
      at,
    }
  } finally {
    clearTimeout(timer)
  }
}

export interface AppRound {
  appId: string
  name: string
  events: ProbeEvent[]
  recorded: boolean
  needsReview: boolean
  newlyFlagged: boolean
  window?: {probes: number; failures: number; failureShare: number}
  error?: string
}

/** One round over the published apps (or the ones named). Probes run a few at a time. */
export async function monitorRound(client: ReviewClient, opts: {timeoutMs: number; apps?: string[]; concurrency?: number}): Promise<AppRound[]> {
  let apps = await client.listApps({state: 'published'})
  if (opts.apps?.length) apps = apps.filter((a) => opts.apps!.includes(a.appId))
  const jobs: Array<{app: any; url: string; kind: ProbeEvent['kind']}> = []
  for (const a of apps) {
    const urls: Array<[ProbeEvent['kind'], string | null]> = [
      ['entry', a.urls?.entry ?? null],
      ['elder', a.urls?.elder ?? null],
      ['health', a.urls?.health ?? null],
    ]
    for (const [kind, url] of urls) if (url) jobs.push({app: a, url, kind})
  }
  const results = new Map<string, ProbeEvent[]>()
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const j = jobs[next++]
      const ev = await probeUrl(j.url, j.kind, opts.timeoutMs)
      const list = results.get(j.app.appId) ?? []
      list.push(ev)
      results.set(j.app.appId, list)
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(opts.concurrency ?? 8, jobs.length))}, worker))
  const rounds: AppRound[] = []
  for (const a of apps) {
    const events = results.get(a.appId) ?? []
    const round: AppRound = {appId: a.appId, name: a.name, events, recorded: false, needsReview: Boolean(a.needsReview), newlyFlagged: false}
    if (events.length) {
      const r = await client.postEvents(a.appId, events)
      if (r.status === 201) {
        round.recorded = true
        round.needsReview = r.body.needsReview
        round.newlyFlagged = r.body.newlyFlagged
        round.window = {probes: r.body.window.probes, failures: r.body.window.failures, failureShare: r.body.window.failureShare}
      } else {
        round.error = new ApiRefusal(r).message
      }
    }
    rounds.push(round)
  }
  return rounds
}
