// The command lines of the documentation and which test runs each. test/docs/every-command.test.ts
// fails when a command line of a ```sh block of README.md or docs/*.md is neither run by a test
// nor listed in NOT_RUN with the reason it cannot run inside one.
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {ROOT} from './cli.js'

/** The command lines of the ```sh blocks of a document, comments and blank lines dropped, `\` continuations joined. */
export function commandLines(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8')
  const out: string[] = []
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let carry = ''
    for (const raw of block[1].split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trim()
      if (!line || line.startsWith('#')) continue
      if (line.endsWith('\\')) {
        carry += line.slice(0, -1).trimEnd() + ' '
        continue
      }
      out.push(carry + line)
      carry = ''
    }
  }
  return out
}

/** README.md and every page of docs/ that has a ```sh block. */
export function documentsWithCommands(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((n) => n.endsWith('.md'))
    .sort()
    .map((n) => `docs/${n}`)
  return ['README.md', ...docs].filter((f) => commandLines(f).length > 0)
}

/**
 * docs/commands.md is written by scripts/gen-docs.js: for each command a usage synopsis
 * (`sjt <id> [ARG] … [FLAGS]`, always ending in `[FLAGS]`), then its `examples`. The synopsis is
 * no command.
 */
export const isUsageSynopsis = (file: string, line: string): boolean => file === 'docs/commands.md' && /^sjt [a-z0-9- ]+( \[?[A-Z]+\]?)*( …)? \[FLAGS\]$/.test(line)

/**
 * The README's and getting-started's lines (run by test/docs/commands.test.ts, in this order, in
 * one folder) with their exit codes; -1: depends on the machine (doctor), never 2 or 70.
 */
export const README_EXIT: Record<string, number> = {
  'npx sjt doctor': -1,
  'sjt doctor': -1,
  'sjt doctor --server https://review.example.gov.cn': -1,
  'npx sjt init my-app': 0,
  'sjt init my-app': 0,
  'npx sjt check manifest my-app': 1, // the placeholders fail with "fill in …"
  'sjt check manifest my-app': 1,
  'npx sjt check my-app --format html,sarif': 1,
  'sjt check my-app --format html,md': 1,
  'npx sjt check my-app --json > result.json': 1,
  'npx sjt check --url https://example.gov.cn/m/ a11y': 0,
  'npx sjt check apps/ --concurrency 2 --shard 1/4': 1,
  'npx sjt report reports/<app.id>/result.json --format html,md,junit,sarif,pdf': 0,
  'sjt report reports/<app.id>/result.json --format pdf': 0,
  'npx sjt submit reports/<app.id>/result.json --server https://review.example.gov.cn': 0,
  'npx sjt score reports/ --region 1401': 0,
  'npx sjt standards list --category elder': 0,
  'sjt standards show MAN-002': 0,
  'npx sjt autocomplete bash': 0,
  'sjt autocomplete bash': 0,
  'sjt autocomplete zsh': 0,
  'sjt autocomplete --refresh-cache': 0,
}

/** Documents whose lines another test file runs, and which of their lines it runs. */
export const RUN_ELSEWHERE: Record<string, {test: string; runs: (line: string) => boolean}> = {
  'README.md': {test: 'test/docs/commands.test.ts', runs: (l) => l in README_EXIT},
  'docs/getting-started.md': {test: 'test/docs/commands.test.ts', runs: (l) => l in README_EXIT},
  // The quickstart runs every line of the page, in order (it fails on a line it does not know).
  'docs/review-api.md': {test: 'test/docs/commands.test.ts', runs: () => true},
  // Each runs every `sjt …` line of its page and fails on a line it has no plan for.
  'docs/miniprogram.md': {test: 'test/miniprogram/cli.test.ts', runs: (l) => l.startsWith('sjt ')},
  'docs/workers.md': {test: 'test/review/queue.test.ts', runs: (l) => l.startsWith('sjt ')},
}

/** Lines no test runs, each with why it cannot run inside a test. */
export const NOT_RUN: Record<string, string> = {
  'npm ci && npm run demo': 'installs the packages into the checkout: run by .ci/run on every CI run',
  'npm test': 'the test suite itself: run by .ci/run on every CI run',
  'printf "$(sjt autocomplete script bash)" >> ~/.bashrc; source ~/.bashrc': "appends to the user's shell start-up file (~/.bashrc)",
  'node ci/github/comment.js --dir sjt-reports [--pr 12] [--note "附加说明"]':
    "a synopsis ([…] are optional flags) of a script that posts to GitHub's REST API with the pipeline's GITHUB_TOKEN: test/ci/comment.test.ts runs it against a loopback stand-in for those endpoints",
  'sjt check perf fixtures/apps/sample --url http://127.0.0.1:8080/m/ --runs 3':
    'three Lighthouse runs (≈ 30 s on an idle 2-core machine) for the suite\'s time budget; its --runs 1 sibling runs in test/docs/every-command.test.ts and test/perf/lighthouse.test.ts takes the median of several runs',
  'SJT_TEST_TICKET=ST-demo-ticket sjt check fixtures/apps/sample-login --url https://127.0.0.1:8443/m/ --api-base https://127.0.0.1:8443/api --ca CA文件':
    "every category behind the sample's login with Lighthouse's default three runs (minutes on a 2-core machine): test/auth/sample-login.test.ts runs this check of fixtures/apps/sample-login on the same server with --runs 1",
  'SJT_TEST_TICKET=ST-demo-ticket sjt check fixtures/apps/sample-login --url https://127.0.0.1:8443/m/ --api-base https://127.0.0.1:8443/api --ca CAFILE':
    "every category behind the sample's login with Lighthouse's default three runs (minutes on a 2-core machine): test/auth/sample-login.test.ts runs this check of fixtures/apps/sample-login on the same server with --runs 1",
  'sjt monitor --interval 600': 'runs until it is stopped (a round every 600 s); its --once siblings run in test/docs/every-command.test.ts',
}

/** Whether a line needs a shell: command substitution, pipes, redirection, `;`, `&&`, quotes, `$?`. */
export const needsShell = (line: string): boolean => /[$|<>;&'"`]/.test(line.replace(/<[^<>\s]*>/g, '').replace(/…/g, ''))

/** A plain line as its words: leading VAR=value assignments as the environment, then the argv after `sjt`/`npx sjt`. */
export function words(line: string): {env: Record<string, string>; argv: string[]} {
  const parts = line.split(/\s+/)
  const env: Record<string, string> = {}
  while (parts.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(parts[0])) {
    const [k, ...v] = parts.shift()!.split('=')
    env[k] = v.join('=')
  }
  if (parts[0] === 'npx') parts.shift()
  return {env, argv: parts}
}
