// Reading user files safely: size, encoding (UTF-8 only; GBK named when seen), BOM, binary,
// and YAML/JSON parsing that keeps source positions for every node.
import {closeSync, constants, fstatSync, openSync, readSync, type Stats} from 'node:fs'
import {isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode} from 'yaml'
import {InputError} from './errors.js'
import type {Lang} from './i18n/index.js'
import {t} from './i18n/index.js'

export const MAX_INPUT_BYTES = 1024 * 1024

export interface TextFile {
  path: string
  text: string
  bytes: number
  bom: boolean
}

/** What kind of file this is, in words for a message (never "regular file"). */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'directory'
  if (st.isFIFO()) return 'FIFO'
  if (st.isCharacterDevice()) return 'character device'
  if (st.isBlockDevice()) return 'block device'
  if (st.isSocket()) return 'socket'
  return 'special file'
}

/**
 * Reads a regular file, at most `maxBytes`: the file is opened without blocking (a FIFO never
 * stalls the open), refused unless fstat says it is a regular file (devices, FIFOs, sockets and
 * folders exit 2), and the cap is enforced while reading, not taken from stat (a file that grows,
 * or a /proc file that says 0 bytes, is still bounded).
 */
export function readRegularFile(path: string, lang: Lang, maxBytes = MAX_INPUT_BYTES): Buffer {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ERR_INVALID_ARG_VALUE' || code === 'ERR_INVALID_ARG_TYPE') throw new InputError(t(lang, 'input.notFound'), {file: path}, t(lang, 'input.notFound.hint'))
    if (code === 'EISDIR') throw new InputError(t(lang, 'input.isDirectory'), {file: path})
    if (code === 'ENXIO' || code === 'EOPNOTSUPP') throw new InputError(t(lang, 'input.notRegular', {kind: 'socket'}), {file: path}, t(lang, 'input.notRegular.hint'))
    throw new InputError(t(lang, 'input.unreadable', {detail: code ?? (error as Error).message}), {file: path}, t(lang, 'input.notFound.hint'))
  }
  try {
    const st = fstatSync(fd)
    if (st.isDirectory()) throw new InputError(t(lang, 'input.isDirectory'), {file: path})
    if (!st.isFile()) throw new InputError(t(lang, 'input.notRegular', {kind: kindOf(st)}), {file: path}, t(lang, 'input.notRegular.hint'))
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total))
      let n: number
      try {
        n = readSync(fd, chunk, 0, chunk.length, null)
      } catch (error) {
        throw new InputError(t(lang, 'input.unreadable', {detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message}), {file: path})
      }
      if (n === 0) break
      total += n
      if (total > maxBytes) throw new InputError(t(lang, 'input.tooLarge', {size: st.size > maxBytes ? st.size : `> ${maxBytes}`, max: maxBytes}), {file: path}, t(lang, 'input.tooLarge.hint'))
      chunks.push(chunk.subarray(0, n))
    }
    return Buffer.concat(chunks, total)
  } finally {
    closeSync(fd)
  }
}

/** Reads a UTF-8 text file (a regular file, at most maxBytes) or throws an InputError that names the problem and what to do. */
export function readTextFile(path: string, lang: Lang, maxBytes = MAX_INPUT_BYTES): TextFile {
  return decodeText(readRegularFile(path, lang, maxBytes), path, lang)
}

