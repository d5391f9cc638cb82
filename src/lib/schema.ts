// JSON Schema validation (draft 2020-12) with ajv + ajv-formats; compiled validators are cached.
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {createRequire} from 'node:module'
import {_} from 'ajv/dist/compile/codegen/index.js'
import {Ajv2020, type ErrorObject, type ValidateFunction} from 'ajv/dist/2020.js'
import standaloneModule from 'ajv/dist/standalone/index.js'
import addFormatsModule from 'ajv-formats'
import {ROOT, SCHEMAS_DIR} from './paths.js'
import type {Lang} from './i18n/index.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

let ajv: Ajv2020 | null = null
const cache = new Map<string, ValidateFunction>()

const standaloneCode = standaloneModule as unknown as (ajv: Ajv2020, v: ValidateFunction) => string
const requireHere = createRequire(import.meta.url)

export function newAjv(opts: {source?: boolean} = {}): Ajv2020 {
  const a = new Ajv2020({allErrors: true, strict: false, allowUnionTypes: true, ...(opts.source ? {code: {source: true, formats: _`require("ajv-formats/dist/formats").fullFormats`}} : {})})
  addFormats(a)
  return a
}

/** The names of standards/schemas/<name>.schema.json. */
export function SCHEMA_NAMES(): string[] {
  return readdirSync(SCHEMAS_DIR)
    .filter((n) => n.endsWith('.schema.json'))
    .map((n) => n.replace(/\.schema\.json$/, ''))
    .sort()
}

let folderHash: string | undefined
/** SHA-256 over the names and texts of every schema (they $ref each other). */
export function schemasHash(): string {
  if (!folderHash) {
    const h = createHash('sha256')
    for (const name of SCHEMA_NAMES()) h.update(name).update('\0').update(readFileSync(path.join(SCHEMAS_DIR, `${name}.schema.json`))).update('\0')
    folderHash = h.digest('hex')
  }
  return folderHash
}

/** The build's code for one validator (scripts/standards-cache.js), stamped with the folder hash. */
export function standaloneValidatorCode(name: string, hash: string): string {
  const a = newAjv({source: true})
  for (const n of SCHEMA_NAMES()) a.addSchema(loadSchema(n))
  const v = a.getSchema(loadSchema(name).$id as string)
  if (!v) throw new Error(`schema ${name} could not be compiled`)
  return `${standaloneCode(a, v)}\nmodule.exports.sourceHash = ${JSON.stringify(hash)};\n`
}

/** The build's compiled validator, when the schemas on disk are those it was built from. */
function prebuiltValidator(name: string): ValidateFunction | undefined {
  const file = path.join(ROOT, 'dist', 'schemas', `${name}.validate.cjs`)
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(file)) return undefined
  const mod = requireHere(file) as ValidateFunction & {sourceHash?: string}
  return mod.sourceHash === schemasHash() ? mod : undefined
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
  let v = cache.get(name) ?? prebuiltValidator(name)
  if (v) cache.set(name, v)
  else {
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

const localizeZh = requireHere('ajv-i18n/localize/zh') as (errors: ErrorObject[]) => void

/** A short human description of an ajv error, for messages; in Chinese (ajv-i18n) for zh-CN. */
export function describeAjvError(e: ErrorObject, lang: Lang = 'en'): string {
  const zh = lang === 'zh-CN'
  switch (e.keyword) {
    case 'required': {
      const p = (e.params as {missingProperty: string}).missingProperty
      return zh ? `缺少必填属性 "${p}"` : `missing required property "${p}"`
    }
    case 'additionalProperties': {
      const p = (e.params as {additionalProperty: string}).additionalProperty
      return zh ? `未知属性 "${p}"` : `unknown property "${p}"`
    }
    case 'enum': {
      const values = (e.params as {allowedValues: unknown[]}).allowedValues.map((v) => JSON.stringify(v)).join(', ')
      return zh ? `应当是以下值之一: ${values}` : `${e.message}: ${values}`
    }
    default: {
      if (!zh) return e.message ?? e.keyword
      const copy = [{...e}]
      localizeZh(copy)
      return copy[0].message ?? e.message ?? e.keyword
    }
  }
}
