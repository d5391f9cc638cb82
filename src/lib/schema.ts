// JSON Schema validation (draft 2020-12) with ajv + ajv-formats; compiled validators are cached.
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv2020, type ErrorObject, type ValidateFunction} from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import {SCHEMAS_DIR} from './paths.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

let ajv: Ajv2020 | null = null
const cache = new Map<string, ValidateFunction>()

export function newAjv(): Ajv2020 {
  const a = new Ajv2020({allErrors: true, strict: false, allowUnionTypes: true})
  addFormats(a)
  return a
}

function shared(): Ajv2020 {
  if (!ajv) {
    ajv = newAjv()
    // Every schema of standards/schemas is known by its $id, so they can $ref each other.
    for (const f of readdirSync(SCHEMAS_DIR).filter((n) => n.endsWith('.schema.json'))) {
      ajv.addSchema(loadSchema(f.replace(/\.schema\.json$/, '')))
    }
  }
  return ajv
}

/** Validator for `standards/schemas/<name>.schema.json`. */
export function schemaValidator(name: string): ValidateFunction {
  let v = cache.get(name)
  if (!v) {
    const a = shared()
    const id = loadSchema(name).$id as string
    v = a.getSchema(id)
    if (!v) throw new Error(`schema ${name} could not be compiled`)
    cache.set(name, v)
  }
  return v
}

export function loadSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SCHEMAS_DIR, `${name}.schema.json`), 'utf8'))
}

export type {ErrorObject}

/** A short human description of an ajv error, for messages. */
export function describeAjvError(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required':
      return `missing required property "${(e.params as {missingProperty: string}).missingProperty}"`
    case 'additionalProperties':
      return `unknown property "${(e.params as {additionalProperty: string}).additionalProperty}"`
    case 'enum':
      return `${e.message}: ${(e.params as {allowedValues: unknown[]}).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
    default:
      return e.message ?? e.keyword
  }
}
