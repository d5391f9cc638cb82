// HTML facts: <script src> and <a href> of a document's static markup, and the text of a
// privacy-policy link.
function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined
}

const decodeEntities = (s: string) =>
  s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, ' ')

/**
 * Policies set by <meta> tags of the document's head, which browsers enforce like headers:
 * <meta http-equiv="Content-Security-Policy" content> and <meta name="referrer" content>.
 * Only the head counts (a CSP meta tag in the body is ignored by browsers); at most 10 of each.
 */
function metaPolicies(html: string): {csp: string[]; referrer: string[]} {
  const end = html.search(/<\/head\s*>|<body[\s>]/i)
  const head = end >= 0 ? html.slice(0, end) : html.slice(0, 64 * 1024)
  const csp: string[] = []
  const referrer: string[] = []
  for (const m of head.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<meta\b[^>]*>/gi)) {
    const tag = ' ' + m[0].slice(5)
    const content = attr(tag, 'content')
    if (content === undefined) continue
    const equiv = attr(tag, 'http-equiv')?.trim().toLowerCase()
    const name = attr(tag, 'name')?.trim().toLowerCase()
    if (equiv === 'content-security-policy' && csp.length < 10) csp.push(decodeEntities(content).slice(0, 8192))
    else if (name === 'referrer' && referrer.length < 10) referrer.push(decodeEntities(content).slice(0, 200))
  }
  return {csp, referrer}
}

/** <script src> and <a href> of an HTML document (static markup only), resolved against its URL; policies of its <meta> tags. */
export function htmlFacts(html: string, baseUrl: string): {scripts: string[]; links: Array<{href: string; text: string}>; meta?: {csp: string[]; referrer: string[]}} {
  const scripts: string[] = []
  const links: Array<{href: string; text: string}> = []
  let base = baseUrl
  const baseTag = /<base\s[^>]*>/i.exec(html)
  if (baseTag) {
    const h = attr(baseTag[0], 'href')
    if (h) {
      try {
        base = new URL(decodeEntities(h), baseUrl).toString()
      } catch {
        // keep the document URL
      }
    }
  }
  for (const m of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(m[0], 'src')
    if (!src || scripts.length >= 200) continue
    try {
      scripts.push(new URL(decodeEntities(src), base).toString())
    } catch {
      // ignore a broken src
    }
  }
  for (const m of html.matchAll(/<a\b([^>]*)>([\s\S]{0,500}?)<\/a>/gi)) {
    if (links.length >= 500) break
    const href = attr(' ' + m[1], 'href')
    if (!href) continue
    const text = decodeEntities(m[2].replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim().slice(0, 200)
    try {
      links.push({href: new URL(decodeEntities(href), base).toString(), text: text || attr(' ' + m[1], 'title') || attr(' ' + m[1], 'aria-label') || ''})
    } catch {
      // ignore a broken href
    }
  }
  const meta = metaPolicies(html)
  return {scripts, links, ...(meta.csp.length || meta.referrer.length ? {meta} : {})}
}

export const PRIVACY_LINK_TEXT = /隐私|個人信息保護|个人信息保护|privacy/i
