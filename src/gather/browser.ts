// The run's browser session: one Chromium launched on first use (src/lib/browser.ts), shared by
// every collector that needs a page (page session, Lighthouse, the login bootstrap), trusting
// --ca for the run's own HTTPS origins only, and closed by the pipeline.
import {readFileSync} from 'node:fs'
import type {GatherContext} from '../core/types.js'
import {launchBrowser, type BrowserSession} from '../lib/browser.js'
import {targetsOf} from './targets.js'

/** The run's browser: launched on first use, shared by every collector, closed by the pipeline. */
export async function sharedBrowser(ctx: GatherContext): Promise<BrowserSession> {
  const existing = ctx.shared.get('browser') as (BrowserSession & {pending?: Promise<BrowserSession>}) | undefined
  if (existing) return existing.pending ?? existing
  const pending = (async () => launchBrowser({chromePath: ctx.options.chromePath, ca: ctx.options.ca, lang: ctx.options.lang, trustedSpki: ctx.options.ca ? await caPins(ctx) : undefined}))()
  const placeholder = {pending, close: async () => (await pending.catch(() => null))?.close()} as unknown as BrowserSession & {pending?: Promise<BrowserSession>}
  ctx.shared.set('browser', placeholder)
  try {
    const s = await pending
    ctx.shared.set('browser', s)
    return s
  } catch (error) {
    ctx.shared.delete('browser')
    throw error
  }
}

/** SPKI pins of the run's HTTPS origins (pages, --api-base, login steps) that verify against --ca. */
async function caPins(ctx: GatherContext): Promise<string[]> {
  let pem: string
  try {
    pem = readFileSync(ctx.options.ca!, 'utf8')
  } catch {
    return []
  }
  const origins = new Set<string>()
  const add = (u: unknown) => {
    try {
      if (typeof u === 'string') origins.add(new URL(u).origin)
    } catch {
      // not a URL
    }
  }
  for (const tg of targetsOf(ctx).pages) add(tg.url)
  add(ctx.options.apiBase)
  add(ctx.options.url)
  add(ctx.options.elderUrl)
  const steps = (ctx.options.auth as {steps?: Array<{goto?: unknown}>} | undefined)?.steps
  if (Array.isArray(steps)) for (const s of steps) add(s?.goto)
  const {pinsFor} = await import('../lib/ca-pins.js')
  return pinsFor(origins, pem, Math.min(ctx.options.timeoutMs || 10_000, 10_000))
}
