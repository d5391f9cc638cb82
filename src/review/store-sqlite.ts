// The embedded store: one SQLite file through better-sqlite3, WAL journal, synchronous=FULL.
// With WAL, FULL syncs the log on every commit, so a transaction that returned survives a power
// cut as well as a killed process; NORMAL would only survive the killed process. The server
// answers 201 after the commit returned, so an acknowledged submission is on disk.
import {mkdirSync} from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import {SqlStore, type Dialect, type Query, type SqlResult, type Store} from './store.js'
import {tablesDdl} from './store/schema.js'

const MIGRATIONS: string[] = [
  tablesDdl('sqlite'),
  // 2: the monitored URLs are those of the latest approved submission (until now: of the latest
  // submission, approved or not).
  `UPDATE apps SET entry_url = NULL, elder_url = NULL, health_url = NULL WHERE latest_approved_id IS NULL;
   UPDATE apps SET
     entry_url = (SELECT CASE WHEN u LIKE 'http://%' OR u LIKE 'https://%' THEN u END FROM (SELECT json_extract(s.document, '$.manifest.app.entry') AS u FROM submissions s WHERE s.id = apps.latest_approved_id)),
     elder_url = (SELECT CASE WHEN u LIKE 'http://%' OR u LIKE 'https://%' THEN u END FROM (SELECT json_extract(s.document, '$.manifest.app.elderEntry') AS u FROM submissions s WHERE s.id = apps.latest_approved_id)),
     health_url = (SELECT CASE WHEN u LIKE 'http://%' OR u LIKE 'https://%' THEN u END FROM (SELECT json_extract(s.document, '$.manifest.monitoring.health') AS u FROM submissions s WHERE s.id = apps.latest_approved_id))
   WHERE latest_approved_id IS NOT NULL;`,
]

class SqliteDialect implements Dialect {
  readonly kind = 'sqlite' as const
  readonly forUpdate = ''
  private readonly stmts = new Map<string, Database.Statement>()
  /** Transactions are serial: one connection, BEGIN IMMEDIATE, a promise chain as the queue. */
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false

  constructor(private readonly db: Database.Database) {}

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      this.stmts.set(sql, s)
    }
    return s
  }

  private run(sql: string, params: unknown[] = []): SqlResult {
    const s = this.stmt(sql)
    if (s.reader) return {rows: s.all(...params), changes: 0}
    const r = s.run(...params)
    return {rows: [], changes: r.changes}
  }

  // Outside a transaction a statement runs at once; while one is open (its body awaits between
  // statements), it waits its turn so it never reads or joins another request's uncommitted work.
  query: Query = async (sql, params) => {
    if (!this.db.inTransaction) return this.run(sql, params)
    const next = this.queue.then(() => this.run(sql, params))
    this.queue = next.catch(() => undefined)
    return next
  }

  tx<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      this.stmt('BEGIN IMMEDIATE').run()
      try {
        const out = await fn(async (sql, params) => this.run(sql, params))
        this.stmt('COMMIT').run()
        return out
      } catch (error) {
        if (this.db.inTransaction) this.stmt('ROLLBACK').run()
        throw error
      }
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  async migrate(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
    const apply = this.db.transaction(() => {
      const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {v: number | null}
      const current = row.v ?? 0
      for (let i = current; i < MIGRATIONS.length; i++) {
        this.db.exec(MIGRATIONS[i])
        this.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(i + 1, new Date().toISOString())
      }
    })
    apply.immediate()
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false
    try {
      this.db.prepare('SELECT 1').get()
      return true
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.queue
    this.closed = true
    this.db.close()
  }
}

export async function openSqliteStore(file: string): Promise<Store> {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), {recursive: true})
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  const store = new SqlStore(new SqliteDialect(db))
  await store.migrate()
  return store
}

export {MIGRATIONS as SQLITE_MIGRATIONS}
