// The base of every command: --lang and --debug, and clean exits for user errors (exit 2/3,
// one or two lines, no stack trace without --debug).
import {Command, Flags, Errors} from '@oclif/core'
import type {Input, ParserOutput} from '@oclif/core/interfaces'

// oclif's FlagOutput/ArgOutput (not exported from @oclif/core/interfaces).
type FlagOutput = {[name: string]: any}
type ArgOutput = {[name: string]: any}
import {SjtError} from '../core/errors.js'
import type {Lang} from '../core/types.js'
import {resolveLang} from './i18n/index.js'

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
    // oclif's parse errors (unknown flag, bad option) are command-line errors: exit 2.
    if (err.oclif?.exit !== undefined || /Nonexistent flag|Unexpected argument|Expected --|Missing required flag|Parsing --/.test(err.message)) {
      process.stderr.write(`sjt: ${err.message.split('\n').filter((l) => l.trim() && !/^See more help with/.test(l)).slice(0, 2).join('\n')}\n  sjt ${this.id?.replace(/:/g, ' ') ?? ''} --help\n`)
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
