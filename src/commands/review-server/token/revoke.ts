import {Args} from '@oclif/core'
import {SjtCommand} from '../../../cli/base.js'
import {t} from '../../../lib/i18n/index.js'
import {InputError} from '../../../lib/errors.js'
import {openStoreOrFail, storeFlags} from '../../../review/server/cli-flags.js'

export default class TokenRevoke extends SjtCommand {
  static summary = 'Revoke an API token by its id (from token list); it stops working at once'
  static examples = ['<%= config.bin %> review-server token revoke tok_01jd5k2m3n4p5q6r7s8t9v --db review.db', '<%= config.bin %> review-server token revoke tok_01jd5k2m3n4p5q6r7s8t9v --database-url postgres://sjt@127.0.0.1/sjt']
  static args = {id: Args.string({description: 'token id (tok_…), as token list shows it', required: true})}
  static flags = {...storeFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TokenRevoke)
    const store = await openStoreOrFail(flags, this.lang)
    try {
      const r = await store.revokeToken(args.id, new Date().toISOString())
      if (r === 'not-found') throw new InputError(t(this.lang, 'review.token.notFound', {id: args.id}), undefined, t(this.lang, 'review.token.notFound.hint'))
      this.out(t(this.lang, r === 'revoked' ? 'review.token.revoked' : 'review.token.already', {id: args.id}))
    } finally {
      await store.close()
    }
  }
}
