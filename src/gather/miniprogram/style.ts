// WXSS/ACSS with postcss: the rules a static cascade needs (simple selectors and the properties
// the elder, tap-target and contrast rules read), and value conversion to CSS px at the design
// width (750 rpx = the 375 px viewport by default).
import postcss, {CssSyntaxError} from 'postcss'
import {type Compound, type CssRule} from '../../artifacts/miniprogram.js'

/** Properties kept from style sheets; everything else is dropped after parsing. */
const KEPT = new Set([
  'font-size', 'font-weight', 'color', 'background-color', 'background', 'width', 'height', 'min-width', 'min-height', 'max-width', 'max-height',
  'padding', 'padding-top', 'padding-bottom', 'padding-left', 'padding-right', 'line-height', 'display', 'position',
])

export interface StyleSheet {
  rules: CssRule[]
  imports: Array<{path: string; line: number; column: number}>
}

export interface SyntaxProblem {
  message: string
  line: number
  column: number
}

let orderSeq = 0

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
/** [A-Za-z0-9_-] */
const isNameChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 45

/** A selector we can match statically, or null (pseudo-classes, attributes, siblings, `*`). */
function parseSelector(sel: string): CssRule['chain'] | null {
  const chain: CssRule['chain'] = []
  let i = 0
  let child = false
  const s = sel.trim()
  while (i < s.length) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\t')) i++
    if (s[i] === '>') {
      child = true
      i++
      continue
    }
    if (i >= s.length) break
    const c: Compound & {child?: boolean} = {classes: []}
    if (child) c.child = true
    child = false
    let any = false
    while (i < s.length && s[i] !== ' ' && s[i] !== '>' && s[i] !== '\n' && s[i] !== '\t') {
      const ch = s[i]
      if (ch === '.' || ch === '#') {
        let j = i + 1
        while (j < s.length && isNameChar(s.charCodeAt(j))) j++
        const name = s.slice(i + 1, j)
        if (!name) return null
        if (ch === '.') c.classes.push(name)
        else c.id = name
        i = j
        any = true
      } else if (isLetter(s.charCodeAt(i))) {
        let j = i
        while (j < s.length && isNameChar(s.charCodeAt(j))) j++
        c.tag = s.slice(i, j).toLowerCase()
        i = j
        any = true
      } else return null
    }
    if (!any) return null
    chain.push(c)
  }
  return chain.length ? chain : null
}

function specificityOf(chain: CssRule['chain']): number {
  let n = 0
  for (const c of chain) n += (c.id ? 10000 : 0) + c.classes.length * 100 + (c.tag ? 1 : 0)
  return n
}

/** Parses a style sheet; a syntax error is returned with its position, never thrown. */
export function parseStyleSheet(text: string, file: string): {sheet: StyleSheet; error?: SyntaxProblem} {
  const sheet: StyleSheet = {rules: [], imports: []}
  let root
  try {
    root = postcss.parse(text, {from: undefined})
  } catch (error) {
    if (error instanceof CssSyntaxError) return {sheet, error: {message: error.reason, line: error.line ?? 1, column: error.column ?? 1}}
    return {sheet, error: {message: (error as Error).message, line: 1, column: 1}}
  }
  root.walkAtRules('import', (at) => {
    const p = at.params.trim().replace(/;$/, '')
    const q = p[0]
    const v = (q === '"' || q === "'") && p.endsWith(q) ? p.slice(1, -1) : p
    sheet.imports.push({path: v, line: at.source?.start?.line ?? 1, column: at.source?.start?.column ?? 1})
  })
  root.walkRules((rule) => {
    // Rules inside @media or @supports depend on the device: left out of the static cascade.
    if (rule.parent && rule.parent.type === 'atrule') return
    const decls: Record<string, string> = {}
    rule.each((d) => {
      if (d.type === 'decl' && KEPT.has(d.prop.toLowerCase())) decls[d.prop.toLowerCase()] = d.value.trim()
    })
    if (Object.keys(decls).length === 0) return
    for (const sel of rule.selectors) {
      const chain = parseSelector(sel)
      if (!chain) continue
      sheet.rules.push({chain, specificity: specificityOf(chain), order: orderSeq++, decls, file, line: rule.source?.start?.line ?? 1, column: rule.source?.start?.column ?? 1})
    }
  })
  return {sheet}
}

