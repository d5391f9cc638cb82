// The shared page session: one Chromium per run (src/lib/browser.ts), each target page visited
// once in a mobile viewport (375×812, DPR 3, touch, zh-CN); every probe in ./probes/ runs its
// setup() before navigation and collect() after load. Faults of one page (refused, timeout,
// 4xx/5xx, redirect loop, renderer crash) are recorded on that page; the others are still visited.
import type {CookieParam, HTTPResponse, Page} from 'puppeteer-core'
import {loginPattern, noSessionReason, type AuthConfig} from '../core/auth.js'
import type {GatherContext, Lang} from '../core/types.js'
import type {BrowserSession} from '../lib/browser.js'
import {sharedBrowser} from './browser.js'
import {t} from '../lib/i18n/index.js'
import {isolatedWorld} from './isolated.js'
import {targetsOf} from './targets.js'
import type {PageProbe} from './page-types.js'
import {PROBES} from './probes/index.js'
import type {PageArtifact, PageTarget, PageVisit} from '../artifacts/page.js'

export const after = ['manifest']

export const VIEWPORT = {width: 375, height: 812, deviceScaleFactor: 3, isMobile: true, hasTouch: true} as const
export const ACCEPT_LANGUAGE = 'zh-CN,zh;q=0.9'

/** What a login bootstrap leaves in `ctx.shared.get('auth')`; applied to every page before navigation. */
export interface AuthSession {
  cookies?: CookieParam[]
  headers?: Record<string, string>
  /** Local storage the login left (steps), restored on pages of `storageOrigin`. */
  localStorage?: Record<string, string>
  storageOrigin?: string
}


/** The page probes of the registry (./probes/index.ts), in its order. */
export async function loadProbes(): Promise<PageProbe[]> {
  return Promise.all(PROBES.map(async (load) => (await load()).default))
}

/** A mobile Chrome user agent carrying the running browser's version. */
export function mobileUserAgent(version: string): string {
  const major = /\/(\d+)/.exec(version)?.[1] ?? '120'
  return `Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Mobile Safari/537.36`
}

/** Applies the mobile emulation and language to a fresh page. */
export async function emulateMobile(page: Page, session: BrowserSession): Promise<void> {
  await page.setViewport({...VIEWPORT})
  await page.setUserAgent(mobileUserAgent(session.version))
  await page.evaluateOnNewDocument(() => {
    Object.defineProperty(navigator, 'language', {get: () => 'zh-CN', configurable: true})
    Object.defineProperty(navigator, 'languages', {get: () => ['zh-CN', 'zh'], configurable: true})
  })
  const cdp = await page.createCDPSession()
  await cdp.send('Emulation.setLocaleOverride', {locale: 'zh-CN'}).catch(() => undefined)
  await cdp.send('Emulation.setTimezoneOverride', {timezoneId: 'Asia/Shanghai'}).catch(() => undefined)
}

/** A Chromium network error → a sentence a person understands. */
export function describeNavError(error: Error, url: string, timeoutMs: number, lang: Lang): string {
  const m = error.message
  if (error.name === 'TimeoutError' || /timeout/i.test(m) && !/ERR_/.test(m)) return t(lang, 'page.timeout', {url, seconds: Math.round(timeoutMs / 100) / 10})
  if (/ERR_CONNECTION_REFUSED/.test(m)) return t(lang, 'page.refused', {url})
  if (/ERR_TOO_MANY_REDIRECTS/.test(m)) return t(lang, 'page.redirectLoop', {url})
  if (/ERR_NAME_NOT_RESOLVED/.test(m)) return t(lang, 'page.dns', {url})
  if (/ERR_CERT|ERR_SSL/.test(m)) return t(lang, 'page.tls', {url, detail: /net::(ERR_[A-Z_]+)/.exec(m)?.[1] ?? m})
  if (/crash/i.test(m)) return t(lang, 'page.crashed', {url})
  const code = /net::(ERR_[A-Z_]+)/.exec(m)?.[1]
  return t(lang, 'page.failed', {url, detail: code ?? m.split('\n')[0]})
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)))]).finally(() => clearTimeout(timer))
}

