// Loading of contract files: the size limits, local and remote reads, and YAML/JSON parsing that
// records the source position of every node and every $ref (split out of src/gather/contract.ts).
import {existsSync, statSync} from 'node:fs'
import {isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode} from 'yaml'
import {InputError} from '../../lib/errors.js'
import type {Lang, Location, Profile} from '../../core/types.js'
import {decodeText, readTextFile} from '../../lib/source.js'
import {t} from '../../lib/i18n/index.js'
import {displayPath} from '../manifest.js'
import {escapeToken, type SourceDoc} from '../../lib/openapi/model.js'

export const DEFAULTS = {maxBytes: 8 * 1024 * 1024, maxFiles: 100, maxErrors: 50, remoteTimeoutMs: 10_000}

export function limits(profile: Profile): typeof DEFAULTS {
  const p = profile.rules.find((r) => r.id === 'API-001')?.params ?? {}
  const num = (v: unknown, d: number) => (typeof v === 'number' && v > 0 ? v : d)
  return {maxBytes: num(p.maxBytes, DEFAULTS.maxBytes), maxFiles: num(p.maxFiles, DEFAULTS.maxFiles), maxErrors: num(p.maxErrors, DEFAULTS.maxErrors), remoteTimeoutMs: num(p.remoteTimeoutMs, DEFAULTS.remoteTimeoutMs)}
}

export interface Parsed {
  doc: SourceDoc
  refs: Array<{pointer: string; ref: string}>
  bytes: number
}

/** Parses YAML or JSON text, recording the position of every node and every `$ref` in one pass. */
export function parseSource(text: string, id: string, file: string, lang: Lang): Parsed {
  if (/\.json$/i.test(file)) {
    try {
      JSON.parse(text)
    } catch (error) {
      const msg = String((error as Error).message)
      const m = /position (\d+)/.exec(msg)
      const lc = /line (\d+) column (\d+)/.exec(msg)
      let pos: {line?: number; column?: number} = {}
      if (lc) pos = {line: Number(lc[1]), column: Number(lc[2])}
      else if (m) {
        const before = text.slice(0, Number(m[1])).split('\n')
        pos = {line: before.length, column: before[before.length - 1].length + 1}
      }
      throw new InputError(t(lang, 'input.badJson', {detail: msg.replace(/ in JSON at position \d+.*$/, '')}), {file, ...pos}, t(lang, 'contract.syntax.hint'))
    }
  }
  const lineCounter = new LineCounter()
  const ydoc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true, strict: true})
  if (ydoc.errors.length > 0) {
    const err = ydoc.errors[0]
    const pos = lineCounter.linePos(err.pos[0])
    throw new InputError(t(lang, 'input.badYaml', {detail: err.message.split('\n')[0].trim()}), {file, line: pos.line, column: pos.col}, t(lang, 'contract.syntax.hint'))
  }
  let data: unknown
  try {
    data = ydoc.toJS({maxAliasCount: 100})
  } catch (error) {
    throw new InputError(t(lang, 'input.badYaml', {detail: (error as Error).message.split('\n')[0]}), {file}, t(lang, 'contract.syntax.hint'))
  }
  const positions: Record<string, [number, number]> = {}
  const keys: Record<string, [number, number]> = {}
  const refs: Parsed['refs'] = []
  const at = (off: number): [number, number] => {
    const p = lineCounter.linePos(off)
    return [p.line, p.col]
  }
  // Iterative walk: a deeply nested document cannot overflow the stack.
  const stack: Array<[YamlNode | null | undefined, string]> = [[ydoc.contents as YamlNode, '']]
  while (stack.length) {
    const [node, ptr] = stack.pop()!
    if (!node) continue
    if (node.range) positions[ptr] = at(node.range[0])
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
        const kp = ptr + '/' + escapeToken(k)
        const keyNode = pair.key as YamlNode | null
        if (keyNode?.range) {
          keys[kp] = at(keyNode.range[0])
          if (!pair.value) positions[kp] = keys[kp]
        }
        if (k === '$ref' && isScalar(pair.value) && typeof pair.value.value === 'string') refs.push({pointer: ptr, ref: pair.value.value})
        stack.push([pair.value as YamlNode, kp])
      }
    } else if (isSeq(node)) {
      node.items.forEach((it, i) => stack.push([it as YamlNode, ptr + '/' + i]))
    }
  }
  return {doc: {id, file, data, positions, keys}, refs, bytes: Buffer.byteLength(text)}
}

export function readLocal(id: string, lang: Lang, maxBytes: number, from?: Location): Parsed {
  const shown = displayPath(id)
  if (existsSync(id) && statSync(id).isFile() && statSync(id).size > maxBytes) {
    const size = statSync(id).size
    throw new InputError(t(lang, 'contract.tooLarge', {size: mb(size), max: mb(maxBytes)}), {file: shown}, t(lang, 'contract.tooLarge.hint'))
  }
  if (from && !existsSync(id)) throw new InputError(t(lang, 'contract.notFound', {file: shown}), from, t(lang, 'contract.notFound.hint'))
  const text = readTextFile(id, lang, maxBytes)
  return parseSource(text.text, id, shown, lang)
}

export function mb(n: number): string {
  return (n / 1024 / 1024).toFixed(1) + ' MiB'
}

export async function readRemote(url: string, lang: Lang, lim: typeof DEFAULTS): Promise<Parsed> {
  const res = await fetch(url, {signal: AbortSignal.timeout(lim.remoteTimeoutMs), redirect: 'follow'})
  if (!res.ok) throw new Error(`HTTP ${res.status}`)
  const len = Number(res.headers.get('content-length') ?? 0)
  if (len > lim.maxBytes) throw new Error(t(lang, 'contract.tooLarge', {size: mb(len), max: mb(lim.maxBytes)}))
  const buf = Buffer.from(await res.arrayBuffer())
  if (buf.length > lim.maxBytes) throw new Error(t(lang, 'contract.tooLarge', {size: mb(buf.length), max: mb(lim.maxBytes)}))
  const text = decodeText(buf, url, lang)
  return parseSource(text.text, url, url, lang)
}

export function readRefFile(id: string, lang: Lang, maxBytes: number): Parsed {
  if (!existsSync(id)) throw new Error(t(lang, 'contract.refNoFile', {file: displayPath(id)}))
  return readLocal(id, lang, maxBytes)
}
