// Run monitoring (运行监测): probe the entry, elder and health URLs of every published app (the
// server's list; the URLs come from the manifest inside each app's approved result), record the
// probes on the server (POST /v1/apps/{appId}/events), which marks an app for review when it
// breaks the government-website rule (≥ 5% of probes in the window not open within 15 s).
import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type {ProbeEvent} from './store.js'
import {ApiRefusal, ReviewClient} from './client/client.js'

// Where a probe may not go unless the monitor is told it may (--allow-private-targets): the URLs
// come from a department's manifest, so without this a submitter could point the monitor at the
// cloud metadata service (169.254.169.254), at loopback admin pages or into the internal network.
const BLOCKED: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved (benchmarking)'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
]

/** Why an address may not be probed ('loopback', 'link-local', 'private', …), or null when it may. */
export function blockedAddress(address: string): string | null {
  let a = address.replace(/^\[|\]$/g, '')
  // An IPv4 address mapped into IPv6 (::ffff:127.0.0.1, also as hex) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a)
  if (mapped) a = mapped[1]
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(a)
  if (hexMapped) {
    const hi = parseInt(hexMapped[1], 16)
    const lo = parseInt(hexMapped[2], 16)
    a = `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  }
  const family = net.isIP(a)
  if (family === 0) return 'not an IP address'
  const type = family === 4 ? 'ipv4' : 'ipv6'
  for (const [net0, prefix, t, why] of BLOCKED) {
    if (t !== type) continue
    const list = new net.BlockList()
    list.addSubnet(net0, prefix, t)
    if (list.check(a, t)) return why
  }
  return null
}

class RefusedTarget extends Error {}

/** dns.lookup that refuses blocked addresses: the check is on the address actually connected to. */
function guardedLookup(hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void): void {
  dns.lookup(hostname, {...options, all: true}, (err, addresses) => {
    if (err) return callback(err, [])
    const list = addresses as dns.LookupAddress[]
    for (const x of list) {
      const why = blockedAddress(x.address)
      if (why) return callback(new RefusedTarget(`refused: ${hostname} resolves to ${x.address}, a ${why} address (sjt monitor --allow-private-targets probes such targets)`), [])
    }
    if (options.all) callback(null, list)
    else callback(null, list[0].address, list[0].family)
  })
}

export interface ProbeOptions {
  /** Probe loopback, link-local and private targets too (a monitor inside the network it watches). */
  allowPrivate?: boolean
}

const MAX_REDIRECTS = 10

/** One GET without following redirects; every hop of a probe goes through here. */
function getOnce(u: URL, kind: ProbeEvent['kind'], signal: AbortSignal, allowPrivate: boolean): Promise<{status: number; location: string | null; text: string}> {
  return new Promise((resolve, reject) => {
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return reject(new RefusedTarget(`refused: ${u.protocol} is not http or https`))
    if (!allowPrivate && net.isIP(u.hostname.replace(/^\[|\]$/g, ''))) {
      const why = blockedAddress(u.hostname)
      if (why) return reject(new RefusedTarget(`refused: ${u.hostname} is a ${why} address (sjt monitor --allow-private-targets probes such targets)`))
    }
    const mod = u.protocol === 'https:' ? https : http
    const req = mod.get(u, {signal, headers: {'User-Agent': 'sjt-monitor', Accept: kind === 'health' ? 'application/json' : 'text/html,*/*'}, ...(allowPrivate ? {} : {lookup: guardedLookup as never})}, (res) => {
      let bytes = 0
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        bytes += Buffer.byteLength(c)
        if (kind === 'health' && text.length <= 65_536) text += c
        if (bytes > 20 * 1024 * 1024) res.destroy()
      })
      res.on('close', () => resolve({status: res.statusCode ?? 0, location: typeof res.headers.location === 'string' ? res.headers.location : null, text}))
      res.on('error', reject)
    })
    req.on('error', reject)
  })
}

/**
 * One probe: GET the URL, follow redirects (each hop checked like the first), read the whole
 * body; it opened when the status is below 400 and everything arrived within the limit. A health
 * URL that answers `down` (the provincial envelope's data.status, or status) did not open either.
 * A target the monitor may not probe fails with an error that starts with `refused:`.
 */
export async function probeUrl(url: string, kind: ProbeEvent['kind'], timeoutMs: number, opts: ProbeOptions = {}): Promise<ProbeEvent> {
  const at = new Date().toISOString()
  const t0 = performance.now()
  const ctrl = new AbortController()
  const timer = setTimeout(() => ctrl.abort(new Error('timeout')), timeoutMs)
  try {
    let u = new URL(url)
    let res = await getOnce(u, kind, ctrl.signal, opts.allowPrivate === true)
    for (let hop = 0; res.status >= 300 && res.status < 400 && res.location; hop++) {
      if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`)
      u = new URL(res.location, u)
      res = await getOnce(u, kind, ctrl.signal, opts.allowPrivate === true)
    }
    const latencyMs = Math.round((performance.now() - t0) * 10) / 10
    let ok = res.status < 400
    let error: string | null = ok ? null : `HTTP ${res.status}`
    if (ok && kind === 'health') {
      try {
        const j = JSON.parse(res.text)
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
    const err = e as Error & {code?: string; cause?: {code?: string; message?: string}}
    const timedOut = ctrl.signal.aborted
    const refused = e instanceof RefusedTarget || err.cause instanceof RefusedTarget
    return {
      url,
      kind,
      ok: false,
      status: null,
      latencyMs: refused ? null : timedOut ? timeoutMs : Math.round((performance.now() - t0) * 10) / 10,
      error: (refused ? (err.cause instanceof RefusedTarget ? err.cause.message : err.message) : timedOut ? `not open within ${Math.round(timeoutMs / 1000)} s` : (err.code ?? err.cause?.code ?? err.cause?.message ?? err.message)).slice(0, 500),
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
export async function monitorRound(client: ReviewClient, opts: {timeoutMs: number; apps?: string[]; concurrency?: number} & ProbeOptions): Promise<AppRound[]> {
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
      const ev = await probeUrl(j.url, j.kind, opts.timeoutMs, {allowPrivate: opts.allowPrivate})
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
