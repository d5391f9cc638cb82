// Runs the shell steps of a composite action (action.yml) or the jobs of a GitLab CI file on this
// machine, the way the CI service would as far as that is possible here: `${{ }}` expressions
// and `if:` conditions are evaluated, inputs and outputs flow through GITHUB_OUTPUT, GitLab
// variables and `rules: if` are applied, and each script runs in bash. Steps that call other
// actions (`uses:`) cannot run here; they are returned with their resolved `with:` so the tests
// can check what they would receive.
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import YAML from 'yaml'

/** bash -eo pipefail -c SCRIPT, without blocking the event loop (servers in the test process must answer). */
export function bash(script: string, opts: {cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number}): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code: code ?? 1, stdout, stderr})
    })
  })
}

// ------------------------------------------------------------ GitHub expressions

type Ctx = Record<string, any>

export function evaluate(expr: string, ctx: Ctx, status: {failed: boolean}): unknown {
  const tokens: string[] = []
  const re = /\s*(==|!=|&&|\|\||!|\(|\)|'(?:[^']|'')*'|[A-Za-z_][\w.-]*|\d+(?:\.\d+)?)/y
  let m: RegExpExecArray | null
  let pos = 0
  while (pos < expr.length && (m = re.exec(expr))) {
    tokens.push(m[1])
    pos = re.lastIndex
  }
  if (expr.slice(pos).trim()) throw new Error(`cannot parse expression: ${expr}`)
  let i = 0
  const peek = () => tokens[i]
  const truthy = (v: unknown) => v !== '' && v !== null && v !== undefined && v !== false && v !== 0
  const primary = (): unknown => {
    const t = tokens[i++]
    if (t === '(') {
      const v = or()
      i++
      return v
    }
    if (t === '!') return !truthy(primary())
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'")
    if (/^\d/.test(t)) return Number(t)
    if (t === 'true' || t === 'false') return t === 'true'
    if (peek() === '(') {
      i += 2
      if (t === 'always') return true
      if (t === 'success') return !status.failed
      if (t === 'failure') return status.failed
      if (t === 'cancelled') return false
      throw new Error(`unknown function ${t}`)
    }
    return t.split('.').reduce((o: any, k) => (o == null ? undefined : o[k]), ctx) ?? ''
  }
  const eq = (): unknown => {
    let l = primary()
    while (peek() === '==' || peek() === '!=') {
      const op = tokens[i++]
      const r = primary()
      const same = String(l).toLowerCase() === String(r).toLowerCase()
      l = op === '==' ? same : !same
    }
    return l
  }
  const and = (): unknown => {
    let l = eq()
    while (peek() === '&&') {
      i++
      const r = eq()
      l = truthy(l) ? r : l
    }
    return l
  }
  const or = (): unknown => {
    let l = and()
    while (peek() === '||') {
      i++
      const r = and()
      l = truthy(l) ? l : r
    }
    return l
  }
  return or()
}

function interpolate(s: string, ctx: Ctx, status = {failed: false}): string {
  return s.replace(/\$\{\{\s*([\s\S]+?)\s*\}\}/g, (_m, e) => String(evaluate(e, ctx, status) ?? ''))
}

function resolveDeep(v: unknown, ctx: Ctx): unknown {
  if (typeof v === 'string') return interpolate(v, ctx)
  if (Array.isArray(v)) return v.map((x) => resolveDeep(x, ctx))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveDeep(x, ctx)]))
  return v
}

interface StepRun {
  name: string
  id?: string
  ran: boolean
  uses?: string
  with?: Record<string, unknown>
  code?: number
  stdout?: string
  stderr?: string
}

export interface ActionRun {
  steps: StepRun[]
  outputs: Record<string, string>
  /** The exit code of the whole action: the first failing step's, else 0. */
  code: number
  env: Record<string, string>
}

