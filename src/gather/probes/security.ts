// The security probe of the shared page session: every request a page makes, mixed content,
// scripts and their Subresource Integrity, cookies written by script, device permissions the
// page asks for, the privacy-policy links, and the page's visible text and attribute values
// (bounded) for the personal-information rules. Facts only; src/audits/security judges them.
import type {ConsoleMessage, HTTPRequest, HTTPResponse, Page} from 'puppeteer-core'
import {isolatedWorld} from '../isolated.js'
import type {PageProbe} from '../page-types.js'
import type {PageTarget} from '../../artifacts/page.js'
import {type ProbeRequest, type SecurityProbeResult} from '../../artifacts/page.js'

/** Bounds of what one page may contribute to the artifact. */
export const PROBE_LIMITS = {
  requests: 1500,
  urlChars: 2048,
  textChars: 200_000,
  attrChars: 200_000,
  links: 500,
  scripts: 300,
  insecureElements: 300,
  apiBodies: 30,
  apiBodyChars: 64 * 1024,
  consoleMessages: 100,
  hookRecords: 300,
}

// Runs in every frame before the page's own scripts. Records, never blocks.
const HOOK = `(() => {
  const KEY = '__sjtSecurityProbe';
  if (window[KEY]) return;
  const rec = {cookies: [], permissions: [], calls: []};
  try { Object.defineProperty(window, KEY, {value: rec, enumerable: false}); } catch (e) { return; }
  const MAX = ${PROBE_LIMITS.hookRecords};
  const push = (arr, v) => { if (arr.length < MAX) arr.push(v); };
  const here = () => String(location.href).slice(0, 500);
  try {
    const d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
    if (d && d.set && d.get) {
      Object.defineProperty(Document.prototype, 'cookie', {
        configurable: true, enumerable: d.enumerable,
        get() { return d.get.call(this); },
        set(v) {
          try {
            const s = String(v); const parts = s.split(';'); const first = parts.shift() || ''; const eq = first.indexOf('=');
            push(rec.cookies, {name: (eq >= 0 ? first.slice(0, eq) : first).trim().slice(0, 200), attributes: parts.join(';').trim().slice(0, 500), valueLength: eq >= 0 ? first.length - eq - 1 : 0, at: here()});
          } catch (e) {}
          return d.set.call(this, v);
        },
      });
    }
  } catch (e) {}
  const wrap = (obj, name, kindOf) => {
    try {
      const orig = obj && obj[name];
      if (typeof orig !== 'function') return;
      obj[name] = function (...args) {
        try { for (const k of [].concat(kindOf(args))) push(rec.permissions, {kind: k, api: name, at: here()}); } catch (e) {}
        return orig.apply(this, args);
      };
    } catch (e) {}
  };
  const media = (args) => { const c = args[0] || {}; const out = []; if (c.video) out.push('camera'); if (c.audio) out.push('microphone'); return out; };
  if (typeof Geolocation !== 'undefined') { wrap(Geolocation.prototype, 'getCurrentPosition', () => 'geolocation'); wrap(Geolocation.prototype, 'watchPosition', () => 'geolocation'); }
  if (typeof MediaDevices !== 'undefined') wrap(MediaDevices.prototype, 'getUserMedia', media);
  wrap(navigator, 'getUserMedia', media); wrap(navigator, 'webkitGetUserMedia', media);
  if (typeof Notification !== 'undefined') wrap(Notification, 'requestPermission', () => 'notifications');
  if (typeof PushManager !== 'undefined') wrap(PushManager.prototype, 'subscribe', () => 'notifications');
  const call = (api, u) => { try { push(rec.calls, {api, url: String(new URL(String(u && u.url ? u.url : u), location.href)).slice(0, ${PROBE_LIMITS.urlChars})}); } catch (e) {} };
  try { const f = window.fetch; if (f) window.fetch = function (input, init) { call('fetch', input); return f.apply(this, arguments); }; } catch (e) {}
  try { const o = XMLHttpRequest.prototype.open; XMLHttpRequest.prototype.open = function (m, u) { call('xhr', u); return o.apply(this, arguments); }; } catch (e) {}
  try { const b = navigator.sendBeacon; if (b) navigator.sendBeacon = function (u) { call('beacon', u); return b.apply(this, arguments); }; } catch (e) {}
  for (const name of ['WebSocket', 'EventSource']) {
    try {
      const C = window[name]; if (!C) continue;
      const W = function (u, p) { call(name, u); return p === undefined ? new C(u) : new C(u, p); };
      W.prototype = C.prototype; Object.assign(W, C); window[name] = W;
    } catch (e) {}
  }
})();`

