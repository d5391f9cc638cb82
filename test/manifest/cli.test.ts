// `sjt check manifest` as a user runs it: exit codes, bad input, languages, config, init. Three
// runs spawn the built binary (exit 0, 1 and a refused flag); the rest run in-process (test/helpers/run.ts).
import {mkdtempSync, mkdirSync, readFileSync, writeFileSync, copyFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {json, ROOT, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'

const sample = path.join(ROOT, 'fixtures/apps/sample/sjt.yaml')
let tmp: string
const file = (name: string, content: string | Buffer) => {
  const f = path.join(tmp, name)
  mkdirSync(path.dirname(f), {recursive: true})
  writeFileSync(f, content)
  return f
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-man-'))
})

describe('sjt check manifest', () => {
  it('a valid manifest exits 0, --json prints only the result document', async () => {
    const r = await sjt(['check', 'manifest', 'fixtures/apps/sample', '--json', '--out', path.join(tmp, 'r1')])
    expect(r.code).toBe(0)
    const doc = json(r)
    expect(doc.verdict).toBe('pass')
    expect(doc.categories.manifest.status).toBe('pass')
    expect(doc.findings.filter((f: any) => f.status === 'fail')).toEqual([])
    expect(doc.digest.value).toMatch(/^[0-9a-f]{64}$/)
    expect(readFileSync(path.join(tmp, 'r1/ty-gjj-withdraw/result.json'), 'utf8')).toContain(doc.digest.value)
  })

  it('a broken error rule exits 1 and names the rule, file, line and column', async () => {
    const r = await sjt(['check', 'manifest', 'fixtures/rules/MAN-002/fail-check-char.yaml', '--json', '--out', path.join(tmp, 'r2')])
    expect(r.code).toBe(1)
    const failed = json(r).findings.filter((f: any) => f.status === 'fail')
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ruleId: 'MAN-002', severity: 'error', location: {file: 'fixtures/rules/MAN-002/fail-check-char.yaml', line: 17, column: 15}})
  })

  it('a broken warn rule exits 0 by default and 1 with --fail-on warn', async () => {
    const f = 'fixtures/rules/MAN-011/fail-other-provider.yaml'
    expect((await sjtIn(['check', 'manifest', f, '--out', path.join(tmp, 'r3')])).code).toBe(0)
    expect((await sjtIn(['check', 'manifest', f, '--fail-on', 'warn', '--out', path.join(tmp, 'r3')])).code).toBe(1)
  })

  it('schema errors carry line and column of the node', async () => {
    const r = await sjtIn(['check', 'manifest', 'fixtures/rules/MAN-001/fail-unknown-field.yaml', '--json', '--out', path.join(tmp, 'r4')])
    const f = json(r).findings.find((x: any) => x.ruleId === 'MAN-001' && x.status === 'fail')
    expect(f.location.line).toBeGreaterThan(1)
    expect(f.location.pointer).toBe('/app/homepage')
    expect(f.message).toContain('homepage')
  })

  it('text output is grouped, failures first, with a summary line; zh-CN and en', async () => {
    const en = await sjtIn(['check', 'manifest', 'fixtures/rules/MAN-008/fail-false.yaml', '--lang', 'en', '--out', path.join(tmp, 'r5')])
    expect(en.stdout).toMatch(/Manifest/)
    expect(en.stdout).toMatch(/error MAN-008 fixtures\/rules\/MAN-008\/fail-false.yaml:\d+:\d+ service "住房公积金缴存证明"/)
    expect(en.stdout).toMatch(/verdict: fail · errors 1/)
    expect(en.stdout).not.toMatch(/\u001B\[/)
    const zh = await sjtIn(['check', 'manifest', 'fixtures/rules/MAN-008/fail-false.yaml', '--out', path.join(tmp, 'r5')], {env: {LANG: 'zh_CN.UTF-8'}})
    expect(zh.stdout).toMatch(/接入清单/)
    expect(zh.stdout).toMatch(/结论: 不通过/)
  })
})

