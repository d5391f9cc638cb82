// The local outbox: a submission the server could not take (unreachable, 5xx, 429 past the
// retries) waits in `.sjt/outbox/<idempotency key>.json` under the current folder (or
// SJT_STATE_DIR, or --outbox) until `sjt submit --flush` sends it, with the same key, so a
// submission that did reach the server before the connection broke is not recorded twice.
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Lang} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {PUBLISHED_MAX_BODY, ReviewClient, UnreachableError, idempotencyKeyFor, problemReasons, problemText, type ApiResponse, type ClientOptions} from './client.js'

export interface OutboxEntry {
  version: 1
  key: string
  server: string
  file: string | null
  appId: string
  createdAt: string
  attempts: number
  lastError: string | null
  document: unknown
}

function stateDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return env.SJT_STATE_DIR ? path.resolve(cwd, env.SJT_STATE_DIR) : path.join(cwd, '.sjt')
}

export function defaultOutbox(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.join(stateDir(env, cwd), 'outbox')
}

/** Write-then-rename, so a crash never leaves half a file. */
function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), {recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}

const safeName = (key: string) => key.replace(/[^A-Za-z0-9._-]/g, '_')

export class Outbox {
  constructor(readonly dir: string) {}

  put(e: OutboxEntry): string {
    const file = path.join(this.dir, `${safeName(e.key)}.json`)
    writeAtomic(file, JSON.stringify(e) + '\n')
    return file
  }

  list(): Array<{file: string; entry: OutboxEntry}> {
    let names: string[]
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.json')).sort()
    } catch {
      return []
    }
    const out: Array<{file: string; entry: OutboxEntry}> = []
    for (const n of names) {
      const file = path.join(this.dir, n)
      try {
        out.push({file, entry: JSON.parse(readFileSync(file, 'utf8')) as OutboxEntry})
      } catch {
        // a foreign or broken file: leave it where it is
      }
    }
    return out
  }

  remove(key: string): void {
    rmSync(path.join(this.dir, `${safeName(key)}.json`), {force: true})
  }

  /** A refused entry is kept aside (refused/) with the answer, not sent again. */
  refuse(e: OutboxEntry, answer: ApiResponse): string {
    const file = path.join(this.dir, 'refused', `${safeName(e.key)}.json`)
    writeAtomic(file, JSON.stringify({...e, refusedWith: {status: answer.status, body: answer.body}}) + '\n')
    this.remove(e.key)
    return file
  }
}

export type SendOutcome =
  | {kind: 'received'; status: number; receipt: {id: string; appId: string; status: string; receivedAt: string}; replayed: boolean}
  | {kind: 'refused'; status: number; message: string; reasons: string[]; response: ApiResponse}
  | {kind: 'unreachable'; message: string; outboxFile: string | null}
  /** Larger than the server takes: refused before sending, or answered 413 (never kept in the outbox). */
  | {kind: 'too-large'; size: number; limit: number | null; message: string; response: ApiResponse}

/**
 * Send one document with its key; on failure to reach the server, keep it in the outbox. A
 * document larger than the server's published body limit is not sent, and one the server refuses
 * as too large (413, or a connection it closed while a body over the limit was still going out:
 * EPIPE, ECONNRESET) is never kept in the outbox: sending it again could only fail again.
 */
export async function sendWithOutbox(
  doc: {app: {id: string}; digest: {value: string}},
  opts: ClientOptions & {outbox: Outbox | null; file?: string | null; key?: string; lang: Lang; attemptsBefore?: number},
): Promise<SendOutcome> {
  const key = opts.key ?? idempotencyKeyFor(doc)
  const client = new ReviewClient(opts)
  let size: number
  try {
    size = Buffer.byteLength(JSON.stringify(doc))
  } catch (error) {
    // Nested too deep to serialise (the server refuses more than 200 levels anyway).
    const message = `${opts.file ?? doc.app.id}: ${(error as Error).message}`
    return {kind: 'refused', status: 400, message, reasons: [], response: {status: 400, headers: new Headers(), body: {status: 400, title: 'Malformed request', detail: message}}}
  }
  const tooLarge = (limit: number | null, response?: ApiResponse): SendOutcome => {
    const message = t(opts.lang, 'review.submit.tooLarge', {file: opts.file ?? doc.app.id, size, limit: limit ?? '?'})
    opts.outbox?.remove(key)
    return {kind: 'too-large', size, limit, message, response: response ?? {status: 413, headers: new Headers(), body: {status: 413, title: 'Payload too large', detail: message}}}
  }
  const limit = await client.bodyLimit()
  if (limit !== null && size > limit) return tooLarge(limit)
  try {
    const r = await client.submit(doc, key)
    if (r.status === 201 || r.status === 200) {
      opts.outbox?.remove(key)
      return {kind: 'received', status: r.status, receipt: r.body, replayed: r.headers.get('idempotent-replayed') === 'true'}
    }
    if (r.status === 413) return tooLarge(limit, r)
    return {kind: 'refused', status: r.status, message: problemText(r), reasons: problemReasons(r), response: r}
  } catch (error) {
    if (!(error instanceof UnreachableError)) throw error
    // The server closed the connection while a body over its (published) limit was going out: the
    // 413 it sent was lost with the connection.
    if (size > (limit ?? PUBLISHED_MAX_BODY) && /EPIPE|ECONNRESET|other side closed|UND_ERR_SOCKET/i.test(error.message)) return tooLarge(limit ?? PUBLISHED_MAX_BODY)
    let outboxFile: string | null = null
    if (opts.outbox) {
      outboxFile = opts.outbox.put({
        version: 1,
        key,
        server: client.server,
        file: opts.file ?? null,
        appId: doc.app.id,
        createdAt: new Date().toISOString(),
        attempts: (opts.attemptsBefore ?? 0) + error.attempts,
        lastError: error.message,
        document: doc,
      })
    }
    return {kind: 'unreachable', message: error.message, outboxFile}
  }
}

/** Send every waiting entry (to `server` when given, else where it was first meant to go). */
export async function flushOutbox(
  outbox: Outbox,
  opts: Omit<ClientOptions, 'server'> & {server?: string; lang: Lang},
): Promise<Array<{key: string; appId: string; outcome: SendOutcome; refusedFile?: string}>> {
  const results = []
  for (const {entry} of outbox.list()) {
    const outcome = await sendWithOutbox(entry.document as {app: {id: string}; digest: {value: string}}, {
      ...opts,
      server: opts.server ?? entry.server,
      outbox,
      file: entry.file,
      key: entry.key,
      attemptsBefore: entry.attempts,
    })
    let refusedFile: string | undefined
    if (outcome.kind === 'refused' || outcome.kind === 'too-large') refusedFile = outbox.refuse(entry, outcome.response)
    results.push({key: entry.key, appId: entry.appId, outcome, refusedFile})
  }
  return results
}

/** The last submission made from this folder, for `sjt status` without an id. */
export function rememberSubmission(rec: {id: string; appId: string; server: string}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): void {
  try {
    writeAtomic(path.join(stateDir(env, cwd), 'last-submission.json'), JSON.stringify({...rec, at: new Date().toISOString()}) + '\n')
  } catch {
    // a read-only folder: status then needs the id
  }
}

export function lastSubmission(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): {id: string; appId: string; server: string} | null {
  try {
    return JSON.parse(readFileSync(path.join(stateDir(env, cwd), 'last-submission.json'), 'utf8'))
  } catch {
    return null
  }
}
