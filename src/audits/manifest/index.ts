// Manifest rules MAN-001 … MAN-016: pure functions over the manifest artifact.
import type {AuditContext, CategoryModule, CheckFn, Location, RawFinding} from '../../core/types.js'
import type {ManifestArtifact} from '../../artifacts/manifest.js'
import {t} from '../../lib/i18n/index.js'
import {creditCodeProblem, isValidEmail, isValidPhone, looksLikeCreditCode, regionName} from '../../lib/identifiers.js'
import {pathToPointer, type PathSeg} from '../../lib/source.js'
import {validateManifestData} from './validate.js'
import {obj} from '../../lib/values.js'
import type {PageArtifact} from '../../artifacts/page.js'
import type {ElderFacts} from '../../artifacts/page.js'
import type {ContractArtifact} from '../../artifacts/contract.js'
import {operationsOf} from '../../lib/openapi/model.js'
import type {HttpArtifact} from '../../artifacts/http.js'
import {loginPattern, type AuthConfig} from '../../core/auth.js'

export const requires = ['manifest']

type Ctx = AuditContext & {artifacts: {manifest?: ManifestArtifact | null}}

/** Location of a node of the manifest (falls back to the nearest ancestor that exists). */
export function at(m: ManifestArtifact, path: PathSeg[], key = false): Location {
  let p = [...path]
  for (;;) {
    const ptr = pathToPointer(p)
    const pos = (key ? m.keys[ptr] : undefined) ?? m.positions[ptr]
    if (pos) return {file: m.file, line: pos[0], column: pos[1], pointer: pathToPointer(path)}
    if (p.length === 0) return {file: m.file, pointer: pathToPointer(path)}
    p = p.slice(0, -1)
  }
}

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : [])
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined)

/** Wraps a check so that it only runs when there is a manifest; otherwise not-applicable. */
function withManifest(fn: (m: ManifestArtifact, ctx: Ctx) => RawFinding[]): CheckFn {
  return (ctx) => {
    const m = (ctx as Ctx).artifacts.manifest
    if (!m) return [{status: 'not-applicable', message: t(ctx.lang, 'manifest.none')}]
    return fn(m, ctx as Ctx)
  }
}

const pass = (message: string, location?: Location): RawFinding => ({status: 'pass', message, ...(location ? {location} : {})})
const fail = (message: string, location?: Location, details?: Record<string, unknown>): RawFinding => ({status: 'fail', message, ...(location ? {location} : {}), ...(details ? {details} : {})})

/** A `<…>` placeholder `sjt init` left in a value (`<host>`, `<app-id>`, `<统一社会信用代码>`), if any. */
export function placeholderIn(v: string): string | undefined {
  return /<[^<>\s]{1,40}>/.exec(v)?.[0]
}

/** Every string value of the manifest with its path. */
function strings(v: unknown, p: PathSeg[], out: Array<[PathSeg[], string]> = []): Array<[PathSeg[], string]> {
  if (typeof v === 'string') out.push([p, v])
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, [...p, i], out))
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, [...p, k], out)
  return out
}

const schema = withManifest((m, ctx) => {
  // Placeholders left by `sjt init` say "fill in …" rather than the schema's pattern message.
  const filled: RawFinding[] = []
  const placeholderAt = new Set<string>()
  for (const [p, v] of strings(m.data, [])) {
    const placeholder = placeholderIn(v)
    if (!placeholder || /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) continue // URLs: MAN-005 and MAN-010 say it
    placeholderAt.add(pathToPointer(p))
    filled.push(fail(t(ctx.lang, 'MAN-001.placeholder', {pointer: pathToPointer(p), value: v, placeholder}), at(m, p), {key: pathToPointer(p) + ' placeholder'}))
  }
  const errors = validateManifestData(m.data, ctx.lang).filter((e) => !placeholderAt.has(e.pointer))
  if (errors.length === 0 && filled.length === 0) return [pass(t(ctx.lang, 'MAN-001.pass'), at(m, []))]
  return [...filled, ...errors.map((e) => fail(t(ctx.lang, 'MAN-001.fail', {pointer: e.pointer || '/', detail: e.message}), at(m, e.path, e.atKey), {key: e.pointer + ' ' + e.keyword}))]
})

