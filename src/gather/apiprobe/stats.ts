// Latency statistics: percentiles and the timings summary of one operation's samples.
import type {ProbeTimings} from '../../artifacts/apiprobe.js'

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  const i = Math.max(0, Math.ceil(p * sorted.length) - 1)
  return sorted[Math.min(i, sorted.length - 1)]
}

export function timings(samples: number[]): ProbeTimings {
  const s = [...samples].sort((a, b) => a - b)
  const r = (n: number) => Math.round(n * 10) / 10
  return {count: s.length, p50: r(percentile(s, 0.5)), p95: r(percentile(s, 0.95)), min: r(s[0] ?? 0), max: r(s[s.length - 1] ?? 0)}
}
