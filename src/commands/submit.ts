import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {Args, Flags} from '@oclif/core'
import {SjtCommand} from '../lib/base.js'
import {isStdin, readStdinBytes} from '../lib/stdin.js'
import {t} from '../lib/i18n/index.js'
import {InputError} from '../core/errors.js'
import {connectionFlags} from '../review/cli-flags.js'
import {resolveConnection, verifyResult} from '../review/client.js'
import {Outbox, defaultOutbox, flushOutbox, rememberSubmission, sendWithOutbox, type SendOutcome} from '../review/outbox.js'

export default class Submit extends SjtCommand {
  static summary = 'Submit a result document to the review API; prints the submission id'
  static description =
    'Checks the result against its schema and digest first. Retries 5xx, 429 (Retry-After) and connection errors with backoff, with the same Idempotency-Key (sjt-<digest>): sending the same result again answers the same submission. When the server stays unreachable the submission waits in .sjt/outbox/ (or SJT_STATE_DIR, or --outbox) until sjt submit --flush. Exit 0 received, 1 refused (with the reasons), 3 unreachable.'
  static examples = [
    'SJT_SERVER=https://review.example.gov.cn SJT_TOKEN=… <%= config.bin %> submit reports/ty-gjj-withdraw/result.json',
    '<%= config.bin %> submit reports/ty-gjj-withdraw/result.json --server http://127.0.0.1:8787 --json',
    '<%= config.bin %> submit --flush',
  ]
  static args = {result: Args.string({description: 'result.json written by sjt check (- reads it from stdin)', required: false})}
  static flags = {
    ...connectionFlags,
    flush: Flags.boolean({description: 'send the submissions waiting in the outbox', default: false}),
    outbox: Flags.string({description: 'outbox folder (default .sjt/outbox in the current folder, or $SJT_STATE_DIR/outbox)'}),
    verify: Flags.boolean({description: 'check schema and digest before sending (--no-verify leaves it to the server)', default: true, allowNo: true}),
    retries: Flags.integer({description: 'retries after the first attempt', default: 5, min: 0, max: 20}),
    timeout: Flags.integer({description: 'seconds per attempt', default: 30, min: 1}),
    json: Flags.boolean({description: 'print the server\'s answer as JSON on stdout', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Submit)
    await this.loadSettings(flags)
    if (!args.result && !flags.flush) throw new InputError(t(this.lang, 'review.submit.needFile'), undefined, t(this.lang, 'review.submit.needFile.hint'))
    let doc: any
    if (args.result) {
      const file = args.result
      if (!isStdin(file)) {
        try {
          if (statSync(file).isDirectory()) throw new InputError(t(this.lang, 'input.isDirectory'), {file})
        } catch (error) {
          if (error instanceof InputError) throw error
          throw new InputError(t(this.lang, 'input.notFound'), {file}, t(this.lang, 'input.notFound.hint'))
        }
      }
      const text = isStdin(file) ? readStdinBytes(this.lang, 256 * 1024 * 1024).toString('utf8') : readFileSync(file, 'utf8')
      try {
        doc = JSON.parse(text.replace(/^\uFEFF/, ''))
      } catch (error) {
        throw new InputError(t(this.lang, 'input.badJson', {detail: (error as Error).message}), {file})
      }
      if (flags.verify) {
        const reasons = verifyResult(doc)
        if (reasons.length) {
          this.note(t(this.lang, 'review.submit.localRefused', {file}))
          for (const r of reasons) this.note(`  ${r.pointer} ${r.message}`)
          process.exitCode = 1
          return
        }
      }
    }
    const conn = resolveConnection(flags, this.lang)
    const outbox = new Outbox(path.resolve(flags.outbox ?? defaultOutbox()))
    const common = {
      ...conn,
      lang: this.lang,
      retries: flags.retries,
      timeoutMs: flags.timeout * 1000,
      onRetry: (i: {attempt: number; delayMs: number; reason: string}) => this.note(t(this.lang, 'review.retrying', {attempt: i.attempt, reason: i.reason, seconds: (i.delayMs / 1000).toFixed(1)})),
    }
    let exit = 0
    const json: Record<string, unknown> = {}
    if (args.result) {
      const outcome = await sendWithOutbox(doc, {...common, outbox, file: isStdin(args.result) ? args.result : path.resolve(args.result)})
      exit = Math.max(exit, this.report(outcome, doc.app?.id))
      if (outcome.kind === 'received') {
        rememberSubmission({id: outcome.receipt.id, appId: outcome.receipt.appId, server: conn.server})
        json.submission = outcome.receipt
      }
    }
    if (flags.flush) {
      const results = await flushOutbox(outbox, {...common, server: flags.server || process.env.SJT_SERVER ? conn.server : undefined})
      if (results.length === 0) this.note(t(this.lang, 'review.flush.empty', {dir: outbox.dir}))
      for (const r of results) {
        exit = Math.max(exit, this.report(r.outcome, r.appId))
        if (r.refusedFile) this.note(t(this.lang, 'review.flush.refusedKept', {file: r.refusedFile}))
        if (r.outcome.kind === 'received') rememberSubmission({id: r.outcome.receipt.id, appId: r.outcome.receipt.appId, server: conn.server})
      }
      json.flushed = results.map((r) => ({key: r.key, appId: r.appId, outcome: r.outcome.kind, ...(r.outcome.kind === 'received' ? {id: r.outcome.receipt.id} : {}), ...(r.outcome.kind === 'refused' ? {status: r.outcome.status} : {})}))
    }
    if (flags.json && exit === 0) this.out(JSON.stringify(flags.flush ? json : json.submission, null, 2))
    process.exitCode = exit
  }

  /** Say what happened; the exit code it means (0 received, 1 refused, 3 unreachable). */
  private report(o: SendOutcome, appId: string): number {
    const json = this.argv.includes('--json')
    switch (o.kind) {
      case 'received':
        this.note(t(this.lang, o.replayed ? 'review.submit.replayed' : 'review.submit.received', {id: o.receipt.id, app: o.receipt.appId}))
        if (!json) this.out(o.receipt.id)
        return 0
      case 'refused': {
        const auth = o.status === 401 || o.status === 403
        this.note(t(this.lang, auth ? 'review.submit.authRefused' : 'review.submit.refused', {app: appId, detail: o.message}))
        for (const r of o.reasons) this.note(`  ${r}`)
        if (auth) this.note(`  ${t(this.lang, 'review.noToken.hint')}`)
        return auth ? 3 : 1
      }
      case 'unreachable':
        this.note(o.message)
        if (o.outboxFile) this.note(t(this.lang, 'review.submit.outboxed', {file: o.outboxFile}))
        return 3
    }
  }
}
