// Font adjustability (MIIT 适老化 附件2 §1.1 "应可对字型大小进行调整"), measured in the browser on the
// entry and elder pages. Two ways a user can enlarge text:
// 1. the platform's font setting: the browser's default font size is doubled (16 → 32 px through
//    CDP Page.setFontSizes, as the system's largest text setting does to a web view) and each text
//    element's rendered size is compared with its size before; text set in rem/em/% follows,
//    text fixed in px does not;
// 2. a text-size control on the page (A+, 字号, 大字, 放大字体 …): it is tapped up to three times
//    while the text keeps growing, and the sizes are compared again. A control that navigates
//    away is reported, not followed.
// This probe runs last (probes run in name order) because it changes the page's state.
// Facts only; the share that must scale is a rule param (ELD-011), applied in src/audits/elder.
import type {Page} from 'puppeteer-core'
import {isolatedWorld, type IsolatedWorld} from '../isolated.js'
import type {PageProbe} from '../page-types.js'
import {type ScaleState, type TextScaleFacts} from '../../artifacts/page.js'

declare global {
  interface Window {
    __sjtScale?: Element[]
  }
}

/** Runs inside the page: characters and rendered font size per visible text element; records the elements for later states. */
function snapshot(remember: boolean): Array<[number, number]> {
  const visible = (el: Element): boolean => {
    const anyEl = el as Element & {checkVisibility?: (o: object) => boolean}
    if (anyEl.checkVisibility && !anyEl.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false
    const r = el.getBoundingClientRect()
    return r.width > 0 && r.height > 0
  }
  if (remember || !window.__sjtScale) {
    const byEl = new Map<Element, number>()
    const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const chars = (n.nodeValue ?? '').replace(/\s+/g, '').length
      const el = n.parentElement
      if (!chars || !el || el.closest('script,style,noscript,template') || !visible(el)) continue
      byEl.set(el, (byEl.get(el) ?? 0) + chars)
    }
    window.__sjtScale = [...byEl.keys()]
    ;(window as unknown as {__sjtChars: number[]}).__sjtChars = [...byEl.values()]
  }
  const chars = (window as unknown as {__sjtChars: number[]}).__sjtChars
  // An element the page replaced since counts as its old size (it did not grow).
  return window.__sjtScale!.map((el, i) => [el.isConnected ? Math.round(parseFloat(getComputedStyle(el).fontSize) * 100) / 100 : 0, chars[i]])
}

function summarise(base: Array<[number, number]>, now: Array<[number, number]>): ScaleState {
  const hist = new Map<number, number>()
  let scaled = 0
  let total = 0
  let largest = 0
  now.forEach(([size, chars], i) => {
    total += chars
    hist.set(size, (hist.get(size) ?? 0) + chars)
    if (size > largest) largest = size
    if (base[i][0] > 0 && size >= base[i][0] * 1.1) scaled += chars
  })
  return {scaledChars: scaled, totalChars: total, histogram: [...hist.entries()].sort((a, b) => a[0] - b[0]), largest}
}

const frames = (world: IsolatedWorld) => world.call(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))

const DEFAULT = 16
const ENLARGED = 32

