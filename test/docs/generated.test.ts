// The reference pages in docs/ are generated from the profile, the schemas and the commands;
// these tests regenerate them in memory and fail when the committed pages are stale, and check
// that what they say comes from the sources.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import {beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/cli'
import {loadProfile} from '../../src/core/profile'
import type {Profile} from '../../src/core/types'
// @ts-expect-error plain JavaScript module
import {generateDocs, rulesPage, CONFIG_START, CONFIG_END} from '../../scripts/gen-docs.js'

const DOCS = path.join(ROOT, 'docs')
let pages: Record<string, string>
let profile: Profile

beforeAll(async () => {
  pages = await generateDocs()
  profile = loadProfile('shanxi-2022', 'en')
})

describe('generated reference pages', () => {
  it.each(['rules.md', 'manifest.md', 'configuration.md', 'commands.md'])('docs/%s is up to date (run npm run docs)', (name) => {
    const committed = readFileSync(path.join(DOCS, name), 'utf8')
    expect(committed === pages[name], `docs/${name} is stale: run npm run docs and commit it`).toBe(true)
  })

  it('rules.md has every rule of the profile: anchor, titles, severity, weight, clause, params, how to fix', () => {
    const md = pages['rules.md']
    expect(profile.rules.length).toBeGreaterThan(10)
    for (const r of profile.rules) {
      const start = md.indexOf(`<a id="${r.id.toLowerCase()}"></a>`)
      expect(start, r.id).toBeGreaterThan(0)
      const next = md.indexOf('<a id="', start + 10)
      const section = md.slice(start, next < 0 ? undefined : next)
      expect(section).toContain(`### ${r.id} ${r.title['zh-CN']}`)
      expect(section).toContain(`*${r.title.en}*`)
      expect(section).toContain(`| 级别 · Severity | \`${r.severity}\` |`)
      expect(section).toContain(`| 权重 · Weight | ${r.weight} |`)
      expect(section).toContain(r.clause.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim())
      for (const k of Object.keys(r.params)) expect(section, `${r.id} param ${k}`).toMatch(new RegExp(`^\\s*${k}:`, 'm'))
      if (r.help) {
        expect(section).toContain(r.help['zh-CN'])
        expect(section).toContain(r.help.en)
      }
      // Its three homes: data (standards/…yaml), check (src/audits/<category>/…ts), fixtures (fixtures/rules/<ID>/).
      const homes = /\| 所在 · Homes \| 数据 · data \[`([^`]+)`\]\([^)]*\) · 检查 · check \[`([^`]+)`\]\([^)]*\) · 样例 · fixtures \[`([^`]+)`\]/.exec(section)
      expect(homes, r.id).not.toBeNull()
      expect(homes![1], r.id).toMatch(/^standards\/.*\.yaml$/)
      expect(homes![2], r.id).toMatch(new RegExp(`^src/audits/${r.category}/[a-z0-9-]+\\.ts$`))
      expect(homes![3], r.id).toBe(`fixtures/rules/${r.id}/`)
      for (const f of homes!.slice(1)) expect(existsSync(path.join(ROOT, f)), `${r.id}: ${f}`).toBe(true)
      // Manifest rules with fixtures show a failing and a passing example taken from them.
      const fx = path.join(ROOT, 'fixtures', 'rules', r.id)
      if (r.category === 'manifest' && existsSync(fx)) {
        const files = readdirSync(fx)
        if (files.some((f) => f.startsWith('fail'))) expect(section, r.id).toMatch(/\*\*不通过示例 · Failing example\*\* \(\[`fixtures\/rules\/[A-Z0-9-]+\/fail[^`]*`\]/)
        if (files.some((f) => f.startsWith('pass'))) expect(section, r.id).toContain('**通过示例 · Passing example**')
      }
    }
  })

  it('a failing example really is the failing fixture\'s text', () => {
    const md = pages['rules.md']
    const m = /\*\*不通过示例 · Failing example\*\* \(\[`(fixtures\/rules\/MAN-\d{3}\/[^`]+)`\][^\n]*\n\n```yaml\n([\s\S]*?)\n```/.exec(md)!
    const fixture = readFileSync(path.join(ROOT, m[1]), 'utf8').split('\n')
    const shown = m[2].split('\n').filter((l) => !/^# …$/.test(l))
    for (const line of shown) expect(fixture, line).toContain(line)
  })

  it('rules.md follows the profile it is given (a city profile shows its overrides)', () => {
    const city = loadProfile(path.join(ROOT, 'fixtures', 'profiles', 'taiyuan'), 'en')
    const md = rulesPage(ROOT, city)
    const section = md.slice(md.indexOf('<a id="man-014"></a>'), md.indexOf('<a id="man-015"></a>'))
    expect(section).toContain('| 级别 · Severity | `error` |')
    expect(section).toMatch(/^minLevel: 3$/m)
    expect(md).not.toBe(pages['rules.md'])
  })

  it('manifest.md has a row for every field of manifest.schema.json', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'standards', 'schemas', 'manifest.schema.json'), 'utf8'))
    const md = pages['manifest.md']
    const walk = (s: any, prefix: string) => {
      if (s.$ref) s = s.$ref.slice(2).split('/').reduce((o: any, k: string) => o[k], schema)
      for (const [k, v] of Object.entries<any>(s.properties ?? {})) {
        const p = prefix ? `${prefix}.${k}` : k
        expect(md, p).toContain(`| \`${p}\` |`)
        walk(v, p)
        if (v.type === 'array' && v.items?.properties) walk(v.items, `${p}[]`)
      }
    }
    walk(schema, '')
    expect(md).toContain('[MAN-002](rules.md#man-002)')
  })

  it('configuration.md keeps its prose and has a row for every setting of config.schema.json', () => {
    const md = pages['configuration.md']
    const committed = readFileSync(path.join(DOCS, 'configuration.md'), 'utf8')
    expect(md.slice(0, md.indexOf(CONFIG_START))).toBe(committed.slice(0, committed.indexOf(CONFIG_START)))
    expect(md.indexOf(CONFIG_END)).toBeGreaterThan(md.indexOf(CONFIG_START))
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'standards', 'schemas', 'config.schema.json'), 'utf8'))
    for (const k of Object.keys(schema.properties)) expect(md, k).toContain(`| \`${k}\` |`)
    expect(md).toContain('| `failOn` | `--fail-on` |')
  })

  it('commands.md lists every command with its examples', () => {
    const md = pages['commands.md']
    for (const id of ['check', 'check manifest', 'doctor', 'report', 'standards show']) expect(md).toContain(`## sjt ${id}\n`)
    expect(md).toContain('sjt standards show MAN-002')
  })
})

