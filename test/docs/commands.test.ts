// Every command of the README's and getting-started's command blocks, and the review-api.md
// quickstart, run as written in a fresh temporary folder (the sample app's server stands in for a
// URL), with the exit code each should have. A command block line that is neither run nor listed
// below with a reason fails the test, so new commands in the docs are run too.
import {spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, ROOT} from '../helpers/cli.js'

/** The command lines of the ```sh blocks of a document, comments and blank lines dropped. */
export function commandLines(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8')
  const out: string[] = []
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let carry = ''
    for (const raw of block[1].split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trim()
      if (!line || line.startsWith('#')) continue
      if (line.endsWith('\\')) {
        carry += line.slice(0, -1) + ' '
        continue
      }
      out.push(carry + line)
      carry = ''
    }
  }
  return out
}

// Not run here, each with its reason.
const NOT_RUN: Record<string, string> = {
  'npm ci && npm run demo': 'installs packages; the demo runs in test/ci and by npm run demo',
  'npm test': 'the suite itself',
  'printf "$(sjt autocomplete script bash)" >> ~/.bashrc; source ~/.bashrc': "edits the user's shell start-up file",
  'sjt autocomplete --refresh-cache': "writes oclif's cache under the user's home",
  'npx sjt autocomplete bash': 'prints setup only (run as sjt autocomplete bash)',
  'npx sjt check apps/ --concurrency 2 --shard 1/4': 'many apps and shards: test/perf/many.test.ts',
  'npx sjt check my-app --json > result.json': 'the same check as the line before it, on stdout: test/core',
  'npx sjt report reports/<app.id>/result.json --format html,md,junit,sarif,pdf': 'every format incl. PDF (Chromium): test/report/render.test.ts',
  'sjt report reports/<app.id>/result.json --format pdf': 'PDF (Chromium): test/report/picture.test.ts',
  'npx sjt submit reports/<app.id>/result.json --server https://review.example.gov.cn': 'a real review server; the review-api.md quickstart below submits to a local one',
  'npx sjt score reports/ --region 1401': 'test/score/cli.test.ts',
  'sjt doctor --server https://review.example.gov.cn': 'needs that server; sjt doctor alone runs here',
}

interface Run {
  code: number
  stdout: string
  stderr: string
}

let work: string
let sampleUrl: string
let stopSample: () => Promise<void>
const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'sjt-docs-'))

/** Runs one documented line in `cwd` with `sjt`/`npx sjt` being this checkout's bin/run.js. */
function run(line: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const shim = path.join(tmpRoot, 'bin')
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', line.replace(/\bnpx sjt\b/g, 'sjt')], {
      cwd,
      env: {...process.env, PATH: `${shim}:${process.env.PATH}`, HOME: tmpRoot, NO_COLOR: '1', LANG: 'en_US.UTF-8', ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({code: code ?? -1, stdout, stderr}))
  })
}

