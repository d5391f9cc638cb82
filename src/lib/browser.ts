// One Chromium per run, shared by every browser category (a11y, elder, security, perf).
// Found from --chrome-path, CHROME_PATH, /usr/bin/chromium, then the usual Chrome locations;
// a clean exit 3 naming what to install when there is none. The browser never outlives sjt.
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import {spawn, type ChildProcess} from 'node:child_process'
import path from 'node:path'
import type {Browser} from 'puppeteer-core'
import {EnvError} from './errors.js'
import type {Lang} from './i18n/index.js'
import {t} from './i18n/index.js'

export const CHROME_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
]

const CHROME_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-default-browser-check',
  '--mute-audio',
]

/** The browser executable, or null. */
export function findChrome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const c of [explicit, env.CHROME_PATH]) if (c) return existsSync(c) ? c : null
  return CHROME_CANDIDATES.find((c) => existsSync(c)) ?? null
}

export interface BrowserSession {
  browser: Browser
  executablePath: string
  version: string
  /** The DevTools port (Lighthouse connects by port). */
  port: number
  userDataDir: string
  close(): Promise<void>
}

const live = new Set<BrowserSession>()
/** Profiles of browsers being launched: their processes exist before puppeteer hands them over. */
const launching = new Set<string>()
let hooked = false

/** Processes (Linux /proc) started with this profile folder: the browser and its helpers. */
function processesOf(userDataDir: string): number[] {
  const out: number[] = []
  let entries: string[] = []
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return out
  }
  for (const pid of entries) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--user-data-dir=${userDataDir}`)) out.push(Number(pid))
    } catch {
      // gone meanwhile
    }
  }
  return out
}

function killProfile(userDataDir: string, proc?: ChildProcess | null): void {
  try {
    proc?.kill('SIGKILL')
  } catch {
    // already gone
  }
  // Kill, then wait (briefly, synchronously: this also runs in exit and signal handlers) until no
  // process of the profile is left, so none writes into the folder while it is removed.
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (let round = 0; round < 60; round++) {
    const pids = processesOf(userDataDir)
    if (pids.length === 0) break
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    Atomics.wait(pause, 0, 0, 50)
  }
  for (let attempt = 0; attempt < 5 && existsSync(userDataDir); attempt++) {
    try {
      rmSync(userDataDir, {recursive: true, force: true, maxRetries: 3, retryDelay: 50})
    } catch {
      Atomics.wait(pause, 0, 0, 50)
    }
  }
  // Still there: the watchdog stays, and removes it once sjt has exited.
  if (!existsSync(userDataDir)) stopWatchdog(userDataDir)
}

/**
 * A kill -9 of sjt runs none of its handlers, so each profile also gets a watchdog: a small shell
 * (its own process group, so Ctrl-C reaches only sjt, which cleans up and stops it) that waits for
 * sjt to disappear, then kills every process started with the profile and removes the folder.
 * Linux only (it reads /proc); elsewhere the exit and signal hooks are all there is.
 */
const WATCHDOG = [
  'while kill -0 "$1" 2>/dev/null; do sleep 1; done',
  'for f in /proc/[0-9]*/cmdline; do',
  '  if grep -qaF -- "--user-data-dir=$2" "$f" 2>/dev/null; then p=${f#/proc/}; kill -9 "${p%/cmdline}" 2>/dev/null; fi',
  'done',
  'rm -rf "$2"',
].join('\n')
const watchdogs = new Map<string, ChildProcess>()

function startWatchdog(userDataDir: string): void {
  if (process.platform !== 'linux' || !existsSync('/bin/sh')) return
  try {
    const dog = spawn('/bin/sh', ['-c', WATCHDOG, 'sjt-browser-watchdog', String(process.pid), userDataDir], {detached: true, stdio: 'ignore'})
    dog.on('error', () => watchdogs.delete(userDataDir))
    dog.unref()
    watchdogs.set(userDataDir, dog)
  } catch {
    // no shell: the exit and signal hooks still apply
  }
}

function stopWatchdog(userDataDir: string): void {
  const dog = watchdogs.get(userDataDir)
  watchdogs.delete(userDataDir)
  try {
    dog?.kill('SIGKILL')
  } catch {
    // already gone
  }
}

let signalsLeftToCaller = false

/**
 * For a long-running command that stops gracefully on SIGINT/SIGTERM (sjt worker): the signal no
 * longer kills the browsers and exits at once; the browsers still die with the process (exit hook).
 */
export function leaveSignalsToCaller(): void {
  signalsLeftToCaller = true
}

/** The browser never outlives sjt: on exit and on Ctrl-C/SIGTERM/SIGHUP, launched or launching. */
function hookExit(): void {
  if (hooked) return
  hooked = true
  const killAll = () => {
    for (const s of live) killProfile(s.userDataDir, s.browser.process())
    for (const dir of launching) killProfile(dir)
  }
  process.once('exit', killAll)
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      // A command that handles the signal itself (sjt worker: finish the running jobs, then stop)
      // keeps its browsers until the pipeline closes them; the exit hook still kills what is left.
      if (signalsLeftToCaller) return
      killAll()
      process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGHUP' ? 129 : 143)
    })
  }
}

export async function launchBrowser(opts: {chromePath?: string; ca?: string; lang: Lang; extraArgs?: string[]; trustedSpki?: string[]}): Promise<BrowserSession> {
  const executablePath = findChrome(opts.chromePath)
  if (!executablePath) {
    throw new EnvError(t(opts.lang, 'env.noChromium') + (opts.chromePath ? `: ${opts.chromePath}` : ''), undefined, t(opts.lang, 'env.noChromium.hint'))
  }
  const {default: puppeteer} = await import('puppeteer-core')
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'sjt-chrome-'))
  hookExit()
  launching.add(userDataDir)
  startWatchdog(userDataDir)
  // With --ca, the browser accepts exactly the server keys that Node verified against that CA
  // (src/lib/ca-pins.ts); certificate checks stay on for everything else.
  const pins = opts.trustedSpki?.length ? [`--ignore-certificate-errors-spki-list=${opts.trustedSpki.join(',')}`] : []
  const args = [...CHROME_ARGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', `--lang=zh-CN`, ...pins, ...(opts.extraArgs ?? [])]
  let browser: Browser
  try {
    browser = await puppeteer.launch({executablePath, args, headless: true, pipe: false, protocolTimeout: 120_000, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false})
  } catch (error) {
    launching.delete(userDataDir)
    killProfile(userDataDir)
    throw new EnvError(`${t(opts.lang, 'env.noChromium')}: ${(error as Error).message.split('\n')[0]}`, undefined, t(opts.lang, 'env.noChromium.hint'))
  }
  const version = await browser.version()
  const port = Number(new URL(browser.wsEndpoint()).port)
  const session: BrowserSession = {
    browser,
    executablePath,
    version,
    port,
    userDataDir,
    async close() {
      live.delete(session)
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'))
      killProfile(userDataDir)
    },
  }
  live.add(session)
  launching.delete(userDataDir)
  return session
}