interface State {
  requests: ProbeRequest[]
  requestCount: number
  byRequest: Map<HTTPRequest, ProbeRequest>
  mixed: string[]
  responseCookies: Array<{url: string; header: string}>
  bodies: Array<Promise<{url: string; text: string} | null>>
  off: () => void
}

function describe(url: string): {host: string; scheme: string} {
  try {
    const u = new URL(url)
    return {host: u.hostname.toLowerCase(), scheme: u.protocol.replace(/:$/, '')}
  } catch {
    return {host: '', scheme: url.split(':')[0] ?? ''}
  }
}

// In the page: DOM facts of the main frame. Plain JS (serialised by puppeteer), bounded.
function domFacts(limits: typeof PROBE_LIMITS) {
  const SKIP_ATTR = new Set(['style', 'class', 'd', 'points', 'transform', 'viewbox', 'integrity', 'nonce', 'path'])
  const abs = (u: string) => {
    try {
      return new URL(u, document.baseURI).href
    } catch {
      return u
    }
  }
  const insecure: Array<{tag: string; attr: string; url: string}> = []
  const addInsecure = (el: Element, attr: string, raw: string | null) => {
    if (!raw || insecure.length >= limits.insecureElements) return
    for (const part of attr === 'srcset' ? raw.split(',').map((s) => s.trim().split(/\s+/)[0]) : [raw]) {
      const u = abs(part)
      if (u.startsWith('http:')) insecure.push({tag: el.tagName.toLowerCase(), attr, url: u.slice(0, limits.urlChars)})
    }
  }
  const subresource: Array<[string, string[]]> = [
    ['img', ['src', 'srcset']],
    ['script', ['src']],
    ['iframe', ['src']],
    ['frame', ['src']],
    ['audio', ['src']],
    ['video', ['src', 'poster']],
    ['source', ['src', 'srcset']],
    ['track', ['src']],
    ['object', ['data']],
    ['embed', ['src']],
    ['input[type=image]', ['src']],
    ['form', ['action']],
  ]
  for (const [sel, attrs] of subresource) for (const el of Array.from(document.querySelectorAll(sel))) for (const a of attrs) addInsecure(el, a, el.getAttribute(a))
  for (const el of Array.from(document.querySelectorAll('link[href]'))) {
    const rel = (el.getAttribute('rel') ?? '').toLowerCase()
    if (/stylesheet|icon|preload|modulepreload|manifest|prefetch/.test(rel)) addInsecure(el, 'href', el.getAttribute('href'))
  }
  const scripts = Array.from(document.querySelectorAll('script'))
  const external = scripts
    .filter((s) => s.hasAttribute('src'))
    .slice(0, limits.scripts)
    .map((s) => ({src: (s as HTMLScriptElement).src.slice(0, limits.urlChars), integrity: s.getAttribute('integrity'), crossorigin: s.getAttribute('crossorigin')}))
  const links = Array.from(document.querySelectorAll('a[href], area[href]'))
    .slice(0, limits.links)
    .map((a) => ({
      href: ((a as HTMLAnchorElement).href || '').slice(0, limits.urlChars),
      text: ((a as HTMLElement).innerText || a.getAttribute('aria-label') || a.getAttribute('title') || '').replace(/\s+/g, ' ').trim().slice(0, 200),
    }))
  const text = (document.body?.innerText ?? '').slice(0, limits.textChars + 1)
  const parts: string[] = []
  let size = 0
  let truncated = text.length > limits.textChars
  const add = (s: string) => {
    if (size >= limits.attrChars) {
      truncated = true
      return
    }
    const piece = s.slice(0, limits.attrChars - size)
    parts.push(piece)
    size += piece.length + 1
  }
  for (const el of Array.from(document.querySelectorAll('*'))) {
    if (size >= limits.attrChars) {
      truncated = true
      break
    }
    for (const a of Array.from(el.attributes)) if (!SKIP_ATTR.has(a.name.toLowerCase()) && a.value) add(a.value)
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      if (el.value && el.value !== el.getAttribute('value')) add(el.value)
    }
  }
  return {
    finalUrl: location.href,
    secureContext: window.isSecureContext,
    insecure,
    scripts: external,
    inlineScripts: scripts.length - scripts.filter((s) => s.hasAttribute('src')).length,
    links,
    text: text.slice(0, limits.textChars),
    attributes: parts.join('\n'),
    truncated,
  }
}

