// `sjt init` for a newcomer: a starter contract from the provincial contracts, placeholders that
// fail with "fill in …", no reports/<app-id>/ folder, and Ctrl+D at a prompt as a cancel.
// `sjt init` spawns the built binary; the checks of what it wrote run in-process (test/helpers/run.ts).
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {BIN, json, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-init-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

describe('sjt init --yes (placeholders left)', () => {
  const dir = path.join(tmp, 'app')
  it('writes sjt.yaml, openapi.yaml and sjt.config.yaml; every placeholder fails with "fill in"', async () => {
    const r = await sjt(['init', dir, '--yes', '--lang', 'en'])
    expect(r.code, r.stderr).toBe(0)
    for (const f of ['sjt.yaml', 'openapi.yaml', 'sjt.config.yaml']) expect(existsSync(path.join(dir, f)), f).toBe(true)
    const out = path.join(tmp, 'out')
    const c = await sjtIn(['check', 'manifest', dir, '--json', '--lang', 'en', '--out', out])
    expect(c.code).toBe(1)
    const fails = json(c).findings.filter((f: any) => f.status === 'fail')
    const msg = (id: string) => fails.filter((f: any) => f.ruleId === id).map((f: any) => f.message)
    expect(msg('MAN-001')).toContain('fill in /app/id (still the placeholder <app-id>)')
    expect(msg('MAN-005')).toContain('fill in <host> in the URL /app/entry: https://<host>.gov.cn/m/')
    expect(msg('MAN-010')).toEqual(['fill in <host> in the privacy-policy URL: https://<host>.gov.cn/m/privacy.html'])
    // No folder named after the placeholder: the reports go to invalid-app-id-<hash>/.
    const folders = readdirSync(out)
    expect(folders).toHaveLength(1)
    expect(folders[0]).toMatch(/^invalid-app-id-[0-9a-f]{8}$/)
    const zh = await sjtIn(['check', 'manifest', dir, '--lang', 'zh-CN', '--out', out])
    expect(zh.stdout).toContain('请填写 /app/id（仍是占位符 <app-id>）')
    expect(zh.stdout).toContain('请填写 /app/entry 网址中的 <host>')
  })

  it('the starter contract holds the provincial operations and passes the static contract rules', async () => {
    const c = await sjtIn(['check', 'contract', dir, '--json', '--lang', 'en', '--out', path.join(tmp, 'out-c')])
    const doc = json(c)
    const failed = doc.findings.filter((f: any) => f.status === 'fail')
    expect(failed, JSON.stringify(failed, null, 1)).toEqual([])
    for (const id of ['API-001', 'API-002', 'API-004', 'API-005', 'API-006']) {
      expect(doc.findings.filter((f: any) => f.ruleId === id && f.status === 'pass').length, id).toBeGreaterThan(0)
    }
  })
})

describe('sjt init at a terminal', () => {
  // A pseudo-terminal (python3 pty) so that init asks; Ctrl+D (end of input) at the first prompt.
  it('Ctrl+D at a prompt cancels: exit 130, "cancelled", no stack, no files', () => {
    const dir = path.join(tmp, 'tty')
    const script = [
      'import os, pty, sys, time',
      'pid, fd = pty.fork()',
      'if pid == 0:',
      '    os.execvp(sys.argv[1], sys.argv[1:])',
      'buf = b""',
      'deadline = time.time() + 120',
      'while b"ty-gjj-withdraw" not in buf and time.time() < deadline:',
      '    try: buf += os.read(fd, 1024)',
      '    except OSError: break',
      'os.write(fd, b"\\x04")',
      'while True:',
      '    try:',
      '        chunk = os.read(fd, 1024)',
      '        if not chunk: break',
      '        buf += chunk',
      '    except OSError: break',
      '_, status = os.waitpid(pid, 0)',
      'sys.stdout.write(buf.decode("utf-8", "replace"))',
      'sys.exit(os.waitstatus_to_exitcode(status))',
    ].join('\n')
    let code = 0
    let output = ''
    try {
      output = execFileSync('python3', ['-c', script, process.execPath, BIN, 'init', dir, '--lang', 'en'], {encoding: 'utf8', timeout: 150_000, env: {...process.env, NO_COLOR: '1'}})
    } catch (error) {
      const e = error as {status: number; stdout: string}
      code = e.status
      output = e.stdout
    }
    expect(code, output).toBe(130)
    expect(output).toContain('sjt: cancelled')
    expect(output).not.toMatch(/internal error|at .*\.js:\d+/)
    expect(existsSync(path.join(dir, 'sjt.yaml'))).toBe(false)
  })
})
