// The verdict as one pure function of the document's findings, failOn, waivers and baseline.
import {describe, expect, it} from 'vitest'
import {computeVerdict, verdictOfDocument, type VerdictFinding} from '../../src/core/verdict.js'

const f = (over: Partial<VerdictFinding> = {}): VerdictFinding => ({ruleId: 'SEC-001', category: 'security', severity: 'error', status: 'pass', ...over})

describe('computeVerdict', () => {
  it('fails on a failing finding at or above failOn, and only then', () => {
    expect(computeVerdict({findings: [f({status: 'fail'})], failOn: 'error'})).toBe('fail')
    expect(computeVerdict({findings: [f({status: 'fail', severity: 'warn'})], failOn: 'error'})).toBe('pass')
    expect(computeVerdict({findings: [f({status: 'fail', severity: 'warn'})], failOn: 'warn'})).toBe('fail')
    expect(computeVerdict({findings: [f({status: 'fail'})], failOn: 'never'})).toBe('pass')
  })

  it('a waived finding is excused only by a live waiver in the document that names it', () => {
    const waived = f({status: 'waived', location: {url: 'https://stats.example.com/a.js'}})
    expect(computeVerdict({findings: [waived], failOn: 'error'})).toBe('fail')
    expect(computeVerdict({findings: [waived], failOn: 'error', waivers: [{rule: 'sec-001', expires: '2099-01-01', state: 'active'}]})).toBe('pass')
    expect(computeVerdict({findings: [waived], failOn: 'error', waivers: [{rule: 'SEC-001', location: 'stats.example.com', expires: '2099-01-01'}]})).toBe('pass')
    expect(computeVerdict({findings: [waived], failOn: 'error', waivers: [{rule: 'SEC-001', location: 'other.example.com', expires: '2099-01-01'}]})).toBe('fail')
    expect(computeVerdict({findings: [waived], failOn: 'error', waivers: [{rule: 'SEC-002', expires: '2099-01-01'}]})).toBe('fail')
    expect(computeVerdict({findings: [waived], failOn: 'error', waivers: [{rule: 'SEC-001', expires: '2099-01-01', state: 'expired'}]})).toBe('fail')
    expect(computeVerdict({findings: [waived], failOn: 'error', day: '2026-05-02', waivers: [{rule: 'SEC-001', expires: '2026-05-01'}]})).toBe('fail')
    expect(computeVerdict({findings: [waived], failOn: 'error', day: '2026-05-01', waivers: [{rule: 'SEC-001', expires: '2026-05-01'}]})).toBe('pass')
  })

  it('a known baseline failure is excused only when the run had a baseline', () => {
    const known = f({status: 'fail', baseline: 'known'})
    expect(computeVerdict({findings: [known], failOn: 'error'})).toBe('fail')
    expect(computeVerdict({findings: [known], failOn: 'error', baseline: {knownFailures: 1}})).toBe('pass')
    expect(computeVerdict({findings: [known, f({status: 'fail', baseline: 'new', ruleId: 'SEC-002'})], failOn: 'error', baseline: {knownFailures: 1}})).toBe('fail')
  })

  it('a whole category that errored, or a failed login, makes the run incomplete (not pass)', () => {
    const broken = [f({status: 'error'}), f({ruleId: 'SEC-002', status: 'error'}), f({ruleId: 'MAN-001', category: 'manifest', status: 'pass'})]
    expect(computeVerdict({findings: broken, failOn: 'error'})).toBe('incomplete')
    // One rule erring among judged ones is not a whole category.
    expect(computeVerdict({findings: [f({status: 'error'}), f({ruleId: 'SEC-002'})], failOn: 'error'})).toBe('pass')
    expect(computeVerdict({findings: [f()], failOn: 'error', categories: {perf: {status: 'error'}}})).toBe('incomplete')
    expect(computeVerdict({findings: [f()], failOn: 'error', auth: {ok: false}})).toBe('incomplete')
    // A failure found before the rest broke is still a failure.
    expect(computeVerdict({findings: [...broken, f({ruleId: 'MAN-002', category: 'manifest', status: 'fail'})], failOn: 'error'})).toBe('fail')
  })

  it('verdictOfDocument reads the same fields from a result document', () => {
    expect(verdictOfDocument({findings: [f({status: 'fail'})]})).toBe('fail')
    expect(verdictOfDocument({findings: [f({status: 'fail', severity: 'warn'})], failOn: 'warn'})).toBe('fail')
    expect(verdictOfDocument({findings: [f({status: 'fail', baseline: 'known'})], baseline: {knownFailures: 1}})).toBe('pass')
  })
})
