// Validates requests and responses against standards/review-api.openapi.yaml with ajv: the status
// must be documented for the operation, the content type must match, and the body must fit the
// schema. Used by every review test through the server's `observe` hook and by the client tests.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {parse} from 'yaml'
import {newAjv} from '../../src/lib/schema.js'
import {ROOT} from '../helpers/cli.js'

const FILE = path.join(ROOT, 'standards', 'review-api.openapi.yaml')

export interface Contract {
  doc: any
  /** Problems with one answered request; empty when it fits the contract. */
  check(x: {method: string; path: string; status: number; contentType: string; requestBody?: unknown; responseBody: unknown; headers?: Record<string, string>}): string[]
  /** Every operation as "METHOD /template". */
  operations(): string[]
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

export function loadContract(): Contract {
  const doc = parse(readFileSync(FILE, 'utf8'))
  const ajv = newAjv()
  ajv.addSchema(doc, 'api', undefined, false)
  const templates = Object.keys(doc.paths).map((tpl) => ({tpl, re: new RegExp('^' + tpl.replace(/\{\w+\}/g, '[^/]+') + '$')}))

  function findOp(method: string, p: string): {tpl: string; op: any} | null {
    // Literal paths win over templated ones (/v1/apps/x/history is not /v1/apps/{appId}).
    const hits = templates.filter((t) => t.re.test(p)).sort((a, b) => (a.tpl.match(/\{/g)?.length ?? 0) - (b.tpl.match(/\{/g)?.length ?? 0))
    for (const h of hits) {
      const op = doc.paths[h.tpl][method.toLowerCase()]
      if (op) return {tpl: h.tpl, op}
    }
    return null
  }

  function validate(pointer: string, value: unknown): string[] {
    const v = ajv.getSchema(`api#${pointer}`)
    if (!v) return [`no schema at ${pointer}`]
    if (v(value)) return []
    return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`)
  }

  return {
    doc,
    operations: () => Object.entries(doc.paths).flatMap(([tpl, ops]: [string, any]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${tpl}`)),
    check(x) {
      const found = findOp(x.method, x.path)
      if (!found) {
        // Only a problem answer (404, 405) may come from outside the contract's operations.
        if (x.status >= 400 && x.contentType.startsWith('application/problem+json')) return validate('/components/schemas/Problem', x.responseBody).map((e) => `${x.method} ${x.path} → ${x.status} ${e}`)
        return [`${x.method} ${x.path}: no such operation in the contract`]
      }
      const where = `${x.method} ${found.tpl} → ${x.status}`
      const out: string[] = []
      const opPtr = `/paths/${esc(found.tpl)}/${x.method.toLowerCase()}`
      // A request the server accepted must fit the contract (refused ones are refused for not fitting).
      if (x.requestBody !== undefined && found.op.requestBody && x.status < 400) {
        const ct = Object.keys(found.op.requestBody.content)[0]
        out.push(...validate(`${opPtr}/requestBody/content/${esc(ct)}/schema`, x.requestBody).map((e) => `${where} request ${e}`))
      }
      let resp = found.op.responses[String(x.status)]
      let respPtr = `${opPtr}/responses/${x.status}`
      if (!resp) return [...out, `${where}: status not documented`]
      if (resp.$ref) {
        respPtr = resp.$ref.slice(1)
        resp = resp.$ref
          .slice(2)
          .split('/')
          .reduce((o: any, k: string) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
      }
      const types = Object.keys(resp.content ?? {})
      const ct = x.contentType.split(';')[0].trim()
      if (!types.includes(ct)) return [...out, `${where}: content type ${ct} is not one of ${types.join(', ')}`]
      for (const [h, spec] of Object.entries(resp.headers ?? {}) as Array<[string, any]>) {
        if (h === 'Retry-After' || h === 'WWW-Authenticate' || spec.required) {
          if (x.headers && !Object.keys(x.headers).some((k) => k.toLowerCase() === h.toLowerCase())) out.push(`${where}: header ${h} missing`)
        }
      }
      if (ct.endsWith('json')) out.push(...validate(`${respPtr}/content/${esc(ct)}/schema`, x.responseBody).map((e) => `${where} ${e}`))
      return out
    },
  }
}
