// MP-003 personal-information APIs (declared, consented, and the same as the manifest says) and
// MP-004 network addresses and hard-coded secrets.
import type {AuditContext, Location, RawFinding} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {artifactOf as gathered} from '../../artifacts/index.js'
import {allUnits, appAt, artifactOf, at, cap, type Art} from './common.js'

interface Use {
  kind: string
  how: string
  api?: string
  location: Location
}

function manifestOf(ctx: AuditContext): Record<string, any> | undefined {
  const m = gathered(ctx.artifacts, 'manifest')
  return m?.data && typeof m.data === 'object' ? m.data : undefined
}

function uses(art: Art, ctx: AuditContext): {uses: Use[]; flow: Location[]} {
  const apis = (ctx.params.apis ?? {}) as Record<string, string[]>
  const openTypes = (ctx.params.openTypes ?? {}) as Record<string, string>
  const components = (ctx.params.components ?? {}) as Record<string, string>
  const flowCfg = ((ctx.params.flow ?? {}) as Record<string, {apis?: string[]; openTypes?: string[]}>)[art.platform] ?? {}
  const kindOf = new Map<string, string>()
  for (const [kind, list] of Object.entries(apis)) for (const a of list) kindOf.set(a, kind)
  const out: Use[] = []
  const flow: Location[] = []
  for (const s of art.scripts) {
    for (const a of s.apis) {
      const kind = kindOf.get(a.api)
      if (kind) out.push({kind, how: `${a.ns}.${a.api}`, api: a.api, location: at(s.file, a.line, a.column)})
      if (flowCfg.apis?.includes(a.api)) flow.push(at(s.file, a.line, a.column))
    }
  }
  for (const u of allUnits(art)) {
    for (const e of u.elements) {
      const ot = e.attrs['open-type']
      if (ot && openTypes[ot]) out.push({kind: openTypes[ot], how: `open-type="${ot}"`, location: at(u.file, e.line, e.column)})
      if (ot === 'getAuthorize' && e.attrs.scope === 'phoneNumber') out.push({kind: 'phone', how: 'open-type="getAuthorize" scope="phoneNumber"', location: at(u.file, e.line, e.column)})
      if (ot && flowCfg.openTypes?.includes(ot)) flow.push(at(u.file, e.line, e.column))
      if (components[e.tag]) out.push({kind: components[e.tag], how: `<${e.tag}>`, location: at(u.file, e.line, e.column)})
    }
  }
  return {uses: out, flow}
}

export function privacy(ctx: AuditContext): RawFinding[] {
  const got = artifactOf(ctx)
  if ('findings' in got) return got.findings
  const {art} = got
  const L = ctx.lang
  const {uses: found, flow} = uses(art, ctx)
  if (found.length === 0) return [{status: 'not-applicable', message: t(L, 'MP-003.none')}]
  const out: RawFinding[] = []
  const d = art.app.data
  if (art.platform === 'wechat') {
    const required = new Set((ctx.params.requiredPrivateInfos as string[] | undefined) ?? [])
    const declared = Array.isArray(d.requiredPrivateInfos) ? (d.requiredPrivateInfos as unknown[]).filter((x) => typeof x === 'string') : []
    const scopes = (ctx.params.permissionScopes ?? {}) as Record<string, string>
    const perm = d.permission && typeof d.permission === 'object' ? (d.permission as Record<string, any>) : {}
    const reported = new Set<string>()
    for (const u of found) {
      if (!u.api) continue
      if (required.has(u.api) && !declared.includes(u.api) && !reported.has('rpi:' + u.api)) {
        reported.add('rpi:' + u.api)
        out.push({status: 'fail', message: t(L, 'MP-003.notInRequired', {how: u.how, api: u.api}), location: u.location})
      }
      const scope = scopes[u.api]
      const desc = scope ? perm[scope]?.desc : undefined
      if (scope && (typeof desc !== 'string' || desc.trim() === '') && !reported.has('scope:' + scope)) {
        reported.add('scope:' + scope)
        out.push({status: 'fail', message: t(L, 'MP-003.noPurpose', {how: u.how, scope}), location: u.location})
      }
    }
  }
  if (flow.length === 0) {
    const names = [...(((ctx.params.flow ?? {}) as any)[art.platform]?.apis ?? []).map((a: string) => `${art.platform === 'alipay' ? 'my' : 'wx'}.${a}`), ...((((ctx.params.flow ?? {}) as any)[art.platform]?.openTypes ?? []) as string[]).map((o) => `open-type="${o}"`)]
    out.push({status: 'fail', message: t(L, 'MP-003.noFlow', {how: found[0].how, names: names.join(', ')}), location: found[0].location})
  }
  const m = manifestOf(ctx)
  const kinds = [...new Set(found.map((u) => u.kind))]
  // What the manifest is compared with: privacy.collects when declared, else (older manifests)
  // privacy.personalInfo and privacy.permissions by their words.
  let comparedWith: 'collects' | 'personalInfo' | undefined
  if (m && Array.isArray(m.privacy?.collects)) {
    comparedWith = 'collects'
    const declared = new Map<string, string>()
    for (const c of m.privacy.collects as any[]) if (typeof c?.kind === 'string') declared.set(c.kind, typeof c.purpose === 'string' ? c.purpose : '')
    for (const kind of kinds) {
      if (declared.has(kind)) continue
      const u = found.find((x) => x.kind === kind)!
      out.push({status: 'fail', message: t(L, 'MP-003.notInCollects', {how: u.how, kind}), location: u.location, details: {comparedWith}})
    }
    // Declared but never collected by the code: the manifest says more than the app does (warn).
    for (const kind of declared.keys()) {
      if (kinds.includes(kind)) continue
      out.push({status: 'fail', severity: 'warn', message: t(L, 'MP-003.notUsed', {kind}), location: appAt(art, ''), details: {comparedWith, key: `unused ${kind}`}})
    }
  } else if (m) {
    comparedWith = 'personalInfo'
    const terms = (ctx.params.manifestTerms ?? {}) as Record<string, string[]>
    const pi = Array.isArray(m.privacy?.personalInfo) ? (m.privacy.personalInfo as any[]).map((x) => String(x?.item ?? '').toLowerCase()) : []
    const perms = Array.isArray(m.privacy?.permissions) ? (m.privacy.permissions as unknown[]).map((x) => String(x).toLowerCase()) : []
    for (const kind of kinds) {
      const words = (terms[kind] ?? [kind]).map((w) => w.toLowerCase())
      const ok = perms.some((p) => words.includes(p)) || pi.some((item) => words.some((w) => item.includes(w)))
      if (!ok) {
        const u = found.find((x) => x.kind === kind)!
        out.push({status: 'fail', message: t(L, 'MP-003.notInManifest', {how: u.how, kind}), location: u.location, details: {comparedWith}})
      }
    }
  }
  if (out.length === 0) {
    const passKey = comparedWith === 'collects' ? 'MP-003.passCollects' : comparedWith ? 'MP-003.pass' : 'MP-003.passNoManifest'
    out.push({status: 'pass', message: t(L, passKey, {kinds: kinds.join(', ')}), location: found[0].location, details: {kinds, ...(comparedWith ? {comparedWith} : {}), uses: cap(found.map((u) => ({kind: u.kind, how: u.how, ...u.location})), 30)}})
  }
  return out
}

