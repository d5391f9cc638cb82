// One settings table (src/core/settings.ts): every key of config.schema.json is in it and has an
// observable effect here; flag > SJT_* > config > system variable > default; and a folder of apps
// checked with `lang`, `concurrency`, `out`, `failOn` and `format` in sjt.config.yaml honours them,
// with reports/summary.json pointing at files that exist. In-process.
import {queueSettings} from '../../src/review/queue/settings.js'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/cli.js'
import {FAILING_EDITS, writeManifest} from '../report/helpers.js'
import {buildOptions, check} from '../../src/cli/check.js'
import type {SjtConfig} from '../../src/core/config.js'
import {resolveConnection} from '../../src/review/client/client.js'
import {resolveLangSetting, resolveSetting, SETTINGS, type SettingKey} from '../../src/core/settings.js'
import type {ResultDocument} from '../../src/core/types.js'

const schema = JSON.parse(readFileSync(path.join(ROOT, 'standards/schemas/config.schema.json'), 'utf8'))
const schemaKeys = Object.keys(schema.properties) as SettingKey[]

let tmp: string
let caFile: string
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-settings-'))
  caFile = path.join(tmp, 'ca.pem')
  writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n')
})

const manifest = () => path.join(ROOT, 'fixtures/apps/sample/sjt.yaml')
const opts = (config: SjtConfig) => buildOptions({}, config, 'en', manifest())

/** For each config key: a value to put in the config, and what the tool then uses. */
const HONOURED: Record<SettingKey, {value: () => unknown; used: (config: SjtConfig) => unknown; expected?: unknown}> = {
  profile: {value: () => 'my-profile', used: (c) => opts(c).profile},
  failOn: {value: () => 'never', used: (c) => opts(c).failOn},
  lang: {value: () => 'en', used: (c) => resolveLangSetting({config: c, env: {LANG: 'zh_CN.UTF-8'}})},
  url: {value: () => 'https://a.example.gov.cn/m/', used: (c) => opts(c).url},
  elderUrl: {value: () => 'https://a.example.gov.cn/elder/', used: (c) => opts(c).elderUrl},
  apiBase: {value: () => 'https://api.example.gov.cn/', used: (c) => opts(c).apiBase},
  ca: {value: () => caFile, used: (c) => opts(c).ca},
  chromePath: {value: () => '/opt/chrome/chrome', used: (c) => opts(c).chromePath},
  timeout: {value: () => 7, used: (c) => opts(c).timeoutMs, expected: 7000},
  // format, out, concurrency: the folder-of-apps run below writes them.
  format: {value: () => ['md'], used: (c) => resolveSetting('format', {config: c}).value},
  out: {value: () => '/tmp/x', used: (c) => resolveSetting('out', {config: c}).value},
  concurrency: {value: () => 2, used: (c) => resolveSetting('concurrency', {config: c}).value},
  baseline: {value: () => '/tmp/base.json', used: (c) => opts(c).baseline},
  runs: {value: () => 5, used: (c) => opts(c).runs},
  throttling: {value: () => 'none', used: (c) => opts(c).throttling},
  probeRequests: {value: () => 9, used: (c) => opts(c).probeRequests},
  probeWrites: {value: () => true, used: (c) => opts(c).probeWrites},
  allowRemoteRefs: {value: () => true, used: (c) => opts(c).allowRemoteRefs},
  server: {value: () => 'https://review.example.gov.cn', used: (c) => withConfig(c, () => resolveConnection({}, 'en', {cwd: configDir(c), env: {}, needToken: false}).server)},
  token: {value: () => '${SJT_T}', used: (c) => withConfig({...c, server: 'http://127.0.0.1:1'}, () => resolveConnection({}, 'en', {cwd: configDir({...c, server: 'http://127.0.0.1:1'}), env: {SJT_T: 't0k'}}).token), expected: 't0k'},
  rules: {value: () => ({'man-002': 'warn'}), used: (c) => opts(c).ruleOverrides, expected: {'MAN-002': 'warn'}},
  waivers: {value: () => [{rule: 'MAN-002', reason: 'r', expires: '2099-01-01'}], used: (c) => opts(c).waivers},
  auth: {value: () => ({kind: 'headers', headers: {A: 'b'}}), used: (c) => opts(c).auth},
  // Read by sjt review-server --schedule and sjt worker.
  queue: {value: () => ({recheckCron: '30 3 * * *'}), used: (c) => queueSettings(c.queue, 'en').recheckCron, expected: '30 3 * * *'},
}

