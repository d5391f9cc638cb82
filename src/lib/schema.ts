// JSON Schema validation (draft 2020-12) with ajv + ajv-formats; compiled validators are cached.
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {createRequire} from 'node:module'
import {Ajv2020, type ErrorObject, type ValidateFunction} from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import {SCHEMAS_DIR} from './paths.js'
import type {Lang} from './i18n/index.js'

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

const localizeZh = createRequire(import.meta.url)('ajv-i18n/localize/zh') as (errors: ErrorObject[]) => void

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
