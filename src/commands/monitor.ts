import {Flags} from '@oclif/core'
import {SjtCommand} from '../cli/base.js'
import {t} from '../lib/i18n/index.js'
import {EnvError} from '../lib/errors.js'
import {connectionFlags} from '../review/client/cli-flags.js'
import {ApiRefusal, ReviewClient, UnreachableError, resolveConnection} from '../review/client/client.js'
import {monitorRound, type AppRound} from '../review/monitor.js'
import {loadMonitoringRule} from '../review/server.js'

export default class Monitor extends SjtCommand {
  static summary = 'Probe the entry and health URLs of published apps and record availability on the review server'
  static description =
    'Needs a monitor or reviewer token. Each round GETs every published app\'s entry, elder entry and health URL (from the manifest in its approved result; loopback, link-local and private addresses are refused unless --allow-private-targets); a probe that does not open within the limit (15 s) fails. The server keeps the probes and marks an app for review when 5% or more of its probes in the window (7 days) failed. --once: one round; exit 1 when an app is marked for review. Without it: a round every --interval seconds until Ctrl-C.'
  static examples = [
    'SJT_SERVER=http://127.0.0.1:8787 SJT_TOKEN=… <%= config.bin %> monitor --once',
    '<%= config.bin %> monitor --interval 600',
    '<%= config.bin %> monitor --once --app ty-gjj-withdraw --json',
  ]
  static flags = {
    ...connectionFlags,
    once: Flags.boolean({description: 'one round, then exit', default: false}),
    interval: Flags.integer({description: 'seconds between rounds (default from the profile\'s monitoring.yaml: 3600)', min: 1}),
    timeout: Flags.integer({description: 'seconds a page may take to open (default from monitoring.yaml: 15)', min: 1}),
    app: Flags.string({description: 'only this app (repeatable)', multiple: true}),
    concurrency: Flags.integer({description: 'probes at once', default: 8, min: 1, max: 64}),
    profile: Flags.string({description: 'profile whose monitoring.yaml gives the defaults', default: 'shanxi-2022'}),
    json: Flags.boolean({description: 'print each round as JSON on stdout', default: false}),
    'allow-private-targets': Flags.boolean({
      description: 'also probe loopback, link-local and private-network addresses (a monitor inside the network it watches); without it such targets fail with "refused:"',
      default: false,
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Monitor)
    const rule = loadMonitoringRule(flags.profile)
    const conn = resolveConnection(flags, this.lang)
    const client = new ReviewClient({...conn, lang: this.lang, retries: 3, timeoutMs: 30_000})
    const timeoutMs = (flags.timeout ?? rule.openTimeoutSeconds) * 1000
    const interval = (flags.interval ?? rule.intervalSeconds) * 1000
    let stop = false
    let wake: (() => void) | null = null
    const onSignal = () => {
      stop = true
      wake?.()
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    let flagged = false
    try {
      do {
        let rounds: AppRound[]
        try {
          rounds = await monitorRound(client, {timeoutMs, apps: flags.app, concurrency: flags.concurrency, allowPrivate: flags['allow-private-targets']})
        } catch (error) {
          if (error instanceof UnreachableError) {
            if (flags.once) throw new EnvError(error.message, undefined, t(this.lang, 'review.unreachable.hint'))
            this.note(error.message)
            rounds = []
          } else if (error instanceof ApiRefusal) {
            throw new EnvError(error.message, undefined, t(this.lang, 'review.monitor.tokenHint'))
          } else throw error
        }
        flagged = rounds.some((r) => r.needsReview)
        this.print(rounds, flags.json, {seconds: timeoutMs / 1000, share: Math.round(rule.failShare * 1000) / 10})
        if (flags.once || stop) break
        await new Promise<void>((r) => {
          wake = r
          setTimeout(r, interval).unref()
        })
      } while (!stop)
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    process.exitCode = flags.once && flagged ? 1 : 0
  }

  private print(rounds: AppRound[], json: boolean, limits: {seconds: number; share: number}): void {
    if (json) {
      this.out(JSON.stringify({at: new Date().toISOString(), apps: rounds}))
      return
    }
    if (rounds.length === 0) this.note(t(this.lang, 'review.monitor.none'))
    for (const r of rounds) {
      const failed = r.events.filter((e) => !e.ok)
      const lat = r.events.map((e) => (e.latencyMs === null ? '-' : `${Math.round(e.latencyMs)}ms`)).join('/')
      const win = r.window ? t(this.lang, 'review.monitor.window', {failures: r.window.failures, probes: r.window.probes, share: (r.window.failureShare * 100).toFixed(1)}) : ''
      this.out(`${failed.length ? '✗' : '✓'} ${r.appId}  ${r.events.length - failed.length}/${r.events.length} ${t(this.lang, 'review.monitor.open')}  ${lat}  ${win}${r.needsReview ? `  ⚠ ${t(this.lang, 'review.status.needsReview')}` : ''}${r.error ? `  ${r.error}` : ''}`)
      for (const e of failed) this.out(`    ${e.kind} ${e.url}: ${e.error ?? 'failed'}`)
      if (r.newlyFlagged) this.note(t(this.lang, 'review.monitor.flagged', {app: r.appId, ...limits}))
    }
  }
}
