// Redirects: whether the plain-HTTP twin of an https URL redirects to https.
import {admit, errorOf, request, type Budget, type RequestOptions} from './request.js'
import type {RedirectReport} from '../../artifacts/http.js'

export async function checkRedirect(httpsUrl: string, opts: RequestOptions & {budget: Budget; plainPort?: number}): Promise<RedirectReport> {
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
