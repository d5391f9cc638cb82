import {Args, Flags} from '@oclif/core'
import {SjtCommand} from '../cli/base.js'
import {isMessageKey, t, type MessageKey} from '../lib/i18n/index.js'
import {EnvError, InputError} from '../lib/errors.js'
import {connectionFlags} from '../review/client/cli-flags.js'
import {ReviewClient, UnreachableError, appIdHere, problemText, resolveConnection} from '../review/client/client.js'
import {lastSubmission} from '../review/client/outbox.js'

export default class Status extends SjtCommand {
  static summary = 'Show the review state of a submission, or of the app\'s latest one'
  static description =
    'Without an id: the latest submission of --app, else of the app in ./sjt.yaml, else the last one sjt submit sent from this folder. Prints the state, the history (oldest first) with reviewer comments, and the app\'s lifecycle state.'
  static examples = [
    '<%= config.bin %> status sub_01jd5k2m3n4p5q6r7s8t9vwxyz',
    '<%= config.bin %> status --app ty-gjj-withdraw --server http://127.0.0.1:8787',
    '<%= config.bin %> status --json',
  ]
  static args = {id: Args.string({description: 'submission id (sub_…), as sjt submit printed it', required: false})}
  static flags = {
    ...connectionFlags,
    app: Flags.string({description: 'app id: show its latest submission'}),
    json: Flags.boolean({description: 'print the submission (with history) as JSON on stdout', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Status)
    const conn = resolveConnection(flags, this.lang)
    const client = new ReviewClient({...conn, lang: this.lang, retries: 2, baseDelayMs: 300, timeoutMs: 15_000})
    try {
      let id = args.id
      let app: any
      if (!id) {
        const appId = flags.app ?? appIdHere() ?? lastSubmission()?.appId
        if (!appId) throw new InputError(t(this.lang, 'review.status.which'), undefined, t(this.lang, 'review.status.which.hint'))
        const r = await client.getApp(appId)
        this.check(r, appId)
        app = r.body
        if (!app.latestSubmission) throw new InputError(t(this.lang, 'review.status.noSubmission', {app: appId}))
        id = app.latestSubmission.id as string
      }
      const r = await client.getSubmission(id)
      this.check(r, id)
      const s = r.body
      if (!app) {
        const a = await client.getApp(s.appId)
        if (a.status === 200) app = a.body
      }
      if (flags.json) {
        this.out(JSON.stringify({...s, app: app ? {state: app.state, needsReview: app.needsReview} : undefined}, null, 2))
        return
      }
      const L = (key: MessageKey) => t(this.lang, key)
      const named = (key: string, raw: string) => (isMessageKey(key) ? t(this.lang, key) : raw)
      this.out(`${s.id}  ${s.appId} ${s.appVersion}  ${L('review.status.label.status')}: ${s.status} (${named(`review.state.${s.status}`, s.status)})`)
      this.out(`${L('review.status.label.verdict')}: ${s.verdict}   ${L('review.status.label.received')}: ${s.receivedAt}`)
      if (app) this.out(`${L('review.status.label.app')}: ${app.state} (${named(`review.appState.${app.state}`, app.state)})${app.needsReview ? `  ⚠ ${t(this.lang, 'review.status.needsReview')}` : ''}`)
      this.out(L('review.status.history'))
      // Oldest first whatever order the server sent (a stable sort keeps same-instant events in order).
      const history = [...s.history].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
      for (const h of history) this.out(`  ${h.at}  ${h.name}${h.to && h.to !== h.name ? ` → ${h.to}` : ''}  (${h.actor.role})${h.comment ? `  “${h.comment}”` : ''}`)
    } catch (error) {
      if (error instanceof UnreachableError) throw new EnvError(error.message, undefined, t(this.lang, 'review.unreachable.hint'))
      throw error
    }
  }

  private check(r: {status: number; body: any; headers: Headers}, what: string): void {
    if (r.status === 200) return
    if (r.status === 404) throw new InputError(t(this.lang, 'review.status.notFound', {id: what}))
    if (r.status === 401 || r.status === 403) throw new EnvError(problemText(r), undefined, t(this.lang, 'review.noToken.hint'))
    throw new EnvError(problemText(r))
  }
}
