// API-009 / API-010: live-probe verdicts and p95 latency, over the `apiprobe` artifact.
import type {CheckFn, Lang, Location, RawFinding} from '../../core/types.js'
import type {ApiProbeArtifact} from '../../artifacts/apiprobe.js'
import {t} from '../../lib/i18n/index.js'
import {locate} from '../../lib/openapi/model.js'
import type {ContractArtifact} from '../../artifacts/contract.js'
import {fail, na, pass, withContract, type Ctx} from './shared.js'

// API-009 / API-010 ----------------------------------------------------------------------------
function probeArtifact(ctx: Ctx): ApiProbeArtifact | undefined {
  const a = ctx.artifacts.apiprobe
  return a && typeof a === 'object' && 'operations' in a ? (a as ApiProbeArtifact) : undefined
}

function withProbe(fn: (probe: ApiProbeArtifact, art: ContractArtifact, lang: Lang, params: Record<string, any>) => RawFinding[]): CheckFn {
  return withContract((art, ctx) => {
    const probe = probeArtifact(ctx)
    if (!probe) return [{status: 'error', message: t(ctx.lang, 'contract.noArtifact')}]
    if (!probe.base) return [na(t(ctx.lang, 'API-009.noBase'))]
    return fn(probe, art, ctx.lang, ctx.params)
  })
}

export const probe = withProbe((pr, art) => {
  const out: RawFinding[] = []
  for (const r of pr.operations) {
    const loc: Location = {...(r.pointer !== undefined ? locate(art.docs, {doc: r.doc ?? art.main!, pointer: r.pointer}, true) : {}), ...(r.url ? {url: r.url} : {})}
    const details = {key: r.label, ...(r.status ? {status: r.status} : {})}
    if (r.verdict === 'pass') out.push({status: 'pass', message: r.message, location: loc, details})
    else if (r.verdict === 'fail') out.push({status: 'fail', message: r.message, location: loc, details})
    else if (r.verdict === 'error') out.push({status: 'error', message: r.message, location: loc, details})
    else out.push({status: 'not-applicable', message: r.message, location: loc, details})
  }
  if (out.length === 0) out.push(na(pr.note ?? ''))
  return out
})

export const latency = withProbe((pr, art, lang, params) => {
  const out: RawFinding[] = []
  const limit = Number(params.p95Ms ?? 1000)
  for (const r of pr.operations) {
    if (!r.timings || r.timings.count === 0) continue
    const loc: Location = {...(r.pointer !== undefined ? locate(art.docs, {doc: r.doc ?? art.main!, pointer: r.pointer}, true) : {}), ...(r.url ? {url: r.url} : {})}
    const m = {op: r.label, p50: r.timings.p50, p95: r.timings.p95, n: r.timings.count, limit}
    out.push(r.timings.p95 > limit ? fail(t(lang, 'API-010.fail', m), loc, {key: r.label, ...r.timings}) : pass(t(lang, 'API-010.pass', m), loc, {key: r.label, ...r.timings}))
  }
  if (out.length === 0) out.push(na(t(lang, 'API-010.na')))
  return out
})