const creditCode = withManifest((m, ctx) => {
  const out: RawFinding[] = []
  for (const field of (ctx.params.fields as string[]) ?? ['owner.creditCode']) {
    const path = field.split('.')
    const value = str(path.reduce<any>((o, k) => obj(o)?.[k], m.data))
    if (value === undefined) {
      if (path[0] === 'owner') out.push(fail(t(ctx.lang, 'MAN-002.missing', {field}), at(m, path)))
      continue
    }
    const problem = creditCodeProblem(value)
    if (problem) out.push(fail(t(ctx.lang, `MAN-002.${problem}`, {field, value}), at(m, path), {key: field}))
    else out.push(pass(t(ctx.lang, 'MAN-002.pass', {field}), at(m, path)))
  }
  return out
})

const regionCode = withManifest((m, ctx) => {
  const code = str(obj(m.data.owner)?.regionCode)
  const loc = at(m, ['owner', 'regionCode'])
  if (code === undefined) return [fail(t(ctx.lang, 'MAN-003.missing'), loc)]
  const prov = String(ctx.params.province ?? '14')
  if (!/^\d{6}$/.test(code)) return [fail(t(ctx.lang, 'MAN-003.shape', {value: code}), loc)]
  if (!code.startsWith(prov)) return [fail(t(ctx.lang, 'MAN-003.outside', {value: code}), loc)]
  const name = regionName(code)
  if (!name) return [fail(t(ctx.lang, 'MAN-003.unknown', {value: code}), loc)]
  return [pass(t(ctx.lang, 'MAN-003.pass', {value: code, name}), loc)]
})

const level = withManifest((m, ctx) => {
  const owner = obj(m.data.owner)
  const code = str(owner?.regionCode)
  const lvl = str(owner?.level)
  if (!code || !/^\d{6}$/.test(code) || !lvl) return [{status: 'not-applicable', message: t(ctx.lang, 'MAN-004.na')}]
  const expected = /^\d{2}0000$/.test(code) ? 'province' : /^\d{4}00$/.test(code) ? 'city' : 'county'
  const loc = at(m, ['owner', 'level'])
  if (lvl !== expected) return [fail(t(ctx.lang, 'MAN-004.fail', {level: lvl, code, expected}), loc)]
  return [pass(t(ctx.lang, 'MAN-004.pass', {level: lvl, code}), loc)]
})

const https = withManifest((m, ctx) => {
  const out: RawFinding[] = []
  let seen = 0
  const walk = (v: unknown, p: PathSeg[]) => {
    if (typeof v === 'string') {
      const mm = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(v.trim())
      if (mm) {
        seen++
        const placeholder = placeholderIn(v)
        if (placeholder) out.push(fail(t(ctx.lang, 'MAN-005.placeholder', {pointer: pathToPointer(p), value: v, placeholder}), at(m, p), {key: pathToPointer(p)}))
        else if (mm[1].toLowerCase() !== 'https') out.push(fail(t(ctx.lang, 'MAN-005.fail', {pointer: pathToPointer(p), value: v}), at(m, p), {key: pathToPointer(p)}))
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]))
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k])
  }
  walk(m.data, [])
  if (out.length === 0) out.push(pass(t(ctx.lang, 'MAN-005.pass', {count: seen}), at(m, [])))
  return out
})

const elderEntry = withManifest((m, ctx) => {
  const app = obj(m.data.app)
  const channels = arr(app?.channels).map(String)
  const needing = ((ctx.params.channels as string[]) ?? ['app', 'miniprogram']).filter((c) => channels.includes(c))
  if (needing.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, 'MAN-006.na')}]
  const v = str(app?.elderEntry)
  if (!v || v.trim() === '') return [fail(t(ctx.lang, 'MAN-006.fail', {channels: needing.join(', ')}), at(m, ['app', 'channels']))]
  return [pass(t(ctx.lang, 'MAN-006.pass'), at(m, ['app', 'elderEntry']))]
})

