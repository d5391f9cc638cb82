// `sjt --help` speaks the language of messages: zh-CN (by --lang, SJT_LANG or LANG) shows each
// command's summary, description, arguments, flags and the section headings in Chinese; en shows the
// commands' own English. Every text --help shows has a zh-CN entry, and no entry is left over.
import {Config, loadHelpClass} from '@oclif/core'
import {describe, expect, it} from 'vitest'
import {ROOT, sjt} from '../helpers/cli.js'
import zhHelp from '../../src/lib/i18n/help/zh-CN.js'
import {helpLang, helpTexts} from '../../src/lib/help.js'

let config: Promise<Config> | undefined

/** `sjt ARGV --help` in this process: the help class package.json names, as oclif loads it. */
async function helpIn(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{stdout: string}> {
  config ??= Config.load({root: ROOT})
  const c = await config
  const HelpClass = await loadHelpClass(c)
  const saved = {...process.env}
  const log = console.log
  const out: string[] = []
  Object.assign(process.env, {NO_COLOR: '1', LANG: 'en_US.UTF-8', SJT_LANG: '', LC_ALL: '', LC_MESSAGES: '', ...env})
  // oclif's help prints with console.log (ux.stdout).
  console.log = (...parts: unknown[]) => void out.push(`${parts.map(String).join(' ')}\n`)
  try {
    await new HelpClass(c, c.pjson.oclif.helpOptions).showHelp(argv)
  } finally {
    console.log = log
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
    Object.assign(process.env, saved)
  }
  return {stdout: out.join('')}
}

describe('sjt --help', () => {
  it('check --help in zh-CN: headings, summary, flags and arguments in Chinese', async () => {
    const r = await helpIn(['check', '--lang', 'zh-CN'])
    for (const s of ['用法', '参数', '选项', '全局选项', '说明', '示例', '对 PATH（默认 .）中的应用运行全部检查', '报告的输出目录（默认 reports/）', '提示信息和报告的语言', '<可选值: ']) expect(r.stdout).toContain(s)
    for (const s of ['USAGE', 'FLAGS', 'EXAMPLES', 'where reports go', '<options: ']) expect(r.stdout).not.toContain(s)
    // Examples are commands: they stay as written.
    expect(r.stdout).toContain('$ sjt check')
  })
  it('the same help in en (LANG=en_US) is the commands\' own English', async () => {
    const r = await helpIn(['check'], {LANG: 'en_US.UTF-8'})
    for (const s of ['USAGE', 'FLAGS', 'GLOBAL FLAGS', 'EXAMPLES', 'where reports go (default reports/)', '<options: ']) expect(r.stdout).toContain(s)
    expect(r.stdout).not.toMatch(/用法|全局选项|示例/)
  })
  it('SJT_LANG=zh-CN picks Chinese for a nested command; --lang en wins over it', async () => {
    const zh = await helpIn(['review-server', 'token', 'create'], {SJT_LANG: 'zh-CN'})
    expect(zh.stdout).toContain('为某一角色创建 API 令牌')
    expect(zh.stdout).toContain('令牌的权限角色')
    const en = await helpIn(['review-server', 'token', 'create', '--lang', 'en'], {SJT_LANG: 'zh-CN'})
    expect(en.stdout).toContain('Create an API token for a role')
    expect(en.stdout).toContain('what the token may do')
  })
  it('the language of help: --lang, then SJT_LANG, then LANG, else zh-CN', () => {
    expect(helpLang(['check', '--lang', 'en'], {LANG: 'zh_CN.UTF-8'})).toBe('en')
    expect(helpLang(['check', '--lang=zh-CN'], {LANG: 'en_US.UTF-8'})).toBe('zh-CN')
    expect(helpLang(['check'], {SJT_LANG: 'en', LANG: 'zh_CN.UTF-8'})).toBe('en')
    expect(helpLang(['check'], {LANG: 'en_US.UTF-8'})).toBe('en')
    expect(helpLang(['check'], {})).toBe('zh-CN')
  })
  it('every text --help shows has a zh-CN entry, and every entry is still shown', async () => {
    const config = await Config.load({root: ROOT})
    const shown = helpTexts(config.commands, config.topics, config.pjson.oclif.description ?? config.pjson.description)
    expect(shown.filter((s) => !Object.hasOwn(zhHelp, s))).toEqual([])
    expect(Object.keys(zhHelp).filter((s) => !shown.includes(s))).toEqual([])
    // A translation keeps the flags, commands and files it names.
    const named = (s: string) => [...s.matchAll(/--[a-z][a-z-]+|\b[\w.-]+\.(?:ya?ml|json|md)\b/g)].map((m) => m[0]).sort()
    expect(Object.entries(zhHelp).filter(([en, zh]) => named(en).some((w) => !zh.includes(w))).map(([en]) => en)).toEqual([])
  })
  it('sjt --help (the real binary) lists the commands in Chinese under LANG=zh_CN', async () => {
    const r = await sjt(['--help'], {env: {LANG: 'zh_CN.UTF-8', SJT_LANG: '', LC_ALL: ''}})
    expect(r.code).toBe(0)
    for (const s of ['按山西省一体化在线政务服务平台', '版本', '用法', '命令', '主题', '按省级标准检查应用', '提交审核']) expect(r.stdout).toContain(s)
    expect(r.stdout).not.toContain('COMMANDS')
  })
})
