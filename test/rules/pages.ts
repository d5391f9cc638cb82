// The page runner of the rule tester: one loopback HTTP server over fixtures/ and one Chromium
// for the whole test file. Each fixture page is visited once (the page collector runs every probe
// in that visit); its artifact is saved and the category is judged through the pipeline from it
// (`--from-artifacts`), so a page serves every rule of the category and any extra assertion.
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll} from 'vitest'
import {buildOptions} from '../../src/cli/check.js'
import {runCheck, saveArtifacts} from '../../src/core/run.js'
import type {Category, Finding, GatherContext} from '../../src/core/types.js'
import {collect} from '../../src/gather/page.js'
import {launchBrowser, type BrowserSession} from '../../src/lib/browser.js'
import {ROOT} from '../helpers/cli.js'
import {profile, type RuleFixture} from '../helpers/rule-tester.js'
import {serve, type TestServer} from '../browser/server.js'

export interface PageRunner {
  /** URL of a file under fixtures/ (path relative to the checkout). */
  url(file: string): string
  /** Findings of the category for a page (and its elder entry), from one visit per pair. */
  check(category: Category, url: string, elderUrl?: string, manifest?: Record<string, unknown>): Promise<Finding[]>
  /** The rule tester's runner: a page file, or a folder of index.html with its elder entry beside it. */
  fixture(category: Category): (fx: RuleFixture) => Promise<Finding[]>
  /** The folder saved artifacts go to (a fresh one per call). */
  tmpDir(): string
}

/** Call at the top of a test file: starts the server and the browser before its tests, closes them after. */
export function pageRunner(): PageRunner {
  let server: TestServer
  let session: BrowserSession
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-rules-pages-'))
  const visits = new Map<string, Promise<string>>()
  let n = 0
  beforeAll(async () => {
    server = await serve({'/fixtures/': path.join(ROOT, 'fixtures')})
    session = await launchBrowser({lang: 'en'})
  })
  afterAll(async () => {
    await session?.close()
    await server?.close()
    rmSync(tmp, {recursive: true, force: true})
  })
  const options = (url: string, elderUrl?: string) => {
    const o = buildOptions({}, {}, 'en')
    o.url = url
    o.elderUrl = elderUrl
    o.progress = undefined
    o.timeoutMs = 15_000
    return o
  }
  /** Visits once, saves the page artifact; later calls reuse the folder. */
  const visit = (url: string, elderUrl?: string, manifest?: Record<string, unknown>): Promise<string> => {
    const key = `${url} ${elderUrl ?? ''} ${manifest ? JSON.stringify(manifest) : ''}`
    if (!visits.has(key)) {
      visits.set(key, (async () => {
        const ctx: GatherContext = {options: options(url, elderUrl), profile, artifacts: {}, shared: new Map([['browser', session as unknown as {close(): Promise<void>}]])}
        const page = await collect(ctx)
        const dir = path.join(tmp, String(n++))
        // A manifest beside the page (manifest.json) declares it as the app's entry (A11Y-005/006).
        saveArtifacts(dir, manifest ? {page, manifest: {file: 'sjt.yaml', dir: tmp, format: 'yaml', data: manifest, positions: {}, keys: {}}} : {page})
        return dir
      })())
    }
    return visits.get(key)!
  }
  const runner: PageRunner = {
    url: (file) => `${server.url}/fixtures/${path.relative(path.join(ROOT, 'fixtures'), path.resolve(ROOT, file)).split(path.sep).join('/')}`,
    async check(category, url, elderUrl, manifest) {
      const dir = await visit(url, elderUrl, manifest)
      const {doc} = await runCheck({...options(url, elderUrl), fromArtifacts: dir}, [category])
      return doc.findings
    },
    fixture: (category) => (fx) => {
      if (statSync(fx.file).isDirectory()) {
        const elder = path.join(fx.file, fx.expect.elder ?? 'elder.html')
        const manifest = path.join(fx.file, 'manifest.json')
        return runner.check(category, runner.url(path.join(fx.file, 'index.html')), existsSync(elder) ? runner.url(elder) : undefined, existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : undefined)
      }
      return runner.check(category, runner.url(fx.file), fx.expect.elder ? runner.url(path.join(path.dirname(fx.file), fx.expect.elder)) : undefined)
    },
    tmpDir: () => path.join(tmp, `x${n++}`),
  }
  return runner
}
