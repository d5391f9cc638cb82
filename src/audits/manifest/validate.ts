// The manifest validator: the compiled manifest.schema.json, with errors turned into paths
// that the manifest artifact can place at a line and column.
import {describeAjvError, schemaValidator} from '../../lib/schema.js'
import {pathToPointer, pointerToPath} from '../../lib/source.js'
import type {Lang} from '../../core/types.js'

export interface SchemaProblem {
  pointer: string
  path: string[]
  keyword: string
  message: string
  /** Point at the key (unknown property) rather than the value. */
  atKey: boolean
}

export function validateManifestData(data: unknown, lang: Lang = 'en'): SchemaProblem[] {
  const validate = schemaValidator('manifest')
  if (validate(data)) return []
  const out: SchemaProblem[] = []
  const seen = new Set<string>()
  for (const e of validate.errors ?? []) {
    // `if`/`oneOf` wrappers repeat what their branches already said.
    if (e.keyword === 'if' || e.keyword === 'oneOf' || e.keyword === 'anyOf') continue
    const path = pointerToPath(e.instancePath)
    let atKey = false
    if (e.keyword === 'additionalProperties') {
      path.push((e.params as {additionalProperty: string}).additionalProperty)
      atKey = true
    }
    const pointer = e.keyword === 'additionalProperties' ? pathToPointer(path) : e.instancePath
    const message = describeAjvError(e, lang)
    const k = pointer + '|' + message
    if (seen.has(k)) continue
    seen.add(k)
    out.push({pointer, path, keyword: e.keyword, message, atKey})
  }
  return out
}