const probe: PageProbe = {
  name: 'security',

  async setup(page: Page): Promise<State> {
    const state: State = {requests: [], requestCount: 0, byRequest: new Map(), mixed: [], responseCookies: [], bodies: [], off: () => undefined}
    const onRequest = (req: HTTPRequest) => {
      state.requestCount++
      if (state.requests.length >= PROBE_LIMITS.requests) return
      const url = req.url()
      if (url.startsWith('data:') || url.startsWith('blob:')) return
      const r: ProbeRequest = {url: url.slice(0, PROBE_LIMITS.urlChars), ...describe(url), type: req.resourceType(), method: req.method()}
      state.requests.push(r)
      state.byRequest.set(req, r)
    }
    const onResponse = (res: HTTPResponse) => {
      const r = state.byRequest.get(res.request())
      if (r) r.status = res.status()
      const setCookie = res.headers()['set-cookie']
      if (setCookie && state.responseCookies.length < 200) {
        for (const line of setCookie.split('\n').slice(0, 200 - state.responseCookies.length)) state.responseCookies.push({url: res.url().slice(0, PROBE_LIMITS.urlChars), header: line.slice(0, 2000)})
      }
      const type = res.request().resourceType()
      const ct = res.headers()['content-type'] ?? ''
      if ((type === 'xhr' || type === 'fetch') && /json|text|xml/i.test(ct) && state.bodies.length < PROBE_LIMITS.apiBodies) {
        state.bodies.push(
          res
            .text()
            .then((text) => ({url: res.url().slice(0, PROBE_LIMITS.urlChars), text: text.slice(0, PROBE_LIMITS.apiBodyChars)}))
            .catch(() => null),
        )
      }
    }
    const onFailed = (req: HTTPRequest) => {
      const r = state.byRequest.get(req)
      if (r) r.failed = req.failure()?.errorText ?? 'failed'
    }
    const onConsole = (msg: ConsoleMessage) => {
      const text = msg.text()
      if (/^Mixed Content:/i.test(text) && state.mixed.length < PROBE_LIMITS.consoleMessages) state.mixed.push(text.slice(0, 1000))
    }
    page.on('request', onRequest)
    page.on('response', onResponse)
    page.on('requestfailed', onFailed)
    page.on('console', onConsole)
    state.off = () => {
      page.off('request', onRequest)
      page.off('response', onResponse)
      page.off('requestfailed', onFailed)
      page.off('console', onConsole)
    }
    await page.evaluateOnNewDocument(HOOK)
    return state
  },

  async collect(page: Page, target: PageTarget, raw: unknown): Promise<SecurityProbeResult> {
    const state = raw as State
    // The DOM is read from an isolated world (../isolated.ts), out of reach of the page's globals;
    // the hook records below live in the page's world, where the hook had to run.
    const world = await isolatedWorld(page, 'sjt-security')
    const dom = await world.call(domFacts, PROBE_LIMITS).finally(() => world.close())
    // Hook records of every frame (permission prompts from iframes count too).
    const scriptCookies: SecurityProbeResult['scriptCookies'] = []
    const permissions: SecurityProbeResult['permissions'] = []
    const scriptCalls: SecurityProbeResult['scriptCalls'] = []
    for (const frame of page.frames().slice(0, 20)) {
      try {
        const rec = (await frame.evaluate('window.__sjtSecurityProbe || null')) as {cookies: any[]; permissions: any[]; calls: any[]} | null
        if (!rec) continue
        scriptCookies.push(...rec.cookies.slice(0, PROBE_LIMITS.hookRecords - scriptCookies.length))
        permissions.push(...rec.permissions.slice(0, PROBE_LIMITS.hookRecords - permissions.length))
        scriptCalls.push(...rec.calls.slice(0, PROBE_LIMITS.hookRecords - scriptCalls.length))
      } catch {
        // a detached or cross-process frame
      }
    }
    // Response bodies still streaming get 5 s; the timer is cleared so it never holds the process.
    let timer: NodeJS.Timeout | undefined
    const bodies = await Promise.race([Promise.all(state.bodies), new Promise<null[]>((r) => (timer = setTimeout(() => r([]), 5000)))])
    clearTimeout(timer)
    state.off()
    return {
      url: target.url,
      finalUrl: dom.finalUrl,
      secureContext: dom.secureContext,
      requests: state.requests,
      requestCount: state.requestCount,
      mixedContentReports: state.mixed,
      insecureElements: dom.insecure,
      scripts: dom.scripts,
      inlineScripts: dom.inlineScripts,
      scriptCookies,
      responseCookies: state.responseCookies,
      permissions,
      scriptCalls,
      links: dom.links,
      text: dom.text,
      attributes: dom.attributes,
      truncated: dom.truncated,
      apiBodies: (bodies as Array<{url: string; text: string} | null>).filter((b): b is {url: string; text: string} => Boolean(b)),
    }
  },
}

export default probe