beforeAll(async () => {
  const {mkdirSync, writeFileSync, chmodSync} = await import('node:fs')
  mkdirSync(path.join(tmpRoot, 'bin'))
  writeFileSync(path.join(tmpRoot, 'bin', 'sjt'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(path.join(tmpRoot, 'bin', 'sjt'), 0o755)
  work = mkdtempSync(path.join(tmpRoot, 'work-'))
  // The review-api quickstart names fixtures/apps/sample, relative to the checkout.
  symlinkSync(path.join(ROOT, 'fixtures'), path.join(work, 'fixtures'))
  const {startSampleServer} = await import(pathToFileURL(path.join(ROOT, 'fixtures/apps/sample/server/index.js')).href)
  const s = await startSampleServer({https: false})
  sampleUrl = s.entry ?? `${s.origin}/m/`
  stopSample = () => s.close()
})

afterAll(async () => {
  await stopSample?.()
  rmSync(tmpRoot, {recursive: true, force: true})
})

describe('README.md and docs/getting-started.md, as written', () => {
  // Expected exit codes, in the order the docs give them (one folder, so init comes before check).
  const expected: Record<string, number> = {
    'npx sjt doctor': -1,
    'sjt doctor': -1,
    'npx sjt init my-app': 0,
    'sjt init my-app': 0,
    'npx sjt check manifest my-app': 1, // the placeholders fail with "fill in …"
    'sjt check manifest my-app': 1,
    'npx sjt check my-app --format html,sarif': 1,
    'sjt check my-app --format html,md': 1,
    'npx sjt check --url https://example.gov.cn/m/ a11y': 0,
    'npx sjt standards list --category elder': 0,
    'sjt standards show MAN-002': 0,
    'sjt autocomplete bash': 0,
    'sjt autocomplete zsh': 0,
  }

  it('every command line is run or listed with a reason', () => {
    for (const file of ['README.md', 'docs/getting-started.md']) {
      for (const line of commandLines(file)) expect(line in expected || line in NOT_RUN, `${file}: ${line}`).toBe(true)
    }
  })

  it('each runs with its exit code', async () => {
    const lines = [...new Set([...commandLines('README.md'), ...commandLines('docs/getting-started.md')])].filter((l) => l in expected)
    const dir = mkdtempSync(path.join(tmpRoot, 'readme-'))
    for (const line of lines) {
      // A URL of the docs is served by the sample app here (no network needed).
      const r = await run(line.replace('https://example.gov.cn/m/', sampleUrl), dir)
      const want = expected[line]
      if (want === -1) expect([0, 1, 3], `${line}\n${r.stderr}`).toContain(r.code) // doctor: depends on the machine, never 2 or 70
      else expect(r.code, `${line}\n${r.stdout.slice(0, 800)}\n${r.stderr.slice(0, 800)}`).toBe(want)
      expect(r.stderr).not.toMatch(/internal error/)
    }
    // The placeholder id named no folder; the reports are where getting-started says (reports/<app.id>/).
    expect(readdirSync(path.join(dir, 'reports')).some((d) => d.includes('<'))).toBe(false)
  }, 600_000)
})

describe('docs/review-api.md quickstart', () => {
  it('tokens, server, check, submit, status, decision and publish, as written', async () => {
    const lines = commandLines('docs/review-api.md')
    const tokenLines = lines.filter((l) => l.startsWith('sjt review-server token create'))
    expect(tokenLines).toHaveLength(3)
    const tokens: Record<string, string> = {}
    for (const l of tokenLines) {
      const r = await run(l, work)
      expect(r.code, r.stderr).toBe(0)
      tokens[/--role (\w+)/.exec(l)![1]] = r.stdout.trim().split('\n').pop()!
    }
    // The server line as written, on a free port instead of 8787 (another process may hold it).
    const serverLine = lines.find((l) => /^sjt review-server --db/.test(l))!
    expect(serverLine).toBe('sjt review-server --db review.db --port 8787')
    const server = spawn('bash', ['-c', `exec sjt ${serverLine.slice(4).replace('--port 8787', '--port 0')}`], {cwd: work, env: {...process.env, PATH: `${path.join(tmpRoot, 'bin')}:${process.env.PATH}`}, stdio: ['ignore', 'pipe', 'ignore']})
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        server.stdout.on('data', (d) => {
          out += d
          const m = /http:\/\/[\d.]+:\d+/.exec(out)
          if (m) resolve(m[0])
        })
        server.on('close', (c) => reject(new Error(`review server exited ${c}`)))
      })
      const env = {SJT_SERVER: url, SJT_TOKEN: tokens.submitter, REVIEWER: tokens.reviewer}
      const check = await run(lines.find((l) => l.startsWith('sjt check '))!, work, env)
      expect(check.code, check.stderr).toBe(0)
      const submit = await run(lines.find((l) => l.startsWith('sjt submit '))!, work, env)
      expect(submit.code, submit.stderr).toBe(0)
      const id = /sub_[\w-]+/.exec(submit.stdout + submit.stderr)![0]
      expect((await run('sjt status', work, env)).code).toBe(0)
      for (const curl of lines.filter((l) => l.startsWith('curl '))) {
        const r = await run(`${curl.replace('sub_…', id)} -s -o /dev/null -w '%{http_code}'`, work, env)
        expect(r.stdout, curl).toMatch(/^20\d$/)
      }
    } finally {
      server.kill('SIGTERM')
    }
  }, 300_000)
})
