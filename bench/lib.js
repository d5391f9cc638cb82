// Shared helpers of the benchmarks: timing, interleaving, medians, the machine's description.
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const ANCHORS = path.join(ROOT, 'bench', 'anchors', 'node_modules', '.bin')

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}

/** Wall time of a command in ms (spawnSync), with its exit status. */
export function timeCommand(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd, args, {stdio: opts.stdio ?? 'ignore', cwd: opts.cwd ?? ROOT, env: {...process.env, ...opts.env}, timeout: opts.timeout ?? 600_000})
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  return {ms, status: r.status}
}

/** Wall time of a command in ms without blocking the event loop (loopback servers in this process keep answering), with its exit code and output. */
export function timeAsync(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const child = spawn(cmd, args, {cwd: opts.cwd ?? ROOT, env: {...process.env, NO_COLOR: '1', ...opts.env}, stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ms: Number(process.hrtime.bigint() - t0) / 1e6, code, out}))
  })
}

/** Run A and B alternately (A B A B …) `rounds` times; returns both medians and the ratio A/B. */
export async function interleave(rounds, a, b) {
  const ta = []
  const tb = []
  for (let i = 0; i < rounds; i++) {
    ta.push(await a(i))
    tb.push(await b(i))
  }
  return {a: median(ta), b: median(tb), ratio: median(ta) / median(tb), samplesA: ta, samplesB: tb}
}

export function machine() {
  let chromium = 'not found'
  try {
    chromium = execFileSync(process.env.CHROME_PATH || '/usr/bin/chromium', ['--version'], {encoding: 'utf8'}).trim()
  } catch {
    // none
  }
  return {cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, os: `${os.platform()} ${os.release()}`, chromium}
}

export function printMachine() {
  const m = machine()
  console.log(`machine: ${m.cores} cores (${m.cpu}), ${m.memGiB} GiB, Node ${m.node}, ${m.chromium}`)
  return m
}
