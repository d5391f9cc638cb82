// State machines (pure): the server and both stores use these and nothing else. With them the
// small pure helpers: region-code prefixes and time-ordered ids.
import {randomBytes} from 'node:crypto'
import type {AppAction, AppState, Decision, SubmissionStatus} from './types.js'

/** received → in_review → approved | rejected; a decision may skip in_review. */
export function nextSubmissionStatus(from: SubmissionStatus, decision: Decision): SubmissionStatus | null {
  if (decision === 'review') return from === 'received' ? 'in_review' : null
  if (from !== 'received' && from !== 'in_review') return null
  return decision === 'approve' ? 'approved' : 'rejected'
}

/**
 * registered → in_review → published → suspended → delisted, and restore:
 * suspended → published; delisted → in_review (a delisted app is reviewed again before it returns).
 */
export function nextAppState(from: AppState, action: AppAction): AppState | null {
  switch (action) {
    case 'publish':
      return from === 'in_review' ? 'published' : null
    case 'suspend':
      return from === 'published' ? 'suspended' : null
    case 'delist':
      return from === 'published' || from === 'suspended' ? 'delisted' : null
    case 'restore':
      return from === 'suspended' ? 'published' : from === 'delisted' ? 'in_review' : null
  }
}

/** Region codes name a prefix: 140000 → 14 (the province), 140100 → 1401 (a city), 140105 as is. */
export function regionPrefix(code: string | undefined): string {
  let c = (code ?? '').trim()
  while (c.length > 2 && c.endsWith('00')) c = c.slice(0, -2)
  return c
}

const B32 = '0123456789abcdefghjkmnpqrstvwxyz'

/** Time-ordered id: prefix + 10 chars of milliseconds + 16 random chars (Crockford base32). */
export function newId(prefix: string, now = Date.now()): string {
  let t = ''
  let n = now
  for (let i = 0; i < 10; i++) {
    t = B32[n % 32] + t
    n = Math.floor(n / 32)
  }
  const r = randomBytes(16)
  let s = ''
  for (let i = 0; i < 16; i++) s += B32[r[i] % 32]
  return `${prefix}_${t}${s}`
}
