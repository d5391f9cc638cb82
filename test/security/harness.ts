// Runs the http collector and the SEC checks in-process, without the page session, so that
// each rule can be judged from real collected facts or from artifact fixtures.
import {buildOptions} from '../../src/cli/check.js'
import {loadProfile} from '../../src/core/profile.js'
import type {GatherContext, Lang, RawFinding, RunOptions} from '../../src/core/types.js'
import {artifactOf, type Artifacts} from '../../src/artifacts/index.js'
import {buildTargets} from '../../src/gather/targets.js'
import {readManifest} from '../../src/gather/manifest.js'
import {collect as collectHttp} from '../../src/gather/http.js'
import {type HttpArtifact} from '../../src/artifacts/http.js'
import * as security from '../../src/audits/security/index.js'

export const profile = loadProfile('shanxi-2022', 'en')

export function options(manifest?: string, extra: Partial<RunOptions> = {}): RunOptions {
  const o = buildOptions({}, {}, 'en', manifest)
  o.progress = undefined
  return {...o, ...extra}
}

export async function gatherHttp(manifest: string | undefined, extra: Partial<RunOptions> = {}): Promise<{artifacts: Artifacts; options: RunOptions; http: HttpArtifact}> {
  const opts = options(manifest, extra)
  const artifacts: Artifacts = {}
  if (manifest) artifacts.manifest = readManifest(manifest, 'en')
  const ctx: GatherContext = {options: opts, profile, artifacts, shared: new Map()}
  const http = await collectHttp(ctx)
  artifacts.http = http
  return {artifacts, options: opts, http}
}

/** Findings of every SEC rule (or the ones named) over the artifacts, by rule id. */
export function judge(artifacts: Artifacts, opts: RunOptions = options(), ids?: string[], lang: Lang = 'en'): Record<string, RawFinding[]> {
  const out: Record<string, RawFinding[]> = {}
  // The URLs of the options reach the audits as the run gives them: through the targets artifact.
  if (!artifacts.targets) artifacts = {...artifacts, targets: buildTargets(opts, artifactOf(artifacts, 'manifest'))}
  for (const rule of profile.rules.filter((r) => r.category === 'security')) {
    if (ids && !ids.includes(rule.id)) continue
    const fn = security.checks[rule.check.split('.')[1]]
    out[rule.id] = fn({artifacts, params: rule.params, rule, lang, profile})
  }
  return out
}

export const statuses = (fs: RawFinding[] | undefined) => (fs ?? []).map((f) => f.status)
export const failed = (all: Record<string, RawFinding[]>) => Object.keys(all).filter((id) => all[id].some((f) => f.status === 'fail')).sort()
export const messages = (fs: RawFinding[] | undefined) => (fs ?? []).map((f) => `${f.status}: ${f.message}`).join('\n')
