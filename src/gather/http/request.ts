// Request plumbing: one bounded request, Set-Cookie parsing, redirect following, and the
// overall budget (deadline, origins that stopped answering, skipped requests).
import http from 'node:http'
import https from 'node:https'
import {isIP} from 'node:net'
import {LIMITS} from './types.js'
import {type FetchResult, type Hop, type ParsedCookie} from '../../artifacts/http.js'

export interface Budget {
  deadline: number
  deadOrigins: Map<string, string>
  skipped: Array<{url: string; reason: string}>
}

export interface RequestOptions {
  method?: 'GET' | 'HEAD'
  timeoutMs: number
  bodyCap: number
  ca?: string[]
  keepBody?: boolean
  /** Headers of the login session for a URL (cookies by domain, session headers on the app's origins only). */
  session?: (url: string) => Record<string, string>
}

interface RawResponse {
  status: number
  headers: Record<string, string[]>
  headersTruncated: boolean
  setCookies: string[]
  body: Buffer
  bodyBytes: number
  bodyTruncated: boolean
  /** The body was still arriving at the deadline (a slow server): headers are complete, the body is not. */
  slow?: boolean
}

export function errorOf(e: unknown): {code: string; message: string} {
  const err = e as NodeJS.ErrnoException & {reason?: string}
  const code = err?.code ?? 'ERROR'
  let message = err?.message ?? String(e)
  if (code === 'HPE_HEADER_OVERFLOW') message = `response headers larger than ${LIMITS.headerBytes / 1024} KiB`
  return {code, message: message.split('\n')[0].slice(0, 300)}
}

/**
 * TLS sessions are resumed across the requests of a run (each still on its own connection, closed
 * after the answer): one full handshake per origin instead of one per request, which was most of
 * the time the exposed-file checks took. Certificates are judged by the TLS probe, not here.
 */
const tlsSessions = new https.Agent({keepAlive: false, maxCachedSessions: 200})

/** One request, never following redirects, with a hard deadline and bounded header/body size. */
export function request(url: string, opts: RequestOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let u: URL
    try {
      u = new URL(url)
    } catch (error) {
      reject(Object.assign(new Error(`not a URL: ${url}`), {code: 'ERR_INVALID_URL'}))
      return
    }
    const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : null
    if (!mod) {
      reject(Object.assign(new Error(`unsupported scheme ${u.protocol}`), {code: 'ERR_SCHEME'}))
      return
    }
    let settled = false
    let onDeadline: (() => void) | null = null
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      fn()
    }
    const req = mod.request(
      u,
      {
        method: opts.method ?? 'GET',
        agent: u.protocol === 'https:' ? tlsSessions : false,
        maxHeaderSize: LIMITS.headerBytes,
        headers: {'user-agent': 'sjt-security-check', accept: '*/*', 'accept-encoding': 'identity', connection: 'close', ...(opts.session?.(url) ?? {})},
        // Certificates are judged once per origin by the TLS probe; requests accept any, so no CA bundle here.
        ...(u.protocol === 'https:' ? {rejectUnauthorized: false, ...(isIP(u.hostname.replace(/^\[|\]$/g, '')) ? {} : {servername: u.hostname})} : {}),
      },
      (res) => {
        const headers: Record<string, string[]> = {}
        let truncated = false
        let count = 0
        const raw = res.rawHeaders
        const setCookies: string[] = []
        let cookieSeen = 0
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const name = raw[i].toLowerCase()
          let value = raw[i + 1]
          if (name === 'set-cookie') {
            cookieSeen++
            if (setCookies.length < LIMITS.cookiesKept) setCookies.push(value.slice(0, 4096))
            continue
          }
          if (count >= LIMITS.headerCount) {
            truncated = true
            continue
          }
          if (value.length > LIMITS.headerValueChars) {
            value = value.slice(0, LIMITS.headerValueChars)
            truncated = true
          }
          ;(headers[name] ??= []).push(value)
          count++
        }
        if (cookieSeen > setCookies.length) headers['x-sjt-cookie-count'] = [String(cookieSeen)]
        const chunks: Buffer[] = []
        let kept = 0
        let total = 0
        let bodyTruncated = false
        let slow = false
        const done = () =>
          finish(() =>
            resolve({status: res.statusCode ?? 0, headers, headersTruncated: truncated, setCookies, body: Buffer.concat(chunks), bodyBytes: total, bodyTruncated, ...(slow ? {slow} : {})}),
          )
        // A body that trickles past the deadline still leaves us its headers.
        onDeadline = () => {
          bodyTruncated = true
          slow = true
          done()
          res.destroy()
        }
        res.on('data', (chunk: Buffer) => {
          total += chunk.length
          if (kept < opts.bodyCap) {
            const part = chunk.subarray(0, opts.bodyCap - kept)
            chunks.push(part)
            kept += part.length
          }
          if (total > opts.bodyCap) {
            bodyTruncated = true
            done()
            res.destroy()
          }
        })
        res.on('end', done)
        res.on('close', done)
        res.on('error', done)
      },
    )
    const timer = setTimeout(() => {
      if (onDeadline) {
        onDeadline()
        req.destroy()
        return
      }
      const e = Object.assign(new Error(`no response headers within ${opts.timeoutMs} ms`), {code: 'ETIMEDOUT'})
      finish(() => reject(e))
      req.destroy(e)
    }, opts.timeoutMs)
    req.on('error', (e) => finish(() => reject(e)))
    req.end()
  })
}

