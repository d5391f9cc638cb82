// Machine-wide mutual exclusion for work that must never overlap on one machine (Lighthouse:
// concurrent runs share CPU and skew every metric). Two layers:
//   1. an in-process queue per lock name, so concurrent apps of one `sjt` wait their turn
//      without touching the disk;
//   2. a lock file created with O_EXCL in the lock folder (SJT_LOCK_DIR, else os.tmpdir()), so
//      several `sjt` processes on the machine take turns too.
// The holder writes {pid, host, token, since} into the file and touches it every few seconds.
// A lock is stale (and is broken) when its pid is gone on this host, or when it has not been
// touched for `staleMs` (a reused pid, a frozen process, a file left by another host's tmp).
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync} from 'node:fs'
import {randomBytes} from 'node:crypto'
import os from 'node:os'
import path from 'node:path'

export interface LockInfo {
  pid: number
  host: string
  token: string
  since: string
  label?: string
}

export interface LockOptions {
  /** Folder of the lock files (default SJT_LOCK_DIR, else the OS temp folder). */
  dir?: string
  /** What the holder is doing, shown to whoever waits (e.g. "lighthouse http://…"). */
  label?: string
  /** Called once when the lock is busy, with who holds it (for progress lines). */
  onWait?: (holder: LockInfo | null) => void
  /** Give up after this long (ms); default: wait as long as it takes. */
  timeoutMs?: number
  /** A lock file untouched for this long is stale (default 60 s; the holder touches it every 5 s). */
  staleMs?: number
  /** Poll interval while another process holds the lock (default 150 ms, growing to 1 s). */
  pollMs?: number
}

export class LockTimeoutError extends Error {
  constructor(
    public readonly file: string,
    public readonly holder: LockInfo | null,
  ) {
    super(`timed out waiting for ${file}${holder ? ` (held by pid ${holder.pid}${holder.label ? `: ${holder.label}` : ''})` : ''}`)
    this.name = 'LockTimeoutError'
  }
}

const queues = new Map<string, Promise<void>>()
const held = new Set<string>()
let exitHooked = false

function lockDir(opts: LockOptions): string {
  return opts.dir ?? process.env.SJT_LOCK_DIR ?? os.tmpdir()
}

/** The lock file of `name`; per user, since a shared temp folder does not let one user remove another's file. */
export function lockFile(name: string, opts: LockOptions = {}): string {
  const uid = typeof process.getuid === 'function' ? `-${process.getuid()}` : ''
  return path.join(lockDir(opts), `sjt-${name.replace(/[^a-z0-9_-]+/gi, '_')}${uid}.lock`)
}

function hookExit(): void {
  if (exitHooked) return
  exitHooked = true
  // Leave no lock behind on a normal exit or a signal (a SIGKILL leaves a stale lock, which the
  // next process detects by pid).
  process.once('exit', () => {
    for (const f of held) {
      try {
        unlinkSync(f)
      } catch {
        // gone already
      }
    }
  })
}

/** The holder recorded in a lock file, or null when it is unreadable (being written, or junk). */
function readHolder(file: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as LockInfo
    return typeof v.pid === 'number' && typeof v.token === 'string' ? v : null
  } catch {
    return null
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether the lock file is stale: its holder died, or it was not touched for staleMs. */
export function isStale(file: string, staleMs: number): boolean {
  let mtime: number
  try {
    mtime = statSync(file).mtimeMs
  } catch {
    return false // gone: not stale, just free
  }
  const holder = readHolder(file)
  if (holder && holder.host === os.hostname() && !pidAlive(holder.pid)) return true
  // An unreadable file is given a moment (its writer may be between open and write).
  return Date.now() - mtime > (holder ? staleMs : Math.min(staleMs, 5_000))
}

function tryCreate(file: string, info: LockInfo): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o644)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    writeSync(fd, JSON.stringify(info))
  } finally {
    closeSync(fd)
  }
  return true
}

/** Breaks a stale lock: moved aside atomically first, so two breakers never delete a fresh lock. */
function breakStale(file: string, staleMs: number): void {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    renameSync(file, aside)
  } catch {
    return // someone else broke or released it
  }
  // Between the staleness check and the rename another process may have broken the stale lock
  // and taken a fresh one; if what we moved aside is live, put it back.
  if (!isStale(aside, staleMs)) {
    try {
      if (!existsSync(file)) renameSync(aside, file)
      else unlinkSync(aside)
    } catch {
      // best effort
    }
    return
  }
  try {
    unlinkSync(aside)
  } catch {
    // best effort
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function acquireFile(file: string, opts: LockOptions): Promise<LockInfo> {
  const staleMs = opts.staleMs ?? 60_000
  const info: LockInfo = {pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex'), since: new Date().toISOString(), ...(opts.label ? {label: opts.label} : {})}
  mkdirSync(path.dirname(file), {recursive: true})
  const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs
  let poll = opts.pollMs ?? 150
  let told = false
  for (;;) {
    if (tryCreate(file, info)) return info
    if (isStale(file, staleMs)) {
      breakStale(file, staleMs)
      continue
    }
    if (!told) {
      told = true
      opts.onWait?.(readHolder(file))
    }
    if (Date.now() >= deadline) throw new LockTimeoutError(file, readHolder(file))
    await sleep(Math.min(poll, Math.max(0, deadline - Date.now())))
    poll = Math.min(1_000, Math.round(poll * 1.3))
  }
}

function release(file: string, token: string): void {
  held.delete(file)
  // Only remove our own lock (it may have been broken as stale and retaken by another process).
  if (readHolder(file)?.token !== token) return
  try {
    unlinkSync(file)
  } catch {
    // already gone
  }
}

/**
 * Runs `fn` while holding the machine-wide lock `name`: one at a time in this process (FIFO)
 * and across processes. The lock is released when `fn` settles, whatever the outcome.
 */
export async function withMachineLock<T>(name: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const file = lockFile(name, opts)
  const prev = queues.get(file) ?? Promise.resolve()
  let done!: () => void
  const mine = new Promise<void>((r) => (done = r))
  const tail = prev.then(() => mine)
  queues.set(file, tail)
  try {
    // In-process turn first (no disk polling while a sibling app holds the lock).
    let waited = false
    const inProcess = prev.then(() => undefined)
    const pending = await Promise.race([inProcess.then(() => false), sleep(0).then(() => true)])
    if (pending) {
      waited = true
      opts.onWait?.({pid: process.pid, host: os.hostname(), token: '', since: '', label: 'this process'})
      if (opts.timeoutMs !== undefined) {
        const timer = sleep(opts.timeoutMs).then(() => 'timeout' as const)
        if ((await Promise.race([inProcess, timer])) === 'timeout') throw new LockTimeoutError(file, null)
      } else await inProcess
    }
    const info = await acquireFile(file, waited ? {...opts, onWait: undefined} : opts)
    held.add(file)
    hookExit()
    const beat = setInterval(() => {
      try {
        const now = new Date()
        utimesSync(file, now, now)
      } catch {
        // the file was removed under us; release() copes
      }
    }, 5_000)
    beat.unref()
    try {
      return await fn()
    } finally {
      clearInterval(beat)
      release(file, info.token)
    }
  } finally {
    done()
    if (queues.get(file) === tail) queues.delete(file)
  }
}
