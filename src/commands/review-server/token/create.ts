import {Flags} from '@oclif/core'
import {SjtCommand} from '../../../cli/base.js'
import {t} from '../../../lib/i18n/index.js'
import {InputError} from '../../../lib/errors.js'
import {creditCodeProblem} from '../../../lib/identifiers.js'
import {openStoreOrFail, storeFlags} from '../../../review/server/cli-flags.js'
import {hashToken, newToken} from '../../../review/server.js'
import {ROLES, newId, type Role} from '../../../review/store.js'

export default class TokenCreate extends SjtCommand {
  static summary = 'Create an API token for a role; the token is the last line on stdout, shown only this once'
  static description =
    'The store keeps only the token\'s SHA-256 hash. A submitter token belongs to one department (--credit-code, its 统一社会信用代码) and can submit and read only that department\'s apps. Roles: submitter, reviewer, auditor, monitor (sjt monitor: reads apps, records probes).'
  static examples = [
    '<%= config.bin %> review-server token create --role submitter --credit-code 12140100MB0123457K --db review.db',
    '<%= config.bin %> review-server token create --role reviewer --label 省数据局审核 --db review.db',
    'SJT_TOKEN=$(<%= config.bin %> review-server token create --role monitor --db review.db | tail -n 1)',
  ]
  static flags = {
    ...storeFlags,
    role: Flags.string({description: 'what the token may do', options: [...ROLES], required: true}),
    'credit-code': Flags.string({description: 'the department (统一社会信用代码); required for submitter'}),
    label: Flags.string({description: 'a note shown by token list (who holds it)'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(TokenCreate)
    const role = flags.role as Role
    const code = flags['credit-code']?.trim().toUpperCase()
    if (role === 'submitter' && !code) throw new InputError(t(this.lang, 'review.token.creditCodeNeeded'), undefined, t(this.lang, 'review.token.creditCodeNeeded.hint'))
    if (role !== 'submitter' && code) throw new InputError(t(this.lang, 'review.token.creditCodeOnlySubmitter'))
    if (code && creditCodeProblem(code)) throw new InputError(t(this.lang, 'review.token.badCreditCode', {code, problem: creditCodeProblem(code)!}), undefined, t(this.lang, 'review.token.creditCodeNeeded.hint'))
    const store = await openStoreOrFail(flags, this.lang)
    try {
      const token = newToken(role)
      const id = newId('tok')
      await store.createToken({id, hash: hashToken(token), role, creditCode: code ?? null, label: flags.label ?? null, createdAt: new Date().toISOString(), revokedAt: null})
      this.note(t(this.lang, 'review.token.created', {id, role, dept: code ?? '-'}))
      this.note(t(this.lang, 'review.token.once'))
      this.out(`id: ${id}`)
      this.out(token)
    } finally {
      await store.close()
    }
  }
}
