// The targets artifact: which URLs the run looks at, worked out once, right after the manifest is
// read (or from the saved manifest with --from-artifacts), and read by every collector (page
// session, Lighthouse, HTTP/TLS, live probe) and audit instead of --url and the manifest:
// - pages: what the browser session visits (entry, elder entry, service pages, privacy policy);
// - lighthouse: what Lighthouse measures (entry, elder entry, services marked `auth: required`);
// - http: what the HTTP/TLS collector fetches (entry, elder entry, privacy policy, health URL,
//   the contract's servers, --api-base);
// - given: the URLs given on the command line, which belong to the app whatever they answer.
// Manifest URLs on the entry's origin move onto --url's origin when --url overrides the entry.
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {parse as parseYaml} from 'yaml'
import type {GatherContext, RunOptions} from '../core/types.js'
import {artifactOf} from '../artifacts/index.js'
import type {ManifestArtifact} from '../artifacts/manifest.js'
import type {PageTarget} from '../artifacts/page.js'
import type {TargetRole} from '../artifacts/http.js'
import type {LighthouseTarget, PlannedTarget, TargetsArtifact} from '../artifacts/targets.js'
import {obj, text as str} from '../lib/values.js'

export const after = ['manifest']

type Given = Pick<RunOptions, 'url' | 'elderUrl' | 'apiBase'>

function parseUrl(v: string | undefined): URL | undefined {
  if (!v) return undefined
  try {
    const u = new URL(v)
    return /^https?:$/.test(u.protocol) ? u : undefined
  } catch {
    return undefined
  }
}

/** The folder part of a URL's path: `/m/` for `/m/`, `/m/index.html` and `/m/?mode=elder`. */
function baseDir(u: URL): string {
  return u.pathname.endsWith('/') ? u.pathname : u.pathname.slice(0, u.pathname.lastIndexOf('/') + 1)
}

/**
 * Moves a manifest URL onto the override entry: when `u` shares the manifest entry's origin, its
 * origin (and the entry's folder, when `u` lies under it) is replaced by the override's. So with
 * entry https://gjj.taiyuan.gov.cn/m/ and --url http://127.0.0.1:8080/m/, the elder entry
 * https://gjj.taiyuan.gov.cn/m/elder/ becomes http://127.0.0.1:8080/m/elder/. Other origins stay.
 */
export function rebase(u: string, manifestEntry: string | undefined, override: string | undefined): string {
  const target = parseUrl(u)
  const from = parseUrl(manifestEntry)
  const to = parseUrl(override)
  if (!target || !from || !to || target.origin !== from.origin) return u
  const fromDir = baseDir(from)
  const toDir = baseDir(to)
  const rest = target.pathname.startsWith(fromDir) ? toDir + target.pathname.slice(fromDir.length) : target.pathname
  return to.origin + rest + target.search + target.hash
}

/** A service path of the manifest is relative to the entry: `/withdraw.html` under `…/m/` is `…/m/withdraw.html`. */
export function resolveServicePath(p: string, entry: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return p
  return new URL(p.replace(/^\/+/, ''), entry).toString()
}

/** The pages the browser session visits, from the options (URL mode) and the manifest. */
function planPages(options: Given, manifest: Record<string, any> | undefined): PageTarget[] {
  const app = obj(manifest?.app)
  const manifestEntry = parseUrl(str(app?.entry))?.toString()
  const entry = options.url ?? manifestEntry
  const targets: PageTarget[] = []
  const seen = new Set<string>()
  const add = (tg: PageTarget) => {
    if (seen.has(tg.url)) return
    seen.add(tg.url)
    targets.push(tg)
  }
  if (entry) add({role: 'entry', url: entry})
  const elderRaw = options.elderUrl ?? str(app?.elderEntry)
  if (elderRaw) {
    const elder = options.elderUrl ?? (manifestEntry ? rebase(elderRaw, manifestEntry, options.url) : elderRaw)
    if (parseUrl(elder)) add({role: 'elder', url: parseUrl(elder)!.toString()})
  }
  if (entry) {
    for (const s of Array.isArray(manifest?.services) ? manifest!.services : []) {
      const p = str(obj(s)?.path)
      if (!p) continue
      let url: string
      try {
        url = resolveServicePath(p, entry)
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && manifestEntry) url = rebase(url, manifestEntry, options.url)
      } catch {
        continue
      }
      const auth = obj(s)?.auth === 'required' ? 'required' : obj(s)?.auth === 'none' ? 'none' : undefined
      add({role: 'service', url, path: p, ...(str(obj(s)?.name) ? {name: str(obj(s)?.name)} : {}), ...(auth ? {auth} : {})})
    }
  }
  const policy = str(obj(manifest?.privacy)?.policyUrl)
  if (policy && parseUrl(policy)) add({role: 'privacy', url: manifestEntry ? rebase(parseUrl(policy)!.toString(), manifestEntry, options.url) : parseUrl(policy)!.toString()})
  return targets
}

function httpUrl(v: string | undefined): string | undefined {
  if (!v) return undefined
  try {
    const u = new URL(v)
    return /^https?:$/.test(u.protocol) ? u.toString() : undefined
  } catch {
    return undefined
  }
}

