// Builders for the report tests: a failing copy of the sample manifest, a real PNG as a data: URI,
// and a hand-made result document with a11y/perf/security findings, screenshots, waivers,
// baseline marks, Lighthouse metrics and a capability score (digest recomputed).
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {deflateSync} from 'node:zlib'
import {finalizeDocument} from '../../src/core/run.js'
import type {Finding, ResultDocument} from '../../src/core/types.js'
import {ROOT} from '../helpers/cli.js'

export const SAMPLE = path.join(ROOT, 'fixtures', 'apps', 'sample')

/** The sample manifest with edits applied (each [from, to] must match once). */
export function writeManifest(dir: string, edits: Array<[string | RegExp, string]>): string {
  mkdirSync(dir, {recursive: true})
  let text = readFileSync(path.join(SAMPLE, 'sjt.yaml'), 'utf8')
  for (const [from, to] of edits) {
    const next = text.replace(from, to)
    if (next === text) throw new Error(`edit did not apply: ${String(from)}`)
    text = next
  }
  const file = path.join(dir, 'sjt.yaml')
  writeFileSync(file, text)
  return file
}

/** Breaks MAN-002 (check character), MAN-005 (http entry) and MAN-008 (no 好差评) and MAN-011 (warn). */
export const FAILING_EDITS: Array<[string | RegExp, string]> = [
  ['creditCode: 12140100MB0123457K', 'creditCode: 12140100MB0123457X'],
  ['entry: https://gjj.taiyuan.gov.cn/m/\n', 'entry: http://gjj.taiyuan.gov.cn/m/\n'],
  [/evaluation: true/, 'evaluation: false'],
  ['provider: sx-unified-identity', 'provider: own-login'],
]

const CRC_TABLE = (() => {
  const tbl = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    tbl[n] = c >>> 0
  }
  return tbl
})()

function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

