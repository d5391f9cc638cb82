// `sjt --help` in the language of messages (--lang, SJT_LANG, LANG; else zh-CN): oclif's own help,
// given each command's texts from the language's help table (src/lib/i18n/help/<lang>.ts; English
// is the commands' own text) and its section headings from the message catalogue. Loaded by oclif
// only to show help (package.json oclif.helpClass), never on `sjt --version` or a normal run.
import {Help, type Command, type Interfaces} from '@oclif/core'
import {resolveLang, t, type Lang, type MessageKey} from './i18n/index.js'
import zhCN from './i18n/help/zh-CN.js'

/** Each language's help table: English text of a command, flag, argument or topic → its text. */
const TABLES: Partial<Record<Lang, Record<string, string>>> = {'zh-CN': zhCN}

const HEADINGS: Record<string, MessageKey> = {
  USAGE: 'help.heading.usage',
  ARGUMENTS: 'help.heading.arguments',
  FLAGS: 'help.heading.flags',
  'GLOBAL FLAGS': 'help.heading.globalFlags',
  DESCRIPTION: 'help.heading.description',
  EXAMPLES: 'help.heading.examples',
  ALIASES: 'help.heading.aliases',
  COMMANDS: 'help.heading.commands',
  TOPICS: 'help.heading.topics',
  VERSION: 'help.heading.version',
  'FLAG DESCRIPTIONS': 'help.heading.flagDescriptions',
}

/** The language help is shown in: --lang among the words, else SJT_LANG, LC_ALL, LANG …, else zh-CN. */
export function helpLang(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Lang {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='))
  const flag = i < 0 ? undefined : argv[i].startsWith('--lang=') ? argv[i].slice('--lang='.length) : argv[i + 1]
  return resolveLang(flag, env)
}

/** A command's, flag's or topic's text in `lang`: the help table's entry, else the text as written. */
function helpText<S extends string | undefined>(lang: Lang, text: S): S {
  const table = TABLES[lang]
  return (text && table && Object.hasOwn(table, text) ? table[text] : text) as S
}

/** Every English text that --help shows for these commands and topics (what a help table translates). */
export function helpTexts(commands: Command.Loadable[], topics: Interfaces.Topic[], root?: string): string[] {
  const out = new Set<string>()
  const add = (s?: string) => void (s && out.add(s))
  add(root)
  for (const tp of topics) if (!tp.hidden) add(tp.description)
  for (const c of commands) {
    if (c.hidden) continue
    add(c.summary)
    add(c.description)
    for (const a of Object.values(c.args ?? {})) add(a.description)
    for (const f of Object.values(c.flags ?? {})) if (!f.hidden) (add(f.summary), add(f.description))
    for (const e of c.examples ?? []) if (typeof e !== 'string') add(e.description)
  }
  return [...out]
}

function localise(c: Command.Loadable, lang: Lang): Command.Loadable {
  if (!TABLES[lang]) return c
  const tr = <S extends string | undefined>(s: S) => helpText(lang, s)
  return {
    ...c,
    summary: tr(c.summary),
    description: tr(c.description),
    args: Object.fromEntries(Object.entries(c.args ?? {}).map(([n, a]) => [n, {...a, description: tr(a.description)}])),
    flags: Object.fromEntries(Object.entries(c.flags ?? {}).map(([n, f]) => [n, {...f, summary: tr(f.summary), description: tr(f.description)}])) as Command.Loadable['flags'],
    examples: c.examples?.map((e) => (typeof e === 'string' ? e : {...e, description: tr(e.description)})),
  }
}

export default class SjtHelp extends Help {
  private lang: Lang = helpLang(process.argv.slice(2))

  async showHelp(argv: string[]): Promise<void> {
    this.lang = helpLang(argv)
    return super.showHelp(argv)
  }

  async showCommandHelp(command: Command.Loadable): Promise<void> {
    return super.showCommandHelp(localise(command, this.lang))
  }

  protected formatCommands(commands: Command.Loadable[]): string {
    return super.formatCommands(commands.map((c) => localise(c, this.lang)))
  }

  protected formatTopics(topics: Interfaces.Topic[]): string {
    return super.formatTopics(topics.map((tp) => ({...tp, description: helpText(this.lang, tp.description)})))
  }

  protected formatTopic(topic: Interfaces.Topic): string {
    return super.formatTopic({...topic, description: helpText(this.lang, topic.description)})
  }

  formatRoot(): string {
    const pjson = this.config.pjson
    const written = pjson.oclif.description ?? pjson.description
    const shown = helpText(this.lang, written)
    if (shown === written) return super.formatRoot()
    const config = this.config
    this.config = Object.create(config, {pjson: {value: {...pjson, description: shown, oclif: {...pjson.oclif, description: shown}}}})
    try {
      return super.formatRoot()
    } finally {
      this.config = config
    }
  }

  /** Section headings (a line of capitals at the margin, maybe bold) and oclif's own words, in the language. */
  protected log(...args: string[]): void {
    const lang = this.lang
    super.log(
      ...args.map((text) =>
        text
          .replace(/^((?:\u001B\[[\d;]*m)*)([A-Z][A-Z ]*[A-Z])((?:\u001B\[[\d;]*m)*)$/gm, (m, pre: string, head: string, post: string) =>
            Object.hasOwn(HEADINGS, head) ? pre + t(lang, HEADINGS[head]) + post : m,
          )
          .replaceAll('<options: ', `<${t(lang, 'help.word.options')}: `)
          .replaceAll('[default: ', `[${t(lang, 'help.word.default')}: `),
      ),
    )
  }
}