export async function runAction(file: string, opts: {inputs: Record<string, string>; github: Ctx; env: NodeJS.ProcessEnv; cwd: string; skip?: string[]}): Promise<ActionRun> {
  const action = YAML.parse(readFileSync(file, 'utf8'))
  const inputs: Record<string, string> = {}
  for (const [k, def] of Object.entries<any>(action.inputs ?? {})) inputs[k] = opts.inputs[k] ?? String(def.default ?? '')
  const steps: Record<string, {outputs: Record<string, string>; outcome: string}> = {}
  const status = {failed: false}
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-action-'))
  const jobEnv: Record<string, string> = {}
  const runs: StepRun[] = []
  let code = 0
  const ctx = (): Ctx => ({inputs, github: opts.github, steps, runner: {os: 'Linux', arch: 'X64', temp: tmp}, env: jobEnv})
  for (const [n, step] of (action.runs.steps as any[]).entries()) {
    const name = step.name ?? step.id ?? `step ${n + 1}`
    const cond = step.if ? String(step.if).replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, '$1') : 'success()'
    const explicitStatus = /\b(always|success|failure|cancelled)\(\)/.test(cond)
    const go = Boolean(evaluate(explicitStatus ? cond : `success() && (${cond})`, ctx(), status))
    if (!go || (step.id && opts.skip?.includes(step.id))) {
      runs.push({name, id: step.id, ran: false, uses: step.uses})
      continue
    }
    if (step.uses) {
      runs.push({name, id: step.id, ran: true, uses: step.uses, with: resolveDeep(step.with ?? {}, ctx()) as Record<string, unknown>})
      continue
    }
    const outFile = path.join(tmp, `output-${n}`)
    const envFile = path.join(tmp, `env-${n}`)
    const summary = path.join(tmp, 'summary.md')
    writeFileSync(outFile, '')
    writeFileSync(envFile, '')
    const stepEnv = resolveDeep(step.env ?? {}, ctx()) as Record<string, string>
    const script = interpolate(step.run, ctx())
    const r = await bash(script, {
      cwd: step['working-directory'] ? interpolate(step['working-directory'], ctx()) : opts.cwd,
      env: {...opts.env, ...jobEnv, ...stepEnv, GITHUB_OUTPUT: outFile, GITHUB_ENV: envFile, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTION_PATH: path.dirname(file)},
    })
    const outputs: Record<string, string> = {}
    for (const line of readFileSync(outFile, 'utf8').split('\n')) {
      const i = line.indexOf('=')
      if (i > 0) outputs[line.slice(0, i)] = line.slice(i + 1)
    }
    for (const line of readFileSync(envFile, 'utf8').split('\n')) {
      const i = line.indexOf('=')
      if (i > 0) jobEnv[line.slice(0, i)] = line.slice(i + 1)
    }
    const stepCode = r.code
    const ok = stepCode === 0 || step['continue-on-error'] === true
    if (step.id) steps[step.id] = {outputs, outcome: stepCode === 0 ? 'success' : 'failure'}
    runs.push({name, id: step.id, ran: true, code: stepCode, stdout: r.stdout, stderr: r.stderr})
    if (!ok && !status.failed) {
      status.failed = true
      code = stepCode
    }
  }
  const outputs = Object.fromEntries(Object.entries<any>(action.outputs ?? {}).map(([k, o]) => [k, interpolate(o.value, ctx())]))
  return {steps: runs, outputs, code, env: jobEnv}
}

// ------------------------------------------------------------ GitLab CI

export interface GitLabJob {
  name: string
  variables: Record<string, string>
  script: string[]
  before_script: string[]
  rules?: Array<{if?: string; when?: string}>
  parallel?: number
  stage?: string
  artifacts?: any
  needs?: any
}

/** A job with `extends` applied (hidden templates merged, the job's own keys winning). */
export function gitlabJob(config: any, name: string): GitLabJob {
  const raw = config[name]
  const chain: any[] = []
  let cur = raw
  while (cur) {
    chain.unshift(cur)
    const parent = Array.isArray(cur.extends) ? cur.extends[0] : cur.extends
    cur = parent ? config[parent] : undefined
  }
  const job: any = {}
  for (const c of chain) {
    for (const [k, v] of Object.entries<any>(c)) {
      if (k === 'extends') continue
      job[k] = k === 'variables' ? {...(job.variables ?? {}), ...v} : v
    }
  }
  return {name, variables: {...(config.variables ?? {}), ...(job.variables ?? {})}, script: job.script ?? [], before_script: job.before_script ?? [], rules: job.rules, parallel: job.parallel, stage: job.stage, artifacts: job.artifacts, needs: job.needs}
}

/** Whether `rules:` let the job run, for the simple `$VAR == "value"` conditions used here. */
export function gitlabRulesAllow(job: GitLabJob, vars: Record<string, string>): boolean {
  if (!job.rules) return true
  for (const r of job.rules) {
    if (!r.if) return r.when !== 'never'
    const m = /^\$(\w+)\s*(==|!=)\s*"([^"]*)"$/.exec(r.if.trim())
    if (!m) throw new Error(`rule not understood: ${r.if}`)
    const v = vars[m[1]] ?? ''
    if ((m[2] === '==') === (v === m[3])) return r.when !== 'never'
  }
  return false
}

export function runGitLabJob(job: GitLabJob, opts: {cwd: string; env: NodeJS.ProcessEnv; variables?: Record<string, string>}): Promise<{code: number; stdout: string; stderr: string}> {
  const base: Record<string, string> = {CI_PROJECT_DIR: opts.cwd}
  const expand = (v: string) => String(v).replace(/\$\{?(\w+)\}?/g, (m, k) => base[k] ?? m)
  const vars = Object.fromEntries(Object.entries({...job.variables, ...(opts.variables ?? {})}).map(([k, v]) => [k, expand(String(v))]))
  const script = [...job.before_script, ...job.script].join('\n')
  return bash(script, {cwd: opts.cwd, env: {...opts.env, ...vars, CI_PROJECT_DIR: opts.cwd, CI: 'true', GITLAB_CI: 'true', CI_JOB_NAME: job.name}})
}