const dirs = new Map<string, string>()
/** A folder whose sjt.config.yaml is `c` (for the commands that find the config themselves). */
function configDir(c: SjtConfig): string {
  const key = JSON.stringify(c)
  let d = dirs.get(key)
  if (!d) {
    d = path.join(tmp, `cfg-${dirs.size}`)
    mkdirSync(d, {recursive: true})
    writeFileSync(path.join(d, 'sjt.config.json'), key)
    dirs.set(key, d)
  }
  return d
}
function withConfig<T>(c: SjtConfig, fn: () => T): T {
  configDir(c)
  return fn()
}

describe('the settings table', () => {
  it('lists exactly the keys of config.schema.json', () => {
    expect(Object.keys(SETTINGS).sort()).toEqual([...schemaKeys].sort())
  })

  for (const key of schemaKeys) {
    it(`${key} in sjt.config.yaml is honoured`, () => {
      const h = HONOURED[key]
      expect(h, `${key} has no check in this test: add one when adding a config key`).toBeDefined()
      const value = h.value()
      expect(h.used({[key]: value} as SjtConfig)).toEqual(h.expected ?? value)
    })
  }

  it('precedence: flag > SJT_* > config > system variable > default', () => {
    expect(resolveSetting('server', {flags: {server: 'F'}, env: {SJT_SERVER: 'E'}, config: {server: 'C'}}).value).toBe('F')
    expect(resolveSetting('server', {flags: {}, env: {SJT_SERVER: 'E'}, config: {server: 'C'}}).value).toBe('E')
    expect(resolveSetting('server', {flags: {}, env: {}, config: {server: 'C'}}).value).toBe('C')
    expect(resolveSetting('chromePath', {env: {CHROME_PATH: 'S'}, config: {chromePath: 'C'}}).value).toBe('C')
    expect(resolveSetting('chromePath', {env: {CHROME_PATH: 'S'}, config: {}}).value).toBe('S')
    expect(resolveSetting('timeout', {env: {}, config: {}})).toEqual({value: 30, source: 'default'})
    expect(resolveSetting('probeWrites', {flags: {'probe-writes': undefined}, env: {}, config: {probeWrites: true}}).value).toBe(true)
    expect(resolveLangSetting({flags: {lang: 'zh-CN'}, config: {lang: 'en'}, env: {}})).toBe('zh-CN')
    expect(resolveLangSetting({config: {lang: 'en'}, env: {SJT_LANG: 'zh'}})).toBe('zh-CN')
    expect(resolveLangSetting({config: {}, env: {LANG: 'en_US.UTF-8'}})).toBe('en')
  })
})

describe('a folder of apps with lang, concurrency, out, failOn and format in sjt.config.yaml', () => {
  it('honours them; summary.json points at result files that exist', async () => {
    const root = path.join(tmp, 'apps')
    writeManifest(path.join(root, 'a'), FAILING_EDITS)
    writeManifest(path.join(root, 'b'), [['id: ty-gjj-withdraw', 'id: ty-gjj-other']])
    writeFileSync(path.join(root, 'sjt.config.yaml'), 'lang: en\nconcurrency: 2\nout: custom-out\nfailOn: never\nformat: [md]\n')
    const rendered: Array<{doc: ResultDocument; written: string[]; lang: string}> = []
    let summaryFile = ''
    const outcome = await check({path: root, json: true}, ['manifest'], 'zh-CN', {
      result: (doc, written, info) => rendered.push({doc, written, lang: info.lang}),
      summary: (_s, file) => (summaryFile = file),
    })
    // failOn: never — app a fails MAN rules, the exit code stays 0
    expect(outcome.docs.find((d) => d.app.id === 'ty-gjj-withdraw')!.findings.some((f) => f.status === 'fail')).toBe(true)
    expect(outcome.exitCode).toBe(0)
    expect(outcome.docs.every((d) => d.lang === 'en' && d.failOn === 'never')).toBe(true)
    expect(rendered.map((r) => r.lang)).toEqual(['en', 'en'])
    // out: relative to the config file
    expect(summaryFile).toBe(path.join(root, 'custom-out', 'summary.json'))
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'))
    expect(summary.apps).toHaveLength(2)
    for (const a of summary.apps) expect(existsSync(a.result), a.result).toBe(true)
    // format: [md] beside result.json
    for (const r of rendered) expect(r.written.map((f) => path.basename(f))).toEqual(['result.json', 'report.md'])
    expect(existsSync(path.join(ROOT, 'custom-out'))).toBe(false)
  })
})
