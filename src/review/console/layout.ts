// The console's page frame: one layout for every page (skip link, navigation by role, language
// switch, sign-out form), the not-found and refused pages, and the small formatting helpers the
// pages share. Every asset comes from /console/assets/ (no inline script or style: the CSP is strict).
import type {FastifyReply} from 'fastify'
import type {Lang} from '../../core/types.js'
import {LANGS, t, type MessageKey, messageKey} from '../../lib/i18n/index.js'
import type {Role} from '../store.js'
import type {ConsoleSession, PageSpec} from './contract.js'
import {html, raw, type Raw} from './html.js'

export const BASE = '/console'

/** The navigation entries and who sees them (as the API lets each role read). */
export const NAV: Array<{id: string; href: string; key: string; roles: Role[]}> = [
  {id: 'submissions', href: `${BASE}/submissions`, key: 'console.nav.submissions', roles: ['submitter', 'reviewer', 'auditor']},
  {id: 'apps', href: `${BASE}/apps`, key: 'console.nav.apps', roles: ['submitter', 'reviewer', 'auditor', 'monitor']},
  {id: 'scores', href: `${BASE}/scores`, key: 'console.nav.scores', roles: ['reviewer', 'auditor']},
]

/** The same address with `lang` set (the language switch keeps the page and its filters). */
function withLang(url: string, lang: Lang): string {
  const u = new URL(url, 'http://console.invalid')
  u.searchParams.set('lang', lang)
  return u.pathname + u.search
}

interface FrameOptions {
  lang: Lang
  url: string
  title: string
  body: string
  session?: ConsoleSession
  nav?: string
  /** Which navigation entries exist (features registered on this server). */
  features: Set<string>
}

function frame(o: FrameOptions): string {
  const L = (k: MessageKey, p?: Record<string, unknown>) => t(o.lang, k, p)
  const other: Lang = LANGS.find((l) => l !== o.lang) ?? 'zh-CN'
  const s = o.session
  const nav = s ? NAV.filter((n) => o.features.has(n.id) && n.roles.includes(s.principal.role)) : []
  const who = s ? L('console.signedInAs', {role: L(messageKey(`console.role.${s.principal.role}`)), dept: s.principal.creditCode ? L('console.dept', {code: s.principal.creditCode}) : ''}) : ''
  return html`<!DOCTYPE html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${L('console.name')}</title>
<link rel="stylesheet" href="${BASE}/assets/console.css">
<link rel="stylesheet" href="${BASE}/assets/features.css">
<script src="${BASE}/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${L('console.skip')}</a>
<header class="top">
<p class="brand"><a href="${BASE}/">${L('console.name')}</a></p>
${nav.length ? html`<nav aria-label="${L('console.nav')}"><ul>${nav.map((n) => html`<li><a href="${n.href}"${raw(o.nav === n.id ? ' aria-current="page"' : '')}>${L(messageKey(n.key))}</a></li>`)}</ul></nav>` : ''}
<div class="tools">
<a class="lang" href="${withLang(o.url, other)}" lang="${other}" hreflang="${other}" title="${L('console.lang.label')}">${L('console.lang.switch')}</a>
${s ? html`<span class="who">${who}</span><form method="post" action="${BASE}/sign-out" class="inline"><input type="hidden" name="_csrf" value="${s.csrfToken}"><button type="submit">${L('console.signOut')}</button></form>` : ''}
</div>
</header>
<main id="main" tabindex="-1">
<h1>${o.title}</h1>
${raw(o.body)}
</main>
</body>
</html>
`.value
}

export function sendPage(reply: FastifyReply, features: Set<string>, session: ConsoleSession | undefined, lang: Lang, spec: PageSpec): FastifyReply {
  const body = frame({lang, url: reply.request.url, title: spec.title, body: spec.body, session, nav: spec.nav, features})
  return reply.code(spec.status ?? 200).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(body)
}

/** A short notice (role="status") or an error (role="alert") above a page's content. */
export function notice(text: string, kind: 'ok' | 'error' = 'ok'): Raw {
  return kind === 'ok' ? html`<p class="notice ok" role="status">${text}</p>` : html`<p class="notice error" role="alert">${text}</p>`
}

/** How long ago, in the page's language (minutes, hours or days). */
export function age(iso: string, lang: Lang, now = Date.now()): string {
  const ms = Math.max(0, now - Date.parse(iso))
  const min = Math.floor(ms / 60_000)
  if (min < 120) return t(lang, 'console.age.minutes', {n: min})
  const h = Math.floor(min / 60)
  if (h < 48) return t(lang, 'console.age.hours', {n: h})
  return t(lang, 'console.age.days', {n: Math.floor(h / 24)})
}

/** An ISO time as the reader's wall clock would show it in Shanxi (UTC+8), with the ISO in datetime. */
export function time(iso: string | null | undefined): Raw {
  if (!iso) return raw('')
  const d = new Date(Date.parse(iso) + 8 * 3_600_000)
  const shown = Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ')
  return html`<time datetime="${iso}">${shown}</time>`
}
