// The live contract probe (API-009, API-010): calls each GET operation of the contract that has
// examples or enough schema to build a request, against --api-base (or the contract's servers[0]),
// validates status, Content-Type, required headers and body against the declared response with
// ajv, and measures latency. Writes (POST/PUT/PATCH/DELETE) only with --probe-writes.
import tls from 'node:tls'
import {readFileSync} from 'node:fs'
import type {GatherContext} from '../core/types.js'
import {artifactError} from '../artifacts/index.js'
import {noSessionReason, sessionHeadersFor} from '../core/auth.js'
import {t} from '../lib/i18n/index.js'
import {effectiveSecurity, isObj, operationsOf, serverUrl} from '../lib/openapi/model.js'
import type {ContractArtifact} from '../artifacts/contract.js'
import {judge, sessionCovers} from './apiprobe/judge.js'
import {bodyFor, buildRequest} from './apiprobe/request.js'
import {send, type NetFailure} from './apiprobe/send.js'
import {timings} from './apiprobe/stats.js'
import {appOrigins} from './page.js'
import type {ProbeAuth} from './apiprobe/types.js'
import type {ApiProbeArtifact, ProbeResult} from '../artifacts/apiprobe.js'

export type {ProbeAuth} from './apiprobe/types.js'
export {percentile, timings} from './apiprobe/stats.js'
export {sampleValue, fromPattern} from './apiprobe/sample.js'
export {buildRequest} from './apiprobe/request.js'
export {send} from './apiprobe/send.js'
export {sessionCovers, toJsonSchema} from './apiprobe/judge.js'

export const after = ['contract']

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete'])

// ---- the collector ----------------------------------------------------------------------------

