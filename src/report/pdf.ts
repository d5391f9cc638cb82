// The PDF access report: the HTML report printed by Chromium on A4, with a header (app id and
// date of the check) and page numbers. JavaScript is off and every request is refused, so the
// printout depends on nothing but the document.
import {EnvError} from '../lib/errors.js'
import type {ResultDocument} from '../core/types.js'
import {launchBrowser} from '../lib/browser.js'
import {t} from '../lib/i18n/index.js'
import {esc, renderHtml} from './html.js'
import type {RenderOptions} from './index.js'
import {reportLang} from './common.js'

export const extension = 'pdf'

export async function render(doc: ResultDocument, opts: RenderOptions): Promise<Buffer> {
  const lang = reportLang(doc, opts)
  const html = renderHtml(doc, opts)
  const session = await launchBrowser({chromePath: opts.chromePath, lang})
  try {
    const page = await session.browser.newPage()
    await page.setJavaScriptEnabled(false)
    await page.setRequestInterception(true)
    page.on('request', (req) => {
      if (req.url().startsWith('data:')) void req.continue()
      else void req.abort()
    })
    await page.setContent(html, {waitUntil: 'load', timeout: 60_000})
    await page.emulateMediaType('print')
    const small = 'font-size:8px;color:#5b6473;font-family:system-ui,sans-serif;width:100%;padding:0 12mm;display:flex;justify-content:space-between'
    const date = doc.startedAt.slice(0, 10)
    const header = `<div style="${small}"><span>${esc(t(lang, 'report.title'))} · ${esc(doc.app.id)} ${esc(doc.app.version)}</span><span>${esc(date)}</span></div>`
    const pageLabel = esc(t(lang, 'report.page', {page: '\u0001', pages: '\u0002'}))
      .replace('\u0001', '<span class="pageNumber"></span>')
      .replace('\u0002', '<span class="totalPages"></span>')
    const footer = `<div style="${small}"><span>${esc(doc.profile.name)} ${esc(doc.profile.version)} · sjt ${esc(doc.tool.version)}</span><span>${pageLabel}</span></div>`
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: header,
      footerTemplate: footer,
      margin: {top: '18mm', bottom: '16mm', left: '12mm', right: '12mm'},
      timeout: 120_000,
    })
    return Buffer.from(pdf)
  } catch (error) {
    if (error instanceof EnvError) throw error
    throw new EnvError(t(lang, 'report.pdf.failed', {detail: (error as Error).message.split('\n')[0]}))
  } finally {
    await session.close()
  }
}
