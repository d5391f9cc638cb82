// A real HTTP server on 127.0.0.1 (random port) for the perf tests and benchmarks: it serves
// fixtures/pages/perf/ and a few fault pages.
//   /fault/blank       an empty white page (Lighthouse: NO_FCP)
//   /fault/status500   HTTP 500
//   /fault/hang        headers and half a document, then nothing (never reaches DOMContentLoaded)
//   /fault/unsettled   renders at once but its load event never comes (an image that never ends)
//   /fault/flaky       every second request has its connection destroyed
//   /fault/third-hangs the third request of the page (probe, run 1, run 2) gets a script that
//                      never returns (a synchronous request to /fault/stall, which is never
//                      answered): the renderer's main thread stops answering in Lighthouse run 2
//                      without spinning a core for the guard's ≈ 50 s, as `for (;;) {}` did
//   /fault/stall       no answer at all (the connection stays open until the server closes)
//   /fault/huge        a 30 MB document
//   /fault/crash-third the third request of the page (probe, run 1, run 2): while the document
//                      loads, every Chromium renderer this process started is killed (SIGKILL),
//                      which is what an out-of-memory kill does to a tab ("Aw, Snap!")
import http from 'node:http'
import {createReadStream, existsSync, statSync} from 'node:fs'
import path from 'node:path'
import type {AddressInfo, Socket} from 'node:net'
import {fileURLToPath} from 'node:url'
import {descendantsOf} from '../helpers/proc.js'

const PAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'pages', 'perf')

const TYPES: Record<string, string> = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml'}

const PAGE = (body: string) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>fault</title></head><body>${body}</body></html>`

/** PIDs of the Chromium renderers descended from this process (Linux /proc), killed with SIGKILL. */
function killRenderers(root = process.pid): number[] {
  const killed: number[] = []
  for (const p of descendantsOf(root)) {
    if (!p.cmdline.includes('--type=renderer')) continue
    try {
      process.kill(p.pid, 'SIGKILL')
      killed.push(p.pid)
    } catch {
      // already gone
    }
  }
  return killed
}

export interface PerfServer {
  url: string
  hits: Map<string, number>
  /** Renderers /fault/crash-third killed. */
  killedRenderers: number[]
  close(): Promise<void>
}

export async function startPerfServer(root = PAGES): Promise<PerfServer> {
  const hits = new Map<string, number>()
  const killedRenderers: number[] = []
  const sockets = new Set<Socket>()
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    const p = u.pathname
    hits.set(p, (hits.get(p) ?? 0) + 1)
    if (p === '/fault/blank') {
      res.writeHead(200, {'content-type': 'text/html; charset=utf-8'})
      return res.end('<!doctype html><html><head><meta name="viewport" content="width=device-width"><title>blank</title></head><body></body></html>')
    }
    if (p === '/fault/status500') {
      res.writeHead(500, {'content-type': 'text/html; charset=utf-8'})
      return res.end(PAGE('<h1>500 服务器内部错误</h1>'))
    }
    if (p === '/fault/hang') {
      res.writeHead(200, {'content-type': 'text/html; charset=utf-8'})
      return res.write('<!doctype html><html><head><title>hang</title></head><body><h1>加载中')
    }
    if (p === '/fault/stall') return // never answered
    if (p === '/fault/never.png') return void res.writeHead(200, {'content-type': 'image/png'}) // never ends
    if (p === '/fault/unsettled') {
      res.writeHead(200, {'content-type': 'text/html; charset=utf-8'})
      return res.end(PAGE('<h1>办事指南</h1><p>页面已显示，但有一张图片永远加载不完。</p><img src="/fault/never.png" width="10" height="10" alt="">'))
    }
    if (p === '/fault/flaky') {
      if ((hits.get(p) ?? 0) % 2 === 0) return void req.socket.destroy()
      res.writeHead(200, {'content-type': 'text/html; charset=utf-8'})
      return res.end(PAGE('<h1>公积金提取</h1><p>有时连接会中断。</p>'))
    }
    if (p === '/fault/third-hangs') {
      res.writeHead(200, {'content-type': 'text/html; charset=utf-8'})
      const body = hits.get(p) === 3 ? '<h1>公积金</h1><script>const x = new XMLHttpRequest(); x.open("GET", "/fault/stall", false); x.send()</script>' : '<h1>公积金提取</h1><p>第二次运行时页面卡死。</p>'
      return res.end(PAGE(body))
    }
    if (p === '/fault/crash-third') {
      res.writeHead(200, {'content-type': 'text/html; charset=utf-8'})
      if (hits.get(p) !== 3) return res.end(PAGE('<h1>公积金提取</h1><p>第二次运行时渲染进程崩溃。</p>'))
      res.write('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>crash</title></head><body><h1>公积金')
      setTimeout(() => {
        killedRenderers.push(...killRenderers())
        setTimeout(() => res.end('</h1></body></html>'), 200)
      }, 300)
      return
    }
    if (p === '/fault/huge') {
      res.writeHead(200, {'content-type': 'text/html; charset=utf-8'})
      res.write('<!doctype html><html><head><meta name="viewport" content="width=device-width"><title>huge</title></head><body><h1>大页面</h1><!--')
      const chunk = 'x'.repeat(1024 * 1024)
      let n = 0
      const more = () => {
        while (n < 30) {
          n++
          if (!res.write(chunk)) return void res.once('drain', more)
        }
        res.end('--><p>完</p></body></html>')
      }
      return more()
    }
    let f = path.join(root, decodeURIComponent(p))
    if (!f.startsWith(root)) {
      res.writeHead(403)
      return res.end()
    }
    if (existsSync(f) && statSync(f).isDirectory()) f = path.join(f, 'index.html')
    if (!existsSync(f)) {
      res.writeHead(404, {'content-type': 'text/plain'})
      return res.end('not found')
    }
    res.writeHead(200, {'content-type': TYPES[path.extname(f)] ?? 'application/octet-stream', 'cache-control': 'no-cache'})
    createReadStream(f).pipe(res)
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    killedRenderers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
