// The app id names a folder under --out (reports/<app.id>/result.json) and a path segment of the
// review API (/v1/apps/{appId}). One pattern for all of them: the result schema (app.id), the
// review API (ResultDocument.app.id, at most 200 characters) and this check before anything is
// written. The manifest schema's own pattern (^[a-z][a-z0-9-]{2,63}$, a platform rule reported as a
// finding) is a stricter subset. The first character is a letter or digit, so "." and ".." and
// hidden names never match; no slash, backslash, NUL or other control character can appear.
import {createHash} from 'node:crypto'
import {existsSync, lstatSync, mkdirSync, realpathSync} from 'node:fs'
import path from 'node:path'
import {InputError} from '../lib/errors.js'
import type {Lang} from './types.js'
import {t} from '../lib/i18n/index.js'

export const APP_ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,199}$'
export const APP_ID_MAX = 200
const APP_ID_RE = new RegExp(APP_ID_PATTERN)

function isSafeAppId(id: unknown): id is string {
  return typeof id === 'string' && APP_ID_RE.test(id)
}

/**
 * The folder id of a manifest whose app.id is a plain but invalid name: the `sjt init`
 * placeholder (`<app-id>`) or a name the manifest rules refuse (`TY_GJJ`). The check runs (MAN-001
 * says what to fix) and its reports go to `invalid-app-id-<hash>`, never to a folder named after
 * it. An id that could leave --out or crash a writer (empty, longer than 200 characters, a path
 * separator, a control character, dots only) gets none: it is refused with exit 2.
 */
export function placeholderAppId(id: unknown): string | undefined {
  if (typeof id !== 'string' || APP_ID_RE.test(id) || id.length === 0 || id.length > APP_ID_MAX) return undefined
  if (/[/\\\u0000-\u001f\u007f]/.test(id) || /^\.+$/.test(id)) return undefined
  return `invalid-app-id-${createHash('sha256').update(id).digest('hex').slice(0, 8)}`
}

/** A short, printable rendering of a hostile id for a message. */
function shown(id: unknown): string {
  const s = JSON.stringify(typeof id === 'string' ? id : String(id)) ?? ''
  return s.length > 60 ? s.slice(0, 57) + '…"' : s
}

export function assertAppId(id: unknown, lang: Lang, file?: string): string {
  if (isSafeAppId(id)) return id
  throw new InputError(t(lang, 'appId.invalid', {id: shown(id), pattern: APP_ID_PATTERN}), file ? {file} : undefined, t(lang, 'appId.invalid.hint'))
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

/**
 * The folder <out>/<app.id>, created; refused (exit 2) when the id is not a safe name or the
 * folder resolves outside --out (also through a symbolic link already there).
 */
export function appOutDir(outDir: string, id: unknown, lang: Lang): string {
  const safe = assertAppId(id, lang)
  const root = path.resolve(outDir)
  const dir = path.resolve(root, safe)
  if (!inside(root, dir)) throw new InputError(t(lang, 'out.outside', {path: dir, out: root}), undefined, t(lang, 'appId.invalid.hint'))
  mkdirSync(dir, {recursive: true})
  const realRoot = realpathSync(root)
  if (!inside(realRoot, realpathSync(dir))) throw new InputError(t(lang, 'out.outside', {path: realpathSync(dir), out: realRoot}), undefined, t(lang, 'out.outside.hint'))
  return dir
}

/** A file inside a folder from appOutDir; refused when a symbolic link already stands at its name. */
export function outFile(dir: string, name: string, lang: Lang): string {
  const file = path.join(dir, name)
  if (existsSync(file) && lstatSync(file).isSymbolicLink()) throw new InputError(t(lang, 'out.symlink', {path: file}), undefined, t(lang, 'out.outside.hint'))
  return file
}