/**
 * The service pages the manifest marks `auth: required`, on --url's origin as the page session
 * visits them: Lighthouse measures them, and the HTTP collector asks them as an anonymous visitor
 * (MAN-011).
 */
function loginServicePages(options: Given, m: Record<string, any> | undefined, entry: string): Array<{url: string; name?: string}> {
  const manifestEntry = httpUrl(str(obj(m?.app)?.entry))
  const out: Array<{url: string; name?: string}> = []
  for (const sv of Array.isArray(m?.services) ? m!.services : []) {
    const p = str(obj(sv)?.path)
    if (!p || obj(sv)?.auth !== 'required') continue
    let url: string | undefined
    try {
      url = httpUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && manifestEntry ? rebase(p, manifestEntry, options.url) : resolveServicePath(p, entry))
    } catch {
      url = undefined
    }
    const name = str(obj(sv)?.name)
    if (url && !out.some((o) => o.url === url)) out.push({url, ...(name ? {name} : {})})
  }
  return out
}

/**
 * The pages Lighthouse measures: the entry (--url or app.entry), the elder entry, and each service
 * page marked `auth: required` (what a login-free entry measurement says nothing about).
 */
function planLighthouse(options: Given, m: Record<string, any> | undefined): LighthouseTarget[] {
  const app = obj(m?.app)
  const manifestEntry = httpUrl(str(app?.entry))
  const out: LighthouseTarget[] = []
  const entry = httpUrl(options.url) ?? manifestEntry
  if (entry) out.push({role: 'entry', url: entry, source: options.url ? '--url' : 'app.entry'})
  let elder = httpUrl(options.elderUrl)
  let source = '--elder-url'
  if (!elder && str(app?.elderEntry)) {
    const raw = str(app?.elderEntry)!
    elder = httpUrl(manifestEntry ? rebase(raw, manifestEntry, options.url) : raw)
    source = 'app.elderEntry'
  }
  if (elder && elder !== entry) out.push({role: 'elder', url: elder, source})
  for (const sv of entry ? loginServicePages(options, m, entry) : []) if (!out.some((o) => o.url === sv.url)) out.push({role: 'service', source: 'services[].path', ...sv})
  return out
}

/** When --url overrides the entry, URLs of the manifest on the entry's origin move onto the override (as the page session does). */
export function rebaser(manifestEntry: string | undefined, override: string | undefined): (u: string) => string {
  if (!manifestEntry || !override) return (u) => u
  return (u) => rebase(u, manifestEntry, override)
}

/** servers[].url of the manifest's contract (variables filled with their defaults). */
function contractServers(manifestDir: string, contractRef: string, entry: string | undefined): string[] {
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

/** Which URLs to check, from the manifest and the options (rebased onto --url's origin). */
function planHttp(options: Given, manifest: {data: Record<string, any>; dir: string} | null | undefined): PlannedTarget[] {
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
  const servers = (manifest && str(data.contract) ? contractServers(manifest.dir, str(data.contract)!, entry) : [])
  for (const s of servers) add('server', rebase(s), 'contract servers')
  if (options.apiBase) add('server', options.apiBase, '--api-base')
  return out
}

/** The targets of a run, from the options and the manifest (null when there is none or it failed). */
export function buildTargets(options: Given, manifest: ManifestArtifact | null | undefined): TargetsArtifact {
  const data = manifest ? obj(manifest.data) : undefined
  const given: Given = {}
  if (options.url) given.url = options.url
  if (options.elderUrl) given.elderUrl = options.elderUrl
  if (options.apiBase) given.apiBase = options.apiBase
  const pages = planPages(options, data)
  const entry = pages.find((p) => p.role === 'entry')?.url
  return {
    given,
    ...(entry ? {entry} : {}),
    pages,
    lighthouse: planLighthouse(options, data),
    http: planHttp(options, manifest && data ? {data, dir: manifest.dir} : null),
    login: {required: pages.filter((p) => p.auth === 'required').map((p) => p.url)},
  }
}

/** The run's targets artifact; built from the options and the manifest when the run has none yet. */
export function targetsOf(ctx: Pick<GatherContext, 'options' | 'artifacts'>): TargetsArtifact {
  const have = artifactOf(ctx.artifacts, 'targets')
  if (have) return have
  const built = buildTargets(ctx.options, artifactOf(ctx.artifacts, 'manifest'))
  ctx.artifacts.targets = built
  return built
}

export async function collect(ctx: GatherContext): Promise<TargetsArtifact> {
  return buildTargets(ctx.options, artifactOf(ctx.artifacts, 'manifest'))
}

/** The service pages behind the login (at most 20) that MAN-011 asks as an anonymous visitor. */
export function protectedTargets(options: {url?: string}, manifest: {data: Record<string, any>} | null | undefined): Array<{url: string; name?: string}> {
  const data = manifest?.data
  const entry = httpUrl(options.url) ?? httpUrl(str(obj(data?.app)?.entry))
  return entry ? loginServicePages(options, data, entry).slice(0, 20) : []
}
