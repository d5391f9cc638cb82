// The production store: PostgreSQL through pg. Several stateless server instances can share it:
// transactions lock the rows they change (SELECT … FOR UPDATE), idempotency keys are claimed
// with a unique index, and migrations run under an advisory lock so instances starting together
// apply each one once. A COMMIT that returned is durable (synchronous_commit is left on).
import pg from 'pg'
import {SqlStore, type Dialect, type NewSubmission, type OneTripOutcome, type Query, type SqlResult, type Store} from './store.js'
import {tablesDdl} from './store/schema.js'

// SqlStore.createSubmission in one round trip: the same statements in the same order, run by
// the database as one statement (so one implicit transaction, committed before it answers).
// Another department's app raises SJ403, which rolls back the key claimed before it.
// Whether the app was registered by this call is `xmax = 0` on the upserted row (an inserted
// row has no deleting transaction), never a timestamp comparison: two calls can share a millisecond.
// The app row is locked by the upsert before anything reads it; the upsert does not move
// latest_submission_id, so RETURNING gives the previous latest, whose time this submission's must
// follow (by 1 ms when the clock reading taken before the lock is not later): the latest
// submission is then always the newest by receivedAt, whatever order concurrent requests read
// their clocks in. The receipt (and the idempotency record) carry the time actually stored. The
// monitored URLs are left alone: they follow the approved submission.
const CREATE_SUBMISSION_FN = `sjt_create_submission(
     p_live_token BOOLEAN, p_token_id TEXT, p_actor_role TEXT, p_scope TEXT, p_key TEXT, p_request_hash TEXT, p_receipt TEXT,
     p_id TEXT, p_app_id TEXT, p_app_name TEXT, p_app_version TEXT, p_credit_code TEXT, p_region_code TEXT, p_verdict TEXT,
     p_digest TEXT, p_document TEXT, p_entry_url TEXT, p_elder_url TEXT, p_health_url TEXT, p_history_data TEXT, p_now TEXT,
     OUT o_outcome TEXT, OUT o_request_hash TEXT, OUT o_status INTEGER, OUT o_response TEXT)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     v_inserted BOOLEAN;
     v_prev_id TEXT;
     v_prev_at TEXT;
     v_now TEXT := p_now;
     v_receipt TEXT := p_receipt;
   BEGIN
     IF p_live_token THEN
       PERFORM 1 FROM tokens t WHERE t.id = p_token_id AND t.revoked_at IS NULL;
       IF NOT FOUND THEN
         o_outcome := 'unauthorized';
         RETURN;
       END IF;
     END IF;
     IF p_key IS NOT NULL THEN
       INSERT INTO idempotency (scope, idem_key, request_hash, status, response, created_at)
         VALUES (p_scope, p_key, p_request_hash, 201, p_receipt, p_now)
         ON CONFLICT (scope, idem_key) DO NOTHING;
       IF NOT FOUND THEN
         SELECT i.request_hash, i.status, i.response INTO o_request_hash, o_status, o_response
           FROM idempotency i WHERE i.scope = p_scope AND i.idem_key = p_key;
         o_outcome := 'key-taken';
         RETURN;
       END IF;
     END IF;
     INSERT INTO apps AS a (app_id, name, version, credit_code, region_code, state, latest_submission_id, latest_approved_id,
         entry_url, elder_url, health_url, needs_review, review_reason, created_at, updated_at)
       VALUES (p_app_id, p_app_name, p_app_version, p_credit_code, p_region_code, 'registered', p_id, NULL,
         NULL, NULL, NULL, 0, NULL, p_now, p_now)
       ON CONFLICT (app_id) DO UPDATE SET name = excluded.name, version = excluded.version, region_code = excluded.region_code
         WHERE a.credit_code = excluded.credit_code
       RETURNING (a.xmax = 0), a.latest_submission_id INTO v_inserted, v_prev_id;
     IF NOT FOUND THEN
       RAISE EXCEPTION 'the app belongs to another department' USING ERRCODE = 'SJ403';
     END IF;
     IF NOT v_inserted THEN
       SELECT s.received_at INTO v_prev_at FROM submissions s WHERE s.id = v_prev_id;
       IF v_prev_at IS NOT NULL AND v_prev_at >= p_now THEN
         v_now := to_char((v_prev_at::timestamptz + interval '1 millisecond') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
         v_receipt := json_build_object('id', p_id, 'appId', p_app_id, 'status', 'received', 'receivedAt', v_now)::text;
         IF p_key IS NOT NULL THEN
           UPDATE idempotency SET response = v_receipt WHERE scope = p_scope AND idem_key = p_key;
         END IF;
       END IF;
       UPDATE apps SET latest_submission_id = p_id, updated_at = v_now WHERE app_id = p_app_id;
     END IF;
     INSERT INTO submissions (id, app_id, app_name, app_version, credit_code, region_code, status, verdict, digest, received_at,
         updated_at, token_id, idem_key, document)
       VALUES (p_id, p_app_id, p_app_name, p_app_version, p_credit_code, p_region_code, 'received', p_verdict, p_digest, v_now,
         v_now, p_token_id, p_key, p_document);
     IF v_inserted THEN
       INSERT INTO history (app_id, submission_id, kind, name, from_state, to_state, actor_role, actor_token, comment, data, at)
         VALUES (p_app_id, NULL, 'action', 'register', NULL, 'registered', p_actor_role, p_token_id, NULL, NULL, v_now);
     END IF;
     INSERT INTO history (app_id, submission_id, kind, name, from_state, to_state, actor_role, actor_token, comment, data, at)
       VALUES (p_app_id, p_id, 'submission', 'received', NULL, 'received', p_actor_role, p_token_id, NULL, p_history_data, v_now);
     o_outcome := 'created';
     o_response := v_receipt;
   END
   $fn$;`

