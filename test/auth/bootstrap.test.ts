// The login bootstrap, each kind end to end against a real loopback server with a login.
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {bootstrapAuth, type AuthSession} from '../../src/core/auth.js'
import {buildOptions} from '../../src/cli/check.js'
import {loadProfile} from '../../src/core/profile.js'
import {InputError} from '../../src/lib/errors.js'
import type {GatherContext} from '../../src/core/types.js'
import {clearSecrets, maskText} from '../../src/lib/secrets.js'
import {startLoginServer, type LoginServer} from '../helpers/login-server.js'

let srv: LoginServer
const contexts: GatherContext[] = []

function ctxWith(auth: unknown): GatherContext {
  const options = buildOptions({json: true}, {auth: auth as Record<string, unknown>}, 'en')
  const ctx: GatherContext = {options, profile: loadProfile('shanxi-2022', 'en'), artifacts: {}, shared: new Map()}
  contexts.push(ctx)
  return ctx
}

beforeAll(async () => {
  srv = await startLoginServer()
})
afterAll(async () => {
  for (const c of contexts) for (const r of c.shared.values()) await r.close().catch(() => undefined)
  await srv.close()
})
beforeEach(() => clearSecrets())

describe('login bootstrap', () => {
  it('ticket: calls the SSO callback and keeps the session cookie; masks it', async () => {
    process.env.SJT_TEST_TICKET = 'ST-good-ticket'
    const ctx = ctxWith({kind: 'ticket', ticket: {value: '${SJT_TEST_TICKET}'}, verify: {url: '/m/secure.html', cookie: 'SESSION'}})
    const out = await bootstrapAuth(ctx, `${srv.url}/m/`, undefined)
    expect(out).toMatchObject({ok: true, kind: 'ticket'})
    const s = ctx.shared.get('auth') as unknown as AuthSession
    const cookie = s.cookies.find((c) => c.name === 'SESSION')!
    expect(srv.sessions.has(cookie.value)).toBe(true)
    expect(s.cookieHeader('127.0.0.1')).toBe(`SESSION=${cookie.value}`)
    expect(maskText(`cookie ${cookie.value} and ticket ST-good-ticket`)).toBe('cookie *** and ticket ***')
  })

  it('ticket: a refused ticket says which step failed', async () => {
    process.env.SJT_TEST_TICKET = 'ST-wrong'
    const ctx = ctxWith({kind: 'ticket', ticket: {value: '${SJT_TEST_TICKET}'}})
    const out = await bootstrapAuth(ctx, `${srv.url}/m/`, undefined)
    expect(out).toMatchObject({ok: false, step: 'ticket'})
    expect(out!.message).toMatch(/refused the ticket \(HTTP 401\)/)
    expect(ctx.shared.has('auth')).toBe(false)
  })

  it('cookies from the environment; verification catches a dead session', async () => {
    process.env.SJT_SESSION = 'sid-not-a-real-session'
    const ctx = ctxWith({kind: 'cookies', cookies: [{name: 'SESSION', value: '${SJT_SESSION}'}], verify: {url: '/m/secure.html'}})
    const out = await bootstrapAuth(ctx, `${srv.url}/m/`, undefined)
    expect(out).toMatchObject({ok: false, step: 'verify'})
    srv.sessions.add('sid-live-session-1')
    process.env.SJT_SESSION = 'sid-live-session-1'
    const ok = await bootstrapAuth(ctxWith({kind: 'cookies', cookies: [{name: 'SESSION', value: '${SJT_SESSION}'}], verify: {url: '/m/secure.html'}}), `${srv.url}/m/`, undefined)
    expect(ok).toMatchObject({ok: true})
  })

  it('headers from the environment', async () => {
    process.env.SJT_API_TOKEN = 'api-token-xyz'
    const ctx = ctxWith({kind: 'headers', headers: {Authorization: 'Bearer ${SJT_API_TOKEN}'}, verify: {url: '/api/me'}})
    expect(await bootstrapAuth(ctx, `${srv.url}/m/`, undefined)).toMatchObject({ok: true})
    expect((ctx.shared.get('auth') as unknown as AuthSession).headers.Authorization).toBe('Bearer api-token-xyz')
    // The whole configured value is a secret: its literal part (Bearer) is masked with it.
    expect(maskText('Bearer api-token-xyz')).toBe('***')
  })

  it('a missing environment variable is an input error naming it', async () => {
    delete process.env.SJT_NOT_SET
    const ctx = ctxWith({kind: 'headers', headers: {Authorization: 'Bearer ${SJT_NOT_SET}'}})
    await expect(bootstrapAuth(ctx, `${srv.url}/m/`, undefined)).rejects.toThrow(InputError)
    await expect(bootstrapAuth(ctx, `${srv.url}/m/`, undefined)).rejects.toThrow(/SJT_NOT_SET/)
  })

  it('steps: fills the login form in the shared browser and keeps the session', async () => {
    process.env.SJT_USER = 'tester'
    process.env.SJT_PASS = 'secret-pass-123'
    const steps = [{goto: '/login'}, {fill: '#user', value: '${SJT_USER}'}, {fill: '#pass', value: '${SJT_PASS}'}, {click: '#go'}, {waitForUrl: 'secure'}]
    const ctx = ctxWith({kind: 'steps', steps, verify: {url: '/m/secure.html', cookie: 'SESSION'}})
    const out = await bootstrapAuth(ctx, `${srv.url}/m/`, undefined)
    expect(out, out?.message).toMatchObject({ok: true, kind: 'steps'})
    expect(maskText('pw secret-pass-123')).toBe('pw ***')
  })

  it('steps: a wrong password stops at the step that failed', async () => {
    process.env.SJT_USER = 'tester'
    process.env.SJT_PASS = 'wrong-password'
    const steps = [{goto: '/login'}, {fill: '#user', value: '${SJT_USER}'}, {fill: '#pass', value: '${SJT_PASS}'}, {click: '#go'}, {waitForUrl: 'secure'}]
    const ctx = ctxWith({kind: 'steps', steps})
    ctx.options.timeoutMs = 3000
    const out = await bootstrapAuth(ctx, `${srv.url}/m/`, undefined)
    expect(out).toMatchObject({ok: false, step: '#5 waitForUrl'})
  })
})
