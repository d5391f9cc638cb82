// The production store: PostgreSQL through pg. Several stateless server instances can share it:
// transactions lock the rows they change (SELECT … FOR UPDATE), idempotency keys are claimed
// with a unique index, and migrations run under an advisory lock so instances starting together
// apply each one once. A COMMIT that returned is durable (synchronous_commit is left on).
import pg from 'pg'
import {SqlStore, type Dialect, type Query, type SqlResult, type Store} from './store.js'

export const PG_MIGRATIONS: string[] = [
  `CREATE TABLE tokens (
     id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, credit_code TEXT, label TEXT,
     created_at TEXT NOT NULL, revoked_at TEXT);
   CREATE TABLE apps (
     app_id TEXT PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, credit_code TEXT NOT NULL, region_code TEXT,
     state TEXT NOT NULL, latest_submission_id TEXT, latest_approved_id TEXT, entry_url TEXT, elder_url TEXT, health_url TEXT,
     needs_review INTEGER NOT NULL DEFAULT 0, review_reason TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE INDEX apps_region ON apps (region_code text_pattern_ops);
   CREATE TABLE submissions (
     id TEXT PRIMARY KEY, app_id TEXT NOT NULL REFERENCES apps (app_id), app_name TEXT NOT NULL, app_version TEXT NOT NULL,
     credit_code TEXT NOT NULL, region_code TEXT, status TEXT NOT NULL, verdict TEXT NOT NULL, digest TEXT NOT NULL,
     received_at TEXT NOT NULL, updated_at TEXT NOT NULL, token_id TEXT NOT NULL, idem_key TEXT, document TEXT NOT NULL);
   CREATE INDEX submissions_app ON submissions (app_id, received_at);
   CREATE INDEX submissions_credit ON submissions (credit_code, received_at);
   CREATE TABLE idempotency (
     scope TEXT NOT NULL, idem_key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER, response TEXT,
     created_at TEXT NOT NULL, PRIMARY KEY (scope, idem_key));
   CREATE TABLE history (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, app_id TEXT NOT NULL, submission_id TEXT, kind TEXT NOT NULL, name TEXT NOT NULL,
     from_state TEXT, to_state TEXT, actor_role TEXT NOT NULL, actor_token TEXT NOT NULL, comment TEXT, data TEXT, at TEXT NOT NULL);
   CREATE INDEX history_app ON history (app_id, seq);
   CREATE TABLE probes (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, app_id TEXT NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL, ok INTEGER NOT NULL,
     status INTEGER, latency_ms DOUBLE PRECISION, error TEXT, at TEXT NOT NULL, token_id TEXT);
   CREATE INDEX probes_app ON probes (app_id, at);`,
]

/** An arbitrary constant: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK = 0x736a74

/** `?` placeholders → `$1, $2, …` (our SQL never has a literal question mark). */
const converted = new Map<string, string>()
function toPg(sql: string): string {
  let out = converted.get(sql)
  if (out === undefined) {
    let n = 0
    out = sql.replace(/\?/g, () => `$${++n}`)
    converted.set(sql, out)
  }
  return out
}

async function runOn(c: pg.Pool | pg.PoolClient, sql: string, params: unknown[] = []): Promise<SqlResult> {
  const r = await c.query(toPg(sql), params)
  return {rows: r.rows, changes: r.rowCount ?? 0}
}

class PgDialect implements Dialect {
  readonly kind = 'postgres' as const
  readonly forUpdate = ' FOR UPDATE'
  private closed = false

  constructor(private readonly pool: pg.Pool) {}

  query: Query = (sql, params) => runOn(this.pool, sql, params)

  async tx<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    let broken = false
    try {
      await client.query('BEGIN')
      const out = await fn((sql, params) => runOn(client, sql, params))
      await client.query('COMMIT')
      return out
    } catch (error) {
      try {
        await client.query('ROLLBACK')
      } catch {
        broken = true
      }
      throw error
    } finally {
      client.release(broken)
    }
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
      const {rows} = await client.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')
      for (let i = Number(rows[0].v); i < PG_MIGRATIONS.length; i++) {
        await client.query(PG_MIGRATIONS[i])
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [i + 1, new Date().toISOString()])
      }
      await client.query('COMMIT')
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false
    try {
      await this.pool.query('SELECT 1')
      return true
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.pool.end()
  }
}

export async function openPgStore(url: string, opts: {max?: number} = {}): Promise<Store> {
  const pool = new pg.Pool({connectionString: url, max: opts.max ?? 10, connectionTimeoutMillis: 10_000})
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on('error', () => undefined)
  const store = new SqlStore(new PgDialect(pool))
  try {
    await store.migrate()
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw error
  }
  return store
}
