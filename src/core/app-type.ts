// Which categories a full check runs for an app of a given type: a mini-program (manifest
// `app.type: miniprogram`) is checked from its source project, so the page categories that drive a
// browser (a11y, elder, perf, security) do not apply; an H5 app has no mini-program project.
import type {Category} from './types.js'

const PAGE_CATEGORIES: Category[] = ['a11y', 'elder', 'perf', 'security']

export function categoriesFor(categories: Category[], manifest: unknown, projectGiven: boolean): Category[] {
  if (categories.length <= 1) return categories
  const m = manifest as {data?: {app?: {type?: unknown}}} | null | undefined
  const type = m?.data?.app?.type
  if (type === 'miniprogram' || projectGiven) return categories.filter((c) => !PAGE_CATEGORIES.includes(c))
  return categories.filter((c) => c !== 'miniprogram')
}
