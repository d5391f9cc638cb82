// The auth artifact: how the login bootstrap (src/core/auth.ts) went, when the run has a login.
// Schema: standards/schemas/artifacts/auth.schema.json.

export interface AuthOutcome {
  ok: boolean
  kind: string
  step?: string
  message: string
}
