// The machine-wide lock that keeps Lighthouse runs one at a time: within a process, across
// processes (the built dist/lib/serial.js in child processes), stale locks and time-outs.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {isStale, lockFile, LockTimeoutError, withMachineLock} from '../../src/lib/serial.js'
import {ROOT} from '../helpers/cli.js'

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'sjt-lock-'))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const DIST = pathToFileURL(path.join(ROOT, 'dist', 'lib', 'serial.js')).href

describe('withMachineLock', () => {
  it('runs holders of one process one at a time, in order, and releases on failure', async () => {
    const d = dir()
    let active = 0
    let most = 0
    const order: number[] = []
    const job = (i: number) =>
      withMachineLock(
        'lh',
        async () => {
          active++
          most = Math.max(most, active)
          order.push(i)
          await sleep(20)
          active--
          if (i === 2) throw new Error('boom')
          return i
        },
        {dir: d},
      )
    const results = await Promise.allSettled([1, 2, 3, 4].map(job))
    expect(most).toBe(1)
    expect(order).toEqual([1, 2, 3, 4])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
    expect(existsSync(lockFile('lh', {dir: d}))).toBe(false)
  })

  it('keeps several processes from overlapping', async () => {
    const d = dir()
    const log = path.join(d, 'log.txt')
    writeFileSync(log, '')
    const script = `
      import {appendFileSync} from 'node:fs'
      const {withMachineLock} = await import(${JSON.stringify(DIST)})
      for (let i = 0; i < 3; i++) {
        await withMachineLock('lh', async () => {
          appendFileSync(${JSON.stringify(log)}, 'start ' + process.pid + '\\n')
          await new Promise((r) => setTimeout(r, 60))
          appendFileSync(${JSON.stringify(log)}, 'end ' + process.pid + '\\n')
        }, {dir: ${JSON.stringify(d)}, pollMs: 10})
      }`
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const c = spawn(process.execPath, ['--input-type=module', '-e', script], {stdio: 'inherit'})
        c.on('error', reject)
        c.on('close', (code) => resolve(code ?? -1))
      })
    expect(await Promise.all([run(), run(), run()])).toEqual([0, 0, 0])
    const lines = readFileSync(log, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(18)
    // Strictly alternating start/end of the same process: no two holders at once.
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^start /)
      expect(lines[i + 1]).toBe(lines[i].replace('start', 'end'))
    }
  })

  it('breaks a lock left by a process that is gone', async () => {
    const d = dir()
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'})
    const f = lockFile('lh', {dir: d})
    writeFileSync(f, JSON.stringify({pid: Number(dead.stdout), host: os.hostname(), token: 'old', since: new Date().toISOString()}))
    expect(isStale(f, 60_000)).toBe(true)
    const t0 = Date.now()
    expect(await withMachineLock('lh', async () => 'mine', {dir: d})).toBe('mine')
    expect(Date.now() - t0).toBeLessThan(2000)
  })

  it('waits for a live holder, says who it is, and can time out', async () => {
    const d = dir()
    const f = lockFile('lh', {dir: d})
    writeFileSync(f, JSON.stringify({pid: process.pid, host: os.hostname(), token: 'live', since: new Date().toISOString(), label: 'lighthouse http://x/'}))
    expect(isStale(f, 60_000)).toBe(false)
    const seen: string[] = []
    await expect(withMachineLock('lh', async () => 1, {dir: d, timeoutMs: 300, pollMs: 20, onWait: (h) => seen.push(h?.label ?? '')})).rejects.toBeInstanceOf(LockTimeoutError)
    expect(seen).toEqual(['lighthouse http://x/'])
    // Our own live lock is untouched; once it goes, the next holder gets in.
    expect(JSON.parse(readFileSync(f, 'utf8')).token).toBe('live')
    setTimeout(() => writeFileSync(f, ''), 100) // becomes unreadable junk …
    const t0 = Date.now()
    await expect(withMachineLock('lh', async () => 2, {dir: d, pollMs: 20, staleMs: 200})).resolves.toBe(2) // … and stale
    expect(Date.now() - t0).toBeLessThan(5000)
  })

  it('treats a lock untouched for staleMs as stale even when its pid is alive (pid reuse)', async () => {
    const d = dir()
    const f = lockFile('lh', {dir: d})
    writeFileSync(f, JSON.stringify({pid: process.pid, host: os.hostname(), token: 'x', since: ''}))
    await sleep(150)
    expect(isStale(f, 100)).toBe(true)
    expect(await withMachineLock('lh', async () => 'ok', {dir: d, staleMs: 100})).toBe('ok')
  })
})
