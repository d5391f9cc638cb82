// Every command line of every ```sh block of README.md and docs/*.md is run by a test, exactly as
// written, or listed in NOT_RUN (test/helpers/doc-commands.ts) with why it cannot run in a test.
// This file runs the lines of the pages no other test runs (docs/commands.md, generated from each
// command's `examples`; docs/ci.md, configuration.md, profiles.md, scoring.md) in one temporary
// folder that sees the checkout's fixtures/, each with the exit code it should have.
//
// The only changes to a line are these substitutions, for hosts and secrets that cannot exist here:
//   https://example.gov.cn/m/, http://127.0.0.1:8080/m/ (…/api)  → the sample app's server (HTTP, port 0)
//   https://127.0.0.1:8443                                     → the sample server of configuration.md's
//                                                                  `node fixtures/apps/sample/server/index.js` line (HTTPS)
//   https://review.example.gov.cn, http://127.0.0.1:8787       → the review server of the line
//                                                                  `sjt review-server --db review.db --port 8787`
//   --port 8787 | 8080 | 8443                                  → --port 0 (a fixed port may be taken)
//   postgres://sjt@…/sjt                                       → a throwaway PostgreSQL cluster
//   SJT_TOKEN=…, tok_…, sub_…                                  → a token, token id, submission id made here
// Lines that name no server run in the shell docs/review-api.md leaves (`export SJT_SERVER=…
// SJT_TOKEN=<submitter 令牌>`). Plain `sjt …` lines run in this process (test/helpers/run.ts);
// lines with shell syntax run in bash with `sjt` on PATH; servers and workers are spawned, and
// stopped with SIGTERM once ready (exit 0).
import {spawn, type ChildProcess} from 'node:child_process'
import {chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, ROOT, type CliResult} from '../helpers/cli.js'
import {commandLines, documentsWithCommands, isUsageSynopsis, needsShell, NOT_RUN, RUN_ELSEWHERE, words} from '../helpers/doc-commands.js'
import {sjtIn} from '../helpers/run.js'
import {startPgCluster} from '../review/pg-cluster.js'

interface Ctx {
  sample: {entry: string; apiBase: string}
  https: {origin: string; caFile: string}
  review: string
  pg: string
  tokens: {submitter: string; reviewer: string; monitor: string}
  /** Token ids to revoke: one in review.db, one in PostgreSQL. */
  tokenId: string
  pgTokenId: string
  submissionId: string
}

interface Plan {
  /** Expected exit code(s). */
  code: number | number[]
  /** Folder to run in, relative to the work folder. */
  cwd?: string
  /** The shell's environment for a line that names neither server nor store. */
  env?: (c: Ctx) => Record<string, string>
  /** A server or worker: ready when its standard output (a worker: its log on stderr) matches, then stopped with SIGTERM (exit 0). */
  serve?: RegExp
  /** `serve` matches the log on stderr (a worker prints nothing on stdout). */
  log?: true
  /** A server the later lines use: it stays up (until the last test) once ready, `keep` reads what it printed. */
  keep?: (out: string, c: Ctx) => void
  /** The doc's next line is `echo $?`: both run in one shell, which must print the exit code. */
  echo?: true
  then?: (r: CliResult, c: Ctx) => void
  /**
   * A Lighthouse line: exit 3 is accepted too when Lighthouse measured the page but one of its
   * metrics came out of no run (on a loaded machine Lighthouse can drop one, e.g. a speed index
   * without screenshots): the rules that need it are `error`, as they should be, and `then` is not
   * asked. Any other error still fails the line.
   */
  unmeasured?: true
}

const json = (r: CliResult) => JSON.parse(r.stdout)
const LIGHTHOUSE_MAY_GATE = [0, 1] // Lighthouse's figures depend on the machine: a gate (1) is allowed, never 2, 3 or 70
const MACHINE = [0, 1, 3] // doctor: depends on the machine