export async function collect(ctx: GatherContext): Promise<ApiProbeArtifact> {
  const {lang} = ctx.options
  const empty = (note: string): ApiProbeArtifact => ({base: null, source: null, note, operations: [], metrics: {base: null, requests: 0, operations: {}}})
  const art = ctx.artifacts.contract as ContractArtifact | undefined
  if (!art || artifactError(art) || !art.declared || !art.usable || !art.main) return empty(t(lang, 'apiprobe.noContract'))
  const docs = art.docs
  const data = docs[art.main].data as Record<string, any>
  let base: string | null = null
  let source: ApiProbeArtifact['source'] = null
  if (ctx.options.apiBase) {
    base = ctx.options.apiBase
    source = 'api-base'
  } else {
    const url = Array.isArray(data.servers) ? serverUrl(data.servers[0]) : null
    if (url && /^https?:\/\//i.test(url)) {
      base = url
      source = 'servers'
    }
  }
  if (!base) return empty(t(lang, 'API-009.noBase'))

  const params = ctx.profile.rules.find((r) => r.id === 'API-009')?.params ?? {}
  const maxOps = Number(params.maxOperations ?? 200)
  const maxBytes = Number(params.maxBodyBytes ?? 5 * 1024 * 1024)
  const n = Math.max(1, ctx.options.probeRequests || 5)
  const timeoutMs = ctx.options.timeoutMs || 30_000
  let ca: string[] | undefined
  if (ctx.options.ca) ca = [...tls.rootCertificates, readFileSync(ctx.options.ca, 'utf8')]
  const auth = ctx.shared.get('auth') as unknown as ProbeAuth | undefined
  // The session's headers go only to the app's own origins (its pages and --api-base), never to a
  // host that the contract's servers[0] names (a contract must not carry a token elsewhere); its
  // cookies go wherever their domain matches, as a browser would send them.
  let baseOrigin = ''
  try {
    baseOrigin = new URL(base).origin
  } catch {
    // a bad base fails every request below with its reason
  }
  const own = appOrigins(ctx)
  const sessionHeaders = auth && isObj(auth.headers) ? auth.headers : {}
  let withheld: string | undefined
  if (Object.keys(sessionHeaders).length > 0 && baseOrigin && !own.has(baseOrigin)) {
    withheld = t(lang, 'auth.headersWithheld', {origin: baseOrigin, own: [...own].join(', ') || '-'})
    ctx.options.progress?.(withheld)
  }
  const authHeadersFor = (url: string): Record<string, string> => (auth ? sessionHeadersFor({headers: sessionHeaders, cookies: Array.isArray(auth.cookies) ? auth.cookies : []}, url, own) : {})
  const openapi30 = String(art.version ?? '').startsWith('3.0')
  const cache = new Map<string, any>()

  const results: ProbeResult[] = []
  const metrics: ApiProbeArtifact['metrics'] = {base, requests: 0, operations: {}}
  let hostDown: NetFailure | null = null
  let timeouts = 0
  let probed = 0
  let writesSkipped = 0
  // Operations whose $ref was not loaded: said once, as "cannot be judged".
  const unresolved: Array<{label: string; method: string; doc: string; pointer: string; ref: string}> = []
  for (const op of operationsOf(docs, art.main)) {
    const isWrite = WRITE_METHODS.has(op.method)
    if (op.method !== 'get' && !(isWrite && ctx.options.probeWrites)) {
      if (isWrite) writesSkipped++
      continue
    }
    const where = {label: op.label, method: op.method, doc: op.node.doc, pointer: op.node.pointer}
    if (op.unresolved) {
      unresolved.push({...where, ref: op.unresolved})
      continue
    }
    if (probed >= maxOps) {
      results.push({...where, verdict: 'skipped', message: t(lang, 'apiprobe.limit', {max: maxOps})})
      continue
    }
    const req = buildRequest(docs, op, base)
    const body = isWrite ? bodyFor(docs, op) : {ok: true}
    if (!req || !body.ok) {
      results.push({...where, verdict: 'skipped', message: t(lang, 'apiprobe.noExample', {op: op.label})})
      continue
    }
    probed++
    const r: ProbeResult = {...where, url: req.url, verdict: 'pass', message: ''}
    if (hostDown) {
      results.push({...r, verdict: 'error', message: t(lang, `apiprobe.net.${hostDown.kind}`, {url: req.url, detail: hostDown.detail, ms: timeoutMs, max: maxBytes})})
      continue
    }
    ctx.options.progress?.(`probe ${op.label}`)
    const samples: number[] = []
    let problem: string | undefined
    let authNeeded = false
    let net: NetFailure | null = null
    let status = 0
    const authHeaders = authHeadersFor(req.url)
    // The document's own root (its security and schemes), also for operations held in other files.
    const opRoot = data
    const hadAuth = Object.keys(authHeaders).length > 0 && sessionCovers(opRoot, effectiveSecurity(opRoot, op.node).reqs, authHeaders)
    for (let i = 0; i < n; i++) {
      const sent = {...req.headers, ...authHeaders, ...(req.headers.cookie && authHeaders.cookie ? {cookie: `${req.headers.cookie}; ${authHeaders.cookie}`} : {})}
      const ans = await send(req.url, {method: op.method, headers: sent, body: 'body' in body ? body.body : undefined, timeoutMs, ca, maxBytes})
      metrics.requests++
      if ('kind' in ans) {
        net = ans
        break
      }
      samples.push(ans.ms)
      status = ans.status
      const j = judge(docs, op, ans, lang, hadAuth, openapi30, cache, false)
      if (j.authNeeded) {
        authNeeded = true
        break
      }
      if (!j.ok && !problem) problem = j.problem
      if (!j.ok) break
    }
    if (net) {
      const msg = t(lang, `apiprobe.net.${net.kind}`, {url: req.url, detail: net.detail, ms: timeoutMs, max: maxBytes})
      results.push({...r, verdict: 'error', message: msg})
      if (net.kind === 'refused' || net.kind === 'dns' || net.kind === 'tls') hostDown = net
      if (net.kind === 'timeout' && ++timeouts >= 3) hostDown = {kind: 'tooManyTimeouts' as NetFailure['kind'], detail: ''}
      continue
    }
    timeouts = 0
    if (authNeeded) {
      results.push({...r, verdict: 'skipped', status, message: withheld ? t(lang, 'auth.probeSkipped', {op: op.label, status, reason: withheld}) : auth ? t(lang, 'auth.probeNotCovered', {op: op.label, status}) : ctx.options.auth ? t(lang, 'auth.probeSkipped', {op: op.label, status, reason: noSessionReason(ctx)}) : t(lang, 'apiprobe.needsAuth', {op: op.label, status})})
      continue
    }
    const tm = timings(samples)
    metrics.operations[op.label] = {p50: tm.p50, p95: tm.p95, n: tm.count}
    if (problem) results.push({...r, verdict: 'fail', status, message: t(lang, 'apiprobe.fail', {op: op.label, problem}), timings: tm})
    else results.push({...r, verdict: 'pass', status, message: t(lang, req.synthesised ? 'apiprobe.passSynth' : 'apiprobe.pass', {op: op.label, status, n: tm.count, p95: tm.p95}), timings: tm})
  }
  if (unresolved.length) {
    const u = unresolved[0]
    results.push({label: u.label, method: u.method, doc: u.doc, pointer: u.pointer, verdict: 'error', message: t(lang, 'contract.cannotJudge', {count: unresolved.length, op: u.label, ref: u.ref})})
  }
  const note = writesSkipped ? t(lang, 'apiprobe.writesSkipped', {count: writesSkipped}) : undefined
  if (results.length === 0) return {base, source, note: note ?? t(lang, 'apiprobe.nothing'), operations: [], metrics}
  return {base, source, ...(note ? {note} : {}), operations: results, metrics}
}
