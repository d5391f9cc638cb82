// `sjt doctor`: is this machine ready to run sjt? Each check gives a status, one line of what
// was found, and for problems one line of what to do. `fail` means something sjt needs is
// missing (exit 3); `warn` is worth fixing but does not stop a check run.
import {accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {execFile} from 'node:child_process'
import path from 'node:path'
import {CHROME_CANDIDATES, findChrome} from '../lib/browser.js'
import {t} from '../lib/i18n/index.js'
import {toolVersion} from '../lib/paths.js'
import {InputError} from '../lib/errors.js'
import type {Lang} from './types.js'

type DoctorStatus = 'ok' | 'warn' | 'fail' | 'skip'

export interface DoctorCheck {
  id: 'node' | 'chrome' | 'fonts' | 'out' | 'server' | 'token'
  label: string
  status: DoctorStatus
  summary: string
  /** What to do, for warn and fail. */
  fix?: string
  details?: Record<string, unknown>
}

export interface DoctorReport {
  tool: {name: 'sjt'; version: string}
  ok: boolean
  checks: DoctorCheck[]
}

export interface DoctorInput {
  lang: Lang
  chromePath?: string
  /** Where the explicit browser path came from, for the message. */
  chromeSource?: string
  outDir: string
  server?: string
  serverSource?: string
  token?: string
  /** Set when the configured token names a variable that is not set. */
  tokenEnvMissing?: string
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
}

const MIN_NODE_MAJOR = 20

export function checkNode(lang: Lang, version = process.version): DoctorCheck {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0)
  const label = t(lang, 'doctor.node')
  if (major >= MIN_NODE_MAJOR) return {id: 'node', label, status: 'ok', summary: t(lang, 'doctor.node.ok', {version, min: MIN_NODE_MAJOR}), details: {version}}
  return {id: 'node', label, status: 'fail', summary: t(lang, 'doctor.node.old', {version, min: MIN_NODE_MAJOR}), fix: t(lang, 'doctor.node.fix'), details: {version}}
}

/** Which install command fits this system: debian, ubuntu, alpine, fedora, darwin, win32 or other. */
export function osFamily(platform: NodeJS.Platform = process.platform, osRelease = readOsRelease()): 'darwin' | 'win32' | 'ubuntu' | 'debian' | 'alpine' | 'fedora' | 'other' {
  if (platform === 'darwin' || platform === 'win32') return platform
  if (platform !== 'linux') return 'other'
  const ids = `${osRelease.ID ?? ''} ${osRelease.ID_LIKE ?? ''}`.toLowerCase()
  if (/\bubuntu\b/.test(ids)) return 'ubuntu'
  if (/\bdebian\b/.test(ids)) return 'debian'
  if (/\balpine\b/.test(ids)) return 'alpine'
  if (/\b(fedora|rhel|centos|rocky|almalinux|anolis|openeuler|kylin)\b/.test(ids)) return 'fedora'
  return 'other'
}

function readOsRelease(): Record<string, string> {
  try {
    const out: Record<string, string> = {}
    for (const line of readFileSync('/etc/os-release', 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim())
      if (m) out[m[1]] = m[2].replace(/^"|"$/g, '')
    }
    return out
  } catch {
    return {}
  }
}

function run(file: string, args: string[], timeoutMs: number): Promise<{code: number | null; stdout: string; stderr: string; error?: Error}> {
  return new Promise((resolve) => {
    execFile(file, args, {timeout: timeoutMs, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024}, (error, stdout, stderr) => {
      const code = (error as {code?: unknown} | null)?.code
      resolve({code: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr, error: error ?? undefined})
    })
  })
}

