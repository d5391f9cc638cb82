// How a category is shown: a category some of whose rules could not be judged (findings with
// status `error`: a page that returned 404, a host that does not resolve) is never shown as passed
// and its score is not shown as if the whole category had been checked.
import type {Category, CategorySummary, ResultDocument} from '../core/types.js'

type ShownStatus = CategorySummary['status'] | 'incomplete'

export interface ShownCategory {
  status: ShownStatus
  /** Findings of the category that could not be judged. */
  faults: number
  /** The score to show, or null: none for a category that is incomplete or did not run. */
  score: number | null
}

export function shownCategory(doc: Pick<ResultDocument, 'categories' | 'findings'>, cat: Category): ShownCategory | null {
  const sum = doc.categories[cat]
  if (!sum) return null
  const own = doc.findings.filter((f) => f.category === cat)
  const faults = own.filter((f) => f.status === 'error').length
  // No finding judged (none at all, or all not applicable): nothing of the category was checked.
  if (!own.some((f) => f.status !== 'not-applicable')) return {status: 'skipped', faults: 0, score: null}
  const status: ShownStatus = sum.status === 'pass' && faults > 0 ? 'incomplete' : sum.status
  return {status, faults, score: status === 'incomplete' || status === 'error' ? null : sum.score}
}
