// The build's parse of bundled standards files (scripts/standards-cache.js writes
// dist/standards-cache.json), looked up by the SHA-256 of a file's text: a hit is the data the
// build parsed and schema-checked from exactly that text; anything else (an edited file, a city's
// own profile) is parsed and validated by the caller as usual.
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {ROOT} from './paths.js'

let prebuilt: Record<string, unknown> | null = null

export function prebuiltData(text: string): unknown {
  if (prebuilt === null) {
    try {
      prebuilt = (JSON.parse(readFileSync(path.join(ROOT, 'dist', 'standards-cache.json'), 'utf8')) as {entries?: Record<string, unknown>}).entries ?? {}
    } catch {
      prebuilt = {}
    }
  }
  const hit = prebuilt[createHash('sha256').update(text).digest('hex')]
  return hit === undefined ? undefined : structuredClone(hit)
}
