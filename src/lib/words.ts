// Nearest words, for "did you mean" on a mistyped command or category.

/** Edit distance (insert, delete, substitute, swap of neighbours) between two short words. */
export function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length)
  const d: number[][] = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/** The candidate nearest to `word`, when it is close enough to be a typo of it (at most a third of its letters differ). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase()
  let best: {c: string; d: number} | undefined
  for (const c of candidates) {
    const dist = distance(w, c.toLowerCase())
    if (!best || dist < best.d) best = {c, d: dist}
  }
  if (!best) return undefined
  return best.d <= Math.max(1, Math.floor(Math.max(w.length, best.c.length) / 3)) ? best.c : undefined
}
