// Hostile inputs through the CLI, where the exit code is the point: devices, FIFOs, unsafe app
// ids and broken results exit 2 with a message (never 70, a hang or a signal); an incomplete
// result is not submitted.
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {computeDigest} from '../../src/core/result.js'
import {ROOT, sjt} from '../helpers/cli.js'

let tmp: string
let fifo: string
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-hardcli-'))
  fifo = path.join(tmp, 'fifo.yaml')
  execFileSync('mkfifo', [fifo])
})

const sealed = (doc: any) => ({...doc, digest: {alg: 'sha256', value: computeDigest(doc)}})

const noCrash = (r: {code: number; stderr: string}) => {
  expect(r.code).toBe(2)
  expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/)
}

describe('special files and unsafe ids exit 2', () => {
  it('sjt check manifest /dev/zero and a FIFO', async () => {
    const zero = await sjt(['check', 'manifest', '/dev/zero', '--out', path.join(tmp, 'o1'), '--lang', 'en'], {timeoutMs: 60_000})
    noCrash(zero)
    expect(zero.stderr).toMatch(/\/dev\/zero: this is not a regular file \(character device\)/)
    const pipe = await sjt(['check', 'manifest', fifo, '--out', path.join(tmp, 'o2'), '--lang', 'en'], {timeoutMs: 60_000})
    noCrash(pipe)
    expect(pipe.stderr).toMatch(/not a regular file \(FIFO\)/)
  })

  it('sjt report /dev/zero, and a result with an unsafe app.id, write nothing', async () => {
    noCrash(await sjt(['report', '/dev/zero', '--format', 'html', '--lang', 'en'], {timeoutMs: 60_000}))
    const doc = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/results/ty-gjj-withdraw.json'), 'utf8'))
    doc.app.id = '../../escaped'
    const file = path.join(tmp, 'evil.json')
    writeFileSync(file, JSON.stringify(sealed(doc)))
    const r = await sjt(['report', file, '--format', 'html,md', '--out', path.join(tmp, 'deep', 'out'), '--lang', 'en'])
    noCrash(r)
    expect(r.stderr).toMatch(/\/app\/id must match pattern/)
    expect(existsSync(path.join(tmp, 'escaped'))).toBe(false)
  })

  it('sjt submit refuses an incomplete result before contacting any server', async () => {
    const doc = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/results/ty-gjj-withdraw.json'), 'utf8'))
    doc.findings = doc.findings.map((f: any) => ({...f, status: 'error'}))
    doc.categories = Object.fromEntries(Object.keys(doc.categories).map((k) => [k, {status: 'error', errors: 0, warnings: 0, score: null}]))
    // Written as "pass" by an older sjt: the findings still say incomplete.
    doc.verdict = 'pass'
    const file = path.join(tmp, 'incomplete.json')
    writeFileSync(file, JSON.stringify(sealed(doc)))
    const r = await sjt(['submit', file, '--server', 'http://127.0.0.1:1', '--token', 'x', '--retries', '0', '--outbox', path.join(tmp, 'outbox'), '--lang', 'en'])
    noCrash(r)
    expect(r.stderr).toMatch(/has the verdict incomplete .* not submitted/)
    expect(r.stderr).toMatch(/--allow-incomplete/)
    expect(existsSync(path.join(tmp, 'outbox'))).toBe(false)
  })
})
