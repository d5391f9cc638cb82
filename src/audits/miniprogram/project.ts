// MP-001 project structure and MP-002 package sizes.
import type {AuditContext, RawFinding} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {appAt, artifactOf, at, entryRoute} from './common.js'

const WARN_KINDS = new Set(['tooLargeToParse', 'symlinkOutside', 'tooManyFiles'])

export function project(ctx: AuditContext): RawFinding[] {
  const got = artifactOf(ctx)
  if ('findings' in got) return got.findings
  const {art} = got
  const L = ctx.lang
  const out: RawFinding[] = []
  for (const p of art.problems) {
    out.push({
      status: 'fail',
      ...(WARN_KINDS.has(p.kind) ? {severity: 'warn' as const} : {}),
      message: t(L, `MP-001.${p.kind}`, {file: p.file, detail: p.detail ?? ''}),
      location: at(p.file, p.line, p.column),
    })
  }
  if (!art.projectConfig && ctx.params.requireProjectConfig !== false) {
    out.push({status: 'fail', severity: 'warn', message: t(L, 'MP-001.noProjectConfig', {names: art.platform === 'alipay' ? 'mini.project.json' : 'project.config.json'}), location: at(art.project)})
  }
  const d = art.app.data
  if (!Array.isArray(d.pages) || d.pages.length === 0 || d.pages.some((p: unknown) => typeof p !== 'string')) {
    out.push({status: 'fail', message: t(L, 'MP-001.noPages'), location: appAt(art, d.pages !== undefined ? '/pages' : '')})
  }
  const seen = new Map<string, string>()
  for (const page of art.pages) {
    const first = seen.get(page.route)
    if (first) out.push({status: 'fail', message: t(L, 'MP-001.duplicate', {route: page.route, first}), location: appAt(art, page.pointer)})
    seen.set(page.route, page.pointer)
    const required = (ctx.params.requiredFiles as string[] | undefined) ?? ['template', 'script']
    const missing = page.missing.filter((e) => required.includes(e === '.js' ? 'script' : 'template'))
    if (missing.length) out.push({status: 'fail', message: t(L, 'MP-001.missingFiles', {route: page.route, files: missing.map((e) => page.route + e).join(', ')}), location: appAt(art, page.pointer)})
  }
  const subKey = Array.isArray(d.subpackages) ? 'subpackages' : Array.isArray(d.subPackages) ? 'subPackages' : null
  if (subKey) {
    ;(d[subKey] as unknown[]).forEach((sp, i) => {
      const ok = sp && typeof sp === 'object' && typeof (sp as any).root === 'string' && Array.isArray((sp as any).pages) && (sp as any).pages.length > 0
      if (!ok) out.push({status: 'fail', message: t(L, 'MP-001.badSubpackage', {index: i}), location: appAt(art, `/${subKey}/${i}`)})
    })
  }
  const first = Array.isArray(d.pages) && typeof d.pages[0] === 'string' ? d.pages[0].replace(/^\//, '') : undefined
  const entry = entryRoute(art)
  if (first && entry && entry !== first) out.push({status: 'fail', message: t(L, 'MP-001.entryNotFirst', {entry, first}), location: appAt(art, '/entryPagePath')})
  if (entry && !art.pages.some((p) => p.route === entry)) out.push({status: 'fail', message: t(L, 'MP-001.entryUnlisted', {entry}), location: appAt(art, '/entryPagePath')})
  if (out.length === 0) {
    const pkgs = art.packages.length
    out.push({status: 'pass', message: t(L, 'MP-001.pass', {pages: art.pages.length, packages: pkgs, entry: entry ?? '-', platform: art.platform}), location: appAt(art, '/pages'), details: {platform: art.platform, platformFrom: art.platformFrom, pages: art.pages.length, files: art.metrics.files}})
  }
  return out
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(2) + ' MB'

export function packageSize(ctx: AuditContext): RawFinding[] {
  const got = artifactOf(ctx)
  if ('findings' in got) return got.findings
  const {art} = got
  const L = ctx.lang
  const lim = (ctx.params[art.platform] ?? {}) as {mainMaxBytes?: number; subpackageMaxBytes?: number; totalMaxBytes?: number}
  const mainMax = lim.mainMaxBytes ?? 2 * 1024 * 1024
  const subMax = lim.subpackageMaxBytes ?? 2 * 1024 * 1024
  const totalMax = lim.totalMaxBytes ?? 20 * 1024 * 1024
  const n = Number(ctx.params.largestFiles ?? 5)
  const out: RawFinding[] = []
  const subKey = Array.isArray(art.app.data.subpackages) ? 'subpackages' : 'subPackages'
  for (const p of art.packages) {
    const max = p.name === 'main' ? mainMax : subMax
    const idx = p.name === 'main' ? -1 : (art.app.data[subKey] as any[]).findIndex((s) => s && typeof s.root === 'string' && s.root.replace(/^\/|\/$/g, '') === p.root)
    const location = p.name === 'main' ? appAt(art, '/pages') : appAt(art, `/${subKey}/${idx}`)
    const largest = p.largest.slice(0, n).map((f) => `${f.file} (${mb(f.bytes)})`).join(', ')
    const details = {bytes: p.bytes, limit: max, files: p.files, largest: p.largest.slice(0, n)}
    const name = p.name === 'main' ? t(L, 'MP-002.main') : p.name
    if (p.bytes > max) out.push({status: 'fail', message: t(L, 'MP-002.over', {name, size: mb(p.bytes), max: mb(max), largest}), location, details})
    else out.push({status: 'pass', message: t(L, 'MP-002.within', {name, size: mb(p.bytes), max: mb(max)}), location, details})
  }
  if (art.totalBytes > totalMax) out.push({status: 'fail', message: t(L, 'MP-002.totalOver', {size: mb(art.totalBytes), max: mb(totalMax)}), location: at(art.root), details: {bytes: art.totalBytes, limit: totalMax}})
  return out
}