/** The app's own origins (its pages and --api-base): where the session's headers may go. */
export function appOrigins(ctx: GatherContext): Set<string> {
  const out = new Set<string>()
  for (const tg of targetsOf(ctx).pages) if (tg.role !== 'privacy') out.add(new URL(tg.url).origin)
  if (ctx.options.apiBase) out.add(new URL(ctx.options.apiBase).origin)
  return out
}

/** Visit one page: emulate, apply the auth session, run every probe. Never throws for page faults. */
export async function visitPage(session: BrowserSession, target: PageTarget, probes: PageProbe[], ctx: GatherContext): Promise<PageVisit> {
  const {lang, timeoutMs} = ctx.options
  const visit: PageVisit = {role: target.role, url: target.url, ...(target.path ? {path: target.path} : {}), ...(target.name ? {name: target.name} : {}), probes: {}}
  const auth = ctx.shared.get('auth') as (AuthSession & {close(): Promise<void>}) | undefined
  if (target.auth === 'required' && !auth) {
    visit.skipped = t(lang, 'auth.pageSkipped', {reason: noSessionReason(ctx)})
    return visit
  }
  const mine = probes.filter((p) => !p.roles || p.roles.includes(target.role))
  const page = await session.browser.newPage()
  let crashed: (e: Error) => void = () => undefined
  const crash = new Promise<never>((_, reject) => (crashed = reject))
  crash.catch(() => undefined)
  page.on('error', () => crashed(new Error(t(lang, 'page.crashed', {url: target.url}))))
  const dialogs: NonNullable<PageVisit['dialogs']> = []
  page.on('dialog', (d) => {
    dialogs.push({type: d.type(), message: d.message().slice(0, 200)})
    d.dismiss().catch(() => undefined)
  })
  try {
    await emulateMobile(page, session)
    await page.setExtraHTTPHeaders({'Accept-Language': ACCEPT_LANGUAGE})
    // The session's headers (a bearer token) go only to the app's own origins, never to third parties.
    const authHeaders = auth?.headers && Object.keys(auth.headers).length ? auth.headers : undefined
    if (authHeaders) {
      const own = appOrigins(ctx)
      await page.setRequestInterception(true)
      page.on('request', (req) => {
        if (req.isInterceptResolutionHandled()) return
        let origin = ''
        try {
          origin = new URL(req.url()).origin
        } catch {
          // data: and the like
        }
        if (!own.has(origin)) {
          req.continue({}, 0).catch(() => undefined)
          return
        }
        const headers: Record<string, string> = {'accept-language': ACCEPT_LANGUAGE, ...req.headers()}
        for (const [k, v] of Object.entries(authHeaders)) headers[k.toLowerCase()] = v
        req.continue({headers}, 0).catch(() => undefined)
      })
    }
    if (auth?.cookies?.length) await page.setCookie(...auth.cookies)
    if (auth?.localStorage && auth.storageOrigin && Object.keys(auth.localStorage).length) {
      await page.evaluateOnNewDocument(
        (origin: string, items: Record<string, string>) => {
          if (location.origin !== origin) return
          try {
            for (const [k, v] of Object.entries(items)) if (localStorage.getItem(k) === null) localStorage.setItem(k, v)
          } catch {
            // storage disabled on this page
          }
        },
        auth.storageOrigin,
        auth.localStorage,
      )
    }
    const states = new Map<string, unknown>()
    for (const p of mine) {
      try {
        states.set(p.name, await p.setup?.(page, target, ctx))
      } catch (error) {
        visit.probes[p.name] = {error: (error as Error).message}
      }
    }
    const started = Date.now()
    let response: HTTPResponse | null
    try {
      response = await Promise.race([page.goto(target.url, {waitUntil: 'load', timeout: timeoutMs}), crash])
    } catch (error) {
      visit.error = describeNavError(error as Error, target.url, timeoutMs, lang)
      return visit
    }
    visit.loadMs = Date.now() - started
    visit.finalUrl = page.url()
    // Landed on the identity provider's login page: never audit it as if it were this page.
    const login = loginPattern(ctx.options.auth as AuthConfig | undefined, lang)
    if (login.test(visit.finalUrl) && !login.test(target.url)) {
      visit.loginRedirect = visit.finalUrl
      if (auth) visit.error = t(lang, 'auth.loginRedirect', {login: visit.finalUrl})
      else visit.skipped = target.auth === 'required' ? t(lang, 'auth.pageSkipped', {reason: noSessionReason(ctx)}) : t(lang, 'auth.loginRedirectSkipped', {login: visit.finalUrl})
      return visit
    }
    if (response) {
      visit.status = response.status()
      if (visit.status >= 400) {
        visit.error = t(lang, 'page.httpStatus', {url: target.url, status: visit.status})
        return visit
      }
    }
    // Let scripts that render after `load` settle (bounded), and web fonts finish.
    await Promise.race([page.waitForNetworkIdle({idleTime: 150, timeout: Math.min(1500, timeoutMs)}).catch(() => undefined), crash]).catch(() => undefined)
    const fonts = isolatedWorld(page, 'sjt-fonts').then((w) => w.call(() => document.fonts?.ready.then(() => true)).finally(() => w.close()))
    await withTimeout(fonts, Math.min(2000, timeoutMs), () => new Error('fonts')).catch(() => undefined)
    const budget = Math.max(timeoutMs, 5000)
    for (const p of mine) {
      if (visit.probes[p.name]) continue
      try {
        visit.probes[p.name] = await withTimeout(Promise.race([p.collect(page, target, states.get(p.name), ctx), crash]), budget, () => new Error(t(lang, 'page.probeTimeout', {probe: p.name, seconds: budget / 1000})))
      } catch (error) {
        const message = (error as Error).message
        if (/crash/i.test(message) || page.isClosed()) {
          visit.error = t(lang, 'page.crashed', {url: target.url})
          return visit
        }
        visit.probes[p.name] = {error: message}
      }
    }
    return visit
  } finally {
    if (dialogs.length) visit.dialogs = dialogs
    await page.close().catch(() => undefined)
  }
}

