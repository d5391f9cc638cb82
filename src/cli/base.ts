// The base of every command: --lang and --debug, and clean exits for user errors (exit 2/3,
// one or two lines, no stack trace without --debug).
import {Command, Flags, Errors} from '@oclif/core'
import type {Input, ParserOutput} from '@oclif/core/interfaces'

// oclif's FlagOutput/ArgOutput (not exported from @oclif/core/interfaces).
type FlagOutput = {[name: string]: any}
type ArgOutput = {[name: string]: any}
import {SjtError} from '../lib/errors.js'
import type {Lang} from '../core/types.js'
import {resolveLang, t} from '../lib/i18n/index.js'
import {nearest} from '../lib/words.js'

export abstract class SjtCommand extends Command {
  static baseFlags = {
    lang: Flags.string({description: 'language of messages and reports (default from LANG, else zh-CN)', options: ['zh-CN', 'en'], helpGroup: 'GLOBAL'}),
    debug: Flags.boolean({description: 'print stack traces of errors', default: false, helpGroup: 'GLOBAL'}),
  }

  protected lang: Lang = 'zh-CN'
  protected debugOn = false

  async init(): Promise<void> {
    await super.init()
    const argv = this.argv
    const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='))
    const flag = i >= 0 ? (argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1]) : undefined
    this.lang = resolveLang(flag)
    this.debugOn = argv.includes('--debug') || process.env.SJT_DEBUG === '1'
  }

  /**
   * oclif fills a missing argument from piped stdin; sjt never does (a `while read …; do sjt …;
   * done < list` loop would lose its list, and `printf x | sjt check` would check a file "x").
   * Standard input is read only where a command is given `-` (src/lib/stdin.ts).
   */
  protected async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(
    options?: Input<F, B, A>,
    argv?: string[],
  ): Promise<ParserOutput<F, B, A>> {
    const input = (options ?? this.ctor) as Input<F, B, A>
    const args = Object.fromEntries(Object.entries(input.args ?? {}).map(([name, arg]) => [name, {...arg, ignoreStdin: true}]))
    // A command class keeps its inherited statics (baseFlags) on the prototype chain: name them.
    const {flags, baseFlags, constraints, enableJsonFlag, strict, context} = input
    return super.parse({flags, baseFlags, constraints, enableJsonFlag, strict, context, '--': input['--'], args} as Input<F, B, A>, argv)
  }

  /**
   * Find sjt.config.yaml from the current folder upwards and apply its `lang:` (below --lang and
   * SJT_LANG). Returns the config for the command's other settings (src/core/settings.ts).
   */
  protected async loadSettings(flags: Record<string, unknown>): Promise<{config: import('../core/config.js').SjtConfig; file?: string}> {
    const [{loadConfig}, {resolveLangSetting}] = await Promise.all([import('../core/config.js'), import('../core/settings.js')])
    const loaded = loadConfig(process.cwd(), this.lang, typeof flags.config === 'string' ? flags.config : undefined)
    this.lang = resolveLangSetting({flags, config: loaded.config})
    return loaded
  }

  /** Write to stdout without oclif's formatting. */
  protected out(s: string): void {
    process.stdout.write(s.endsWith('\n') ? s : s + '\n')
  }

  /** Progress and notes go to stderr, so stdout stays clean for --json. */
  protected note(s: string): void {
    process.stderr.write(s.endsWith('\n') ? s : s + '\n')
  }

  protected async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (err instanceof SjtError) {
      process.stderr.write(`sjt: ${err.format()}\n`)
      if (this.debugOn && err.stack) process.stderr.write(err.stack + '\n')
      process.exitCode = err.exitCode
      return
    }
    if (err instanceof Errors.ExitError) throw err
    // oclif's parse errors (unknown flag, bad option) are command-line errors: exit 2, in the user's language.
    if (err.oclif?.exit !== undefined || /Nonexistent flag|Unexpected argument|Expected --|Missing required flag|Missing \d+ required arg|expects a value|Parsing --/.test(err.message)) {
      const command = `sjt ${this.id?.replace(/:/g, ' ') ?? ''}`.trim()
      const flagNames = Object.keys({...((this.ctor as {flags?: object}).flags ?? {}), ...SjtCommand.baseFlags}).map((f) => `--${f}`)
      process.stderr.write(`sjt: ${parserMessage(err.message, this.lang, flagNames)}\n  ${t(this.lang, 'cli.seeHelp', {command})}\n`)
      process.exitCode = 2
      // The command line was read (and refused): no "did not parse" warning under NODE_ENV=development|test.
      this.parsed = true
      return
    }
    process.stderr.write(`sjt: internal error: ${err.message}\n`)
    if (this.debugOn && err.stack) process.stderr.write(err.stack + '\n')
    else process.stderr.write('  run again with --debug for the stack trace, and report it with the command you ran\n')
    process.exitCode = 70
  }
}

/** oclif's parser messages in the user's language, with the nearest flag for a mistyped one. */
export function parserMessage(message: string, lang: Lang, flags: string[] = []): string {
  const text = message.replace(/\n?See more help with --help\s*$/m, '').trim()
  let m: RegExpExecArray | null
  if ((m = /Nonexistent flags?: (\S+)/.exec(text))) {
    const flag = m[1].split('=')[0].replace(/,$/, '')
    const near = nearest(flag, flags)
    return t(lang, 'cli.nonexistentFlag', {flag}) + (near ? `; ${t(lang, 'cli.didYouMean', {suggestion: near})}` : '')
  }
  if ((m = /Unexpected arguments?: (.+)/.exec(text))) return t(lang, 'cli.unexpectedArgument', {arg: m[1].trim()})
  if ((m = /Expected (--[\w-]+)=(.*) to be one of: (.+)/.exec(text))) return t(lang, 'cli.badOption', {flag: m[1], value: m[2], options: m[3].trim()})
  if ((m = /Flag (--[\w-]+) expects a value/.exec(text))) return t(lang, 'cli.expectedValue', {flag: m[1]})
  if ((m = /Missing required flag:?\s*(?:--)?([\w-]+)/.exec(text))) return t(lang, 'cli.missingFlag', {flag: `--${m[1]}`})
  if ((m = /Missing \d+ required args?:\s*\n(\S+)/.exec(text))) return t(lang, 'cli.missingArg', {arg: m[1]})
  if ((m = /Parsing (--[\w-]+)\s*\n\s*(.+)/.exec(text))) {
    const int = /Expected an integer but received: (.*)/.exec(m[2])
    return int ? t(lang, 'cli.badInteger', {flag: m[1], value: int[1].trim()}) : t(lang, 'cli.badValue', {flag: m[1], detail: m[2].trim()})
  }
  return text.split('\n').filter((l) => l.trim()).slice(0, 2).join('\n')
}