/** Declarations of a `style` attribute, parsed with postcss; dynamic (`{{…}}`) values are kept as such. */
export function parseInlineStyle(style: string): Record<string, string> {
  const out: Record<string, string> = {}
  try {
    const root = postcss.parse(`x{${style}}`, {from: undefined})
    root.walkDecls((d) => {
      if (KEPT.has(d.prop.toLowerCase())) out[d.prop.toLowerCase()] = d.value.trim()
    })
  } catch {
    // An unparseable inline style contributes nothing; the template rule reports dynamic values.
  }
  return out
}

export interface Units {
  /** Viewport width in CSS px (375) and the design width rpx are drawn at (750). */
  viewportPx: number
  designWidth: number
  rootFontPx: number
}

export type Length = {px: number} | {percent: number} | {multiplier: number} | {unknown: string}

/** One length: px, rpx, em (given the parent font size), rem, %, or a bare number (line-height). */
export function parseLength(v: string | undefined, u: Units, emBase: number | null): Length | undefined {
  if (v === undefined) return undefined
  const s = v.trim().toLowerCase().replace(/\s*!important$/, '')
  if (s.includes('{{') || s.includes('var(') || s.includes('calc(') || s.includes('env(')) return {unknown: s}
  if (s === '0') return {px: 0}
  const n = parseFloat(s)
  if (Number.isNaN(n)) return {unknown: s}
  const unit = s.replace(/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/, '').trim()
  switch (unit) {
    case 'px':
      return {px: n}
    case 'rpx':
      return {px: (n * u.viewportPx) / u.designWidth}
    case 'rem':
      return {px: n * u.rootFontPx}
    case 'em':
      return emBase === null ? {unknown: s} : {px: n * emBase}
    case '%':
      return {percent: n}
    case 'vw':
      return {px: (n * u.viewportPx) / 100}
    case '':
      return {multiplier: n}
    default:
      return {unknown: s}
  }
}

const NAMED: Record<string, [number, number, number]> = {
  black: [0, 0, 0], white: [255, 255, 255], red: [255, 0, 0], green: [0, 128, 0], blue: [0, 0, 255], gray: [128, 128, 128], grey: [128, 128, 128],
  silver: [192, 192, 192], yellow: [255, 255, 0], orange: [255, 165, 0], navy: [0, 0, 128], maroon: [128, 0, 0], purple: [128, 0, 128], teal: [0, 128, 128],
  lightgray: [211, 211, 211], lightgrey: [211, 211, 211], darkgray: [169, 169, 169], darkgrey: [169, 169, 169], whitesmoke: [245, 245, 245],
}

/** A colour as [r, g, b, alpha], or null when not statically resolvable. */
export function parseColor(v: string | undefined): [number, number, number, number] | null {
  if (!v) return null
  const s = v.trim().toLowerCase().replace(/\s*!important$/, '')
  if (s === 'transparent') return [0, 0, 0, 0]
  if (NAMED[s]) return [...NAMED[s], 1]
  if (s.startsWith('#')) {
    const h = s.slice(1)
    if (!/^[0-9a-f]+$/.test(h)) return null
    if (h.length === 3 || h.length === 4) {
      const p = [...h].map((c) => parseInt(c + c, 16))
      return [p[0], p[1], p[2], h.length === 4 ? p[3] / 255 : 1]
    }
    if (h.length === 6 || h.length === 8) {
      const p = [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16))
      return [p[0], p[1], p[2], h.length === 8 ? p[3] / 255 : 1]
    }
    return null
  }
  const fn = s.startsWith('rgba(') ? s.slice(5) : s.startsWith('rgb(') ? s.slice(4) : null
  if (fn !== null && fn.endsWith(')')) {
    const parts = fn.slice(0, -1).split(/[\s,/]+/).filter(Boolean).map(Number)
    if (parts.length < 3 || parts.some(Number.isNaN)) return null
    return [parts[0], parts[1], parts[2], parts[3] ?? 1]
  }
  return null
}

/** The background colour of a `background` shorthand when it is a plain colour; null for images and gradients. */
export function backgroundColor(decls: Record<string, string>): string | undefined {
  if (decls['background-color']) return decls['background-color']
  const b = decls.background
  if (!b) return undefined
  if (b.includes('url(') || b.includes('gradient(')) return 'image'
  return b
}
