// The anchor of bench/review.bench.js: the bare minimum a submission endpoint does, written the
// way most teams would with fastify: parse the JSON body, insert it, answer 201 with an id. Same
// durability as sjt (SQLite WAL + synchronous=FULL; PostgreSQL with its default synchronous
// commit), no authentication, no validation, no digest, no idempotency, no history.
// Usage: node bench/review-anchor.js sqlite FILE | postgres URL   (prints its URL on stdout)
import {randomUUID} from 'node:crypto'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const anchors = createRequire(path.join(here, 'anchors', 'package.json'))
const Fastify = anchors('fastify')

const [kind, target] = process.argv.slice(2)
const app = Fastify({logger: false, bodyLimit: 5 * 1024 * 1024})

let insert
if (kind === 'sqlite') {
  const Database = anchors('better-sqlite3')
  const db = new Database(target)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec('CREATE TABLE IF NOT EXISTS submissions (id TEXT PRIMARY KEY, app_id TEXT NOT NULL, received_at TEXT NOT NULL, document TEXT NOT NULL)')
  const stmt = db.prepare('INSERT INTO submissions (id, app_id, received_at, document) VALUES (?, ?, ?, ?)')
  insert = async (id, appId, at, doc) => stmt.run(id, appId, at, doc)
} else {
  const pg = createRequire(path.join(here, '..', 'package.json'))('pg')
  const pool = new pg.Pool({connectionString: target, max: 10})
  await pool.query('CREATE TABLE IF NOT EXISTS submissions (id TEXT PRIMARY KEY, app_id TEXT NOT NULL, received_at TEXT NOT NULL, document TEXT NOT NULL)')
  insert = (id, appId, at, doc) => pool.query('INSERT INTO submissions (id, app_id, received_at, document) VALUES ($1, $2, $3, $4)', [id, appId, at, doc])
}

app.post('/v1/submissions', async (req, reply) => {
  const id = randomUUID()
  const at = new Date().toISOString()
  await insert(id, req.body?.app?.id ?? 'unknown', at, JSON.stringify(req.body))
  reply.code(201)
  return {id, appId: req.body?.app?.id, status: 'received', receivedAt: at}
})

await app.listen({port: 0, host: '127.0.0.1'})
process.stdout.write(`http://127.0.0.1:${app.server.address().port}\n`)
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