const serviceCodes = withManifest((m, ctx) => {
  const out: RawFinding[] = []
  const min = Number(ctx.params.minLength ?? 20)
  const max = Number(ctx.params.maxLength ?? 36)
  const seen = new Map<string, number>()
  arr(m.data.services).forEach((s, i) => {
    const code = str(obj(s)?.code)
    const p = ['services', i, 'code']
    if (code === undefined) return
    if (code.length < min || code.length > max || !/^[0-9A-Z]+$/.test(code)) {
      out.push(fail(t(ctx.lang, 'MAN-007.shape', {value: code, min, max}), at(m, p), {key: `shape ${i}`}))
    } else if (looksLikeCreditCode(code) && creditCodeProblem(code.slice(0, 18))) {
      out.push(fail(t(ctx.lang, 'MAN-007.credit', {value: code, prefix: code.slice(0, 18)}), at(m, p), {key: `credit ${i}`}))
    }
    if (seen.has(code)) out.push(fail(t(ctx.lang, 'MAN-007.duplicate', {value: code, first: seen.get(code)! + 1}), at(m, p), {key: `dup ${code}`}))
    else seen.set(code, i)
  })
  if (out.length === 0) out.push(pass(t(ctx.lang, 'MAN-007.pass', {count: seen.size}), at(m, ['services'])))
  return out
})

const RATING = /好差评|评价|满意度|评分|打分|rate|rating|evaluat/i
const RATING_PATH = /evaluat|rating|pingjia|haocha|好差评|评价/i

/**
 * MAN-008 — every service declares 好差评 (evaluation: true), and where the run saw more than the
 * manifest the declaration is checked: each visited service page offers a rating entry (a link
 * or control named 评价/好差评/满意度 …), and the contract has the evaluation endpoint.
 */
const evaluation = withManifest((m, ctx) => {
  const out: RawFinding[] = []
  const services = arr(m.data.services)
  services.forEach((s, i) => {
    if (obj(s)?.evaluation !== true) {
      const name = str(obj(s)?.name) ?? `#${i + 1}`
      out.push(fail(t(ctx.lang, 'MAN-008.fail', {name}), at(m, ['services', i, 'evaluation']), {key: String(i)}))
    }
  })
  if (services.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, 'MAN-008.na')}]
  let measured = false
  const page = ctx.artifacts.page as PageArtifact | undefined
  for (const v of (page && Array.isArray(page.pages) ? page.pages : []).filter((p) => p.role === 'service' && !p.error && !p.skipped)) {
    const f = v.probes?.elder as ElderFacts | undefined
    if (!f || !Array.isArray(f.targets)) continue
    measured = true
    const entry = [...f.targets.map((x) => x.text), ...(f.links ?? []).map((l) => l.text)].find((x) => RATING.test(x ?? ''))
    if (!entry) out.push({status: 'fail', evidence: 'measured', message: t(ctx.lang, 'MAN-008.noEntry', {name: v.name ?? v.url, url: v.url}), location: {url: v.url}, details: {key: `page ${v.url}`}})
  }
  const contract = ctx.artifacts.contract as ContractArtifact | undefined
  if (contract && contract.usable && contract.main && contract.docs?.[contract.main]) {
    measured = true
    const ops = operationsOf(contract.docs, contract.main)
    if (!ops.some((o) => RATING_PATH.test(`${o.path} ${String((o.node.value as {operationId?: unknown})?.operationId ?? '')}`))) out.push({status: 'fail', evidence: 'measured', message: t(ctx.lang, 'MAN-008.noEndpoint', {file: contract.file ?? ''}), details: {key: 'contract'}})
  }
  if (out.length === 0) out.push({...pass(t(ctx.lang, measured ? 'MAN-008.passMeasured' : 'MAN-008.pass', {count: services.length}), at(m, ['services'])), evidence: measured ? 'measured' : 'declared'})
  return out
})

