// HTTP request plumbing: one bounded request (timeout, body cap, optional CA) and the
// classification of network failures (timeout, refused, DNS, TLS).
import http from 'node:http'
import https from 'node:https'

export interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
  ms: number
}

export type NetFailure = {kind: 'timeout' | 'refused' | 'dns' | 'tls' | 'network' | 'tooLarge' | 'tooManyTimeouts'; detail: string}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO|SSL|ERR_SSL/

export function send(url: string, opts: {method: string; headers: Record<string, string>; body?: string; timeoutMs: number; ca?: string[]; maxBytes: number}): Promise<Answer | NetFailure> {
  return new Promise((resolve) => {
    let u: URL
    try {
      u = new URL(url)
    } catch {
      resolve({kind: 'network', detail: `bad URL ${url}`})
      return
    }
    const lib = u.protocol === 'https:' ? https : http
    const started = performance.now()
    let settled = false
    const done = (v: Answer | NetFailure) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(v)
    }
    const headers = {...opts.headers, ...(opts.body ? {'content-type': 'application/json', 'content-length': String(Buffer.byteLength(opts.body))} : {})}
    const req = lib.request(u, {method: opts.method.toUpperCase(), headers, agent: false, ...(u.protocol === 'https:' && opts.ca ? {ca: opts.ca} : {})}, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > opts.maxBytes) {
          req.destroy()
          done({kind: 'tooLarge', detail: String(opts.maxBytes)})
          return
        }
        chunks.push(c)
      })
      res.on('end', () => done({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started}))
      res.on('error', (e) => done(classify(e)))
    })
    const timer = setTimeout(() => {
      req.destroy()
      done({kind: 'timeout', detail: String(opts.timeoutMs)})
    }, opts.timeoutMs)
    req.on('error', (e) => done(classify(e)))
    if (opts.body) req.write(opts.body)
    req.end()
  })
}

function classify(e: Error & {code?: string}): NetFailure {
  const code = e.code ?? ''
  if (code === 'ECONNREFUSED') return {kind: 'refused', detail: e.message}
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return {kind: 'dns', detail: e.message}
  if (code === 'ETIMEDOUT') return {kind: 'timeout', detail: e.message}
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(e.message)) return {kind: 'tls', detail: `${code} ${e.message}`.trim()}
  return {kind: 'network', detail: `${code} ${e.message}`.trim()}
}