export function decodeText(buf: Buffer, path: string, lang: Lang): TextFile {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const encoding = buf[0] === 0xff ? 'UTF-16LE' : 'UTF-16BE'
    throw new InputError(t(lang, 'input.encoding', {encoding}), {file: path}, t(lang, 'input.encoding.hint', {from: encoding}))
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
    throw new InputError(t(lang, 'input.encoding', {encoding}), {file: path}, t(lang, 'input.encoding.hint', {from: encoding === 'GBK' ? 'GBK' : t(lang, 'input.encoding.from')}))
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
  const fmt = isJson ? 'JSON' : 'YAML'
  const syntax = (detail: string, pos: {line?: number; column?: number} = {}) =>
    new InputError(t(lang, isJson ? 'input.badJson' : 'input.badYaml', {detail}), {file: file.path, ...pos}, t(lang, 'input.badSyntax.hint'))
  const tooDeep = () => new InputError(t(lang, 'input.tooDeep', {format: fmt, max: MAX_DEPTH}), {file: file.path}, t(lang, 'input.tooDeep.hint'))
  if (nestingExceeds(file.text, MAX_DEPTH)) throw tooDeep()
  // JSON without repeated keys: JSON.parse gives the same data as the YAML reader at a fraction of
  // the cost (a mini-program has one JSON file per page); positions are worked out only when a
  // finding asks for one. Anything else (YAML, or JSON the fast path refuses) takes the full reader,
  // so its errors and positions stay the same.
  if (isJson) {
    const fast = fastJson(file.text)
    if (fast.ok && depthOf(fast.data, MAX_DEPTH) <= MAX_DEPTH) {
      let located: {doc: Document; lc: LineCounter} | undefined
      return {
        file: file.path,
        data: fast.data,
        format: 'json',
        locate: (path, opts) => {
          if (!located) {
            const lc = new LineCounter()
            located = {doc: parseDocument(file.text, {lineCounter: lc, prettyErrors: false, uniqueKeys: false}), lc}
          }
          return locateIn(located.doc, located.lc, path, opts?.key ?? false)
        },
      }
    }
  }
  let doc: Document
  try {
    doc = parseDocument(file.text, {lineCounter, prettyErrors: false, uniqueKeys: true, strict: true})
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep()
    throw syntax(firstLine((error as Error).message))
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0]
    const pos = lineCounter.linePos(err.pos[0])
    throw syntax(firstLine(err.message), {line: pos.line, column: pos.col})
  }
  let data: unknown
  try {
    data = doc.toJS({maxAliasCount: 100})
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep()
    throw syntax(firstLine((error as Error).message))
  }
  if (depthOf(data, MAX_DEPTH) > MAX_DEPTH) throw tooDeep()
  return {
    file: file.path,
    data,
    format: isJson ? 'json' : 'yaml',
    locate: (path, opts) => locateIn(doc, lineCounter, path, opts?.key ?? false),
  }
}

/** Deeper than this, a manifest, config or contract is not one (and parsers would recurse without end). */
const MAX_DEPTH = 128

/** A quick bound on flow nesting ([ and { outside quoted strings) before any parser recurses. */
function nestingExceeds(text: string, max: number): boolean {
  let depth = 0
  let quote = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = ''
      continue
    }
    if (c === '"') quote = c
    else if (c === '[' || c === '{') {
      if (++depth > max) return true
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1)
  }
  return false
}

/** Depth of nested arrays and objects, counted without recursion; stops once past `max`. */
export function depthOf(value: unknown, max: number): number {
  let deepest = 0
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length) {
    const [v, d] = stack.pop()!
    if (!v || typeof v !== 'object') continue
    if (d + 1 > deepest) deepest = d + 1
    if (deepest > max) return deepest
    for (const child of Object.values(v as object)) if (child && typeof child === 'object') stack.push([child, d + 1])
  }
  return deepest
}

/**
 * JSON.parse, refused (ok: false) when any object repeats a key: the YAML reader then reports the
 * repeat with its position. The scan keeps one key set per open object and reads each key string
 * with JSON.parse so escapes compare as the parser sees them.
 */
function fastJson(text: string): {ok: true; data: unknown} | {ok: false} {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return {ok: false}
  }
  const stack: Array<Set<string> | null> = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      const start = i
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
      const keys = stack[stack.length - 1]
      if (!keys) continue
      let j = i + 1
      while (j < text.length && (text[j] === ' ' || text[j] === '\n' || text[j] === '\r' || text[j] === '\t')) j++
      if (text[j] !== ':') continue
      const key = JSON.parse(text.slice(start, i + 1)) as string
      if (keys.has(key)) return {ok: false}
      keys.add(key)
    } else if (c === 0x7b) stack.push(new Set())
    else if (c === 0x5b) stack.push(null)
    else if (c === 0x7d || c === 0x5d) stack.pop()
  }
  return {ok: true, data}
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
