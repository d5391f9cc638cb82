// Helpers shared by the contract rules: finding constructors, the contract-artifact guard
// and the operation/location shortcuts over the application's main contract document.
import type {AuditContext, CheckFn, Location, RawFinding} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {locate, operationsOf, type Operation} from '../../lib/openapi/model.js'
import type {ContractArtifact} from '../../artifacts/contract.js'

export type Ctx = AuditContext

export const pass = (message: string, location?: Location, details?: Record<string, unknown>): RawFinding => ({status: 'pass', message, ...(location ? {location} : {}), ...(details ? {details} : {})})
export const fail = (message: string, location?: Location, details?: Record<string, unknown>): RawFinding => ({status: 'fail', message, ...(location ? {location} : {}), ...(details ? {details} : {})})
export const na = (message: string, location?: Location): RawFinding => ({status: 'not-applicable', message, ...(location ? {location} : {})})

export function artifact(ctx: Ctx): ContractArtifact | undefined {
  const a = ctx.artifacts.contract
  return a && typeof a === 'object' && 'docs' in a ? (a as ContractArtifact) : undefined
}

/** Runs a check on a usable contract; otherwise not-applicable (no contract) or error (unreadable). */
export function withContract(fn: (art: ContractArtifact, ctx: Ctx) => RawFinding[]): CheckFn {
  return (ctx) => {
    const art = artifact(ctx)
    if (!art) return [{status: 'error', message: t(ctx.lang, 'contract.noArtifact')}]
    if (!art.declared) return [na(t(ctx.lang, art.reason === 'no-contract' ? 'contract.none' : 'contract.noManifest'), art.manifestLocation)]
    if (!art.usable) return [{status: 'error', message: t(ctx.lang, 'contract.unusable', {file: art.file ?? ''}), location: locate(art.docs, {doc: art.main!, pointer: ''})}]
    return fn(art, ctx)
  }
}

export const mainOps = (art: ContractArtifact): Operation[] => operationsOf(art.docs, art.main!)

/**
 * The operations a rule can judge, and one "cannot be judged" finding (status error) for those it
 * cannot: written as a `$ref` that was not loaded (the file limit of API-001, a missing file), or,
 * for rules that read parameters, with a parameter `$ref` that was not loaded. Never a failure for
 * what was never read.
 */
export function judgeable(art: ContractArtifact, ctx: Ctx, opts: {params?: boolean} = {}): {ops: Operation[]; cannot: RawFinding[]} {
  const ops: Operation[] = []
  const skipped: Operation[] = []
  for (const op of mainOps(art)) {
    if (op.unresolved || (opts.params && op.unresolvedParams?.length)) skipped.push(op)
    else ops.push(op)
  }
  if (skipped.length === 0) return {ops, cannot: []}
  const first = skipped[0]
  const ref = first.unresolved ?? first.unresolvedParams![0]
  const examples = skipped.slice(0, 5).map((o) => o.label)
  return {
    ops,
    cannot: [
      {
        status: 'error',
        message: t(ctx.lang, 'contract.cannotJudge', {count: skipped.length, op: first.label, ref}),
        location: locate(art.docs, first.node, true),
        details: {key: 'unresolved operations', operations: skipped.length, examples},
      },
    ],
  }
}
export const opLoc = (art: ContractArtifact, op: Operation): Location => locate(art.docs, op.node, true)
