// A category some of whose rules could not be judged (a page that returned 404, a host that does
// not resolve) is never shown as passed: no green ✔, no "得分 100", in the terminal or the reports.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/cli.js'
import type {Finding, ResultDocument, RuleDef} from '../../src/core/types.js'
import {summarizeCategory} from '../../src/core/result.js'
import {renderText} from '../../src/report/text.js'
import {renderMarkdown} from '../../src/report/md.js'
import {renderHtml} from '../../src/report/html.js'
import {shownCategory} from '../../src/report/status.js'

function withPerf(findings: Finding[]): ResultDocument {
  const doc = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/results/ty-gjj-withdraw.json'), 'utf8')) as ResultDocument
  doc.findings = [...doc.findings, ...findings]
  const rules = ['PERF-001', 'PERF-002', 'PERF-003'].map((id) => ({id, category: 'perf', severity: 'error', weight: 1}) as unknown as RuleDef)
  doc.categories = {...doc.categories, perf: summarizeCategory(findings, rules)}
  return doc
}

const pass = (ruleId: string, url: string): Finding => ({ruleId, category: 'perf', clause: 'x', severity: 'error', status: 'pass', message: 'ok', location: {url}})
const fault = (ruleId: string, url: string): Finding => ({ruleId, category: 'perf', clause: 'x', severity: 'error', status: 'error', message: 'HTTP 404', location: {url}})

describe('a category with faults', () => {
  const doc = withPerf([pass('PERF-001', 'https://a.example/m/'), fault('PERF-001', 'https://a.example/m/gone')])

  it('is summarised as pass by the verdict model but shown as incomplete, without a score', () => {
    expect(doc.categories.perf!.status).toBe('pass')
    expect(doc.categories.perf!.score).toBe(100)
    expect(shownCategory(doc, 'perf')).toEqual({status: 'incomplete', faults: 1, score: null})
    expect(shownCategory(doc, 'manifest')).toMatchObject({status: 'pass', faults: 0, score: 100})
  })

  it('terminal: a yellow ! and the count of unchecked findings, in both languages', () => {
    const zh = renderText(doc, {lang: 'zh-CN', color: false}).split('\n')
    const perfLine = zh.find((l) => l.includes('性能'))!
    expect(perfLine).toMatch(/^! 性能 · 未完成：1 项未能检查，不计分$/)
    expect(zh.find((l) => l.includes('接入清单') && l.startsWith('✔'))).toBeTruthy()
    const en = renderText(doc, {lang: 'en', color: false}).split('\n')
    expect(en.find((l) => /Performance/.test(l))).toMatch(/^! Performance · incomplete: 1 could not be checked, no score$/)
  })

  it('Markdown and HTML: status 未完成, no score', () => {
    const md = renderMarkdown(doc, {lang: 'zh-CN'})
    const row = md.split('\n').find((l) => l.startsWith('| 性能'))!
    expect(row).toContain('⚠️ 未完成（1 项未能检查，不计分）')
    expect(row).not.toMatch(/\| 100 \|/)
    const html = renderHtml(doc, {lang: 'en'})
    const tr = /<tr><td>Performance<\/td>.*?<\/tr>/.exec(html)![0]
    expect(tr).toContain('incomplete')
    expect(tr).not.toContain('>100<')
  })

  it('a category that also fails stays failed and says how many could not be checked', () => {
    const failing = withPerf([{...pass('PERF-002', 'https://a.example/m/'), status: 'fail', message: 'slow'}, fault('PERF-001', 'https://a.example/m/gone'), pass('PERF-003', 'https://a.example/m/')])
    const line = renderText(failing, {lang: 'en', color: false}).split('\n').find((l) => /Performance/.test(l))!
    expect(line.startsWith('✖')).toBe(true)
    expect(line).toContain('1 more could not be checked')
  })
})

describe('a category where nothing was judged', () => {
  it('is shown as not checked, not as passed', () => {
    const doc = withPerf([{...pass('PERF-001', 'https://a.example/m/'), status: 'not-applicable', message: 'no page'}])
    expect(shownCategory(doc, 'perf')).toEqual({status: 'skipped', faults: 0, score: null})
    const line = renderText(doc, {lang: 'zh-CN', color: false}).split('\n').find((l) => l.includes('性能'))!
    expect(line).toBe('- 性能 · 未检查（没有可检查的内容）')
  })
})

describe('labels of the numbers in a report', () => {
  const doc = withPerf([pass('PERF-001', 'https://a.example/m/')])
  doc.metrics = {...doc.metrics, perf: {lcpMs: 3120, score: 0.73, runs: 3, spread: {lcpMs: {min: 2410, max: 3905, median: 2800}}}, security: {grade: 'A+', score: 115}}

  it('the Lighthouse column is the representative run; the spread names its median in the report language', () => {
    const md = renderMarkdown(doc, {lang: 'zh-CN'})
    expect(md).toContain('数值列出性能分居中的那一次运行')
    expect(md).toContain('各次中位数 2,800 ms')
    expect(md).not.toMatch(/\bmedian\b/)
    const html = renderHtml(doc, {lang: 'en'})
    expect(html).toContain('Representative run (the run with the median score)')
    expect(html).toContain('median of the runs')
  })

  it('the security score shows its scale', () => {
    expect(renderMarkdown(doc, {lang: 'zh-CN'})).toContain('A+ · 115 分（起始 100 分')
    expect(renderHtml(doc, {lang: 'en'})).toContain('115 (starts at 100, tests add or subtract; bonuses can take it above 100')
  })
})
