// Ranking many scores, best first, with a stable order and shared ranks for equal totals.
import type {ScoreResult} from './score-types.js'

/** What ranking reads of a score: its total, and its app's id and region. */
type RankKey = Pick<ScoreResult, 'total'> & {app?: Pick<ScoreResult['app'], 'id' | 'regionCode'>}

export interface Rankable {
  score?: RankKey
  file?: string
  [k: string]: unknown
}

/**
 * Rank scores, best first. Ties keep a stable order: total (descending; no total last), then
 * region code, then app id, then file. Equal totals share a rank (1, 2, 2, 4).
 */
export function rankScores<T extends ScoreResult | Rankable>(items: T[]): Array<T & {rank: number}> {
  const scoreOf = (x: T): RankKey => ((x as Rankable).score && typeof (x as Rankable).score === 'object' ? (x as Rankable).score! : (x as ScoreResult))
  const key = (x: T) => {
    const s = scoreOf(x)
    return {total: typeof s.total === 'number' ? s.total : -1, region: s.app?.regionCode ?? '~', app: s.app?.id ?? '', file: typeof (x as Rankable).file === 'string' ? ((x as Rankable).file as string) : ''}
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  const sorted = items
    .map((item, i) => ({item, k: key(item), i}))
    .sort((a, b) => b.k.total - a.k.total || cmp(a.k.region, b.k.region) || cmp(a.k.app, b.k.app) || cmp(a.k.file, b.k.file) || a.i - b.i)
  let rank = 0
  let prev: number | null = null
  return sorted.map(({item, k}, n) => {
    if (prev === null || k.total !== prev) rank = n + 1
    prev = k.total
    return {...item, rank}
  })
}
