// The HTTP/TLS collector (Node only, no browser): for the entry, elder entry, privacy policy,
// health URL and the contract's servers it records TLS versions offered and accepted, the
// certificate chain and its validity, response headers, cookies, redirects, and files that
// should not be public under the entry origin. Facts only; the security audits judge them.
//
// Every request is bounded: a per-request deadline (--timeout), a cap on header bytes, body
// bytes and cookies kept, and an overall budget; an origin that does not answer in time is not
// asked again. Certificates are judged here against the system roots plus --ca and
// NODE_EXTRA_CA_CERTS; requests themselves accept any certificate so that headers are still seen.
import {createHash, randomBytes} from 'node:crypto'
import {readFileSync, statSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import {isIP} from 'node:net'
import path from 'node:path'
import tls from 'node:tls'
import {parse as parseYaml} from 'yaml'
import {sessionHeadersFor, type AuthSession} from '../core/auth.js'
import {EnvError} from '../core/errors.js'
import type {GatherContext, RunOptions} from '../core/types.js'
import {t} from '../lib/i18n/index.js'
import {rebase} from './page.js'
import {obj, text as str} from '../lib/values.js'

export const after = ['manifest']

/** Limits of one request (not rule thresholds: they keep the collector bounded). */
export const LIMITS = {
  headerBytes: 256 * 1024,
  headerValueChars: 32 * 1024,
  headerCount: 300,
  cookiesKept: 200,
  htmlBodyBytes: 1024 * 1024,
  probeBodyBytes: 64 * 1024,
  apiBodyBytes: 64 * 1024,
  redirects: 5,
  scriptsForMaps: 20,
  concurrency: 4,
}

export type TargetRole = 'entry' | 'elder' | 'privacy' | 'health' | 'server'
export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const
export type TlsVersion = (typeof TLS_VERSIONS)[number]

export interface ParsedCookie {
  name: string
  secure: boolean
  httpOnly: boolean
  /** The SameSite value as written, or null when absent. */
  sameSite: string | null
  session: boolean
  /** The URL whose response set it. */
  url: string
}

export interface Hop {
  url: string
  status?: number
  location?: string
}

export interface FetchResult {
  url: string
  finalUrl: string
  status?: number
  /** Redirect chain, first request first. */
  chain: Hop[]
  /** Lower-cased header name → values (bounded). */
  headers: Record<string, string[]>
  headersTruncated?: boolean
  cookies: ParsedCookie[]
  cookieCount: number
  contentType?: string
  bodyBytes: number
  bodyTruncated?: boolean
  /** Text of JSON/text bodies of API-like targets (bounded), for personal-information scanning. */
  bodyText?: string
  ms: number
  error?: {code: string; message: string}
}

export interface HttpTarget {
  roles: TargetRole[]
  url: string
  /** Where the URL came from: manifest field, contract, option, or entry page. */
  source: string
  fetch: FetchResult
  /** Script URLs referenced by <script src> (HTML targets). */
  scripts?: string[]
  /** Links (<a href>) with their text (HTML targets, bounded). */
  links?: Array<{href: string; text: string}>
}

export interface CertInfo {
  subject: string
  issuer: string
  validFrom: string
  validTo: string
  san?: string
  fingerprint256?: string
  selfSigned: boolean
}

export interface TlsReport {
  origin: string
  host: string
  port: number
  /** Whether a handshake pinned to each version completed. */
  versions: Partial<Record<TlsVersion, 'accepted' | 'refused'>>
  versionDetail: Partial<Record<TlsVersion, string>>
  /** The verified connection (default versions, system roots + --ca). */
  verify: {ok: boolean; authorized?: boolean; error?: string; protocol?: string; cipher?: string}
  chain: CertInfo[]
  /** Set when no handshake completed at all. */
  error?: {code: string; message: string}
}

export interface RedirectReport {
  /** The https URL whose plain-HTTP twin was tried. */
  url: string
  httpUrl?: string
  result: 'https' | 'not-https' | 'no-redirect' | 'no-http' | 'not-applicable' | 'error'
  status?: number
  location?: string
  detail?: string
}

export interface ExposedCheck {
  url: string
  kind: string
  status?: number
  exposed: boolean
  reason?: string
  error?: string
}

export interface HttpArtifact {
  entry?: string
  entryOrigin?: string
  targets: HttpTarget[]
  tls: TlsReport[]
  redirects: RedirectReport[]
  exposed: {origin?: string; softNotFound?: boolean; checks: ExposedCheck[]}
  /** Requests skipped because an origin stopped answering or the budget ran out. */
  skipped: Array<{url: string; reason: string}>
  durationMs: number
}

/** Connection errors that mean "nobody answers here" rather than "answers badly". */
export const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])

