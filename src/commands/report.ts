import {Args, Flags} from '@oclif/core'
import {SjtCommand} from '../cli/base.js'
import {readResult} from '../core/run.js'
import {InputError} from '../lib/errors.js'
import {parseFormats, writeReports} from '../report/index.js'
import {renderText, useColor} from '../report/text.js'
import {exitCodeOf} from '../core/result.js'
import {t} from '../lib/i18n/index.js'
import {resolveSettings} from '../core/settings.js'

export default class Report extends SjtCommand {
  static summary = 'Render a saved result document again (html, md, pdf, junit, sarif), verify it, or merge shards'
  static examples = [
    '<%= config.bin %> report reports/ty-gjj-withdraw/result.json --format html,md,junit,sarif --out out/',
    '<%= config.bin %> report reports/ty-gjj-withdraw/result.json --verify',
    '<%= config.bin %> report --merge shard-1/ shard-2/ --out reports/',
  ]
  static strict = false
  static args = {result: Args.string({description: 'result.json written by sjt check (several with --merge; - reads it from stdin)', required: true})}
  static flags = {
    format: Flags.string({description: 'html, md, pdf, junit, sarif, json, text (comma-separated)', default: 'text'}),
    out: Flags.string({description: 'output folder (default: out in sjt.config.yaml, else reports/)'}),
    verify: Flags.boolean({description: 'check the digest and signature; exit 1 when they do not match', default: false}),
    key: Flags.string({description: 'with --verify: the trusted public key (PEM) instead of the one in the document'}),
    merge: Flags.boolean({description: 'join the results of several shards (files or folders) into one summary', default: false}),
    'chrome-path': Flags.string({description: 'browser for the pdf format'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Report)
    const {config, file: configFile} = await this.loadSettings(flags)
    const settings = resolveSettings({flags, config, configFile, lang: this.lang})
    const outDir = settings.out!
    const files = argv as string[]
    if (flags.merge) {
      const {mergeResults} = await import('../core/merge.js')
      const out = mergeResults(files, outDir, this.lang)
      for (const id of out.duplicates) this.note(t(this.lang, 'merge.duplicate', {id}))
      this.note(t(this.lang, 'merge.done', out.summary.totals))
      this.out(out.summaryFile)
      process.exitCode = out.exitCode
      return
    }
    if (files.length !== 1) throw new InputError(t(this.lang, 'report.oneResult'))
    const doc = readResult(files[0], this.lang)
    if (flags.verify) {
      const {verifyDocument} = await import('../core/sign.js')
      const v = verifyDocument(doc, flags.key, this.lang)
      this.out(v.digestOk ? t(this.lang, 'report.verify.digestOk') : t(this.lang, 'report.verify.digestMismatch', {expected: v.expected}))
      this.out(t(this.lang, `report.verify.signature.${v.signature}`))
      process.exitCode = v.digestOk && v.signature !== 'invalid' ? 0 : 1
      return
    }
    const formats = parseFormats(flags.format, this.lang)
    if (formats.includes('text')) process.stdout.write(renderText(doc, {lang: this.lang, color: useColor()}))
    if (formats.includes('json')) process.stdout.write(JSON.stringify(doc, null, 2) + '\n')
    const rest = formats.filter((f) => f !== 'text' && f !== 'json')
    if (rest.length) {
      const written = await writeReports(doc, rest, outDir, {lang: this.lang, chromePath: settings.chromePath})
      for (const f of written.slice(1)) this.note(f)
    }
    process.exitCode = exitCodeOf(doc) === 3 ? 3 : 0
  }
}
