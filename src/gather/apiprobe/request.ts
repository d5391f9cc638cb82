// Request synthesis: the URL, headers and JSON body of one operation, from its parameters' and
// request body's examples or, failing those, values built from their schemas.
import {child, deref, isObj, type Docs, type Node, type Operation} from '../../lib/openapi/model.js'
import {sampleValue} from './sample.js'

interface BuiltRequest {
  url: string
  headers: Record<string, string>
  body?: string
  synthesised: boolean
}

function paramValue(docs: Docs, p: {node: Node; schema: Node | null}): {value: unknown; from: 'example' | 'schema'} | undefined {
  const v = p.node.value
  if (isObj(v)) {
    if ('example' in v) return {value: v.example, from: 'example'}
    if (isObj(v.examples)) {
      for (const k of Object.keys(v.examples)) {
        const ex = deref(docs, child(docs, child(docs, p.node, 'examples'), k))
        if (ex && isObj(ex.value) && 'value' in ex.value) return {value: ex.value.value, from: 'example'}
      }
    }
  }
  const s = deref(docs, p.schema)
  if (s && isObj(s.value) && ('example' in s.value || Array.isArray(s.value.examples) || 'default' in s.value || Array.isArray(s.value.enum) || 'const' in s.value)) {
    return {value: sampleValue(docs, s), from: 'example'}
  }
  const value = sampleValue(docs, p.schema)
  return value === undefined ? undefined : {value, from: 'schema'}
}

export function bodyFor(docs: Docs, op: Operation): {body?: string; type?: string; ok: boolean} {
  const rb = deref(docs, child(docs, op.node, 'requestBody'))
  if (!rb) return {ok: true}
  const content = child(docs, rb, 'content')
  const mt = content && isObj(content.value) ? Object.keys(content.value).find((k) => /json/i.test(k)) : undefined
  if (!mt) return {ok: rb.value?.required !== true}
  const media = child(docs, content, mt)
  let value: unknown
  if (isObj(media?.value) && 'example' in media!.value) value = media!.value.example
  else if (isObj(media?.value?.examples)) {
    const first = Object.keys(media!.value.examples)[0]
    const ex = deref(docs, child(docs, child(docs, media, 'examples'), first))
    value = isObj(ex?.value) ? ex!.value.value : undefined
  } else value = sampleValue(docs, child(docs, media, 'schema'))
  if (value === undefined) return {ok: false}
  return {ok: true, body: JSON.stringify(value), type: mt}
}

export function buildRequest(docs: Docs, op: Operation, base: string): BuiltRequest | null {
  let p = op.relPath
  const query = new URLSearchParams()
  const headers: Record<string, string> = {accept: 'application/json, */*;q=0.5'}
  let synthesised = false
  for (const param of op.params) {
    const needed = param.in === 'path' || param.required
    const got = paramValue(docs, param)
    if (!got) {
      if (needed) return null
      continue
    }
    if (!needed && got.from !== 'example') continue
    if (got.from === 'schema') synthesised = true
    const text = typeof got.value === 'string' ? got.value : Array.isArray(got.value) ? got.value.join(',') : JSON.stringify(got.value)
    if (param.in === 'path') p = p.split(`{${param.name}}`).join(encodeURIComponent(text))
    else if (param.in === 'query') query.set(param.name, text)
    else if (param.in === 'header') headers[param.name.toLowerCase()] = text
    else if (param.in === 'cookie') headers.cookie = (headers.cookie ? headers.cookie + '; ' : '') + `${param.name}=${encodeURIComponent(text)}`
  }
  if (/\{[^}]*\}/.test(p)) return null
  const url = base.replace(/\/+$/, '') + (p.startsWith('/') ? p : '/' + p) + (query.size ? '?' + query.toString() : '')
  return {url, headers, synthesised}
}
