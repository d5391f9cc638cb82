// The modules the pipeline loads, by name, each imported only when a run needs it.
// Typed: a category, collector missing here, or a module of the wrong shape, is a
// compile error (and unused-code checks see every module as used).
import type {Category, CategoryModule, CollectorModule} from './types.js'
import type {ArtifactName} from '../artifacts/index.js'

export const CATEGORY_MODULES: {[C in Category]: () => Promise<CategoryModule>} = {
  manifest: () => import('../audits/manifest/index.js'),
  contract: () => import('../audits/contract/index.js'),
  a11y: () => import('../audits/a11y/index.js'),
  elder: () => import('../audits/elder/index.js'),
  perf: () => import('../audits/perf/index.js'),
  security: () => import('../audits/security/index.js'),
  miniprogram: () => import('../audits/miniprogram/index.js'),
}

/** Collectors by artifact name (the names rules list under `requires:`; see src/artifacts/index.ts). */
export const COLLECTORS: {[N in CollectedName]: () => Promise<CollectorModule>} = {
  manifest: () => import('../gather/manifest.js'),
  targets: () => import('../gather/targets.js'),
  contract: () => import('../gather/contract.js'),
  apiprobe: () => import('../gather/apiprobe.js'),
  http: () => import('../gather/http.js'),
  page: () => import('../gather/page.js'),
  lighthouse: () => import('../gather/lighthouse.js'),
  miniprogram: () => import('../gather/miniprogram.js'),
}

/** The artifacts a collector gathers (the login outcome, `auth`, is the pipeline's own). */
export type CollectedName = Exclude<ArtifactName, 'auth'>

export function isCollectedName(name: string): name is CollectedName {
  return Object.hasOwn(COLLECTORS, name)
}
