// What each database supplies to SqlStore: a query function, transactions, row locks where it
// has them, and optionally createSubmission in one round trip.
import type {NewSubmission} from './types.js'

export type OneTripOutcome =
  | {kind: 'created'; receipt?: string}
  | {kind: 'unauthorized' | 'other-department'}
  | {kind: 'key-taken'; requestHash: string; status: number; response: string}

export interface SqlResult {
  rows: any[]
  changes: number
}

export type Query = (sql: string, params?: unknown[]) => Promise<SqlResult>

export interface Dialect {
  readonly kind: 'sqlite' | 'postgres'
  /** Appended to a SELECT that must lock the row for the transaction ('' where writes are serial). */
  readonly forUpdate: string
  query: Query
  tx<T>(fn: (q: Query) => Promise<T>): Promise<T>
  /**
   * createSubmission done by the database in one round trip, where it can (PostgreSQL: a function
   * of the migrations). It does what SqlStore.createSubmission does, in the same order.
   */
  createSubmission?(s: NewSubmission, row: {id: string; now: string; receipt: string; historyData: string}): Promise<OneTripOutcome>
  migrate(): Promise<void>
  ping(): Promise<boolean>
  close(): Promise<void>
}
