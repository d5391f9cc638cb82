// Configuration: sjt.config.yaml (or .sjtrc.*, or "sjt" in package.json), found from the app
// folder upwards, validated against standards/schemas/config.schema.json.
import {existsSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {InputError} from '../lib/errors.js'
import type {Lang} from './types.js'
import {parseStructured, readRegularFile, readTextFile} from '../lib/source.js'
import {describeAjvError, schemaValidator} from '../lib/schema.js'
import {t} from '../lib/i18n/index.js'

export interface SjtConfig {
  profile?: string
  failOn?: 'error' | 'warn' | 'never'
  lang?: Lang
  url?: string
  elderUrl?: string
  apiBase?: string
  ca?: string
  chromePath?: string
  timeout?: number
  format?: string | string[]
  out?: string
  baseline?: string
  runs?: number
  throttling?: 'simulate' | 'devtools' | 'none'
  concurrency?: number
  probeRequests?: number
  probeWrites?: boolean
  allowRemoteRefs?: boolean
  server?: string
  token?: string
  rules?: Record<string, 'error' | 'warn' | 'info' | 'off'>
  waivers?: Array<{rule: string; location?: string; reason: string; owner?: string; expires: string}>
  auth?: Record<string, unknown>
  /** The job queue of re-checks and monitoring (src/review/queue/settings.ts). */
  queue?: Record<string, unknown>
}

const CONFIG_NAMES = ['sjt.config.yaml', 'sjt.config.yml', 'sjt.config.json', '.sjtrc', '.sjtrc.yaml', '.sjtrc.yml', '.sjtrc.json']

export interface LoadedConfig {
  file?: string
  config: SjtConfig
}

/**
 * Where the upward search for a config stops: the repository root (the folder holding .git), the
 * user's home folder, or the filesystem root, whichever comes first; a folder others may write to
 * (the system temp folder, mode o+w) is never searched, nor anything above it. A config that
 * anyone could drop into a shared parent folder must not turn rules off.
 */
export function configSearchDirs(startDir: string, home = os.homedir()): string[] {
  const out: string[] = []
  let dir = path.resolve(startDir)
  const stopAt = home ? path.resolve(home) : undefined
  for (;;) {
    if (out.length > 0 && worldWritable(dir)) break
    out.push(dir)
    if (existsSync(path.join(dir, '.git')) || dir === stopAt) break
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  return out
}

function worldWritable(dir: string): boolean {
  try {
    return (statSync(dir).mode & 0o002) !== 0
  } catch {
    return true
  }
}

/** Find and load the nearest config from `startDir` upwards (see configSearchDirs for where it stops). */
export function loadConfig(startDir: string, lang: Lang, explicit?: string): LoadedConfig {
  if (explicit) return {file: path.resolve(explicit), config: readConfigFile(explicit, lang)}
  for (const dir of configSearchDirs(startDir)) {
    for (const name of CONFIG_NAMES) {
      const f = path.join(dir, name)
      if (existsSync(f)) return {file: f, config: readConfigFile(f, lang)}
    }
    const pkg = path.join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        const data = JSON.parse(readRegularFile(pkg, lang).toString('utf8'))
        if (data && typeof data === 'object' && data.sjt) return {file: pkg, config: validateConfig(data.sjt, pkg, lang, () => ({line: 1, column: 1}))}
      } catch (error) {
        if (error instanceof InputError) throw error
      }
    }
  }
  return {config: {}}
}

function readConfigFile(file: string, lang: Lang): SjtConfig {
  const parsed = parseStructured(readTextFile(file, lang), lang)
  if (parsed.data === null || parsed.data === undefined) return {}
  const cfg = validateConfig(parsed.data, file, lang, (p, key) => parsed.locate(p, {key}))
  // Paths in the config are relative to the config file.
  const dir = path.dirname(file)
  for (const k of ['ca', 'baseline', 'out'] as const) {
    if (cfg[k] && !path.isAbsolute(cfg[k]!)) cfg[k] = path.resolve(dir, cfg[k]!)
  }
  return cfg
}

function validateConfig(data: unknown, file: string, lang: Lang, locate: (p: string[], key?: boolean) => {line: number; column: number}): SjtConfig {
  const validate = schemaValidator('config')
  if (!validate(data)) {
    const e = validate.errors!.find((x) => x.keyword === 'additionalProperties') ?? validate.errors![0]
    const p = e.instancePath.split('/').slice(1)
    if (e.keyword === 'additionalProperties') p.push((e.params as {additionalProperty: string}).additionalProperty)
    const pos = locate(p, e.keyword === 'additionalProperties')
    throw new InputError(t(lang, 'config.invalid', {detail: `${e.instancePath || '/'} ${describeAjvError(e, lang)}`}), {file, ...pos}, t(lang, 'config.invalid.hint'))
  }
  return data as SjtConfig
}

/** Replace ${ENV} references; a missing variable is an input error that names it. */
export function interpolateEnv(value: string, lang: Lang, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_m, name: string) => {
    const v = env[name]
    if (v === undefined) throw new InputError(t(lang, 'config.envMissing', {name}))
    return v
  })
}