describe('bad input: exit 2, one or two lines naming the file and what to do', () => {
  const expectInputError = async (args: string[], pattern: RegExp) => {
    const r = await sjtIn(['check', 'manifest', ...args, '--lang', 'en', '--out', path.join(tmp, 'bad')])
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(pattern)
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2)
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect(r.stdout).toBe('')
    return r
  }

  it('not valid YAML', async () => {
    await expectInputError([file('bad-yaml/sjt.yaml', 'app:\n  id: [unclosed\n  name: x\n')], /bad-yaml\/sjt.yaml:\d+:\d+: YAML syntax error/)
  })
  it('not valid JSON', async () => {
    await expectInputError([file('bad-json/sjt.json', '{"app": {"id": "x",}}')], /sjt.json(:\d+:\d+)?: JSON syntax error/)
  })
  it('empty', async () => {
    await expectInputError([file('empty/sjt.yaml', '  \n')], /empty\/sjt.yaml: the file is empty/)
  })
  it('over 1 MiB', async () => {
    await expectInputError([file('big/sjt.yaml', '# ' + 'x'.repeat(1024 * 1024 + 10) + '\n')], /too large/)
  })
  it('a directory without a manifest', async () => {
    mkdirSync(path.join(tmp, 'nothing-here'), {recursive: true})
    await expectInputError([path.join(tmp, 'nothing-here')], /no manifest in this folder \(sjt.yaml, sjt.yml, sjt.json\)/)
  })
  it('a file that does not exist', async () => {
    await expectInputError([path.join(tmp, 'missing.yaml')], /no such file/)
  })
  it('a binary file', async () => {
    await expectInputError([file('bin/sjt.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))], /binary file/)
  })
  it('GBK is named', async () => {
    const gbk = Buffer.from('app:\n  name: ', 'ascii')
    // "太原公积金提取" in GBK
    const name = Buffer.from([0xcc, 0xab, 0xd4, 0xad, 0xb9, 0xab, 0xbb, 0xfd, 0xbd, 0xf0, 0xcc, 0xe1, 0xc8, 0xa1])
    const r = await expectInputError([file('gbk/sjt.yaml', Buffer.concat([gbk, name, Buffer.from('\n')]))], /encoded as GBK, not UTF-8/)
    expect(r.stderr).toMatch(/iconv -f GBK -t UTF-8/)
  })
  it('wrong types everywhere', async () => {
    await expectInputError([file('types/sjt.yaml', 'schemaVersion: 1\napp: yes\nowner: 42\nservices: none\n')], /does not look like an sjt manifest/)
  })
  it('a list instead of a mapping', async () => {
    await expectInputError([file('list/sjt.yaml', '- app\n- owner\n')], /must be a mapping at the top level, not array/)
  })
  it('unknown flag', async () => {
    const r = await sjt(['check', 'manifest', 'fixtures/apps/sample', '--no-such-flag'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no-such-flag/)
  })
  it('unknown rule id', async () => {
    const r = await sjtIn(['standards', 'show', 'MAN-999', '--lang', 'en'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown rule id MAN-999/)
  })
})

describe('accepted oddities', () => {
  it('a UTF-8 BOM is accepted', async () => {
    const text = readFileSync(sample)
    const f = file('bom/sjt.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]))
    const r = await sjtIn(['check', 'manifest', f, '--json', '--out', path.join(tmp, 'bom-out')])
    expect(r.code).toBe(0)
    expect(json(r).verdict).toBe('pass')
  })
  it('JSON manifests keep line numbers', async () => {
    const r = await sjtIn(['check', 'manifest', 'fixtures/rules/MAN-001/pass.json', '--json', '--out', path.join(tmp, 'j')])
    expect(r.code).toBe(0)
  })
})

describe('configuration', () => {
  it('is found from the app folder upwards; severity overrides and off apply', async () => {
    const root = path.join(tmp, 'cfg')
    mkdirSync(path.join(root, 'apps/a'), {recursive: true})
    copyFileSync(path.join(ROOT, 'fixtures/rules/MAN-008/fail-false.yaml'), path.join(root, 'apps/a/sjt.yaml'))
    writeFileSync(path.join(root, 'sjt.config.yaml'), 'rules:\n  MAN-008: warn\n')
    let r = await sjtIn(['check', 'manifest', path.join(root, 'apps/a'), '--json', '--out', path.join(tmp, 'c1')])
    expect(r.code).toBe(0)
    expect(json(r).findings.find((f: any) => f.ruleId === 'MAN-008' && f.status === 'fail').severity).toBe('warn')
    writeFileSync(path.join(root, 'sjt.config.yaml'), 'rules:\n  MAN-008: off\n')
    r = await sjtIn(['check', 'manifest', path.join(root, 'apps/a'), '--json', '--out', path.join(tmp, 'c1')])
    expect(json(r).findings.some((f: any) => f.ruleId === 'MAN-008')).toBe(false)
  })
  it('an invalid config is exit 2 with its line', async () => {
    const root = path.join(tmp, 'cfg-bad')
    mkdirSync(root, {recursive: true})
    copyFileSync(sample, path.join(root, 'sjt.yaml'))
    writeFileSync(path.join(root, 'sjt.config.yaml'), 'failOn: error\nfialOn: warn\n')
    const r = await sjtIn(['check', 'manifest', root, '--lang', 'en'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/sjt.config.yaml:2:1: invalid configuration: .*fialOn/)
  })
  it('a config naming an unknown rule is exit 2', async () => {
    const root = path.join(tmp, 'cfg-rule')
    mkdirSync(root, {recursive: true})
    copyFileSync(sample, path.join(root, 'sjt.yaml'))
    writeFileSync(path.join(root, 'sjt.config.yaml'), 'rules:\n  MAN-099: off\n')
    const r = await sjtIn(['check', 'manifest', root, '--lang', 'en'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown rule id MAN-099/)
  })
  it('"sjt" in package.json works too', async () => {
    const root = path.join(tmp, 'cfg-pkg')
    mkdirSync(root, {recursive: true})
    copyFileSync(path.join(ROOT, 'fixtures/rules/MAN-008/fail-false.yaml'), path.join(root, 'sjt.yaml'))
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({name: 'x', sjt: {failOn: 'never'}}))
    const r = await sjtIn(['check', 'manifest', root, '--json', '--out', path.join(tmp, 'c2')])
    expect(r.code).toBe(0)
    expect(json(r).verdict).toBe('pass')
  })
})

describe('sjt init', () => {
  it('writes a commented manifest and config that pass once the placeholders are filled', async () => {
    const dir = path.join(tmp, 'init')
    const r = await sjtIn(['init', dir, '--yes', '--id', 'xd-school-enrol', '--name', '小店区入学报名', '--department', '太原市小店区教育局', '--credit-code', '12140105MB1234562T', '--region-code', '140105', '--level', 'county', '--entry', 'https://jy.xiaodian.gov.cn/m/'])
    expect(r.code).toBe(0)
    let text = readFileSync(path.join(dir, 'sjt.yaml'), 'utf8')
    expect(text).toMatch(/^# /m)
    const placeholders = text.match(/<[^>\n]+>/g) ?? []
    expect(placeholders.length).toBeGreaterThan(0)
    // Before filling: input is valid YAML, and the check reports the placeholders as failures (exit 1).
    expect((await sjtIn(['check', 'manifest', dir, '--out', path.join(tmp, 'i0')])).code).toBe(1)
    text = text
      .replace('"<13912345678>"', '"13912345678"')
      .replace('"<ops@example.gov.cn>"', '"ops@xiaodian.gov.cn"')
      .replace('"<实施编码>"', '"12140105MB1234562T3000112001"')
      .replace('"<14010099999-00001>"', '"14010599999-00001"')
      .replace(/"<[^>"]+>"/g, '"小店区教育局"')
    writeFileSync(path.join(dir, 'sjt.yaml'), text)
    const after = await sjtIn(['check', 'manifest', dir, '--json', '--out', path.join(tmp, 'i1')])
    expect(after.code, after.stdout).toBe(0)
    expect(json(after).findings.filter((f: any) => f.status === 'fail')).toEqual([])
    expect(readFileSync(path.join(dir, 'sjt.config.yaml'), 'utf8')).toMatch(/failOn: error/)
  })
})
