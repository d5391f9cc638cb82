// The manifest collector: reads sjt.yaml/sjt.json safely and keeps the source position of every node.
import path from 'node:path'
import {InputError} from '../lib/errors.js'
import type {GatherContext, Lang} from '../core/types.js'
import {parseStructured, pathToPointer, readTextFile, type PathSeg} from '../lib/source.js'
import {t} from '../lib/i18n/index.js'
import {type ManifestArtifact} from '../artifacts/manifest.js'

export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file)
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file
}

export function readManifest(file: string, lang: Lang): ManifestArtifact {
  const shown = displayPath(file)
  const text = readTextFile(file, lang)
  const parsed = parseStructured({...text, path: shown}, lang)
  const data = parsed.data
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const kind = data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data
    throw new InputError(t(lang, 'manifest.notMapping', {kind}), {file: shown, line: 1, column: 1}, t(lang, 'manifest.shape.hint'))
  }
  const d = data as Record<string, unknown>
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v)
  // A document in which none of the main sections has the right type is not a manifest at all.
  if (!isObj(d.app) && !isObj(d.owner) && !Array.isArray(d.services)) {
    const pos = parsed.locate([])
    throw new InputError(t(lang, 'manifest.notManifest'), {file: shown, ...pos}, t(lang, 'manifest.shape.hint'))
  }
  const positions: Record<string, [number, number]> = {}
  const keys: Record<string, [number, number]> = {}
  const walk = (v: unknown, p: PathSeg[]) => {
    const ptr = pathToPointer(p)
    const pos = parsed.locate(p)
    positions[ptr] = [pos.line, pos.column]
    if (p.length) {
      const k = parsed.locate(p, {key: true})
      keys[ptr] = [k.line, k.column]
    }
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]))
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k])
  }
  walk(data, [])
  return {file: shown, dir: path.dirname(path.resolve(file)), format: parsed.format, data: d as Record<string, any>, positions, keys}
}

export async function collect(ctx: GatherContext): Promise<ManifestArtifact | null> {
  if (!ctx.options.manifestPath) return null
  return readManifest(ctx.options.manifestPath, ctx.options.lang)
}
