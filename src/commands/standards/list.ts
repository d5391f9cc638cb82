import {Flags} from '@oclif/core'
import {SjtCommand} from '../../cli/base.js'
import {loadProfile} from '../../core/profile.js'
import {CATEGORIES} from '../../core/types.js'

export default class StandardsList extends SjtCommand {
  static summary = 'List the rules of the active profile, with severity, weight and source'
  static examples = ['<%= config.bin %> standards list', '<%= config.bin %> standards list --category elder --lang en', '<%= config.bin %> standards list --json']
  static flags = {
    category: Flags.string({description: 'only this category', options: [...CATEGORIES]}),
    profile: Flags.string({description: 'profile name or folder', default: 'shanxi-2022'}),
    json: Flags.boolean({description: 'print the rules as JSON', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StandardsList)
    const profile = loadProfile(flags.profile, this.lang)
    const rules = profile.rules.filter((r) => !flags.category || r.category === flags.category)
    if (flags.json) {
      this.out(JSON.stringify({profile: {name: profile.name, version: profile.version}, rules}, null, 2))
      return
    }
    this.out(`${profile.name} ${profile.version} · ${rules.length}`)
    for (const r of rules) this.out(`${r.id.padEnd(9)} ${r.severity.padEnd(5)} ${r.title[this.lang]}`)
  }
}
