// Shared pieces of the review tests: a real result document of the sample app (from the built
// CLI), variants of it with a fresh digest, tokens for every role, and an in-process server
// whose every exchange is checked against the OpenAPI contract.
import {execFileSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {computeDigest} from '../../src/core/result.js'
import {creditCodeCheckChar} from '../../src/lib/identifiers.js'
import {hashToken, newToken, startReviewServer, type Exchange, type RunningServer, type ServerOptions} from '../../src/review/server.js'
import {newId, type Role, type Store} from '../../src/review/store.js'
import {BIN, ROOT} from '../helpers/cli.js'
import {loadContract} from './contract.js'

export const OWN_CODE = '12140100MB0123457K'
/** Another valid department code (大同, check character computed). */
export const OTHER_CODE = (() => {
  const first = '12140200MB0765433'
  return first + creditCodeCheckChar(first)
})()

let sample: any
/** The sample app's result document, as `sjt check manifest fixtures/apps/sample --json` writes it. */
function sampleResult(): any {
  if (!sample) {
    const out = mkdtempSync(path.join(os.tmpdir(), 'sjt-review-sample-'))
    const text = execFileSync(process.execPath, [BIN, 'check', 'manifest', path.join(ROOT, 'fixtures/apps/sample'), '--json', '--out', out], {encoding: 'utf8', env: {...process.env, LANG: 'en_US.UTF-8'}})
    sample = JSON.parse(text)
  }
  return structuredClone(sample)
}

/**
 * A variant of the sample with a correct digest. `fail`: one error-severity finding fails and the
 * verdict says so; `verdict` alone writes a verdict whatever the findings say.
 */
export function variant(change: {appId?: string; version?: string; creditCode?: string; regionCode?: string; verdict?: 'pass' | 'fail' | 'incomplete'; fail?: boolean; entry?: string; elder?: string | null; health?: string | null; pad?: number} = {}): any {
  const d = sampleResult()
  if (change.fail) {
    const f = d.findings.find((x: any) => x.severity === 'error') ?? d.findings[0]
    f.severity = 'error'
    f.status = 'fail'
    d.verdict = 'fail'
  }
  if (change.appId) d.app.id = change.appId
  if (change.version) d.app.version = change.version
  if (change.creditCode) d.app.creditCode = change.creditCode
  if (change.regionCode) d.app.regionCode = change.regionCode
  if (change.verdict) d.verdict = change.verdict
  if (change.entry !== undefined) d.manifest.app.entry = change.entry
  if (change.elder !== undefined) {
    if (change.elder === null) delete d.manifest.app.elderEntry
    else d.manifest.app.elderEntry = change.elder
  }
  if (change.health !== undefined) {
    if (change.health === null) delete d.manifest.monitoring
    else d.manifest.monitoring = {health: change.health, availability: 99.9}
  }
  if (change.pad) d.metrics.padding = 'x'.repeat(change.pad)
  d.digest = {alg: 'sha256', value: computeDigest(d)}
  return d
}

export interface Tokens {
  submitter: string
  other: string
  reviewer: string
  auditor: string
  monitor: string
  ids: Record<string, string>
}

export async function makeToken(store: Store, role: Role, creditCode: string | null = null): Promise<{token: string; id: string}> {
  const token = newToken(role)
  const id = newId('tok')
  await store.createToken({id, hash: hashToken(token), role, creditCode, label: null, createdAt: new Date().toISOString(), revokedAt: null})
  return {token, id}
}

export async function makeTokens(store: Store): Promise<Tokens> {
  const s = await makeToken(store, 'submitter', OWN_CODE)
  const o = await makeToken(store, 'submitter', OTHER_CODE)
  const r = await makeToken(store, 'reviewer')
  const a = await makeToken(store, 'auditor')
  const m = await makeToken(store, 'monitor')
  return {submitter: s.token, other: o.token, reviewer: r.token, auditor: a.token, monitor: m.token, ids: {submitter: s.id, other: o.id, reviewer: r.id, auditor: a.id, monitor: m.id}}
}

export interface TestServer extends RunningServer {
  violations: string[]
  exchanges: Exchange[]
  logs: string[]
  call(method: string, p: string, token?: string | null, body?: unknown, headers?: Record<string, string>): Promise<{status: number; body: any; headers: Headers}>
}

export async function startTestServer(store: Store, opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const contract = loadContract()
  const violations: string[] = []
  const exchanges: Exchange[] = []
  const logs: string[] = []
  const running = await startReviewServer({
    store,
    port: 0,
    rateLimit: 0,
    log: (rec) => logs.push(JSON.stringify(rec)),
    ...opts,
    observe: (x) => {
      exchanges.push(x)
      violations.push(...contract.check({method: x.method, path: x.path, status: x.status, contentType: x.responseHeaders['Content-Type'], requestBody: x.requestBody, responseBody: x.responseBody, headers: x.responseHeaders}))
    },
  })
  return {
    ...running,
    violations,
    exchanges,
    logs,
    async call(method, p, token, body, headers = {}) {
      const res = await fetch(running.url + p, {
        method,
        headers: {...(token ? {Authorization: `Bearer ${token}`} : {}), ...(body !== undefined ? {'Content-Type': 'application/json'} : {}), ...headers},
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      })
      const text = await res.text()
      let parsed: any = text
      try {
        parsed = JSON.parse(text)
      } catch {
        // keep text
      }
      return {status: res.status, body: parsed, headers: res.headers}
    },
  }
}
