// The manifest artifact (src/gather/manifest.ts): sjt.yaml/sjt.json as data, with the source
// position of every node. Schema: standards/schemas/artifacts/manifest.schema.json.

export interface ManifestArtifact {
  /** As the user named it (relative to the working folder when inside it). */
  file: string
  dir: string
  format: 'yaml' | 'json'
  data: Record<string, any>
  /** JSON Pointer → [line, column] of the value node; `keys` → of the key node. */
  positions: Record<string, [number, number]>
  keys: Record<string, [number, number]>
}
