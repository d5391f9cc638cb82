// Reading fields of plain JSON (manifests, artifacts) whose shape has not been validated.

/** The value when it is a plain object (not null, not an array). */
export const obj = (v: unknown): Record<string, any> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined)

/** The trimmed string when it is a non-empty string. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined)
