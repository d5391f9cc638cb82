// WXML/AXML with htmlparser2 (XML mode, positions from the tokenizer): one pass per file keeps
// the facts the rules read, element by element, with a static cascade of the page's style
// sheets (font size, colours, tap-target size); the parse tree itself is never kept.
import {Parser} from 'htmlparser2'
import {backgroundColor, parseColor, parseInlineStyle, parseLength, type Units} from './style.js'
import {type CssRule} from '../../artifacts/miniprogram.js'
import {FORM_FIELDS, IMAGES, type ElementFact, type TemplateFacts} from '../../artifacts/miniprogram.js'

interface LineIndex {
  starts: number[]
}

function lineIndex(text: string): LineIndex {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return {starts}
}

function position(idx: LineIndex, offset: number): {line: number; column: number} {
  let lo = 0
  let hi = idx.starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (idx.starts[mid] <= offset) lo = mid
    else hi = mid - 1
  }
  return {line: lo + 1, column: offset - idx.starts[lo] + 1}
}

const BLOCK = new Set(['view', 'navigator', 'button', 'form', 'scroll-view', 'swiper', 'swiper-item', 'cover-view', 'movable-area', 'page', 'rich-text', 'radio-group', 'checkbox-group', 'picker-view'])
const BUILTIN = new Set([
  'view', 'text', 'image', 'button', 'navigator', 'block', 'template', 'import', 'include', 'scroll-view', 'swiper', 'swiper-item', 'icon', 'rich-text', 'progress', 'form',
  'input', 'textarea', 'picker', 'picker-view', 'picker-view-column', 'switch', 'slider', 'checkbox', 'checkbox-group', 'radio', 'radio-group', 'label', 'map', 'canvas',
  'video', 'audio', 'camera', 'live-player', 'live-pusher', 'web-view', 'cover-view', 'cover-image', 'movable-area', 'movable-view', 'page-meta', 'navigation-bar', 'wxs',
  'sjs', 'import-sjs', 'slot', 'match-media', 'editor', 'official-account', 'open-data', 'ad', 'ad-custom', 'page-container', 'root-portal', 'functional-page-navigator',
])
const TAP_ATTRS = ['bindtap', 'catchtap', 'bind:tap', 'catch:tap', 'ontap', 'catchtap', 'onTap', 'catchTap', 'bindlongpress', 'onLongTap']
const KEEP_ATTRS = new Set(['aria-label', 'aria-role', 'aria-hidden', 'aria-labelledby', 'open-type', 'url', 'id', 'for', 'src', 'scope', 'role', 'type', 'unit-id', 'class'])

interface Computed {
  fontPx: number | null
  fontWhy?: string
  bold: boolean
  color: [number, number, number, number] | null
  colorWhy?: string
  bg: [number, number, number, number] | null
  bgWhy?: string
  lineHeight: {px: number} | {multiplier: number} | null
  widthPx: number | null
}

interface Open {
  tag: string
  id?: string
  classes: string[]
  computed: Computed
  fact: ElementFact
  keep: boolean
  ownText: string
  allText: string
  hasImage: boolean
  offset: number
  /** Its entry in `navigators` (a navigator with a static url). */
  nav?: TemplateFacts['navigators'][number]
}

const short = (s: string) => (s.length > 80 ? s.slice(0, 79) + '…' : s)
const hex2 = (x: number) => {
  const s = Math.round(x).toString(16)
  return s.length < 2 ? '0' + s : s
}
const hex = (c: [number, number, number, number] | null) => (c ? '#' + hex2(c[0]) + hex2(c[1]) + hex2(c[2]) : null)

function blend(fg: [number, number, number, number], bg: [number, number, number, number]): [number, number, number, number] {
  const a = fg[3]
  return [fg[0] * a + bg[0] * (1 - a), fg[1] * a + bg[1] * (1 - a), fg[2] * a + bg[2] * (1 - a), 1]
}

interface Simple {
  tag: string
  id?: string
  classes: string[]
}

