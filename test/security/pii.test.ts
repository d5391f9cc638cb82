// The personal-information detector: exact ID numbers (GB 11643 check character, region, birth
// date), mobile numbers by prefix, masked forms, and optional bank cards (Luhn).
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {idCheckChar, isValidIdNumber} from '../../src/lib/identifiers.js'
import {findPii, findPiiInUrl, isBankCard, luhnValid, maskId, maskMobile} from '../../src/lib/pii.js'

const NOW = new Date('2026-11-26T00:00:00Z')
const id = (first17: string) => first17 + idCheckChar(first17)
const VALID = id('14010519900307123')
const kinds = (text: string, opts = {}) => findPii(text, {now: NOW, ...opts}).map((h) => h.kind)

describe('ID numbers', () => {
  it('finds a valid ID number and masks it as 1401**********1234', () => {
    const hits = findPii(`申请人身份证号：${VALID}。`, {now: NOW})
    expect(hits).toHaveLength(1)
    expect(hits[0]).toMatchObject({kind: 'idNumber', value: VALID})
    expect(hits[0].masked).toBe(VALID.slice(0, 4) + '**********' + VALID.slice(-4))
  })

  it('a wrong check character is not an ID number', () => {
    const wrong = VALID.slice(0, 17) + (VALID[17] === '0' ? '1' : '0')
    expect(kinds(wrong)).toEqual([])
  })

  it('a check character X (upper or lower case) is read', () => {
    // Search a 17-digit prefix whose check character is X.
    let first17 = ''
    for (let seq = 100; seq < 999; seq++) {
      const c = '14010519900307' + seq
      if (idCheckChar(c) === 'X') {
        first17 = c
        break
      }
    }
    expect(kinds(first17 + 'X')).toEqual(['idNumber'])
    expect(kinds(`号码${first17}x结束`)).toEqual(['idNumber'])
    expect(kinds(first17 + 'X1')).toEqual([])
  })

  it('an impossible birth date is not an ID number even with a matching check character', () => {
    expect(kinds(id('14010519901307123'))).toEqual([]) // month 13
    expect(kinds(id('14010519900230123'))).toEqual([]) // 30 February
    expect(kinds(id('14010520300101123'))).toEqual([]) // born in the future
    expect(kinds(id('14010518000101123'))).toEqual([]) // before 1880
  })

  it('an unknown province prefix is not an ID number', () => {
    expect(kinds(id('99010519900307123'))).toEqual([])
    expect(kinds(id('00010519900307123'))).toEqual([])
  })

  it('residence permits of Hong Kong, Macao and Taiwan residents (810000/820000/830000) are personal identifiers', () => {
    for (const r of ['810000', '820000', '830000']) {
      const hits = findPii(`居住证号码 ${id(r + '19850101123')}`, {now: NOW})
      expect(hits.map((h) => [h.kind, h.permit]), r).toEqual([['idNumber', true]])
    }
    // The old rule dropped prefixes 81/82 outright; 71 (台湾省) is no issuing region of these numbers.
    expect(kinds(id('71000019850101123'))).toEqual([])
  })

  it('the region part is checked against GB/T 2260, withdrawn codes included', () => {
    expect(kinds(id('14010219700101123'))).toEqual(['idNumber']) // 太原市南城区, withdrawn 1997
    expect(kinds(id('14019919700101123'))).toEqual([]) // never a code
  })

  it('a lowercase x is reported as such', () => {
    let first17 = ''
    for (let seq = 100; seq < 999 && !first17; seq++) if (idCheckChar('14010519900307' + seq) === 'X') first17 = '14010519900307' + seq
    expect(findPii(`号码${first17}x`, {now: NOW})[0]).toMatchObject({kind: 'idNumber', lowercaseX: true})
    expect(findPii(`号码${first17}X`, {now: NOW})[0].lowercaseX).toBeUndefined()
  })

  it('a valid number inside a longer digit run is not an ID number', () => {
    expect(kinds('9' + VALID)).toEqual([])
    expect(kinds(VALID + '7')).toEqual([])
  })

  it('masked forms pass', () => {
    expect(kinds('1401**********1234')).toEqual([])
    expect(kinds(maskId(VALID))).toEqual([])
    expect(kinds('140105********1234')).toEqual([])
  })
})

