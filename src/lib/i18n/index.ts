// The message catalogue: one file per language (zh-CN.ts, the reference, and en.ts), joined here.
// Keys are typed: MessageKey is the set of keys of zh-CN.ts, every other language has exactly those
// keys, and t() takes only a MessageKey, so an unknown or missing key does not compile.
// Placeholders are {name}. How to add a language or an area: docs/development.md ("Messages").
/** The languages of messages and reports. */
export type Lang = 'zh-CN' | 'en'
import zhCN, {type MessageKey as CatalogueKey} from './zh-CN.js'
import en from './en.js'

/** One message in every language: the shape of an area kept in its own file (see `areas`). */
type Pair = Record<Lang, string>
/** An area file in the pair shape, `{'key': {'zh-CN': '…', en: '…'}}`. Declare it as
 *  `const messages = {…} satisfies Catalogue` (not `: Catalogue`, which would lose its keys).
 *  @public for such an area file (none today; docs/development.md, "Messages"). */
export type Catalogue = Record<string, Pair>

type KeysKept<A> = string extends keyof A ? {'declare the area as `{…} satisfies Catalogue`, not `: Catalogue`': never} : unknown
/** Registers a pair-shaped area; refuses (at compile time) one whose keys were widened to string. */
function pairArea<A extends Catalogue>(area: A & KeysKept<A>): A {
  return area
}

// Areas still kept in the pair shape, each as `...pairArea(area)`; their keys join MessageKey.
const areas = {
  ...pairArea({}),
}

export type MessageKey = CatalogueKey | keyof typeof areas

const catalogues: Record<Lang, Record<CatalogueKey, string>> = {'zh-CN': zhCN, en}

/** The languages there is a catalogue for, the reference (zh-CN) first. */
export const LANGS = Object.keys(catalogues) as Lang[]

export function resolveLang(flag?: string, env: NodeJS.ProcessEnv = process.env): Lang {
  const pick = (v?: string): Lang | undefined => {
    if (!v) return undefined
    const s = v.toLowerCase().replace(/_/g, '-')
    return LANGS.find((l) => s === l.toLowerCase()) ?? LANGS.find((l) => s.startsWith(l.toLowerCase().split('-')[0]))
  }
  return pick(flag) ?? pick(env.SJT_LANG) ?? pick(env.LC_ALL) ?? pick(env.LC_MESSAGES) ?? pick(env.LANG) ?? 'zh-CN'
}

function lookup(lang: Lang, key: string): string | undefined {
  const table: Record<string, string | undefined> = catalogues[lang]
  return Object.hasOwn(table, key) ? table[key] : Object.hasOwn(areas, key) ? (areas as Catalogue)[key][lang] : undefined
}

export function t(lang: Lang, key: MessageKey, params: Record<string, unknown> = {}): string {
  const text = lookup(lang, key)
  if (text === undefined) throw new Error(`message ${key} is missing from the catalogue`)
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m))
}

/** For keys built at run time (from data): narrows a string to a MessageKey when it is one. */
export function isMessageKey(key: string): key is MessageKey {
  return lookup('zh-CN', key) !== undefined
}

/** A key built at run time where the data can only be one of a closed set (states, verdicts, categories):
 *  the key, typed; an unknown one is a bug and throws, as t() does. */
export function messageKey(key: string): MessageKey {
  if (!isMessageKey(key)) throw new Error(`message ${key} is missing from the catalogue`)
  return key
}

export function allMessageKeys(): MessageKey[] {
  return [...Object.keys(zhCN), ...Object.keys(areas)] as MessageKey[]
}
