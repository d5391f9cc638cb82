// Exit and output discipline of every command: --help shows examples, an unknown flag exits 2
// with a short message, --json prints only JSON on stdout, progress and notes go to stderr,
// colour only on a terminal and never with NO_COLOR.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {BIN, json, ROOT, sjt} from '../helpers/cli'
import {sjtIn} from '../helpers/run'

/** Every command of the built CLI, from dist/commands (index.js is its folder's command). */
function commandIds(): string[][] {
  const dir = path.join(ROOT, 'dist', 'commands')
  const out: string[][] = []
  const walk = (d: string, prefix: string[]) => {
    for (const name of readdirSync(d).sort()) {
      const f = path.join(d, name)
      if (statSync(f).isDirectory()) walk(f, [...prefix, name])
      else if (name.endsWith('.js')) out.push(name === 'index.js' ? prefix : [...prefix, name.slice(0, -3)])
    }
  }
  walk(dir, [])
  return out
}

const COMMANDS = commandIds()
const ESC = '\u001B['
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'sjt-cli-'))
const SAMPLE = path.join(ROOT, 'fixtures', 'apps', 'sample')

/** Run the CLI with exactly this environment (no NO_COLOR added). */
function raw(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? -1, stdout, stderr}))
  })
}

function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, LANG: 'en_US.UTF-8', ...extra}
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'CI']) if (!(k in extra)) delete env[k]
  return env
}

describe('every command', () => {
  it('is found in dist/commands', () => {
    const ids = COMMANDS.map((c) => c.join(' '))
    expect(ids).toEqual(expect.arrayContaining(['check', 'check manifest', 'doctor', 'report', 'standards list', 'standards show']))
  })

  // In this process (oclif's own run, as bin/run.js calls it): one Node start per command would
  // cost a minute of the suite. The built binary's answer to an unknown flag is checked below.
  it.each(COMMANDS.map((c) => [c.join(' ')]))('%s --help shows at least one example', async (id) => {
    const r = await sjtIn([...id.split(' '), '--help'])
    expect(r.code).toBe(0)
    const examples = r.stdout.split(/\n(?=[A-Z]+\n)/).find((s) => s.startsWith('EXAMPLES'))
    expect(examples, `sjt ${id} --help has no EXAMPLES section`).toBeDefined()
    expect(examples).toMatch(/\$ .*sjt /)
  })

  const unknownFlag = (r: {code: number; stdout: string; stderr: string}) => {
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines.length).toBeLessThanOrEqual(2)
    expect(lines[0]).toContain('--no-such-flag-here')
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  }
  it.each(COMMANDS.map((c) => [c.join(' ')]))('%s exits 2 on an unknown flag, in a line or two', async (id) => {
    unknownFlag(await sjtIn([...id.split(' '), '--no-such-flag-here']))
  })
  it('the built binary too (bin/run.js)', async () => {
    unknownFlag(await sjt(['check', 'manifest', '--no-such-flag-here']))
    unknownFlag(await sjt(['review-server', 'token', 'create', '--no-such-flag-here']))
  })

  it('sjt --version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
    const r = await sjt(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toMatch(new RegExp(`^sjt/${pkg.version.replace(/\./g, '\\.')} `))
  })
})

describe('--json prints only JSON on stdout', () => {
  const cases: Record<string, string[]> = {
    'standards list': ['standards', 'list', '--json'],
    'standards show': ['standards', 'show', 'MAN-001', '--json'],
    'check manifest': ['check', 'manifest', SAMPLE, '--json', '--out', '<tmp>'],
    doctor: ['doctor', '--json'],
  }
  it.each(Object.entries(cases))('%s', async (_id, args) => {
    const out = tmp()
    const r = await sjt(args.map((a) => (a === '<tmp>' ? out : a)), {cwd: out})
    const doc = json(r)
    expect(typeof doc).toBe('object')
    expect(r.stdout.trim().startsWith('{')).toBe(true)
  })

  it('every command with --json keeps stdout clean when it fails', async () => {
    const withJson = []
    for (const c of COMMANDS) {
      const help = await sjtIn([...c, '--help'])
      if (/--json\b/.test(help.stdout)) withJson.push(c)
    }
    expect(withJson.length).toBeGreaterThanOrEqual(4)
    for (const c of withJson) {
      const r = await sjtIn([...c, path.join(tmp(), 'missing', 'result.json'), '--json'], {env: {SJT_SERVER: 'http://127.0.0.1:1', SJT_TOKEN: ''}})
      if (r.code !== 0) expect(r.stdout, `sjt ${c.join(' ')} --json wrote to stdout on exit ${r.code}`).toBe('')
      else if (r.stdout.trim()) expect(() => JSON.parse(r.stdout)).not.toThrow()
    }
  }, 180_000)

  it('the check result on stdout is the result document written to the reports folder', async () => {
    const out = tmp()
    const r = await sjt(['check', 'manifest', SAMPLE, '--json', '--out', out])
    const doc = json(r)
    expect(doc.schemaVersion).toBe('1.0')
    const saved = JSON.parse(readFileSync(path.join(out, doc.app.id, 'result.json'), 'utf8'))
    expect(saved.digest).toEqual(doc.digest)
    // Nothing else: no progress, no "wrote …" notes.
    expect(r.stderr).not.toContain(ESC)
  })
})

