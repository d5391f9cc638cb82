// `sjt report` from saved results: all five formats, the HTML self-contained, JUnit parsing,
// SARIF valid against the official 2.1.0 schema (test/report/sarif-2.1.0.schema.json: the OASIS
// Standard with Errata 01, from the SARIF TC repository, sarif-2.1/schema/sarif-schema-2.1.0.json),
// Markdown size.
// One run spawns the built binary (exit 2 on a file that is not a result); the rest run in-process
// (test/helpers/run.ts).
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import Ajv from 'ajv'
import addFormatsModule from 'ajv-formats'
import {create} from 'xmlbuilder2'
import {beforeAll, describe, expect, it} from 'vitest'
import {ROOT, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'
import {finalizeDocument} from '../../src/core/run.js'
import type {Finding, ResultDocument} from '../../src/core/types.js'
import {renderHtml} from '../../src/report/html.js'
import {MD_LIMIT, renderMarkdown} from '../../src/report/md.js'
import {renderJunit} from '../../src/report/junit.js'
import {where} from '../../src/report/common.js'
import {buildSarif} from '../../src/report/sarif.js'
import {FAILING_EDITS, SAMPLE, richDocument, writeJson, writeManifest} from './helpers.js'

const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv
const sarifRaw = JSON.parse(readFileSync(path.join(ROOT, 'test/report/sarif-2.1.0.schema.json'), 'utf8'))
// The schema is written as draft-04 and uses nothing that draft-07 reads differently (no boolean
// exclusiveMinimum); ajv 8 runs it as draft-07 once the top-level `id` is spelled `$id`.
const {id: sarifId, $schema: _draft04, ...sarifRest} = sarifRaw
const sarifSchema = {$schema: 'http://json-schema.org/draft-07/schema#', $id: sarifId, ...sarifRest}
// The schema's "language" pattern is not valid with the u flag, hence unicodeRegExp: false.
const ajv = addFormats(new Ajv({strict: false, allErrors: true, unicodeRegExp: false}))
const validateSarif = ajv.compile(sarifSchema)

let tmp: string
let passDoc: ResultDocument
let failDoc: ResultDocument
let richFile: string
let rich: ResultDocument
const FORMATS = 'html,md,pdf,junit,sarif'

/** Network references an HTML file must never have: src/href/srcset/action/poster/url()/@import. */
export function networkReferences(html: string): string[] {
  const found: string[] = []
  const attr = /\s(?:src|href|srcset|action|formaction|poster|data|xlink:href|background|manifest|ping|longdesc|cite|content)\s*=\s*(["']?)\s*([^"'\s>]*)/gi
  for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
    for (const m of tag.matchAll(attr)) {
      const v = m[2].toLowerCase()
      if (/^(?:[a-z][a-z0-9+.-]*:)?\/\//.test(v) || (/^[a-z][a-z0-9+.-]*:/.test(v) && !v.startsWith('data:'))) found.push(m[0])
      else if (/\s(?:src|href|srcset|poster|data)\s*=/i.test(m[0]) && v && !v.startsWith('data:') && !v.startsWith('#')) found.push(m[0])
    }
  }
  for (const m of html.matchAll(/url\(\s*["']?\s*([^)"']*)/gi)) if (!m[1].toLowerCase().startsWith('data:')) found.push(m[0])
  for (const m of html.matchAll(/@import|<script\b|<link\b|<iframe\b|<object\b|<embed\b|<base\b/gi)) found.push(m[0])
  return found
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-report-'))
  const p = await sjtIn(['check', 'manifest', SAMPLE, '--out', path.join(tmp, 'pass'), '--format', 'json', '--json'])
  expect(p.code).toBe(0)
  passDoc = JSON.parse(readFileSync(path.join(tmp, 'pass/ty-gjj-withdraw/result.json'), 'utf8'))
  const manifest = writeManifest(path.join(tmp, 'failing-app'), FAILING_EDITS)
  const f = await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'fail'), '--json'])
  expect(f.code).toBe(1)
  failDoc = JSON.parse(readFileSync(path.join(tmp, 'fail/ty-gjj-withdraw/result.json'), 'utf8'))
  rich = richDocument(failDoc)
  richFile = writeJson(path.join(tmp, 'rich.json'), rich)
})

describe('sjt report writes all five formats from a saved result', () => {
  for (const which of ['pass', 'fail', 'rich'] as const) {
    it(`${which}: html, md, pdf, junit, sarif`, async () => {
      const input = which === 'rich' ? richFile : path.join(tmp, which, 'ty-gjj-withdraw/result.json')
      const out = path.join(tmp, `out-${which}`)
      const r = await sjtIn(['report', input, '--format', FORMATS, '--out', out, '--lang', 'en'])
      expect(r.code, r.stderr).toBe(0)
      const dir = path.join(out, 'ty-gjj-withdraw')
      for (const f of ['report.html', 'report.md', 'report.pdf', 'report.junit.xml', 'report.sarif']) expect(existsSync(path.join(dir, f)), f).toBe(true)
      expect(readFileSync(path.join(dir, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-')
      const html = readFileSync(path.join(dir, 'report.html'), 'utf8')
      expect(networkReferences(html)).toEqual([])
      expect(html).toContain('Access report')
      const doc = which === 'pass' ? passDoc : which === 'fail' ? failDoc : rich
      const failures = doc.findings.filter((x) => x.status === 'fail')
      for (const x of failures) expect(html).toContain(x.ruleId)
      // JUnit parses and carries the failures with their locations.
      const junit = parseXml(readFileSync(path.join(dir, 'report.junit.xml'), 'utf8'))
      const failed = elements(junit, 'testcase').filter((c: any) => child(c, 'failure'))
      const errorFailures = failures.filter((x) => x.severity === 'error')
      expect(failed.length).toBe(new Set(errorFailures.map((x) => `${x.ruleId} ${loc(x)}`)).size)
      for (const x of errorFailures) {
        const tc = failed.find((c: any) => c.getAttribute('name').startsWith(x.ruleId + ' ') && c.getAttribute('name').includes(where(x)))
        expect(tc, `${x.ruleId} ${where(x)}`).toBeDefined()
        if (x.location?.file) expect(tc.getAttribute('line')).toBe(String(x.location.line))
      }
      // SARIF validates and carries them too.
      const sarif = JSON.parse(readFileSync(path.join(dir, 'report.sarif'), 'utf8'))
      expect(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true)
      expect(sarif.runs[0].results.filter((x: any) => !x.suppressions).length).toBe(failures.length)
      const md = readFileSync(path.join(dir, 'report.md'), 'utf8')
      expect(md.length).toBeLessThan(65_000)
      for (const x of failures) expect(md).toContain(x.ruleId)
    })
  }

  it('pdf without a browser is exit 3 saying what to install', async () => {
    const r = await sjtIn(['report', path.join(tmp, 'pass/ty-gjj-withdraw/result.json'), '--format', 'pdf', '--out', path.join(tmp, 'nopdf')], {env: {CHROME_PATH: path.join(tmp, 'no-chromium')}})
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/Chromium/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('a bad format is exit 2 with the allowed list', async () => {
    const r = await sjtIn(['report', path.join(tmp, 'pass/ty-gjj-withdraw/result.json'), '--format', 'docx', '--out', path.join(tmp, 'x')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/docx/)
    expect(r.stderr).toMatch(/sarif/)
  })

  it('a result that is not a result document is exit 2 naming the file', async () => {
    const bad = writeJson(path.join(tmp, 'bad.json'), {hello: 1})
    const r = await sjt(['report', bad, '--format', 'html', '--out', path.join(tmp, 'x')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('bad.json')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})

/** Parse XML with xmlbuilder2 into its DOM (entities decoded). */
function parseXml(xml: string): any {
  return create(xml).root().node
}

function elements(node: any, tag: string): any[] {
  return [...node.getElementsByTagName(tag)]
}

function child(node: any, tag: string): any | undefined {
  return elements(node, tag).find((e) => e.parentNode === node)
}

function loc(f: Finding): string {
  const l = f.location ?? {}
  return l.file ? `${l.file}:${l.line ?? ''}:${l.column ?? ''}` : `${l.url ?? ''} ${l.selector ?? ''}`
}

describe('html', () => {
  it('shows verdict, identity, versions, scores with a chart, failures with title/clause/location/screenshot', () => {
    const html = renderHtml(rich, {lang: 'en'})
    expect(html).toMatch(/class="verdict fail"/)
    expect(html).toContain('ty-gjj-withdraw')
    expect(html).toContain('太原公积金提取')
    expect(html).toContain('shanxi-2022 2022.1')
    expect(html).toContain(`sjt ${rich.tool.version}`)
    expect(html).toContain('Chromium 140.0')
    expect(html).toMatch(/<svg class="chart"[^>]*role="img"/)
    // The category chart has one bar per scored category, proportional to the score.
    const chart = html.match(/<svg class="chart"[\s\S]*?<\/svg>/)![0]
    expect((chart.match(/<rect [^>]*fill="#(?!eef1f5)/g) ?? []).length).toBe(Object.values(rich.categories).filter((c) => c?.score !== null).length)
    // Rule title from the profile, clause and location for the manifest failure.
    const man = rich.findings.find((f) => f.ruleId === 'MAN-002' && f.status === 'fail')!
    expect(html).toContain('Unified social credit codes are valid (structure and check character)')
    expect(html).toContain(`${man.location!.file}:${man.location!.line}:${man.location!.column}`)
    expect(html).toContain('GB 32100-2015')
    // URL + selector, and the screenshot inline.
    expect(html).toContain('https://gjj.taiyuan.gov.cn/m/ #main &gt; .notice')
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="Screenshot for A11Y-001">/)
    // Waivers (reason and expiry), the expired and unused warnings, the waived finding.
    expect(html).toContain('旧页面下线中')
    expect(html).toContain('2099-12-31')
    expect(html).toContain('Waiver expired on 2020-01-31 and no longer applies: SEC-003')
    expect(html).toContain('Waiver matches no failure: ELD-006 ads.example.com')
    expect(html).toMatch(/data-rule="A11Y-004" data-status="waived"/)
    // Lighthouse metrics with the spread, security grade, capability score.
    expect(html).toContain('3,120 ms')
    expect(html).toContain('2,410 ms – 3,905 ms')
    expect(html).toContain('3 runs; the values are those of the run with the median performance score')
    expect(html).toContain('C+')
    expect(html).toContain('76.3')
    expect(html).toContain('2022.1-m1')
    expect(html).toContain('Effectiveness')
    // Could-not-judge is its own section.
    expect(html).toMatch(/id="faults"[\s\S]*SEC-012/)
    // Phone and print.
    expect(html).toContain('name="viewport" content="width=device-width, initial-scale=1"')
    expect(html).toMatch(/@media \(max-width:600px\)/)
    expect(html).toMatch(/@media print/)
    expect(networkReferences(html)).toEqual([])
  })

  it('is in Chinese by default and follows the language asked', () => {
    expect(renderHtml(rich, {lang: 'zh-CN'})).toContain('接入检测报告')
    expect(renderHtml(rich, {lang: 'zh-CN'})).toContain('统一社会信用代码有效（结构与校验码）')
    expect(renderHtml({...rich, lang: 'zh-CN'}, {})).toContain('lang="zh-CN"')
  })

  it('escapes everything that comes from the document, so nothing can load or run', () => {
    const evil = '<img src=https://evil.example/x.png onerror=alert(1)><script src="//evil.example/a.js"></script>'
    const doc = structuredClone(rich)
    doc.app.name = evil
    doc.findings[0] = {...doc.findings[0], status: 'fail', message: evil, clause: '"><a href="https://evil.example">x</a>', location: {url: 'javascript:alert(1)', selector: '<b>'}}
    doc.findings.push({ruleId: 'A11Y-002', category: 'a11y', severity: 'warn', status: 'fail', message: 'x', clause: 'c', details: {screenshot: 'https://evil.example/shot.png'}})
    doc.findings.push({ruleId: 'A11Y-002', category: 'a11y', severity: 'warn', status: 'fail', message: 'y', clause: 'c', details: {screenshot: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4='}})
    const html = renderHtml(doc, {lang: 'en'})
    expect(html).not.toContain('<img src=https')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<a href')
    expect(html).not.toContain('image/svg+xml')
    expect(html).toContain('&lt;img src=https://evil.example/x.png onerror=alert(1)&gt;')
    expect(networkReferences(html)).toEqual([])
  })

  it('marks baseline failures new or known and says how many of each', () => {
    const doc = structuredClone(rich)
    doc.findings.filter((f) => f.status === 'fail').forEach((f, i) => (f.baseline = i === 0 ? 'new' : 'known'))
    doc.baseline = {file: 'main/result.json', newFailures: 1, knownFailures: 5}
    const html = renderHtml(doc, {lang: 'en'})
    expect(html).toContain('Against the baseline main/result.json: 1 new failures, 5 known')
    expect(html.match(/class="mark new"/g)?.length).toBe(1)
    expect(html.match(/class="mark known"/g)?.length).toBe(doc.findings.filter((f) => f.status === 'fail').length - 1)
  })

  it('renders the capability score that sjt score puts in the document', () => {
    const real = passDoc.score as any
    expect(real?.total).toBeTypeOf('number')
    const html = renderHtml(passDoc, {lang: 'en'})
    expect(html).toContain('id="capability"')
    expect(html).toContain(`<b>${Math.round(real.total * 10) / 10}</b>`)
    for (const i of real.indices) expect(html).toContain(i.name.en ?? i.id)
  })

  it('a document without the optional parts renders (no score, metrics, waivers)', () => {
    const bare = structuredClone(passDoc)
    delete bare.score
    const html = renderHtml(bare, {lang: 'en'})
    expect(html).toContain('No failures.')
    expect(html).not.toContain('id="capability"')
    expect(html).not.toContain('id="metrics"')
    const odd = structuredClone(passDoc) as any
    odd.score = {indices: 'nonsense', total: 'x'}
    odd.metrics = {perf: {lcpMs: 'fast', spread: 7}, security: {grade: {}}}
    odd.profile = {name: 'no-such-profile', version: '9'}
    const html2 = renderHtml(odd, {lang: 'en'})
    expect(html2).not.toContain('id="capability"')
    expect(html2).toContain('MAN-001') // falls back to the rule id as title
  })
})

describe('junit', () => {
  it('one testcase per rule and location; error failures fail, waived and n/a skip, faults error', () => {
    const root = parseXml(renderJunit(rich, {lang: 'en'}))
    const all = elements(root, 'testcase')
    const byName = (re: RegExp) => all.filter((c: any) => re.test(c.getAttribute('name')))
    const man2 = byName(/^MAN-002 /)
    expect(man2.length).toBe(2) // owner and operator credit codes
    const failedMan2 = man2.find((c: any) => child(c, 'failure'))
    expect(failedMan2.getAttribute('file')).toMatch(/sjt\.yaml$/)
    expect(Number(failedMan2.getAttribute('line'))).toBeGreaterThan(0)
    expect(child(failedMan2, 'failure').getAttribute('type')).toBe('error')
    expect(child(failedMan2, 'failure').textContent).toMatch(/Location: .*sjt\.yaml:\d+:\d+/)
    const a11y = byName(/^A11Y-001 /)[0]
    expect(a11y.getAttribute('name')).toContain('https://gjj.taiyuan.gov.cn/m/ #main > .notice')
    expect(child(a11y, 'failure')).toBeDefined()
    expect(child(byName(/^A11Y-004 /)[0], 'skipped').getAttribute('message')).toContain('旧页面下线中')
    expect(child(byName(/^SEC-016 /)[0], 'skipped')).toBeDefined()
    expect(child(byName(/^SEC-012 /)[0], 'error')).toBeDefined()
    // A warning under --fail-on error passes with its message in system-out …
    const eld = byName(/^ELD-003 /)[0]
    expect(child(eld, 'failure')).toBeUndefined()
    expect(child(eld, 'system-out').textContent).toContain('tap target')
    // … and fails under --fail-on warn (the document's policy).
    const warnRoot = parseXml(renderJunit({...rich, failOn: 'warn'}, {lang: 'en'}))
    const eldWarn = elements(warnRoot, 'testcase').find((c: any) => /^ELD-003 /.test(c.getAttribute('name')))
    expect(child(eldWarn, 'failure').getAttribute('type')).toBe('warn')
    // Counts add up; the waiver problems are visible.
    expect(Number(root.getAttribute('failures'))).toBe(all.filter((c: any) => child(c, 'failure')).length)
    expect(Number(root.getAttribute('tests'))).toBe(all.length)
    const waiverSuite = elements(root, 'testsuite').find((s: any) => s.getAttribute('name') === 'waivers')
    expect(elements(waiverSuite, 'skipped').map((c: any) => c.getAttribute('message')).join('\n')).toMatch(/expired on 2020-01-31[\s\S]*matches no failure/)
  })

  it('survives characters XML cannot carry', () => {
    const doc = structuredClone(passDoc)
    doc.findings[0] = {...doc.findings[0], status: 'fail', message: 'bad \u0001\u0008 char & <tag>'}
    const root = parseXml(renderJunit(doc, {lang: 'en'}))
    expect(elements(root, 'failure')[0].getAttribute('message')).toContain('char & <tag>')
  })
})

describe('sarif', () => {
  it('is valid SARIF 2.1.0 with rules (help text, help URI) and located results', () => {
    const log = buildSarif(rich, {lang: 'en'}) as any
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true)
    const run = log.runs[0]
    const rules = run.tool.driver.rules
    const man2 = rules.find((r: any) => r.id === 'MAN-002')
    expect(man2.shortDescription.text).toBe('Unified social credit codes are valid (structure and check character)')
    expect(man2.help.text).toContain('GB 32100')
    expect(man2.helpUri).toBe('https://sjt.example/docs/rules.md#man-002')
    expect(man2.defaultConfiguration.level).toBe('error')
    const res = run.results.find((r: any) => r.ruleId === 'MAN-002')
    expect(rules[res.ruleIndex].id).toBe('MAN-002')
    const fileFinding = rich.findings.find((f) => f.ruleId === 'MAN-002' && f.status === 'fail')!
    const file = fileFinding.location!.file!
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe(path.isAbsolute(file) ? pathToFileURL(file).href : file.split(path.sep).join('/'))
    expect(res.locations[0].physicalLocation.region).toEqual({startLine: fileFinding.location!.line, startColumn: fileFinding.location!.column})
    const page = run.results.find((r: any) => r.ruleId === 'A11Y-001')
    expect(page.locations[0].physicalLocation.artifactLocation.uri).toBe('https://gjj.taiyuan.gov.cn/m/')
    expect(page.locations[0].logicalLocations[0]).toEqual({fullyQualifiedName: '#main > .notice', kind: 'element'})
    expect(run.results.find((r: any) => r.ruleId === 'ELD-003').level).toBe('warning')
    expect(run.results.find((r: any) => r.ruleId === 'PERF-008').level).toBe('note')
    const waived = run.results.find((r: any) => r.ruleId === 'A11Y-004')
    expect(waived.suppressions[0]).toMatchObject({kind: 'external', status: 'accepted'})
    expect(waived.suppressions[0].justification).toContain('旧页面下线中')
    expect(run.results.some((r: any) => r.ruleId === 'MAN-001')).toBe(false) // passes are not results
    const notes = run.invocations[0].toolConfigurationNotifications.map((n: any) => n.message.text).join('\n')
    expect(notes).toContain('expired on 2020-01-31')
    expect(notes).toContain('matches no failure')
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toContain('SEC-012')
    // Fingerprints are stable: the same finding on another line keeps its key.
    const moved = structuredClone(rich)
    moved.findings.forEach((f) => f.location?.line && (f.location.line += 3))
    const res2 = (buildSarif(finalizeDocument(moved as any), {lang: 'en'}) as any).runs[0].results.find((r: any) => r.ruleId === 'MAN-002')
    expect(res2.partialFingerprints).toEqual(res.partialFingerprints)
  })

  it('a manifest checked by a relative path is located relative to the source root', async () => {
    const r = await sjtIn(['check', 'manifest', 'fixtures/apps/sample', '--out', path.join(tmp, 'rel'), '--json'])
    const doc = JSON.parse(r.stdout) as ResultDocument
    const f = doc.findings.find((x) => x.ruleId === 'MAN-002')!
    f.status = 'fail'
    const log = buildSarif(finalizeDocument(doc as any), {lang: 'zh-CN'}) as any
    expect(validateSarif(log)).toBe(true)
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: {uri: 'fixtures/apps/sample/sjt.yaml', uriBaseId: '%SRCROOT%'},
      region: {startLine: f.location!.line, startColumn: f.location!.column},
    })
    expect(log.runs[0].tool.driver.rules[log.runs[0].results[0].ruleIndex].shortDescription.text).toBe('统一社会信用代码有效（结构与校验码）')
  })

  it('every finding states its evidence, shown in SARIF properties, HTML and Markdown', () => {
    // MAN-011 rests on what the manifest declares; MAN-002 is measured in the document itself.
    const byRule = (id: string) => passDoc.findings.find((f) => f.ruleId === id)!
    expect(passDoc.findings.every((f) => f.evidence === 'measured' || f.evidence === 'declared' || f.evidence === 'not-verifiable')).toBe(true)
    expect(byRule('MAN-002').evidence).toBe('measured')
    expect(byRule('MAN-011').evidence).toBe('declared')
    const failing = failDoc.findings.find((f) => f.status === 'fail')!
    const log = buildSarif(failDoc, {lang: 'en'}) as any
    expect(validateSarif(log)).toBe(true)
    const results = log.runs[0].results as any[]
    expect(results.length).toBeGreaterThan(0)
    expect(results.every((r) => ['measured', 'declared', 'not-verifiable'].includes(r.properties.evidence))).toBe(true)
    expect(results.find((r) => r.ruleId === failing.ruleId).properties.evidence).toBe(failing.evidence)
    const html = renderHtml(failDoc, {lang: 'en'})
    expect(html).toContain(`ev-${failing.evidence}`)
    expect(renderMarkdown(failDoc, {lang: 'zh-CN'})).toMatch(/证据: (实测|仅凭声明|无法核验)/)
  })

  it('marks baseline state', () => {
    const doc = structuredClone(rich)
    doc.findings.filter((f) => f.status === 'fail').forEach((f, i) => (f.baseline = i === 0 ? 'new' : 'known'))
    const log = buildSarif(doc, {lang: 'en'}) as any
    expect(validateSarif(log)).toBe(true)
    const states = log.runs[0].results.filter((r: any) => !r.suppressions).map((r: any) => r.baselineState)
    expect(states.filter((s: string) => s === 'new').length).toBe(1)
    expect(states.filter((s: string) => s === 'unchanged').length).toBe(states.length - 1)
  })
})

describe('md', () => {
  it('has the summary table and the failures', () => {
    const md = renderMarkdown(rich, {lang: 'en'})
    expect(md).toMatch(/\| Category \| Status \| Score \| Errors \| Warnings \|/)
    expect(md).toContain('| Manifest |')
    expect(md).toMatch(/❌ \*\*error\*\* `MAN-002` Unified social credit codes/)
    expect(md).toContain('`https://gjj.taiyuan.gov.cn/m/ #main > .notice`')
    expect(md).toContain('Waiver expired on 2020-01-31')
    expect(md).not.toContain('truncated')
  })

  it('stays under 65,000 characters and says it was cut', () => {
    const doc = structuredClone(rich)
    const many: Finding[] = []
    for (let i = 0; i < 4000; i++) {
      many.push({ruleId: 'A11Y-001', category: 'a11y', severity: 'error', status: 'fail', message: `axe rule ${i}: ${'x'.repeat(80)} | <b>`, clause: 'WCAG 2.1', location: {url: `https://gjj.taiyuan.gov.cn/m/p${i}.html`, selector: `#id-${i} > .c`}})
    }
    doc.findings = [...doc.findings, ...many]
    const md = renderMarkdown(doc, {lang: 'en'})
    expect(md.length).toBeLessThan(MD_LIMIT)
    expect(md).toMatch(/longer than 65000 characters and was cut: \d+ more items are not listed/)
    const more = Number(md.match(/cut: (\d+) more/)![1])
    const listed = (md.match(/^- /gm) ?? []).length
    expect(listed + more).toBe(doc.findings.filter((f) => f.status === 'fail' || f.status === 'error' || f.status === 'waived').length)
    expect(md).not.toContain('<b>')
    const zh = renderMarkdown(doc, {lang: 'zh-CN'})
    expect(zh.length).toBeLessThan(MD_LIMIT)
    expect(zh).toContain('已截断')
  })
})
