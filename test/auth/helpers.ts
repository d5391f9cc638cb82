// Shared by the login tests: the sample app with a page behind the login, its demo server, and a
// check that no secret value appears in anything a run wrote.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import https from 'node:https'
import path from 'node:path'
import {ROOT} from '../helpers/cli.js'

export const SAMPLE_LOGIN = path.join(ROOT, 'fixtures', 'apps', 'sample-login')
export const MY_CASES = '/m/my-cases.html'

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n)
    return statSync(f).isDirectory() ? filesUnder(f) : [f]
  })
}

/**
 * Where any of `secrets` appears (raw or URL-encoded) in the files under `dirs` or in the given
 * texts (stdout, stderr): a list of "where: secret" lines, empty when nothing leaked.
 */
export function leaks(secrets: string[], dirs: string[], texts: Record<string, string> = {}): string[] {
  const needles = secrets.flatMap((s) => [s, encodeURIComponent(s)])
  const out: string[] = []
  const scan = (where: string, text: string) => {
    for (const n of needles) if (text.includes(n)) out.push(`${where}: ${n}`)
  }
  for (const d of dirs) for (const f of filesUnder(d)) scan(f, readFileSync(f).toString('latin1') + readFileSync(f, 'utf8'))
  for (const [k, v] of Object.entries(texts)) scan(k, v)
  return out
}

/** A GET with the demo CA; returns status, headers and body. */
function get(url: string, ca: string, headers: Record<string, string> = {}): Promise<{status: number; headers: Record<string, any>; body: string}> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {ca, headers}, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body}))
    })
    req.on('error', reject)
    req.end()
  })
}

/** A fresh login session of the demo server through its SSO callback: the `sjt_session` id. */
export async function sessionId(apiBase: string, ca: string, ticket: string): Promise<string> {
  const r = await get(`${apiBase}/sso/callback?ticket=${encodeURIComponent(ticket)}`, ca)
  const cookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []).find((c) => c.startsWith('sjt_session='))
  if (!cookie) throw new Error(`no session cookie (HTTP ${r.status})`)
  return cookie.split(';')[0].slice('sjt_session='.length)
}

export const at = (f: any) => String(f.location?.url ?? '')
