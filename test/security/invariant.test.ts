// SEC-004 and the SEC-018 grade judge the same CSP and never contradict each other: over a corpus
// of header sets (fixtures/headers/csp-corpus.yaml) and many generated ones, SEC-004 fails exactly
// when the grade subtracts for the CSP, and passes exactly when it does not.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import type {Artifacts} from '../../src/artifacts/index.js'
import {computeGrade} from '../../src/audits/security/grade.js'
import {ROOT} from '../helpers/cli.js'
import {judge, options, profile} from './harness.js'

const ENTRY = 'https://gjj.example.gov.cn/m/'

interface Case {
  name: string
  csp: string[]
  meta?: string[]
  reportOnly?: string[]
  sec004: 'pass' | 'fail'
  result: string
}

function artifacts(csp: string[], meta: string[] = [], reportOnly: string[] = []): Artifacts {
  const headers: Record<string, string[]> = {'content-type': ['text/html; charset=utf-8'], 'strict-transport-security': ['max-age=31536000'], 'x-content-type-options': ['nosniff'], 'x-frame-options': ['DENY']}
  if (csp.length) headers['content-security-policy'] = csp
  if (reportOnly.length) headers['content-security-policy-report-only'] = reportOnly
  return {
    http: {
      entry: ENTRY,
      entryOrigin: 'https://gjj.example.gov.cn',
      targets: [{roles: ['entry'], url: ENTRY, source: 'fixture', fetch: {url: ENTRY, finalUrl: ENTRY, status: 200, chain: [{url: ENTRY, status: 200}], headers, cookies: [], cookieCount: 0, contentType: 'text/html', bodyBytes: 100, ms: 5}, ...(meta.length ? {meta: {csp: meta, referrer: []}} : {})}],
      tls: [],
      redirects: [],
      exposed: {origin: 'https://gjj.example.gov.cn', softNotFound: false, checks: []},
      skipped: [],
      durationMs: 1,
    },
  } as unknown as Artifacts
}

function verdicts(a: Artifacts): {sec004: string; result: string; modifier: number} {
  const f = judge(a, options(), ['SEC-004'])['SEC-004']
  const g = computeGrade(a, profile)!
  const csp = g.tests.find((x) => x.test === 'csp')!
  return {sec004: f[0].status, result: csp.result, modifier: csp.modifier}
}

const corpus = parse(readFileSync(path.join(ROOT, 'fixtures/headers/csp-corpus.yaml'), 'utf8')) as Case[]

describe('policies of <meta> tags', () => {
  it('reads http-equiv CSP and name=referrer from the head only, comments skipped', async () => {
    const {htmlFacts} = await import('../../src/gather/http/html.js')
    const html = `<!doctype html><html><head><meta charset="utf-8">
      <!-- <meta http-equiv="Content-Security-Policy" content="script-src *"> -->
      <META HTTP-EQUIV="content-security-policy" CONTENT="default-src 'self'; img-src &apos;self&apos; data:">
      <meta name="referrer" content="no-referrer"></head>
      <body><meta http-equiv="Content-Security-Policy" content="script-src *"></body></html>`
    expect(htmlFacts(html, ENTRY).meta).toEqual({csp: ["default-src 'self'; img-src &apos;self&apos; data:"], referrer: ['no-referrer']})
    expect(htmlFacts('<html><head></head><body>x</body></html>', ENTRY).meta).toBeUndefined()
  })
})

describe('SEC-004 and the SEC-018 grade agree', () => {
  it('on every header set of the corpus, as the corpus says', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25)
    for (const c of corpus) {
      const v = verdicts(artifacts(c.csp, c.meta, c.reportOnly))
      expect({name: c.name, sec004: v.sec004, result: v.result}).toEqual({name: c.name, sec004: c.sec004, result: c.result})
      expect(v.modifier < 0, c.name).toBe(v.sec004 === 'fail')
    }
  })

  it('on generated policies: a failing SEC-004 always costs grade points, a passing one never does', () => {
    const source = fc.constantFrom("'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", "'nonce-abc'", "'sha256-xyz='", "'wasm-unsafe-eval'", '*', 'https:', 'http:', 'data:', 'blob:', 'https://*', 'https://cdn.example.com', 'http://cdn.example.com', '*.example.com')
    const directive = fc.tuple(fc.constantFrom('default-src', 'script-src', 'style-src', 'img-src', 'object-src', 'frame-ancestors', 'connect-src'), fc.array(source, {maxLength: 4})).map(([d, s]) => [d, ...s].join(' '))
    const policy = fc.array(directive, {minLength: 1, maxLength: 4}).map((ds) => ds.join('; '))
    fc.assert(
      fc.property(fc.array(policy, {maxLength: 2}), fc.array(policy, {maxLength: 1}), (csp, meta) => {
        const v = verdicts(artifacts(csp, meta))
        expect(v.modifier < 0).toBe(v.sec004 === 'fail')
      }),
      {numRuns: 400, seed: 20261202},
    )
  })

  it('every CSP result of the table has the sign SEC-004 gives it', async () => {
    const {CSP_FAILING} = await import('../../src/audits/security/headers.js')
    const table = (profile.rules.find((r) => r.id === 'SEC-018')!.params as any).table.modifiers.csp as Record<string, number>
    for (const [result, modifier] of Object.entries(table)) expect(modifier < 0, result).toBe(CSP_FAILING.has(result as never))
  })
})
