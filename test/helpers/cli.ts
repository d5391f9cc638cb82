// Runs the built CLI (bin/run.js) as a user would, capturing stdout, stderr and the exit code.
import {spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = path.join(ROOT, 'bin', 'run.js')

// Folders sjt writes into when no --out is given (reports/, the outbox, .sjt/): never the checkout's.
const WRITABLE = new Set(['.git', 'reports', '.sjt', '.sjt-outbox', 'coverage'])
let workDir: string | undefined

/**
 * The default working folder of `sjt(...)`: a temporary folder that links the checkout's read-only
 * entries (fixtures/, standards/, docs/ …), so relative fixture paths work as from the checkout while
 * everything sjt writes by default (reports/, .sjt-outbox/) lands in the temporary folder. One per
 * test process, removed when it exits.
 */
export function workCwd(): string {
  if (workDir) return workDir
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-cwd-'))
  for (const name of readdirSync(ROOT)) if (!WRITABLE.has(name)) symlinkSync(path.join(ROOT, name), path.join(dir, name))
  process.once('exit', () => rmSync(dir, {recursive: true, force: true}))
  workDir = dir
  return dir
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  /** With `peakMemory`: the peak resident memory (VmHWM, Linux /proc) of sjt's Node process, MiB. */
  peakMiB?: number
}

export function sjt(args: string[], opts: {cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; peakMemory?: boolean} = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? workCwd(),
      env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', ...opts.env},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    let peakKiB = 0
    const sample = opts.peakMemory
      ? setInterval(() => {
          try {
            const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
            if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]))
          } catch {
            // exited
          }
        }, 100)
      : undefined
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      clearInterval(sample)
      resolve({code: code ?? -1, stdout, stderr, ...(opts.peakMemory ? {peakMiB: Math.round(peakKiB / 1024)} : {})})
    })
    child.stdin.end(opts.input ?? '')
  })
}

/** Parse the JSON a `--json` run printed; fails the test with the output when it is not JSON. */
export function json<T = any>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout.slice(0, 2000)}\nstderr:\n${r.stderr.slice(0, 2000)}`)
  }
}