describe('mobile numbers', () => {
  it('finds 1[3-9] + 9 digits and masks the middle four', () => {
    const hits = findPii('联系电话 13812345678', {now: NOW})
    expect(hits.map((h) => [h.kind, h.masked])).toEqual([['mobile', '138****5678']])
  })

  it('other prefixes and lengths are not mobile numbers', () => {
    expect(kinds('12812345678')).toEqual([])
    expect(kinds('10012345678')).toEqual([])
    expect(kinds('1381234567')).toEqual([])
    expect(kinds('138123456789')).toEqual([])
    expect(kinds('0351-12345678')).toEqual([])
  })

  it('is not found inside a longer digit run (order numbers, timestamps)', () => {
    expect(kinds('订单号 2024113812345678')).toEqual([])
    expect(kinds('13812345678901')).toEqual([])
  })

  it('reads +86, 0086 and spaced or hyphenated forms', () => {
    expect(kinds('+8613812345678')).toEqual(['mobile'])
    expect(kinds('008613812345678')).toEqual(['mobile'])
    expect(kinds('+86 13812345678')).toEqual(['mobile'])
    expect(kinds('138 1234 5678')).toEqual(['mobile'])
    expect(kinds('138-1234-5678')).toEqual(['mobile'])
    expect(kinds('138-1234 5678')).toEqual([])
    expect(kinds('8613812345678')).toEqual([])
  })

  it('masked forms pass', () => {
    expect(kinds('139****5678')).toEqual([])
    expect(kinds(maskMobile('13812345678'))).toEqual([])
  })

  it('allowed numbers (a published service phone) are skipped', () => {
    expect(kinds('服务热线 13912345678', {allow: ['13912345678']})).toEqual([])
  })
})

describe('bank cards (optional)', () => {
  it('Luhn', () => {
    expect(luhnValid('6222021234567890128')).toBe(luhnValid('6222021234567890128'))
    expect(luhnValid('79927398713')).toBe(true)
    expect(luhnValid('79927398710')).toBe(false)
  })

  it('only when asked for, with a network prefix and a valid Luhn digit', () => {
    // Build a Luhn-valid 19-digit UnionPay number.
    const base = '622202123456789012'
    const card = base + [...'0123456789'].find((d) => luhnValid(base + d))!
    expect(isBankCard(card)).toBe(true)
    expect(kinds(card)).toEqual([])
    expect(kinds(card, {kinds: ['bankCard']})).toEqual(['bankCard'])
    const bad = card.slice(0, -1) + String((Number(card.slice(-1)) + 1) % 10)
    expect(kinds(bad, {kinds: ['bankCard']})).toEqual([])
  })
})

describe('URLs', () => {
  it('finds personal information in path and query, percent-encoded too, and ignores the fragment', () => {
    expect(findPiiInUrl(`https://a.example/api/user/${VALID}`, {now: NOW}).map((h) => h.part)).toEqual(['path'])
    expect(findPiiInUrl(`https://a.example/q?phone=%2B8613812345678`, {now: NOW}).map((h) => h.part)).toEqual(['query'])
    expect(findPiiInUrl(`https://a.example/#${VALID}`, {now: NOW})).toEqual([])
    expect(findPiiInUrl('https://a.example/q?id=1401**********1234', {now: NOW})).toEqual([])
  })
})

describe('properties', () => {
  // Random valid ID numbers: province from a fixed set, a real date, any sequence.
  const validId = fc
    .record({
      region: fc.constantFrom('110105', '140105', '140202', '310101', '440305', '650102'),
      date: fc.date({min: new Date('1900-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true}),
      seq: fc.integer({min: 0, max: 999}),
    })
    .map(({region, date, seq}) => id(region + date.toISOString().slice(0, 10).replace(/-/g, '') + String(seq).padStart(3, '0')))
  const filler = fc.string({unit: fc.constantFrom('a', ' ', '，', '号', ':', '-', '*', '<', '"'), maxLength: 20})

  it('every valid ID number is found, exactly where it is, in any surrounding text', () => {
    fc.assert(
      fc.property(validId, filler, filler, (v, before, after) => {
        expect(isValidIdNumber(v, NOW)).toBe(true)
        const hits = findPii(before + v + after, {now: NOW})
        expect(hits.filter((h) => h.kind === 'idNumber').map((h) => [h.value, h.index])).toEqual([[v, before.length]])
      }),
      {numRuns: 300},
    )
  })

  it('changing the check character of a valid ID number always makes it not an ID number', () => {
    fc.assert(
      fc.property(validId, fc.constantFrom(...'0123456789X'), (v, c) => {
        fc.pre(c !== v[17])
        expect(findPii(v.slice(0, 17) + c, {now: NOW}).filter((h) => h.kind === 'idNumber')).toEqual([])
      }),
      {numRuns: 300},
    )
  })

  it('the masked form of anything found is never found again', () => {
    fc.assert(
      fc.property(fc.oneof(validId, fc.integer({min: 3, max: 9}).chain((p) => fc.stringMatching(/^\d{9}$/).map((r) => `1${p}${r}`))), (v) => {
        const hits = findPii(v, {now: NOW})
        expect(hits).toHaveLength(1)
        expect(findPii(hits[0].masked, {now: NOW})).toEqual([])
      }),
      {numRuns: 300},
    )
  })

  it('random digit strings never crash and every hit is a valid ID or mobile number bounded by non-digits', () => {
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom(...'0123456789 X-+'), maxLength: 80}), (s) => {
        for (const h of findPii(s, {now: NOW})) {
          if (h.kind === 'idNumber') expect(isValidIdNumber(h.value, NOW)).toBe(true)
          else expect(h.value).toMatch(/^1[3-9]\d{9}$/)
          expect(s[h.index - 1] ?? '').not.toMatch(/\d/)
        }
      }),
      {numRuns: 500},
    )
  })
})
