// Runs an sjt command in this process (oclif's Config.load + runCommand), capturing stdout, stderr
// and the exit code like test/helpers/cli.ts does for the built binary, without a Node start per
// call. For tests where the exit code of a real process is not the point.
import {Config} from '@oclif/core'
import type {CliResult} from './cli.js'
import {ROOT} from './cli.js'

let config: Promise<Config> | undefined

export async function sjtIn(args: string[], opts: {env?: NodeJS.ProcessEnv} = {}): Promise<CliResult> {
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
    for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k]
    Object.assign(process.env, env)
  }
  return {code, stdout: stdout.join(''), stderr: stderr.join('')}
}