describe('progress and notes go to stderr', () => {
  it('check writes the findings on stdout and progress and written files on stderr', async () => {
    const out = tmp()
    const r = await sjt(['check', 'manifest', SAMPLE, '--out', out])
    const resultFile = path.join(out, 'ty-gjj-withdraw', 'result.json')
    expect(r.stderr).toContain(resultFile)
    expect(r.stdout).not.toContain(resultFile)
    expect(r.stdout).toMatch(/verdict: (pass|fail)/)
    expect(r.stdout).not.toMatch(/^· /m)
  })
})

describe('colour', () => {
  const args = (out: string) => ['check', 'manifest', SAMPLE, '--out', out, '--fail-on', 'never']

  it('none when stdout is not a terminal', async () => {
    const r = await raw(args(tmp()), baseEnv())
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain(ESC)
  })

  it('on with FORCE_COLOR, and NO_COLOR wins over it', async () => {
    const forced = await raw(args(tmp()), baseEnv({FORCE_COLOR: '1'}))
    expect(forced.stdout).toContain(ESC)
    const both = await raw(args(tmp()), baseEnv({FORCE_COLOR: '1', NO_COLOR: '1'}))
    expect(both.stdout).not.toContain(ESC)
  })

  const hasScript = spawnSync('script', ['--version'], {encoding: 'utf8'}).status === 0
  it.runIf(hasScript)('on a terminal (a pseudo-terminal from script), off there with NO_COLOR', async () => {
    const cmd = (extra: string) => `${extra} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args(tmp()).map((a) => JSON.stringify(a)).join(' ')}`
    const tty = spawnSync('script', ['-qec', cmd(''), '/dev/null'], {env: baseEnv(), encoding: 'utf8', timeout: 60_000})
    expect(tty.status).toBe(0)
    expect(tty.stdout).toContain(ESC)
    const noColor = spawnSync('script', ['-qec', cmd('NO_COLOR=1'), '/dev/null'], {env: baseEnv(), encoding: 'utf8', timeout: 60_000})
    expect(noColor.status).toBe(0)
    expect(noColor.stdout).toMatch(/verdict/)
    expect(noColor.stdout).not.toContain(ESC)
    const doctor = spawnSync('script', ['-qec', `NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} doctor`, '/dev/null'], {env: baseEnv(), encoding: 'utf8', timeout: 60_000})
    expect(doctor.stdout).not.toContain(ESC)
  })
})

describe('shell completion', () => {
  it('sjt autocomplete bash prints the setup, and the generated function completes commands and flags', async () => {
    const home = tmp()
    const env = {HOME: home, XDG_CACHE_HOME: path.join(home, '.cache')}
    const r = await sjt(['autocomplete', 'bash'], {env})
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('sjt autocomplete script bash')
    const script = await sjt(['autocomplete', 'script', 'bash'], {env})
    const setup = /SJT_AC_BASH_SETUP_PATH=(\S+)/.exec(script.stdout)?.[1]
    expect(setup).toBeDefined()
    const complete = (line: string) => {
      const words = line.split(' ')
      const sh = `source ${JSON.stringify(setup)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}; _sjt_autocomplete; printf '%s\\n' "\${COMPREPLY[@]}"`
      return spawnSync('bash', ['-c', sh], {env: {...process.env, ...env}, encoding: 'utf8'}).stdout.split('\n').filter(Boolean)
    }
    expect(complete('sjt doc')).toContain('doctor')
    expect(complete('sjt standards show --pro')).toContain('--profile')
    expect(complete('sjt check --fail')).toContain('--fail-on')
  })
})
