// The worker (sjt worker): takes re-check and probe jobs from the queue and runs the same pipeline
// as `sjt check` (runCheck over the app's folder) and `sjt monitor` (probeUrl of its entry, elder
// and health URLs), in-process, then records the outcome once per job (records.ts). A job that
// throws is retried by the queue after its delay and dead-lettered after the last retry; a worker
// killed mid-job leaves its job active until the expiry, after which it is retried.
import os from 'node:os'
import path from 'node:path'
import type pg from 'pg'
import {buildOptions} from '../../cli/check.js'
import {loadConfig} from '../../core/config.js'
import {findApps, findManifest, runCheck} from '../../core/run.js'
import type {Lang} from '../../core/types.js'
import {readTextFile, parseStructured} from '../../lib/source.js'
import {maskText} from '../../lib/secrets.js'
import {probeUrl} from '../monitor.js'
import type {MonitoringRule} from '../server.js'
import type {ProbeEvent} from '../store.js'
import type {Boss} from './boss.js'
import {recordJobError, recordProbeJob, recordRecheck} from './records.js'
import type {MonitorData, RecheckData} from './scheduler.js'
import {QUEUES, type QueueSettings} from './settings.js'

type Log = (rec: Record<string, unknown>) => void

export interface WorkerOptions {
  boss: Boss
  pool: pg.Pool
  settings: QueueSettings
  /** The folder of app folders (each with its sjt.yaml), as `sjt check apps/`. */
  appsDir: string
  concurrency: number
  profile: string
  rule: MonitoringRule
  lang: Lang
  log: Log
  /** Identifies this process in records and history (host:pid by default). */
  name?: string
  /** Probe loopback, link-local and private addresses too (as sjt monitor --allow-private-targets). */
  allowPrivateTargets?: boolean
}

/** App id → its folder under appsDir, read from the manifests; read again when an id is missing. */
class AppIndex {
  private map = new Map<string, string>()
  constructor(private readonly dir: string) {}

  private scan(): void {
    const next = new Map<string, string>()
    for (const d of findApps(this.dir)) {
      try {
        const file = findManifest(d, 'en')
        const data = parseStructured(readTextFile(file, 'en'), 'en').data as {app?: {id?: unknown}} | null
        if (typeof data?.app?.id === 'string' && !next.has(data.app.id)) next.set(data.app.id, path.resolve(d))
      } catch {
        // an unreadable manifest names no app; the job for it fails with "no folder"
      }
    }
    this.map = next
  }

  get(appId: string): string | null {
    if (!this.map.has(appId)) this.scan()
    return this.map.get(appId) ?? null
  }
}

export interface RunningWorker {
  name: string
  /** Stop taking jobs; running ones finish within graceMs, else they are failed (and so retried). */
  stop(graceMs: number): Promise<void>
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const name = o.name ?? `${os.hostname()}:${process.pid}`
  const index = new AppIndex(o.appsDir)
  const poll = {pollingIntervalSeconds: Math.max(0.5, o.settings.pollSeconds), batchSize: 1}

  const guarded = <T extends {appId?: string}>(kind: 'recheck' | 'monitor', fn: (job: {id: string; data: T}) => Promise<unknown>) =>
    async ([job]: Array<{id: string; data: T}>) => {
      const t0 = performance.now()
      o.log({level: 'info', msg: 'job started', kind, jobId: job.id, appId: job.data?.appId, worker: name})
      try {
        const out = await fn(job)
        o.log({level: 'info', msg: 'job done', kind, jobId: job.id, appId: job.data?.appId, ms: Math.round(performance.now() - t0), worker: name, ...(out as object)})
        return out
      } catch (error) {
        const message = maskText((error as Error).message ?? String(error))
        o.log({level: 'error', msg: 'job failed', kind, jobId: job.id, appId: job.data?.appId, error: message, worker: name})
        await recordJobError(o.pool, {jobId: job.id, kind, appId: job.data?.appId ?? null, error: message, worker: name}).catch(() => undefined)
        throw error
      }
    }

  const recheck = guarded<RecheckData>('recheck', async (job) => {
    const {appId, trigger} = job.data ?? ({} as RecheckData)
    if (typeof appId !== 'string') throw new Error('the job names no app')
    const dir = index.get(appId)
    if (!dir) throw new Error(`no folder of app ${appId} under ${o.appsDir} (a folder whose sjt.yaml has app.id: ${appId})`)
    const t0 = performance.now()
    const manifestPath = findManifest(dir, o.lang)
    const {config} = loadConfig(dir, o.lang)
    const options = buildOptions({profile: o.profile, json: true}, config, o.lang, manifestPath)
    options.progress = undefined
    const {doc} = await runCheck(options, o.settings.categories)
    if (doc.app.id !== appId) throw new Error(`the folder ${dir} now holds app ${doc.app.id}, not ${appId}`)
    const rec = await recordRecheck(o.pool, {id: job.id, appId, trigger: trigger ?? 'manual', worker: name, durationMs: performance.now() - t0}, doc)
    return {recheckId: rec.id, verdict: doc.verdict, regression: rec.regression, replayed: rec.replayed}
  })

  const monitor = guarded<MonitorData>('monitor', async (job) => {
    const {appId} = job.data ?? ({} as MonitorData)
    if (typeof appId !== 'string') throw new Error('the job names no app')
    const t0 = performance.now()
    const {rows} = await o.pool.query('SELECT entry_url, elder_url, health_url FROM apps WHERE app_id = $1', [appId])
    if (!rows.length) return {skipped: 'not registered'}
    const urls: Array<[ProbeEvent['kind'], string | null]> = [
      ['entry', rows[0].entry_url],
      ['elder', rows[0].elder_url],
      ['health', rows[0].health_url],
    ]
    const events = await Promise.all(urls.filter(([, u]) => u).map(([kind, u]) => probeUrl(u!, kind, o.rule.openTimeoutSeconds * 1000, {allowPrivate: o.allowPrivateTargets === true})))
    const since = new Date(Date.now() - o.rule.windowDays * 86_400_000).toISOString()
    const rec = await recordProbeJob(o.pool, {id: job.id, appId, worker: name, durationMs: performance.now() - t0}, events, {since, failShare: o.rule.failShare, minProbes: o.rule.minProbes})
    return {probes: events.length, failed: events.filter((e) => !e.ok).length, newlyFlagged: rec.newlyFlagged, replayed: rec.replayed}
  })

  const ids: string[] = []
  for (let i = 0; i < o.concurrency; i++) {
    ids.push(await o.boss.work<RecheckData>(QUEUES.recheck, poll, recheck))
    ids.push(await o.boss.work<MonitorData>(QUEUES.monitor, poll, monitor))
  }
  o.log({level: 'info', msg: 'worker started', worker: name, concurrency: o.concurrency, apps: o.appsDir, categories: o.settings.categories})
  return {
    name,
    async stop(graceMs: number) {
      // pg-boss stops fetching, waits for the running jobs up to the timeout, then fails those left
      // (they are retried after their delay): nothing stays active until the expiry.
      await o.boss.stop({graceful: true, timeout: Math.max(1000, graceMs), wait: true, close: true})
    },
  }
}
