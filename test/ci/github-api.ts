// A loopback HTTP server that answers the GitHub REST endpoints ci/github/comment.js calls
// (list, create and update issue comments), keeping the comments in memory. GitHub itself cannot
// be reached from the tests; this plays its part with the same paths, verbs and JSON.
import {createServer, type IncomingMessage, type Server} from 'node:http'

interface FakeComment {
  id: number
  body: string
  html_url: string
  user: {login: string}
}

export interface FakeGitHub {
  url: string
  token: string
  comments: Map<number, FakeComment[]>
  requests: Array<{method: string; path: string}>
  /** Answer every request with this status instead (e.g. 403 for a read-only token). */
  failWith?: number
  close(): Promise<void>
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = ''
    req.on('data', (d) => (s += d))
    req.on('end', () => resolve(s))
  })
}

export async function startFakeGitHub(repo = 'sx-gov/ty-gjj-withdraw', token = 'ghs_fake_token_for_tests'): Promise<FakeGitHub> {
  let nextId = 1000
  const state: Omit<FakeGitHub, 'url' | 'close'> = {token, comments: new Map(), requests: []}
  const server: Server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    state.requests.push({method: req.method ?? '', path: u.pathname + u.search})
    const send = (status: number, body: unknown) => {
      res.writeHead(status, {'content-type': 'application/json; charset=utf-8'})
      res.end(JSON.stringify(body))
    }
    if (state.failWith) return send(state.failWith, {message: 'Resource not accessible by integration'})
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, {message: 'Bad credentials'})
    if (!String(req.headers.accept).includes('application/vnd.github+json')) return send(415, {message: 'accept header'})
    const base = `/repos/${repo}`
    const list = u.pathname.match(new RegExp(`^${base}/issues/(\\d+)/comments$`))
    const one = u.pathname.match(new RegExp(`^${base}/issues/comments/(\\d+)$`))
    if (list && req.method === 'GET') {
      const all = state.comments.get(Number(list[1])) ?? []
      const per = Math.min(100, Number(u.searchParams.get('per_page') ?? 30))
      const page = Number(u.searchParams.get('page') ?? 1)
      return send(200, all.slice((page - 1) * per, page * per))
    }
    if (list && req.method === 'POST') {
      const {body} = JSON.parse(await readBody(req))
      if (typeof body !== 'string' || body.length > 65536) return send(422, {message: 'Validation Failed'})
      const n = Number(list[1])
      const c: FakeComment = {id: nextId++, body, html_url: `https://github.example/${repo}/pull/${n}#issuecomment-${nextId}`, user: {login: 'github-actions[bot]'}}
      state.comments.set(n, [...(state.comments.get(n) ?? []), c])
      return send(201, c)
    }
    if (one && req.method === 'PATCH') {
      const {body} = JSON.parse(await readBody(req))
      for (const cs of state.comments.values()) {
        const c = cs.find((x) => x.id === Number(one[1]))
        if (c) {
          c.body = body
          return send(200, c)
        }
      }
      return send(404, {message: 'Not Found'})
    }
    return send(404, {message: 'Not Found'})
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as {port: number}).port
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  })
}