describe('hand-written docs', () => {
  const files = readdirSync(DOCS).filter((f) => f.endsWith('.md'))

  it('link only to files that exist', () => {
    const broken: string[] = []
    for (const f of files) {
      const text = readFileSync(path.join(DOCS, f), 'utf8')
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]
        if (/^[a-z]+:/.test(target)) continue
        if (!existsSync(path.resolve(DOCS, target))) broken.push(`${f} → ${target}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('link to anchors that exist in rules.md', () => {
    const anchors = new Set([...pages['rules.md'].matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]))
    for (const f of files) {
      const text = f === 'rules.md' ? pages['rules.md'] : readFileSync(path.join(DOCS, f), 'utf8')
      for (const m of text.matchAll(/\]\((?:rules\.md)?#(man|api|a11y|eld|perf|sec)-(\d{3})\)/g)) expect(anchors.has(`${m[1]}-${m[2]}`), `${f}: #${m[1]}-${m[2]}`).toBe(true)
    }
  })

  it('are bilingual, Chinese first', () => {
    for (const f of ['getting-started.md', 'ci.md', 'profiles.md', 'configuration.md']) {
      const text = readFileSync(path.join(DOCS, f), 'utf8')
      const zh = text.indexOf('## 中文')
      const en = text.indexOf('## English')
      expect(zh, f).toBeGreaterThan(0)
      expect(en, f).toBeGreaterThan(zh)
    }
  })

  it('profiles.md shows the example city profile as it is in fixtures/profiles/taiyuan', () => {
    const text = readFileSync(path.join(DOCS, 'profiles.md'), 'utf8')
    const block = /```yaml\n([\s\S]*?)```/.exec(text)![1]
    const fixture = readFileSync(path.join(ROOT, 'fixtures', 'profiles', 'taiyuan', 'profile.yaml'), 'utf8')
    expect(YAML.parse(block)).toEqual(YAML.parse(fixture))
  })

  it('getting-started has the two commands, completion and doctor', () => {
    const text = readFileSync(path.join(DOCS, 'getting-started.md'), 'utf8')
    expect(text).toContain('npm ci && npm run demo')
    expect(text).toContain('npm test')
    expect(text).toContain('sjt autocomplete bash')
    expect(text).toContain('sjt doctor')
  })
})