export const DEFAULT_EXPOSED_PATHS = [
  '/.git/HEAD',
  '/.git/config',
  '/.env',
  '/.svn/entries',
  '/.DS_Store',
  '/index.html.bak',
  '/index.php.bak',
  '/www.zip',
  '/wwwroot.zip',
  '/web.zip',
  '/backup.zip',
  '/backup.tar.gz',
  '/backup.sql',
  '/db.sql',
  '/database.sql',
]

// ------------------------------------------------------------------ request plumbing

interface Budget {
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

function errorOf(e: unknown): {code: string; message: string} {
  const err = e as NodeJS.ErrnoException & {reason?: string}
  const code = err?.code ?? 'ERROR'
  let message = err?.message ?? String(e)
  if (code === 'HPE_HEADER_OVERFLOW') message = `response headers larger than ${LIMITS.headerBytes / 1024} KiB`
  return {code, message: message.split('\n')[0].slice(0, 300)}
}

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
        agent: false,
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
async function fetchTarget(url: string, opts: RequestOptions & {budget: Budget; api?: boolean}): Promise<{result: FetchResult; body?: Buffer}> {
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

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

/** null when the request may go ahead; else why it is skipped. */
function admit(url: string, budget: Budget): string | null {
  const dead = budget.deadOrigins.get(originOf(url))
  if (dead) return `skipped: ${originOf(url)} did not answer earlier (${dead})`
  if (Date.now() >= budget.deadline) return 'skipped: the time budget of the HTTP checks ran out'
  return null
}

async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
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

// ------------------------------------------------------------------ TLS

function certInfo(c: tls.PeerCertificate): CertInfo {
  const name = (x: unknown) => {
    const o = (x ?? {}) as Record<string, unknown>
    const cn = o.CN ?? o.O ?? ''
    return Array.isArray(cn) ? cn.join(', ') : String(cn)
  }
  return {
    subject: name(c.subject),
    issuer: name(c.issuer),
    validFrom: c.valid_from,
    validTo: c.valid_to,
    ...(c.subjectaltname ? {san: c.subjectaltname.slice(0, 1000)} : {}),
    ...(c.fingerprint256 ? {fingerprint256: c.fingerprint256} : {}),
    selfSigned: c.fingerprint256 !== undefined && (c as tls.DetailedPeerCertificate).issuerCertificate?.fingerprint256 === c.fingerprint256,
  }
}

interface HandshakeResult {
  ok: boolean
  protocol?: string
  cipher?: string
  authorized?: boolean
  authorizationError?: string
  chain?: CertInfo[]
  error?: {code: string; message: string}
}

function handshake(host: string, port: number, opts: {min?: tls.SecureVersion; max?: tls.SecureVersion; ca?: string[]; timeoutMs: number; chain?: boolean; lowSecurity?: boolean}): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    let settled = false
    const bare = host.replace(/^\[|\]$/g, '')
    const socket = tls.connect({
      host: bare,
      port,
      ...(isIP(bare) ? {} : {servername: bare}),
      rejectUnauthorized: false,
      ...(opts.min ? {minVersion: opts.min} : {}),
      ...(opts.max ? {maxVersion: opts.max} : {}),
      // OpenSSL 3 will not even offer TLS 1.0/1.1 at its default security level; the probe must.
      ...(opts.lowSecurity ? {ciphers: 'DEFAULT@SECLEVEL=0'} : {}),
      ...(opts.ca ? {ca: opts.ca} : {}),
    })
    const done = (r: HandshakeResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(r)
    }
    const timer = setTimeout(() => done({ok: false, error: {code: 'ETIMEDOUT', message: `TLS handshake not finished within ${opts.timeoutMs} ms`}}), opts.timeoutMs)
    socket.once('secureConnect', () => {
      const r: HandshakeResult = {ok: true, protocol: socket.getProtocol() ?? undefined, cipher: socket.getCipher()?.name, authorized: socket.authorized}
      if (!socket.authorized && socket.authorizationError) r.authorizationError = String((socket.authorizationError as unknown as {code?: string}).code ?? socket.authorizationError)
      if (opts.chain) {
        const chain: CertInfo[] = []
        let c = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined
        const seen = new Set<string>()
        while (c && c.fingerprint256 && !seen.has(c.fingerprint256) && chain.length < 10) {
          seen.add(c.fingerprint256)
          chain.push(certInfo(c))
          c = c.issuerCertificate
        }
        r.chain = chain
      }
      done(r)
    })
    socket.once('error', (e) => {
      const err = errorOf(e)
      if (err.code === 'ECONNRESET' || /socket disconnected|socket hang up/i.test(err.message)) err.message = 'the server closed the connection during the TLS handshake'
      done({ok: false, error: err})
    })
    socket.once('close', () => done({ok: false, error: {code: 'ECONNRESET', message: 'the server closed the connection during the TLS handshake'}}))
  })
}

