// A small ConsoleDeps for the feature plugins' tests: the session comes from a token the test puts
// in a header (looked up in the real store, as the shell's sign-in does), the CSRF token is fixed
// per session, and page() wraps the body in a minimal document. The shell's own sign-in, cookies
// and layout are tested with the shell.
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Fastify, {type FastifyInstance} from 'fastify'
import {esc} from '../../src/review/console/html.js'
import type {ConsoleDeps, ConsolePlugin} from '../../src/review/console/contract.js'
import {hashToken} from '../../src/review/server/auth.js'
import {loadMonitoringRule} from '../../src/review/server/context.js'
import {openSqliteStore} from '../../src/review/store-sqlite.js'
import type {NewSubmission, Store} from '../../src/review/store.js'

export const CSRF_PREFIX = 'csrf-'

function testDeps(store: Store): ConsoleDeps {
  return {
    store,
    monitoring: loadMonitoringRule('shanxi-2022'),
    async session(req, reply) {
      const token = req.headers['x-test-token']
      const rec = typeof token === 'string' ? await store.findTokenByHash(hashToken(token)) : null
      if (!rec || rec.revokedAt) {
        await reply.code(303).header('Location', '/console/sign-in').send()
        return undefined
      }
      return {principal: {token: rec, tokenHash: hashToken(token as string), role: rec.role, creditCode: rec.creditCode}, lang: req.headers['x-test-lang'] === 'en' ? 'en' : 'zh-CN', csrfToken: CSRF_PREFIX + rec.id}
    },
    csrf(req, s) {
      const b = req.body as Record<string, unknown> | undefined
      return !!b && b._csrf === s.csrfToken
    },
    page(reply, s, spec) {
      return reply
        .code(spec.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(`<!DOCTYPE html><html lang="${s.lang}"><head><title>${esc(spec.title)}</title></head><body><main data-nav="${esc(spec.nav ?? '')}"><h1>${esc(spec.title)}</h1>${spec.body}</main></body></html>`)
    },
    notFound(reply, s) {
      return reply.code(404).type('text/html; charset=utf-8').send(`<!DOCTYPE html><html lang="${s.lang}"><body><main><h1>not found</h1></main></body></html>`)
    },
  }
}

/**
 * A fastify instance with the plugins: on the root (`prefix` absent), or registered under a
 * prefix as the shell registers them (`/console`); the paths are the same either way.
 */
export async function consoleApp(plugins: ConsolePlugin[], opts: {prefix?: string} = {}): Promise<{app: FastifyInstance; store: Store; deps: ConsoleDeps}> {
  const store = await openSqliteStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'sjt-console-')), 'review.db'))
  const deps = testDeps(store)
  const app = Fastify({logger: false})
  if (opts.prefix) await app.register(async (scope) => {
    for (const p of plugins) await scope.register(async (feature) => p(feature, deps))
  }, {prefix: opts.prefix})
  else for (const p of plugins) await p(app, deps)
  await app.ready()
  return {app, store, deps}
}

/** Submit a document straight to the store (the API's checks are the API tests' business). */
export async function submit(store: Store, doc: any, over: Partial<NewSubmission> = {}): Promise<string> {
  const out = await store.createSubmission({
    scope: `submitter:${doc.app.creditCode}`,
    key: null,
    requestHash: doc.digest?.value ?? 'h',
    appId: doc.app.id,
    appName: doc.app.name,
    appVersion: doc.app.version,
    creditCode: doc.app.creditCode,
    regionCode: doc.app.regionCode ?? null,
    verdict: doc.verdict ?? 'pass',
    digest: doc.digest?.value ?? 'a'.repeat(64),
    document: JSON.stringify(doc),
    entryUrl: doc.manifest?.app?.entry ?? null,
    elderUrl: doc.manifest?.app?.elderEntry ?? null,
    healthUrl: doc.manifest?.monitoring?.health ?? null,
    actor: {role: 'submitter', tokenId: 'tok_seed'},
    ...over,
  })
  if (out.kind !== 'created') throw new Error(`seed submission refused: ${out.kind}`)
  return out.body.id
}

export async function approve(store: Store, id: string): Promise<void> {
  const at = new Date().toISOString()
  const out = await store.decide(id, {decision: 'approve', comment: 'seed', override: true, actor: {role: 'reviewer', tokenId: 'tok_seed'}, at, urls: {entryUrl: 'https://app.example/m/', elderUrl: null, healthUrl: 'https://app.example/healthz'}})
  if (out.kind !== 'ok') throw new Error(`seed approval refused: ${out.kind}`)
}

/** Form fields as application/x-www-form-urlencoded. */
export function form(fields: Record<string, string>): {payload: string; headers: Record<string, string>} {
  return {payload: new URLSearchParams(fields).toString(), headers: {'content-type': 'application/x-www-form-urlencoded'}}
}
