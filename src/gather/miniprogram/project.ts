// Reads a mini-program source project (the folder a developer opens in the WeChat or Alipay
// developer tool) into facts, one file at a time: project config and app.json with positions,
// pages and their files, components, every script, package sizes. No account, network or vendor
// binary. A file that cannot be read or parsed becomes a problem with its position (MP-001);
// only a folder that is not a project at all is an input error.
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {InputError} from '../../lib/errors.js'
import type {Lang} from '../../core/types.js'
import {decodeText, parseStructured, pathToPointer, readTextFile, type PathSeg, type Structured} from '../../lib/source.js'
import {t} from '../../lib/i18n/index.js'
import {ignoreMatcher, walkProject, type IgnoreRule, type ProjectFile} from './files.js'
import {parseStyleSheet, type Units} from './style.js'
import {type CssRule} from '../../artifacts/miniprogram.js'
import {parseTemplate} from './template.js'
import {parseScript} from './script.js'
import {jsonSyntaxError, lineColumn} from './json.js'
import {type Platform, type Problem, type UnitFacts, type PageFacts, type ScriptEntry, type PackageFacts, type MiniprogramArtifact} from '../../artifacts/miniprogram.js'

const EXT: Record<Platform, {template: string; style: string; script: string}> = {
  wechat: {template: '.wxml', style: '.wxss', script: '.js'},
  alipay: {template: '.axml', style: '.acss', script: '.js'},
}
const NAMESPACES: Record<Platform, string[]> = {wechat: ['wx'], alipay: ['my']}
/** Text files larger than this are counted for size but not parsed (a finding says so). */
const MAX_PARSE_BYTES = 2 * 1024 * 1024
const VIEWPORT_PX = 375

// How a file is shown: relative to the current folder when inside it. Each file is shown several
// times (read, parsed, found), so the answers are kept while the current folder stays the same.
const shownAs = new Map<string, string>()
let shownFrom = ''
function display(abs: string): string {
  const cwd = process.cwd()
  if (cwd !== shownFrom || shownAs.size > 20_000) {
    shownAs.clear()
    shownFrom = cwd
  }
  let shown = shownAs.get(abs)
  if (shown === undefined) {
    const rel = path.relative(cwd, abs)
    shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs
    shownAs.set(abs, shown)
  }
  return shown
}

const posix = (p: string) => p.split(path.sep).join('/')

function readJsonWithPositions(abs: string, lang: Lang): Structured {
  const shown = display(abs)
  const text = readTextFile(abs, lang)
  const err = jsonSyntaxError(text.text)
  if (err) throw new InputError(t(lang, 'input.badJson', {detail: err.message}), {file: shown, ...lineColumn(text.text, err.offset)}, t(lang, 'input.badSyntax.hint'))
  return parseStructured({...text, path: shown}, lang)
}

function positionsOf(s: Structured): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {}
  const walk = (v: unknown, p: PathSeg[], depth: number) => {
    if (depth > 12) return
    const pos = s.locate(p)
    out[pathToPointer(p)] = [pos.line, pos.column]
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i], depth + 1))
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k], depth + 1)
  }
  walk(s.data, [], 0)
  return out
}

/** The folder is a project when it holds app.json, project.config.json or mini.project.json. */
export function looksLikeProject(dir: string): boolean {
  return ['app.json', 'project.config.json', 'mini.project.json'].some((n) => existsSync(path.join(dir, n)))
}

export interface ReadOptions {
  platform?: Platform
  lang: Lang
  progress?: (line: string) => void
}

