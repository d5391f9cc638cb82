// The security grade as a metric: runs after the http collector and the page session and puts
// the SEC-018 grade (score, letter, table version, per-test modifiers) under
// artifacts.security.metrics, which the pipeline copies to result.metrics.security.
// It only combines facts the other collectors gathered; the computation is the audit's own
// (src/audits/security/grade.ts), so the metric and the SEC-018 finding always agree.
import type {GatherContext} from '../core/types.js'
import {computeGrade} from '../audits/security/grade.js'

export const after = ['http', 'page']

export interface SecurityArtifact {
  metrics: {grade: string | null; score: number | null; table: string | null; tests?: Array<{test: string; result: string; modifier: number}>}
}

export async function collect(ctx: GatherContext): Promise<SecurityArtifact> {
  const g = computeGrade(ctx.artifacts, ctx.profile, ctx.options as unknown as Record<string, unknown>)
  if (!g) return {metrics: {grade: null, score: null, table: null}}
  return {metrics: {grade: g.grade, score: g.score, table: g.table, tests: g.tests}}
}
