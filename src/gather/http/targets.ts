// Targets from the manifest: the entry, elder entry, privacy policy, health URL and the
// contract's servers, rebased onto --url's origin.
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {parse as parseYaml} from 'yaml'
import type {RunOptions} from '../../core/types.js'
import {obj, text as str} from '../../lib/values.js'
import {rebase, resolveServicePath} from '../page.js'
import type {TargetRole} from './types.js'

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

/** The service pages the manifest marks `auth: required` (at most 20), on --url's origin as the page session visits them. */
export function protectedTargets(options: Pick<RunOptions, 'url'>, manifest: {data: Record<string, any>} | null | undefined): Array<{url: string; name?: string}> {
  const data = manifest?.data ?? {}
  const manifestEntry = str(obj(data.app)?.entry)
  const entry = options.url ?? manifestEntry
  if (!entry) return []
  const rebase = rebaser(manifestEntry, options.url)
  const out: Array<{url: string; name?: string}> = []
  for (const s of Array.isArray(data.services) ? data.services : []) {
    const p = str(obj(s)?.path)
    if (obj(s)?.auth !== 'required' || !p) continue
    try {
      let url = resolveServicePath(p, entry)
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) url = rebase(url)
      const u = new URL(url)
      if (u.protocol !== 'http:' && u.protocol !== 'https:' || out.some((o) => o.url === u.toString())) continue
      const name = str(obj(s)?.name)
      out.push({url: u.toString(), ...(name ? {name} : {})})
    } catch {
      // not a URL: MAN-001 says so
    }
    if (out.length >= 20) break
  }
  return out
}