const personalInfo = withManifest((m, ctx) => {
  const out: RawFinding[] = []
  const sensitive = (ctx.params.sensitive as string[]) ?? []
  const items = arr(obj(m.data.privacy)?.personalInfo)
  items.forEach((it, i) => {
    const o = obj(it)
    const item = str(o?.item) ?? `#${i + 1}`
    if (!str(o?.purpose)?.trim()) out.push(fail(t(ctx.lang, 'MAN-009.purpose', {item}), at(m, ['privacy', 'personalInfo', i]), {key: `purpose ${item}`}))
    if (sensitive.includes(item) && o?.required !== true && !str(o?.reason)?.trim()) {
      out.push(fail(t(ctx.lang, 'MAN-009.sensitive', {item}), at(m, ['privacy', 'personalInfo', i]), {key: `sensitive ${item}`}))
    }
  })
  if (items.length === 0) return [{status: 'not-applicable', message: t(ctx.lang, 'MAN-009.na')}]
  if (out.length === 0) out.push(pass(t(ctx.lang, 'MAN-009.pass', {count: items.length}), at(m, ['privacy', 'personalInfo'])))
  return out
})

const privacyPolicy = withManifest((m, ctx) => {
  const v = str(obj(m.data.privacy)?.policyUrl)
  if (!v || !v.trim()) return [fail(t(ctx.lang, 'MAN-010.fail'), at(m, ['privacy', 'policyUrl']))]
  const placeholder = placeholderIn(v)
  if (placeholder) return [fail(t(ctx.lang, 'MAN-010.placeholder', {placeholder, url: v}), at(m, ['privacy', 'policyUrl']))]
  return [pass(t(ctx.lang, 'MAN-010.pass', {url: v}), at(m, ['privacy', 'policyUrl']))]
})

/**
 * MAN-011 — the provincial unified identity is declared, and where the run fetched the pages the
 * manifest marks `auth: required` (the HTTP collector asks them as an anonymous visitor) the
 * declaration is checked: each must send the visitor to the identity service's origin
 * (identity.loginUrl; without it, to a URL that looks like a login, auth.loginPattern). A page
 * that serves content, refuses, or redirects elsewhere fails on measured evidence.
 */
const identity = withManifest((m, ctx) => {
  const id = obj(m.data.identity)
  const want = String(ctx.params.provider ?? 'sx-unified-identity')
  const provider = str(id?.provider)
  if (!provider) return [fail(t(ctx.lang, 'MAN-011.missing', {want}), at(m, ['identity']))]
  if (provider !== want) {
    const reason = str(id?.reason)?.trim()
    return [fail(t(ctx.lang, reason ? 'MAN-011.otherReason' : 'MAN-011.other', {provider, want, reason}), at(m, ['identity', 'provider']))]
  }
  const http = ctx.artifacts.http as HttpArtifact | undefined
  const declaredLogin = http?.identityLogin
  let expected: string | undefined
  try {
    expected = declaredLogin ? new URL(declaredLogin).origin : undefined
  } catch {
    expected = undefined // not a URL: MAN-001 says so
  }
  let pattern: RegExp
  try {
    pattern = loginPattern(http?.loginPattern ? ({loginPattern: http.loginPattern} as AuthConfig) : undefined)
  } catch {
    pattern = loginPattern()
  }
  const originOf = (u: string) => {
    try {
      return new URL(u).origin
    } catch {
      return u
    }
  }
  const out: RawFinding[] = []
  let probed = 0
  for (const p of Array.isArray(http?.protectedPages) ? http!.protectedPages : []) {
    const chain = Array.isArray(p.fetch?.chain) ? p.fetch.chain : []
    const after = chain.slice(1).map((h) => h.url)
    // Nobody answered the page itself: nothing was measured for it.
    if (after.length === 0 && (p.fetch.error || p.fetch.status === undefined)) continue
    probed++
    const name = p.name ?? p.url
    const key = {key: `page ${p.url}`}
    const reached = after.find((u) => (expected ? originOf(u) === expected : pattern.test(u)))
    if (reached) continue
    if (after.length === 0) {
      const status = p.fetch.status ?? 0
      const msg = status >= 200 && status < 300 ? 'MAN-011.serves' : 'MAN-011.noRedirect'
      out.push({status: 'fail', evidence: 'measured', message: t(ctx.lang, msg, {name, url: p.url, status, want: expected ?? pattern.source}), location: {url: p.url}, details: key})
    } else {
      out.push({status: 'fail', evidence: 'measured', message: t(ctx.lang, expected ? 'MAN-011.elsewhere' : 'MAN-011.notLogin', {name, url: p.url, to: after[after.length - 1], want: expected ?? pattern.source}), location: {url: p.url}, details: {...key, chain: chain.map((h) => h.url)}})
    }
  }
  if (out.length) return out
  if (probed === 0) return [{...pass(t(ctx.lang, 'MAN-011.pass'), at(m, ['identity', 'provider'])), evidence: 'declared'}]
  return [{...pass(t(ctx.lang, expected ? 'MAN-011.passMeasured' : 'MAN-011.passPattern', {count: probed, want: expected ?? pattern.source}), at(m, ['identity', 'provider'])), evidence: 'measured'}]
})

