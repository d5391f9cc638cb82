// Each rule declares the artifacts it reads (`requires:` in the rule catalogue). With no browser,
// the rules that need only Node-gathered facts are still judged: SEC-001…009 (HTTP/TLS), every
// MAN and API rule; the page and Lighthouse rules are `error` with the cause, the result names
// what could not be gathered, and the run exits 3. The exit code is the point: the built CLI runs.
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ROOT, json, sjt} from '../helpers/cli.js'
import {loadProfile} from '../../src/core/profile.js'
// @ts-expect-error: plain JS fixture server without type declarations
import {startSampleServer} from '../../fixtures/apps/sample/server/index.js'

const ARTIFACTS = ['manifest', 'contract', 'apiprobe', 'http', 'page', 'lighthouse', 'security', 'miniprogram']

describe('the rule catalogue', () => {
  it('every rule of shanxi-2022 declares the artifacts it reads', () => {
    const profile = loadProfile('shanxi-2022', 'en')
    for (const r of profile.rules) {
      expect(r.requires?.length, `${r.id} has no requires:`).toBeGreaterThan(0)
      for (const a of r.requires!) expect(ARTIFACTS, r.id).toContain(a)
    }
    const sec = (id: string) => profile.rules.find((r) => r.id === id)!.requires
    for (let i = 1; i <= 9; i++) expect(sec(`SEC-00${i}`)).toEqual(['http'])
    expect(sec('SEC-010')).toContain('page')
  })
})

describe('no browser: what needs none is still judged', () => {
  let sample: {entry: string; apiBase: string; caFile: string; close(): Promise<void>}
  beforeAll(async () => {
    sample = await startSampleServer({https: true, port: 0})
  }, 60_000)
  afterAll(async () => {
    await sample?.close()
  })

  it('CHROME_PATH=/nonexistent: SEC-001…009, MAN-*, API-* judged; page rules error with the cause; exit 3', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'sjt-requires-'))
    const r = await sjt(
      ['check', path.join(ROOT, 'fixtures/apps/sample'), '--url', sample.entry, '--api-base', sample.apiBase, '--ca', sample.caFile, '--probe-requests', '2', '--out', out, '--json', '--lang', 'en'],
      {env: {CHROME_PATH: '/nonexistent'}, timeoutMs: 240_000},
    )
    expect(r.code, r.stderr).toBe(3)
    const doc = json(r)
    const byRule = new Map<string, string[]>()
    for (const f of doc.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f.status])
    const judged = (id: string) => (byRule.get(id) ?? []).some((s) => s === 'pass' || s === 'fail' || s === 'not-applicable')
    const ids = [...byRule.keys()]
    const mustJudge = [...ids.filter((id) => /^(MAN|API)-/.test(id)), ...Array.from({length: 9}, (_, i) => `SEC-00${i + 1}`)]
    expect(mustJudge.length).toBeGreaterThan(30)
    for (const id of mustJudge) expect(judged(id), `${id}: ${JSON.stringify(doc.findings.filter((f: any) => f.ruleId === id))}`).toBe(true)
    for (const id of ['SEC-010', 'ELD-001', 'A11Y-001', 'PERF-001']) {
      const fs = doc.findings.filter((f: any) => f.ruleId === id)
      expect(fs.length, id).toBeGreaterThan(0)
      expect(fs.every((f: any) => f.status === 'error' && /Chromium|Chrome/.test(f.message)), id).toBe(true)
    }
    const missing = doc.unavailable.map((u: any) => u.artifact).sort()
    expect(missing).toEqual(expect.arrayContaining(['lighthouse', 'page']))
    expect(doc.unavailable.find((u: any) => u.artifact === 'page').rules).toEqual(expect.arrayContaining(['ELD-001', 'SEC-010']))
    expect(doc.unavailable.flatMap((u: any) => u.rules)).not.toContain('SEC-001')
  }, 300_000)
})
