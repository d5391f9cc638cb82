// The shared page session: one Chromium, each page visited once. Every category that needs facts
// from a rendered page adds a probe in src/gather/probes/<name>.ts (default export: PageProbe);
// the page collector (src/gather/page.ts) runs every probe on every visited page and stores
// what each returns under `artifacts.page.pages[i].probes[probe.name]`.
import type {Page} from 'puppeteer-core'
import type {GatherContext} from '../core/types.js'
import {type PageRole, type PageTarget} from '../artifacts/page.js'

export interface PageProbe {
  name: string
  /** Roles this probe cares about (default: all). */
  roles?: PageRole[]
  /** Before navigation: attach listeners (requests, dialogs, permissions). Returns state for collect(). */
  setup?(page: Page, target: PageTarget, ctx: GatherContext): Promise<unknown> | unknown
  /** After the page has loaded: gather plain-JSON facts. Never judge here; audits judge. */
  collect(page: Page, target: PageTarget, state: unknown, ctx: GatherContext): Promise<unknown>
}