/** An http(s) URL at a path of a stored document, else NULL (as monitoredUrls in the server). */
const pgUrlAt = (p: string) => `(SELECT CASE WHEN u ~* '^https?://' THEN u END FROM (SELECT s.document::json #>> '{${p}}' AS u) x)`

export const PG_MIGRATIONS: string[] = [
  tablesDdl('postgres'),
  // 2 and 3 created earlier versions of the function (3 replaced 2's in place). Migration 4
  // creates or replaces it with the current text, so they are kept only as numbers: a new
  // database creates the function once, and no old text is kept.
  'SELECT 1',
  'SELECT 1',
  // 4: receivedAt follows the app's latest submission under its row lock; the monitored URLs are
  // those of the latest approved submission (until now: of the latest submission, approved or not).
  `CREATE OR REPLACE FUNCTION ${CREATE_SUBMISSION_FN}
   UPDATE apps a SET entry_url = NULL, elder_url = NULL, health_url = NULL WHERE a.latest_approved_id IS NULL;
   UPDATE apps a SET entry_url = ${pgUrlAt('manifest,app,entry')}, elder_url = ${pgUrlAt('manifest,app,elderEntry')},
       health_url = ${pgUrlAt('manifest,monitoring,health')}
     FROM submissions s WHERE s.id = a.latest_approved_id;`,
]

/** The SQLSTATE sjt_create_submission raises for another department's app. */
const OTHER_DEPARTMENT = 'SJ403'
const CREATE_SUBMISSION = `SELECT o_outcome, o_request_hash, o_status, o_response FROM sjt_create_submission(${Array.from({length: 21}, (_, i) => `$${i + 1}`).join(', ')})`

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

  /** One round trip, one statement, a named prepared statement on each connection of the pool. */
  async createSubmission(s: NewSubmission, row: {id: string; now: string; receipt: string; historyData: string}): Promise<OneTripOutcome> {
    const values = [
      s.liveToken === true,
      s.actor.tokenId,
      s.actor.role,
      s.scope,
      s.key,
      s.requestHash,
      row.receipt,
      row.id,
      s.appId,
      s.appName,
      s.appVersion,
      s.creditCode,
      s.regionCode,
      s.verdict,
      s.digest,
      s.document,
      s.entryUrl,
      s.elderUrl,
      s.healthUrl,
      row.historyData,
      row.now,
    ]
    try {
      const r = (await this.pool.query({name: 'sjt_create_submission', text: CREATE_SUBMISSION, values})).rows[0]
      if (r.o_outcome === 'key-taken') return {kind: 'key-taken', requestHash: r.o_request_hash, status: Number(r.o_status), response: r.o_response}
      if (r.o_outcome === 'created') return {kind: 'created', receipt: r.o_response ?? undefined}
      return {kind: r.o_outcome}
    } catch (error) {
      if ((error as {code?: string}).code === OTHER_DEPARTMENT) return {kind: 'other-department'}
      throw error
    }
  }

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
