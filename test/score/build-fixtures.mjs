// Rebuilds fixtures/results/*.json, the three apps the score tests pin by hand:
//   node test/score/build-fixtures.mjs      (after npx tsc -p .)
// Each starts from real `sjt check manifest` output on a fixture manifest; the findings and
// summaries of the other categories are written here by hand (they stand for runs of those
// categories), and the digest is recomputed with finalizeDocument.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const {finalizeDocument} = await import(path.join(ROOT, 'dist', 'core', 'run.js'))

function check(manifest) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'sjt-score-fx-'))
  const stdout = execFileSync(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'check', 'manifest', manifest, '--json', '--out', out, '--fail-on', 'never', '--lang', 'zh-CN'], {cwd: ROOT, encoding: 'utf8'})
  const doc = JSON.parse(stdout)
  // Stable across rebuilds: no timing or machine in the fixtures; the score is recomputed by the tests.
  doc.startedAt = '2026-11-20T08:00:00.000Z'
  doc.durationMs = 1000
  doc.environment = {node: 'v20.0.0', os: 'linux', browser: 'Chromium 131'}
  delete doc.score
  return doc
}

const clauses = {
  contract: 'docs/contracts.md 省级接口规范; 晋政办函〔2022〕38号 四(一)1 接口交互',
  a11y: 'GB/T 37668-2019 (WCAG 2.0/2.1 AA)',
  elder: 'MIIT 适老化 工信厅信管函〔2021〕67号 附件2',
  perf: 'Core Web Vitals good thresholds; 政府网站 15 秒规则',
  security: 'GB/T 22239-2019; OWASP Secure Headers',
}

/** A finding the way the pipeline writes it. */
function f(ruleId, category, severity, status, message, location) {
  return {ruleId, category, clause: clauses[category], severity, status, message, ...(location ? {location} : {})}
}

function add(doc, category, summary, findings) {
  doc.categories[category] = summary
  doc.findings.push(...findings)
}

function write(name, doc) {
  const fin = finalizeDocument(doc)
  writeFileSync(path.join(ROOT, 'fixtures', 'results', `${name}.json`), JSON.stringify(fin, null, 2) + '\n')
}

// A: jz-tax-hall, every category run. Contract: API-006 and API-010 fail as warnings.
{
  const doc = check('fixtures/results/manifests/jz-tax-hall.yaml')
  const entry = 'https://zwfw.yuci.gov.cn/m/'
  add(doc, 'contract', {status: 'pass', errors: 0, warnings: 2, score: 93.3, rules: 10}, [
    f('API-001', 'contract', 'error', 'pass', 'OpenAPI 3.0.3 文档有效'),
    f('API-002', 'contract', 'error', 'pass', '省级接口齐全且兼容'),
    f('API-003', 'contract', 'error', 'pass', 'servers 均为 https'),
    f('API-004', 'contract', 'error', 'pass', '除健康检查外均声明安全要求'),
    f('API-005', 'contract', 'error', 'pass', '2xx 响应均使用 {code, message, data}'),
    f('API-006', 'contract', 'warn', 'fail', 'GET /cases/{caseNo} 未说明 5xx 响应', {file: 'openapi.yaml', line: 40, column: 7, pointer: '/paths/~1cases~1{caseNo}/get/responses'}),
    f('API-007', 'contract', 'error', 'pass', '路径与查询参数中没有个人信息'),
    f('API-008', 'contract', 'warn', 'pass', 'operationId 唯一且有摘要'),
    f('API-009', 'contract', 'error', 'pass', '实测响应符合声明的结构'),
    f('API-010', 'contract', 'warn', 'fail', 'GET /cases/{caseNo} p95 1240 ms > 1000 ms'),
  ])
  add(doc, 'a11y', {status: 'pass', errors: 0, warnings: 1, score: 92, rules: 4}, [
    f('A11Y-001', 'a11y', 'error', 'pass', '无严重无障碍问题', {url: entry}),
    f('A11Y-002', 'a11y', 'warn', 'fail', 'color-contrast (moderate): 2 个元素', {url: entry, selector: '.tips'}),
    f('A11Y-003', 'a11y', 'error', 'pass', '允许缩放', {url: entry}),
    f('A11Y-004', 'a11y', 'error', 'pass', '<html lang="zh-CN">', {url: entry}),
  ])
  add(doc, 'elder', {status: 'pass', errors: 0, warnings: 1, score: 88, rules: 4}, [
    f('ELD-001', 'elder', 'error', 'pass', '首页有“长辈版”切换', {url: entry, selector: 'a.elder-switch'}),
    f('ELD-002', 'elder', 'error', 'pass', '正文 20px', {url: 'https://zwfw.yuci.gov.cn/m/elder/'}),
    f('ELD-003', 'elder', 'error', 'pass', '点击区域均不小于 60×60', {url: 'https://zwfw.yuci.gov.cn/m/elder/'}),
    f('ELD-004', 'elder', 'warn', 'fail', '行距 1.2 倍 < 1.3 倍', {url: 'https://zwfw.yuci.gov.cn/m/elder/', selector: 'p.notice'}),
  ])
  add(doc, 'perf', {status: 'pass', errors: 0, warnings: 2, score: 75, rules: 4}, [
    f('PERF-001', 'perf', 'error', 'pass', '1.9 s 内加载完成', {url: entry}),
    f('PERF-002', 'perf', 'warn', 'fail', '性能得分 72 < 80', {url: entry}),
    f('PERF-003', 'perf', 'warn', 'fail', 'LCP 3100 ms > 2500 ms', {url: entry}),
    f('PERF-005', 'perf', 'error', 'pass', 'CLS 0.02', {url: entry}),
  ])
  add(doc, 'security', {status: 'pass', errors: 0, warnings: 1, score: 95, rules: 4}, [
    f('SEC-001', 'security', 'error', 'pass', '均为 HTTPS', {url: entry}),
    f('SEC-003', 'security', 'error', 'pass', 'HSTS max-age=31536000', {url: entry}),
    f('SEC-009', 'security', 'warn', 'fail', 'Server: nginx/1.24.0 暴露版本', {url: entry}),
    f('SEC-013', 'security', 'error', 'pass', '页面中没有未脱敏的身份证号或手机号', {url: entry}),
  ])
  doc.verdict = 'pass'
  write('jz-tax-hall', doc)
}