async function probeTls(origin: string, ca: string[], timeoutMs: number): Promise<TlsReport> {
  const u = new URL(origin)
  const port = Number(u.port || 443)
  const host = u.hostname
  const [verify, ...each] = await Promise.all([
    handshake(host, port, {ca, timeoutMs, chain: true}),
    ...TLS_VERSIONS.map((v) => handshake(host, port, {min: v, max: v, timeoutMs, lowSecurity: v === 'TLSv1' || v === 'TLSv1.1'})),
  ])
  const versions: TlsReport['versions'] = {}
  const versionDetail: TlsReport['versionDetail'] = {}
  TLS_VERSIONS.forEach((v, i) => {
    const r = each[i]
    if (r.ok) versions[v] = 'accepted'
    else if (r.error?.code !== 'ETIMEDOUT') versions[v] = 'refused'
    versionDetail[v] = r.ok ? `negotiated ${r.protocol}` : `${r.error?.code}: ${r.error?.message}`
  })
  const report: TlsReport = {
    origin,
    host,
    port,
    versions,
    versionDetail,
    verify: {ok: verify.ok, ...(verify.ok ? {authorized: verify.authorized === true} : {}), ...(verify.authorizationError ? {error: verify.authorizationError} : {}), ...(verify.protocol ? {protocol: verify.protocol} : {}), ...(verify.cipher ? {cipher: verify.cipher} : {})},
    chain: verify.chain ?? [],
  }
  if (!verify.ok && !each.some((r) => r.ok)) report.error = verify.error ?? each.find((r) => r.error)?.error ?? {code: 'ERROR', message: 'no TLS handshake completed'}
  return report
}

// ------------------------------------------------------------------ targets from the manifest


/** When --url overrides the entry, URLs of the manifest on the entry's origin move onto the override (as the page session does). */
export function rebaser(manifestEntry: string | undefined, override: string | undefined): (u: string) => string {
  if (!manifestEntry || !override) return (u) => u
  return (u) => rebase(u, manifestEntry, override)
}

