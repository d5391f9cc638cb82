// Console sessions: a random session id in an HttpOnly, SameSite=Strict cookie (Secure and
// __Host- prefixed over HTTPS); the server keeps, per session, the SHA-256 of the token it was
// exchanged for (never the token), its CSRF token and its expiry. Sessions live in this process's
// memory: they do not survive a restart (everyone signs in again) and are not shared between
// instances behind a load balancer — pin a console user to one instance, or sign in again.
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto'

export interface SessionRecord {
  tokenHash: string
  csrfToken: string
  createdAt: number
  expiresAt: number
}

/** Sessions at most (the oldest is dropped first): a bound on memory, not a limit anyone meets. */
const MAX_SESSIONS = 10_000

export class SessionStore {
  private readonly byId = new Map<string, SessionRecord>()
  constructor(readonly ttlMs: number) {}

  private static key(id: string): string {
    return createHash('sha256').update(id, 'utf8').digest('hex')
  }

  create(tokenHash: string, now = Date.now()): {id: string; record: SessionRecord} {
    this.sweep(now)
    if (this.byId.size >= MAX_SESSIONS) this.byId.delete(this.byId.keys().next().value!)
    const id = randomBytes(32).toString('base64url')
    const record = {tokenHash, csrfToken: randomBytes(32).toString('base64url'), createdAt: now, expiresAt: now + this.ttlMs}
    this.byId.set(SessionStore.key(id), record)
    return {id, record}
  }

  /** The live session of this id, or undefined (an expired one is forgotten). */
  get(id: string | undefined, now = Date.now()): SessionRecord | undefined {
    if (!id || id.length > 100) return undefined
    const k = SessionStore.key(id)
    const r = this.byId.get(k)
    if (!r) return undefined
    if (r.expiresAt <= now) {
      this.byId.delete(k)
      return undefined
    }
    return r
  }

  delete(id: string | undefined): void {
    if (id) this.byId.delete(SessionStore.key(id))
  }

  /** Ends every session of a token (the token was found revoked). */
  deleteToken(tokenHash: string): void {
    for (const [k, r] of this.byId) if (r.tokenHash === tokenHash) this.byId.delete(k)
  }

  sweep(now = Date.now()): void {
    for (const [k, r] of this.byId) if (r.expiresAt <= now) this.byId.delete(k)
  }
}

/** Constant-time comparison of two tokens (false when either is missing). */
export function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length === 0 || a.length > 200) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
