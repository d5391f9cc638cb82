// Checks a loaded artifact against its JSON Schema (standards/schemas/artifacts/<name>.schema.json).
// Artifacts saved with --save-artifacts and read back with --from-artifacts are input like any
// other: a file that does not match is refused with the JSON Pointer of the first problem.
import {Ajv2020, type ValidateFunction} from 'ajv/dist/2020.js'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {SCHEMAS_DIR} from '../lib/paths.js'
import {describeAjvError, newAjv} from '../lib/schema.js'
import type {Lang} from '../lib/i18n/index.js'
import {ARTIFACT_NAMES, type ArtifactName} from './index.js'

let ajv: Ajv2020 | null = null
const cache = new Map<ArtifactName, ValidateFunction>()

/** standards/schemas/artifacts/<name>.schema.json. */
export function artifactSchema(name: ArtifactName): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'artifacts', `${name}.schema.json`), 'utf8'))
}

function validator(name: ArtifactName): ValidateFunction {
  let v = cache.get(name)
  if (!v) {
    if (!ajv) {
      ajv = newAjv()
      // The artifact schemas $ref each other (page targets in targets, the error form in all).
      ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'artifacts', 'common.schema.json'), 'utf8')))
      for (const n of ARTIFACT_NAMES) ajv.addSchema(artifactSchema(n))
    }
    v = ajv.getSchema(artifactSchema(name).$id as string)!
    cache.set(name, v)
  }
  return v
}

/** null when the artifact matches its schema, else the JSON Pointer and a description of the first problem. */
export function validateArtifact(name: ArtifactName, data: unknown, lang: Lang): {pointer: string; message: string} | null {
  const v = validator(name)
  if (v(data)) return null
  // The deepest problem is the most telling one (oneOf/anyOf report their branches first).
  const errors = [...(v.errors ?? [])].filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if')
  const e = errors.sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0] ?? v.errors![0]
  return {pointer: e.instancePath || '/', message: describeAjvError(e, lang)}
}
