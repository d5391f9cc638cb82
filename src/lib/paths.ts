import {fileURLToPath} from 'node:url'
import {readFileSync} from 'node:fs'
import path from 'node:path'

/** The package root (holds standards/, fixtures/, package.json), from dist/lib or src/lib. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const STANDARDS_DIR = path.join(ROOT, 'standards')
export const SCHEMAS_DIR = path.join(STANDARDS_DIR, 'schemas')

let version: string | undefined
export function toolVersion(): string {
  version ??= JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string
  return version
}
