// Runs an sjt command in this process (oclif's Config.load, then its run), capturing stdout,
// stderr and the exit code like test/helpers/cli.ts does for the built binary, without a Node start
// per call. For tests where the exit code of a real process is not the point. Like the spawning helper
// of cli.ts it runs in the test process's temporary working folder (workCwd) unless given `cwd`, so
// what a command writes by default lands there, never in the checkout. Standard input is not
// given: tests that pipe text into a command spawn the binary with `input`.
import {format} from 'node:util'
import {Config, run} from '@oclif/core'
import type {CliResult} from './cli.js'
import {ROOT, workCwd} from './cli.js'

// A command run here owns the process's working folder, environment and output streams until it
// ends: runs are queued one after another (a run left behind by a timed-out test never mixes its
// output into the next test's).
let queue: Promise<unknown> = Promise.resolve()

export function sjtIn(args: string[], opts: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<CliResult> {
  const next = queue.then(() => runHere(args, opts))
  queue = next.catch(() => undefined)
  return next
}

async function runHere(args: string[], opts: {cwd?: string; env?: NodeJS.ProcessEnv}): Promise<CliResult> {
  // A fresh Config per run: oclif's run keeps state in it (after `review-server --help`, the topic's
  // subcommands were not found in the same Config). Loading it from the manifest takes milliseconds.
  const c = await Config.load({root: ROOT})
  // oclif's own `run` (as bin/run.js does, without its final exit): --help, topics and --version
  // answer as they do for the binary. An unknown command would reach the not-found hook, which
  // ends the process: refused here instead.
  const firstFlag = args.findIndex((a) => a.startsWith('-'))
  const words = firstFlag === -1 ? args : args.slice(0, firstFlag)
  const known = words.length === 0 || words.some((_w, i) => c.findCommand(words.slice(0, i + 1).join(':')) || c.findTopic(words.slice(0, i + 1).join(':')))
  if (!known) throw new Error(`no sjt command in ${args.join(' ')}`)
  const stdout: string[] = []
  const stderr: string[] = []
  const env = {...process.env}
  const write = {out: process.stdout.write, err: process.stderr.write}
  const cwd = process.cwd()
  process.chdir(opts.cwd ?? workCwd())
  Object.assign(process.env, {NO_COLOR: '1', LANG: 'en_US.UTF-8', ...opts.env})
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) delete process.env[k]
  process.exitCode = undefined
  process.stdout.write = ((chunk: string | Uint8Array) => stdout.push(String(chunk)) > 0) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write
  // oclif prints help and its own messages with console.log/console.error, which the test runner
  // takes over in its workers: those lines are captured too.
  const cons = {log: console.log, info: console.info, warn: console.warn, error: console.error}
  console.log = console.info = (...a: unknown[]) => void stdout.push(`${format(...a)}\n`)
  console.warn = console.error = (...a: unknown[]) => void stderr.push(`${format(...a)}\n`)
  let code: number
  try {
    await run(args, c)
    code = Number(process.exitCode ?? 0)
  } catch (error) {
    const e = error as Error & {oclif?: {exit?: number}}
    code = e.oclif?.exit ?? 70
    stderr.push(`${e.message}\n`)
  } finally {
    process.stdout.write = write.out
    process.stderr.write = write.err
    Object.assign(console, cons)
    process.exitCode = undefined
    process.chdir(cwd)
    for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k]
    Object.assign(process.env, env)
  }
  return {code, stdout: stdout.join(''), stderr: stderr.join('')}
}