async function checkChrome(input: DoctorInput): Promise<DoctorCheck> {
  const lang = input.lang
  const env = input.env ?? process.env
  const label = t(lang, 'doctor.chrome')
  const found = findChrome(input.chromePath, env)
  if (!found) {
    const explicit = input.chromePath ?? env.CHROME_PATH
    if (explicit) {
      const source = input.chromePath ? (input.chromeSource ?? '--chrome-path') : 'CHROME_PATH'
      return {
        id: 'chrome',
        label,
        status: 'fail',
        summary: t(lang, 'doctor.chrome.missingExplicit', {source, path: explicit}),
        fix: `${t(lang, 'doctor.chrome.fix.explicit', {source})} ${t(lang, `doctor.chrome.fix.${osFamily()}`)}`,
      }
    }
    const searched = CHROME_CANDIDATES.filter((c) => (process.platform === 'win32' ? c.includes('\\') : c.startsWith('/'))).join(', ')
    return {id: 'chrome', label, status: 'fail', summary: t(lang, 'doctor.chrome.missing', {searched}), fix: t(lang, `doctor.chrome.fix.${osFamily()}`)}
  }
  const r = await run(found, ['--version'], input.timeoutMs ?? 20_000)
  const version = r.stdout.split('\n').map((s) => s.trim()).find(Boolean)
  if (r.error || !version) {
    const detail = (r.error?.message ?? r.stderr).split('\n')[0] || `exit ${r.code}`
    return {id: 'chrome', label, status: 'fail', summary: t(lang, 'doctor.chrome.broken', {path: found, detail}), fix: t(lang, `doctor.chrome.fix.${osFamily()}`), details: {path: found}}
  }
  const short = version.replace(/\s+built on .*$/, '')
  return {id: 'chrome', label, status: 'ok', summary: t(lang, 'doctor.chrome.ok', {path: found, version: short}), details: {path: found, version: short}}
}

async function checkFonts(lang: Lang): Promise<DoctorCheck> {
  const label = t(lang, 'doctor.fonts')
  if (process.platform !== 'linux') return {id: 'fonts', label, status: 'skip', summary: t(lang, 'doctor.fonts.skip')}
  const r = await run('fc-list', [':lang=zh', 'family'], 10_000)
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return {id: 'fonts', label, status: 'skip', summary: t(lang, 'doctor.fonts.skip')}
  const families = [...new Set(r.stdout.split('\n').map((s) => s.split(',')[0].trim()).filter(Boolean))].sort()
  if (families.length === 0) return {id: 'fonts', label, status: 'warn', summary: t(lang, 'doctor.fonts.none'), fix: t(lang, 'doctor.fonts.fix')}
  return {id: 'fonts', label, status: 'ok', summary: t(lang, 'doctor.fonts.ok', {family: families[0], count: families.length}), details: {families}}
}

/** Whether reports can be written: the folder itself, or the nearest existing folder above it. */
function checkOut(lang: Lang, outDir: string): DoctorCheck {
  const label = t(lang, 'doctor.out')
  const dir = path.resolve(outDir)
  const shown = showPath(dir)
  const fail = (detail: string): DoctorCheck => ({id: 'out', label, status: 'fail', summary: t(lang, 'doctor.out.denied', {dir: shown, detail}), fix: t(lang, 'doctor.out.fix', {dir: shown}), details: {dir}})
  let probe = dir
  while (!existsSync(probe)) {
    const parent = path.dirname(probe)
    if (parent === probe) break
    probe = parent
  }
  try {
    if (!statSync(probe).isDirectory()) return fail(`${probe} is a file`)
    accessSync(probe, constants.W_OK)
    // Permission bits do not tell the whole story (read-only mounts, root): really write.
    const tmp = mkdtempSync(path.join(probe, '.sjt-doctor-'))
    rmSync(tmp, {recursive: true, force: true})
  } catch (error) {
    return fail((error as NodeJS.ErrnoException).code ?? (error as Error).message)
  }
  if (probe === dir) return {id: 'out', label, status: 'ok', summary: t(lang, 'doctor.out.ok', {dir: shown}), details: {dir}}
  return {id: 'out', label, status: 'ok', summary: t(lang, 'doctor.out.willCreate', {dir: shown, parent: showPath(probe)}), details: {dir}}
}

function showPath(p: string): string {
  const rel = path.relative(process.cwd(), p)
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel
}

function endpoint(base: string, rel: string): string {
  return new URL(rel, base.endsWith('/') ? base : base + '/').toString()
}

function reason(error: unknown): string {
  const e = error as Error & {cause?: {code?: string; message?: string}}
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout'
  return e.cause?.code ?? e.cause?.message ?? e.message
}