/** How many pages are visited at once (two tabs by default; the CPU is shared with the audits). */
function concurrency(ctx: GatherContext): number {
  const n = Number(ctx.options.pageConcurrency ?? process.env.SJT_PAGE_CONCURRENCY ?? 2)
  return Number.isFinite(n) && n >= 1 ? Math.min(8, Math.floor(n)) : 2
}

export async function collect(ctx: GatherContext): Promise<PageArtifact> {
  const targets = targetsOf(ctx).pages
  const started = Date.now()
  if (targets.length === 0) {
    return {browserVersion: '', viewport: {width: VIEWPORT.width, height: VIEWPORT.height, deviceScaleFactor: VIEWPORT.deviceScaleFactor}, pages: [], metrics: {pages: 0, failed: 0, skipped: 0, durationMs: 0}}
  }
  const session = await sharedBrowser(ctx)
  const probes = await loadProbes()
  const pages: PageVisit[] = new Array(targets.length)
  let next = 0
  const worker = async () => {
    while (next < targets.length) {
      const i = next++
      ctx.options.progress?.(`page ${targets[i].role} ${targets[i].url}`)
      pages[i] = await visitPage(session, targets[i], probes, ctx)
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency(ctx), targets.length)}, worker))
  return {
    browserVersion: session.version,
    viewport: {width: VIEWPORT.width, height: VIEWPORT.height, deviceScaleFactor: VIEWPORT.deviceScaleFactor},
    pages,
    metrics: {
      pages: pages.length,
      failed: pages.filter((p) => p.error).length,
      skipped: pages.filter((p) => p.skipped).length,
      durationMs: Date.now() - started,
    },
  }
}
