// The page artifact (src/gather/page.ts): each target page visited once in the shared browser
// session, with what every probe (src/gather/probes/*.ts) gathered under `probes.<name>`.
// Schema: standards/schemas/artifacts/page.schema.json.

export type PageRole = 'entry' | 'elder' | 'service' | 'privacy'

export interface PageTarget {
  role: PageRole
  url: string
  /** Service path from the manifest, for service pages. */
  path?: string
  name?: string
  auth?: 'required' | 'none'
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

export interface AxeViolationFact {
  id: string
  impact: 'critical' | 'serious' | 'moderate' | 'minor' | null
  help: {en: string; 'zh-CN': string}
  helpUrl: string
  tags: string[]
  /** How many nodes violate it; `selectors` holds the first ten. */
  nodes: number
  selectors: string[]
  /** The first node's failure summary (axe's words). */
  summary?: string
  /** JPEG crop of the first offending node as a data URI (≤ 40 KB), when it is visible. */
  screenshot?: string
}

export interface A11yFacts {
  axeVersion: string
  tags: string[]
  violations: AxeViolationFact[]
  /** Rules that ran and found nothing to report. */
  passes: string[]
  /** Content of every <meta name=viewport>, in document order (the last one applies). */
  viewport: string[]
  /** <html lang>, or null when the attribute is absent. */
  lang: string | null
  /** Why axe-core could not run on this page (then `violations`/`passes` are empty and A11Y-001/002 cannot be judged). */
  axeError?: string
}

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface TextBlockFact {
  selector: string
  text: string
  chars: number
  fontSize: number
  bold: boolean
  /** Rendered line height in px; measured in the page when the CSS says `normal`. */
  lineHeight: number
  /** Inside a link, button, label or form control. */
  interactive: boolean
  /** Contrast ratio against the effective background; null when it could not be determined. */
  contrast: number | null
  fg: string
  bg: string | null
  /** Why the contrast could not be determined (background image or gradient). */
  undetermined?: 'image' | 'gradient'
}

export interface IconFact {
  selector: string
  kind: 'img' | 'svg' | 'font'
  w: number
  h: number
  /** Contrast of the icon's strokes against the colour around them, from a screenshot of the icon box; null when it could not be measured. */
  contrast: number | null
  fg: string | null
  bg: string | null
}

export interface ElderFacts {
  viewport: {width: number; height: number}
  /** visualViewport.scale at load (below 1 when a page without a viewport meta is zoomed out). */
  scale: number
  text: {
    totalChars: number
    /** [font size px, characters] sorted by size. */
    histogram: Array<[number, number]>
    largest: {size: number; selector: string; text: string} | null
    /** Text-carrying elements, most characters first (at most 400). */
    blocks: TextBlockFact[]
    /** Adjacent paragraph pairs: gap between the boxes and each one's line height. */
    paragraphs: Array<{a: string; b: string; gap: number; lineHeightA: number; lineHeightB: number}>
  }
  targets: Array<{selector: string; tag: string; text: string; w: number; h: number; inline: boolean}>
  overlays: Array<{
    selector: string
    kind: 'fixed' | 'absolute' | 'dialog'
    role: string | null
    coverage: number
    rect: Rect
    panel: Rect
    text: string
    closeControls: Array<{selector: string; text: string; rect: Rect}>
  }>
  adLabels: Array<{selector: string; text: string; source: 'text' | 'aria' | 'class'}>
  /** Hosts the page requested (documents, scripts, images, frames, XHR). */
  requestHosts: string[]
  frames: string[]
  /** Controls inviting a download or a payment; `inForm`: inside a form of the page (a step of the service's own flow). */
  lures: Array<{selector: string; text: string; floating: boolean; inOverlay: boolean; inForm: boolean; href: string | null; rect: Rect}>
  elderSwitch: Array<{selector: string; text: string; tag: string; href: string | null; interactive: boolean; visible: boolean; aboveFold: boolean; rect: Rect}>
  captchas: Array<{selector: string; tag: string; hint: string}>
  /** `control`: a link, button or audio player the user can operate, not a word in running text. */
  captchaAlternatives: Array<{selector: string; text: string; control: boolean}>
  /** Icons (small images, inline SVG, icon-font glyphs): contrast measured from the rendered pixels. */
  icons: IconFact[]
  links: Array<{href: string; text: string}>
  /**
   * The page's visible controls by their accessible name (text, aria-label, title, placeholder,
   * the alt of an image inside): what the service-entry rules (投诉建议, 搜索, 朗读) look for.
   * `search`: a search field (type=search, role=search, inputmode/enterkeyhint search) or a form
   * marked role=search; `media`: an <audio>/<video> element with controls.
   */
  entries?: Array<{selector: string; tag: string; name: string; type?: string; search: boolean; media: boolean; href: string | null}>
}

export interface ScaleState {
  /** Characters whose rendered size grew by at least 10 % over the default state. */
  scaledChars: number
  totalChars: number
  /** [font size px, characters] in this state. */
  histogram: Array<[number, number]>
  largest: number
}

export interface TextScaleFacts {
  defaultFontPx: number
  /** The default font size the platform setting was raised to. */
  enlargedFontPx: number
  base: {totalChars: number; histogram: Array<[number, number]>; largest: number}
  platform: ScaleState
  /** `-webkit-text-size-adjust: none` (or 100%) on html/body: the page refuses the platform's text zoom. */
  sizeAdjustLocked: boolean
  /** The page's own text-size control, when there is one. */
  control: {selector: string; text: string; clicks: number; navigated: boolean; state: ScaleState | null} | null
}

export interface ProbeRequest {
  url: string
  host: string
  scheme: string
  type: string
  method: string
  status?: number
  failed?: string
}

export interface SecurityProbeResult {
  url: string
  finalUrl: string
  secureContext: boolean
  requests: ProbeRequest[]
  requestCount: number
  /** Chromium's own "Mixed Content" console reports (blocked or auto-upgraded subresources). */
  mixedContentReports: string[]
  /** Elements whose subresource URL is http:// (src, href of stylesheets, srcset, data, form action). */
  insecureElements: Array<{tag: string; attr: string; url: string}>
  scripts: Array<{src: string; integrity: string | null; crossorigin: string | null}>
  inlineScripts: number
  /** Cookie strings written through document.cookie (value length only, never the value). */
  scriptCookies: Array<{name: string; attributes: string; valueLength: number; at: string}>
  /** Set-Cookie headers of the responses the page received. */
  responseCookies: Array<{url: string; header: string}>
  /** Device permissions requested through the web APIs. */
  permissions: Array<{kind: string; api: string; at: string}>
  /** URLs that scripts asked for through fetch/XHR/sendBeacon/WebSocket/EventSource (some may have been blocked). */
  scriptCalls: Array<{api: string; url: string}>
  links: Array<{href: string; text: string}>
  text: string
  attributes: string
  truncated: boolean
  apiBodies: Array<{url: string; text: string}>
}
