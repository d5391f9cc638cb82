// The picture test: the HTML report of the sample app and of a failing app is rendered by
// Chromium to PNG (desktop and phone widths), and the PDF report to PNG through pdftoppm, so a
// broken layout is caught: the failures section must be visible and hold the failures, nothing
// may overflow the phone width, and the pictures must not be blank.
// The PNGs are kept in SJT_PICTURE_DIR when it is set (to look at them), else in a temp folder.
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import type {Page} from 'puppeteer-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {ResultDocument} from '../../src/core/types.js'
import {launchBrowser, type BrowserSession} from '../../src/lib/browser.js'
import {sjt} from '../helpers/cli.js'
import {FAILING_EDITS, SAMPLE, richDocument, writeJson, writeManifest} from './helpers.js'

let tmp: string
let shots: string
let session: BrowserSession
let analyser: Page
const docs: Record<'sample' | 'failing', {doc: ResultDocument; dir: string}> = {} as never

function which(cmd: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], {encoding: 'utf8'}).trim() || null
  } catch {
    return null
  }
}

/** Share of pixels that are not (near) white, and the number of distinct colours, of a PNG. */
async function inkOf(png: Buffer): Promise<{ink: number; colours: number; width: number; height: number}> {
  return analyser.evaluate(async (b64: string) => {
    const img = new Image()
    img.src = 'data:image/png;base64,' + b64
    await img.decode()
    const c = document.createElement('canvas')
    c.width = img.naturalWidth
    c.height = img.naturalHeight
    const g = c.getContext('2d')!
    g.drawImage(img, 0, 0)
    const d = g.getImageData(0, 0, c.width, c.height).data
    let ink = 0
    const colours = new Set<number>()
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) ink++
      if (colours.size < 5000) colours.add(((d[i] >> 3) << 10) | ((d[i + 1] >> 3) << 5) | (d[i + 2] >> 3))
    }
    return {ink: ink / (d.length / 4), colours: colours.size, width: c.width, height: c.height}
  }, png.toString('base64'))
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-picture-'))
  shots = process.env.SJT_PICTURE_DIR ?? path.join(tmp, 'png')
  mkdirSync(shots, {recursive: true})
  const p = await sjt(['check', 'manifest', SAMPLE, '--out', path.join(tmp, 'sample'), '--format', 'html,pdf', '--lang', 'zh-CN'])
  expect(p.code, p.stderr).toBe(0)
  const m = writeManifest(path.join(tmp, 'failing-app'), FAILING_EDITS)
  const f = await sjt(['check', 'manifest', m, '--out', path.join(tmp, 'failing0'), '--json'])
  expect(f.code).toBe(1)
  // The failing app, with browser categories, a screenshot and metrics added, rendered again.
  const rich = richDocument(JSON.parse(f.stdout))
  const file = writeJson(path.join(tmp, 'failing.json'), rich)
  const r = await sjt(['report', file, '--format', 'html,pdf', '--out', path.join(tmp, 'failing'), '--lang', 'zh-CN'])
  expect(r.code, r.stderr).toBe(0)
  docs.sample = {doc: JSON.parse(readFileSync(path.join(tmp, 'sample/ty-gjj-withdraw/result.json'), 'utf8')), dir: path.join(tmp, 'sample/ty-gjj-withdraw')}
  docs.failing = {doc: rich, dir: path.join(tmp, 'failing/ty-gjj-withdraw')}
  session = await launchBrowser({lang: 'en'})
  analyser = await session.browser.newPage()
}, 180_000)

afterAll(async () => {
  await session?.close()
})

