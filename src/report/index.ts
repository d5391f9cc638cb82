// Renderers read only the result document. Each format lives in src/report/<format>.ts and
// exports `extension` and `render(doc, opts)`; text and json are built in.
import {writeFileSync} from 'node:fs'
import {appOutDir, outFile} from '../core/app-id.js'
import {InputError} from '../lib/errors.js'
import type {Lang, ResultDocument} from '../core/types.js'
import {t} from '../lib/i18n/index.js'
import {renderText} from './text.js'

const FORMATS = ['text', 'json', 'html', 'md', 'junit', 'sarif', 'pdf'] as const
export type Format = (typeof FORMATS)[number]

export interface RenderOptions {
  lang: Lang
  color?: boolean
  /** Folder the report is written to (for relative links and screenshots). */
  outDir?: string
  chromePath?: string
}

interface RendererModule {
  extension: string
  render(doc: ResultDocument, opts: RenderOptions): Promise<string | Buffer>
}

export function parseFormats(value: string | string[] | undefined, lang: Lang): Format[] {
  if (!value) return []
  const list = (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean)
  for (const f of list) {
    if (!(FORMATS as readonly string[]).includes(f)) throw new InputError(t(lang, 'flag.badFormat', {value: f, allowed: FORMATS.join(', ')}))
  }
  return [...new Set(list)] as Format[]
}

async function loadRenderer(format: Format): Promise<RendererModule> {
  if (format === 'json') return {extension: 'json', render: async (doc) => JSON.stringify(doc, null, 2) + '\n'}
  if (format === 'text') return {extension: 'txt', render: async (doc, o) => renderText(doc, {lang: o.lang, color: false})}
  return RENDERERS[format]()
}

/** Renderers of the file formats, each imported only when a report needs it (typed: a format missing here is a compile error). */
const RENDERERS: {[F in Exclude<Format, 'text' | 'json'>]: () => Promise<RendererModule>} = {
  html: () => import('./html.js'),
  md: () => import('./md.js'),
  junit: () => import('./junit.js'),
  sarif: () => import('./sarif.js'),
  pdf: () => import('./pdf.js'),
}

function reportName(ext: string): string {
  return ext === 'json' ? 'result.json' : `report.${ext === 'junit' ? 'junit.xml' : ext === 'sarif' ? 'sarif' : ext}`
}

/** Write the result document and every other requested format; returns the files written. */
export async function writeReports(doc: ResultDocument, formats: Format[], outDir: string, opts: RenderOptions): Promise<string[]> {
  // The id comes from the manifest or a result someone else wrote: it must stay a folder name inside --out.
  const dir = appOutDir(outDir, doc.app.id, opts.lang)
  const written: string[] = []
  const resultFile = outFile(dir, 'result.json', opts.lang)
  writeFileSync(resultFile, JSON.stringify(doc, null, 2) + '\n')
  written.push(resultFile)
  for (const f of formats) {
    if (f === 'json' || f === 'text') continue
    const r = await loadRenderer(f)
    const content = await r.render(doc, {...opts, outDir: dir})
    const file = outFile(dir, reportName(r.extension), opts.lang)
    writeFileSync(file, content)
    written.push(file)
  }
  return written
}
