// Reading user files safely: size, encoding (UTF-8 only; GBK named when seen), BOM, binary,
// and YAML/JSON parsing that keeps source positions for every node.
import {readFileSync, statSync} from 'node:fs'
import {isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode} from 'yaml'
import {InputError} from '../core/errors.js'
import type {Lang} from '../core/types.js'
import {t} from './i18n/index.js'

export const MAX_INPUT_BYTES = 1024 * 1024

export interface TextFile {
  path: string
  text: string
  bytes: number
  bom: boolean
}

/** Reads a UTF-8 text file or throws an InputError that names the problem and what to do. */
export function readTextFile(path: string, lang: Lang, maxBytes = MAX_INPUT_BYTES): TextFile {
  let size: number
  try {
    const st = statSync(path)
    if (st.isDirectory()) throw new InputError(t(lang, 'input.isDirectory'), {file: path})
    size = st.size
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(t(lang, 'input.notFound'), {file: path}, t(lang, 'input.notFound.hint'))
  }
  if (size > maxBytes) {
    throw new InputError(t(lang, 'input.tooLarge', {size: size, max: maxBytes}), {file: path}, t(lang, 'input.tooLarge.hint'))
  }
  const buf = readFileSync(path)
  return decodeText(buf, path, lang)
}

export function decodeText(buf: Buffer, path: string, lang: Lang): TextFile {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    throw new InputError(t(lang, 'input.encoding', {encoding: 'UTF-16'}), {file: path}, t(lang, 'input.encoding.hint', {encoding: 'UTF-16'}))
  }
  let bom = false
  let body = buf
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    bom = true
    body = buf.subarray(3)
  }
  if (body.includes(0)) throw new InputError(t(lang, 'input.binary'), {file: path}, t(lang, 'input.binary.hint'))
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(body)
  } catch {
    const encoding = guessLegacyEncoding(body)
    throw new InputError(t(lang, 'input.encoding', {encoding}), {file: path}, t(lang, 'input.encoding.hint', {encoding}))
  }
  if (text.trim() === '') throw new InputError(t(lang, 'input.empty'), {file: path}, t(lang, 'input.empty.hint'))
  return {path, text, bytes: buf.length, bom}
}

/** Not UTF-8: is it GBK (GB 2312/GB 18030 family)? Names the encoding for the message. */
function guessLegacyEncoding(body: Buffer): string {
  try {
    const decoded = new TextDecoder('gbk', {fatal: true}).decode(body)
    // GBK decodes almost anything; require that the bytes above 0x7f make CJK characters.
    const cjk = decoded.match(/[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/g)?.length ?? 0
    const high = [...decoded].filter((c) => c.charCodeAt(0) > 0x7f).length
    if (high > 0 && cjk / high > 0.8) return 'GBK'
  } catch {
    // not GBK either
  }
  return 'non-UTF-8'
}

export type PathSeg = string | number

export interface Structured {
  file: string
  data: unknown
  /** 1-based line and column of the node at `path` (or its nearest existing ancestor). */
  locate(path: PathSeg[], opts?: {key?: boolean}): {line: number; column: number}
  format: 'yaml' | 'json'
}

/** Parses YAML or JSON (JSON is checked strictly when the file ends in .json). */
export function parseStructured(file: TextFile, lang: Lang): Structured {
  const lineCounter = new LineCounter()
  const isJson = /\.json$/i.test(file.path) || /^\s*[[{]/.test(file.text) && looksLikeJson(file.text)
  if (/\.json$/i.test(file.path)) {
    try {
      JSON.parse(file.text)
    } catch (error) {
      const pos = jsonErrorPosition(String((error as Error).message), file.text)
      throw new InputError(t(lang, 'input.badJson', {detail: cleanJsonMessage((error as Error).message)}), {file: file.path, ...pos}, t(lang, 'input.badSyntax.hint'))
    }
  }
  const doc = parseDocument(file.text, {lineCounter, prettyErrors: false, uniqueKeys: true, strict: true})
  if (doc.errors.length > 0) {
    const err = doc.errors[0]
    const pos = lineCounter.linePos(err.pos[0])
    throw new InputError(t(lang, 'input.badYaml', {detail: firstLine(err.message)}), {file: file.path, line: pos.line, column: pos.col}, t(lang, 'input.badSyntax.hint'))
  }
  let data: unknown
  try {
    data = doc.toJS({maxAliasCount: 100})
  } catch (error) {
    throw new InputError(t(lang, 'input.badYaml', {detail: firstLine((error as Error).message)}), {file: file.path}, t(lang, 'input.badSyntax.hint'))
  }
  return {
    file: file.path,
    data,
    format: isJson ? 'json' : 'yaml',
    locate: (path, opts) => locateIn(doc, lineCounter, path, opts?.key ?? false),
  }
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim()
}

function cleanJsonMessage(msg: string): string {
  return msg.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')
}

function jsonErrorPosition(msg: string, text: string): {line?: number; column?: number} {
  const m = /position (\d+)/.exec(msg)
  const lc = /line (\d+) column (\d+)/.exec(msg)
  if (lc) return {line: Number(lc[1]), column: Number(lc[2])}
  if (!m) return {}
  const pos = Number(m[1])
  const before = text.slice(0, pos).split('\n')
  return {line: before.length, column: before[before.length - 1].length + 1}
}

function locateIn(doc: Document, lc: LineCounter, path: PathSeg[], key: boolean): {line: number; column: number} {
  let node: unknown = doc.contents
  let best: YamlNode | null = (doc.contents as YamlNode) ?? null
  let keyNode: YamlNode | null = null
  for (const seg of path) {
    keyNode = null
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg))
      if (!pair) break
      keyNode = (pair.key as YamlNode) ?? null
      node = pair.value
    } else if (isSeq(node)) {
      const idx = typeof seg === 'number' ? seg : Number(seg)
      node = node.items[idx]
    } else break
    if (node && (node as YamlNode).range) best = node as YamlNode
    else if (keyNode?.range) best = keyNode
  }
  const target = key && keyNode?.range ? keyNode : best
  const offset = target?.range?.[0] ?? 0
  const pos = lc.linePos(offset)
  return {line: pos.line, column: pos.col}
}

/** JSON Pointer (RFC 6901) ⇄ path segments. */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return []
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

export function pathToPointer(path: PathSeg[]): string {
  return path.length === 0 ? '' : '/' + path.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')
}
