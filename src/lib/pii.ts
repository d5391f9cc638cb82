// Exact personal-information detection for SEC-013 / SEC-014.
//
// Candidates are maximal runs of digits, never substrings of a longer run:
// - ID number (公民身份号码, GB 11643-1999): an 18-character run (17 digits + digit or X) whose
//   GB/T 2260 region (withdrawn codes included), birth date and ISO 7064 MOD 11-2 check character
//   are all valid; residence-permit numbers of Hong Kong, Macao and Taiwan residents (region
//   810000/820000/830000) are the same format and count too. A lowercase x check character still
//   identifies the person (the hit says so: GB 11643 writes X). A run that is only ID-shaped
//   (wrong check character, 13th month, unknown region) is not one.
// - Mobile number: an 11-digit run 1[3-9]xxxxxxxxx; also written 139 1234 5678 / 139-1234-5678
//   (one consistent separator), or prefixed +86 / 0086.
// - Bank card (optional, off unless asked for): a 16–19 digit run that is not an ID number,
//   starts with a card-network prefix (62 UnionPay, 4, 51–55, 22–27) and passes the Luhn check.
//   Card numbers are easy to confuse with order and serial numbers, so the profile leaves this
//   kind out of its defaults; a profile can add `bankCard` to SEC-013/SEC-014 `detect`.
// Masked forms (1401**********1234, 139****5678) contain no such run and therefore pass.
import {idNumberKind, isMobile, isValidIdNumber} from './identifiers.js'

export type PiiKind = 'idNumber' | 'mobile' | 'bankCard'
export const DEFAULT_PII_KINDS: PiiKind[] = ['idNumber', 'mobile']

export interface PiiHit {
  kind: PiiKind
  /** The digits as found (separators removed). Never print this: use `masked`. */
  value: string
  /** The masked form, safe to show in a report. */
  masked: string
  /** Offset of the match in the scanned text. */
  index: number
  /** ID numbers: a Hong Kong/Macao/Taiwan residence permit; written with a lowercase x. */
  permit?: boolean
  lowercaseX?: boolean
}

export interface PiiOptions {
  kinds?: PiiKind[]
  /** Birth dates after this instant are not valid (default: now). */
  now?: Date
  /** Stop after this many hits (default 1000). */
  maxHits?: number
  /** Values to ignore (e.g. the department's published service phone), digits only. */
  allow?: Iterable<string>
}

/** 1401**********1234: first 4 and last 4 characters kept (the profile's masking, GB/T 35273-2020 §6.2). */
export function maskId(s: string): string {
  return s.slice(0, 4) + '*'.repeat(Math.max(0, s.length - 8)) + s.slice(-4)
}

/** 139****5678: the middle 4 digits hidden. */
export function maskMobile(s: string): string {
  return s.slice(0, 3) + '****' + s.slice(7)
}

