// A small HTTPS site on 127.0.0.1 for the security tests. By default it passes every SEC rule;
// options turn single faults on (headers, TLS versions, certificates, exposed files, page content)
// and `mode` makes a hostile server (closes mid-handshake, slow-loris, huge headers, many cookies).
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import type {KeyPair, Pki} from './pki.js'
import {idCheckChar} from '../../src/lib/identifiers.js'

/** A valid ID number (Taiyuan 140105, born 1990-03-07) and a mobile number, for PII fixtures. */
export const ID = '14010519900307123' + idCheckChar('14010519900307123')
export const MOBILE = '13812345678'

const PASSING_HEADERS: Record<string, string | string[]> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'set-cookie': 'sid=abc123; Path=/; Secure; HttpOnly; SameSite=Lax',
  server: 'sjt-test',
}

const PASSING_INDEX = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>测试</title><script src="/m/app.js"></script></head>
<body><h1>公积金提取</h1><p>联系电话 139****5678，证件 1401**********1234</p>
<a href="/m/privacy.html">隐私政策</a></body></html>`

interface Route {
  status?: number
  type?: string
  body: string | Buffer
  headers?: Record<string, string | string[]>
}

export interface SiteOptions {
  pki: Pki
  cert?: 'valid' | 'expired' | 'self'
  minVersion?: tls.SecureVersion
  maxVersion?: tls.SecureVersion
  /** Header overrides for every response; null removes a passing header. */
  headers?: Record<string, string | string[] | null>
  /** Extra or replaced routes by path. */
  routes?: Record<string, Route>
  mode?: 'normal' | 'close-handshake' | 'slowloris' | 'big-header' | 'many-cookies' | 'slow-body'
  /** Answer every unknown path with the index page (a single-page app's catch-all). */
  catchAll?: boolean
}

export interface Site {
  url: string
  origin: string
  port: number
  close(): Promise<void>
}

const defaultRoutes = (): Record<string, Route> => ({
  '/m/': {type: 'text/html; charset=utf-8', body: PASSING_INDEX},
  '/m/app.js': {type: 'text/javascript', body: 'document.title = "ok";\n'},
  '/m/privacy.html': {type: 'text/html; charset=utf-8', body: '<!doctype html><html lang="zh-CN"><head><title>隐私政策</title></head><body>隐私政策全文</body></html>'},
  '/api/healthz': {type: 'application/json', body: '{"code":0,"message":"ok","data":{"status":"up"}}'},
})

function pair(pki: Pki, which: SiteOptions['cert']): KeyPair {
  return which === 'expired' ? pki.expired : which === 'self' ? pki.selfSigned : pki.valid
}

export async function startSite(opts: SiteOptions): Promise<Site> {
  const mode = opts.mode ?? 'normal'
  const sockets = new Set<net.Socket>()
  let server: net.Server
  if (mode === 'close-handshake') {
    // Reads the ClientHello, then hangs up: a TLS endpoint that never completes a handshake.
    server = net.createServer((s) => {
      sockets.add(s)
      s.once('data', () => s.destroy())
      s.on('error', () => undefined)
    })
  } else if (mode === 'slowloris') {
    // Completes TLS, then answers one header byte every 500 ms, forever.
    server = tls.createServer({...pair(opts.pki, opts.cert)}, (s) => {
      sockets.add(s)
      s.on('error', () => undefined)
      s.once('data', () => {
        const text = 'HTTP/1.1 200 OK\r\nX-Slow: ' + 'a'.repeat(10_000)
        let i = 0
        const timer = setInterval(() => {
          if (s.destroyed || i >= text.length) return clearInterval(timer)
          s.write(text[i++])
        }, 500)
        s.on('close', () => clearInterval(timer))
      })
    })
  } else {
    const routes = {...defaultRoutes(), ...(opts.routes ?? {})}
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const url = new URL(req.url ?? '/', 'https://x')
      const route = routes[url.pathname] ?? (opts.catchAll ? routes['/m/'] : undefined)
      const headers: Record<string, string | string[]> = {...PASSING_HEADERS}
      for (const [k, v] of Object.entries(opts.headers ?? {})) {
        if (v === null) delete headers[k]
        else headers[k] = v
      }
      if (mode === 'big-header') headers['x-padding'] = 'p'.repeat(64 * 1024)
      if (mode === 'many-cookies') headers['set-cookie'] = Array.from({length: 10_000}, (_, i) => `c${i}=1`)
      Object.assign(headers, route?.headers ?? {})
      res.writeHead(route ? (route.status ?? 200) : 404, {...headers, 'content-type': route?.type ?? 'text/plain'})
      if (mode === 'slow-body') {
        res.write('<!doctype html><html><body>')
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 300)
        res.on('close', () => clearInterval(timer))
        return
      }
      res.end(req.method === 'HEAD' ? undefined : route ? route.body : 'not found')
    }
    const low = opts.minVersion === 'TLSv1' || opts.minVersion === 'TLSv1.1'
    server = https.createServer(
      {
        ...pair(opts.pki, opts.cert),
        minVersion: opts.minVersion ?? 'TLSv1.2',
        ...(opts.maxVersion ? {maxVersion: opts.maxVersion} : {}),
        ...(low ? {ciphers: 'DEFAULT@SECLEVEL=0'} : {}),
        maxHeaderSize: 64 * 1024,
      },
      handler,
    )
    server.on('connection', (s: net.Socket) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    })
  }
  server.on('tlsClientError', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    url: `https://127.0.0.1:${port}/m/`,
    origin: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A plain-HTTP server (for redirect and mixed-content tests). */
export async function startPlain(handler: http.RequestListener): Promise<{url: string; port: number; close(): Promise<void>}> {
  const server = http.createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {url: `http://127.0.0.1:${port}/`, port, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())))}
}

/** Writes an app folder with a manifest pointing at `entry`; returns the manifest path. */
export function writeApp(entry: string, extra: {thirdParties?: Array<{host: string; purpose?: string}>; permissions?: string[]; policy?: string | null; health?: string | null} = {}): {dir: string; manifest: string; cleanup(): void} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-sec-app-'))
  const origin = new URL(entry).origin
  const policy = extra.policy === null ? '' : `  policyUrl: ${extra.policy ?? origin + '/m/privacy.html'}\n`
  const health = extra.health === null ? '' : `monitoring:\n  health: ${extra.health ?? origin + '/api/healthz'}\n  availability: 99.9\n`
  const yaml = `schemaVersion: "1.0"
app:
  id: sec-test-app
  name: 安全测试应用
  version: 1.0.0
  type: h5
  channels: [pc]
  entry: ${entry}
owner:
  department: 测试中心
  creditCode: 12140100MB0123457K
  regionCode: "140100"
  level: city
  contact: {name: 张工, phone: "13912345678", email: ops@taiyuan.gov.cn}
services:
  - code: 12140100MB0123457K3000112001
    name: 测试事项
    kind: public-service
    handling: online-full
    evaluation: true
identity:
  provider: sx-unified-identity
privacy:
${policy}  personalInfo:
    - {item: phone, purpose: 通知, required: true}
  thirdParties: ${JSON.stringify(extra.thirdParties ?? [])}
  permissions: ${JSON.stringify(extra.permissions ?? [])}
${health}`
  const manifest = path.join(dir, 'sjt.yaml')
  writeFileSync(manifest, yaml)
  return {dir, manifest, cleanup: () => rmSync(dir, {recursive: true, force: true})}
}
