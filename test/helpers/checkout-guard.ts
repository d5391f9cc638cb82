// vitest globalSetup: the suite writes only to temporary folders. Before the suite it records the
// checkout's state (git status with ignored files, and every file under reports/, .sjt/ and
// .sjt-outbox/ with size and mtime); after the suite it fails the run when anything changed.
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
// Written by `npm run build` before the suite, and by the tools themselves: not the tests' doing.
const OWN = /^(dist|node_modules|bench\/anchors\/node_modules|\.vitest|node_modules\/\.vite)\//
const WATCHED = ['reports', '.sjt', '.sjt-outbox']

function listing(dir: string, out: string[], depth = 0): void {
  if (!existsSync(dir) || depth > 8 || out.length > 20_000) return
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) {
      out.push(`${path.relative(ROOT, p)}/`)
      listing(p, out, depth + 1)
    } else {
      const st = statSync(p, {throwIfNoEntry: false})
      out.push(`${path.relative(ROOT, p)} ${st?.size ?? '?'} ${st?.mtimeMs ?? '?'}`)
    }
  }
}

/** The checkout's state as lines: changed/untracked/ignored paths (with size and mtime) and the watched folders' files. */
export function snapshot(): string[] {
  const lines: string[] = []
  const status = execFileSync('git', ['status', '--porcelain', '--ignored', '--untracked-files=all'], {cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20})
  for (const line of status.split('\n')) {
    const file = line.slice(3)
    if (!line || OWN.test(file)) continue
    const st = statSync(path.join(ROOT, file), {throwIfNoEntry: false})
    lines.push(`${line} ${st?.size ?? '-'} ${st?.mtimeMs ?? '-'}`)
  }
  for (const dir of WATCHED) listing(path.join(ROOT, dir), lines)
  return lines.sort()
}

export function difference(before: string[], after: string[]): string[] {
  const b = new Set(before)
  const a = new Set(after)
  return [...after.filter((l) => !b.has(l)).map((l) => `+ ${l}`), ...before.filter((l) => !a.has(l)).map((l) => `- ${l}`)]
}

export default function setup(): () => void {
  const before = snapshot()
  return () => {
    const diff = difference(before, snapshot())
    if (diff.length > 0) {
      throw new Error(`the test suite changed the checkout (tests must write only to temporary folders; or files were edited while the suite ran):\n${diff.slice(0, 40).join('\n')}`)
    }
  }
}
