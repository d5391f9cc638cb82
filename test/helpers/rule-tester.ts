// The rule tester: every rule's fixtures live in fixtures/rules/<RULE-ID>/ — entries named pass*
// (the rule passes) and fail* (the rule fails): manifests, contracts, pages, mini-program project
// folders or artifact folders (the `*.artifacts.json` files `--from-artifacts` reads). An optional
// expect.yaml in the folder says more about a fixture, by its name:
//
//   fail-bad-id.yaml:
//     message: ["app.id", "/pattern/"]  # each a substring or /regex/ of some failing finding's message
//     location: {line: 3}               # some failing finding's location has these fields (or a list: each)
//     details: {axeRule: image-alt}     # some failing finding's details have these fields (or a list: each)
//     severity: warn                    # every failing finding has this severity
//     count: 1                          # the number of failing findings of the rule
//     also: [A11Y-002]                  # other rules of the category the fixture fails too
//     errors: [SEC-002]                 # rules of the category it leaves unjudged (`error`)
//     status: not-applicable            # for pass*: the rule is judged not-applicable, not pass
//     elder: elder.html                 # pages: the elder entry beside the page (ELD-010)
//     sparse: {images/big.png: 3145728} # projects: run on a temporary copy with these sparse files
//   pass-sample:
//     use: fixtures/apps/sample/sjt.yaml  # a fixture shared with other rules or the sample apps
//
// Each category's runner (test/rules/<category>.test.ts) turns a fixture into the findings of its
// category through sjt's real pipeline; checkFixture asserts them. Nothing here starts a process or
// a browser: the page runner lives in test/rules/pages.ts.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import YAML from 'yaml'
import {loadProfile} from '../../src/core/profile.js'
import type {Category, Finding} from '../../src/core/types.js'
import {ROOT} from './cli.js'

export const RULES_DIR = path.join(ROOT, 'fixtures', 'rules')
export const profile = loadProfile('shanxi-2022', 'en')

interface Expectation {
  use?: string
  status?: 'pass' | 'not-applicable'
  message?: string | string[]
  location?: Record<string, unknown> | Array<Record<string, unknown>>
  details?: Record<string, unknown> | Array<Record<string, unknown>>
  severity?: 'error' | 'warn' | 'info'
  count?: number
  also?: string[]
  errors?: string[]
  elder?: string
  sparse?: Record<string, number>
}

export interface RuleFixture {
  rule: string
  category: Category
  /** The entry's name in the rule's folder (or the expect.yaml key of a shared fixture). */
  name: string
  /** Absolute path of the file or folder. */
  file: string
  kind: 'pass' | 'fail'
  expect: Expectation
}

const rulesOf = (category: Category): string[] => profile.rules.filter((r) => r.category === category).map((r) => r.id)
const categoryOf = (rule: string): Category => {
  const r = profile.rules.find((x) => x.id === rule)
  if (!r) throw new Error(`${rule} is not a rule of the profile`)
  return r.category
}

