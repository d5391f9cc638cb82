// A mini-program result goes where every other result goes: the renderers, the capability score
// (whose experience terms read the MP rules) and the review API (a real server on SQLite).
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildOptions} from '../../src/cli/check.js'
import {runCheck} from '../../src/core/run.js'
import type {ResultDocument} from '../../src/core/types.js'
import {writeReports} from '../../src/report/index.js'
import {openSqliteStore} from '../../src/review/store-sqlite.js'
import {ROOT} from '../helpers/cli.js'
import {makeTokens, startTestServer, type TestServer, type Tokens} from '../review/helpers.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-mp-report-'))
const WECHAT = path.join(ROOT, 'fixtures/miniprograms/wechat-sample')
let doc: ResultDocument
let srv: TestServer
let tk: Tokens

async function checkApp(dir: string): Promise<ResultDocument> {
  const options = buildOptions({}, {}, 'en', path.join(dir, 'sjt.yaml'))
  options.progress = undefined
  return (await runCheck(options, ['manifest', 'miniprogram'])).doc
}

beforeAll(async () => {
  doc = await checkApp(WECHAT)
  const store = await openSqliteStore(path.join(tmp, 'review.db'))
  tk = await makeTokens(store)
  srv = await startTestServer(store)
})

afterAll(async () => {
  await srv?.close()
  rmSync(tmp, {recursive: true, force: true})
})

type Term = {id: string; status: string; value: Record<string, string> | null}

const term = (d: ResultDocument, index: string, id: string): Term => {
  const s = d.score as {indices: Array<{id: string; explain: Term[]}>}
  return s.indices.find((i) => i.id === index)!.explain.find((x) => x.id === id)!
}

describe('mini-program results', () => {
  it('render as html, md, junit and sarif with the category and its rules', async () => {
    const out = path.join(tmp, 'reports')
    const files = await writeReports(doc, ['html', 'md', 'junit', 'sarif'], out, {lang: 'en'})
    const text = (ext: string) => readFileSync(files.find((f) => f.endsWith(ext))!, 'utf8')
    expect(text('.html')).toContain('Mini-program')
    expect(text('.md')).toContain('Mini-program')
    expect(text('.junit.xml')).toContain('MP-006')
    const sarif = JSON.parse(text('.sarif'))
    expect(sarif.runs[0].tool.driver.rules.map((r: {id: string}) => r.id)).toContain('MP-010')
  })

  it('the experience terms of the score read the MP rules', () => {
    expect(term(doc, 'effectiveness', 'a11y')).toMatchObject({status: 'won', value: {'MP-009': 'held', 'MP-010': 'held'}})
    expect(term(doc, 'effectiveness', 'elder').value).toEqual({'MP-005': 'held', 'MP-006': 'held', 'MP-007': 'held', 'MP-008': 'held'})
    expect(term(doc, 'effectiveness', 'security').value).toEqual({'MP-003': 'held', 'MP-004': 'held'})
    expect(term(doc, 'channels', 'elderReach').value).toEqual({'MAN-006': 'held', 'MP-005': 'held'})
  })

  it('a failing MP rule costs the experience term its share', async () => {
    const dir = path.join(tmp, 'lowcontrast')
    cpSync(WECHAT, dir, {recursive: true})
    const css = path.join(dir, 'miniprogram/components/service-card/index.wxss')
    writeFileSync(css, readFileSync(css, 'utf8').replace('color: #1f1f1f;', 'color: #c0c0c0;'))
    const worse = await checkApp(dir)
    expect(term(worse, 'effectiveness', 'a11y')).toMatchObject({value: {'MP-009': 'held', 'MP-010': 'failed'}})
    expect((worse.score as {total: number}).total).toBeLessThan((doc.score as {total: number}).total)
  })

  it('the review API accepts, stores and returns the result', async () => {
    const r = await srv.call('POST', '/v1/submissions', tk.submitter, doc)
    expect(r.status).toBe(201)
    const back = await srv.call('GET', `/v1/submissions/${r.body.id}/document`, tk.reviewer)
    expect(back.status).toBe(200)
    expect(back.body.categories.miniprogram.status).toBe('pass')
    expect(back.body.findings.filter((f: {ruleId: string}) => f.ruleId.startsWith('MP-')).length).toBeGreaterThanOrEqual(10)
    expect(srv.violations).toEqual([])
  })
})
