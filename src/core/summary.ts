// The summary of a multi-app run (reports/summary.json) and how its exit code is worked out;
// written by src/cli/many.ts, merged by src/core/merge.ts.
import type {Lang, ResultDocument} from './types.js'

export interface AppSummary {
  appDir: string
  appId?: string
  verdict?: 'pass' | 'fail' | 'incomplete'
  exitCode: number
  error?: string
  categories?: ResultDocument['categories']
  result?: string
  durationMs?: number
}

export interface Summary {
  schemaVersion: '1.0'
  kind: 'sjt-summary'
  lang: Lang
  shard?: string
  merged?: string[]
  totals: {apps: number; pass: number; fail: number; error: number}
  apps: AppSummary[]
}

/** The worst outcome wins: input errors (2) and environment failures (3) over a failed gate (1). */
export function worstExit(codes: number[]): number {
  return codes.includes(2) ? 2 : codes.includes(3) ? 3 : codes.includes(1) ? 1 : 0
}

export function totalsOf(apps: Pick<AppSummary, 'exitCode'>[]): Summary['totals'] {
  return {
    apps: apps.length,
    pass: apps.filter((a) => a.exitCode === 0).length,
    fail: apps.filter((a) => a.exitCode === 1).length,
    error: apps.filter((a) => a.exitCode !== 0 && a.exitCode !== 1).length,
  }
}
