// CSV cells (RFC 4180) that a spreadsheet cannot take for a formula: following OWASP's rule on
// CSV injection, a text cell beginning with = + - @ TAB or CR gets a leading apostrophe and is
// quoted. Numbers stay numbers (a negative number is data, not a formula).
const FORMULA_START = /^[=+\-@\t\r]/

/** True when a spreadsheet would take this text for a formula (the cell then gets a leading apostrophe). */
export function formulaLike(s: string): boolean {
  return FORMULA_START.test(s)
}

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  let s = String(v)
  const formula = formulaLike(s)
  if (formula) s = "'" + s
  return formula || /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
