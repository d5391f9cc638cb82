import {Flags} from '@oclif/core'
import {SjtCommand} from '../../cli/base.js'
import {t} from '../../lib/i18n/index.js'
import {EnvError} from '../../lib/errors.js'
import {openStoreOrFail, storeFlags} from '../../review/server/cli-flags.js'
import {DEFAULT_MAX_BODY, DEFAULT_RATE_LIMIT, loadMonitoringRule, startReviewServer} from '../../review/server.js'

export default class ReviewServer extends SjtCommand {
  static summary = 'Run the reference review API server (register → review → publish → monitor → delist)'
  static description =
    'Serves standards/review-api.openapi.yaml on loopback by default. Prints its URL on stdout, logs one JSON line per request on stderr (never a token), and stops cleanly on SIGTERM or Ctrl-C: requests in flight finish, then the store closes. Tokens: sjt review-server token create|list|revoke.'
  static examples = [
    '<%= config.bin %> review-server --db review.db --port 8787',
    '<%= config.bin %> review-server --database-url postgres://sjt@db.internal:5432/sjt --host 0.0.0.0 --port 8080',
    'SJT_DATABASE_URL=postgres://sjt@127.0.0.1/sjt <%= config.bin %> review-server --port 8787 --rate-limit 600',
    '<%= config.bin %> review-server --db postgres://sjt@db.internal:5432/sjt --host 0.0.0.0 --port 8080 --schedule',
  ]
  static flags = {
    ...storeFlags,
    port: Flags.integer({description: 'TCP port (0 picks a free one)', default: 8787, min: 0, max: 65535}),
    host: Flags.string({description: 'address to listen on (0.0.0.0 for every interface)', default: '127.0.0.1'}),
    'max-body': Flags.integer({description: 'largest request body in bytes (larger: 413)', default: DEFAULT_MAX_BODY, min: 1024}),
    'rate-limit': Flags.integer({description: 'requests per minute per token (more: 429 with Retry-After); 0 turns it off', default: DEFAULT_RATE_LIMIT, min: 0}),
    profile: Flags.string({description: 'profile whose monitoring.yaml sets the monitoring rule', default: 'shanxi-2022'}),
    schedule: Flags.boolean({description: 'enqueue re-checks (nightly, and when the profile version changes) and monitoring probes on the PostgreSQL job queue for sjt worker', default: false}),
    config: Flags.string({description: 'config file with the queue: block (default: sjt.config.yaml found from the current folder)'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ReviewServer)
    // The queue (re-checks, monitoring jobs, the queue's /metrics) exists on PostgreSQL only.
    const jobs = await import('../../review/queue/server-queue.js')
    const queueSetup = await jobs.prepareQueue(flags, this.lang)
    const store = await openStoreOrFail(flags, this.lang)
    // The stop signals are taken before the queue and the server start: a SIGTERM that arrives meanwhile
    // (or just after its URL is printed) stops it cleanly once it is up, never kills it mid-way.
    let onSignal: (signal: string) => void = () => undefined
    const signalled = new Promise<string>((resolve) => (onSignal = resolve))
    const listeners = {SIGTERM: () => onSignal('SIGTERM'), SIGINT: () => onSignal('SIGINT')}
    const unlisten = () => {
      for (const [sig, fn] of Object.entries(listeners)) process.removeListener(sig, fn)
    }
    for (const [sig, fn] of Object.entries(listeners)) process.once(sig, fn)
    let queue: Awaited<ReturnType<typeof jobs.startQueue>> = null
    let running
    try {
      queue = await jobs.startQueue(queueSetup, flags, this.lang, store)
      running = await startReviewServer({
        store,
        host: flags.host,
        port: flags.port,
        maxBodyBytes: flags['max-body'],
        rateLimit: flags['rate-limit'],
        monitoring: loadMonitoringRule(flags.profile),
        ...(queue ? {metrics: queue.metrics} : {}),
      })
    } catch (error) {
      unlisten()
      await queue?.close()
      await store.close()
      if (error instanceof EnvError || (error as {exitCode?: number}).exitCode === 2) throw error
      throw new EnvError(t(this.lang, 'review.server.listenFailed', {host: flags.host, port: flags.port, detail: (error as Error).message}), undefined, t(this.lang, 'review.server.listenFailed.hint'))
    }
    this.out(running.url)
    this.note(t(this.lang, 'review.server.listening', {url: running.url, store: store.kind}))
    const signal = await signalled
    unlisten()
    this.note(t(this.lang, 'review.server.stopping', {signal}))
    await Promise.resolve(queue?.close()).catch(() => undefined)
    await running.close().catch(() => undefined)
  }
}
