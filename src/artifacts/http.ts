// The http artifact (src/gather/http.ts): TLS, certificates, headers, cookies, redirects and
// exposed files of the app's own URLs, gathered in Node. Schema: standards/schemas/artifacts/http.schema.json.

export type TargetRole = 'entry' | 'elder' | 'privacy' | 'health' | 'server'

export interface ParsedCookie {
  name: string
  secure: boolean
  httpOnly: boolean
  /** The SameSite value as written, or null when absent. */
  sameSite: string | null
  session: boolean
  /** The URL whose response set it. */
  url: string
}

export interface Hop {
  url: string
  status?: number
  location?: string
}

export interface FetchResult {
  url: string
  finalUrl: string
  status?: number
  /** Redirect chain, first request first. */
  chain: Hop[]
  /** Lower-cased header name → values (bounded). */
  headers: Record<string, string[]>
  headersTruncated?: boolean
  cookies: ParsedCookie[]
  cookieCount: number
  contentType?: string
  bodyBytes: number
  bodyTruncated?: boolean
  /** Text of JSON/text bodies of API-like targets (bounded), for personal-information scanning. */
  bodyText?: string
  ms: number
  error?: {code: string; message: string}
}

export interface HttpTarget {
  roles: TargetRole[]
  url: string
  /** Where the URL came from: manifest field, contract, option, or entry page. */
  source: string
  fetch: FetchResult
  /** Script URLs referenced by <script src> (HTML targets). */
  scripts?: string[]
  /** Links (<a href>) with their text (HTML targets, bounded). */
  links?: Array<{href: string; text: string}>
  /** Policies of the document's <meta> tags: http-equiv Content-Security-Policy, name=referrer (HTML targets). */
  meta?: {csp: string[]; referrer: string[]}
}

export interface CertInfo {
  subject: string
  issuer: string
  validFrom: string
  validTo: string
  san?: string
  fingerprint256?: string
  selfSigned: boolean
}

export interface TlsReport {
  origin: string
  host: string
  port: number
  /** Whether a handshake pinned to each version completed. */
  versions: Partial<Record<TlsVersion, 'accepted' | 'refused'>>
  versionDetail: Partial<Record<TlsVersion, string>>
  /** The verified connection (default versions, system roots + --ca). */
  verify: {ok: boolean; authorized?: boolean; error?: string; protocol?: string; cipher?: string}
  chain: CertInfo[]
  /** Set when no handshake completed at all. */
  error?: {code: string; message: string}
}

export interface RedirectReport {
  /** The https URL whose plain-HTTP twin was tried. */
  url: string
  httpUrl?: string
  result: 'https' | 'not-https' | 'no-redirect' | 'no-http' | 'not-applicable' | 'error'
  status?: number
  location?: string
  detail?: string
}

export interface ExposedCheck {
  url: string
  kind: string
  status?: number
  exposed: boolean
  reason?: string
  error?: string
}

export interface HttpArtifact {
  entry?: string
  entryOrigin?: string
  targets: HttpTarget[]
  tls: TlsReport[]
  redirects: RedirectReport[]
  exposed: {origin?: string; softNotFound?: boolean; checks: ExposedCheck[]}
  /** Requests skipped because an origin stopped answering or the budget ran out. */
  skipped: Array<{url: string; reason: string}>
  /**
   * The service pages the manifest marks `auth: required`, each fetched without any login
   * session: where an anonymous visitor is sent (MAN-011 compares it with the identity service).
   */
  protectedPages?: Array<{url: string; name?: string; fetch: FetchResult}>
  /** The manifest's identity.loginUrl, on --url's origin when it shares the entry's. */
  identityLogin?: string
  /** auth.loginPattern of the run's configuration, when set: what a login URL looks like without identity.loginUrl. */
  loginPattern?: string
  durationMs: number
}

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const

type TlsVersion = (typeof TLS_VERSIONS)[number]