function hostOf(u: string): {scheme: string; host: string} | null {
  try {
    const x = new URL(u)
    return {scheme: x.protocol.replace(/:$/, ''), host: x.hostname.toLowerCase()}
  } catch {
    return null
  }
}

function coveredBy(host: string, list: string[]): boolean {
  return list.some((h) => host === h || host.endsWith('.' + h))
}

export function network(ctx: AuditContext): RawFinding[] {
  const got = artifactOf(ctx)
  if ('findings' in got) return got.findings
  const {art} = got
  const L = ctx.lang
  const schemes = (ctx.params.schemes as string[] | undefined) ?? ['https', 'wss']
  const ignore = (ctx.params.ignoreUrlPrefixes as string[] | undefined) ?? []
  const m = manifestOf(ctx)
  const own: string[] = []
  if (m) {
    const add = (v: unknown) => {
      const h = typeof v === 'string' ? hostOf(v) : null
      if (h) own.push(h.host)
    }
    add(m.app?.entry)
    add(m.app?.elderEntry)
    add(m.privacy?.policyUrl)
    add(m.monitoring?.health)
    if (Array.isArray(m.services)) for (const s of m.services) add(s?.guideUrl)
    if (Array.isArray(m.privacy?.thirdParties)) for (const p of m.privacy.thirdParties) if (typeof p?.host === 'string') own.push(p.host.toLowerCase().replace(/^\*\./, ''))
  }
  own.push(...(((ctx.params.allowedHosts as string[] | undefined) ?? []).map((h) => h.toLowerCase())))
  const all: Array<{url: string; location: Location}> = []
  for (const s of art.scripts) for (const u of s.urls) all.push({url: u.url, location: at(s.file, u.line, u.column)})
  for (const u of allUnits(art)) for (const x of u.urls) all.push({url: x.url, location: at(u.file, x.line, x.column)})
  for (const c of art.configUrls) all.push({url: c.url, location: at(c.file, c.line, c.column)})
  const out: RawFinding[] = []
  const hosts = new Set<string>()
  let judged = 0
  for (const {url, location} of all) {
    if (ignore.some((p) => url.startsWith(p))) continue
    const h = hostOf(url)
    if (!h) continue
    judged++
    if (!schemes.includes(h.scheme)) {
      out.push({status: 'fail', message: t(L, 'MP-004.scheme', {url, schemes: schemes.join('/')}), location})
      continue
    }
    hosts.add(h.host)
    if (m && !coveredBy(h.host, own)) out.push({status: 'fail', message: t(L, 'MP-004.host', {url, host: h.host}), location})
  }
  const minLen = Number(ctx.params.secretMinLength ?? 8)
  for (const s of art.scripts) {
    for (const x of s.secrets) {
      if (!x.pem && (x.length < minLen || x.spaces || !x.digits)) continue
      out.push({status: 'fail', message: t(L, x.pem ? 'MP-004.pem' : 'MP-004.secret', {name: x.name, length: x.length, preview: x.preview}), location: at(s.file, x.line, x.column)})
    }
  }
  if (out.length === 0) {
    out.push({status: 'pass', message: t(L, m ? 'MP-004.pass' : 'MP-004.passNoManifest', {count: judged, hosts: [...hosts].sort().join(', ') || '-'}), location: appAt(art, ''), details: {urls: judged, hosts: [...hosts].sort()}})
  }
  return out
}
