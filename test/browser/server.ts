// A real static HTTP server on 127.0.0.1 (random port) for browser tests: serves folders under
// URL prefixes, plus routes that misbehave on purpose (500, redirect loop, never answering).
import {createReadStream, existsSync, statSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'

const TYPES: Record<string, string> = {'.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json'}

export interface TestServer {
  url: string
  port: number
  close(): Promise<void>
}

/** mounts: URL prefix (e.g. '/m/') → folder. */
export function serve(mounts: Record<string, string>): Promise<TestServer> {
  const hanging = new Set<http.ServerResponse>()
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    if (u.pathname === '/status/500') {
      res.writeHead(500, {'content-type': 'text/html'}).end('<h1>500</h1>')
      return
    }
    if (u.pathname.startsWith('/loop/')) {
      const n = Number(u.pathname.split('/')[2] ?? 0)
      res.writeHead(302, {location: `/loop/${(n + 1) % 2}`}).end()
      return
    }
    if (u.pathname === '/hang') {
      hanging.add(res)
      return
    }
    for (const [prefix, dir] of Object.entries(mounts).sort((a, b) => b[0].length - a[0].length)) {
      if (!u.pathname.startsWith(prefix)) continue
      let file = path.join(dir, decodeURIComponent(u.pathname.slice(prefix.length)))
      if (!file.startsWith(path.resolve(dir))) break
      if (existsSync(file) && statSync(file).isDirectory()) {
        if (!u.pathname.endsWith('/')) {
          res.writeHead(301, {location: u.pathname + '/'}).end()
          return
        }
        file = path.join(file, 'index.html')
      }
      if (existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, {'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream'})
        createReadStream(file).pipe(res)
        return
      }
    }
    res.writeHead(404, {'content-type': 'text/html'}).end('<h1>404</h1>')
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            for (const h of hanging) h.destroy()
            server.closeAllConnections()
            server.close(() => r())
          }),
      })
    })
  })
}
