// Baselines and waivers end to end with `sjt check manifest` on copies of the sample app:
// new vs known failures (rule id + location, stable when lines move), the gate on new ones only;
// live waivers turn failures into `waived`, expired ones stop applying and warn in every report,
// waivers that match nothing are reported.
// Two runs spawn the built binary (the first check, exit 2 on a missing baseline); the rest run
// in-process (test/helpers/run.ts).
import {copyFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {create} from 'xmlbuilder2'
import {beforeAll, describe, expect, it} from 'vitest'
import {json, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'
import {applyBaseline, applyWaivers, localDay, waiverMatches} from '../../src/core/result.js'
import type {Finding, ResultDocument} from '../../src/core/types.js'
import {FAILING_EDITS, writeManifest} from './helpers.js'

let tmp: string
const today = localDay(new Date())
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`.replace(/-02-29$/, '-02-28')

const fails = (doc: ResultDocument) => doc.findings.filter((f) => f.status === 'fail')

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-gate-'))
})

describe('baseline', () => {
  it('marks failures new or known, survives moved lines, and gates only on new ones', async () => {
    const app = path.join(tmp, 'base-app')
    const manifest = writeManifest(app, FAILING_EDITS)
    const first = await sjt(['check', 'manifest', manifest, '--out', path.join(tmp, 'b0'), '--json'])
    expect(first.code).toBe(1)
    const base = json<ResultDocument>(first)
    expect(fails(base).length).toBeGreaterThanOrEqual(4)
    const baseline = path.join(tmp, 'baseline.json')
    copyFileSync(path.join(tmp, 'b0/ty-gjj-withdraw/result.json'), baseline)

    // Same app against its own baseline: everything known, exit 0, the counts recorded.
    const same = await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'b1'), '--baseline', baseline, '--json'])
    expect(same.code).toBe(0)
    const d1 = json<ResultDocument>(same)
    expect(d1.verdict).toBe('pass')
    expect(fails(d1).every((f) => f.baseline === 'known')).toBe(true)
    expect(d1.baseline).toMatchObject({file: baseline, newFailures: 0, knownFailures: fails(base).length, digest: base.digest.value})
    // Warnings known in the baseline do not trip --fail-on warn either.
    expect((await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'b1w'), '--baseline', baseline, '--fail-on', 'warn', '--json'])).code).toBe(0)

    // Lines move (three comment lines on top) and one new failure appears (a bad phone number).
    const text = readFileSync(manifest, 'utf8')
    writeFileSync(manifest, '# moved\n# moved\n# moved\n' + text.replace('phone: "13912345678"', 'phone: "12345"'))
    const moved = await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'b2'), '--baseline', baseline, '--format', 'md,html,junit,sarif'])
    expect(moved.code).toBe(1)
    const d2: ResultDocument = JSON.parse(readFileSync(path.join(tmp, 'b2/ty-gjj-withdraw/result.json'), 'utf8'))
    const fresh = fails(d2).filter((f) => f.baseline === 'new')
    expect(fresh.map((f) => f.ruleId)).toEqual(['MAN-013'])
    expect(fails(d2).filter((f) => f.baseline === 'known').length).toBe(fails(base).length)
    expect(d2.baseline).toMatchObject({newFailures: 1, knownFailures: fails(base).length})
    // Lines did move: the known MAN-002 failure is three lines lower than in the baseline.
    const line = (d: ResultDocument) => d.findings.find((f) => f.ruleId === 'MAN-002' && f.status === 'fail')!.location!.line!
    expect(line(d2)).toBe(line(base) + 3)
    // The text output and every report show both kinds.
    expect(moved.stdout).toContain('[baseline]')
    const dir = path.join(tmp, 'b2/ty-gjj-withdraw')
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8')
    expect(html.match(/class="mark new"/g)?.length).toBe(1)
    expect(html.match(/class="mark known"/g)?.length).toBe(fails(base).length)
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8')
    expect(md).toMatch(/MAN-013.*\\\[new\\\]/)
    expect(md).toMatch(/1 new failures/)
    const sarif = JSON.parse(readFileSync(path.join(dir, 'report.sarif'), 'utf8'))
    expect(sarif.runs[0].results.filter((r: any) => r.baselineState === 'new').map((r: any) => r.ruleId)).toEqual(['MAN-013'])
    const junit = readFileSync(path.join(dir, 'report.junit.xml'), 'utf8')
    expect(junit).toContain('type="known"')

    // Fixing a known failure keeps the gate open; the fix simply disappears from the failures.
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('phone: "12345"', 'phone: "13912345678"').replace('entry: http://', 'entry: https://'))
    const fixed = await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'b3'), '--baseline', baseline, '--json'])
    expect(fixed.code).toBe(0)
    expect(json<ResultDocument>(fixed).baseline).toMatchObject({newFailures: 0, knownFailures: fails(base).length - 1})
  })

  it('a missing or broken baseline is exit 2 naming the file', async () => {
    const manifest = writeManifest(path.join(tmp, 'nb-app'), FAILING_EDITS)
    const r = await sjt(['check', 'manifest', manifest, '--out', path.join(tmp, 'nb'), '--baseline', path.join(tmp, 'nope.json')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('nope.json')
    const bad = path.join(tmp, 'bad-baseline.json')
    writeFileSync(bad, '{"schemaVersion": "1.0"')
    const r2 = await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'nb'), '--baseline', bad])
    expect(r2.code).toBe(2)
    expect(r2.stderr).toContain('bad-baseline.json')
  })

  it('keys are rule id + location: a waived baseline finding counts as known', () => {
    const f = (ruleId: string, status: Finding['status'], loc: Finding['location']): Finding => ({ruleId, category: 'a11y', severity: 'error', status, message: '', clause: '', location: loc})
    const baseline = {findings: [f('A11Y-001', 'waived', {url: 'https://a.gov.cn/', selector: '#x'}), f('A11Y-001', 'pass', {url: 'https://a.gov.cn/', selector: '#y'})]} as ResultDocument
    const now = [f('A11Y-001', 'fail', {url: 'https://a.gov.cn/', selector: '#x'}), f('A11Y-001', 'fail', {url: 'https://a.gov.cn/', selector: '#y'}), f('A11Y-002', 'fail', {url: 'https://a.gov.cn/', selector: '#x'})]
    expect(applyBaseline(now, baseline)).toEqual({newFailures: 2, knownFailures: 1})
    expect(now.map((x) => x.baseline)).toEqual(['known', 'new', 'new'])
  })
})

describe('waivers', () => {
  it('live → waived, expired → still fails and warns everywhere, unmatched → reported', async () => {
    const app = path.join(tmp, 'waiver-app')
    const manifest = writeManifest(app, FAILING_EDITS)
    writeFileSync(
      path.join(app, 'sjt.config.yaml'),
      [
        'waivers:',
        '  - rule: MAN-002',
        '    location: sjt.yaml:16',
        '    reason: 信用代码变更办理中',
        '    owner: 王工',
        `    expires: ${nextYear}`,
        '  - rule: MAN-005',
        '    reason: 入口迁移 https',
        '    expires: "2020-01-31"',
        '  - rule: man-008',
        '    reason: 好差评对接排期',
        `    expires: "${today}"`,
        '  - rule: MAN-002',
        '    location: sjt.yaml:1',
        '    reason: 行号不对的豁免',
        `    expires: ${nextYear}`,
        '  - rule: MAN-010',
        '    location: nowhere.example',
        '    reason: 不再需要',
        `    expires: ${nextYear}`,
        '  - rule: A11Y-001',
        '    reason: 无障碍类未运行',
        `    expires: ${nextYear}`,
        '',
      ].join('\n'),
    )
    const r = await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'w1'), '--format', 'md,html,junit,sarif'])
    expect(r.code).toBe(1) // MAN-005 still fails: its waiver expired
    const doc: ResultDocument = JSON.parse(readFileSync(path.join(tmp, 'w1/ty-gjj-withdraw/result.json'), 'utf8'))
    const man2 = doc.findings.find((f) => f.ruleId === 'MAN-002' && f.location?.line === 16)!
    expect(man2.status).toBe('waived')
    expect(man2.waiver).toEqual({reason: '信用代码变更办理中', owner: '王工', expires: nextYear})
    expect(doc.findings.filter((f) => f.ruleId === 'MAN-008').every((f) => f.status === 'waived' || f.status === 'pass')).toBe(true)
    expect(doc.findings.filter((f) => f.ruleId === 'MAN-008' && f.status === 'waived').length).toBeGreaterThan(0)
    expect(doc.findings.find((f) => f.ruleId === 'MAN-005' && f.status !== 'pass')!.status).toBe('fail')
    expect(doc.waivers!.map((w) => [w.rule, w.location ?? '', w.state])).toEqual([
      ['MAN-002', 'sjt.yaml:16', 'active'],
      ['MAN-005', '', 'expired'],
      ['man-008', '', 'active'],
      ['MAN-002', 'sjt.yaml:1', 'unused'],
      ['MAN-010', 'nowhere.example', 'unused'],
    ]) // A11Y-001: a11y did not run, so its waiver is not called unused
    // The category counts a waived rule as holding; waived findings are not errors.
    expect(doc.categories.manifest!.errors).toBe(fails(doc).filter((f) => f.severity === 'error').length)
    // The expired and unmatched waivers warn in the text output and in every report.
    expect(r.stdout).toMatch(/waiver expired on 2020-01-31 and no longer applies: MAN-005/)
    expect(r.stdout).toMatch(/waiver matches nothing: MAN-010 nowhere\.example/)
    const dir = path.join(tmp, 'w1/ty-gjj-withdraw')
    const expiredText = 'Waiver expired on 2020-01-31 and no longer applies: MAN-005'
    const unusedText = 'Waiver matches no failure: MAN-010 nowhere.example'
    for (const f of ['report.html', 'report.md']) {
      const s = readFileSync(path.join(dir, f), 'utf8')
      expect(s, f).toContain(expiredText)
      expect(s, f).toContain(unusedText)
      expect(s, f).toContain('信用代码变更办理中')
    }
    const junit = create(readFileSync(path.join(dir, 'report.junit.xml'), 'utf8')).root().node as any
    const messages = [...junit.getElementsByTagName('skipped')].map((e: any) => e.getAttribute('message')).join('\n')
    expect(messages).toContain(expiredText)
    expect(messages).toContain(unusedText)
    expect(messages).toContain('信用代码变更办理中')
    const sarif = JSON.parse(readFileSync(path.join(dir, 'report.sarif'), 'utf8'))
    const notes = sarif.runs[0].invocations[0].toolConfigurationNotifications.map((n: any) => n.message.text).join('\n')
    expect(notes).toContain(expiredText)
    expect(notes).toContain('入口迁移 https')
    expect(notes).toContain(unusedText)
    expect(sarif.runs[0].results.find((x: any) => x.ruleId === 'MAN-002' && x.suppressions).suppressions[0].justification).toContain('信用代码变更办理中')

    // With MAN-005 waived too, only warnings remain: exit 0 under error, 1 under warn.
    writeFileSync(path.join(app, 'sjt.config.yaml'), readFileSync(path.join(app, 'sjt.config.yaml'), 'utf8').replace('expires: "2020-01-31"', `expires: "${nextYear}"`))
    expect((await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'w2')])).code).toBe(0)
    expect((await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'w3'), '--fail-on', 'warn'])).code).toBe(1)
  })

  for (const [what, body, re] of [
    ['without a reason', `waivers:\n  - rule: MAN-002\n    expires: "2030-01-01"\n`, /reason/],
    ['without an expiry', `waivers:\n  - rule: MAN-002\n    reason: x\n`, /expires/],
    ['with a date that is not one', `waivers:\n  - rule: MAN-002\n    reason: x\n    expires: "2030-02-31"\n`, /date/],
  ] as const) {
    it(`a waiver ${what} is exit 2 naming the config file and line`, async () => {
      const app = path.join(tmp, `bad-waiver-${what.replace(/\W+/g, '-')}`)
      const manifest = writeManifest(app, FAILING_EDITS)
      writeFileSync(path.join(app, 'sjt.config.yaml'), body)
      const r = await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'bw')])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/sjt\.config\.yaml:\d+:\d+/)
      expect(r.stderr).toMatch(re)
      expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2)
    })
  }

  it('file:line names that line only; other locations match a part of the location', () => {
    const f: Finding = {ruleId: 'MAN-002', category: 'manifest', severity: 'error', status: 'fail', message: '', clause: '', location: {file: 'apps/x/sjt.yaml', line: 15, column: 15, pointer: '/owner/creditCode'}}
    expect(waiverMatches('sjt.yaml:15', f)).toBe(true)
    expect(waiverMatches('x/sjt.yaml:15:15', f)).toBe(true)
    expect(waiverMatches('sjt.yaml:1', f)).toBe(false)
    expect(waiverMatches('sjt.yaml:15:3', f)).toBe(false)
    expect(waiverMatches('yaml:15', f)).toBe(false)
    expect(waiverMatches('/owner/creditCode', f)).toBe(true)
    const p: Finding = {...f, location: {url: 'https://stats.example.com:8443/a.js', selector: '#ad'}}
    expect(waiverMatches('stats.example.com', p)).toBe(true)
    expect(waiverMatches('stats.example.com:8443', p)).toBe(true)
    expect(waiverMatches('#ad', p)).toBe(true)
    expect(waiverMatches('other.example.com', p)).toBe(false)
  })

  it('a waiver holds through its expiry day and not a day longer', () => {
    const mk = (): Finding[] => [{ruleId: 'SEC-012', category: 'security', severity: 'error', status: 'fail', message: '', clause: ''}]
    const w = [{rule: 'SEC-012', reason: 'r', expires: '2027-03-31'}]
    const a = mk()
    expect(applyWaivers(a, w, new Date(2027, 2, 31, 23, 59))[0].state).toBe('active')
    expect(a[0].status).toBe('waived')
    const b = mk()
    expect(applyWaivers(b, w, new Date(2027, 3, 1, 0, 1))[0].state).toBe('expired')
    expect(b[0].status).toBe('fail')
  })
})