function compoundMatches(c: CssRule['chain'][number], e: Simple): boolean {
  if (c.tag && c.tag !== e.tag) return false
  if (c.id && c.id !== e.id) return false
  for (let i = 0; i < c.classes.length; i++) if (!e.classes.includes(c.classes[i])) return false
  return true
}

/** Whether the selector chain matches `el` under `ancestors` (outermost first; the open-element stack itself, never a copy). */
function matches(chain: CssRule['chain'], el: Simple, ancestors: readonly Simple[]): boolean {
  if (!compoundMatches(chain[chain.length - 1], el)) return false
  let ai = ancestors.length - 1
  for (let ci = chain.length - 2; ci >= 0; ci--) {
    const needChild = chain[ci + 1].child
    if (needChild) {
      if (ai < 0 || !compoundMatches(chain[ci], ancestors[ai])) return false
      ai--
    } else {
      while (ai >= 0 && !compoundMatches(chain[ci], ancestors[ai])) ai--
      if (ai < 0) return false
      ai--
    }
  }
  return true
}

interface Indexed {
  rule: CssRule
  /** Position in the sheet order: ties of specificity and order keep it (as a stable sort would). */
  at: number
}

/**
 * The rules bucketed by their subject (last) compound: by its id, else its first class, else its
 * tag, else `any`. An element can only match rules in the buckets of its own id, classes and tag,
 * so each element tests a handful of rules instead of every rule of the page.
 */
class RuleIndex {
  private byId = new Map<string, Indexed[]>()
  private byClass = new Map<string, Indexed[]>()
  private byTag = new Map<string, Indexed[]>()
  private any: Indexed[] = []

  constructor(rules: CssRule[]) {
    rules.forEach((rule, at) => {
      const last = rule.chain[rule.chain.length - 1]
      const entry = {rule, at}
      const put = (m: Map<string, Indexed[]>, k: string) => {
        const list = m.get(k)
        if (list) list.push(entry)
        else m.set(k, [entry])
      }
      if (last.id) put(this.byId, last.id)
      else if (last.classes.length) put(this.byClass, last.classes[0])
      else if (last.tag) put(this.byTag, last.tag)
      else this.any.push(entry)
    })
  }

  /** The rules matching `el`, in cascade order (specificity, then source order). */
  match(el: Simple, ancestors: readonly Simple[]): CssRule[] {
    const hits: Indexed[] = []
    const test = (list: Indexed[] | undefined) => {
      if (list) for (const x of list) if (matches(x.rule.chain, el, ancestors)) hits.push(x)
    }
    test(this.any)
    test(this.byTag.get(el.tag))
    if (el.id) test(this.byId.get(el.id))
    for (let i = 0; i < el.classes.length; i++) {
      // A class written twice looks its bucket up once.
      if (el.classes.indexOf(el.classes[i]) === i) test(this.byClass.get(el.classes[i]))
    }
    if (hits.length > 1) hits.sort((a, b) => a.rule.specificity - b.rule.specificity || a.rule.order - b.rule.order || a.at - b.at)
    return hits.map((x) => x.rule)
  }
}

function paddingPx(decls: Record<string, string>, side: 'top' | 'bottom', u: Units, font: number | null): number {
  const own = decls[`padding-${side}`]
  let v = own
  if (v === undefined && decls.padding !== undefined) {
    const parts = decls.padding.split(/\s+/)
    v = side === 'top' ? parts[0] : parts.length >= 3 ? parts[2] : parts[0]
  }
  const l = parseLength(v, u, font)
  return l && 'px' in l ? l.px : 0
}

