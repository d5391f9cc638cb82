// The sample app with a page behind the unified-identity login (fixtures/apps/sample-login), served
// by the sample's demo server (HTTPS, throwaway CA), checked through the built CLI:
// - with the ticket bootstrap of its sjt.config.yaml, 我的办件 is audited as itself by every
//   category and the contract probe reaches the authenticated GET /cases/{caseNo}; no secret
//   (the ticket, the session the server set) appears in anything the run wrote;
// - with --no-auth the report says the page was skipped and why, exit 0;
// - a refused ticket ends with exit 3 naming the step, and the anonymous pages are still checked.
// Runs with Lighthouse use --fail-on never: its numbers depend on the machine; exit 3 still shows.
// Needs `npx tsc -p .` first.
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {json, sjt} from '../helpers/cli.js'
import {at, leaks, MY_CASES, SAMPLE_LOGIN} from './helpers.js'
// @ts-expect-error: plain JS fixture server without type declarations
import {startSampleServer} from '../../fixtures/apps/sample/server/index.js'
// @ts-expect-error: plain JS fixture server without type declarations
import {sessionIds} from '../../fixtures/apps/sample/server/api.js'

const TICKET = 'ST-7f3c2a-leakcheck-ticket'
let sample: {entry: string; apiBase: string; caFile: string; close(): Promise<void>}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-auth-sample-'))
const savedTicket = process.env.SJT_TEST_TICKET

beforeAll(async () => {
  // The demo server (in this process) and the CLI (a child) both read the ticket from here.
  process.env.SJT_TEST_TICKET = TICKET
  sample = await startSampleServer({https: true, port: 0})
})

afterAll(async () => {
  await sample?.close()
  rmSync(tmp, {recursive: true, force: true})
  if (savedTicket === undefined) delete process.env.SJT_TEST_TICKET
  else process.env.SJT_TEST_TICKET = savedTicket
})

const common = () => ['--url', sample.entry, '--api-base', sample.apiBase, '--ca', sample.caFile, '--lang', 'en']
const on = (doc: any, ruleId: string, url: string) => doc.findings.filter((f: any) => f.ruleId === ruleId && at(f).endsWith(url))

