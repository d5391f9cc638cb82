// One catalogue per language (src/lib/i18n/zh-CN.ts, en.ts): every message key the code uses exists,
// in every language, with the same placeholders; no key is written twice.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {LANGS, allMessageKeys, isMessageKey, t, resolveLang} from '../../src/lib/i18n/index.js'
import zhCN from '../../src/lib/i18n/zh-CN.js'
import en from '../../src/lib/i18n/en.js'
import {ROOT} from '../helpers/cli.js'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n)
    return statSync(f).isDirectory() ? files(f) : f.endsWith('.ts') ? [f] : []
  })
}

describe('message catalogue', () => {
  it('every key used with a literal in src/ exists', () => {
    const keys = new Set(allMessageKeys())
    const missing: string[] = []
    for (const f of files(path.join(ROOT, 'src'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*[\w.]+\s*,\s*'([A-Za-z0-9.\-_]+)'/g)) {
        if (!keys.has(m[1])) missing.push(`${path.relative(ROOT, f)}: ${m[1]}`)
      }
    }
    expect(missing).toEqual([])
  })
  it('both languages are filled in', () => {
    for (const k of allMessageKeys()) {
      expect(t('zh-CN', k).length, k).toBeGreaterThan(0)
      expect(t('en', k).length, k).toBeGreaterThan(0)
    }
  })
  it('each language has exactly the keys of zh-CN, with the same placeholders', () => {
    // Placeholders are {lowerCamel}; `${ENV_VAR}` in a hint is literal text.
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort())
    const names = (s: string) => [...new Set([...s.matchAll(/\{([a-z]\w*)\}/g)].map((m) => m[1]))].sort()
    // Keys whose languages deliberately show different fields (e.g. the English score table names an
    // index by its id, the Chinese by its name).
    const ownFields = new Set(['score.bilingualName', 'score.indexColumn', 'score.unknownFrom.item'])
    const differ = Object.keys(zhCN).filter((k) => !ownFields.has(k)).filter((k) => names(zhCN[k as keyof typeof zhCN]).join() !== names(en[k as keyof typeof en]).join())
    expect(differ).toEqual([])
    expect(LANGS).toEqual(['zh-CN', 'en'])
  })
  it('no key is written twice in the catalogue files (a later one would silently win)', () => {
    const dir = path.join(ROOT, 'src', 'lib', 'i18n')
    const owner = new Map<string, string>()
    const twice: string[] = []
    const pairs: string[] = []
    for (const n of readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'index.ts')) {
      const text = readFileSync(path.join(dir, n), 'utf8')
      // Language files (zh-CN.ts, en.ts) each hold every key once; pair-shaped areas hold theirs once
      // and must not reuse a key of the language files or of another area.
      const isLanguage = !/satisfies Catalogue|: Catalogue\b/.test(text)
      const seen = new Set<string>()
      for (const m of text.matchAll(/^\s*'([^']+)':\s*[{'"]/gm)) {
        if (seen.has(m[1])) twice.push(`${n}: ${m[1]}`)
        seen.add(m[1])
        if (isLanguage) continue
        pairs.push(m[1])
      }
      if (isLanguage) for (const k of seen) if (!owner.has(k)) owner.set(k, n)
    }
    for (const k of pairs) if (owner.has(k)) twice.push(`${k} (also in ${owner.get(k)})`)
    expect(twice).toEqual([])
    expect(owner.size).toBe(Object.keys(zhCN).length)
  })
  it('a key built at run time is checked before use', () => {
    expect(isMessageKey('review.state.approved')).toBe(true)
    expect(isMessageKey('review.state.nonsense')).toBe(false)
    expect(isMessageKey('toString')).toBe(false)
    expect(() => t('en', 'review.state.nonsense' as never)).toThrow(/missing from the catalogue/)
  })
  it('no inline language choice in src/ or the demo script: texts come from the catalogue', () => {
    const inline = /\blang\s*===\s*'(en|zh-CN)'\s*\?|\ben\s*\?\s*['`]|=== 'zh-CN' \?/
    const found: string[] = []
    for (const f of [...files(path.join(ROOT, 'src')), path.join(ROOT, 'scripts', 'demo.js')]) {
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        if (inline.test(line)) found.push(`${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`)
      })
    }
    expect(found).toEqual([])
  })
  it('the demo script (plain JS, not type-checked) says only catalogue keys', () => {
    const text = readFileSync(path.join(ROOT, 'scripts', 'demo.js'), 'utf8')
    const calls = [...text.matchAll(/\bsay\(\s*'([^']*)'|\bt\(\s*lang\s*,\s*'([^']*)'/g)].map((m) => m[1] ?? m[2])
    expect(calls.length).toBeGreaterThan(5)
    expect(calls.filter((k) => !isMessageKey(k))).toEqual([])
    expect(text).not.toMatch(/\bsay\(\s*[^'\s)]/)
  })
  it('language comes from --lang, then LANG, else zh-CN', () => {
    expect(resolveLang('en', {LANG: 'zh_CN.UTF-8'})).toBe('en')
    expect(resolveLang(undefined, {LANG: 'en_US.UTF-8'})).toBe('en')
    expect(resolveLang(undefined, {LANG: 'zh_CN.UTF-8'})).toBe('zh-CN')
    expect(resolveLang(undefined, {})).toBe('zh-CN')
    expect(resolveLang(undefined, {LANG: 'C'})).toBe('zh-CN')
  })
})