// In the order they run. A line may appear in several documents: it runs once.
const PLAN: Record<string, Plan> = {
  // ---- servers the later lines use: the HTTPS sample of docs/configuration.md (for the security
  // example with --ca) and the review server of docs/commands.md (SQLite)
  'node fixtures/apps/sample/server/index.js --port 8443': {
    code: 0,
    serve: /CA: \S+/,
    keep: (out, c) => {
      c.https = {origin: /https:\/\/[\d.]+:\d+/.exec(out)![0], caFile: /CA: (\S+)/.exec(out)![1]}
      copyFileSync(c.https.caFile, path.join(work, 'ca.pem')) // where the security example expects it
    },
  },
  'sjt review-server --db review.db --port 8787': {code: 0, serve: /http:\/\/[\d.]+:\d+/, keep: (out, c) => void (c.review = /http:\/\/[\d.]+:\d+/.exec(out)![0])},
  // ---- docs/commands.md: sjt check
  'sjt check fixtures/apps/sample manifest contract': {
    code: 0,
    then: () => {
      const doc = JSON.parse(readFileSync(path.join(work, 'reports', 'ty-gjj-withdraw', 'result.json'), 'utf8'))
      expect(Object.keys(doc.categories).sort()).toEqual(['contract', 'manifest'])
    },
  },
  'sjt check . --format html,sarif --out reports': {code: 1, cwd: 'my-app', then: () => expect(readdirSync(path.join(work, 'my-app', 'reports')).some((d) => existsSync(path.join(work, 'my-app', 'reports', d, 'report.sarif')))).toBe(true)},
  'sjt check . --fail-on warn': {code: 1, cwd: 'my-app'},
  'sjt check apps/ --concurrency 2 --shard 1/4': {
    code: 1, // sjt init's placeholders
    then: (r) => {
      for (const [name, inFirst] of shardOf) expect(r.stdout.includes(`apps/${name}/sjt.yaml`), `apps/${name} in shard 1/4: ${inFirst}`).toBe(inFirst)
    },
  },
  'sjt check a11y fixtures/apps/sample --url http://127.0.0.1:8080/m/': {code: 0},
  'sjt check a11y --url https://example.gov.cn/m/ --json': {code: 0, then: (r) => expect(json(r).categories.a11y.status).toBe('pass')},
  'sjt check contract fixtures/apps/sample': {code: 0},
  'sjt check contract . --api-base http://127.0.0.1:8080/api': {code: 0, cwd: 'sample-app'},
  'sjt check elder fixtures/apps/sample --url http://127.0.0.1:8080/m/': {code: 0},
  'sjt check elder --url https://example.gov.cn/m/ --elder-url https://example.gov.cn/m/elder/': {code: 0},
  'sjt check manifest fixtures/apps/sample --json': {code: 0, then: (r) => expect(json(r).categories.manifest.status).toBe('pass')},
  'sjt check manifest path/to/sjt.yaml --lang en': {code: 0},
  'sjt check miniprogram fixtures/miniprograms/wechat-sample/miniprogram': {code: 0},
  'sjt check miniprogram fixtures/miniprograms/wechat-sample --format html,sarif --out reports': {code: 0},
  'sjt check miniprogram fixtures/miniprograms/alipay-sample/project --json --lang en': {code: 0},
  'sjt check perf --url https://example.gov.cn/m/ --runs 1 --json': {code: LIGHTHOUSE_MAY_GATE, unmeasured: true, then: (r) => expect(json(r).categories.perf.status).toMatch(/^(pass|fail)$/)},
  'sjt check security fixtures/apps/sample --url https://127.0.0.1:8443/m/ --ca ca.pem': {code: 0},
  'sjt check security --url https://example.gov.cn/m/ --json': {code: 1, then: (r) => expect(json(r).categories.security.status).toBe('fail')}, // plain HTTP
  // ---- docs/ci.md
  'sjt check manifest fixtures/apps/sample --format md,sarif,junit --out sjt-reports': {code: 0, echo: true, then: (r) => expect(r.stdout.trim().split('\n').pop()).toBe('0')},
  // ---- docs/profiles.md
  'sjt standards show MAN-014 --profile fixtures/profiles/taiyuan': {code: 0},
  'sjt standards list --profile fixtures/profiles/taiyuan': {code: 0},
  'sjt check manifest my-app --profile fixtures/profiles/taiyuan': {code: 1}, // sjt init's placeholders
  // ---- sjt doctor
  'sjt doctor': {code: MACHINE},
  'sjt doctor --server https://review.example.gov.cn': {code: MACHINE, then: (r, c) => expect(r.stdout + r.stderr).toContain(c.review)},
  'SJT_SERVER=http://127.0.0.1:8787 SJT_TOKEN=… sjt doctor --json': {code: MACHINE, then: (r) => expect(json(r)).toBeTruthy()},
  'CHROME_PATH=/opt/chrome/chrome sjt doctor --lang en': {code: 3, then: (r) => expect(r.stdout + r.stderr).toContain('/opt/chrome/chrome')},
  // ---- sjt init (each in an empty folder)
  'sjt init': {code: 0, cwd: 'init-1', then: () => expect(existsSync(path.join(work, 'init-1', 'sjt.yaml'))).toBe(true)},
  'sjt init my-app --yes': {code: 0, cwd: 'init-2', then: () => expect(existsSync(path.join(work, 'init-2', 'my-app', 'openapi.yaml'))).toBe(true)},
  'sjt init my-mp --yes --type miniprogram --platform wechat': {code: 0, cwd: 'init-2'},
  'sjt init . --id ty-gjj-withdraw --name 太原公积金提取 --region-code 140100 --level city --credit-code 12140100MB0123457K': {
    code: 0,
    cwd: 'init-3',
    then: () => expect(readFileSync(path.join(work, 'init-3', 'sjt.yaml'), 'utf8')).toMatch(/id: "?ty-gjj-withdraw/),
  },
  // ---- sjt review-server, its tokens and jobs
  'sjt review-server --database-url postgres://sjt@db.internal:5432/sjt --host 0.0.0.0 --port 8080': {code: 0, serve: /http:\/\/[\d.]+:\d+/},
  'SJT_DATABASE_URL=postgres://sjt@127.0.0.1/sjt sjt review-server --port 8787 --rate-limit 600': {code: 0, serve: /http:\/\/[\d.]+:\d+/},
  'sjt review-server --db postgres://sjt@db.internal:5432/sjt --host 0.0.0.0 --port 8080 --schedule': {code: 0, serve: /http:\/\/[\d.]+:\d+/},
  'sjt review-server jobs --db postgres://sjt@db.internal:5432/sjt': {code: 0},
  'sjt review-server jobs --json --limit 20': {code: 0, env: (c) => ({SJT_DATABASE_URL: c.pg}), then: (r) => expect(json(r)).toHaveProperty('dead')},
  'sjt review-server token create --role submitter --credit-code 12140100MB0123457K --db review.db': {code: 0, then: (r) => expect(r.stdout).toMatch(/^id: tok_\w+\n\S{20,}\n$/)},
  'sjt review-server token create --role reviewer --label 省数据局审核 --db review.db': {code: 0, then: (r) => expect(r.stdout).toMatch(/^id: tok_\w+\n\S{20,}\n$/)},
  'SJT_TOKEN=$(sjt review-server token create --role monitor --db review.db | tail -n 1)': {code: 0},
  'sjt review-server token list --db review.db': {code: 0, then: (r, c) => expect(r.stdout).toContain(c.tokenId)},
  'sjt review-server token list --database-url postgres://sjt@127.0.0.1/sjt --json': {code: 0, then: (r, c) => expect(JSON.stringify(json(r))).toContain(c.pgTokenId)},
  'sjt review-server token revoke tok_01jd5k2m3n4p5q6r7s8t9v --db review.db': {code: 0},
  'sjt review-server token revoke tok_01jd5k2m3n4p5q6r7s8t9v --database-url postgres://sjt@127.0.0.1/sjt': {code: 0},
  // ---- sjt submit, status, monitor (against the review server)
  'SJT_SERVER=https://review.example.gov.cn SJT_TOKEN=… sjt submit reports/ty-gjj-withdraw/result.json': {
    code: 0,
    then: (r, c) => {
      c.submissionId = /sub_[\w-]+/.exec(r.stdout + r.stderr)![0]
    },
  },
  'sjt submit reports/ty-gjj-withdraw/result.json --server http://127.0.0.1:8787 --json': {code: 0, then: (r) => expect(json(r).id).toMatch(/^sub_/)},
  'sjt submit --flush': {code: 0},
  'sjt status sub_01jd5k2m3n4p5q6r7s8t9vwxyz': {code: 0, then: (r, c) => expect(r.stdout).toContain(c.submissionId)},
  'sjt status --app ty-gjj-withdraw --server http://127.0.0.1:8787': {code: 0},
  'sjt status --json': {code: 0, then: (r) => expect(json(r)).toBeTruthy()},
  'SJT_SERVER=http://127.0.0.1:8787 SJT_TOKEN=… sjt monitor --once': {code: 0},
  // the monitor token, as `SJT_TOKEN=$(sjt review-server token create --role monitor …)` sets it
  'sjt monitor --once --app ty-gjj-withdraw --json': {code: 0, env: (c) => ({SJT_TOKEN: c.tokens.monitor})},
  // ---- sjt report (the result the first check wrote)
  'sjt report reports/ty-gjj-withdraw/result.json --format html,md,junit,sarif --out out/': {code: 0, then: () => expect(existsSync(path.join(work, 'out', 'ty-gjj-withdraw', 'report.sarif')) || existsSync(path.join(work, 'out', 'report.sarif'))).toBe(true)},
  'sjt report reports/ty-gjj-withdraw/result.json --verify': {code: 0},
  'sjt report --merge shard-1/ shard-2/ --out reports/': {code: 0},
  // ---- sjt score (docs/commands.md and docs/scoring.md)
  'sjt score reports/ty-gjj-withdraw/result.json': {code: 0},
  'sjt score reports/ty-gjj-withdraw/result.json --explain': {code: 0},
  'sjt score reports/ty-gjj-withdraw/result.json --explain --lang en': {code: 0},
  'sjt score reports/ --region 1401': {code: 0, then: (r) => expect(r.stdout).toContain('ty-gjj-withdraw')},
  'sjt score reports/ --format csv --out ranking.csv': {code: 0, then: () => expect(readFileSync(path.join(work, 'ranking.csv'), 'utf8')).toContain('ty-gjj-withdraw')},
  'sjt score reports/ --usage usage.csv': {code: 0},
  'sjt score reports/ --format html --out ranking.html --usage usage.csv': {code: 0},
  // ---- sjt standards
  'sjt standards list': {code: 0},
  'sjt standards list --category elder --lang en': {code: 0},
  'sjt standards list --json': {code: 0, then: (r) => expect(json(r).rules.length).toBeGreaterThan(50)},
  'sjt standards show MAN-002': {code: 0},
  'sjt standards show SEC-018 --lang en': {code: 0},
  'sjt standards show ELD-002 --json': {code: 0, then: (r) => expect(json(r).id).toBe('ELD-002')},
  // ---- sjt worker (the queue of the PostgreSQL store)
  'sjt worker --db postgres://sjt@db.internal:5432/sjt --apps apps/ --concurrency 2': {code: 0, serve: /"msg":"worker started"/, log: true},
  'SJT_DATABASE_URL=postgres://sjt@127.0.0.1/sjt sjt worker --apps apps/ --config sjt.config.yaml': {code: 0, cwd: 'worker', serve: /"msg":"worker started"/, log: true},
}

/** The line with the documented substitutions. */
function substitute(line: string, c: Ctx): string {
  const role = /\bmonitor\b/.test(line) ? 'monitor' : 'submitter'
  // Each value is made by a line or the set-up before the first line that needs it.
  const to = (v: string | undefined) => () => {
    if (v === undefined) throw new Error(`${line}: a substitution is not made yet (run the line that makes it first)`)
    return v
  }
  return line
    .replace(/https:\/\/example\.gov\.cn\/m\/|http:\/\/127\.0\.0\.1:8080\/m\//g, to(c.sample?.entry))
    .replace(/http:\/\/127\.0\.0\.1:8080\/api/g, to(c.sample?.apiBase))
    .replace(/https:\/\/127\.0\.0\.1:8443/g, to(c.https?.origin))
    .replace(/https:\/\/review\.example\.gov\.cn|http:\/\/127\.0\.0\.1:8787/g, to(c.review))
    .replace(/--port (8787|8080|8443)\b/g, '--port 0')
    .replace(/postgres:\/\/sjt@[\w.]+(:\d+)?\/sjt/g, to(c.pg))
    .replace(/SJT_TOKEN=…/g, () => `SJT_TOKEN=${to(c.tokens?.[role])()}`)
    .replace(/tok_01jd5k2m3n4p5q6r7s8t9v(?= --db )/, to(c.tokenId))
    .replace(/tok_01jd5k2m3n4p5q6r7s8t9v(?= --database-url )/, to(c.pgTokenId))
    .replace(/sub_01jd5k2m3n4p5q6r7s8t9vwxyz/g, to(c.submissionId))
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-every-'))
const work = path.join(tmp, 'work')
const shim = path.join(tmp, 'bin')
const ctx = {} as Ctx
const running: ChildProcess[] = []
/** The folders of apps/ and whether shard 1/4 holds each. */
const shardOf = new Map<string, boolean>()
let stopSample: (() => Promise<void>) | undefined
let cluster: {createDatabase(prefix?: string): string; stop(): void} | undefined

/** Spawns a line (bash for shell syntax, else its argv) in `cwd`; `sjt` is this checkout's bin/run.js. */
function start(line: string, cwd: string, env: Record<string, string>): {child: ChildProcess; out: () => string; err: () => string; done: Promise<CliResult>} {
  const base = {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', PATH: `${shim}:${process.env.PATH}`, ...env}
  let child: ChildProcess
  if (needsShell(line)) child = spawn('bash', ['-c', line.replace(/\bnpx sjt\b/g, 'sjt')], {cwd, env: base, stdio: ['ignore', 'pipe', 'pipe']})
  else {
    const w = words(line)
    const [cmd, ...args] = w.argv
    child = spawn(process.execPath, cmd === 'sjt' ? [BIN, ...args] : args, {cwd, env: {...base, ...w.env}, stdio: ['ignore', 'pipe', 'pipe']})
  }
  running.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d) => (stdout += d))
  child.stderr!.on('data', (d) => (stderr += d))
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({code: code ?? (signal ? 128 : -1), stdout, stderr})))
  return {child, out: () => stdout, err: () => stderr, done}
}

