// The miniprogram artifact (src/gather/miniprogram.ts): facts of a mini-program source project
// (pages, templates, styles, scripts, packages). Schema: standards/schemas/artifacts/miniprogram.schema.json.

export type Platform = 'wechat' | 'alipay'

export interface Problem {
  kind: 'syntax' | 'encoding' | 'tooLargeToParse' | 'symlinkLoop' | 'symlinkOutside' | 'unreadable' | 'tooManyFiles' | 'badConfig'
  file: string
  line?: number
  column?: number
  detail?: string
}

export interface UnitFacts extends TemplateFacts {
  /** Route (pages) or path without extension (components, templates), relative to the mini-program root. */
  path: string
  file: string
  /**
   * Pages and components: the custom components this unit's elements use, tag → component path
   * (a `components[].path`), resolved from its own usingComponents and app.json's global ones;
   * plug-in components (`plugin://`) are in `plugins`, not here.
   */
  uses?: Record<string, string>
}

export interface PageFacts {
  route: string
  /** `main` or the subpackage root. */
  package: string
  /** Where the page is listed: JSON Pointer into app.json. */
  pointer: string
  files: {template?: string; style?: string; script?: string; config?: string}
  missing: string[]
  template?: UnitFacts
  config?: Record<string, unknown>
  /** Scripts of this page (the page's own script). */
  script?: string
}

export interface ScriptEntry extends ScriptFacts {
  file: string
  rel: string
}

export interface PackageFacts {
  name: string
  root: string
  bytes: number
  files: number
  largest: Array<{file: string; bytes: number}>
}

export interface MiniprogramArtifact {
  platform: Platform
  platformFrom: 'manifest' | 'project' | 'files'
  /** The project folder as given and the mini-program root inside it (miniprogramRoot). */
  project: string
  root: string
  designWidth: number
  viewportPx: number
  projectConfig: {file: string; appid?: string; projectname?: string} | null
  app: {file: string; data: Record<string, any>; positions: Record<string, [number, number]>}
  pages: PageFacts[]
  components: UnitFacts[]
  templates: UnitFacts[]
  scripts: ScriptEntry[]
  configUrls: Array<{url: string; file: string; line: number; column: number}>
  plugins: Array<{name: string; provider?: string; file: string; line: number; column: number}>
  packages: PackageFacts[]
  totalBytes: number
  ignoredFiles: number
  problems: Problem[]
  metrics: {pages: number; files: number; bytes: number; parsedFiles: number; durationMs: number}
}

export const FORM_FIELDS = new Set(['input', 'textarea', 'picker', 'switch', 'slider', 'checkbox', 'radio'])

export const IMAGES = new Set(['image', 'cover-image', 'icon'])

export interface ElementFact {
  tag: string
  line: number
  column: number
  attrs: Record<string, string>
  /** Own text (trimmed, ≤ 80 characters) and the text of the element with its descendants. */
  text?: string
  allText?: string
  dynamicText?: boolean
  /** The class or style attribute holds a `{{…}}` expression: what it adds is not known statically. */
  dynamicStyle?: boolean
  tappable?: boolean
  custom?: boolean
  inLabel?: boolean
  hasImage?: boolean
  font?: {px: number | null; bold: boolean; why?: string}
  color?: {fg: string | null; bg: string | null; why?: string}
  size?: {w: number | null; h: number | null; why?: string}
}

export interface TemplateFacts {
  elements: ElementFact[]
  pageMeta?: {line: number; column: number; attrs: Record<string, string>}
  syntax: Array<{message: string; line: number; column: number}>
  urls: Array<{url: string; line: number; column: number}>
  /** Static `url` of every navigator, with the position of its element. */
  navigators: Array<{url: string; text: string; line: number; column: number}>
}

interface ApiUse {
  ns: string
  api: string
  line: number
  column: number
}

export interface ScriptFacts {
  apis: ApiUse[]
  urls: Array<{url: string; line: number; column: number}>
  /** Literals assigned to credential-like names, or PEM private keys; the value is never kept. */
  secrets: Array<{name: string; length: number; preview: string; line: number; column: number; pem?: boolean; digits?: boolean; spaces?: boolean}>
  fontSetting: Array<{line: number; column: number}>
  syntax?: {message: string; line: number; column: number}
}

export interface Compound {
  tag?: string
  id?: string
  classes: string[]
}

export interface CssRule {
  /** Compounds from the outermost ancestor to the subject; `child` marks a `>` before the compound. */
  chain: Array<Compound & {child?: boolean}>
  specificity: number
  order: number
  decls: Record<string, string>
  file: string
  line: number
  column: number
}
