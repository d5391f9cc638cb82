// The page probes, in the order they run on each page: a typed registry (a probe is added here,
// not found by reading the folder). textscale changes the page (the font setting, a tapped
// control), so it runs last.
import type {PageProbe} from '../page-types.js'

export const PROBES: ReadonlyArray<() => Promise<{default: PageProbe}>> = [
  () => import('./a11y.js'),
  () => import('./elder.js'),
  () => import('./security.js'),
  () => import('./textscale.js'),
]
