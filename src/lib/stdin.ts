// Standard input is read only when a command is given `-` in place of a file: never implicitly,
// so `cmd < list` loops and pipes into sjt keep their input for whoever else reads it.
import {readSync} from 'node:fs'
import {InputError} from './errors.js'
import type {Lang} from './i18n/index.js'
import {t} from './i18n/index.js'

/** The argument that names standard input. */
const STDIN_ARG = '-'

export function isStdin(p: string | undefined): boolean {
  return p === STDIN_ARG
}

/** Reads all of standard input (at most `maxBytes`), synchronously. */
export function readStdinBytes(lang: Lang, maxBytes: number, fd = 0): Buffer {
  const chunks: Buffer[] = []
  let total = 0
  const buf = Buffer.alloc(64 * 1024)
  for (;;) {
    let n: number
    try {
      n = readSync(fd, buf, 0, buf.length, null)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
        continue
      }
      if (code === 'EOF') break
      throw new InputError(t(lang, 'input.stdinUnreadable', {detail: (error as Error).message}), {file: STDIN_ARG})
    }
    if (n === 0) break
    total += n
    if (total > maxBytes) throw new InputError(t(lang, 'input.tooLarge', {size: `> ${maxBytes}`, max: maxBytes}), {file: STDIN_ARG})
    chunks.push(Buffer.from(buf.subarray(0, n)))
  }
  return Buffer.concat(chunks)
}