/** servers[].url of the manifest's contract (variables filled with their defaults). */
export function contractServers(manifestDir: string, contractRef: string, entry: string | undefined): string[] {
  const file = path.resolve(manifestDir, contractRef)
  try {
    if (statSync(file).size > 20 * 1024 * 1024) return []
    const doc = parseYaml(readFileSync(file, 'utf8'), {maxAliasCount: 100}) as Record<string, any>
    const out: string[] = []
    for (const s of Array.isArray(doc?.servers) ? doc.servers : []) {
      let url = str(obj(s)?.url)
      if (!url) continue
      const vars = obj(obj(s)?.variables) ?? {}
      url = url.replace(/\{([^}]+)\}/g, (m, name: string) => (str(obj(vars[name])?.default) ?? m))
      if (/\{/.test(url)) continue
      try {
        out.push(new URL(url, entry).toString())
      } catch {
        // a server URL that is neither absolute nor resolvable is the contract category's business
      }
    }
    return out
  } catch {
    return []
  }
}

export interface PlannedTarget {
  role: TargetRole
  url: string
  source: string
}

/** Which URLs to check, from the manifest and the options (rebased onto --url's origin). */
export function planTargets(options: Pick<RunOptions, 'url' | 'elderUrl' | 'apiBase'>, manifest: {data: Record<string, any>; dir: string} | null | undefined, contractOverride?: string[]): PlannedTarget[] {
  const data = manifest?.data ?? {}
  const app = obj(data.app)
  const manifestEntry = str(app?.entry)
  const rebase = rebaser(manifestEntry, options.url)
  const out: PlannedTarget[] = []
  const add = (role: TargetRole, url: string | undefined, source: string) => {
    if (!url) return
    try {
      const u = new URL(url)
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return
      out.push({role, url: u.toString(), source})
    } catch {
      // not a URL: MAN-001/MAN-005 say so
    }
  }
  add('entry', options.url ?? manifestEntry, options.url ? '--url' : 'app.entry')
  add('elder', options.elderUrl ?? (str(app?.elderEntry) ? rebase(str(app?.elderEntry)!) : undefined), options.elderUrl ? '--elder-url' : 'app.elderEntry')
  const policy = str(obj(data.privacy)?.policyUrl)
  add('privacy', policy ? rebase(policy) : undefined, 'privacy.policyUrl')
  const health = str(obj(data.monitoring)?.health)
  add('health', health ? rebase(health) : undefined, 'monitoring.health')
  const entry = options.url ?? manifestEntry
  const servers = contractOverride ?? (manifest && str(data.contract) ? contractServers(manifest.dir, str(data.contract)!, entry) : [])
  for (const s of servers) add('server', rebase(s), 'contract servers')
  if (options.apiBase) add('server', options.apiBase, '--api-base')
  return out
}

// ------------------------------------------------------------------ HTML facts

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined
}

const decodeEntities = (s: string) =>
  s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, ' ')

