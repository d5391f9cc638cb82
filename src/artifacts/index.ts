// The artifacts of a run: what collectors gather (src/gather/<name>.ts) and audits read
// (src/audits/<category>/). Each has its TypeScript type in this folder and its JSON Schema in
// standards/schemas/artifacts/<name>.schema.json, checked when artifacts are loaded with
// --from-artifacts (src/artifacts/load.ts). Audits import from here, never from collectors.
import type {ApiProbeArtifact} from './apiprobe.js'
import type {AuthOutcome} from './auth.js'
import type {ContractArtifact} from './contract.js'
import type {HttpArtifact} from './http.js'
import type {LighthouseArtifact} from './lighthouse.js'
import type {ManifestArtifact} from './manifest.js'
import type {MiniprogramArtifact} from './miniprogram.js'
import type {PageArtifact} from './page.js'
import type {TargetsArtifact} from './targets.js'

/** An artifact that could not be gathered: the rules that need it report `error` with the cause. */
export interface ArtifactError {
  __error: {message: string; exitCode: 2 | 3}
}

/** Each artifact by the name rules list under `requires:` (and the file name `<name>.artifacts.json`). */
export interface ArtifactMap {
  /** null: the run has no manifest (URL mode, a mini-program project given directly). */
  manifest: ManifestArtifact | null
  targets: TargetsArtifact
  contract: ContractArtifact
  apiprobe: ApiProbeArtifact
  http: HttpArtifact
  page: PageArtifact
  lighthouse: LighthouseArtifact
  /** null: the run has no mini-program project. */
  miniprogram: MiniprogramArtifact | null
  auth: AuthOutcome
}

export type ArtifactName = keyof ArtifactMap

/** Every artifact name, in the order a run gathers them. */
export const ARTIFACT_NAMES = ['manifest', 'targets', 'contract', 'apiprobe', 'http', 'page', 'lighthouse', 'miniprogram', 'auth'] as const satisfies readonly ArtifactName[]

export function isArtifactName(name: string): name is ArtifactName {
  return (ARTIFACT_NAMES as readonly string[]).includes(name)
}

export type Artifacts = {[K in ArtifactName]?: ArtifactMap[K] | ArtifactError}

export function artifactError(a: unknown): ArtifactError['__error'] | null {
  return a && typeof a === 'object' && '__error' in a ? (a as ArtifactError).__error : null
}

/** The artifact when it was gathered, else undefined (absent, null or failed). */
export function artifactOf<K extends ArtifactName>(artifacts: Artifacts, name: K): NonNullable<ArtifactMap[K]> | undefined {
  const a = artifacts[name]
  if (!a || artifactError(a)) return undefined
  return a as NonNullable<ArtifactMap[K]>
}
