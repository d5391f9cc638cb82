// Shared pieces of the queue tests and the workers benchmark's shape: app folders that are copies of
// the sample app (manifest + contract) whose URLs point at one loopback server, their published
// state in the review store, and spawned sjt processes whose JSON log lines are collected.
import {spawn, type ChildProcess} from 'node:child_process'
import {cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {buildOptions} from '../../src/cli/check.js'
import {finalizeDocument, runCheck} from '../../src/core/run.js'
import type {Category, ResultDocument} from '../../src/core/types.js'
import type {Store} from '../../src/review/store.js'
import {BIN, ROOT} from '../helpers/cli.js'
import {makeToken, OWN_CODE} from './helpers.js'

/** The sample app's site (/m/) and API (/api) on loopback, every response held back `delayMs`. */
export async function sampleServer(delayMs: number): Promise<{origin: string; requests: () => number; close: () => Promise<void>}> {
  const {handler} = await import(pathToFileURL(path.join(ROOT, 'fixtures/apps/sample/server/index.js')).href)
  let n = 0
  const server = http.createServer((req, res) => {
    n++
    setTimeout(() => handler(req, res), delayMs)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const origin = `http://127.0.0.1:${(server.address() as {port: number}).port}`
  return {
    origin,
    requests: () => n,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

export const appId = (i: number) => `q-app-${String(i).padStart(2, '0')}`

/** `count` app folders under dir/apps, a config (apiBase + the queue block) in dir; returns the apps folder. */
export function makeAppFolders(dir: string, count: number, origin: string, queue: Record<string, unknown>): {apps: string; config: string} {
  const sample = path.join(ROOT, 'fixtures', 'apps', 'sample')
  const manifest = readFileSync(path.join(sample, 'sjt.yaml'), 'utf8')
    .replace('entry: https://gjj.taiyuan.gov.cn/m/', `entry: ${origin}/m/`)
    .replace('elderEntry: https://gjj.taiyuan.gov.cn/m/elder/', `elderEntry: ${origin}/m/elder/`)
    .replace('health: https://gjj.taiyuan.gov.cn/api/healthz', `health: ${origin}/api/healthz`)
  const apps = path.join(dir, 'apps')
  for (let i = 0; i < count; i++) {
    const d = path.join(apps, appId(i))
    mkdirSync(d, {recursive: true})
    cpSync(path.join(sample, 'openapi.yaml'), path.join(d, 'openapi.yaml'))
    writeFileSync(path.join(d, 'sjt.yaml'), manifest.replace('id: ty-gjj-withdraw', `id: ${appId(i)}`))
  }
  const config = path.join(dir, 'sjt.config.yaml')
  writeFileSync(config, JSON.stringify({apiBase: `${origin}/api`, queue}, null, 2) + '\n')
  return {apps, config}
}

/** The result `sjt check` gives the first app folder (in-process), for the approved submissions. */
export async function templateResult(apps: string, categories: Category[]): Promise<ResultDocument> {
  const dir = path.join(apps, appId(0))
  const {loadConfig} = await import('../../src/core/config.js')
  const {config} = loadConfig(dir, 'en')
  const options = buildOptions({profile: 'shanxi-2022', json: true}, config, 'en', path.join(dir, 'sjt.yaml'))
  options.progress = undefined
  return (await runCheck(options, categories)).doc
}

/** Submit, approve and publish each app (ids given) with the template's result under its own id. */
export async function publishApps(store: Store, template: ResultDocument, ids: string[]): Promise<void> {
  const sub = await makeToken(store, 'submitter', OWN_CODE)
  const rev = await makeToken(store, 'reviewer')
  for (const id of ids) {
    const d = structuredClone(template) as any
    d.app.id = id
    d.manifest.app.id = id
    delete d.digest
    const doc = finalizeDocument(d)
    const m = (doc as any).manifest
    const out = await store.createSubmission({
      scope: `submitter:${OWN_CODE}`,
      key: null,
      requestHash: doc.digest.value,
      appId: id,
      appName: doc.app.name,
      appVersion: doc.app.version,
      creditCode: OWN_CODE,
      regionCode: '140100',
      verdict: doc.verdict,
      digest: doc.digest.value,
      document: JSON.stringify(doc),
      entryUrl: m.app.entry,
      elderUrl: m.app.elderEntry,
      healthUrl: m.monitoring.health,
      actor: {role: 'submitter', tokenId: sub.id},
    })
    if (out.kind !== 'created') throw new Error(`submission of ${id}: ${out.kind}`)
    const at = new Date().toISOString()
    // The approved submission's URLs become the ones monitored (as the decision route passes them).
    const urls = {entryUrl: m.app.entry, elderUrl: m.app.elderEntry, healthUrl: m.monitoring.health}
    const approved = await store.decide(out.body.id, {decision: 'approve', comment: 'known findings accepted', override: doc.verdict !== 'pass', actor: {role: 'reviewer', tokenId: rev.id}, at, urls})
    if (approved.kind !== 'ok') throw new Error(`approval of ${id}: ${approved.kind}`)
    const published = await store.act(id, {action: 'publish', reason: null, actor: {role: 'reviewer', tokenId: rev.id}, at})
    if (published.kind !== 'ok') throw new Error(`publication of ${id}: ${published.kind}`)
  }
}

export interface Proc {
  child: ChildProcess
  /** JSON log lines (stderr) parsed so far. */
  logs: Array<Record<string, any>>
  stdout: string
  stderr: string
  exited: Promise<number | null>
  /** Resolves with the first log line that matches. */
  waitLog(match: (rec: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>
}

export function spawnSjt(args: string[], cwd: string, onLog?: (rec: Record<string, any>, p: Proc) => void, env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [BIN, ...args], {cwd, env: {...process.env, LANG: 'en_US.UTF-8', NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  const waiters: Array<{match: (r: Record<string, any>) => boolean; resolve: (r: Record<string, any>) => void}> = []
  const p: Proc = {
    child,
    logs: [],
    stdout: '',
    stderr: '',
    exited: new Promise((r) => child.on('exit', (code) => r(code))),
    waitLog(match, timeoutMs = 60_000) {
      const hit = p.logs.find(match)
      if (hit) return Promise.resolve(hit)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms; stderr:\n${p.stderr.slice(-3000)}`)), timeoutMs)
        waiters.push({match, resolve: (r) => (clearTimeout(timer), resolve(r))})
      })
    },
  }
  let buf = ''
  child.stdout!.on('data', (d) => (p.stdout += d))
  child.stderr!.on('data', (d) => {
    p.stderr += d
    buf += d
    let i
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i)
      buf = buf.slice(i + 1)
      if (!line.startsWith('{')) continue
      let rec: Record<string, any>
      try {
        rec = JSON.parse(line)
      } catch {
        continue
      }
      p.logs.push(rec)
      onLog?.(rec, p)
      for (const w of waiters.splice(0)) {
        if (w.match(rec)) w.resolve(rec)
        else waiters.push(w)
      }
    }
  })
  return p
}

/** Poll until fn returns a truthy value (or fail after timeoutMs with the last value). */
export async function until<T>(fn: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: T
  for (;;) {
    last = await fn()
    if (last) return last
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}
