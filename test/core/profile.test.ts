// Standards as data: a profile that extends shanxi-2022 overrides severities and params.
import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadProfile} from '../../src/core/profile.js'
import {InputError} from '../../src/lib/errors.js'
import {json, sjt} from '../helpers/cli.js'

describe('profiles', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-prof-'))
  const city = path.join(dir, 'datong')
  mkdirSync(path.join(city, 'rules'), {recursive: true})
  writeFileSync(
    path.join(city, 'profile.yaml'),
    'name: datong-2023\nversion: "2023.1"\nextends: shanxi-2022\noverrides:\n  MAN-011:\n    severity: error\n  MAN-014:\n    params:\n      minLevel: 3\n',
  )
  writeFileSync(
    path.join(city, 'rules', 'manifest.yaml'),
    '- id: MAN-016\n  category: manifest\n  severity: warn\n  weight: 1\n  title:\n    zh-CN: "清单写明应用简介"\n    en: "The manifest describes the app"\n  clause: "大同市移动端接入细则（示例）"\n  check: manifest.privacyPolicy\n',
  )

  it('extends, overrides severity and params, adds rules', () => {
    const p = loadProfile(city, 'en')
    expect(p.name).toBe('datong-2023')
    expect(p.rules.find((r) => r.id === 'MAN-011')!.severity).toBe('error')
    expect(p.rules.find((r) => r.id === 'MAN-014')!.params).toMatchObject({minLevel: 3, filingPattern: '^\\d{11}-\\d{5}$'})
    expect(p.rules.find((r) => r.id === 'MAN-016')).toBeTruthy()
    expect(p.dirs.length).toBe(2)
  })

  it('the overridden profile changes verdicts', async () => {
    const r = await sjt(['check', 'manifest', 'fixtures/rules/MAN-011/fail-other-provider.yaml', '--profile', city, '--json', '--out', path.join(dir, 'out')])
    expect(r.code).toBe(1)
    expect(json(r).profile).toEqual({name: 'datong-2023', version: '2023.1'})
  })

  it('unknown profiles and cycles are input errors', () => {
    expect(() => loadProfile('no-such-profile', 'en')).toThrow(InputError)
    const a = path.join(dir, 'a')
    const b = path.join(dir, 'b')
    mkdirSync(a)
    mkdirSync(b)
    writeFileSync(path.join(a, 'profile.yaml'), 'name: a\nversion: "1"\nextends: ../b\n')
    writeFileSync(path.join(b, 'profile.yaml'), 'name: b\nversion: "1"\nextends: ../a\n')
    expect(() => loadProfile(a, 'en')).toThrow(/cycle/)
  })
})
