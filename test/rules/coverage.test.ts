// Every rule of the profile has its home in fixtures/rules/<RULE-ID>/ with a pass and a fail
// fixture, and every folder there belongs to a rule; expect.yaml names only fixtures that exist.
import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {profile, ruleFixtures, RULES_DIR} from '../helpers/rule-tester.js'

describe('rule fixtures', () => {
  const ids = profile.rules.map((r) => r.id)

  it('every rule of the profile has a folder with a pass and a fail fixture', () => {
    const missing: string[] = []
    for (const id of ids) {
      if (!existsSync(path.join(RULES_DIR, id))) {
        missing.push(`${id}: no folder fixtures/rules/${id}/`)
        continue
      }
      const fx = ruleFixtures(id) // throws on an expect.yaml naming what is not there
      if (!fx.some((f) => f.kind === 'pass')) missing.push(`${id}: no pass fixture`)
      if (!fx.some((f) => f.kind === 'fail')) missing.push(`${id}: no fail fixture`)
    }
    expect(missing).toEqual([])
  })

  it('every folder of fixtures/rules/ is a rule of the profile', () => {
    const stray = readdirSync(RULES_DIR).filter((n) => !ids.includes(n))
    expect(stray).toEqual([])
  })

  it('a rule without fixtures is reported', () => {
    expect(() => ruleFixtures('NOPE-001')).toThrow(/not a rule of the profile/)
    expect(profile.rules.length).toBeGreaterThanOrEqual(76)
  })
})
