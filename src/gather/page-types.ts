// The shared page session: one Chromium, each page visited once. Every category that needs facts
// from a rendered page adds a probe in src/gather/probes/<name>.ts (default export: PageProbe);
// the page collector (src/gather/page.ts) runs every probe on every visited page and stores
// what each returns under `artifacts.page.pages[i].probes[probe.name]`.
import type {Page} from 'puppeteer-core'
import type {GatherContext} from '../core/types.js'

export type PageRole = 'entry' | 'elder' | 'service' | 'privacy'

export interface PageTarget {
  role: PageRole
  url: string
  /** Service path from the manifest, for service pages. */
  path?: string
  name?: string
  auth?: 'required' | 'none'
}

export interface PageProbe {
  name: string
  /** Roles this probe cares about (default: all). */
  roles?: PageRole[]
  /** Before navigation: attach listeners (requests, dialogs, permissions). Returns state for collect(). */
  setup?(page: Page, target: PageTarget, ctx: GatherContext): Promise<unknown> | unknown
  /** After the page has loaded: gather plain-JSON facts. Never judge here; audits judge. */
  collect(page: Page, target: PageTarget, state: unknown, ctx: GatherContext): Promise<unknown>
}

export interface PageVisit {
  role: PageRole
  url: string
  path?: string
  name?: string
  finalUrl?: string
  status?: number
  loadMs?: number
  /** Set when the page could not be checked (refused, timeout, 4xx/5xx, crash, redirect loop). */
  error?: string
  /** Set when the page was skipped on purpose (auth required and no bootstrap). */
  skipped?: string
  /** The login page the visit ended on instead of this page (a redirect to the identity provider). */
  loginRedirect?: string
  /** alert/confirm/prompt/beforeunload dialogs the page opened (dismissed by the session). */
  dialogs?: Array<{type: string; message: string}>
  probes: Record<string, unknown>
}

export interface PageArtifact {
  browserVersion: string
  viewport: {width: number; height: number; deviceScaleFactor: number}
  pages: PageVisit[]
  /** Lands in result.metrics.page: pages visited, failed, skipped, wall time. */
  metrics?: {pages: number; failed: number; skipped: number; durationMs: number}
}
