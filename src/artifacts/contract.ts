// The contract artifact (src/gather/contract.ts): the OpenAPI contract and the files its $refs
// name, with positions, its problems, and the provincial contracts of the profile.
// Schema: standards/schemas/artifacts/contract.schema.json.
import type {SourceDoc, SourceLocation as Location} from '../lib/openapi/model.js'

export interface ContractProblem {
  kind: 'version' | 'schema' | 'spec' | 'ref' | 'refCycle' | 'remote' | 'limit' | 'opRef' | 'refSibling'
  status: 'fail' | 'error'
  /** A failure that only a strict reading of the specification sees: reported as a warning. */
  severity?: 'warn'
  details?: Record<string, unknown>
  message: string
  location: Location
  key: string
}

export interface ContractArtifact {
  /** A contract was named by the manifest and read. */
  declared: boolean
  /** Why there is no contract: no manifest, or no `contract:` in it. */
  reason?: 'no-manifest' | 'no-contract'
  /** Location of the manifest's `contract:` (or of the manifest). */
  manifestLocation?: Location
  file?: string
  main?: string
  /** `openapi` field of the document, when it has one. */
  version?: string
  /** The document is OpenAPI 3.0.x or 3.1.x, so the other rules can read it. */
  usable: boolean
  docs: Record<string, SourceDoc>
  problems: ContractProblem[]
  /** The provincial contracts of the profile (nearest profile wins per file name). */
  provincial: {docs: Record<string, SourceDoc>; files: string[]}
  metrics: {files: number; bytes: number; operations: number; parseMs: number; validateMs: number}
}