export function readProject(projectDir: string, opts: ReadOptions): MiniprogramArtifact {
  const started = Date.now()
  const lang = opts.lang
  const abs = path.resolve(projectDir)
  let st
  try {
    st = statSync(abs)
  } catch {
    throw new InputError(t(lang, 'input.notFound'), {file: projectDir}, t(lang, 'input.notFound.hint'))
  }
  if (!st.isDirectory()) throw new InputError(t(lang, 'mp.notFolder'), {file: projectDir}, t(lang, 'mp.notFolder.hint'))
  try {
    readdirSync(abs)
  } catch (error) {
    throw new InputError(t(lang, 'mp.unreadable', {detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message}), {file: projectDir}, t(lang, 'mp.unreadable.hint'))
  }

  // Project configuration: WeChat project.config.json or Alipay mini.project.json.
  let platform: Platform | undefined = opts.platform
  let platformFrom: MiniprogramArtifact['platformFrom'] = 'manifest'
  let projectConfig: MiniprogramArtifact['projectConfig'] = null
  let ignoreRules: IgnoreRule[] = []
  let mpRoot = abs
  let designWidth = 750
  for (const [name, plat] of [['project.config.json', 'wechat'], ['mini.project.json', 'alipay']] as const) {
    const f = path.join(abs, name)
    if (!existsSync(f)) continue
    const s = readJsonWithPositions(f, lang)
    const d = (s.data && typeof s.data === 'object' && !Array.isArray(s.data) ? s.data : {}) as Record<string, any>
    if (!platform) {
      platform = plat
      platformFrom = 'project'
    }
    projectConfig = {file: display(f), ...(typeof d.appid === 'string' ? {appid: d.appid} : typeof d.appId === 'string' ? {appid: d.appId} : {}), ...(typeof d.projectname === 'string' ? {projectname: d.projectname} : {})}
    const root = typeof d.miniprogramRoot === 'string' ? d.miniprogramRoot : undefined
    if (root) {
      const r = path.resolve(abs, root)
      if (r !== abs && !r.startsWith(abs + path.sep)) {
        const pos = s.locate(['miniprogramRoot'])
        throw new InputError(t(lang, 'mp.rootOutside', {root}), {file: display(f), ...pos}, t(lang, 'mp.rootOutside.hint'))
      }
      mpRoot = r
    }
    const ign = d.packOptions?.ignore
    if (Array.isArray(ign)) ignoreRules = ign.filter((x: any) => x && typeof x.value === 'string' && typeof x.type === 'string') as IgnoreRule[]
    const dw = d.designWidth ?? d.setting?.designWidth
    if (typeof dw === 'number' && dw > 0 && dw < 10000) designWidth = dw
    break
  }

  const appFile = path.join(mpRoot, 'app.json')
  if (!existsSync(appFile)) throw new InputError(t(lang, 'mp.noAppJson'), {file: display(appFile)}, t(lang, 'mp.noAppJson.hint'))
  const appS = readJsonWithPositions(appFile, lang)
  if (!appS.data || typeof appS.data !== 'object' || Array.isArray(appS.data)) throw new InputError(t(lang, 'mp.appNotObject'), {file: display(appFile), line: 1, column: 1}, t(lang, 'mp.noAppJson.hint'))
  const appData = appS.data as Record<string, any>

  const problems: Problem[] = []
  const walked = walkProject(mpRoot, ignoreMatcher(ignoreRules))
  for (const p of walked.problems) problems.push({kind: p.kind, file: display(path.join(mpRoot, p.rel)), ...(p.detail ? {detail: p.detail} : {})})
  const byRel = new Map<string, ProjectFile>(walked.files.map((f) => [f.rel, f]))
  if (!platform) {
    platform = walked.files.some((f) => f.rel.endsWith('.axml')) ? 'alipay' : 'wechat'
    platformFrom = 'files'
  }
  const ext = EXT[platform]
  const units: Units = {viewportPx: VIEWPORT_PX, designWidth, rootFontPx: 16}
  let parsedFiles = 0

  const readText = (f: ProjectFile): string | null => {
    const shown = display(f.abs)
    if (f.size > MAX_PARSE_BYTES) {
      problems.push({kind: 'tooLargeToParse', file: shown, detail: String(f.size)})
      return null
    }
    let buf: Buffer
    try {
      buf = readFileSync(f.abs)
    } catch (error) {
      problems.push({kind: 'unreadable', file: shown, detail: (error as NodeJS.ErrnoException).code})
      return null
    }
    try {
      parsedFiles++
      return decodeText(buf, shown, lang).text
    } catch (error) {
      if (buf.length === 0 || buf.toString('utf8').trim() === '') return ''
      problems.push({kind: 'encoding', file: shown, line: 1, column: 1, detail: (error as Error).message})
      return null
    }
  }

  // Style sheets: app-level rules stay for the whole run (they cascade into every page).
  const sheetCache = new Map<string, CssRule[]>()
  const loadSheet = (rel: string, depth = 0): CssRule[] => {
    if (sheetCache.has(rel)) return sheetCache.get(rel)!
    const f = byRel.get(rel)
    if (!f || depth > 8) return []
    sheetCache.set(rel, [])
    const text = readText(f)
    if (text === null) return []
    const {sheet, error} = parseStyleSheet(text, display(f.abs))
    if (error) problems.push({kind: 'syntax', file: display(f.abs), line: error.line, column: error.column, detail: error.message})
    const rules: CssRule[] = []
    for (const imp of sheet.imports) {
      const target = imp.path.startsWith('/') ? imp.path.slice(1) : posix(path.posix.normalize(path.posix.join(path.posix.dirname(rel), imp.path)))
      const withExt = byRel.has(target) ? target : target + ext.style
      if (!withExt.startsWith('..')) rules.push(...loadSheet(withExt, depth + 1))
    }
    rules.push(...sheet.rules)
    sheetCache.set(rel, rules)
    return rules
  }
  const appRules = loadSheet('app' + ext.style)
  const pageSheets = (rel: string) => {
    // A page's own sheet is not kept after its page is done (only app-level and imported sheets are).
    const own = loadSheet(rel)
    sheetCache.delete(rel)
    return own
  }

  const parseUnit = (base: string): UnitFacts | undefined => {
    const f = byRel.get(base + ext.template)
    if (!f) return undefined
    const text = readText(f)
    if (text === null) return undefined
    const rules = [...appRules, ...pageSheets(base + ext.style)]
    const facts = parseTemplate(text, rules, units)
    const file = display(f.abs)
    for (const s of facts.syntax) problems.push({kind: 'syntax', file, line: s.line, column: s.column, detail: s.message})
    return {...facts, path: base, file}
  }

  const readJsonData = (rel: string): Record<string, any> | undefined => {
    const f = byRel.get(rel)
    if (!f) return undefined
    const shown = display(f.abs)
    const text = readText(f)
    if (text === null) return undefined
    if (text.trim() === '') return {}
    const err = jsonSyntaxError(text)
    if (err) {
      problems.push({kind: 'syntax', file: shown, ...lineColumn(text, err.offset), detail: err.message})
      return undefined
    }
    try {
      const s = parseStructured({path: shown, text, bytes: f.size, bom: false}, lang)
      collectConfigUrls(s, shown)
      return s.data && typeof s.data === 'object' && !Array.isArray(s.data) ? (s.data as Record<string, any>) : {}
    } catch (error) {
      const loc = (error as InputError).location
      problems.push({kind: 'syntax', file: shown, line: loc?.line ?? 1, column: loc?.column ?? 1, detail: (error as Error).message})
      return undefined
    }
  }

  const configUrls: MiniprogramArtifact['configUrls'] = []
  function collectConfigUrls(s: Structured, file: string) {
    const walk = (v: unknown, p: PathSeg[], depth: number) => {
      if (depth > 12) return
      if (typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(v.trim())) configUrls.push({url: v.trim(), file, ...s.locate(p)})
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i], depth + 1))
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k], depth + 1)
    }
    walk(s.data, [], 0)
  }
  collectConfigUrls(appS, display(appFile))

  // Pages: main package, then each subpackage.
  const listed: Array<{route: string; pkg: string; pointer: string}> = []
  if (Array.isArray(appData.pages)) appData.pages.forEach((p: unknown, i: number) => typeof p === 'string' && listed.push({route: p.replace(/^\//, ''), pkg: 'main', pointer: `/pages/${i}`}))
  const subKey = Array.isArray(appData.subpackages) ? 'subpackages' : Array.isArray(appData.subPackages) ? 'subPackages' : null
  const subRoots: string[] = []
  if (subKey) {
    ;(appData[subKey] as unknown[]).forEach((sp, si) => {
      if (!sp || typeof sp !== 'object') return
      const root = typeof (sp as any).root === 'string' ? (sp as any).root.replace(/^\/|\/$/g, '') : null
      if (!root) return
      subRoots.push(root)
      const pages = (sp as any).pages
      if (Array.isArray(pages)) pages.forEach((p: unknown, i: number) => typeof p === 'string' && listed.push({route: `${root}/${p.replace(/^\//, '')}`, pkg: root, pointer: `/${subKey}/${si}/pages/${i}`}))
    })
  }

  const pages: PageFacts[] = []
  const componentQueue: Array<{base: string; from: string}> = []
  const plugins: MiniprogramArtifact['plugins'] = []
  const appPluginDecl = appData.plugins && typeof appData.plugins === 'object' ? (appData.plugins as Record<string, any>) : {}
  for (const [name, v] of Object.entries(appPluginDecl)) {
    const pos = appS.locate(['plugins', name])
    plugins.push({name, ...(v && typeof v.provider === 'string' ? {provider: v.provider} : {}), file: display(appFile), ...pos})
  }
  /** Queues the components a config declares and returns them as tag → component path (plug-ins are listed apart). */
  const queueComponents = (cfg: Record<string, any> | undefined, fromRel: string, file: string): Record<string, string> => {
    const uses: Record<string, string> = {}
    const uc = cfg?.usingComponents
    if (!uc || typeof uc !== 'object' || Array.isArray(uc)) return uses
    for (const [tag, p] of Object.entries(uc)) {
      if (typeof p !== 'string') continue
      if (p.startsWith('plugin://')) {
        plugins.push({name: tag, provider: p, file, line: 1, column: 1})
        continue
      }
      let base = p.startsWith('/') ? p.slice(1) : posix(path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), p)))
      if (!base.startsWith('.') && !byRel.has(base + ext.template) && byRel.has(`miniprogram_npm/${p}/index${ext.template}`)) base = `miniprogram_npm/${p}/index`
      if (byRel.has(base + '/index' + ext.template)) base = base + '/index'
      if (base.startsWith('.')) continue // outside the mini-program root
      uses[tag.toLowerCase()] = base
      componentQueue.push({base, from: file})
    }
    return uses
  }
  // Components declared in app.json are global: every page and component may use them.
  const globalUses = queueComponents(appData, 'app.json', display(appFile))
  /** The declared components whose tags the unit's elements actually use. */
  const usedBy = (u: UnitFacts | undefined, declared: Record<string, string>): UnitFacts | undefined => {
    if (!u) return u
    const uses: Record<string, string> = {}
    for (const e of u.elements) if (Object.hasOwn(declared, e.tag)) uses[e.tag] = declared[e.tag]
    return {...u, uses}
  }

  for (const l of listed) {
    const files: PageFacts['files'] = {}
    const missing: string[] = []
    for (const [kind, e] of [['template', ext.template], ['style', ext.style], ['script', ext.script], ['config', '.json']] as const) {
      const f = byRel.get(l.route + e) ?? (kind === 'script' ? byRel.get(l.route + '.ts') : undefined)
      if (f) files[kind] = display(f.abs)
      else if (kind === 'template' || kind === 'script') missing.push(e)
    }
    const page: PageFacts = {route: l.route, package: l.pkg, pointer: l.pointer, files, missing}
    const cfg = readJsonData(l.route + '.json')
    let own: Record<string, string> = {}
    if (cfg) {
      page.config = {...(cfg.usingComponents ? {usingComponents: cfg.usingComponents} : {}), ...(cfg.navigationBarTitleText ? {navigationBarTitleText: cfg.navigationBarTitleText} : {}), ...(cfg.defaultTitle ? {defaultTitle: cfg.defaultTitle} : {})}
      own = queueComponents(cfg, l.route + '.json', display(path.join(mpRoot, l.route + '.json')))
    }
    page.template = usedBy(parseUnit(l.route), {...globalUses, ...own})
    if (files.script) page.script = files.script
    pages.push(page)
  }

  const seen = new Set<string>(listed.map((l) => l.route))
  const components: UnitFacts[] = []
  while (componentQueue.length) {
    const c = componentQueue.shift()!
    if (seen.has(c.base)) continue
    seen.add(c.base)
    const cfg = readJsonData(c.base + '.json')
    const own = queueComponents(cfg, c.base + '.json', display(path.join(mpRoot, c.base + '.json')))
    const u = usedBy(parseUnit(c.base), {...globalUses, ...own})
    if (u) components.push(u)
  }
  // Templates not reached as a page or component (import/include targets, leftovers).
  const templates: UnitFacts[] = []
  for (const f of walked.files) {
    if (!f.rel.endsWith(ext.template)) continue
    const base = f.rel.slice(0, -ext.template.length)
    if (seen.has(base)) continue
    seen.add(base)
    const u = parseUnit(base)
    if (u) templates.push(u)
  }
  // Other JSON (sitemap, ext.json, component configs not reached): URLs only.
  for (const f of walked.files) {
    if (!f.rel.endsWith('.json') || f.rel === 'app.json') continue
    const base = f.rel.slice(0, -5)
    if (seen.has(base)) continue
    readJsonData(f.rel)
  }
  const scripts: ScriptEntry[] = []
  for (const f of walked.files) {
    if (!(f.rel.endsWith('.js') || f.rel.endsWith('.mjs') || f.rel.endsWith('.cjs'))) continue
    const text = readText(f)
    if (text === null) continue
    const facts = parseScript(text, NAMESPACES[platform])
    const file = display(f.abs)
    if (facts.syntax) problems.push({kind: 'syntax', file, line: facts.syntax.line, column: facts.syntax.column, detail: facts.syntax.message})
    if (facts.apis.length || facts.urls.length || facts.secrets.length || facts.fontSetting.length) scripts.push({file, rel: f.rel, ...facts})
  }

  // Packages as the developer tool splits them: a file under a subpackage root belongs to it.
  const pkgs = new Map<string, PackageFacts>([['main', {name: 'main', root: '', bytes: 0, files: 0, largest: []}]])
  for (const r of subRoots) pkgs.set(r, {name: r, root: r, bytes: 0, files: 0, largest: []})
  let totalBytes = 0
  for (const f of walked.files) {
    const root = subRoots.find((r) => f.rel === r || f.rel.startsWith(r + '/')) ?? 'main'
    const p = pkgs.get(root)!
    p.bytes += f.size
    p.files++
    totalBytes += f.size
    p.largest.push({file: f.rel, bytes: f.size})
    if (p.largest.length > 20) p.largest = p.largest.sort((a, b) => b.bytes - a.bytes).slice(0, 5)
  }
  for (const p of pkgs.values()) p.largest = p.largest.sort((a, b) => b.bytes - a.bytes || a.file.localeCompare(b.file)).slice(0, 5)

  return {
    platform,
    platformFrom,
    project: display(abs),
    root: display(mpRoot),
    designWidth,
    viewportPx: VIEWPORT_PX,
    projectConfig,
    app: {file: display(appFile), data: appData, positions: positionsOf(appS)},
    pages,
    components,
    templates,
    scripts,
    configUrls,
    plugins,
    packages: [...pkgs.values()],
    totalBytes,
    ignoredFiles: walked.ignored,
    problems,
    metrics: {pages: pages.length, files: walked.files.length, bytes: totalBytes, parsedFiles, durationMs: Date.now() - started},
  }
}
