// A real loopback app with a login: a form at /login, an SSO callback taking a test ticket, a
// bearer-protected API and pages that redirect to /login without a session.
import http from 'node:http'
import type {AddressInfo} from 'node:net'

export interface LoginServer {
  url: string
  close(): Promise<void>
  sessions: Set<string>
}

export async function startLoginServer(opts: {ticket?: string; user?: string; password?: string; bearer?: string} = {}): Promise<LoginServer> {
  const sessions = new Set<string>()
  const ticket = opts.ticket ?? 'ST-good-ticket'
  const sid = () => 'sid-' + Math.random().toString(36).slice(2) + Date.now().toString(36)
  const cookieOf = (req: http.IncomingMessage) => /(?:^|;\s*)SESSION=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    const html = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, {'content-type': 'text/html; charset=utf-8', ...headers})
      res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title></head><body>${body}</body></html>`)
    }
    if (u.pathname === '/sso/callback') {
      if (u.searchParams.get('ticket') !== ticket) {
        res.writeHead(401, {'content-type': 'application/json'})
        return res.end(JSON.stringify({code: '401', message: 'bad ticket', data: null}))
      }
      const s = sid()
      sessions.add(s)
      res.writeHead(302, {location: '/m/', 'set-cookie': `SESSION=${s}; Path=/; HttpOnly; SameSite=Lax`})
      return res.end()
    }
    if (u.pathname === '/login' && req.method === 'GET') return html(200, '<main><h1>统一身份认证登录</h1><form method="post" action="/login"><label>用户名<input id="user" name="user"></label><label>密码<input id="pass" name="pass" type="password"></label><button id="go" type="submit">登录</button></form></main>')
    if (u.pathname === '/login' && req.method === 'POST') {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        const p = new URLSearchParams(body)
        if (p.get('user') === (opts.user ?? 'tester') && p.get('pass') === (opts.password ?? 'secret-pass-123')) {
          const s = sid()
          sessions.add(s)
          res.writeHead(302, {location: '/m/secure.html', 'set-cookie': `SESSION=${s}; Path=/; HttpOnly; SameSite=Lax`})
          return res.end()
        }
        html(200, '<main><h1>统一身份认证登录</h1><p role="alert">用户名或密码错误</p></main>')
      })
      return
    }
    if (u.pathname === '/api/me') {
      const ok = req.headers.authorization === `Bearer ${opts.bearer ?? 'api-token-xyz'}` || sessions.has(cookieOf(req) ?? '')
      res.writeHead(ok ? 200 : 401, {'content-type': 'application/json'})
      return res.end(JSON.stringify(ok ? {code: '0', message: 'ok', data: {name: '测试用户'}} : {code: '401', message: 'login required', data: null}))
    }
    if (u.pathname.startsWith('/m/secure')) {
      if (!sessions.has(cookieOf(req) ?? '')) {
        res.writeHead(302, {location: '/login?service=' + encodeURIComponent(u.pathname)})
        return res.end()
      }
      return html(200, '<main><h1>我的办件</h1><p>已登录的办件列表页面。</p></main>')
    }
    if (u.pathname === '/m/' || u.pathname === '/m/index.html') return html(200, '<main><h1>首页</h1><a href="/m/secure.html">我的办件</a></main>')
    res.writeHead(404, {'content-type': 'text/plain'})
    res.end('not found')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    sessions,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections()
      server.close(() => r())
    }),
  }
}
