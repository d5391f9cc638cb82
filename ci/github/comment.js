#!/usr/bin/env node
// Posts the sjt Markdown report as ONE pull-request comment, and updates that same comment on
// every later run (found by a hidden marker), so a pull request never collects a pile of them.
//
//   node ci/github/comment.js --dir reports            # every reports/<app.id>/report.md
//   node ci/github/comment.js --file report.md --pr 12
//
// Environment (as GitHub Actions sets it): GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name),
// GITHUB_EVENT_PATH (the pull request number is read from it), GITHUB_API_URL.
// Exit 0 when the comment was written or there is no pull request; 1 when it could not be written.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

export const MARKER = '<!-- sjt-report -->'
/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_BODY = 65_000

/** Every file called `name` under `dir`, sorted. */
export function findFiles(dir, name) {
  const out = []
  if (!existsSync(dir)) return out
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    const f = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...findFiles(f, name))
    else if (e.name === name) out.push(f)
  }
  return out.sort()
}

/** A short table from result.json files, for when no Markdown report was written. */
function summaryFromResults(files) {
  const rows = ['| 应用 · App | 结论 · Verdict | 错误 · Errors | 警告 · Warnings |', '| --- | --- | --- | --- |']
  for (const f of files) {
    const doc = JSON.parse(readFileSync(f, 'utf8'))
    const fails = (doc.findings ?? []).filter((x) => x.status === 'fail')
    const n = (sev) => fails.filter((x) => x.severity === sev).length
    rows.push(`| ${doc.app?.name ?? ''} (\`${doc.app?.id ?? ''}\`) | ${doc.verdict === 'pass' ? '✅ pass' : doc.verdict === 'incomplete' ? '⚠️ incomplete' : '❌ fail'} | ${n('error')} | ${n('warn')} |`)
  }
  return rows.join('\n')
}

/** The comment body: the marker, then each app's Markdown report, cut to fit GitHub's limit. */
export function buildBody({files = [], dir, title = '', note = ''}) {
  let reports = files
  if (dir) reports = findFiles(dir, 'report.md')
  let text
  if (reports.length) text = reports.map((f) => readFileSync(f, 'utf8').trim()).join('\n\n---\n\n')
  else {
    const results = dir ? findFiles(dir, 'result.json') : []
    if (!results.length) return null
    text = summaryFromResults(results)
  }
  const head = [MARKER, title].filter(Boolean).join('\n')
  const tail = note ? `\n\n${note}` : ''
  let body = `${head}\n${text}${tail}`
  if (body.length > MAX_BODY) {
    const cut = '\n\n…（报告过长，已截断；完整内容见 HTML 报告附件 · truncated: see the HTML report artifact for the rest）'
    body = `${head}\n${text.slice(0, MAX_BODY - head.length - tail.length - cut.length - 2)}${cut}${tail}`
  }
  return body
}

/** The pull request number of the event that started the workflow, if any. */
export function pullRequestNumber(env = process.env) {
  const file = env.GITHUB_EVENT_PATH
  if (!file || !existsSync(file)) return null
  try {
    const ev = JSON.parse(readFileSync(file, 'utf8'))
    const n = ev.pull_request?.number ?? (ev.issue?.pull_request ? ev.issue.number : undefined)
    return Number.isInteger(n) ? n : null
  } catch {
    return null
  }
}

export class ApiError extends Error {
  constructor(status, method, url, detail) {
    super(`${method} ${url} answered HTTP ${status}${detail ? `: ${detail}` : ''}`)
    this.status = status
  }
}

function client({api, token, fetchImpl = fetch}) {
  return async (method, rel, body) => {
    const url = `${api.replace(/\/+$/, '')}${rel}`
    const res = await fetchImpl(url, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'sjt-comment',
        ...(body ? {'content-type': 'application/json'} : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    })
    const text = await res.text()
    if (!res.ok) {
      let detail = text.slice(0, 200)
      try {
        detail = JSON.parse(text).message ?? detail
      } catch {
        // not JSON
      }
      throw new ApiError(res.status, method, url, detail)
    }
    return text ? JSON.parse(text) : null
  }
}

/** Creates the comment, or updates the one that carries the marker. Returns {action, id, url}. */
export async function upsertComment({api = 'https://api.github.com', token, repo, pr, body, marker = MARKER, fetchImpl}) {
  const call = client({api, token, fetchImpl})
  const [owner, name] = repo.split('/')
  const base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`
  let existing = null
  for (let page = 1; page <= 50 && !existing; page++) {
    const list = await call('GET', `${base}/issues/${pr}/comments?per_page=100&page=${page}`)
    existing = list.find((c) => typeof c.body === 'string' && c.body.includes(marker)) ?? null
    if (list.length < 100) break
  }
  if (existing) {
    const c = await call('PATCH', `${base}/issues/comments/${existing.id}`, {body})
    return {action: 'updated', id: c.id, url: c.html_url}
  }
  const c = await call('POST', `${base}/issues/${pr}/comments`, {body})
  return {action: 'created', id: c.id, url: c.html_url}
}

function parseArgs(argv) {
  const out = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`)
    const key = a.slice(2)
    if (!['dir', 'file', 'pr', 'title', 'note', 'marker'].includes(key)) throw new Error(`unknown option ${a}`)
    out[key] = argv[++i]
    if (out[key] === undefined) throw new Error(`${a} needs a value`)
  }
  return out
}

export async function main(argv = process.argv.slice(2), env = process.env) {
  let args
  try {
    args = parseArgs(argv)
  } catch (error) {
    process.stderr.write(`comment: ${error.message}\n  usage: node ci/github/comment.js --dir reports [--pr N] [--title TEXT] [--note TEXT]\n`)
    return 2
  }
  const pr = args.pr ? Number(args.pr) : pullRequestNumber(env)
  if (!pr) {
    process.stdout.write('comment: not a pull request; nothing to post\n')
    return 0
  }
  const token = env.GITHUB_TOKEN
  const repo = env.GITHUB_REPOSITORY
  if (!token || !repo || !repo.includes('/')) {
    process.stderr.write('comment: GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name) must be set\n')
    return 1
  }
  const body = buildBody({dir: args.dir, files: args.file ? [args.file] : [], title: args.title, note: args.note})
  if (!body) {
    process.stderr.write(`comment: no report.md or result.json under ${args.dir ?? args.file}; add md to the formats\n`)
    return 1
  }
  try {
    const r = await upsertComment({api: env.GITHUB_API_URL || 'https://api.github.com', token, repo, pr, body, marker: args.marker ?? MARKER})
    process.stdout.write(`comment: ${r.action} ${r.url ?? `#${r.id}`}\n`)
    return 0
  } catch (error) {
    const hint =
      error.status === 403 || error.status === 401
        ? ' (the token may not write to pull requests: give the job `permissions: pull-requests: write`; pull requests from forks get a read-only token)'
        : ''
    process.stderr.write(`::warning title=sjt comment::${error.message}${hint}\n`)
    return 1
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then((code) => (process.exitCode = code))
}