const probe: PageProbe = {
  name: 'textscale',
  roles: ['entry', 'elder'],
  async collect(page: Page): Promise<TextScaleFacts> {
    // In an isolated world (../isolated.ts): what the page defines or overwrites cannot disturb the measuring.
    const world = await isolatedWorld(page, 'sjt-textscale')
    try {
    const base = await world.call(snapshot, true)
    const baseHist = summarise(base, base)
    // Computed where the browser supports the property; otherwise read from the page's own style
    // sheets (rules for html, body, :root or *), which desktop Chromium keeps as text only.
    const sizeAdjustLocked = await world.call(() => {
      const NONE = /(^|[;{\s])(-webkit-)?text-size-adjust\s*:\s*none/i
      for (const el of [document.documentElement, document.body]) {
        if (!el) continue
        const cs = getComputedStyle(el)
        if ((cs.getPropertyValue('-webkit-text-size-adjust') || cs.getPropertyValue('text-size-adjust')) === 'none') return true
        if (NONE.test(el.getAttribute('style') ?? '')) return true
      }
      for (const st of Array.from(document.querySelectorAll('style'))) {
        for (const m of (st.textContent ?? '').matchAll(/([^{}]+)\{([^}]*)\}/g)) if (/(^|,)\s*(html|body|:root|\*)\s*(,|$)/i.test(m[1].trim()) && NONE.test(';' + m[2])) return true
      }
      return false
    })
    const cdp = await page.createCDPSession()
    let platform: ScaleState
    try {
      await cdp.send('Page.setFontSizes', {fontSizes: {standard: ENLARGED, fixed: Math.round((13 * ENLARGED) / DEFAULT)}})
      await frames(world)
      platform = summarise(base, await world.call(snapshot, false))
    } finally {
      await cdp.send('Page.setFontSizes', {fontSizes: {standard: DEFAULT, fixed: 13}}).catch(() => undefined)
      await cdp.detach().catch(() => undefined)
    }
    await frames(world)

    // The page's own text-size control: a button-like element named for enlarging text.
    const found = await world.call(() => {
      const WORDS = /^(A\+|A\s*A|大|特大|超大|大字|放大|字号|字体|字体大小|文字大小|字号调节|调整字号|放大字体|字体放大|aa)$|字号|字体大小|文字大小|放大字体|字体放大|text\s*size|font\s*size/i
      for (const el of Array.from(document.querySelectorAll('button,[role="button"],a,[onclick],input[type="button"],input[type="range"],select'))) {
        const text = `${(el as HTMLElement).innerText ?? ''} ${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('title') ?? ''} ${(el as HTMLInputElement).value ?? ''}`.replace(/\s+/g, ' ').trim()
        if (!WORDS.test(text.split(' ')[0] ?? '') && !WORDS.test(text)) continue
        const r = el.getBoundingClientRect()
        if (r.width <= 0 || r.height <= 0) continue
        const href = el.getAttribute('href')
        // A link to another page is navigation, not a size control.
        if (el.tagName === 'A' && href && !/^(#|javascript:)/i.test(href.trim())) continue
        el.setAttribute('data-sjt-size', '1')
        return {text: text.slice(0, 30), selector: el.id ? `#${el.id}` : el.tagName.toLowerCase() + (el.getAttribute('class') ? '.' + el.getAttribute('class')!.trim().split(/\s+/).join('.') : '')}
      }
      return null
    })
    let control: TextScaleFacts['control'] = null
    if (found) {
      const before = page.url()
      let state: ScaleState | null = null
      let clicks = 0
      let navigated = false
      let last = baseHist.largest
      for (let i = 0; i < 3; i++) {
        const ok = await world.call(() => {
          const el = document.querySelector('[data-sjt-size]') as HTMLElement | null
          if (!el) return false
          if (el instanceof HTMLSelectElement) {
            el.selectedIndex = el.options.length - 1
            el.dispatchEvent(new Event('change', {bubbles: true}))
          } else if (el instanceof HTMLInputElement && el.type === 'range') {
            el.value = el.max || '100'
            el.dispatchEvent(new Event('input', {bubbles: true}))
            el.dispatchEvent(new Event('change', {bubbles: true}))
          } else el.click()
          return true
        }).catch(() => false)
        if (!ok) break
        clicks++
        await frames(world).catch(() => undefined)
        if (page.url() !== before) {
          navigated = true
          break
        }
        const now = await world.call(snapshot, false).catch(() => null)
        if (!now) {
          navigated = true
          break
        }
        state = summarise(base, now)
        if (state.largest <= last) break
        last = state.largest
      }
      control = {...found, clicks, navigated, state: navigated ? null : state}
    }
    return {defaultFontPx: DEFAULT, enlargedFontPx: ENLARGED, base: {totalChars: baseHist.totalChars, histogram: baseHist.histogram, largest: baseHist.largest}, platform, sizeAdjustLocked, control}
    } finally {
      await Promise.resolve(world.close()).catch(() => undefined)
    }
  },
}

export default probe
