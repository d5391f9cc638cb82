import {Args, Flags} from '@oclif/core'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {createInterface} from 'node:readline/promises'
import {SjtCommand} from '../cli/base.js'
import {t} from '../lib/i18n/index.js'
import {configTemplate, manifestTemplate, type InitAnswers} from '../core/init-templates.js'
import {starterContract} from '../core/init-contract.js'

/** Ctrl+D (end of input) at a prompt: the user cancelled. */
class Cancelled extends Error {}

export default class Init extends SjtCommand {
  static summary = 'Write a commented sjt.yaml manifest, a starter openapi.yaml contract and sjt.config.yaml to fill in'
  static description = 'Values not given as flags are asked for on a terminal (or left as <…> placeholders with --yes; `sjt check manifest` says "fill in …" for each one left). openapi.yaml holds the operations of the provincial contracts. Ctrl+D at a prompt cancels (exit 130).'
  static examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init my-app --yes',
    '<%= config.bin %> init my-mp --yes --type miniprogram --platform wechat',
    '<%= config.bin %> init . --id ty-gjj-withdraw --name 太原公积金提取 --region-code 140100 --level city --credit-code 12140100MB0123457K',
  ]
  static args = {dir: Args.string({description: 'folder to write into (default .)', required: false})}
  static flags = {
    id: Flags.string({description: 'app id, e.g. ty-gjj-withdraw'}),
    name: Flags.string({description: 'app name (2–30 characters)'}),
    department: Flags.string({description: 'owning department'}),
    'credit-code': Flags.string({description: "the department's 统一社会信用代码"}),
    'region-code': Flags.string({description: 'GB/T 2260 region code in Shanxi, e.g. 140100'}),
    level: Flags.string({description: 'province, city or county', options: ['province', 'city', 'county']}),
    entry: Flags.string({description: 'https entry URL'}),
    type: Flags.string({description: 'h5 (pages checked by URL) or miniprogram (a WeChat or Alipay source project)', options: ['h5', 'miniprogram']}),
    platform: Flags.string({description: 'with --type miniprogram: wechat or alipay (default wechat)', options: ['wechat', 'alipay']}),
    project: Flags.string({description: 'with --type miniprogram: the project folder, relative to the manifest (default ./miniprogram)'}),
    yes: Flags.boolean({char: 'y', description: 'ask nothing; leave placeholders', default: false}),
    force: Flags.boolean({description: 'overwrite existing files', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Init)
    const dir = path.resolve(args.dir ?? '.')
    mkdirSync(dir, {recursive: true})
    const answers: InitAnswers = {
      id: flags.id,
      name: flags.name,
      department: flags.department,
      creditCode: flags['credit-code'],
      regionCode: flags['region-code'],
      level: flags.level as InitAnswers['level'],
      entry: flags.entry,
      type: flags.type as InitAnswers['type'],
      platform: flags.platform as InitAnswers['platform'],
      project: flags.project,
    }
    if (!flags.yes && process.stdin.isTTY) {
      try {
        await this.ask(answers)
      } catch (error) {
        if (!(error instanceof Cancelled)) throw error
        process.stderr.write(`\nsjt: ${t(this.lang, 'cli.cancelled')}\n`)
        process.exitCode = 130
        return
      }
    }
    const server = (() => {
      try {
        return new URL(answers.entry ?? '').origin + '/api'
      } catch {
        return 'https://<host>.gov.cn/api'
      }
    })()
    const files: Array<[string, string]> = [
      ['sjt.yaml', manifestTemplate(answers, this.lang)],
      ['openapi.yaml', starterContract({title: answers.name ?? '<应用名称>', version: '1.0.0', server, lang: this.lang})],
      ['sjt.config.yaml', configTemplate(this.lang)],
    ]
    for (const [name, text] of files) {
      const f = path.join(dir, name)
      if (existsSync(f) && !flags.force) {
        this.note(t(this.lang, 'init.exists', {file: f}))
        continue
      }
      writeFileSync(f, text)
      this.out(t(this.lang, 'init.wrote', {file: f}))
    }
    this.out(t(this.lang, 'init.next', {dir: path.relative(process.cwd(), dir) || '.'}))
  }

  private async ask(a: InitAnswers): Promise<void> {
    const rl = createInterface({input: process.stdin, output: process.stderr})
    // Ctrl+D closes the input: every pending and later question ends as a cancel.
    let closed = false
    const ended = new Promise<never>((_, reject) => rl.once('close', () => ((closed = true), reject(new Cancelled()))))
    ended.catch(() => undefined)
    const q = async (label: string, cur?: string) => {
      if (cur !== undefined) return cur
      if (closed) throw new Cancelled()
      return (await Promise.race([rl.question(`${label}: `), ended])).trim() || undefined
    }
    try {
      a.id = await q(t(this.lang, 'init.ask.id'), a.id)
      a.name = await q(t(this.lang, 'init.ask.name'), a.name)
      a.department = await q(t(this.lang, 'init.ask.department'), a.department)
      a.creditCode = await q(t(this.lang, 'init.ask.creditCode'), a.creditCode)
      a.regionCode = await q(t(this.lang, 'init.ask.regionCode'), a.regionCode)
      const lvl = await q(t(this.lang, 'init.ask.level'), a.level)
      a.level = lvl === 'province' || lvl === 'city' || lvl === 'county' ? lvl : undefined
      a.entry = await q(t(this.lang, 'init.ask.entry'), a.entry)
    } finally {
      rl.close()
    }
  }
}
