// Every setting in one table: its command-line flag, environment variable, sjt.config.yaml key
// and default. Precedence is written once, here: flag > sjt's own variable (SJT_*) > config >
// a system-wide variable (CHROME_PATH, NODE_EXTRA_CA_CERTS, LANG…) > default.
// test/core/settings.test.ts walks standards/schemas/config.schema.json against this table.
import type {SjtConfig} from './config.js'
import {interpolateEnv} from './config.js'
import type {Lang} from './types.js'
import {resolveLang} from '../lib/i18n/index.js'

export type SettingKey = keyof SjtConfig

/** Who reads a setting. */
type SettingUser = 'check' | 'report' | 'score' | 'submit' | 'status' | 'monitor' | 'doctor' | 'worker'

export interface Setting<K extends SettingKey = SettingKey> {
  key: K
  /** The flag (without --) that sets it, on the commands listed in `users`. */
  flag?: string
  /** sjt's own variable: above the config file. */
  env?: string
  /** A system-wide variable: below the config file, above the default. */
  systemEnv?: string
  default?: NonNullable<SjtConfig[K]>
  users: SettingUser[]
  /** The config value is `${VAR}` and is replaced by the variable's value. */
  interpolate?: true
}

const CHECK: SettingUser[] = ['check']

export const SETTINGS: {[K in SettingKey]: Setting<K>} = {
  profile: {key: 'profile', flag: 'profile', default: 'shanxi-2022', users: CHECK},
  failOn: {key: 'failOn', flag: 'fail-on', default: 'error', users: CHECK},
  lang: {key: 'lang', flag: 'lang', env: 'SJT_LANG', users: ['check', 'report', 'score', 'submit', 'status', 'monitor', 'doctor']},
  url: {key: 'url', flag: 'url', users: CHECK},
  elderUrl: {key: 'elderUrl', flag: 'elder-url', users: CHECK},
  apiBase: {key: 'apiBase', flag: 'api-base', users: CHECK},
  ca: {key: 'ca', flag: 'ca', systemEnv: 'NODE_EXTRA_CA_CERTS', users: CHECK},
  chromePath: {key: 'chromePath', flag: 'chrome-path', systemEnv: 'CHROME_PATH', users: ['check', 'report']},
  timeout: {key: 'timeout', flag: 'timeout', default: 30, users: CHECK},
  format: {key: 'format', flag: 'format', users: CHECK},
  out: {key: 'out', flag: 'out', default: 'reports', users: ['check', 'report']},
  baseline: {key: 'baseline', flag: 'baseline', users: CHECK},
  runs: {key: 'runs', flag: 'runs', default: 3, users: CHECK},
  throttling: {key: 'throttling', flag: 'throttling', default: 'simulate', users: CHECK},
  concurrency: {key: 'concurrency', flag: 'concurrency', default: 1, users: CHECK},
  probeRequests: {key: 'probeRequests', flag: 'probe-requests', default: 5, users: CHECK},
  probeWrites: {key: 'probeWrites', flag: 'probe-writes', default: false, users: CHECK},
  allowRemoteRefs: {key: 'allowRemoteRefs', flag: 'allow-remote-refs', default: false, users: CHECK},
  server: {key: 'server', flag: 'server', env: 'SJT_SERVER', users: ['submit', 'status', 'monitor', 'doctor']},
  token: {key: 'token', flag: 'token', env: 'SJT_TOKEN', interpolate: true, users: ['submit', 'status', 'monitor', 'doctor']},
  rules: {key: 'rules', users: CHECK},
  waivers: {key: 'waivers', users: CHECK},
  auth: {key: 'auth', users: CHECK},
  // Read by sjt review-server --schedule and sjt worker through src/review/queue/settings.ts.
  queue: {key: 'queue', users: ['worker']},
}

type SettingSource = 'flag' | 'env' | 'config' | 'system' | 'default'

export interface Resolved<K extends SettingKey> {
  value: SjtConfig[K] | undefined
  source?: SettingSource
  /** The flag, variable or config key the value came from, for messages. */
  from?: string
}

export interface SettingSources {
  /** Parsed flags by flag name (an absent flag is undefined: boolean flags carry no default). */
  flags?: Record<string, unknown>
  config?: SjtConfig
  configFile?: string
  env?: NodeJS.ProcessEnv
  /** Needed to interpolate ${VAR} in the config (its error message). */
  lang?: Lang
}

/** One setting, by the table's precedence. */
export function resolveSetting<K extends SettingKey>(key: K, src: SettingSources): Resolved<K> {
  const s = SETTINGS[key] as Setting<K>
  const env = src.env ?? process.env
  const flag = s.flag ? src.flags?.[s.flag] : undefined
  if (flag !== undefined && flag !== '') return {value: flag as SjtConfig[K], source: 'flag', from: `--${s.flag}`}
  const own = s.env ? env[s.env] : undefined
  if (own) return {value: (key === 'lang' ? resolveLang(own, {}) : own) as SjtConfig[K], source: 'env', from: s.env}
  const cfg = src.config?.[key]
  if (cfg !== undefined) {
    const value = s.interpolate && typeof cfg === 'string' ? interpolateEnv(cfg, src.lang ?? 'zh-CN', env) : cfg
    return {value: value as SjtConfig[K], source: 'config', from: src.configFile ? `${key} (${src.configFile})` : key}
  }
  const system = s.systemEnv ? env[s.systemEnv] : undefined
  if (system) return {value: system as SjtConfig[K], source: 'system', from: s.systemEnv}
  return {value: s.default as SjtConfig[K] | undefined, ...(s.default !== undefined ? {source: 'default' as const} : {})}
}

/** Every setting at once: what a command reads after it has found its config. */
export function resolveSettings(src: SettingSources): {[K in SettingKey]: SjtConfig[K] | undefined} {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(SETTINGS) as SettingKey[]) out[key] = resolveSetting(key, src).value
  return out as {[K in SettingKey]: SjtConfig[K] | undefined}
}

/**
 * The language: --lang > SJT_LANG > `lang:` in the config > LC_ALL/LC_MESSAGES/LANG > zh-CN.
 * Before a config is found (early errors) the same order without the config applies.
 */
export function resolveLangSetting(src: SettingSources): Lang {
  const r = resolveSetting('lang', src)
  if (r.value) return resolveLang(String(r.value), {})
  return resolveLang(undefined, src.env ?? process.env)
}