async function checkServer(input: DoctorInput): Promise<DoctorCheck[]> {
  const lang = input.lang
  const label = t(lang, 'doctor.server')
  const tokenLabel = t(lang, 'doctor.token')
  if (!input.server) return [{id: 'server', label, status: 'skip', summary: t(lang, 'doctor.server.none'), fix: t(lang, 'doctor.server.noneHint')}]
  let base: string
  try {
    const u = new URL(input.server)
    if (!/^https?:$/.test(u.protocol)) throw new Error('scheme')
    base = u.toString().replace(/\/+$/, '')
  } catch {
    throw new InputError(t(lang, 'doctor.server.badUrl', {value: input.server}), undefined, t(lang, 'doctor.server.badUrl.hint'))
  }
  const source = input.serverSource ?? '--server'
  const timeout = input.timeoutMs ?? 5000
  const checks: DoctorCheck[] = []
  let reachable = false
  try {
    const res = await fetch(endpoint(base, 'healthz'), {signal: AbortSignal.timeout(timeout), headers: {accept: 'application/json'}})
    await res.arrayBuffer()
    if (res.ok) {
      reachable = true
      checks.push({id: 'server', label, status: 'ok', summary: t(lang, 'doctor.server.ok', {url: base, source}), details: {url: base, status: res.status}})
    } else {
      checks.push({id: 'server', label, status: 'fail', summary: t(lang, 'doctor.server.status', {url: base, status: res.status}), fix: t(lang, 'doctor.server.fix'), details: {url: base, status: res.status}})
    }
  } catch (error) {
    checks.push({id: 'server', label, status: 'fail', summary: t(lang, 'doctor.server.unreachable', {url: base, source, detail: reason(error)}), fix: t(lang, 'doctor.server.fix'), details: {url: base}})
  }
  if (input.tokenEnvMissing) {
    checks.push({id: 'token', label: tokenLabel, status: 'warn', summary: t(lang, 'doctor.token.envMissing', {name: input.tokenEnvMissing}), fix: t(lang, 'doctor.token.noneFix')})
  } else if (!input.token) {
    checks.push({id: 'token', label: tokenLabel, status: 'warn', summary: t(lang, 'doctor.token.none'), fix: t(lang, 'doctor.token.noneFix')})
  } else if (!reachable) {
    checks.push({id: 'token', label: tokenLabel, status: 'skip', summary: t(lang, 'doctor.token.skip')})
  } else {
    try {
      const res = await fetch(endpoint(base, 'v1/apps'), {signal: AbortSignal.timeout(timeout), headers: {accept: 'application/json', authorization: `Bearer ${input.token}`}})
      await res.arrayBuffer()
      if (res.ok) checks.push({id: 'token', label: tokenLabel, status: 'ok', summary: t(lang, 'doctor.token.ok', {status: res.status})})
      else if (res.status === 401 || res.status === 403) checks.push({id: 'token', label: tokenLabel, status: 'fail', summary: t(lang, 'doctor.token.refused', {status: res.status}), fix: t(lang, 'doctor.token.refusedFix')})
      else checks.push({id: 'token', label: tokenLabel, status: 'fail', summary: t(lang, 'doctor.token.status', {status: res.status}), fix: t(lang, 'doctor.server.fix')})
    } catch (error) {
      checks.push({id: 'token', label: tokenLabel, status: 'fail', summary: t(lang, 'doctor.server.unreachable', {url: base, source, detail: reason(error)}), fix: t(lang, 'doctor.server.fix')})
    }
  }
  return checks
}

export async function doctor(input: DoctorInput): Promise<DoctorReport> {
  const [chrome, fonts, server] = await Promise.all([checkChrome(input), checkFonts(input.lang), checkServer(input)])
  const checks = [checkNode(input.lang), chrome, fonts, checkOut(input.lang, input.outDir), ...server]
  return {tool: {name: 'sjt', version: toolVersion()}, ok: !checks.some((c) => c.status === 'fail'), checks}
}

export function renderDoctor(report: DoctorReport, lang: Lang, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\u001B[${code}m${s}\u001B[39m` : s)
  const mark: Record<DoctorStatus, string> = {ok: paint(32, '✔'), warn: paint(33, '!'), fail: paint(31, '✖'), skip: paint(90, '–')}
  const width = Math.max(...report.checks.map((c) => displayWidth(c.label)))
  const lines = [t(lang, 'doctor.title', {version: report.tool.version})]
  for (const c of report.checks) {
    lines.push(`  ${mark[c.status]} ${c.label}${' '.repeat(width - displayWidth(c.label))}  ${c.summary}`)
    if (c.fix && (c.status === 'fail' || c.status === 'warn')) lines.push(`    → ${c.fix}`)
  }
  const problems = report.checks.filter((c) => c.status === 'fail').length
  lines.push('', problems ? paint(31, t(lang, 'doctor.summary.fail', {count: problems})) : paint(32, t(lang, 'doctor.summary.ok')))
  return lines.join('\n') + '\n'
}

/** Terminal columns of a string: CJK characters take two. */
function displayWidth(s: string): number {
  let w = 0
  for (const ch of s) w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(ch) ? 2 : 1
  return w
}
