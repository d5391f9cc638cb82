// Shared finding helpers of the SEC rules: finding constructors, short lists, and the early
// answers when the collector had nothing to try or a target never answered.
import type {AuditContext, Location, RawFinding} from '../../core/types.js'
import type {HttpTarget} from '../../artifacts/http.js'
import {t} from '../../lib/i18n/index.js'
import type {Facts} from './facts.js'

export const pass = (message: string, location?: Location, details?: Record<string, unknown>): RawFinding => ({status: 'pass', message, ...(location ? {location} : {}), ...(details ? {details} : {})})
export const fail = (message: string, location?: Location, details?: Record<string, unknown>): RawFinding => ({status: 'fail', message, ...(location ? {location} : {}), ...(details ? {details} : {})})
export const error = (message: string, location?: Location): RawFinding => ({status: 'error', message, ...(location ? {location} : {})})
export const na = (message: string, location?: Location): RawFinding => ({status: 'not-applicable', message, ...(location ? {location} : {})})
export const at = (url: string): Location => ({url})

export const list = (xs: string[], n = 5) => xs.slice(0, n).join(', ') + (xs.length > n ? ` (+${xs.length - n})` : '')

/** When there is nothing the collector could even try (no manifest URL and no --url). */
export function noTargets(ctx: AuditContext, f: Facts): RawFinding[] | null {
  if (!f.http) return [error(t(ctx.lang, 'SEC.noHttp'))]
  if (f.targets.length === 0) return [na(t(ctx.lang, 'SEC.noTargets'))]
  return null
}

export function fetchError(ctx: AuditContext, tg: HttpTarget): RawFinding {
  return error(t(ctx.lang, 'SEC.fetchError', {url: tg.url, detail: tg.fetch.error?.message ?? '?'}), at(tg.url))
}
