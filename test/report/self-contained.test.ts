// The result document carries title, help, clause, severity and weight of every rule it mentions,
// so `sjt report` renders it where its profile does not exist (a bogus profile name, a folder with
// no standards/). In-process: oclif's Config.load + runCommand.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Config} from '@oclif/core'
import {beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/cli.js'
import {FAILING_EDITS, writeManifest} from './helpers.js'
import {buildOptions} from '../../src/cli/check.js'
import {finalizeDocument, runCheck} from '../../src/core/run.js'
import {loadProfile} from '../../src/core/profile.js'
import type {ResultDocument} from '../../src/core/types.js'

let tmp: string
let file: string
let doc: ResultDocument
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-selfcontained-'))
  const manifest = writeManifest(path.join(tmp, 'app'), FAILING_EDITS)
  const options = buildOptions({}, {}, 'en', manifest)
  options.progress = undefined
  const run = await runCheck(options, ['manifest'])
  // The profile is gone: a name no installation has.
  doc = finalizeDocument({...run.doc, profile: {name: 'no-such-profile-anywhere', version: '9.9'}} as unknown as Record<string, unknown>)
  file = path.join(tmp, 'result.json')
  writeFileSync(file, JSON.stringify(doc, null, 2))
})

describe('a self-contained result document', () => {
  it('carries the metadata of every rule its findings mention, as the profile has it', () => {
    const profile = loadProfile('shanxi-2022', 'en')
    const ids = [...new Set(doc.findings.map((f) => f.ruleId))].sort()
    expect(Object.keys(doc.rules ?? {}).sort()).toEqual(ids)
    for (const id of ids) {
      const r = profile.rules.find((x) => x.id === id)!
      expect(doc.rules![id]).toMatchObject({category: r.category, title: r.title, clause: r.clause, severity: r.severity, weight: r.weight})
      if (r.help) expect(doc.rules![id].help).toEqual(r.help)
    }
  })

  it('sjt report renders it with no profile on disk: titles and help come from the document', async () => {
    const config = await Config.load({root: ROOT})
    const out = path.join(tmp, 'out')
    const exit = process.exitCode
    await config.runCommand('report', [file, '--format', 'md,junit,sarif', '--out', out, '--lang', 'en'])
    expect(process.exitCode ?? 0).toBe(0)
    process.exitCode = exit
    const title = doc.rules!['MAN-002'].title.en
    const dir = path.join(out, doc.app.id)
    expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toContain(title)
    expect(readFileSync(path.join(dir, 'report.junit.xml'), 'utf8')).toContain(title.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
    const sarif = JSON.parse(readFileSync(path.join(dir, 'report.sarif'), 'utf8'))
    const rule = sarif.runs[0].tool.driver.rules.find((r: {id: string}) => r.id === 'MAN-002')
    expect(rule.shortDescription.text).toBe(title)
    expect(JSON.stringify(rule)).toContain(doc.rules!['MAN-002'].help!.en.slice(0, 30))
  })
})
