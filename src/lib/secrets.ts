// Secret values (tokens, session cookies, passwords from ${ENV}) are registered here when they are
// read, and masked as *** in everything sjt writes: the result document, artifacts, logs, reports.
const secrets = new Set<string>()

/** Register a secret; values shorter than 4 characters are too common to mask safely. */
export function addSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value)
}

export function maskText(text: string): string {
  if (secrets.size === 0) return text
  let out = text
  // Longest first, so a secret that contains another is masked whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('***')
    const enc = encodeURIComponent(s)
    if (enc !== s) out = out.split(enc).join('***')
  }
  return out
}

/** A deep copy of a JSON value with every secret masked (strings and object keys). */
export function maskDeep<T>(value: T): T {
  if (secrets.size === 0) return value
  return JSON.parse(maskText(JSON.stringify(value))) as T
}

/** For tests. */
export function clearSecrets(): void {
  secrets.clear()
}
