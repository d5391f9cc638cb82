// Escaping for the console's server-rendered pages: every value from the store or a request goes
// through `esc` or the `html` tag; `raw` marks markup built here.
export class Raw {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

export const raw = (s: string): Raw => new Raw(s)

export function esc(v: unknown): string {
  return String(v ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/** Tagged template: interpolated values are escaped unless they are `Raw` (or arrays of them). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0]
  values.forEach((v, i) => {
    const part = Array.isArray(v) ? v.map((x) => (x instanceof Raw ? x.value : esc(x))).join('') : v instanceof Raw ? v.value : esc(v)
    out += part + strings[i + 1]
  })
  return new Raw(out)
}