async function until(test: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms
  while (!test()) {
    if (Date.now() > end) throw new Error(`${what}: not ready within ${ms / 1000} s`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Runs one line (and `echo $?` after it when the doc has it) as the plan says. */
async function runLine(line: string, plan: Plan): Promise<CliResult> {
  const cwd = path.join(work, plan.cwd ?? '.')
  const env: Record<string, string> = {...plan.env?.(ctx)}
  if (ctx.review) env.SJT_SERVER ??= ctx.review
  env.SJT_TOKEN ??= ctx.tokens.submitter
  const real = substitute(line, ctx)
  if (plan.serve) {
    const p = start(real, cwd, env)
    let exited = false
    void p.done.then(() => (exited = true))
    // A server is ready when it prints its URL on stdout (its handlers for SIGTERM are set by then).
    await until(() => plan.serve!.test(plan.log ? p.err() : p.out()) || exited, line)
    expect(exited, `${line}\n${p.out().slice(-1000)}\n${p.err().slice(-2000)}`).toBe(false)
    if (plan.keep) {
      plan.keep(p.out(), ctx)
      kept.push({line, ...p})
      return {code: 0, stdout: p.out(), stderr: ''}
    }
    p.child.kill('SIGTERM')
    return p.done
  }
  if (plan.echo || needsShell(real)) return start(plan.echo ? `${real}\necho $?` : real, cwd, env).done
  const w = words(real)
  return sjtIn(w.argv.slice(1), {cwd, env: {...env, ...w.env}})
}

beforeAll(async () => {
  mkdirSync(work)
  mkdirSync(shim)
  writeFileSync(path.join(shim, 'sjt'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(path.join(shim, 'sjt'), 0o755)
  symlinkSync(path.join(ROOT, 'fixtures'), path.join(work, 'fixtures'))
  const {startSampleServer} = await import(pathToFileURL(path.join(ROOT, 'fixtures/apps/sample/server/index.js')).href)
  const s = await startSampleServer({https: false})
  stopSample = () => s.close()
  ctx.sample = {entry: s.entry, apiBase: s.apiBase}
  cluster = await startPgCluster()
  ctx.pg = cluster!.createDatabase('sjt')
  const token = async (args: string[]) => {
    const r = await sjtIn(['review-server', 'token', 'create', ...args], {cwd: work})
    expect(r.code, r.stderr).toBe(0)
    const [idLine, tok] = r.stdout.trim().split('\n')
    return {id: idLine.replace('id: ', ''), token: tok}
  }
  const submitter = await token(['--role', 'submitter', '--credit-code', '12140100MB0123457K', '--db', 'review.db'])
  ctx.tokens = {submitter: submitter.token, reviewer: (await token(['--role', 'reviewer', '--db', 'review.db'])).token, monitor: (await token(['--role', 'monitor', '--db', 'review.db'])).token}
  ctx.tokenId = (await token(['--role', 'reviewer', '--label', 'to revoke', '--db', 'review.db'])).id
  ctx.pgTokenId = (await token(['--role', 'monitor', '--database-url', ctx.pg])).id
  // What a user has made before these lines: an app from sjt init, a folder of apps, a copy of the
  // sample app, a manifest at path/to/, two shard folders to merge, usage data, a worker's config.
  const setup = async (args: string[], cwd = work) => {
    const r = await sjtIn(args, {cwd})
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBeLessThan(2)
  }
  await setup(['init', 'my-app', '--yes'])
  const {inShard} = await import(pathToFileURL(path.join(ROOT, 'dist/cli/check.js')).href)
  // Folder names of which shard 1/4 holds some, not all (sjt check hashes the folder name).
  const names = ['taiyuan-gjj', 'datong-sb', 'jinzhong-yb', 'yuncheng-bdc']
  for (const n of names) shardOf.set(n, inShard(n, {index: 1, count: 4}))
  const inFirst = [...shardOf.values()].filter(Boolean).length
  expect(inFirst > 0 && inFirst < names.length, `${inFirst} of ${names.length} in shard 1/4`).toBe(true)
  for (const n of names) await setup(['init', `apps/${n}`, '--yes'])
  cpSync(path.join(ROOT, 'fixtures/apps/sample'), path.join(work, 'sample-app'), {recursive: true, filter: (f) => !/[/\\](server|site)$/.test(f)})
  mkdirSync(path.join(work, 'path', 'to'), {recursive: true})
  for (const f of ['sjt.yaml', 'openapi.yaml']) copyFileSync(path.join(ROOT, 'fixtures/apps/sample', f), path.join(work, 'path', 'to', f))
  await setup(['check', 'manifest', 'fixtures/apps/sample', '--out', 'shard-1'])
  await setup(['check', 'miniprogram', 'fixtures/miniprograms/wechat-sample', '--out', 'shard-2'])
  const csv = /```csv\n([\s\S]*?)```/.exec(readFileSync(path.join(ROOT, 'docs/scoring.md'), 'utf8'))![1]
  writeFileSync(path.join(work, 'usage.csv'), csv)
  mkdirSync(path.join(work, 'worker', 'apps'), {recursive: true})
  writeFileSync(path.join(work, 'worker', 'sjt.config.yaml'), 'queue:\n  categories: [manifest, contract]\n  retryLimit: 1\n')
  for (const d of ['init-1', 'init-2', 'init-3']) mkdirSync(path.join(work, d))
}, 300_000)

const kept: Array<{line: string} & ReturnType<typeof start>> = []
afterAll(async () => {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM')
  await stopSample?.()
  cluster?.stop()
  rmSync(tmp, {recursive: true, force: true})
})

/** The findings left in error by a printed result document (what an unexpected exit 3 was about), else nothing. */
function unjudged(stdout: string): string {
  try {
    const doc = JSON.parse(stdout) as {findings?: Array<{ruleId: string; status: string; message?: string; location?: {url?: string}}>}
    const errors = (doc.findings ?? []).filter((f) => f.status === 'error')
    return errors.length ? `errors:\n${errors.map((f) => `  ${f.ruleId} ${f.location?.url ?? ''}: ${f.message ?? ''}`).join('\n')}\n` : ''
  } catch {
    return ''
  }
}

/** Lighthouse measured the page (an LCP), and every finding in error is a metric no run gave. */
function onlyUnmeasured(stdout: string): boolean {
  try {
    const doc = JSON.parse(stdout) as {findings: Array<{status: string; message?: string}>; metrics?: {perf?: {lcpMs?: number}}}
    const errors = doc.findings.filter((f) => f.status === 'error')
    return (doc.metrics?.perf?.lcpMs ?? 0) > 0 && errors.length > 0 && errors.every((f) => /^none of the \d+ Lighthouse runs on the .+ measured /.test(f.message ?? ''))
  } catch {
    return false
  }
}

describe('every command line of README.md and docs/', () => {
  it('is run by a test or listed with the reason it cannot be', () => {
    const problems: string[] = []
    for (const file of documentsWithCommands()) {
      const lines = commandLines(file)
      lines.forEach((line, i) => {
        if (isUsageSynopsis(file, line)) return
        if (line in NOT_RUN) return
        if (RUN_ELSEWHERE[file]?.runs(line)) return
        if (line in PLAN) return
        if (line === 'echo $?' && PLAN[lines[i - 1]]?.echo) return
        problems.push(`${file}: ${line}`)
      })
    }
    expect(problems, 'run these lines in test/docs/every-command.test.ts (PLAN), or list them in NOT_RUN with a reason').toEqual([])
    // Each other test file named still reads its document.
    for (const [file, {test}] of Object.entries(RUN_ELSEWHERE)) expect(readFileSync(path.join(ROOT, test), 'utf8'), `${test} runs ${file}`).toContain(file)
    // No stale entries: every planned or excused line is still in a document.
    const all = new Set(documentsWithCommands().flatMap((f) => commandLines(f)))
    for (const line of [...Object.keys(PLAN), ...Object.keys(NOT_RUN)]) expect(all.has(line), `no document shows: ${line}`).toBe(true)
    for (const reason of Object.values(NOT_RUN)) expect(reason.length).toBeGreaterThan(20)
  })

  it.each(Object.keys(PLAN))('%s', async (line) => {
    const plan = PLAN[line]
    const r = await runLine(line, plan)
    const want = Array.isArray(plan.code) ? plan.code : [plan.code]
    const dropped = plan.unmeasured && r.code === 3 && onlyUnmeasured(r.stdout)
    if (dropped) console.log(`${line}: exit 3, Lighthouse did not give every metric here:\n${unjudged(r.stdout)}`)
    else expect(want, `${line}\nexit ${r.code}\n${unjudged(r.stdout)}${r.stdout.slice(-1500)}\n${r.stderr.slice(-1500)}`).toContain(r.code)
    expect(r.stderr).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m)
    if (!dropped) plan.then?.(r, ctx)
  })

  it('the servers kept for the other lines stop on SIGTERM with exit 0', async () => {
    expect(kept.map((k) => k.line)).toEqual(Object.keys(PLAN).filter((l) => PLAN[l].keep))
    for (const k of kept) {
      k.child.kill('SIGTERM')
      expect((await k.done).code, k.line).toBe(0)
    }
  })
})
