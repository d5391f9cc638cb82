// Small Lighthouse artifacts for the PERF rules: a good page, pages built from runs, the artifact
// around them (the shape `--from-artifacts` reads as lighthouse.artifacts.json). Used by
// audits.test.ts and by make-fixtures.ts (fixtures/rules/PERF-…/).
import {medianRun, summarizePage, type LhPage, type LhRun, type LighthouseArtifact, type RunMetrics, MEDIAN_RULE} from '../../src/gather/lighthouse.js'

export const GOOD: RunMetrics = {lcpMs: 1200, fcpMs: 900, tbtMs: 40, cls: 0.01, ttiMs: 1500, speedIndexMs: 1100, transferBytes: 300 * 1024, jsBytes: 100 * 1024, requests: 8, score: 96}

export function page(runs: Array<RunMetrics | {error: string}>, extra: Partial<LhPage> = {}): LhPage {
  const rs: LhRun[] = runs.map((r, i) => ('error' in r ? {run: i + 1, durationMs: 5000, error: {code: r.error as string, message: `${r.error} happened`}} : {run: i + 1, durationMs: 5000, metrics: r}))
  const p: LhPage = {role: 'entry', url: 'http://127.0.0.1:9/m/', source: '--url', probe: {status: 200, dclMs: 300}, runs: rs, medianRun: medianRun(rs), ...extra}
  return p
}

export function artifact(pages: LhPage[]): LighthouseArtifact {
  const summaries = pages.map(summarizePage)
  return {
    lighthouseVersion: '12.8.2',
    throttling: 'simulate',
    formFactor: 'mobile',
    runsRequested: 3,
    medianRule: MEDIAN_RULE,
    pages,
    metrics: {pages: pages.map((p) => ({page: p.role, url: p.url, medianRun: p.medianRun}))},
    namedMetrics: {perf: {...summaries[0], ...(summaries.length > 1 ? {pages: summaries.slice(1)} : {})}},
  }
}

