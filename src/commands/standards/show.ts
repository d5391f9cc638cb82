import {Args, Flags} from '@oclif/core'
import {SjtCommand} from '../../cli/base.js'
import {findRule, loadProfile} from '../../core/profile.js'
import {InputError} from '../../lib/errors.js'
import {t, type MessageKey} from '../../lib/i18n/index.js'
import {Document, isPair, isScalar, visit} from 'yaml'

export default class StandardsShow extends SjtCommand {
  static summary = 'Show one rule: titles, clause and source, severity, weight, check and thresholds'
  static examples = ['<%= config.bin %> standards show MAN-002', '<%= config.bin %> standards show SEC-018 --lang en', '<%= config.bin %> standards show ELD-002 --json']
  static args = {id: Args.string({description: 'rule id, e.g. MAN-002', required: true})}
  static flags = {
    profile: Flags.string({description: 'profile name or folder', default: 'shanxi-2022'}),
    json: Flags.boolean({description: 'print the rule as JSON', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(StandardsShow)
    const profile = loadProfile(flags.profile, this.lang)
    const rule = findRule(profile, args.id)
    if (!rule) throw new InputError(t(this.lang, 'rule.unknown', {id: args.id}), undefined, t(this.lang, 'rule.unknown.hint'))
    if (flags.json) {
      this.out(JSON.stringify(rule, null, 2))
      return
    }
    const L = (key: MessageKey) => t(this.lang, key)
    this.out(`${rule.id}  ${rule.title[this.lang]}`)
    this.out(`${L('standards.show.category')}: ${rule.category}   ${L('standards.show.severity')}: ${rule.severity}   ${L('standards.show.weight')}: ${rule.weight}`)
    this.out(`${L('standards.show.clause')}: ${rule.clause}`)
    this.out(`${L('standards.show.check')}: ${rule.check}`)
    if (rule.help) this.out(`${L('standards.show.help')}: ${rule.help[this.lang]}`)
    if (Object.keys(rule.params).length) this.out(`${L('standards.show.params')}:\n` + paramsYaml(rule.params).replace(/^/gm, '  ').trimEnd())
  }
}

/** Params as YAML, with collections of plain values on one line (e.g. a modifier table: one test a line). */
export function paramsYaml(params: Record<string, unknown>): string {
  const doc = new Document(params)
  visit(doc, {
    Collection(_, node) {
      if (node.items.every((it) => isScalar(isPair(it) ? it.value : it))) node.flow = true
    },
  })
  return doc.toString({lineWidth: 0, flowCollectionPadding: false})
}
