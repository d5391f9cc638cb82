// The tables of the review store, written once for both databases: the few column types and
// index options the two spell differently come from the dialect's kind. Migration 1 of each store
// (store-sqlite.ts, store-pg.ts) is this text; later migrations change it only by adding to it.
import type {Dialect} from './dialect.js'

const SPELLING = {
  sqlite: {serial: 'INTEGER PRIMARY KEY AUTOINCREMENT', real: 'REAL', prefixIndex: ''},
  // text_pattern_ops: the region filter is a prefix match (LIKE '14%'), which PostgreSQL's
  // default collation cannot answer from a plain index.
  postgres: {serial: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY', real: 'DOUBLE PRECISION', prefixIndex: ' text_pattern_ops'},
} as const

/** The CREATE statements of the first schema version, in the dialect's spelling. */
export function tablesDdl(kind: Dialect['kind']): string {
  const s = SPELLING[kind]
  return `CREATE TABLE tokens (
     id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, credit_code TEXT, label TEXT,
     created_at TEXT NOT NULL, revoked_at TEXT);
   CREATE TABLE apps (
     app_id TEXT PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, credit_code TEXT NOT NULL, region_code TEXT,
     state TEXT NOT NULL, latest_submission_id TEXT, latest_approved_id TEXT, entry_url TEXT, elder_url TEXT, health_url TEXT,
     needs_review INTEGER NOT NULL DEFAULT 0, review_reason TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE INDEX apps_region ON apps (region_code${s.prefixIndex});
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
     seq ${s.serial}, app_id TEXT NOT NULL, submission_id TEXT, kind TEXT NOT NULL, name TEXT NOT NULL,
     from_state TEXT, to_state TEXT, actor_role TEXT NOT NULL, actor_token TEXT NOT NULL, comment TEXT, data TEXT, at TEXT NOT NULL);
   CREATE INDEX history_app ON history (app_id, seq);
   CREATE TABLE probes (
     seq ${s.serial}, app_id TEXT NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL, ok INTEGER NOT NULL,
     status INTEGER, latency_ms ${s.real}, error TEXT, at TEXT NOT NULL, token_id TEXT);
   CREATE INDEX probes_app ON probes (app_id, at);`
}