/** <script src> and <a href> of an HTML document (static markup only), resolved against its URL. */
export function htmlFacts(html: string, baseUrl: string): {scripts: string[]; links: Array<{href: string; text: string}>} {
  const scripts: string[] = []
  const links: Array<{href: string; text: string}> = []
  let base = baseUrl
  const baseTag = /<base\s[^>]*>/i.exec(html)
  if (baseTag) {
    const h = attr(baseTag[0], 'href')
    if (h) {
      try {
        base = new URL(decodeEntities(h), baseUrl).toString()
      } catch {
        // keep the document URL
      }
    }
  }
  for (const m of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(m[0], 'src')
    if (!src || scripts.length >= 200) continue
    try {
      scripts.push(new URL(decodeEntities(src), base).toString())
    } catch {
      // ignore a broken src
    }
  }
  for (const m of html.matchAll(/<a\b([^>]*)>([\s\S]{0,500}?)<\/a>/gi)) {
    if (links.length >= 500) break
    const href = attr(' ' + m[1], 'href')
    if (!href) continue
    const text = decodeEntities(m[2].replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim().slice(0, 200)
    try {
      links.push({href: new URL(decodeEntities(href), base).toString(), text: text || attr(' ' + m[1], 'title') || attr(' ' + m[1], 'aria-label') || ''})
    } catch {
      // ignore a broken href
    }
  }
  return {scripts, links}
}

export const PRIVACY_LINK_TEXT = /隐私|個人信息保護|个人信息保护|privacy/i

// ------------------------------------------------------------------ exposed files

function kindOf(p: string): string {
  const l = p.toLowerCase()
  if (l.endsWith('/.git/head')) return 'git-head'
  if (l.endsWith('/.git/config')) return 'git-config'
  if (l.endsWith('/.env') || /\/\.env\.[a-z]+$/.test(l)) return 'env'
  if (l.endsWith('/.svn/entries')) return 'svn'
  if (l.endsWith('.ds_store')) return 'ds-store'
  if (l.endsWith('.map')) return 'source-map'
  if (/\.(zip)$/.test(l)) return 'zip'
  if (/\.(tar\.gz|tgz|gz)$/.test(l)) return 'gzip'
  if (l.endsWith('.sql')) return 'sql'
  return 'backup'
}

const looksHtml = (s: string) => /^\s*(<!doctype html|<html|<head|<body)/i.test(s)

/** Whether a 200 body really is the file it is named after (not a catch-all page). */
export function looksExposed(kind: string, body: Buffer, contentType: string | undefined): {exposed: boolean; reason: string} {
  const text = body.subarray(0, 4096).toString('latin1')
  switch (kind) {
    case 'git-head':
      return /^(ref: refs\/|[0-9a-f]{40}\s*$)/.test(text) ? {exposed: true, reason: 'git HEAD'} : {exposed: false, reason: 'not a git HEAD file'}
    case 'git-config':
      return /^\s*\[core\]/m.test(text) && !looksHtml(text) ? {exposed: true, reason: 'git config'} : {exposed: false, reason: 'not a git config'}
    case 'env':
      return !looksHtml(text) && /^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/m.test(text) ? {exposed: true, reason: 'KEY=value lines'} : {exposed: false, reason: 'no KEY=value lines'}
    case 'svn':
      return /^\d+\s*$/m.test(text.slice(0, 10)) || /^<\?xml[\s\S]*<wc-entries/.test(text) ? {exposed: true, reason: 'svn entries'} : {exposed: false, reason: 'not svn entries'}
    case 'ds-store':
      return text.startsWith('\x00\x00\x00\x01Bud1') ? {exposed: true, reason: '.DS_Store signature'} : {exposed: false, reason: 'no .DS_Store signature'}
    case 'zip':
      return text.startsWith('PK\x03\x04') || text.startsWith('PK\x05\x06') ? {exposed: true, reason: 'zip signature'} : {exposed: false, reason: 'no zip signature'}
    case 'gzip':
      return text.startsWith('\x1f\x8b') ? {exposed: true, reason: 'gzip signature'} : {exposed: false, reason: 'no gzip signature'}
    case 'sql':
      return !looksHtml(text) && /\b(CREATE\s+TABLE|INSERT\s+INTO|DROP\s+TABLE|CREATE\s+DATABASE)\b/i.test(body.toString('utf8')) ? {exposed: true, reason: 'SQL statements'} : {exposed: false, reason: 'no SQL statements'}
    case 'source-map': {
      try {
        const j = JSON.parse(body.toString('utf8'))
        return j && typeof j === 'object' && 'version' in j && ('mappings' in j || 'sections' in j) ? {exposed: true, reason: 'source map JSON'} : {exposed: false, reason: 'not a source map'}
      } catch {
        return {exposed: false, reason: 'not a source map'}
      }
    }
    default:
      if (body.length === 0) return {exposed: false, reason: 'empty'}
      if (contentType && /text\/html/i.test(contentType) && looksHtml(text)) return {exposed: true, reason: 'backup copy served'}
      return {exposed: true, reason: 'backup file served'}
  }
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex')
}

async function checkExposed(entryUrl: string, scripts: string[], paths: string[], opts: RequestOptions & {budget: Budget}): Promise<HttpArtifact['exposed']> {
  const entry = new URL(entryUrl)
  const origin = entry.origin
  const candidates = new Map<string, string>()
  const dirs = new Set(['/'])
  const entryDir = entry.pathname.replace(/[^/]*$/, '')
  if (entryDir !== '/') dirs.add(entryDir)
  for (const d of dirs) for (const p of paths) candidates.set(origin + d.replace(/\/$/, '') + (p.startsWith('/') ? p : '/' + p), kindOf(p))
  const probeOpts = {...opts, bodyCap: LIMITS.probeBodyBytes}
  // Source maps: the sourceMappingURL comment or SourceMap header of each same-origin script, else `<script>.map`.
  const own = scripts.filter((s) => originOf(s) === origin).slice(0, LIMITS.scriptsForMaps)
  await pool(own, LIMITS.concurrency, async (s) => {
    const plain = s.split('#')[0].split('?')[0]
    candidates.set(plain + '.map', 'source-map')
    if (admit(s, opts.budget)) return
    try {
      const res = await request(s, {...opts, bodyCap: 2 * 1024 * 1024})
      const header = res.headers.sourcemap?.[0] ?? res.headers['x-sourcemap']?.[0]
      const tail = res.body.subarray(Math.max(0, res.body.length - 4096)).toString('utf8')
      const m = /\/\/[#@]\s*sourceMappingURL=(\S+)\s*$/.exec(tail.trimEnd())
      for (const ref of [header, m?.[1]]) {
        if (!ref || ref.startsWith('data:')) continue
        const abs = new URL(ref, s).toString()
        if (originOf(abs) === origin) candidates.set(abs, 'source-map')
      }
    } catch (error) {
      if (errorOf(error).code === 'ETIMEDOUT') opts.budget.deadOrigins.set(origin, errorOf(error).message)
    }
  })
  // What does this origin answer for a path that cannot exist? A catch-all 200 must not count as exposure.
  let fallback: string | null = null
  let soft = false
  const random = `${origin}${entryDir}sjt-${randomBytes(6).toString('hex')}.probe`
  if (!admit(random, opts.budget)) {
    try {
      const r = await request(random, probeOpts)
      if (r.status === 200) {
        soft = true
        fallback = sha(r.body)
      }
    } catch (error) {
      if (errorOf(error).code === 'ETIMEDOUT') opts.budget.deadOrigins.set(origin, errorOf(error).message)
    }
  }
  const checks = await pool([...candidates], LIMITS.concurrency, async ([url, kind]): Promise<ExposedCheck> => {
    const gate = admit(url, opts.budget)
    if (gate) {
      opts.budget.skipped.push({url, reason: gate})
      return {url, kind, exposed: false, error: gate}
    }
    try {
      const r = await request(url, probeOpts)
      if (r.slow) opts.budget.deadOrigins.set(origin, `the body was still arriving after ${opts.timeoutMs} ms`)
      if (r.status !== 200) return {url, kind, status: r.status, exposed: false}
      if (fallback && sha(r.body) === fallback) return {url, kind, status: r.status, exposed: false, reason: 'same answer as for any unknown path'}
      const v = looksExposed(kind, r.body, r.headers['content-type']?.[0])
      return {url, kind, status: r.status, exposed: v.exposed, reason: v.reason}
    } catch (error) {
      const e = errorOf(error)
      if (e.code === 'ETIMEDOUT') opts.budget.deadOrigins.set(origin, e.message)
      return {url, kind, exposed: false, error: e.message}
    }
  })
  return {origin, softNotFound: soft, checks}
}

// ------------------------------------------------------------------ redirects

async function checkRedirect(httpsUrl: string, opts: RequestOptions & {budget: Budget; plainPort?: number}): Promise<RedirectReport> {
  const u = new URL(httpsUrl)
  const port = Number(u.port || 443)
  if (port !== 443 && opts.plainPort === undefined) {
    return {url: httpsUrl, result: 'not-applicable', detail: `port ${port}`}
  }
  const plain = new URL(httpsUrl)
  plain.protocol = 'http:'
  plain.port = opts.plainPort !== undefined ? String(opts.plainPort) : ''
  const httpUrl = plain.toString()
  const gate = admit(httpUrl, opts.budget)
  if (gate) return {url: httpsUrl, httpUrl, result: 'error', detail: gate}
  try {
    const r = await request(httpUrl, {...opts, bodyCap: 4096})
    const location = r.headers.location?.[0]
    if (r.status >= 300 && r.status < 400 && location) {
      let target: URL | null = null
      try {
        target = new URL(location, httpUrl)
      } catch {
        target = null
      }
      return {url: httpsUrl, httpUrl, status: r.status, location, result: target?.protocol === 'https:' ? 'https' : 'not-https'}
    }
    return {url: httpsUrl, httpUrl, status: r.status, result: 'no-redirect'}
  } catch (error) {
    const e = errorOf(error)
    if (e.code === 'ECONNREFUSED') return {url: httpsUrl, httpUrl, result: 'no-http', detail: e.message}
    return {url: httpsUrl, httpUrl, result: 'error', detail: `${e.code}: ${e.message}`}
  }
}

// ------------------------------------------------------------------ CA bundle

/** System roots plus --ca and NODE_EXTRA_CA_CERTS (both PEM files; unreadable files are ignored here, --ca was checked when flags were read). */
export function caBundle(ca?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out = [...tls.rootCertificates]
  for (const f of new Set([ca, env.NODE_EXTRA_CA_CERTS].filter((x): x is string => Boolean(x)))) {
    try {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)) out.push(m[0])
    } catch {
      // reported by option parsing
    }
  }
  return out
}

