
/** What the login bootstrap (src/core/auth.ts) leaves in ctx.shared under 'auth'. */
export interface ProbeAuth {
  headers?: Record<string, string>
  cookies?: Array<{name: string; value: string; domain: string; path: string; secure?: boolean}>
}
