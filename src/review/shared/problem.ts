// What the review server and its client both check, so that both sides of the API agree: the
// problem (an HTTP status, a problem kind and a detail) and the bounds of a JSON value (depth,
// NUL characters, lone surrogates) that no store can keep faithfully.

/** The deepest nesting of arrays and objects a body may have (a result document needs far fewer). */
const MAX_JSON_DEPTH = 200

export class Problem extends Error {
  constructor(
    public readonly status: number,
    public readonly kind: string,
    public readonly detail?: string,
    public readonly ext: Record<string, unknown> = {},
    public readonly headers: Record<string, string> = {},
  ) {
    super(kind)
  }
}

/**
 * Walk a parsed body without recursion: nesting deeper than MAX_JSON_DEPTH, a NUL character or an
 * unpaired surrogate in any string or member name is refused (400) — no store can keep them
 * faithfully (PostgreSQL text holds no NUL; UTF-8 has no lone surrogates).
 */
export function checkJsonValue(value: unknown): void {
  const bad = (where: string, what: string) => new Problem(400, 'malformed-request', `${what} at ${(where || '/').slice(0, 300)}`)
  const checkString = (s: string, where: string) => {
    if (s.includes('\u0000')) throw bad(where, 'a string holds a NUL character')
    if (!(s as string & {isWellFormed(): boolean}).isWellFormed()) throw bad(where, 'a string holds an unpaired surrogate')
  }
  const stack: Array<{v: unknown; depth: number; where: string}> = [{v: value, depth: 0, where: ''}]
  while (stack.length) {
    const {v, depth, where} = stack.pop()!
    if (typeof v === 'string') {
      checkString(v, where)
      continue
    }
    if (typeof v !== 'object' || v === null) continue
    if (depth >= MAX_JSON_DEPTH) throw bad(where, `the body is nested deeper than ${MAX_JSON_DEPTH} levels`)
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i]
        if (typeof x === 'object' && x !== null) stack.push({v: x, depth: depth + 1, where: `${where}/${i}`})
        else if (typeof x === 'string') checkString(x, `${where}/${i}`)
      }
    } else {
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k]
        checkString(k, where)
        if (typeof x === 'object' && x !== null) stack.push({v: x, depth: depth + 1, where: `${where}/${k}`})
        else if (typeof x === 'string') checkString(x, `${where}/${k}`)
      }
    }
  }
}
