// The modules the pipeline and the reports load, by name, each imported only when a run needs it.
// Typed: a category, collector or format missing here, or a module of the wrong shape, is a
// compile error (and unused-code checks see every module as used).
import type {Category, CategoryModule, CollectorModule} from './types.js'
import type {RendererModule} from '../report/index.js'

export const CATEGORY_MODULES: {[C in Category]: () => Promise<CategoryModule>} = {
  manifest: () => import('../audits/manifest/index.js'),
  contract: () => import('../audits/contract/index.js'),
  a11y: () => import('../audits/a11y/index.js'),
  elder: () => import('../audits/elder/index.js'),
  perf: () => import('../audits/perf/index.js'),
  security: () => import('../audits/security/index.js'),
  miniprogram: () => import('../audits/miniprogram/index.js'),
}

/** Collectors by artifact name (the names rules list under `requires:`). */
export const COLLECTORS = {
  manifest: () => import('../gather/manifest.js'),
  contract: () => import('../gather/contract.js'),
  apiprobe: () => import('../gather/apiprobe.js'),
  http: () => import('../gather/http.js'),
  page: () => import('../gather/page.js'),
  lighthouse: () => import('../gather/lighthouse.js'),
  security: () => import('../gather/security.js'),
  miniprogram: () => import('../gather/miniprogram.js'),
} satisfies Record<string, () => Promise<CollectorModule>>

export type ArtifactName = keyof typeof COLLECTORS

export function isArtifactName(name: string): name is ArtifactName {
  return Object.hasOwn(COLLECTORS, name)
}

/** Renderers of the file formats (text and json are built into src/report/index.ts). */
export const RENDERERS = {
  html: () => import('../report/html.js'),
  md: () => import('../report/md.js'),
  junit: () => import('../report/junit.js'),
  sarif: () => import('../report/sarif.js'),
  pdf: () => import('../report/pdf.js'),
} satisfies Record<string, () => Promise<RendererModule>>
