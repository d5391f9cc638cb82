// Mini-program JavaScript with acorn (locations on): platform API uses (`wx.x` / `my.x`), URL
// literals, literals that look like credentials, and reads of the font-size setting. Only these
// facts leave the function; the syntax tree is dropped with it.
import {parse, type Node} from 'acorn'
import {type ScriptFacts} from '../../artifacts/miniprogram.js'

const SECRET_NAME = /(secret|private_?key|privatekey|access_?token|accesstoken|api_?key|apikey|app_?key|appkey|password|passwd|token|access_?key)/i
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i

function preview(v: string): string {
  return v.length <= 6 ? '***' : `${v.slice(0, 2)}…${v.slice(-2)}`
}

type AnyNode = Node & Record<string, any>

function nameOf(n: AnyNode | null | undefined): string | undefined {
  if (!n) return undefined
  if (n.type === 'Identifier') return n.name
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value
  if (n.type === 'MemberExpression') return nameOf(n.computed ? n.property : n.property)
  return undefined
}

/** Parses one script (module first, then script); a syntax error is returned with its position. */
export function parseScript(text: string, namespaces: string[]): ScriptFacts {
  const facts: ScriptFacts = {apis: [], urls: [], secrets: [], fontSetting: []}
  let ast: AnyNode
  try {
    ast = parse(text, {ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: true, allowReturnOutsideFunction: true}) as AnyNode
  } catch {
    try {
      ast = parse(text, {ecmaVersion: 'latest', sourceType: 'script', locations: true, allowHashBang: true, allowReturnOutsideFunction: true}) as AnyNode
    } catch (error) {
      const loc = (error as {loc?: {line: number; column: number}}).loc
      facts.syntax = {message: String((error as Error).message).replace(/ \(\d+:\d+\)$/, ''), line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1}
      return facts
    }
  }
  const at = (n: AnyNode) => ({line: n.loc!.start.line, column: n.loc!.start.column + 1})
  const literalSecret = (name: string | undefined, value: AnyNode | null | undefined) => {
    if (!name || !value || !SECRET_NAME.test(name)) return
    const v = value.type === 'Literal' && typeof value.value === 'string' ? value.value : value.type === 'TemplateLiteral' && value.expressions.length === 0 ? value.quasis[0].value.cooked : undefined
    if (typeof v === 'string' && v.length > 0) facts.secrets.push({name, length: v.length, preview: preview(v), digits: /\d/.test(v), spaces: /\s/.test(v), ...at(value)})
  }
  const strings = (v: string, n: AnyNode) => {
    const s = v.trim()
    if (SCHEME.test(s)) facts.urls.push({url: s.length > 300 ? s.slice(0, 300) : s, ...at(n)})
    if (s.includes('-----BEGIN') && s.includes('PRIVATE KEY')) facts.secrets.push({name: 'PEM', length: s.length, preview: '-----BEGIN …', pem: true, ...at(n)})
  }
  // An explicit stack instead of recursion: deeply nested bundles cannot overflow the call stack.
  const todo: AnyNode[] = [ast]
  while (todo.length) {
    const n = todo.pop()!
    switch (n.type) {
      case 'MemberExpression': {
        const obj = n.object as AnyNode
        if (obj.type === 'Identifier' && namespaces.includes(obj.name)) {
          const api = nameOf(n.computed ? n.property : n.property)
          if (api && (!n.computed || (n.property as AnyNode).type === 'Literal')) facts.apis.push({ns: obj.name, api, ...at(n.property as AnyNode)})
        }
        if (nameOf(n.property) === 'fontSizeSetting' && !n.computed) facts.fontSetting.push(at(n.property as AnyNode))
        break
      }
      case 'Property':
        if (nameOf(n.key) === 'fontSizeSetting') facts.fontSetting.push(at(n.key))
        literalSecret(nameOf(n.key), n.value)
        break
      case 'VariableDeclarator':
        literalSecret(nameOf(n.id), n.init)
        break
      case 'AssignmentExpression':
        literalSecret(nameOf(n.left), n.right)
        break
      case 'Literal':
        if (typeof n.value === 'string') strings(n.value, n)
        break
      case 'TemplateElement':
        if (typeof n.value?.cooked === 'string') strings(n.value.cooked, n)
        break
      default:
        break
    }
    for (const key of Object.keys(n)) {
      if (key === 'loc' || key === 'start' || key === 'end') continue
      const v = n[key]
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) if (v[i] && typeof v[i].type === 'string') todo.push(v[i])
      } else if (v && typeof v === 'object' && typeof v.type === 'string') todo.push(v)
    }
  }
  facts.apis.sort((a, b) => a.line - b.line || a.column - b.column)
  return facts
}