describe('the HTML report, rendered by Chromium', () => {
  for (const name of ['sample', 'failing'] as const) {
    for (const vp of [
      {label: 'desktop', width: 1280, height: 900},
      {label: 'phone', width: 390, height: 844},
    ]) {
      it(`${name} on a ${vp.label}: failures section visible and filled, nothing overflows, not blank`, async () => {
        const {doc, dir} = docs[name]
        const page = await session.browser.newPage()
        try {
          await page.setViewport({width: vp.width, height: vp.height, deviceScaleFactor: 1})
          const blocked: string[] = []
          await page.setRequestInterception(true)
          page.on('request', (req) => {
            const u = req.url()
            if (u.startsWith('file:') || u.startsWith('data:')) void req.continue()
            else {
              blocked.push(u)
              void req.abort()
            }
          })
          await page.goto(pathToFileURL(path.join(dir, 'report.html')).href, {waitUntil: 'load'})
          expect(blocked).toEqual([])
          const failures = doc.findings.filter((f) => f.status === 'fail')
          const box = await page.$eval('#failures', (el) => {
            const r = el.getBoundingClientRect()
            const s = getComputedStyle(el)
            return {height: r.height, width: r.width, visible: s.display !== 'none' && s.visibility !== 'hidden', text: (el as HTMLElement).innerText, cards: el.querySelectorAll('article.finding').length}
          })
          expect(box.visible).toBe(true)
          expect(box.height).toBeGreaterThan(40)
          expect(box.width).toBeGreaterThan(vp.width * 0.6)
          expect(box.cards).toBe(failures.length)
          if (failures.length === 0) expect(box.text).toContain('没有不通过项')
          for (const f of failures) expect(box.text).toContain(f.ruleId)
          // Every card is visible and as wide as its section allows; nothing wider than the screen.
          const layout = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            cards: [...document.querySelectorAll('article.finding')].map((a) => a.getBoundingClientRect().height),
            chart: document.querySelector('svg.chart')?.getBoundingClientRect().height ?? 0,
            verdict: document.querySelector('.verdict')?.getBoundingClientRect().height ?? 0,
            images: [...document.querySelectorAll('img')].map((i) => ({w: (i as HTMLImageElement).naturalWidth, shown: i.getBoundingClientRect().width})),
          }))
          expect(layout.scrollWidth).toBeLessThanOrEqual(vp.width)
          for (const h of layout.cards) expect(h).toBeGreaterThan(30)
          expect(layout.chart).toBeGreaterThan(20)
          expect(layout.verdict).toBeGreaterThan(20)
          for (const i of layout.images) {
            expect(i.w).toBeGreaterThan(0) // the screenshot decoded
            expect(i.shown).toBeLessThanOrEqual(vp.width)
          }
          const png = Buffer.from(await page.screenshot({fullPage: true, type: 'png'}))
          const file = path.join(shots, `${name}-${vp.label}.png`)
          writeFileSync(file, png)
          const ink = await inkOf(png)
          expect(ink.ink).toBeGreaterThan(0.02)
          expect(ink.colours).toBeGreaterThan(20)
          // The failures section itself, as a picture, is not blank either.
          const el = await page.$('#failures')
          const part = Buffer.from(await el!.screenshot({type: 'png'}))
          writeFileSync(path.join(shots, `${name}-${vp.label}-failures.png`), part)
          expect((await inkOf(part)).ink).toBeGreaterThan(0.01)
        } finally {
          await page.close()
        }
      })
    }
  }
})

describe('the PDF report, rendered by pdftoppm', () => {
  const pdftoppm = which('pdftoppm')
  for (const name of ['sample', 'failing'] as const) {
    it(`${name}: A4 pages with ink`, async (t) => {
      if (!pdftoppm) {
        console.warn('NOTE: pdftoppm is not installed (poppler-utils); the PDF picture assertion is skipped')
        t.skip()
        return
      }
      const pdf = path.join(docs[name].dir, 'report.pdf')
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
      const prefix = path.join(shots, `${name}-pdf`)
      execFileSync(pdftoppm, ['-png', '-r', '60', pdf, prefix])
      const pages = readdirSync(shots).filter((f) => f.startsWith(`${name}-pdf`) && f.endsWith('.png')).sort()
      expect(pages.length).toBeGreaterThan(0)
      for (const p of pages) {
        const ink = await inkOf(readFileSync(path.join(shots, p)))
        // A4 portrait at 60 dpi: 496 × 702 px.
        expect(Math.abs(ink.width - 496)).toBeLessThan(4)
        expect(Math.abs(ink.height - 702)).toBeLessThan(4)
        if (p === pages[0]) {
          expect(ink.ink).toBeGreaterThan(0.03)
          expect(ink.colours).toBeGreaterThan(10)
        }
      }
      // The failing report names its failures in the PDF text (where pdftotext is present).
      const pdftotext = which('pdftotext')
      if (pdftotext && name === 'failing') {
        const text = execFileSync(pdftotext, ['-layout', pdf, '-'], {encoding: 'utf8'})
        for (const f of docs.failing.doc.findings.filter((x) => x.status === 'fail')) expect(text).toContain(f.ruleId)
        expect(text).toMatch(/第\s*1\s*\/\s*\d+\s*页/)
        expect(text).toContain('ty-gjj-withdraw')
      }
      expect(existsSync(pdf)).toBe(true)
    })
  }
})