function readExpectations(dir: string): Record<string, Expectation> {
  const file = path.join(dir, 'expect.yaml')
  if (!existsSync(file)) return {}
  const data = YAML.parse(readFileSync(file, 'utf8')) ?? {}
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file}: a map of fixture name → expectation`)
  return data as Record<string, Expectation>
}

/** The pass* and fail* fixtures of a rule, with their expectations. */
export function ruleFixtures(rule: string): RuleFixture[] {
  const category = categoryOf(rule)
  const dir = path.join(RULES_DIR, rule)
  if (!existsSync(dir)) return []
  const expectations = readExpectations(dir)
  const names = new Set(readdirSync(dir).filter((n) => /^(pass|fail)/.test(n)))
  for (const [name, e] of Object.entries(expectations)) {
    if (e?.use) names.add(name)
    else if (!names.has(name)) throw new Error(`${dir}/expect.yaml names ${name}, which is not in the folder`)
  }
  return [...names].sort().map((name) => {
    const e = expectations[name] ?? {}
    const file = e.use ? path.join(ROOT, e.use) : path.join(dir, name)
    if (!existsSync(file)) throw new Error(`${rule}/${name}: ${file} does not exist`)
    return {rule, category, name, file, kind: name.startsWith('pass') ? 'pass' : 'fail', expect: e}
  })
}

const failedRules = (findings: Finding[]) => [...new Set(findings.filter((f) => f.status === 'fail').map((f) => f.ruleId))].sort()

function matches(text: string, want: string): boolean {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(want)
  return re ? new RegExp(re[1], re[2]).test(text) : text.includes(want)
}

/**
 * Asserts the findings of the fixture's category: a pass fixture passes its rule (no finding
 * fails, one passes; or all not-applicable where declared) and fails no rule but those of `also`; a fail fixture
 * fails its rule and no rule but those of `also`; no rule of the category is left in `error` but
 * those of `errors`.
 */
function checkFixture(fx: RuleFixture, findings: Finding[]): void {
  const key = `${fx.rule}/${fx.name}`
  const own = findings.filter((f) => f.ruleId === fx.rule)
  expect(own.length, `${key}: no finding of ${fx.rule}`).toBeGreaterThan(0)
  const errors = fx.expect.errors ?? []
  expect(findings.filter((f) => f.status === 'error' && !errors.includes(f.ruleId)).map((f) => `${f.ruleId}: ${f.message}`), key).toEqual([])
  for (const id of errors) expect(findings.some((f) => f.ruleId === id && f.status === 'error'), `${key}: ${id} is not in error`).toBe(true)
  const also = fx.expect.also ?? []
  const detail = () => `${key}: ${JSON.stringify(own.map((f) => [f.status, f.message]))}`
  if (fx.kind === 'pass') {
    // Passes: no failing finding and at least one pass (findings of parts the rule does not
    // apply to may be not-applicable); or, where declared, judged not-applicable as a whole.
    if (fx.expect.status === 'not-applicable') expect(own.map((f) => f.status), detail()).toEqual(own.map(() => 'not-applicable'))
    else {
      expect(own.filter((f) => f.status !== 'pass' && f.status !== 'not-applicable'), detail()).toEqual([])
      expect(own.some((f) => f.status === 'pass'), detail()).toBe(true)
    }
    expect(failedRules(findings), key).toEqual([...also].sort())
    return
  }
  expect(failedRules(findings), detail()).toEqual([...new Set([fx.rule, ...also])].sort())
  const bad = own.filter((f) => f.status === 'fail')
  if (fx.expect.count !== undefined) expect(bad.length, detail()).toBe(fx.expect.count)
  for (const m of [fx.expect.message ?? []].flat()) expect(bad.some((f) => matches(f.message, m)), `${key}: no failing message matches ${m}: ${detail()}`).toBe(true)
  for (const l of [fx.expect.location ?? []].flat()) expect(bad.map((f) => f.location), key).toContainEqual(expect.objectContaining(l))
  for (const d of [fx.expect.details ?? []].flat()) expect(bad.map((f) => f.details), key).toContainEqual(expect.objectContaining(d))
  if (fx.expect.severity) expect(bad.map((f) => f.severity), key).toEqual(bad.map(() => fx.expect.severity))
}

/**
 * One describe per rule of the category, one test per fixture: `run` gives the category's findings
 * for it; `more` adds the category's own assertions (e.g. every contract failure has a location).
 */
export function testRules(category: Category, run: (fx: RuleFixture) => Promise<Finding[]>, more?: (fx: RuleFixture, findings: Finding[]) => void): void {
  for (const rule of rulesOf(category)) {
    describe(rule, () => {
      const fixtures = ruleFixtures(rule)
      it('has a pass and a fail fixture', () => {
        expect(fixtures.some((f) => f.kind === 'pass'), `${rule} has no pass fixture`).toBe(true)
        expect(fixtures.some((f) => f.kind === 'fail'), `${rule} has no fail fixture`).toBe(true)
      })
      for (const fx of fixtures) {
        it(fx.name, async () => {
          const findings = await run(fx)
          checkFixture(fx, findings)
          more?.(fx, findings)
        })
      }
    })
  }
}
