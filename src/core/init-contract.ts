// The starter contract `sjt init` writes next to sjt.yaml: every operation of the provincial
// contracts of the profile (standards/<profile>/contracts/*.openapi.yaml) in one OpenAPI 3.1 file,
// with the shared envelope inlined, an error response on each operation and a bearer scheme, so
// that it passes `sjt check contract` as it stands; the app adds its own operations to it.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {parse as parseYaml, stringify} from 'yaml'
import {STANDARDS_DIR} from '../lib/paths.js'
import type {Lang} from './types.js'
import {t, type MessageKey} from '../lib/i18n/index.js'

/** Rewrites `./envelope.openapi.yaml#/components/schemas/X` (and any other provincial file) to a local `#/components/schemas/X`. */
function localRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(localRefs)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = k === '$ref' && typeof x === 'string' ? x.replace(/^\.\/[\w.-]+\.ya?ml(?=#)/, '') : localRefs(x)
    return out
  }
  return v
}

export function starterContract(opts: {title: string; version: string; server: string; lang: Lang; profile?: string}): string {
  const dir = path.join(STANDARDS_DIR, opts.profile ?? 'shanxi-2022', 'contracts')
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.openapi.yaml')).sort() : []
  const paths: Record<string, Record<string, Record<string, unknown>>> = {}
  const schemas: Record<string, unknown> = {}
  for (const f of files) {
    const doc = parseYaml(readFileSync(path.join(dir, f), 'utf8')) as {paths?: Record<string, Record<string, Record<string, unknown>>>; components?: {schemas?: Record<string, unknown>}}
    Object.assign(schemas, localRefs(doc.components?.schemas ?? {}))
    for (const [p, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item)) {
        const o = localRefs(op) as Record<string, any>
        const error = (key: MessageKey) => ({
          description: t(opts.lang, key),
          content: {'application/json': {schema: {$ref: '#/components/schemas/ErrorEnvelope'}}},
        })
        o.responses = {...o.responses, '400': error('init.contract.badRequest'), '503': error('init.contract.unavailable')}
        paths[p] = {...paths[p], [method]: o}
      }
    }
  }
  const doc = {
    openapi: '3.1.0',
    info: {title: opts.title, version: opts.version},
    servers: [{url: opts.server}],
    security: [{bearerAuth: []}],
    paths,
    components: {schemas, securitySchemes: {bearerAuth: {type: 'http', scheme: 'bearer'}}},
  }
  const head = t(opts.lang, 'init.contract.head', {profile: opts.profile ?? 'shanxi-2022'})
  return head + stringify(doc, {lineWidth: 0, aliasDuplicateObjects: false})
}
