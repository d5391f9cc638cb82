// A throwaway PostgreSQL cluster for the tests and the benchmark: initdb + pg_ctl in a temporary
// folder, on a free loopback port, trust authentication, stopped and removed by stop().
// PostgreSQL refuses to run as root: as root the cluster runs as the `postgres` user (runuser,
// else su). Missing binaries are an error, never a skip: CI installs postgresql.
import {spawnSync} from 'node:child_process'
import {chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

export function findPgBin() {
  const candidates = []
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN)
  try {
    for (const v of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))) candidates.push(`/usr/lib/postgresql/${v}/bin`)
  } catch {
    // none installed there
  }
  const bin = candidates.find((d) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'pg_ctl')))
  if (!bin) throw new Error('PostgreSQL is not installed: no initdb/pg_ctl under /usr/lib/postgresql/*/bin (apt-get install postgresql, or set PG_BIN)')
  return bin
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const {port} = s.address()
      s.close(() => resolve(port))
    })
  })
}

function userInfo(name) {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(name + ':'))
  if (!line) return null
  const f = line.split(':')
  return {uid: Number(f[2]), gid: Number(f[3])}
}

/** Run a PostgreSQL binary, as `postgres` when we are root. */
function runPg(file, args, asUser) {
  let cmd = file
  let argv = args
  if (asUser) {
    if (existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser')) {
      cmd = 'runuser'
      argv = ['-u', asUser, '--', file, ...args]
    } else {
      cmd = 'su'
      argv = [asUser, '-s', '/bin/sh', '-c', [file, ...args].map((a) => `'${String(a).replace(/'/g, `'\\''`)}'`).join(' ')]
    }
  }
  const r = spawnSync(cmd, argv, {encoding: 'utf8', timeout: 120_000})
  if (r.status !== 0) throw new Error(`${path.basename(file)} failed (${r.status}): ${(r.stderr || r.stdout || r.error?.message || '').slice(-2000)}`)
  return r.stdout
}

/**
 * Start a cluster. `durable: false` turns fsync off (tests: the server process is what gets
 * killed, not the database); the benchmark keeps PostgreSQL's defaults.
 */
export async function startPgCluster({durable = false} = {}) {
  const bin = findPgBin()
  const root = process.getuid && process.getuid() === 0
  const asUser = root ? 'postgres' : null
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-pg-'))
  const data = path.join(dir, 'data')
  if (asUser) {
    const u = userInfo(asUser)
    if (!u) throw new Error('running as root and there is no postgres user to run PostgreSQL as')
    chownSync(dir, u.uid, u.gid)
    chmodSync(dir, 0o700)
  }
  runPg(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', ...(durable ? [] : ['--no-sync'])], asUser)
  const port = await freePort()
  const opts = [`-p ${port}`, '-c listen_addresses=127.0.0.1', `-k ${dir}`, '-c max_connections=100', ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'])].join(' ')
  runPg(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-o', opts, '-w', '-t', '60', 'start'], asUser)
  let n = 0
  const url = (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`
  return {
    port,
    dir,
    url,
    /** A fresh database for one suite. */
    createDatabase(prefix = 'sjt') {
      const name = `${prefix}_${process.pid}_${++n}`
      runPg(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`], asUser)
      return url(name)
    },
    stop() {
      try {
        runPg(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], asUser)
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    },
  }
}