/** A real RGB PNG: a coloured frame with a darker box inside (so it is not a flat image). */
function pngDataUri(w: number, h: number, rgb: [number, number, number]): string {
  const raw = Buffer.alloc((w * 3 + 1) * h)
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0
    for (let x = 0; x < w; x++) {
      const inner = x > w / 4 && x < (3 * w) / 4 && y > h / 4 && y < (3 * h) / 4
      const o = y * (w * 3 + 1) + 1 + x * 3
      raw[o] = inner ? rgb[0] >> 1 : rgb[0]
      raw[o + 1] = inner ? rgb[1] >> 1 : rgb[1]
      raw[o + 2] = inner ? rgb[2] >> 1 : rgb[2]
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
  return 'data:image/png;base64,' + png.toString('base64')
}

const URL_ENTRY = 'https://gjj.taiyuan.gov.cn/m/'

/** Browser-category findings as the a11y, elder, perf and security checks report them. */
function browserFindings(): Finding[] {
  const shot = pngDataUri(240, 160, [200, 60, 60])
  return [
    {ruleId: 'A11Y-001', category: 'a11y', severity: 'error', status: 'fail', message: 'axe color-contrast: 3 elements have insufficient contrast', clause: 'WCAG 2.1 1.4.3', location: {url: URL_ENTRY, selector: '#main > .notice'}, details: {key: 'color-contrast', screenshot: shot}},
    {ruleId: 'A11Y-003', category: 'a11y', severity: 'error', status: 'pass', message: 'zoom allowed', clause: 'WCAG 2.1 1.4.4', location: {url: URL_ENTRY}},
    {ruleId: 'A11Y-004', category: 'a11y', severity: 'error', status: 'waived', message: '<html> has no lang attribute', clause: 'WCAG 2.1 3.1.1', location: {url: URL_ENTRY + 'withdraw.html'}, waiver: {reason: '旧页面下线中', owner: '王工', expires: '2099-12-31'}},
    {ruleId: 'ELD-003', category: 'elder', severity: 'warn', status: 'fail', message: 'tap target 32×32 px is under 44×44 px', clause: 'MIIT 适老化 §2.1', location: {url: URL_ENTRY + 'elder/', selector: 'button.close'}},
    {ruleId: 'PERF-003', category: 'perf', severity: 'warn', status: 'fail', message: 'LCP 3120 ms is above 2500 ms', clause: 'Lighthouse LCP', location: {url: URL_ENTRY}},
    {ruleId: 'PERF-008', category: 'perf', severity: 'info', status: 'fail', message: 'LCP unstable across runs (max/min 1.62)', clause: 'Lighthouse variability', location: {url: URL_ENTRY}},
    {ruleId: 'SEC-003', category: 'security', severity: 'error', status: 'fail', message: 'Strict-Transport-Security missing', clause: 'GB/T 22239-2019 8.1.2.2', location: {url: URL_ENTRY}},
    {ruleId: 'SEC-012', category: 'security', severity: 'error', status: 'error', message: 'could not load the page: net::ERR_CONNECTION_RESET', clause: 'GB/T 35273-2020 §9.2', location: {url: URL_ENTRY}},
    {ruleId: 'SEC-016', category: 'security', severity: 'warn', status: 'not-applicable', message: 'no entry origin', clause: 'GB/T 22239-2019', location: {url: URL_ENTRY}},
  ]
}

/** A full document: the given manifest result plus browser categories, metrics, waivers, score. */
export function richDocument(base: ResultDocument, extra: Partial<ResultDocument> = {}): ResultDocument {
  const doc = structuredClone(base) as ResultDocument & Record<string, unknown>
  doc.findings = [...doc.findings, ...browserFindings()]
  doc.categories = {
    ...doc.categories,
    a11y: {status: 'fail', errors: 1, warnings: 0, score: 71.4, rules: 3},
    elder: {status: 'pass', errors: 0, warnings: 1, score: 88, rules: 1},
    perf: {status: 'pass', errors: 0, warnings: 1, score: 64.5, rules: 2},
    security: {status: 'fail', errors: 1, warnings: 0, score: 40, rules: 3},
  }
  doc.metrics = {
    perf: {lcpMs: 3120, fcpMs: 1450, tbtMs: 180, cls: 0.04, transferBytes: 812345, score: 0.71, runs: 3, spread: {lcpMs: {min: 2410, max: 3905, ratio: 1.62}, fcpMs: {min: 1300, max: 1610}}},
    security: {grade: 'C+', score: 60},
  }
  doc.score = {
    total: 76.3,
    grade: '中',
    modelVersion: '2022.1-m1',
    indices: [
      {id: 'coverage', name: {'zh-CN': '服务事项覆盖度', en: 'Coverage'}, weight: 0.2, score: 90, won: ['2 service items'], missed: []},
      {id: 'maturity', name: {'zh-CN': '在线办理成熟度', en: 'Maturity'}, weight: 0.2, score: 85, won: [{text: 'online-full', points: 40}], missed: [{text: 'e-licences', points: 15}]},
      {id: 'effectiveness', name: {'zh-CN': '在线服务成效度', en: 'Effectiveness'}, weight: 0.2, score: 55.5, won: [], missed: ['security score 40']},
    ],
  }
  doc.waivers = [
    {rule: 'A11Y-004', location: 'withdraw.html', reason: '旧页面下线中', owner: '王工', expires: '2099-12-31', state: 'active'},
    {rule: 'SEC-003', reason: '网关改造', owner: '李工', expires: '2020-01-31', state: 'expired'},
    {rule: 'ELD-006', location: 'ads.example.com', reason: '广告位已移除', expires: '2099-01-01', state: 'unused'},
  ]
  doc.verdict = 'fail'
  doc.environment = {...doc.environment, browser: 'Chromium 140.0'}
  Object.assign(doc, extra)
  return finalizeDocument(doc as unknown as Record<string, unknown>)
}

export function writeJson(file: string, data: unknown): string {
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(file, JSON.stringify(data, null, 2))
  return file
}
