// The apiprobe artifact (src/gather/apiprobe.ts): the live probe's per-operation results and
// latency timings. Schema: standards/schemas/artifacts/apiprobe.schema.json.

// Types of the live probe's artifact: per-operation results and latency timings, and the login
// session the probe reads from ctx.shared.
export interface ProbeTimings {
  count: number
  p50: number
  p95: number
  min: number
  max: number
}

export interface ProbeResult {
  label: string
  method: string
  /** The contract file (docs key) and JSON Pointer of the operation. */
  doc?: string
  pointer?: string
  url?: string
  verdict: 'pass' | 'fail' | 'error' | 'skipped'
  message: string
  status?: number
  timings?: ProbeTimings
}

export interface ApiProbeArtifact {
  base: string | null
  source: 'api-base' | 'servers' | null
  note?: string
  operations: ProbeResult[]
  metrics: {base: string | null; requests: number; operations: Record<string, {p50: number; p95: number; n: number}>}
}
