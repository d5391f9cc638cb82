// Who may ask: bearer tokens (making, hashing, the short-lived cache of token look-ups), the
// per-token rate limit, and the role and department checks of the handlers.
import {createHash, randomBytes} from 'node:crypto'
import type {Role, Store, TokenRecord} from '../store.js'
import {type Principal} from './http.js'
import {Problem} from '../shared/problem.js'

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** A new token: `sjt_<role initial>_<43 characters of base64url>` (256 random bits). */
export function newToken(role: Role): string {
  return `sjt_${role[0]}_${randomBytes(32).toString('base64url')}`
}

/** How long a token looked up for the submission route is reused without asking the store. */
const TOKEN_CACHE_MS = 3000
const TOKEN_CACHE_SIZE = 1000

/** The token cache: entries by the token's SHA-256. */
export type TokenCache = Map<string, {token: TokenRecord; until: number}>

/** The rate limit of `perMinute` requests per minute per token: `rateCheck` answers the seconds to wait (0: go ahead). */
export function createRateLimit(perMinute: number): (tokenId: string) => number {
  // ---- rate limit: a token bucket per token id ----
  const buckets = new Map<string, {tokens: number; last: number}>()
  function rateCheck(tokenId: string): number {
    if (perMinute <= 0) return 0
    const now = Date.now()
    const rate = perMinute / 60_000
    const b = buckets.get(tokenId) ?? {tokens: perMinute, last: now}
    b.tokens = Math.min(perMinute, b.tokens + (now - b.last) * rate)
    b.last = now
    buckets.set(tokenId, b)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000))
  }
  return rateCheck
}

/** The token look-up of the request line and the cache it keeps. */
export function createTokenCache(store: Store): {tokenCache: TokenCache; tokenFor: (hash: string, cached: boolean) => Promise<TokenRecord | null>} {
  // ---- tokens ----
  // POST /v1/submissions takes its principal (role, department: they never change) from a cache
  // keyed by the token's hash, kept for TOKEN_CACHE_MS, because the store confirms in the
  // submission's own transaction that the token still exists unrevoked (liveToken). A token
  // revoked by `sjt review-server token revoke` (another process, possibly another instance's
  // database client) therefore records nothing from the moment the revocation committed, on
  // every instance: the refusal is a 401 and drops the entry. Within the cache time the only
  // difference a revoked token sees is that a body refused before the store is reached (400, 403
  // wrong department, 422) is answered as such rather than 401. Every other route asks the store.
  const tokenCache: TokenCache = new Map()
  async function tokenFor(hash: string, cached: boolean): Promise<TokenRecord | null> {
    const now = Date.now()
    if (cached) {
      const hit = tokenCache.get(hash)
      if (hit && hit.until > now) return hit.token
    }
    const token = await store.findTokenByHash(hash)
    tokenCache.delete(hash)
    if (!token || token.revokedAt) return null
    if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.delete(tokenCache.keys().next().value!)
    tokenCache.set(hash, {token, until: now + TOKEN_CACHE_MS})
    return token
  }
  return {tokenCache, tokenFor}
}

/**
 * Role and department check. Submitters learn nothing of other departments: whatever is not
 * theirs is 404, before the role is considered; other roles get 403 when the role may not.
 */
export async function authorize<T>(p: Principal, roles: Role[], load: () => Promise<T | null>, owner: (x: T) => string): Promise<T> {
  if (p.role === 'submitter') {
    const x = await load()
    if (!x || owner(x) !== p.creditCode) throw new Problem(404, 'not-found')
    if (!roles.includes('submitter')) throw new Problem(403, 'forbidden', `role ${p.role} may not do this`)
    return x
  }
  if (!roles.includes(p.role)) throw new Problem(403, 'forbidden', `role ${p.role} may not do this`)
  const x = await load()
  if (!x) throw new Problem(404, 'not-found')
  return x
}

export function requireRole(p: Principal, roles: Role[]): void {
  if (!roles.includes(p.role)) throw new Problem(403, 'forbidden', `role ${p.role} may not do this`)
}
