// Runs an sjt command in this process (oclif's Config.load + runCommand), capturing stdout, stderr
// and the exit code like test/helpers/cli.ts does for the built binary, without a Node start per
// call. For tests where the exit code of a real process is not the point. Like the spawning helper
// of cli.ts it runs in the test process's temporary working folder (workCwd) unless given `cwd`, so
// what a command writes by default lands there, never in the checkout. Standard input is not
// given: tests that pipe text into a command spawn the binary with `input`.
import {Config} from '@oclif/core'
import type {CliResult} from './cli.js'
import {ROOT, workCwd} from './cli.js'

let config: Promise<Config> | undefined

export async function sjtIn(args: string[], opts: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<CliResult> {
  config ??= Config.load({root: ROOT})
  const c = await config
  // The command id is the longest run of leading words that names a command (`review-server token list`).
  let n = 0
  for (let i = 1; i <= args.length && !args[i - 1].startsWith('-'); i++) if (c.findCommand(args.slice(0, i).join(':'))) n = i
  if (n === 0) throw new Error(`no sjt command in ${args.join(' ')}`)
  const id = args.slice(0, n).join(':')
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
  let code: number
  try {
    await c.runCommand(id, args.slice(n))
    code = Number(process.exitCode ?? 0)
  } catch (error) {
    const e = error as Error & {oclif?: {exit?: number}}
    code = e.oclif?.exit ?? 70
    stderr.push(`${e.message}\n`)
  } finally {
    process.stdout.write = write.out
    process.stderr.write = write.err
    process.exitCode = undefined
    process.chdir(cwd)
    for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k]
    Object.assign(process.env, env)
  }
  return {code, stdout: stdout.join(''), stderr: stderr.join('')}
}
