import {Flags} from '@oclif/core'
import {SjtCommand} from '../../../cli/base.js'
import {t} from '../../../lib/i18n/index.js'
import {openStoreOrFail, storeFlags} from '../../../review/server/cli-flags.js'

export default class TokenList extends SjtCommand {
  static summary = 'List API tokens: id, role, department, label, created, revoked (never the token)'
  static examples = ['<%= config.bin %> review-server token list --db review.db', '<%= config.bin %> review-server token list --database-url postgres://sjt@127.0.0.1/sjt --json']
  static flags = {...storeFlags, json: Flags.boolean({description: 'print the list as JSON on stdout', default: false})}

  async run(): Promise<void> {
    const {flags} = await this.parse(TokenList)
    const store = await openStoreOrFail(flags, this.lang)
    try {
      const tokens = await store.listTokens()
      if (flags.json) {
        this.out(JSON.stringify(tokens, null, 2))
        return
      }
      if (tokens.length === 0) {
        this.note(t(this.lang, 'review.token.none'))
        return
      }
      const rows = [['id', 'role', 'credit code', 'label', 'created', 'revoked'], ...tokens.map((k) => [k.id, k.role, k.creditCode ?? '-', k.label ?? '-', k.createdAt, k.revokedAt ?? '-'])]
      const widths = rows[0].map((_c, i) => Math.max(...rows.map((r) => [...r[i]].length)))
      for (const r of rows) this.out(r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ').trimEnd())
    } finally {
      await store.close()
    }
  }
}