export function parseSetCookie(line: string, url: string): ParsedCookie {
  const parts = line.split(';').map((p) => p.trim())
  const first = parts.shift() ?? ''
  const eq = first.indexOf('=')
  const name = (eq >= 0 ? first.slice(0, eq) : first).trim().slice(0, 200)
  let secure = false
  let httpOnly = false
  let sameSite: string | null = null
  let session = true
  for (const p of parts) {
    const i = p.indexOf('=')
    const key = (i >= 0 ? p.slice(0, i) : p).trim().toLowerCase()
    const val = i >= 0 ? p.slice(i + 1).trim() : ''
    if (key === 'secure') secure = true
    else if (key === 'httponly') httpOnly = true
    else if (key === 'samesite') sameSite = val.slice(0, 20)
    else if (key === 'expires' || key === 'max-age') session = false
  }
  return {name, secure, httpOnly, sameSite, session, url}
}

/** Follows redirects (bounded), and keeps what the audits need. */
export async function fetchTarget(url: string, opts: RequestOptions & {budget: Budget; api?: boolean}): Promise<{result: FetchResult; body?: Buffer}> {
  const chain: Hop[] = []
  const started = Date.now()
  let current = url
  const base: FetchResult = {url, finalUrl: url, chain, headers: {}, cookies: [], cookieCount: 0, bodyBytes: 0, ms: 0}
  for (let i = 0; i <= LIMITS.redirects; i++) {
    const gate = admit(current, opts.budget)
    if (gate) {
      return {result: {...base, finalUrl: current, ms: Date.now() - started, error: {code: 'SKIPPED', message: gate}}}
    }
    let res: RawResponse
    try {
      res = await request(current, {...opts, timeoutMs: Math.min(opts.timeoutMs, Math.max(1, opts.budget.deadline - Date.now()))})
    } catch (error) {
      const err = errorOf(error)
      if (err.code === 'ETIMEDOUT') opts.budget.deadOrigins.set(originOf(current), err.message)
      chain.push({url: current})
      return {result: {...base, finalUrl: current, ms: Date.now() - started, error: err}}
    }
    if (res.slow) opts.budget.deadOrigins.set(originOf(current), `the body was still arriving after ${opts.timeoutMs} ms`)
    const location = res.headers.location?.[0]
    chain.push({url: current, status: res.status, ...(location ? {location} : {})})
    const cookies = res.setCookies.map((c) => parseSetCookie(c, current))
    const cookieCount = Number(res.headers['x-sjt-cookie-count']?.[0] ?? res.setCookies.length)
    delete res.headers['x-sjt-cookie-count']
    base.cookies.push(...cookies.slice(0, Math.max(0, LIMITS.cookiesKept - base.cookies.length)))
    base.cookieCount += cookieCount
    if (res.status >= 300 && res.status < 400 && location && i < LIMITS.redirects) {
      try {
        current = new URL(location, current).toString()
        continue
      } catch {
        // a broken Location ends the chain here
      }
    }
    const contentType = res.headers['content-type']?.[0]
    const result: FetchResult = {
      ...base,
      finalUrl: current,
      status: res.status,
      headers: res.headers,
      ...(res.headersTruncated ? {headersTruncated: true} : {}),
      ...(contentType ? {contentType} : {}),
      bodyBytes: res.bodyBytes,
      ...(res.bodyTruncated ? {bodyTruncated: true} : {}),
      ms: Date.now() - started,
    }
    if (opts.api && contentType && /json|text\/plain|xml/i.test(contentType)) result.bodyText = res.body.subarray(0, LIMITS.apiBodyBytes).toString('utf8')
    if (i === LIMITS.redirects && res.status >= 300 && res.status < 400) result.error = {code: 'TOO_MANY_REDIRECTS', message: `more than ${LIMITS.redirects} redirects`}
    return {result, body: res.body}
  }
  return {result: {...base, ms: Date.now() - started, error: {code: 'TOO_MANY_REDIRECTS', message: `more than ${LIMITS.redirects} redirects`}}}
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

/** null when the request may go ahead; else why it is skipped. */
export function admit(url: string, budget: Budget): string | null {
  const dead = budget.deadOrigins.get(originOf(url))
  if (dead) return `skipped: ${originOf(url)} did not answer earlier (${dead})`
  if (Date.now() >= budget.deadline) return 'skipped: the time budget of the HTTP checks ran out'
  return null
}

export async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({length: Math.min(n, items.length)}, worker))
  return out
}
