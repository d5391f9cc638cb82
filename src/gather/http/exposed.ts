// Exposed files: well-known paths and source maps under the entry origin whose bodies really
// are the files named (not a catch-all page).
import {createHash, randomBytes} from 'node:crypto'
import {admit, errorOf, originOf, pool, request, type Budget, type RequestOptions} from './request.js'
import {LIMITS} from './types.js'
import {type ExposedCheck, type HttpArtifact} from '../../artifacts/http.js'

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

export async function checkExposed(entryUrl: string, scripts: string[], paths: string[], opts: RequestOptions & {budget: Budget}): Promise<HttpArtifact['exposed']> {
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