/** Parses one template; `sheets` are the style rules in cascade order (app, then page or component). */
export function parseTemplate(text: string, rules: CssRule[], u: Units): TemplateFacts {
  const facts: TemplateFacts = {elements: [], syntax: [], urls: [], navigators: []}
  const idx = lineIndex(text)
  const pageRules = rules.filter((r) => r.chain.length === 1 && r.chain[0].tag === 'page' && !r.chain[0].classes.length && !r.chain[0].id)
  const rootDecls: Record<string, string> = {}
  for (const r of [...pageRules].sort((a, b) => a.specificity - b.specificity || a.order - b.order)) Object.assign(rootDecls, r.decls)
  const rootFont = parseLength(rootDecls['font-size'], {...u}, u.rootFontPx)
  const rootBg = parseColor(backgroundColor(rootDecls) ?? '#ffffff')
  const root: Computed = {
    fontPx: rootFont && 'px' in rootFont ? rootFont.px : 16,
    bold: false,
    color: parseColor(rootDecls.color ?? '#000000') ?? [0, 0, 0, 1],
    bg: rootBg && rootBg[3] > 0 ? blend(rootBg, [255, 255, 255, 1]) : [255, 255, 255, 1],
    lineHeight: null,
    widthPx: u.viewportPx,
  }
  const units: Units = {...u, rootFontPx: root.fontPx ?? u.rootFontPx}
  const stack: Open[] = []
  const rootRules = new Set(pageRules)
  const index = new RuleIndex(rules.filter((r) => !rootRules.has(r)))
  let labels = 0
  const checkMustache = (value: string, offset: number) => {
    // Left to right over the `{{` and `}}` pairs (the earlier of the two next ones each time).
    let depth = 0
    let open = value.indexOf('{{')
    let close = value.indexOf('}}')
    while (open !== -1 || close !== -1) {
      if (open !== -1 && (close === -1 || open < close)) {
        depth++
        const from = open + 2
        open = value.indexOf('{{', from)
        if (close !== -1 && close < from) close = value.indexOf('}}', from)
      } else {
        depth--
        if (depth < 0) break
        const from = close + 2
        close = value.indexOf('}}', from)
        if (open !== -1 && open < from) open = value.indexOf('{{', from)
      }
    }
    if (depth !== 0) facts.syntax.push({message: 'unbalanced {{ }}', ...position(idx, offset)})
  }

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const offset = parser.startIndex
        const pos = position(idx, offset)
        const tag = name.toLowerCase()
        for (const k in attribs) {
          const v = attribs[k]
          // Only values with `{{`/`}}` can be unbalanced, only values with `://` can be URLs.
          if (v.includes('{{') || v.includes('}}')) checkMustache(v, offset)
          if (v.includes('://') && /^[a-z][a-z0-9+.-]*:\/\//i.test(v.trim())) facts.urls.push({url: v.trim(), ...pos})
        }
        const parent = stack.length ? stack[stack.length - 1].computed : root
        const classAttr = attribs.class ?? ''
        const dynClass = classAttr.includes('{{')
        const classes = classAttr ? (dynClass ? classAttr.replace(/\{\{[\s\S]*?\}\}/g, ' ') : classAttr).split(/\s+/).filter(Boolean) : []
        const el = {tag, id: attribs.id && !attribs.id.includes('{{') ? attribs.id : undefined, classes}
        const decls: Record<string, string> = {}
        for (const r of index.match(el, stack)) Object.assign(decls, r.decls)
        const styleAttr = attribs.style ?? ''
        const dynStyle = styleAttr.includes('{{')
        if (styleAttr) Object.assign(decls, parseInlineStyle(styleAttr.replace(/\{\{[\s\S]*?\}\}/g, '0')))
        const dynWhy = dynClass || dynStyle ? 'dynamic class or style' : undefined
        // Font size: own declaration, else inherited; buttons default to 18px in both platforms' base styles.
        let fontPx: number | null = parent.fontPx
        let fontWhy = parent.fontWhy
        const fsDecl = decls['font-size'] ?? (tag === 'button' ? '18px' : undefined)
        if (fsDecl !== undefined) {
          const l = parseLength(fsDecl, units, parent.fontPx)
          if (l && 'px' in l) [fontPx, fontWhy] = [l.px, undefined]
          else if (l && 'percent' in l && parent.fontPx !== null) [fontPx, fontWhy] = [(parent.fontPx * l.percent) / 100, undefined]
          else [fontPx, fontWhy] = [null, `font-size: ${fsDecl}`]
        } else if (dynWhy && fontPx !== null) fontWhy = undefined
        const fw = decls['font-weight']
        const bold = fw !== undefined ? fw === 'bold' || fw === 'bolder' || Number(fw) >= 600 : parent.bold
        let color = parent.color
        let colorWhy = parent.colorWhy
        if (decls.color !== undefined) {
          const c = parseColor(decls.color)
          ;[color, colorWhy] = c ? [c, undefined] : [null, `color: ${decls.color}`]
        }
        let bg = parent.bg
        let bgWhy = parent.bgWhy
        const bgDecl = backgroundColor(decls)
        if (bgDecl !== undefined) {
          const c = bgDecl === 'image' ? null : parseColor(bgDecl)
          if (!c) [bg, bgWhy] = [null, bgDecl === 'image' ? 'background image or gradient' : `background: ${bgDecl}`]
          else if (c[3] > 0) [bg, bgWhy] = [parent.bg ? blend(c, parent.bg) : null, parent.bg ? undefined : parent.bgWhy]
        }
        let lineHeight: Computed['lineHeight'] = parent.lineHeight
        if (decls['line-height'] !== undefined) {
          const l = parseLength(decls['line-height'], units, fontPx)
          lineHeight = l && 'px' in l ? {px: l.px} : l && 'multiplier' in l ? {multiplier: l.multiplier} : l && 'percent' in l && fontPx !== null ? {px: (fontPx * l.percent) / 100} : null
        } else if (tag === 'button') lineHeight = {multiplier: 2.55555556}
        // Width: declared (px, rpx, % of the parent), else the parent's for block-level elements.
        const display = decls.display
        const blockish = display ? display === 'block' || display === 'flex' : BLOCK.has(tag)
        const lenPx = (v: string | undefined, base: number | null) => {
          const l = parseLength(v, units, fontPx)
          if (!l) return undefined
          if ('px' in l) return l.px
          if ('percent' in l && base !== null) return (base * l.percent) / 100
          return null
        }
        const wDecl = lenPx(decls.width, parent.widthPx)
        const minW = lenPx(decls['min-width'], parent.widthPx)
        let widthPx: number | null = wDecl !== undefined ? wDecl : blockish && display !== 'inline' ? parent.widthPx : null
        if (IMAGES.has(tag) && wDecl === undefined) widthPx = tag === 'icon' ? Number(attribs.size) || 23 : 320
        if (typeof minW === 'number') widthPx = Math.max(widthPx ?? 0, minW)
        const computed: Computed = {fontPx, fontWhy, bold, color, colorWhy, bg, bgWhy, lineHeight, widthPx}

        let tappable = tag === 'button' || tag === 'navigator' || 'open-type' in attribs
        for (let i = 0; !tappable && i < TAP_ATTRS.length; i++) tappable = TAP_ATTRS[i] in attribs
        const attrs: Record<string, string> = {}
        for (const k in attribs) {
          if (!KEEP_ATTRS.has(k) && !k.startsWith('aria-')) continue
          const v = attribs[k]
          attrs[k] = v.length > 200 ? v.slice(0, 200) : v
        }
        const fact: ElementFact = {tag, line: pos.line, column: pos.column, attrs}
        if (tappable) fact.tappable = true
        if (!BUILTIN.has(tag)) fact.custom = true
        if (labels > 0) fact.inLabel = true
        if (tappable) {
          const hDecl = lenPx(decls.height, null)
          const minH = lenPx(decls['min-height'], null)
          let h: number | null = null
          let why: string | undefined
          if (typeof hDecl === 'number' || typeof minH === 'number') h = Math.max(hDecl ?? 0, minH ?? 0)
          else if (lineHeight && fontPx !== null) h = ('px' in lineHeight ? lineHeight.px : lineHeight.multiplier * fontPx) + paddingPx(decls, 'top', units, fontPx) + paddingPx(decls, 'bottom', units, fontPx)
          else if (IMAGES.has(tag)) h = tag === 'icon' ? Number(attribs.size) || 23 : 240
          if (h === null) why = dynWhy ?? (hDecl === null ? `height: ${decls.height}` : 'no height, min-height or line-height')
          if (widthPx === null && !why) why = dynWhy ?? (wDecl === null ? `width: ${decls.width}` : 'inline element without a width')
          fact.size = {w: widthPx === null ? null : Math.round(widthPx * 10) / 10, h: h === null ? null : Math.round(h * 10) / 10, ...(why ? {why} : {})}
        }
        if (tag === 'page-meta') facts.pageMeta = {...pos, attrs: {...attribs}}
        let nav: TemplateFacts['navigators'][number] | undefined
        if (tag === 'navigator' && attribs.url && !attribs.url.includes('{{')) facts.navigators.push((nav = {url: attribs.url, text: '', ...pos}))
        const keep = tappable || fact.custom === true || IMAGES.has(tag) || FORM_FIELDS.has(tag) || tag === 'ad' || tag === 'ad-custom' || tag === 'label' || tag === 'camera'
        stack.push({tag, id: el.id, classes, computed, fact, keep, ownText: '', allText: '', hasImage: false, offset, nav})
        if (tag === 'label') labels++
        if (dynWhy) fact.dynamicStyle = true
      },
      ontext(data) {
        if (!stack.length) return
        const top = stack[stack.length - 1]
        top.ownText += data
        if (data.includes('{{')) checkMustache(data, parser.startIndex)
      },
      onclosetag(name, isImplied) {
        const o = stack.pop()
        if (!o) return
        if (o.tag === 'label') labels--
        // Closed by its own end tag or `/>`; anything else (end of file, a parent's end tag) was left open.
        const s0 = parser.startIndex
        const e0 = parser.endIndex
        const own = text.startsWith('</', s0) && text.slice(s0 + 2, s0 + 2 + name.length) === name
        const selfClosed = s0 === o.offset && text[e0] === '>' && text[e0 - 1] === '/'
        if (isImplied && !own && !selfClosed) facts.syntax.push({message: `<${name}> is not closed`, ...position(idx, o.offset)})
        // Most own text is the white space between child elements.
        const trimmed = o.ownText ? o.ownText.trim() : ''
        const ownText = trimmed ? trimmed.replace(/\s+/g, ' ') : ''
        // allText is '' or ' piece piece …' of normalised, non-empty pieces: no need to normalise it again.
        const all = ownText + (ownText ? o.allText : o.allText.slice(1))
        const parent = stack[stack.length - 1]
        if (parent) {
          if (all) parent.allText += ' ' + all
          if (IMAGES.has(o.tag) || o.hasImage) parent.hasImage = true
        }
        const f = o.fact
        const c = o.computed
        if (ownText) {
          f.text = short(ownText)
          if (ownText.includes('{{')) f.dynamicText = true
          f.font = {px: c.fontPx === null ? null : Math.round(c.fontPx * 10) / 10, bold: c.bold, ...(c.fontPx === null ? {why: c.fontWhy ?? 'unknown'} : {})}
          f.color = {fg: c.color && c.color[3] < 1 && c.bg ? hex(blend(c.color, c.bg)) : hex(c.color), bg: hex(c.bg), ...(c.color && c.bg ? {} : {why: c.colorWhy ?? c.bgWhy ?? 'unknown'})}
        }
        if (all) f.allText = short(all)
        if (o.hasImage) f.hasImage = true
        if (o.nav) o.nav.text = short(all)
        if (ownText || o.keep) facts.elements.push(f)
      },
    },
    {xmlMode: true, recognizeSelfClosing: true, decodeEntities: true},
  )
  parser.write(text)
  parser.end()
  facts.elements.sort((a, b) => a.line - b.line || a.column - b.column)
  return facts
}
