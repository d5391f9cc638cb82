import {existsSync, statSync} from 'node:fs'
import path from 'node:path'
import {Flags} from '@oclif/core'
import {SjtCommand} from '../cli/base.js'
import {t} from '../lib/i18n/index.js'
import {EnvError, InputError} from '../lib/errors.js'
import {redactUrl, storeFlags} from '../review/server/cli-flags.js'
import {loadMonitoringRule} from '../review/server.js'

export default class Worker extends SjtCommand {
  static summary = 'Take re-check and monitoring jobs from the PostgreSQL job queue and record their results'
  static description =
    'Any number of workers on any number of machines share the review database\'s job queue (sjt review-server --schedule enqueues). A re-check runs the pipeline of sjt check on the app\'s folder under --apps (found by app.id in its sjt.yaml); a probe opens the app\'s entry, elder and health URLs as sjt monitor does. Each job is recorded once (source: recheck), even when a worker dies mid-job and the job runs again after its expiry. SIGTERM: no more jobs are taken, running ones get --grace seconds to finish, the rest are released for retry. Needs PostgreSQL: with an SQLite store there is no queue (exit 2).'
  static examples = [
    '<%= config.bin %> worker --db postgres://sjt@db.internal:5432/sjt --apps apps/ --concurrency 2',
    'SJT_DATABASE_URL=postgres://sjt@127.0.0.1/sjt <%= config.bin %> worker --apps apps/ --config sjt.config.yaml',
  ]
  static flags = {
    ...storeFlags,
    apps: Flags.string({description: 'folder holding one folder per app (each with its sjt.yaml), as for sjt check apps/', default: 'apps'}),
    concurrency: Flags.integer({description: 're-checks (and as many probes) this process runs at once', default: 1, min: 1, max: 16}),
    config: Flags.string({description: 'config file with the queue: block (default: sjt.config.yaml found from the current folder)'}),
    profile: Flags.string({description: 'profile of the re-checks and of the monitoring rule', default: 'shanxi-2022'}),
    'allow-private-targets': Flags.boolean({description: 'probe loopback, link-local and private addresses too (refused by default, as in sjt monitor)', default: false}),
    grace: Flags.integer({description: 'seconds SIGTERM waits for running jobs before releasing them for retry', default: 60, min: 1, max: 3600}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Worker)
    const {requirePostgres, loadQueueSettings, openQueue} = await import('../review/queue/index.js')
    const url = requirePostgres(flags, 'sjt worker', this.lang)
    const appsDir = path.resolve(flags.apps)
    if (!existsSync(appsDir) || !statSync(appsDir).isDirectory()) throw new InputError(t(this.lang, 'queue.appsMissing', {dir: flags.apps}), undefined, t(this.lang, 'queue.appsMissing.hint'))
    const settings = loadQueueSettings(flags.config, this.lang)
    const rule = loadMonitoringRule(flags.profile)
    const log = (rec: Record<string, unknown>) => process.stderr.write(JSON.stringify({time: new Date().toISOString(), ...rec}) + '\n')
    // Handle the signals before the first browser is launched: the pipeline then leaves them to us.
    let signalled: string | null = null
    let wake: (() => void) | null = null
    const onSignal = (sig: string) => {
      signalled ??= sig
      wake?.()
    }
    const onTerm = () => onSignal('SIGTERM')
    const onInt = () => onSignal('SIGINT')
    process.on('SIGTERM', onTerm)
    process.on('SIGINT', onInt)
    const {leaveSignalsToCaller} = await import('../lib/browser.js')
    leaveSignalsToCaller()
    let queue
    try {
      queue = await openQueue(url, settings, {scheduler: false, onError: (e) => log({level: 'error', msg: 'queue error', error: e.message})})
    } catch (error) {
      process.off('SIGTERM', onTerm)
      process.off('SIGINT', onInt)
      throw new EnvError(t(this.lang, 'queue.failed', {db: redactUrl(url), detail: (error as Error).message.split('\n')[0]}), undefined, t(this.lang, 'review.storeFailed.hint'))
    }
    const {startWorker} = await import('../review/queue/worker.js')
    const worker = await startWorker({boss: queue.boss, pool: queue.pool, settings, appsDir, concurrency: flags.concurrency, profile: flags.profile, rule, lang: this.lang, log, allowPrivateTargets: flags['allow-private-targets']})
    this.note(t(this.lang, 'queue.worker.started', {name: worker.name, concurrency: flags.concurrency, apps: appsDir}))
    if (!signalled) await new Promise<void>((r) => (wake = r))
    this.note(t(this.lang, 'queue.worker.stopping', {signal: signalled, seconds: flags.grace}))
    try {
      await worker.stop(flags.grace * 1000)
    } finally {
      await queue.close()
      process.off('SIGTERM', onTerm)
      process.off('SIGINT', onInt)
    }
    log({level: 'info', msg: 'worker stopped', worker: worker.name})
  }
}
