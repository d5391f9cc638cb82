// An isolated world for the in-page probes (the way Lighthouse runs its gatherers): a separate
// JavaScript realm on the page's main frame that shares the DOM but none of the page's globals.
// Whatever the page defines or overwrites — an AMD `define` (RequireJS, almond) that axe-core
// would register itself with, `window.performance = {}`, patched `Array.prototype` methods —
// cannot reach axe-core or sjt's own measuring functions there.
import type {CDPSession, Page} from 'puppeteer-core'

export interface IsolatedWorld {
  /** Runs `fn(...args)` in the isolated world; awaits a returned promise; returns its JSON value. */
  call<T, A extends unknown[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T>
  /** Evaluates a script (e.g. a library's source) in the isolated world. */
  run(source: string): Promise<void>
  close(): Promise<void>
}

interface RemoteException {
  exceptionDetails?: {text?: string; exception?: {description?: string; value?: unknown}}
}

function exceptionMessage(r: RemoteException): string | undefined {
  const d = r.exceptionDetails
  if (!d) return undefined
  const desc = d.exception?.description ?? (d.exception?.value !== undefined ? String(d.exception.value) : undefined) ?? d.text ?? 'exception'
  return desc.split('\n')[0]
}

/** Opens a fresh isolated world on the page's current main frame (call after navigation). */
export async function isolatedWorld(page: Page, name = 'sjt'): Promise<IsolatedWorld> {
  const cdp: CDPSession = await page.createCDPSession()
  try {
    const tree = (await cdp.send('Page.getFrameTree')) as {frameTree: {frame: {id: string}}}
    const {executionContextId} = await cdp.send('Page.createIsolatedWorld', {frameId: tree.frameTree.frame.id, worldName: name})
    return {
      async call(fn, ...args) {
        const r = await cdp.send('Runtime.callFunctionOn', {
          functionDeclaration: fn.toString(),
          executionContextId,
          arguments: args.map((value) => ({value})),
          awaitPromise: true,
          returnByValue: true,
        })
        const err = exceptionMessage(r as RemoteException)
        if (err) throw new Error(err)
        return r.result.value as never
      },
      async run(source) {
        const r = await cdp.send('Runtime.evaluate', {expression: source, contextId: executionContextId, returnByValue: false, silent: true})
        const err = exceptionMessage(r as RemoteException)
        if (err) throw new Error(err)
      },
      async close() {
        await cdp.detach().catch(() => undefined)
      },
    }
  } catch (error) {
    await cdp.detach().catch(() => undefined)
    throw error
  }
}