// B: yc-social-card, manifest gaps; contract with API-002 failing and no live probe; a11y
// failing; perf could not run; elder and security not run.
{
  const doc = check('fixtures/results/manifests/yc-social-card.yaml')
  const entry = 'https://rsj.yuncheng.gov.cn/card/'
  add(doc, 'contract', {status: 'fail', errors: 1, warnings: 1, score: 80, rules: 10}, [
    f('API-001', 'contract', 'error', 'pass', 'OpenAPI 3.1.0 文档有效'),
    f('API-002', 'contract', 'error', 'fail', '缺少 POST /evaluations/callback（好差评回调）', {file: 'openapi.yaml', line: 1, column: 1, pointer: '/paths'}),
    f('API-003', 'contract', 'error', 'pass', 'servers 均为 https'),
    f('API-004', 'contract', 'error', 'pass', '除健康检查外均声明安全要求'),
    f('API-005', 'contract', 'error', 'pass', '2xx 响应均使用 {code, message, data}'),
    f('API-006', 'contract', 'warn', 'fail', 'POST /cards 未说明 4xx 响应', {file: 'openapi.yaml', line: 22, column: 7, pointer: '/paths/~1cards/post/responses'}),
    f('API-007', 'contract', 'error', 'pass', '路径与查询参数中没有个人信息'),
    f('API-008', 'contract', 'warn', 'pass', 'operationId 唯一且有摘要'),
    f('API-009', 'contract', 'error', 'not-applicable', '未给出 --api-base，未实测'),
    f('API-010', 'contract', 'warn', 'not-applicable', '未给出 --api-base，未实测'),
  ])
  add(doc, 'a11y', {status: 'fail', errors: 1, warnings: 1, score: 62.5, rules: 4}, [
    f('A11Y-001', 'a11y', 'error', 'fail', 'button-name (critical): 3 个按钮没有可读名称', {url: entry, selector: 'button.icon'}),
    f('A11Y-002', 'a11y', 'warn', 'fail', 'region (moderate): 内容不在地标区域内', {url: entry, selector: 'div.main'}),
    f('A11Y-003', 'a11y', 'error', 'pass', '允许缩放', {url: entry}),
    f('A11Y-004', 'a11y', 'error', 'pass', '<html lang="zh-CN">', {url: entry}),
  ])
  add(doc, 'perf', {status: 'error', errors: 0, warnings: 0, score: null, rules: 2, note: '浏览器未能启动'}, [
    f('PERF-001', 'perf', 'error', 'error', '浏览器未能启动: Chromium exited (code 1)'),
    f('PERF-002', 'perf', 'error', 'error', '浏览器未能启动: Chromium exited (code 1)'),
  ])
  doc.verdict = 'fail'
  write('yc-social-card', doc)
}

// C: the bundled sample app, manifest only: every other category is unknown.
write('ty-gjj-withdraw', check('fixtures/apps/sample/sjt.yaml'))

console.log(readFileSync(path.join(ROOT, 'fixtures', 'results', 'jz-tax-hall.json'), 'utf8').length > 0 ? 'fixtures/results rebuilt' : '')