/** 6222********1234: first 4 and last 4 kept. */
function maskBankCard(s: string): string {
  return maskId(s)
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

/** A plausible bank card number: 16–19 digits, a card-network prefix, Luhn valid. */
export function isBankCard(digits: string): boolean {
  return /^\d{16,19}$/.test(digits) && /^(62|4|5[1-5]|2[2-7])/.test(digits) && luhnValid(digits)
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'

/** Every personal-information value in `text`, in order of appearance. */
export function findPii(text: string, opts: PiiOptions = {}): PiiHit[] {
  const kinds = new Set(opts.kinds ?? DEFAULT_PII_KINDS)
  const now = opts.now ?? new Date()
  const max = opts.maxHits ?? 1000
  const allow = new Set(opts.allow ?? [])
  const hits: PiiHit[] = []
  const push = (h: PiiHit) => {
    if (!allow.has(h.value) && hits.length < max) hits.push(h)
  }
  // Maximal digit runs, with an optional X/x check character right after 17 digits.
  const run = /\d+/g
  let m: RegExpExecArray | null
  while ((m = run.exec(text)) && hits.length < max) {
    const digits = m[0]
    const start = m.index
    const before = text[start - 1]
    const after = text[start + digits.length]
    if (kinds.has('idNumber')) {
      if (digits.length === 18 && isValidIdNumber(digits, now)) {
        push({kind: 'idNumber', value: digits, masked: maskId(digits), index: start, ...(idNumberKind(digits) === 'permit' ? {permit: true} : {})})
        continue
      }
      if (digits.length === 17 && (after === 'X' || after === 'x') && !isDigit(text[start + 18])) {
        const id = digits + 'X'
        if (isValidIdNumber(id, now)) {
          push({kind: 'idNumber', value: id, masked: maskId(id), index: start, ...(idNumberKind(id) === 'permit' ? {permit: true} : {}), ...(after === 'x' ? {lowercaseX: true} : {})})
          run.lastIndex = start + 18
          continue
        }
      }
    }
    if (kinds.has('mobile')) {
      let mobile: string | null = null
      if (digits.length === 11 && isMobile(digits)) mobile = digits
      else if (digits.length === 13 && digits.startsWith('86') && before === '+' && isMobile(digits.slice(2))) mobile = digits.slice(2)
      else if (digits.length === 15 && digits.startsWith('0086') && isMobile(digits.slice(4))) mobile = digits.slice(4)
      if (mobile) {
        push({kind: 'mobile', value: mobile, masked: maskMobile(mobile), index: start})
        continue
      }
      // 139 1234 5678 or 139-1234-5678: three runs joined by one consistent separator.
      if (digits.length === 3 && /^1[3-9]\d$/.test(digits) && !isDigit(before) && before !== '-') {
        const sep = after
        if (sep === ' ' || sep === '-') {
          const rest = text.slice(start + 3, start + 13)
          const re = sep === ' ' ? /^ (\d{4}) (\d{4})/ : /^-(\d{4})-(\d{4})/
          const mm = re.exec(rest)
          if (mm && !isDigit(text[start + 13]) && text[start + 13] !== sep) {
            const v = digits + mm[1] + mm[2]
            push({kind: 'mobile', value: v, masked: maskMobile(v), index: start})
            run.lastIndex = start + 13
            continue
          }
        }
      }
    }
    if (kinds.has('bankCard') && isBankCard(digits) && !(digits.length === 18 && isValidIdNumber(digits, now))) {
      push({kind: 'bankCard', value: digits, masked: maskBankCard(digits), index: start})
    }
  }
  return hits
}

/** Percent-decoding that never throws (for scanning URLs). */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
  }
}

/** Personal information in a URL's path or query (decoded); the fragment is never sent and is ignored. */
export function findPiiInUrl(url: string, opts: PiiOptions = {}): Array<PiiHit & {part: 'path' | 'query'}> {
  let pathPart = url
  let query = ''
  try {
    const u = new URL(url)
    pathPart = u.pathname
    query = u.search
  } catch {
    const q = url.indexOf('?')
    if (q >= 0) {
      pathPart = url.slice(0, q)
      query = url.slice(q)
    }
    pathPart = pathPart.split('#')[0]
    query = query.split('#')[0]
  }
  return [
    ...findPii(safeDecode(pathPart), opts).map((h) => ({...h, part: 'path' as const})),
    ...findPii(safeDecode(query), opts).map((h) => ({...h, part: 'query' as const})),
  ]
}

/** A URL fit to print: personal information in it replaced by its masked form (decoded where it was percent-encoded). */
export function maskUrl(url: string, opts: PiiOptions = {}): string {
  const hits = findPiiInUrl(url, opts)
  if (hits.length === 0) return url
  const replace = (s: string) => hits.reduce((acc, h) => acc.split(h.value).join(h.masked), s)
  const shown = replace(url)
  return hits.some((h) => shown.includes(h.value)) || findPiiInUrl(shown, opts).length ? replace(safeDecode(url)) : shown
}
