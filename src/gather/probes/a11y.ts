// Accessibility facts of a rendered page: axe-core violations under the WCAG 2.0/2.1 A and AA
// tags (GB/T 37668 is built on them), a small screenshot of the first offending node of each,
// the viewport meta content and <html lang>. Facts only; src/audits/a11y judges them.
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import type {Page} from 'puppeteer-core'
import {isolatedWorld, type IsolatedWorld} from '../isolated.js'
import type {PageProbe} from '../page-types.js'
import {type AxeViolationFact, type A11yFacts} from '../../artifacts/page.js'

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
const MAX_SELECTORS = 10
/** Largest data URI kept for a screenshot crop, in characters. */
const MAX_SHOT = 40 * 1024

const require = createRequire(import.meta.url)
let axeSource: string | undefined
let zhLocale: {rules: Record<string, {help?: string; description?: string}>} | undefined

function axe(): string {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
  return axeSource
}

function zh(id: string): string | undefined {
  if (!zhLocale) {
    try {
      zhLocale = JSON.parse(readFileSync(require.resolve('axe-core/locales/zh_CN.json'), 'utf8'))
    } catch {
      zhLocale = {rules: {}}
    }
  }
  return zhLocale!.rules[id]?.help
}

/** A JPEG crop (quality about 60, one image pixel per CSS pixel, at most 375×240) of an element, or undefined when it has no box. */
export async function cropElement(page: Page, selector: string, world?: IsolatedWorld): Promise<string | undefined> {
  const measure = (sel: string) => {
      let el: Element | null = null
      try {
        el = document.querySelector(sel)
      } catch {
        return null
      }
      if (!el) return null
      const r = el.getBoundingClientRect()
      if (r.width < 1 || r.height < 1) return null
      return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height, dw: document.documentElement.scrollWidth, dh: document.documentElement.scrollHeight}
  }
  const box = await (world ? world.call(measure, selector) : page.evaluate(measure, selector)).catch(() => null)
  if (!box) return undefined
  const pad = 4
  const x = Math.max(0, box.x - pad)
  const y = Math.max(0, box.y - pad)
  const width = Math.max(1, Math.min(box.w + 2 * pad, 375, box.dw - x))
  const height = Math.max(1, Math.min(box.h + 2 * pad, 240, box.dh - y))
  // One image pixel per CSS pixel, whatever the device scale factor.
  const scale = 1 / (page.viewport()?.deviceScaleFactor || 1)
  for (const quality of [60, 40, 25]) {
    try {
      const b64 = (await page.screenshot({type: 'jpeg', quality, clip: {x, y, width, height, scale}, captureBeyondViewport: true, encoding: 'base64'})) as string
      const uri = `data:image/jpeg;base64,${b64}`
      if (uri.length <= MAX_SHOT) return uri
    } catch {
      return undefined
    }
  }
  return undefined
}

/** Reads the viewport metas and <html lang> (no axe-core needed: A11Y-003/004 judge these alone). */
function readMeta(): {viewport: string[]; lang: string | null} {
  return {
    viewport: Array.from(document.querySelectorAll('meta[name="viewport" i]')).map((m) => m.getAttribute('content') ?? ''),
    lang: document.documentElement.getAttribute('lang'),
  }
}

type RawAxe = {version: string; passes: string[]; violations: Array<{id: string; impact: AxeViolationFact['impact']; help: string; helpUrl: string; tags: string[]; nodes: Array<{target: string; summary?: string}>}>}

async function runAxe(tags: string[]): Promise<RawAxe> {
  const w = window as unknown as {axe: any}
  const r = await w.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], selectors: true, elementRef: false})
  return {
    version: String(w.axe.version),
    passes: (r.passes as any[]).map((p) => String(p.id)),
    violations: (r.violations as any[]).map((v) => ({
      id: String(v.id),
      impact: v.impact ?? null,
      help: String(v.help),
      helpUrl: String(v.helpUrl),
      tags: v.tags as string[],
      nodes: (v.nodes as any[]).map((n) => ({target: (n.target as unknown[]).map((s) => (Array.isArray(s) ? s.join(' >>> ') : String(s))).join(' '), summary: n.failureSummary as string | undefined})),
    })),
  }
}

// axe-core and the readers run in an isolated world (./isolated.ts), so a page's AMD loader or
// overwritten globals cannot break them; when axe-core still fails, the viewport and lang facts
// are kept and only the axe rules (A11Y-001/002) report the error.
const probe: PageProbe = {
  name: 'a11y',
  async collect(page: Page): Promise<A11yFacts> {
    const world = await isolatedWorld(page, 'sjt-a11y')
    try {
      const meta = await world.call(readMeta)
      let raw: RawAxe
      try {
        await world.run(axe())
        raw = await world.call(runAxe, AXE_TAGS)
      } catch (error) {
        return {axeVersion: '', tags: AXE_TAGS, violations: [], passes: [], viewport: meta.viewport, lang: meta.lang, axeError: (error as Error).message.slice(0, 500)}
      }
      const violations: AxeViolationFact[] = []
      for (const v of raw.violations) {
        const selectors = v.nodes.slice(0, MAX_SELECTORS).map((n) => n.target)
        const screenshot = selectors[0] ? await cropElement(page, selectors[0], world) : undefined
        violations.push({
          id: v.id,
          impact: v.impact,
          help: {en: v.help, 'zh-CN': zh(v.id) ?? v.help},
          helpUrl: v.helpUrl,
          tags: v.tags,
          nodes: v.nodes.length,
          selectors,
          ...(v.nodes[0]?.summary ? {summary: v.nodes[0].summary.slice(0, 500)} : {}),
          ...(screenshot ? {screenshot} : {}),
        })
      }
      return {axeVersion: raw.version, tags: AXE_TAGS, violations, passes: raw.passes, viewport: meta.viewport, lang: meta.lang}
    } finally {
      await world.close()
    }
  },
}

export default probe