const entryHost = withManifest((m, ctx) => {
  const entry = str(obj(m.data.app)?.entry)
  let host: string
  try {
    host = new URL(entry ?? '').hostname.toLowerCase()
  } catch {
    return [{status: 'not-applicable', message: t(ctx.lang, 'MAN-012.na')}]
  }
  const loc = at(m, ['app', 'entry'])
  const suffixes = (ctx.params.suffixes as string[]) ?? ['gov.cn']
  if (suffixes.some((s) => host === s || host.endsWith('.' + s))) return [pass(t(ctx.lang, 'MAN-012.gov', {host}), loc)]
  const declared = arr(obj(m.data.privacy)?.thirdParties).find((p) => str(obj(p)?.host)?.toLowerCase() === host)
  if (declared && (str(declared.reason)?.trim() || str(declared.purpose)?.trim())) return [pass(t(ctx.lang, 'MAN-012.declared', {host}), loc)]
  return [fail(t(ctx.lang, 'MAN-012.fail', {host}), loc)]
})

const contact = withManifest((m, ctx) => {
  const out: RawFinding[] = []
  for (const section of ['owner', 'operator']) {
    const c = obj(obj(m.data[section])?.contact)
    if (!c) continue
    const phone = str(c.phone)
    if (phone !== undefined) {
      if (!isValidPhone(phone)) out.push(fail(t(ctx.lang, 'MAN-013.phone', {value: phone}), at(m, [section, 'contact', 'phone']), {key: `${section} phone`}))
      else out.push(pass(t(ctx.lang, 'MAN-013.phoneOk', {section}), at(m, [section, 'contact', 'phone'])))
    } else if (section === 'owner') out.push(fail(t(ctx.lang, 'MAN-013.noPhone'), at(m, [section, 'contact']), {key: `${section} phone`}))
    const email = str(c.email)
    if (email !== undefined) {
      if (!isValidEmail(email.trim())) out.push(fail(t(ctx.lang, 'MAN-013.email', {value: email}), at(m, [section, 'contact', 'email']), {key: `${section} email`}))
      else out.push(pass(t(ctx.lang, 'MAN-013.emailOk', {section}), at(m, [section, 'contact', 'email'])))
    }
  }
  if (out.length === 0) out.push({status: 'not-applicable', message: t(ctx.lang, 'MAN-013.na')})
  return out
})