// ------------------------------------------------------------------ the collector

function paramOf(ctx: GatherContext, id: string, key: string): unknown {
  return ctx.profile?.rules?.find((r) => r.id === id)?.params?.[key]
}

export async function collect(ctx: GatherContext): Promise<HttpArtifact> {
  const started = Date.now()
  const {options} = ctx
  const timeoutMs = Math.max(500, options.timeoutMs || 30_000)
  const budget: Budget = {deadline: started + Math.max(4 * timeoutMs, 15_000), deadOrigins: new Map(), skipped: []}
  const ca = caBundle(options.ca)
  const manifest = ctx.artifacts.manifest && !ctx.artifacts.manifest.__error ? (ctx.artifacts.manifest as {data: Record<string, any>; dir: string}) : null
  const planned = planTargets(options, manifest)
  // With a login session, requests carry it as a browser would: cookies to their own domain, and
  // the session's headers only to the app's origins (entry, elder entry, --api-base).
  const auth = ctx.shared.get('auth') as unknown as AuthSession | undefined
  const appOrigins = new Set(planned.filter((p) => p.role === 'entry' || p.role === 'elder' || p.source === '--api-base').map((p) => originOf(p.url)))
  const base: RequestOptions = {timeoutMs, bodyCap: LIMITS.htmlBodyBytes, ca, ...(auth ? {session: (url: string) => sessionHeadersFor(auth, url, appOrigins)} : {})}
  // One request per URL; roles merged.
  const byUrl = new Map<string, {roles: TargetRole[]; source: string}>()
  for (const p of planned) {
    const t = byUrl.get(p.url)
    if (t) {
      if (!t.roles.includes(p.role)) t.roles.push(p.role)
    } else byUrl.set(p.url, {roles: [p.role], source: p.source})
  }
  const entryUrl = planned.find((p) => p.role === 'entry')?.url

  // TLS of every https origin, concurrently with the fetches.
  const origins = new Set<string>()
  for (const url of byUrl.keys()) if (url.startsWith('https:')) origins.add(originOf(url))
  const tlsPromise = Promise.all([...origins].map((o) => probeTls(o, ca, timeoutMs)))

  const fetched = await pool([...byUrl], LIMITS.concurrency, async ([url, t]) => {
    const isApi = t.roles.some((r) => r === 'health' || r === 'server')
    const {result, body} = await fetchTarget(url, {...base, budget, api: isApi})
    const target: HttpTarget = {roles: t.roles, url, source: t.source, fetch: result}
    if (body && /html/i.test(result.contentType ?? '') && !isApi) Object.assign(target, htmlFacts(body.toString('utf8'), result.finalUrl))
    return target
  })
  const targets = fetched

  // An entry that cannot be reached at all (refused, unknown host, no answer in time) is an
  // environment failure (exit 3), not a verdict; a broken TLS handshake is a verdict (SEC-001).
  const entryFetch = targets.find((tg) => tg.roles.includes('entry'))?.fetch
  if (entryFetch?.error && UNREACHABLE.has(entryFetch.error.code)) {
    throw new EnvError(t(options.lang, 'SEC.entryUnreachable', {detail: entryFetch.error.message}), {url: entryFetch.finalUrl}, t(options.lang, 'SEC.entryUnreachable.hint'))
  }

  // No privacy policy in the manifest: follow the entry page's privacy link, if its markup has one.
  const entryTarget = targets.find((t) => t.roles.includes('entry'))
  if (!planned.some((p) => p.role === 'privacy') && entryTarget?.links) {
    const link = entryTarget.links.find((l) => PRIVACY_LINK_TEXT.test(l.text) && /^https?:/.test(l.href))
    if (link) {
      const {result} = await fetchTarget(link.href, {...base, bodyCap: LIMITS.probeBodyBytes, budget})
      targets.push({roles: ['privacy'], url: link.href, source: 'entry page link', fetch: result})
    }
  }

  // http → https for https targets on 443 (or the plain port given for tests of this collector).
  const plainPort = typeof options.plainHttpPort === 'number' ? options.plainHttpPort : undefined
  const redirectFor = new Map<string, string>()
  for (const t of targets) {
    if (!t.roles.some((r) => r === 'entry' || r === 'elder')) continue
    const final = t.fetch.finalUrl
    if (!final.startsWith('https:') || t.fetch.error) continue
    const key = originOf(final)
    if (!redirectFor.has(key)) redirectFor.set(key, final)
  }
  const redirects = await Promise.all([...redirectFor.values()].map((u) => checkRedirect(u, {...base, budget, plainPort})))
  for (const t of targets) {
    // An http:// entry that redirects to https records its own redirect.
    if (t.roles.some((r) => r === 'entry' || r === 'elder') && t.url.startsWith('http:')) {
      const first = t.fetch.chain[0]
      const final = t.fetch.finalUrl
      redirects.push({
        url: t.url,
        httpUrl: t.url,
        ...(first?.status ? {status: first.status} : {}),
        ...(first?.location ? {location: first.location} : {}),
        result: t.fetch.error ? 'error' : final.startsWith('https:') ? 'https' : t.fetch.chain.length > 1 ? 'not-https' : 'no-redirect',
        ...(t.fetch.error ? {detail: t.fetch.error.message} : {}),
      })
    }
  }

  // Exposed files under the entry origin; scripts from the page session when it ran first, else from the entry HTML.
  let exposed: HttpArtifact['exposed'] = {checks: []}
  const entryFinal = entryTarget && !entryTarget.fetch.error ? entryTarget.fetch.finalUrl : undefined
  if (entryFinal) {
    const scripts = new Set<string>(entryTarget?.scripts ?? [])
    const pages = ctx.artifacts.page?.pages
    if (Array.isArray(pages)) for (const p of pages) for (const s of p?.probes?.security?.scripts ?? []) if (typeof s?.src === 'string') scripts.add(s.src)
    const configured = paramOf(ctx, 'SEC-016', 'paths')
    const paths = Array.isArray(configured) && configured.every((p) => typeof p === 'string') ? (configured as string[]) : DEFAULT_EXPOSED_PATHS
    exposed = await checkExposed(entryFinal, [...scripts], paths, {...base, budget})
  }

  const more = new Set<string>()
  for (const t of targets) for (const h of t.fetch.chain) if (h.url.startsWith('https:') && !origins.has(originOf(h.url))) more.add(originOf(h.url))
  const tlsReports = [...(await tlsPromise), ...(await Promise.all([...more].map((o) => probeTls(o, ca, timeoutMs))))]
  return {
    ...(entryUrl ? {entry: entryUrl, entryOrigin: originOf(entryUrl)} : {}),
    targets,
    tls: tlsReports,
    redirects,
    exposed,
    skipped: budget.skipped.slice(0, 100),
    durationMs: Date.now() - started,
  }
}
