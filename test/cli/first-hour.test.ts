// What a newcomer types first: the category after the flags, a wrong category, a mistyped command
// or flag, all answered in one language with a suggestion; schema messages in Chinese.
// The mistyped commands reach oclif's not-found hook, which ends the process: they spawn the built
// binary; the other runs are in-process (test/helpers/run.ts).
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {json, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'
import {parserMessage} from '../../src/cli/base.js'
import {distance, nearest} from '../../src/lib/words.js'
import {describeAjvError} from '../../src/lib/schema.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-first-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

describe('the category as a positional word', () => {
  it('sjt check PATH manifest checks only the manifest (the category after the path)', async () => {
    const r = await sjtIn(['check', 'fixtures/apps/sample', 'manifest', '--json', '--out', path.join(tmp, 'a')])
    expect(r.code, r.stderr).toBe(0)
    expect(Object.keys(json(r).categories)).toEqual(['manifest'])
    expect(readdirSync(path.join(tmp, 'a'))).toEqual(['ty-gjj-withdraw'])
  })

  it('a wrong category: "unknown category X; one of …" in en and zh-CN, exit 2', async () => {
    const en = await sjtIn(['check', '--url', 'https://example.gov.cn/m/', 'a11yy', '--lang', 'en', '--out', tmp])
    expect(en.code).toBe(2)
    expect(en.stderr).toContain('unknown category a11yy; one of manifest, contract, a11y, elder, perf, security')
    const zh = await sjtIn(['check', '--url', 'https://example.gov.cn/m/', 'elderly', '--out', tmp], {env: {LANG: 'zh_CN.UTF-8'}})
    expect(zh.code).toBe(2)
    expect(zh.stderr).toContain('未知的检查类别 elderly；可选: manifest, contract, a11y, elder, perf, security')
  })
})

describe('mistyped commands and flags', () => {
  it('a mistyped command names the nearest one, exit 2', async () => {
    const r = await sjt(['chek', 'my-app'], {env: {LANG: 'zh_CN.UTF-8'}})
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('sjt: 没有命令 chek my-app\n  是否想输入: sjt check my-app\n')
    const en = await sjt(['standards', 'shw', 'MAN-001', '--lang', 'en'])
    expect(en.stderr).toContain('did you mean: sjt standards show MAN-001')
  })

  it('a mistyped flag in zh-CN: no English from the parser, the nearest flag', async () => {
    const r = await sjtIn(['check', '--jsn'], {env: {LANG: 'zh_CN.UTF-8'}})
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('sjt: 没有这个选项: --jsn; 是否想输入: --json\n  查看用法: sjt check --help\n')
  })

  it('every oclif parser message has a translation', () => {
    const flags = ['--json', '--out', '--fail-on']
    expect(parserMessage('Nonexistent flag: --outt\nSee more help with --help', 'en', flags)).toBe('no such flag: --outt; did you mean: --out')
    expect(parserMessage('Expected --fail-on=x to be one of: error, warn, never\nSee more help with --help', 'zh-CN')).toBe('--fail-on 的值 x 不在可选范围内: error, warn, never')
    expect(parserMessage('Flag --out expects a value', 'zh-CN')).toBe('选项 --out 需要一个值')
    expect(parserMessage('Parsing --timeout \n\tExpected an integer but received: abc', 'zh-CN')).toBe('--timeout 需要一个整数，收到的是: abc')
    expect(parserMessage('Unexpected argument: foo\nSee more help with --help', 'zh-CN')).toBe('多余的参数: foo')
    expect(parserMessage('Missing 1 required arg:\nid  rule id, e.g. MAN-002\nSee more help with --help', 'zh-CN')).toBe('缺少必需的参数: id')
    expect(parserMessage('The following error occurred:\n  Missing required flag role\nSee more help with --help', 'zh-CN')).toBe('缺少必需的选项: --role')
  })

  it('nearest: typos within a third of the letters, nothing for unrelated words', () => {
    expect(distance('chek', 'check')).toBe(1)
    expect(distance('a11y', '1a1y')).toBe(1)
    expect(nearest('chek', ['check', 'init', 'doctor'])).toBe('check')
    expect(nearest('revew-server', ['review-server', 'report'])).toBe('review-server')
    expect(nearest('zzzzzz', ['check', 'init', 'doctor'])).toBeUndefined()
  })
})

describe('schema messages', () => {
  it('ajv messages are Chinese for zh-CN (ajv-i18n) and English otherwise', () => {
    const e = {keyword: 'pattern', instancePath: '/app/id', schemaPath: '#', params: {pattern: '^[a-z]'}, message: 'must match pattern "^[a-z]"'}
    expect(describeAjvError(e, 'zh-CN')).toBe('应当匹配模式 "^[a-z]"')
    expect(describeAjvError(e, 'en')).toBe('must match pattern "^[a-z]"')
    expect(describeAjvError({...e, keyword: 'required', params: {missingProperty: 'owner'}}, 'zh-CN')).toBe('缺少必填属性 "owner"')
  })
})
