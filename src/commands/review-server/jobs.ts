import {Flags} from '@oclif/core'
import {SjtCommand} from '../../cli/base.js'
import {t} from '../../lib/i18n/index.js'
import {EnvError} from '../../lib/errors.js'
import {redactUrl, storeFlags} from '../../review/server/cli-flags.js'

export default class ReviewServerJobs extends SjtCommand {
  static summary = 'Show the job queue: jobs by queue and state, dead-lettered jobs with their error, the latest records'
  static description =
    'Reads the PostgreSQL job queue of re-checks and monitoring (sjt review-server --schedule, sjt worker). A dead-lettered job failed its first attempt and every retry; its last error is shown. Exit 0; with --fail-on-dead, exit 1 when a job is dead-lettered. SQLite has no queue: exit 2.'
  static examples = ['<%= config.bin %> review-server jobs --db postgres://sjt@db.internal:5432/sjt', '<%= config.bin %> review-server jobs --json --limit 20']
  static flags = {
    ...storeFlags,
    config: Flags.string({description: 'config file with the queue: block (its schema names the queue tables)'}),
    limit: Flags.integer({description: 'how many dead letters and records to show', default: 20, min: 1, max: 1000}),
    json: Flags.boolean({description: 'print the report as JSON on stdout', default: false}),
    'fail-on-dead': Flags.boolean({description: 'exit 1 when a job is dead-lettered', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ReviewServerJobs)
    const {requirePostgres, loadQueueSettings} = await import('../../review/queue/index.js')
    const url = requirePostgres(flags, 'sjt review-server jobs', this.lang)
    const settings = loadQueueSettings(flags.config, this.lang)
    const pg = (await import('pg')).default
    const {ensureRecordTables} = await import('../../review/queue/boss.js')
    const {jobsReport} = await import('../../review/queue/inspect.js')
    const pool = new pg.Pool({connectionString: url, max: 2, connectionTimeoutMillis: 10_000})
    pool.on('error', () => undefined)
    let report
    try {
      await ensureRecordTables(pool)
      const {rows} = await pool.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [settings.schema, 'job'])
      report = rows.length ? await jobsReport(pool, settings, flags.limit) : {queues: [], dead: [], records: []}
    } catch (error) {
      throw new EnvError(t(this.lang, 'queue.failed', {db: redactUrl(url), detail: (error as Error).message.split('\n')[0]}), undefined, t(this.lang, 'review.storeFailed.hint'))
    } finally {
      await pool.end().catch(() => undefined)
    }
    if (flags.json) this.out(JSON.stringify(report, null, 2))
    else {
      this.out('queue                created  retry  active  completed  failed')
      for (const q of report.queues) this.out(`${q.queue.padEnd(20)} ${String(q.created).padStart(7)} ${String(q.retry).padStart(6)} ${String(q.active).padStart(7)} ${String(q.completed).padStart(10)} ${String(q.failed).padStart(7)}`)
      this.out(report.dead.length ? t(this.lang, 'queue.jobs.dead', {n: report.dead.length}) : t(this.lang, 'queue.jobs.none'))
      for (const d of report.dead) this.out(`  ✗ ${d.kind} ${d.appId ?? '-'}  job ${d.id}  ${d.failedAt ?? ''}  retries ${d.retries}: ${d.error}`)
    }
    process.exitCode = flags['fail-on-dead'] && report.dead.length ? 1 : 0
  }
}