const mlps = withManifest((m, ctx) => {
  const ml = obj(obj(m.data.security)?.mlps)
  const loc = at(m, ['security', 'mlps'])
  if (!ml) return [fail(t(ctx.lang, 'MAN-014.missing'), loc)]
  const out: RawFinding[] = []
  const min = Number(ctx.params.minLevel ?? 2)
  const lv = typeof ml.level === 'number' ? ml.level : Number(ml.level)
  if (!Number.isFinite(lv) || lv < min) out.push(fail(t(ctx.lang, 'MAN-014.level', {level: String(ml.level ?? '—'), min}), at(m, ['security', 'mlps', 'level']), {key: 'level'}))
  const filing = str(ml.filing)
  const re = new RegExp(String(ctx.params.filingPattern ?? '^\\d{11}-\\d{5}$'))
  if (!filing || !re.test(filing.trim())) out.push(fail(t(ctx.lang, 'MAN-014.filing', {value: filing ?? '—'}), at(m, ['security', 'mlps', 'filing']), {key: 'filing'}))
  if (out.length === 0) out.push(pass(t(ctx.lang, 'MAN-014.pass', {level: lv}), loc))
  return out
})

const crypto = withManifest((m, ctx) => {
  const c = obj(obj(m.data.security)?.crypto)
  const loc = at(m, ['security', 'crypto'])
  if (!c) return [fail(t(ctx.lang, 'MAN-015.missing'), loc)]
  const expect = (ctx.params.expect as Record<string, string>) ?? {signature: 'SM2', digest: 'SM3', storage: 'SM4'}
  const missing = Object.entries(expect).filter(([k, alg]) => !(str(c[k]) ?? '').toUpperCase().includes(alg.toUpperCase()))
  if (missing.length === 0) return [pass(t(ctx.lang, 'MAN-015.pass'), loc)]
  // A reason explains a gap; it does not close it (GB/T 39786-2021 asks for the algorithms).
  const reason = str(c.reason)?.trim()
  const need = missing.map(([k, a]) => `${k}: ${a}`).join(', ')
  if (reason) return [fail(t(ctx.lang, 'MAN-015.reason', {reason, missing: need}), loc, {missing: Object.fromEntries(missing)})]
  return [fail(t(ctx.lang, 'MAN-015.fail', {missing: need}), loc, {missing: Object.fromEntries(missing)})]
})

/**
 * MAN-016 — the app joins 三晋通 (app.channels names one of its mobile channels: the App, the
 * mini-program, the 公众号) and the department keeps no standalone mobile end of its own
 * (app.standalone declared false). Both rest on the manifest's declaration.
 */
const channelDeclaration = withManifest((m, ctx) => {
  const app = obj(m.data.app)
  const channels = arr(app?.channels).map(String)
  const platform = (ctx.params.channels as string[]) ?? ['app', 'miniprogram', 'official-account']
  const out: RawFinding[] = []
  const joined = channels.filter((c) => platform.includes(c))
  if (joined.length === 0) out.push(fail(t(ctx.lang, 'MAN-016.notJoined', {channels: channels.join(', ') || '—', want: platform.join(', ')}), at(m, ['app', 'channels']), {key: 'channels'}))
  const standalone = app?.standalone
  if (standalone === undefined) out.push(fail(t(ctx.lang, 'MAN-016.undeclared'), at(m, ['app']), {key: 'standalone'}))
  else if (standalone === true) {
    const reason = str(app?.standaloneReason)?.trim()
    out.push(fail(t(ctx.lang, reason ? 'MAN-016.standaloneReason' : 'MAN-016.standalone', {reason}), at(m, ['app', 'standalone']), {key: 'standalone'}))
  }
  if (out.length === 0) out.push(pass(t(ctx.lang, 'MAN-016.pass', {channels: joined.join(', ')}), at(m, ['app', 'channels'])))
  return out
})

export const checks: CategoryModule['checks'] = {
  channelDeclaration,
  schema,
  creditCode,
  regionCode,
  level,
  https,
  elderEntry,
  serviceCodes,
  evaluation,
  personalInfo,
  privacyPolicy,
  identity,
  entryHost,
  contact,
  mlps,
  crypto,
}
