import {MAX_RESULT_BYTES} from '../core/run.js'
import {verdictOfDocument} from '../core/verdict.js'
import {readRegularFile} from '../lib/source.js'
import path from 'node:path'
import {Args, Flags} from '@oclif/core'
import {SjtCommand} from '../cli/base.js'
import {isStdin, readStdinBytes} from '../lib/stdin.js'
import {t} from '../lib/i18n/index.js'
import {InputError} from '../lib/errors.js'
import {connectionFlags} from '../review/client/cli-flags.js'
import {resolveConnection, verifyResult} from '../review/client/client.js'
import {Outbox, defaultOutbox, flushOutbox, rememberSubmission, sendWithOutbox, type SendOutcome} from '../review/client/outbox.js'

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
    'allow-incomplete': Flags.boolean({description: 'submit a result whose verdict is incomplete (a category could not run); reviewers then need override to approve it', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Submit)
    await this.loadSettings(flags)
    if (!args.result && !flags.flush) throw new InputError(t(this.lang, 'review.submit.needFile'), undefined, t(this.lang, 'review.submit.needFile.hint'))
    let doc: any
    if (args.result) {
      const file = args.result
      // A regular file only, read up to the cap (a device or FIFO exits 2 instead of hanging); `-` is stdin.
      const text = (isStdin(file) ? readStdinBytes(this.lang, MAX_RESULT_BYTES) : readRegularFile(file, this.lang, MAX_RESULT_BYTES)).toString('utf8')
      try {
        doc = JSON.parse(text.replace(/^\uFEFF/, ''))
      } catch (error) {
        throw new InputError(t(this.lang, 'input.badJson', {detail: (error as Error).message}), {file})
      }
      // A run where a whole category could not run (or the login failed) is not a result to review.
      const incomplete = doc?.verdict === 'incomplete' || recomputedIncomplete(doc)
      if (incomplete && !flags['allow-incomplete']) throw new InputError(t(this.lang, 'review.submit.incomplete', {file}), {file}, t(this.lang, 'review.submit.incomplete.hint'))
      if (incomplete) this.note(t(this.lang, 'review.submit.incompleteSent', {file}))
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
      case 'too-large':
        this.note(o.message)
        this.note(`  ${t(this.lang, 'review.submit.tooLarge.hint')}`)
        return 1
      case 'unreachable':
        this.note(o.message)
        if (o.outboxFile) this.note(t(this.lang, 'review.submit.outboxed', {file: o.outboxFile}))
        return 3
    }
  }
}

/** Whether the document's own findings say the run is incomplete (false when it is too malformed to tell: the server refuses those). */
function recomputedIncomplete(doc: any): boolean {
  try {
    return Array.isArray(doc?.findings) && verdictOfDocument(doc) === 'incomplete'
  } catch {
    return false
  }
}
