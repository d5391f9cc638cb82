// One message catalogue in zh-CN and en. Each area keeps its messages in its own file
// (core.ts, manifest.ts, …); this index joins them. Placeholders are {name}.
/** The languages of messages and reports. */
export type Lang = 'zh-CN' | 'en'
import core from './core.js'
import manifest from './manifest.js'
import contract from './contract.js'
import browser from './browser.js'
import perf from './perf.js'
import security from './security.js'
import report from './report.js'
import review from './review.js'
import score from './score.js'
import auth from './auth.js'
import doctor from './doctor.js'
import miniprogram from './miniprogram.js'
import queue from './queue.js'
import cli from './cli.js'

export type Catalogue = Record<string, {'zh-CN': string; en: string}>

const catalogue: Catalogue = {...core, ...manifest, ...contract, ...browser, ...perf, ...security, ...report, ...review, ...score, ...auth, ...doctor, ...miniprogram, ...queue, ...cli}

export function resolveLang(flag?: string, env: NodeJS.ProcessEnv = process.env): Lang {
  const pick = (v?: string): Lang | undefined => {
    if (!v) return undefined
    const s = v.toLowerCase()
    if (s.startsWith('zh')) return 'zh-CN'
    if (s.startsWith('en')) return 'en'
    return undefined
  }
  return pick(flag) ?? pick(env.SJT_LANG) ?? pick(env.LC_ALL) ?? pick(env.LC_MESSAGES) ?? pick(env.LANG) ?? 'zh-CN'
}

export function t(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  const entry = catalogue[key]
  if (!entry) throw new Error(`message ${key} is missing from the catalogue`)
  return entry[lang].replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m))
}

export function hasMessage(key: string): boolean {
  return key in catalogue
}

export function allMessageKeys(): string[] {
  return Object.keys(catalogue)
}
