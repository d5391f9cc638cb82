// One catalogue: every message key the code uses exists, in zh-CN and in en.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {allMessageKeys, t, resolveLang} from '../../src/lib/i18n/index.js'
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
  it('language comes from --lang, then LANG, else zh-CN', () => {
    expect(resolveLang('en', {LANG: 'zh_CN.UTF-8'})).toBe('en')
    expect(resolveLang(undefined, {LANG: 'en_US.UTF-8'})).toBe('en')
    expect(resolveLang(undefined, {LANG: 'zh_CN.UTF-8'})).toBe('zh-CN')
    expect(resolveLang(undefined, {})).toBe('zh-CN')
    expect(resolveLang(undefined, {LANG: 'C'})).toBe('zh-CN')
  })
})