describe('sample-login: a service page behind the login', () => {
  it('ticket bootstrap: 我的办件 is audited as itself by every category; the probe reaches GET /cases; nothing leaks', async () => {
    const out = path.join(tmp, 'ticket')
    const arts = path.join(tmp, 'ticket-artifacts')
    const r = await sjt(['check', SAMPLE_LOGIN, ...common(), '--runs', '1', '--fail-on', 'never', '--format', 'html,md,junit,sarif', '--out', out, '--save-artifacts', arts, '--verbose'], {timeoutMs: 120_000})
    const doc = JSON.parse(readFileSync(path.join(out, 'ty-gjj-login', 'result.json'), 'utf8'))
    expect(r.code, r.stderr.slice(-2000)).toBe(0)
    expect(doc.auth).toMatchObject({ok: true, kind: 'ticket'})
    expect(doc.findings.filter((f: any) => f.category !== 'perf' && (f.status === 'fail' || f.status === 'error'))).toEqual([])

    // The browser session visited the page itself, not the login page it redirects to without a session.
    const pages = JSON.parse(readFileSync(path.join(arts, 'page.artifacts.json'), 'utf8')).pages
    const visit = pages.find((p: any) => p.url.endsWith(MY_CASES))
    expect(visit).toMatchObject({role: 'service', name: '我的办件', status: 200})
    expect(visit.finalUrl.endsWith(MY_CASES)).toBe(true)
    expect(visit.error ?? visit.skipped ?? visit.loginRedirect).toBeUndefined()
    expect(visit.probes.a11y.error).toBeUndefined()

    // a11y, elder and security judged it, and it passes like the rest of the sample site.
    for (const id of ['A11Y-001', 'A11Y-002', 'A11Y-003', 'A11Y-004', 'ELD-003', 'ELD-007', 'SEC-010', 'SEC-013']) {
      expect(on(doc, id, MY_CASES).map((f: any) => f.status), id).toEqual(['pass'])
    }
    expect(on(doc, 'A11Y-001', MY_CASES)[0].message).toMatch(/我的办件/)

    // Lighthouse measured it (with the session: the report's page is 我的办件, not the login page).
    const lh = JSON.parse(readFileSync(path.join(arts, 'lighthouse.artifacts.json'), 'utf8'))
    const lhPage = lh.pages.find((p: any) => p.role === 'service')
    expect(lhPage.url.endsWith(MY_CASES)).toBe(true)
    expect(lhPage.probe.finalUrl.endsWith(MY_CASES)).toBe(true)
    // On a loaded machine a single Lighthouse run can end in a runtime error (e.g. a timeout); that
    // is Lighthouse's noise, not the login's. What must hold: it never measured the login page.
    const runErrors = lhPage.runs.map((x: any) => x.error?.code).filter(Boolean)
    expect(runErrors.filter((c: string) => /LOGIN/i.test(c))).toEqual([])
    if (lhPage.medianRun === null) console.warn(`Lighthouse produced no metrics for ${MY_CASES} on this run: ${runErrors.join(', ')}`)
    else {
      expect(lhPage.medianRun).toBe(1)
      const report = JSON.parse(readFileSync(path.join(arts, lhPage.reportFile), 'utf8'))
      expect(report.finalDisplayedUrl.endsWith(MY_CASES)).toBe(true)
      expect(on(doc, 'PERF-001', MY_CASES).map((f: any) => f.status)).toEqual(['pass'])
      for (const id of ['PERF-002', 'PERF-003', 'PERF-004', 'PERF-005', 'PERF-006', 'PERF-007']) {
        const f = on(doc, id, MY_CASES)
        expect(f.length, id).toBe(1)
        expect(['pass', 'fail'], `${id}: ${f[0].message}`).toContain(f[0].status)
        expect(f[0].message).toMatch(/service page「我的办件」/)
      }
    }

    // The live contract probe reached the authenticated GET /cases/{caseNo}.
    const cases = doc.findings.find((f: any) => f.ruleId === 'API-009' && /\/cases\//.test(at(f)))
    expect(cases.status, cases.message).toBe('pass')
    expect(cases.message).toMatch(/GET \/cases\/\{caseNo\} answered 200/)
    // The callback asks for a ticket in the query: the session does not carry one, so it is not judged.
    const sso = doc.findings.find((f: any) => f.ruleId === 'API-009' && /sso\/callback/.test(at(f)))
    expect(sso.status).toBe('not-applicable')

    // Secrets: the ticket and the session id the server set appear nowhere sjt wrote.
    const ids: string[] = sessionIds()
    expect(ids.length).toBeGreaterThan(0)
    expect(leaks([TICKET, ...ids], [out, arts], {stdout: r.stdout, stderr: r.stderr})).toEqual([])
    expect(readFileSync(path.join(out, 'ty-gjj-login', 'report.md'), 'utf8')).toMatch(/my-cases\.html/)
  })

  it('--no-auth: the page is skipped with a note in every category, the probe says why, exit 0', async () => {
    const env = {SJT_TEST_TICKET: ''}
    const r = await sjt(['check', SAMPLE_LOGIN, ...common(), '--runs', '1', '--fail-on', 'never', '--no-auth', '--json', '--out', path.join(tmp, 'noauth')], {timeoutMs: 120_000, env})
    const doc = json(r)
    expect(r.code, r.stderr.slice(-2000)).toBe(0)
    expect(doc.auth).toBeUndefined()
    const mine = doc.findings.filter((f: any) => at(f).endsWith(MY_CASES))
    expect(new Set(mine.map((f: any) => f.category))).toEqual(new Set(['a11y', 'elder', 'perf', 'security']))
    // Every security rule over pages says it did not see this one (mixed content, SRI, third parties, PI, permissions).
    expect(mine.filter((f: any) => f.category === 'security').map((f: any) => f.ruleId).sort()).toEqual(['SEC-010', 'SEC-011', 'SEC-012', 'SEC-013', 'SEC-014', 'SEC-017'])
    for (const f of mine) {
      expect(f.status, f.ruleId).toBe('not-applicable')
      expect(f.message).toMatch(/needs a login \(auth: required\).*--no-auth skipped the login bootstrap/)
    }
    const cases = doc.findings.find((f: any) => f.ruleId === 'API-009' && /\/cases\//.test(at(f)))
    expect(cases.status).toBe('not-applicable')
    expect(cases.message).toMatch(/answered 401.*--no-auth/)
    // The anonymous pages were checked as usual.
    expect(on(doc, 'A11Y-001', '/m/withdraw.html').map((f: any) => f.status)).toEqual(['pass'])
    // Nothing else fails (Lighthouse numbers aside, which depend on the machine: --fail-on never).
    expect(doc.findings.filter((f: any) => f.category !== 'perf' && (f.status === 'fail' || f.status === 'error'))).toEqual([])
  })

  it('a refused ticket: exit 3 naming the step; anonymous pages still checked, the protected one skipped', async () => {
    const r = await sjt(['check', 'a11y', SAMPLE_LOGIN, ...common(), '--json', '--out', path.join(tmp, 'refused')], {env: {SJT_TEST_TICKET: 'ST-not-the-right-one'}})
    const doc = json(r)
    expect(r.code).toBe(3)
    expect(doc.auth).toMatchObject({ok: false, kind: 'ticket', step: 'ticket'})
    expect(r.stderr).toMatch(/the login did not succeed.*refused the ticket \(HTTP 401\)/)
    expect(r.stderr).not.toMatch(/ST-not-the-right-one/)
    expect(r.stdout).not.toMatch(/ST-not-the-right-one/)
    expect(on(doc, 'A11Y-001', '/m/').map((f: any) => f.status)).toEqual(['pass'])
    expect(on(doc, 'A11Y-001', MY_CASES).map((f: any) => [f.status, f.message])).toEqual([['not-applicable', expect.stringMatching(/did not succeed \(ticket\)/)]])
  })
})
