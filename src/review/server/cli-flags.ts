// Flags of the commands that open the review store (review-server, its token and jobs commands,
// worker): where the store is, and how to open it or fail as the environment.
import {Flags} from '@oclif/core'
import {EnvError} from '../../lib/errors.js'
import type {Lang} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {openStore, type Store} from '../store.js'

export const storeFlags = {
  db: Flags.string({description: 'SQLite database file (the default store), or a postgres:// URL', default: 'sjt-review.db', exclusive: ['database-url']}),
  'database-url': Flags.string({description: 'PostgreSQL connection URL (postgres://user:pass@host:5432/db); default SJT_DATABASE_URL', env: 'SJT_DATABASE_URL'}),
}

/** Open the store or fail as the environment (exit 3), naming the store but never its password. */
export async function openStoreOrFail(flags: {db?: string; 'database-url'?: string}, lang: Lang): Promise<Store> {
  const url = flags['database-url'] ?? (flags.db && /^postgres(ql)?:\/\//i.test(flags.db) ? flags.db : undefined)
  try {
    return await openStore(url ? {databaseUrl: url} : {db: flags.db})
  } catch (error) {
    const where = url ? redactUrl(url) : String(flags.db)
    throw new EnvError(t(lang, 'review.storeFailed', {store: where, detail: (error as Error).message.split('\n')[0]}), undefined, t(lang, 'review.storeFailed.hint'))
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'the database URL'
  }
}
