// The review store: one interface, two implementations (store-sqlite.ts, store-pg.ts).
// Both speak the same portable SQL through a small dialect (placeholders `?`, row locks where the
// database has them); the state machines and every read/write are written once, under store/
// (types.ts, states.ts, dialect.ts, rows.ts, sql.ts) and so are the tables (schema.ts), so the two
// stores cannot drift apart. A call that resolves has committed: the server answers only after that.
import type {Store} from './store/types.js'

export {ROLES, SUBMISSION_STATES, APP_STATES, DECISIONS, ACTIONS} from './store/types.js'
export type {
  Role,
  SubmissionStatus,
  AppState,
  Verdict,
  AppAction,
  TokenRecord,
  Actor,
  SubmissionRecord,
  AppRecord,
  HistoryEntry,
  ProbeEvent,
  MonitorWindow,
  ProbeBucket,
  NewSubmission,
  Store,
} from './store/types.js'
export {nextSubmissionStatus, nextAppState, regionPrefix, newId} from './store/states.js'
export type {OneTripOutcome, SqlResult, Query, Dialect} from './store/dialect.js'
export {SqlStore} from './store/sql.js'

/** Open the store named by the flags: a PostgreSQL URL, else an SQLite file. */
export async function openStore(opts: {db?: string; databaseUrl?: string}): Promise<Store> {
  if (opts.databaseUrl) {
    const {openPgStore} = await import('./store-pg.js')
    return openPgStore(opts.databaseUrl)
  }
  const {openSqliteStore} = await import('./store-sqlite.js')
  return openSqliteStore(opts.db ?? 'sjt-review.db')
}
