// Elder-mode facts of a rendered page (MIIT 适老化), measured in the browser, never guessed from
// CSS source: rendered font sizes of visible text weighted by the characters they carry, line
// heights and paragraph gaps, text contrast against the alpha-composited background, the box of
// every visible interactive element, overlays and their close controls, ad signals, lure
// buttons, the 长辈版 switch, image captchas and their alternatives, and the links of the page.
// Sizes are in CSS px, which stand for dp/pt in the 375-px mobile viewport (spec/rules.md).
// Facts only; thresholds and word lists are rule params, applied in src/audits/elder.
import type {HTTPRequest, Page} from 'puppeteer-core'
import {isolatedWorld} from '../isolated.js'
import type {PageProbe} from '../page-types.js'
import {type Rect, type TextBlockFact, type IconFact, type ElderFacts} from '../../artifacts/page.js'

/** An icon found in the page, marked `data-sjt-icon="<index>"` for the screenshot that measures it. */
interface IconBox {
  selector: string
  kind: IconFact['kind']
  index: number
}

/** Runs inside the page. Kept free of imports and closures over module scope. */
function measure(): Omit<ElderFacts, 'requestHosts' | 'icons'> & {iconBoxes: IconBox[]} {
  const vw = window.innerWidth
  const vh = window.innerHeight
  const scale = window.visualViewport?.scale || 1
  const round = (n: number) => Math.round(n * 100) / 100
  // Sizes are CSS px: spec/rules.md lets one CSS px stand for one dp/pt (the page's zoom is kept in `scale`).
  const dp = (n: number) => round(n)
  const rectOf = (r: DOMRect): Rect => ({x: dp(r.left), y: dp(r.top), w: dp(r.width), h: dp(r.height)})
  const snippet = (s: string, n = 40) => s.replace(/\s+/g, ' ').trim().slice(0, n)

  const selectorOf = (el: Element): string => {
    const parts: string[] = []
    let cur: Element | null = el
    while (cur && cur.nodeType === 1 && parts.length < 5) {
      if (cur.id && /^[A-Za-z][\w-]*$/.test(cur.id) && document.querySelectorAll('#' + cur.id).length === 1) {
        parts.unshift('#' + cur.id)
        break
      }
      const tag = cur.tagName.toLowerCase()
      if (tag === 'html' || tag === 'body') {
        parts.unshift(tag)
        break
      }
      const parent: Element | null = cur.parentElement
      let part = tag
      if (parent) {
        const same = Array.from(parent.children).filter((c) => c.tagName === cur!.tagName)
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(cur) + 1})`
      }
      parts.unshift(part)
      cur = parent
    }
    return parts.join(' > ')
  }

  const visible = (el: Element): boolean => {
    const anyEl = el as Element & {checkVisibility?: (o: object) => boolean}
    if (anyEl.checkVisibility && !anyEl.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true})) return false
    const r = el.getBoundingClientRect()
    return r.width > 0 && r.height > 0
  }

  // Colours → [r, g, b, a] through a 1×1 canvas, so every CSS colour syntax works.
  const canvas = document.createElement('canvas')
  canvas.width = canvas.height = 1
  const g = canvas.getContext('2d', {willReadFrequently: true})!
  const colorCache = new Map<string, number[]>()
  const rgba = (c: string): number[] => {
    const hit = colorCache.get(c)
    if (hit) return hit
    let out: number[]
    const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(c)
    if (m) {
      const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4])
      out = [+m[1], +m[2], +m[3], a]
    } else if (c === 'transparent') out = [0, 0, 0, 0]
    else {
      g.clearRect(0, 0, 1, 1)
      g.fillStyle = '#000'
      g.fillStyle = c
      g.fillRect(0, 0, 1, 1)
      const d = g.getImageData(0, 0, 1, 1).data
      out = [d[0], d[1], d[2], d[3] / 255]
    }
    colorCache.set(c, out)
    return out
  }
  const over = (top: number[], below: number[]): number[] => {
    const a = top[3]
    return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1]
  }
  const lum = (c: number[]) => {
    const f = (v: number) => {
      const s = v / 255
      return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2])
  }
  const hex = (c: number[]) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')

  // Effective background: the element's and its ancestors' background colours composited down to
  // the white canvas. A background image or gradient on the way makes it undeterminable.
  const background = (el: Element): {color: number[] | null; undetermined?: 'image' | 'gradient'} => {
    const layers: number[][] = []
    let opacity = 1
    for (let cur: Element | null = el; cur; cur = cur.parentElement) {
      const cs = getComputedStyle(cur)
      opacity *= parseFloat(cs.opacity) || 0
      if (cs.backgroundImage && cs.backgroundImage !== 'none') return {color: null, undetermined: /gradient/.test(cs.backgroundImage) ? 'gradient' : 'image'}
      const c = rgba(cs.backgroundColor)
      if (c[3] > 0) layers.push(c)
      if (c[3] >= 1) break
    }
    let color = [255, 255, 255, 1]
    for (let i = layers.length - 1; i >= 0; i--) color = over(layers[i], color)
    return {color: [...color.slice(0, 3), opacity]}
  }

  const lhCache = new Map<string, number>()
  const lineHeightOf = (cs: CSSStyleDeclaration): number => {
    const v = parseFloat(cs.lineHeight)
    if (!Number.isNaN(v) && cs.lineHeight.endsWith('px')) return v
    const key = `${cs.fontFamily}|${cs.fontSize}|${cs.fontWeight}|${cs.fontStyle}|${cs.lineHeight}`
    const hit = lhCache.get(key)
    if (hit) return hit
    const probe = document.createElement('div')
    probe.style.cssText = 'position:absolute;visibility:hidden;left:-9999px;top:0;padding:0;border:0;margin:0;white-space:nowrap'
    probe.style.fontFamily = cs.fontFamily
    probe.style.fontSize = cs.fontSize
    probe.style.fontWeight = cs.fontWeight
    probe.style.fontStyle = cs.fontStyle
    probe.style.lineHeight = cs.lineHeight
    probe.innerHTML = '国Ag<br>国Ag'
    document.body.appendChild(probe)
    const h = probe.getBoundingClientRect().height / 2
    probe.remove()
    lhCache.set(key, h)
    return h
  }

  const INTERACTIVE = 'a[href],button,input:not([type="hidden"]),select,textarea,summary,label,[role="button"],[role="link"],[role="menuitem"],[role="tab"],[onclick],[tabindex]'
  const isInteractive = (el: Element): boolean => {
    if (!el.matches(INTERACTIVE)) return false
    if (el.hasAttribute('tabindex') && !el.matches('a[href],button,input,select,textarea,[role],[onclick]')) return Number(el.getAttribute('tabindex')) >= 0
    return true
  }

  // TEXT: every visible text node, grouped by its element.
  const byEl = new Map<Element, number>()
  const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT)
  const range = document.createRange()
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue ?? ''
    const chars = text.replace(/\s+/g, '').length
    if (!chars) continue
    const el = n.parentElement
    if (!el || el.closest('script,style,noscript,template,svg title')) continue
    if (!visible(el)) continue
    range.selectNodeContents(n)
    const r = range.getBoundingClientRect()
    if (r.width <= 1 || r.height <= 1) continue
    byEl.set(el, (byEl.get(el) ?? 0) + chars)
  }
  const hist = new Map<number, number>()
  let totalChars = 0
  let largest: ElderFacts['text']['largest'] = null
  const blocks: TextBlockFact[] = []
  for (const [el, chars] of byEl) {
    const cs = getComputedStyle(el)
    const fontSize = dp(parseFloat(cs.fontSize))
    totalChars += chars
    hist.set(fontSize, (hist.get(fontSize) ?? 0) + chars)
    const text = snippet((el as HTMLElement).innerText ?? el.textContent ?? '')
    if (!largest || fontSize > largest.size) largest = {size: fontSize, selector: selectorOf(el), text}
    const fg = rgba(cs.color)
    const bg = background(el)
    let contrast: number | null = null
    let bgHex: string | null = null
    if (bg.color) {
      const base = [bg.color[0], bg.color[1], bg.color[2], 1]
      const f = over([fg[0], fg[1], fg[2], fg[3] * bg.color[3]], base)
      const l1 = lum(f)
      const l2 = lum(base)
      // Floored to two decimals, so 4.496 never shows (or passes) as 4.5.
      contrast = Math.floor(((Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)) * 100) / 100
      bgHex = hex(base)
    }
    blocks.push({
      selector: selectorOf(el),
      text,
      chars,
      fontSize,
      bold: parseInt(cs.fontWeight, 10) >= 700,
      lineHeight: dp(lineHeightOf(cs)),
      interactive: Boolean(el.closest('a,button,label,select,textarea,input,summary,[role="button"],[role="link"],[onclick]')),
      contrast,
      fg: hex(fg) + (fg[3] < 1 ? ` α${round(fg[3])}` : ''),
      bg: bgHex,
      ...(bg.undetermined ? {undetermined: bg.undetermined} : {}),
    })
  }
  blocks.sort((a, b) => b.chars - a.chars)

  // PARAGRAPHS: adjacent sibling text blocks stacked vertically.
  const isPara = (el: Element): boolean => {
    if (!visible(el)) return false
    const d = getComputedStyle(el).display
    if (d !== 'block' && d !== 'flow-root') return false
    if (el.tagName === 'P') return true
    if (!/^(DIV|SECTION|ARTICLE|BLOCKQUOTE|DD)$/.test(el.tagName)) return false
    const hasText = Array.from(el.childNodes).some((c) => c.nodeType === 3 && (c.nodeValue ?? '').trim())
    const hasBlock = Array.from(el.children).some((c) => !/^inline/.test(getComputedStyle(c).display))
    return hasText && !hasBlock
  }
  const paragraphs: ElderFacts['text']['paragraphs'] = []
  for (const p of Array.from(document.querySelectorAll('p,div,section,article,blockquote,dd'))) {
    if (paragraphs.length >= 200) break
    if (!isPara(p)) continue
    let next = p.nextElementSibling
    while (next && !visible(next)) next = next.nextElementSibling
    if (!next || !isPara(next)) continue
    const a = p.getBoundingClientRect()
    const b = next.getBoundingClientRect()
    if (b.top < a.bottom - 1) continue
    paragraphs.push({a: selectorOf(p), b: selectorOf(next), gap: dp(b.top - a.bottom), lineHeightA: dp(lineHeightOf(getComputedStyle(p))), lineHeightB: dp(lineHeightOf(getComputedStyle(next)))})
  }

  // TARGETS: every visible interactive element; a control's label counts as part of its target.
  const targets: ElderFacts['targets'] = []
  for (const el of Array.from(document.querySelectorAll(INTERACTIVE))) {
    if (targets.length >= 500) break
    if (!isInteractive(el) || el.tagName === 'LABEL' || !visible(el)) continue
    let r = el.getBoundingClientRect()
    let w = r.width
    let h = r.height
    const labels = (el as HTMLInputElement).labels
    if (labels) {
      for (const l of Array.from(labels)) {
        const lr = l.getBoundingClientRect()
        if (lr.width * lr.height > w * h) {
          w = lr.width
          h = lr.height
          r = lr
        }
      }
    }
    const cs = getComputedStyle(el)
    const text = snippet((el as HTMLElement).innerText || el.getAttribute('aria-label') || (el as HTMLInputElement).value || el.getAttribute('title') || '', 30)
    targets.push({selector: selectorOf(el), tag: el.tagName.toLowerCase(), text, w: dp(w), h: dp(h), inline: cs.display === 'inline' && Boolean(el.closest('p'))})
  }

  // OVERLAYS: fixed elements, absolute ones stacked with a z-index, and dialogs.
  const area = vw * vh
  const coverageOf = (r: DOMRect) => {
    const w = Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0))
    const h = Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0))
    return round((w * h) / area)
  }
  const candidates: Array<{el: Element; kind: 'fixed' | 'absolute' | 'dialog'}> = []
  for (const el of Array.from(document.querySelectorAll('body *'))) {
    const cs = getComputedStyle(el)
    let kind: 'fixed' | 'absolute' | 'dialog' | null = null
    if (el.matches('dialog[open],[role="dialog"],[role="alertdialog"],[aria-modal="true"]')) kind = 'dialog'
    else if (cs.position === 'fixed') kind = 'fixed'
    else if (cs.position === 'absolute' && cs.zIndex !== 'auto' && parseInt(cs.zIndex, 10) > 0) kind = 'absolute'
    if (kind && visible(el)) candidates.push({el, kind})
  }
  const charsIn = (el: Element) => {
    let n = 0
    for (const [t, c] of byEl) if (el.contains(t)) n += c
    return n
  }
  // An element that covers the screen and holds (nearly) all the text is the page's own shell.
  const shells = new Set(candidates.filter((c) => coverageOf(c.el.getBoundingClientRect()) >= 0.9 && totalChars > 0 && charsIn(c.el) >= 0.95 * totalChars).map((c) => c.el))
  const kept = candidates.filter((c) => !shells.has(c.el) && !candidates.some((o) => o.el !== c.el && !shells.has(o.el) && o.el.contains(c.el)))
  const CLOSE_TEXT = /^(×|✕|✖|╳|x|X|关闭|关 闭|取消|跳过|我知道了|知道了|close)$/i
  const isClose = (el: Element): boolean => {
    const t = ((el as HTMLElement).innerText ?? '').trim()
    const label = `${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('title') ?? ''} ${el.getAttribute('alt') ?? ''}`
    const cls = `${el.getAttribute('class') ?? ''} ${el.id}`
    return CLOSE_TEXT.test(t) || /关闭|close/i.test(label) || (/(^|[-_\s])close([-_\s]|$)|(^|[-_\s])(btn-)?x([-_\s]|$)/i.test(cls) && t.length <= 4)
  }
  const overlays: ElderFacts['overlays'] = []
  for (const {el, kind} of kept) {
    const r = el.getBoundingClientRect()
    const coverage = coverageOf(r)
    let panel = r
    if (coverage >= 0.9) {
      let best: DOMRect | null = null
      for (const d of Array.from(el.querySelectorAll('*'))) {
        const cs = getComputedStyle(d)
        const painted = rgba(cs.backgroundColor)[3] > 0 || cs.backgroundImage !== 'none' || parseFloat(cs.borderTopWidth) > 0
        if (!painted || !visible(d)) continue
        const dr = d.getBoundingClientRect()
        if (coverageOf(dr) >= 0.9) continue
        if (!best || dr.width * dr.height > best.width * best.height) best = dr
      }
      if (best) panel = best
    }
    const closeControls: ElderFacts['overlays'][number]['closeControls'] = []
    for (const d of Array.from(el.querySelectorAll('*'))) {
      if (closeControls.length >= 5) break
      if (!isClose(d) || !visible(d)) continue
      if (closeControls.some((c) => c.selector && d.parentElement && d.parentElement.matches(c.selector))) continue
      closeControls.push({selector: selectorOf(d), text: snippet((d as HTMLElement).innerText || d.getAttribute('aria-label') || '', 10), rect: rectOf(d.getBoundingClientRect())})
    }
    overlays.push({selector: selectorOf(el), kind, role: el.getAttribute('role'), coverage, rect: rectOf(r), panel: rectOf(panel), text: snippet((el as HTMLElement).innerText ?? '', 60), closeControls})
  }
  const overlayEls = kept.map((c) => c.el)

  // ADS: short labels 广告/推广, aria labels, ad-like class names.
  const adLabels: ElderFacts['adLabels'] = []
  for (const el of Array.from(document.querySelectorAll('body *'))) {
    if (adLabels.length >= 50) break
    if (el.closest('script,style,noscript,template')) continue
    const own = Array.from(el.childNodes).filter((c) => c.nodeType === 3).map((c) => c.nodeValue ?? '').join('').trim()
    const aria = `${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('title') ?? ''} ${el.getAttribute('alt') ?? ''}`.trim()
    const cls = `${el.getAttribute('class') ?? ''} ${el.id}`
    let source: 'text' | 'aria' | 'class' | null = null
    let text = ''
    if (own && own.length <= 30 && /广告|推广|赞助|\bAD\b|\bAds?\b/.test(own)) {
      source = 'text'
      text = own
    } else if (aria && /广告|推广|赞助|advert/i.test(aria)) {
      source = 'aria'
      text = aria
    } else if (/(^|[-_\s])(ad|ads|adv|advert|advertisement|adsbygoogle|adbox|ad-?banner|sponsor(ed)?|guanggao)([-_\s]|$)/i.test(cls)) {
      source = 'class'
      text = cls.trim()
    }
    if (source && visible(el)) adLabels.push({selector: selectorOf(el), text: snippet(text, 40), source})
  }
  const frames = Array.from(document.querySelectorAll('iframe[src]')).map((f) => (f as HTMLIFrameElement).src).slice(0, 50)

  // LURES: controls whose words invite a download or a payment, and whether they float.
  const lures: ElderFacts['lures'] = []
  for (const el of Array.from(document.querySelectorAll('a,button,input[type="button"],input[type="submit"],[role="button"],[role="link"],[onclick],div,span,img'))) {
    if (lures.length >= 50) break
    const t = snippet(((el as HTMLElement).innerText || (el as HTMLInputElement).value || el.getAttribute('aria-label') || el.getAttribute('alt') || '') as string, 30)
    if (!t || t.length > 20 || !/下载|安装|支付|付款|充值|缴费|打开.{0,4}app|app/i.test(t)) continue
    if (!visible(el)) continue
    let floating = false
    for (let cur: Element | null = el; cur; cur = cur.parentElement) {
      const p = getComputedStyle(cur).position
      if (p === 'fixed' || p === 'sticky') floating = true
    }
    const inOverlay = overlayEls.some((o) => o !== el && o.contains(el))
    // A control, or anything floating over the page (a fixed banner is tapped like a button).
    const clickable = isInteractive(el) || getComputedStyle(el).cursor === 'pointer' || Boolean(el.closest('a[href],button,[onclick],[role="button"]'))
    if (!clickable && !floating) continue
    if (lures.some((l) => l.text === t && l.floating === floating)) continue
    const link = el.closest('a[href]') as HTMLAnchorElement | null
    lures.push({selector: selectorOf(el), text: t, floating, inOverlay, inForm: Boolean(el.closest('form')), href: link ? link.href : null, rect: rectOf(el.getBoundingClientRect())})
  }

  // ELDER SWITCH candidates: anything that names an elder / care mode (the rule's names param decides which count).
  const ELDER_WORDS = /长辈|关怀|关爱|亲情|老年|老人|适老|敬老|大字|语音版|简洁版|elder|senior|care\s*mode/i
  const elderSwitch: ElderFacts['elderSwitch'] = []
  for (const el of Array.from(document.querySelectorAll('a,button,input,[role="button"],[role="link"],[role="switch"],[onclick],[tabindex],span,div,li,p,label,h1,h2,h3,h4,h5,h6,img'))) {
    if (elderSwitch.length >= 20) break
    const own = (el as HTMLElement).innerText ?? ''
    const t = snippet(`${own} ${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('title') ?? ''} ${el.getAttribute('alt') ?? ''} ${(el as HTMLInputElement).value ?? ''}`, 40)
    if (!ELDER_WORDS.test(t)) continue
    // The innermost element that carries the words, unless an interactive ancestor holds them.
    const interactiveAncestor = el.closest('a[href],button,[role="button"],[role="link"],[role="switch"],[onclick]')
    const node = interactiveAncestor ?? el
    const sel = selectorOf(node)
    if (elderSwitch.some((s) => s.selector === sel)) continue
    if (!interactiveAncestor && Array.from(el.children).some((c) => ELDER_WORDS.test((c as HTMLElement).innerText ?? ''))) continue
    const r = node.getBoundingClientRect()
    elderSwitch.push({
      selector: sel,
      text: t,
      tag: node.tagName.toLowerCase(),
      href: node.getAttribute('href') ? (node as HTMLAnchorElement).href ?? null : null,
      interactive: isInteractive(node),
      visible: visible(node),
      aboveFold: r.top < vh && r.bottom > 0,
      rect: rectOf(r),
    })
  }

  // CAPTCHAS: images/canvases named like a captcha, and what offers a non-visual way.
  const CAPTCHA = /captcha|验证码|vcode|verify-?code|checkcode|validatecode|validcode|authcode|kaptcha|yzm|图形码/i
  const captchas: ElderFacts['captchas'] = []
  for (const el of Array.from(document.querySelectorAll('img,canvas,svg,input[type="image"],div,span'))) {
    if (captchas.length >= 10) break
    const hint = `${el.getAttribute('src') ?? ''} ${el.getAttribute('alt') ?? ''} ${el.id} ${el.getAttribute('class') ?? ''} ${el.getAttribute('title') ?? ''} ${el.getAttribute('aria-label') ?? ''}`
    const cs = getComputedStyle(el)
    const isImage = /^(IMG|CANVAS|SVG|INPUT)$/i.test(el.tagName) || cs.backgroundImage !== 'none'
    if (!isImage || !CAPTCHA.test(hint) || !visible(el)) continue
    if (captchas.some((c) => el.closest(c.selector))) continue
    captchas.push({selector: selectorOf(el), tag: el.tagName.toLowerCase(), hint: snippet(hint, 80)})
  }
  const captchaAlternatives: ElderFacts['captchaAlternatives'] = []
  for (const el of Array.from(document.querySelectorAll('a,button,[role="button"],[onclick],input[type="button"],audio,span,label'))) {
    if (captchaAlternatives.length >= 10) break
    const t = snippet(`${(el as HTMLElement).innerText ?? ''} ${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('title') ?? ''} ${(el as HTMLInputElement).value ?? ''}`, 40)
    if (el.tagName === 'AUDIO' || /语音|音频|播放|朗读|听|audio|voice|短信|sms|手机验证|电话/i.test(t)) {
      if (el.tagName !== 'AUDIO' && !visible(el)) continue
      const control = el.tagName === 'AUDIO' ? (el as HTMLAudioElement).controls : isInteractive(el) && el.tagName !== 'LABEL' && el.tagName !== 'SPAN'
      captchaAlternatives.push({selector: selectorOf(el), text: t || el.tagName.toLowerCase(), control: control || (el.tagName === 'SPAN' && el.matches('[onclick],[role="button"]'))})
    }
  }

  // ICONS: small images and inline SVG, and icon-font glyphs (private-use code points or an icon
  // font family, usually drawn by ::before). Only their boxes here; the pixels are measured from a
  // screenshot in collect(), which sees what the user sees whatever the image's origin.
  const iconBoxes: IconBox[] = []
  const PUA = /[\uE000-\uF8FF]/
  const ICON_FONT = /icon|awesome|glyph|material|iconfont/i
  for (const el of Array.from(document.querySelectorAll('img,svg,i,span,em,b'))) {
    if (iconBoxes.length >= 20) break
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue
    if (el.tagName.toLowerCase() === 'svg' && el.parentElement?.closest('svg')) continue
    const r = el.getBoundingClientRect()
    if (r.width < 8 || r.height < 8 || r.width > 64 || r.height > 64 || !visible(el)) continue
    let kind: IconBox['kind'] | null = null
    const tag = el.tagName.toLowerCase()
    if (tag === 'img') kind = /captcha|验证码|vcode|yzm/i.test(`${el.getAttribute('src') ?? ''} ${el.getAttribute('alt') ?? ''} ${el.id} ${el.getAttribute('class') ?? ''}`) ? null : 'img'
    else if (tag === 'svg') kind = 'svg'
    else {
      const own = (el.textContent ?? '').trim()
      const before = getComputedStyle(el, '::before')
      const pseudo = before.content && before.content !== 'none' && before.content !== 'normal' ? before.content.replace(/^["']|["']$/g, '') : ''
      const family = `${getComputedStyle(el).fontFamily} ${before.fontFamily}`
      if ((own && own.length <= 2 && (PUA.test(own) || ICON_FONT.test(family))) || (!own && pseudo && (PUA.test(pseudo) || ICON_FONT.test(family)))) kind = 'font'
    }
    if (!kind) continue
    el.setAttribute('data-sjt-icon', String(iconBoxes.length))
    iconBoxes.push({selector: selectorOf(el), kind, index: iconBoxes.length})
  }

  // LINKS the page offers (visible ones), plus location assignments in onclick handlers.
  const links: ElderFacts['links'] = []
  const seen = new Set<string>()
  const addLink = (href: string, text: string) => {
    try {
      const u = new URL(href, location.href)
      if (!/^https?:$/.test(u.protocol)) return
      u.hash = ''
      if (seen.has(u.href) || links.length >= 500) return
      seen.add(u.href)
      links.push({href: u.href, text: snippet(text, 30)})
    } catch {
      // not a URL
    }
  }
  for (const a of Array.from(document.querySelectorAll('a[href],area[href]'))) if (visible(a)) addLink(a.getAttribute('href')!, (a as HTMLElement).innerText ?? '')
  for (const el of Array.from(document.querySelectorAll('[onclick],[data-href]'))) {
    if (!visible(el)) continue
    const m = /location(?:\.href)?\s*=\s*['"]([^'"]+)['"]/.exec(el.getAttribute('onclick') ?? '')
    const h = m?.[1] ?? el.getAttribute('data-href')
    if (h) addLink(h, (el as HTMLElement).innerText ?? '')
  }

  // ENTRIES: the visible controls by accessible name, for the service-entry rules.
  const entries: NonNullable<ElderFacts['entries']> = []
  for (const el of Array.from(document.querySelectorAll(INTERACTIVE + ',audio[controls],video[controls],form[role="search"],[role="search"]'))) {
    if (entries.length >= 500) break
    if (el.tagName === 'LABEL' || !visible(el)) continue
    const img = el.querySelector('img[alt]')
    const labels = Array.from((el as HTMLInputElement).labels ?? []).map((l) => (l as HTMLElement).innerText).join(' ')
    const name = snippet([(el as HTMLElement).innerText, el.getAttribute('aria-label'), el.getAttribute('title'), el.getAttribute('placeholder'), img?.getAttribute('alt'), labels, el.tagName === 'INPUT' && /^(button|submit)$/i.test((el as HTMLInputElement).type) ? (el as HTMLInputElement).value : ''].filter(Boolean).join(' '), 60)
    const type = el.tagName === 'INPUT' ? (el as HTMLInputElement).type : undefined
    const search = type === 'search' || el.getAttribute('role') === 'search' || /^search$/i.test(el.getAttribute('inputmode') ?? '') || /^search$/i.test(el.getAttribute('enterkeyhint') ?? '') || (el.tagName === 'INPUT' && Boolean(el.closest('form[role="search"],[role="search"]')))
    const media = /^(AUDIO|VIDEO)$/.test(el.tagName)
    const href = el.tagName === 'A' ? (el as HTMLAnchorElement).href || null : null
    entries.push({selector: selectorOf(el), tag: el.tagName.toLowerCase(), name, ...(type ? {type} : {}), search, media, href})
  }

  return {
    viewport: {width: vw, height: vh},
    scale: round(scale),
    text: {totalChars, histogram: [...hist.entries()].sort((a, b) => a[0] - b[0]), largest, blocks: blocks.slice(0, 400), paragraphs},
    targets,
    overlays,
    adLabels,
    frames,
    lures,
    elderSwitch,
    captchas,
    captchaAlternatives,
    links,
    entries,
    iconBoxes,
  }
}

/**
 * Runs inside the page: the contrast of an icon from a PNG screenshot of its box (a data: URL, so
 * the canvas is never tainted). The surround is the most frequent colour; the icon's contrast is
 * the 90th percentile of the pixels' contrast against it (strokes, not antialiased edges).
 */
async function iconContrast(dataUrl: string): Promise<{contrast: number; fg: string; bg: string} | null> {
  const img = new Image()
  img.src = dataUrl
  await img.decode()
  const c = document.createElement('canvas')
  c.width = img.naturalWidth
  c.height = img.naturalHeight
  const g = c.getContext('2d', {willReadFrequently: true})
  if (!g || !c.width || !c.height) return null
  g.drawImage(img, 0, 0)
  const d = g.getImageData(0, 0, c.width, c.height).data
  const counts = new Map<number, number>()
  for (let i = 0; i < d.length; i += 4) {
    const key = ((d[i] >> 3) << 10) | ((d[i + 1] >> 3) << 5) | (d[i + 2] >> 3)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  let mode = 0
  let best = -1
  for (const [k, n] of counts) if (n > best) [mode, best] = [k, n]
  // The surround: the mean of the pixels in the modal bucket.
  const sum = [0, 0, 0]
  let n = 0
  for (let i = 0; i < d.length; i += 4) {
    if ((((d[i] >> 3) << 10) | ((d[i + 1] >> 3) << 5) | (d[i + 2] >> 3)) !== mode) continue
    sum[0] += d[i]
    sum[1] += d[i + 1]
    sum[2] += d[i + 2]
    n++
  }
  const bg = sum.map((v) => v / n)
  const lin = (v: number) => {
    const s = v / 255
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4)
  }
  const lum = (r: number, gg: number, b: number) => 0.2126 * lin(r) + 0.7152 * lin(gg) + 0.0722 * lin(b)
  const lb = lum(bg[0], bg[1], bg[2])
  const ratios: Array<[number, number]> = []
  for (let i = 0; i < d.length; i += 4) {
    const l = lum(d[i], d[i + 1], d[i + 2])
    ratios.push([(Math.max(l, lb) + 0.05) / (Math.min(l, lb) + 0.05), i])
  }
  const differing = ratios.filter(([r]) => r > 1.05).sort((a, b) => a[0] - b[0])
  const hex = (r: number, gg: number, b: number) => '#' + [r, gg, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')
  if (differing.length === 0) return {contrast: 1, fg: hex(bg[0], bg[1], bg[2]), bg: hex(bg[0], bg[1], bg[2])}
  const [ratio, at] = differing[Math.min(differing.length - 1, Math.floor(differing.length * 0.9))]
  return {contrast: Math.floor(ratio * 100) / 100, fg: hex(d[at], d[at + 1], d[at + 2]), bg: hex(bg[0], bg[1], bg[2])}
}

/** Scrolls each icon into view, screenshots its box and measures its contrast in the page. */
async function measureIcons(page: Page, boxes: IconBox[]): Promise<IconFact[]> {
  const out: IconFact[] = []
  for (const b of boxes) {
    let base: Omit<IconFact, 'contrast' | 'fg' | 'bg'> = {selector: b.selector, kind: b.kind, w: 0, h: 0}
    try {
      const box = await page.evaluate((i: number) => {
        const el = document.querySelector(`[data-sjt-icon="${i}"]`)
        if (!el) return null
        el.scrollIntoView({block: 'center', inline: 'center'})
        const r = el.getBoundingClientRect()
        const v = window.visualViewport
        return {x: r.left + (v?.pageLeft ?? window.scrollX), y: r.top + (v?.pageTop ?? window.scrollY), w: r.width, h: r.height}
      }, b.index)
      if (!box || box.w < 1 || box.h < 1) continue
      base = {...base, w: Math.round(box.w * 100) / 100, h: Math.round(box.h * 100) / 100}
      const shot = await page.screenshot({type: 'png', encoding: 'base64', clip: {x: box.x, y: box.y, width: box.w, height: box.h}, captureBeyondViewport: false})
      const m = await page.evaluate(iconContrast, `data:image/png;base64,${shot}`)
      out.push({...base, contrast: m?.contrast ?? null, fg: m?.fg ?? null, bg: m?.bg ?? null})
    } catch {
      out.push({...base, contrast: null, fg: null, bg: null})
    }
  }
  if (boxes.length) {
    await page
      .evaluate(() => {
        for (const el of Array.from(document.querySelectorAll('[data-sjt-icon]'))) el.removeAttribute('data-sjt-icon')
        window.scrollTo(0, 0)
      })
      .catch(() => undefined)
  }
  return out
}

const probe: PageProbe = {
  name: 'elder',
  setup(page: Page) {
    const hosts = new Set<string>()
    page.on('request', (r: HTTPRequest) => {
      try {
        hosts.add(new URL(r.url()).hostname)
      } catch {
        // data: and blob: URLs have no host
      }
    })
    return hosts
  },
  async collect(page: Page, _target, state): Promise<ElderFacts> {
    // In an isolated world (../isolated.ts): the page's own globals cannot disturb the measuring.
    const world = await isolatedWorld(page, 'sjt-elder')
    const {iconBoxes, ...facts} = await world.call(measure).finally(() => world.close())
    const icons = await measureIcons(page, iconBoxes)
    const hosts = state instanceof Set ? [...(state as Set<string>)].filter(Boolean).sort() : []
    return {...facts, icons, requestHosts: hosts}
  },
}

export default probe
