// The targets artifact (src/gather/targets.ts): the URLs a run looks at, worked out once from the
// options and the manifest, read by every collector and audit. Schema:
// standards/schemas/artifacts/targets.schema.json.
import type {TargetRole} from './http.js'
import type {PageTarget} from './page.js'

/** A URL the HTTP/TLS collector fetches, with its role and where it came from. */
export interface PlannedTarget {
  role: TargetRole
  url: string
  source: string
}

/** A page Lighthouse measures (`service`: a service page marked `auth: required`). */
export interface LighthouseTarget {
  role: 'entry' | 'elder' | 'service'
  url: string
  source: string
  name?: string
}

export interface TargetsArtifact {
  /** The URLs given on the command line or in sjt.config.yaml (--url, --elder-url, --api-base): the app's own, whatever they answer. */
  given: {url?: string; elderUrl?: string; apiBase?: string}
  /** The entry checked: --url, else the manifest's app.entry. */
  entry?: string
  /** The pages the browser session visits, in order. */
  pages: PageTarget[]
  /** The pages Lighthouse measures. */
  lighthouse: LighthouseTarget[]
  /** The URLs the HTTP/TLS collector fetches. */
  http: PlannedTarget[]
  /** Pages that need a login (services marked `auth: required`). */
  login: {required: string[]}
}
