// `sjt check` and `sjt check <category>` share flags and flow; a command is a category list.
// The pipeline (src/core/check.ts) returns results; this command renders them.
// `sjt check` also takes the category as a positional word anywhere on the line, so
// `sjt check --url https://example.gov.cn/m/ a11y` is `sjt check a11y --url …`.
import {existsSync} from 'node:fs'
import {SjtCommand} from './base.js'
import {checkArgs, checkFlags} from './check-flags.js'
import {InputError} from '../lib/errors.js'
import {CATEGORIES as ALL_CATEGORIES, type Category, type Lang} from '../core/types.js'
import type {CheckRenderer} from './check.js'
import {t} from '../lib/i18n/index.js'
import {nearest} from '../lib/words.js'

const CATEGORIES: readonly Category[] = ALL_CATEGORIES

/**
 * Splits the positional words of `sjt check` into categories and at most one path. A word that
 * names a category (and is not an existing file or folder) selects it; a word that does not exist
 * and looks like a category name (a close typo, or a bare word beside --url or another path) is an
 * unknown category; anything else is the path.
 */
function splitPositionals(words: string[], opts: {allowCategories: boolean; hasUrl: boolean; lang: Lang}): {categories: Category[]; path?: string} {
  const categories: Category[] = []
  let target: string | undefined
  const names = CATEGORIES.join(', ')
  for (const w of words) {
    const exists = existsSync(w)
    if (!exists && opts.allowCategories && (CATEGORIES as readonly string[]).includes(w)) {
      if (!categories.includes(w as Category)) categories.push(w as Category)
      continue
    }
    const bare = /^[A-Za-z][\w-]*$/.test(w)
    if (!exists && bare && (nearest(w, CATEGORIES) || opts.hasUrl || target !== undefined)) {
      throw new InputError(t(opts.lang, 'cli.unknownCategory', {name: w, names}), undefined, t(opts.lang, 'cli.unknownCategory.hint'))
    }
    if (target !== undefined) throw new InputError(t(opts.lang, 'cli.twoPaths', {first: target, second: w}), undefined, t(opts.lang, 'cli.twoPaths.hint'))
    if (!exists) throw new InputError(t(opts.lang, 'input.notFound'), {file: w}, t(opts.lang, 'cli.notFoundOrCategory.hint', {names}))
    target = w
  }
  return {categories, path: target}
}

export function categoryCommand(categories: Category[], summary: string, examples: string[]) {
  const all = categories.length > 1
  return class extends SjtCommand {
    static summary = summary
    static description = summary
    static examples = examples
    static args = checkArgs
    static flags = checkFlags
    // `sjt check` reads every positional word itself (categories and the path, in any order).
    static strict = !all

    async run(): Promise<void> {
      const {argv, flags} = await this.parse(this.ctor as typeof SjtCommand & {args: typeof checkArgs; flags: typeof checkFlags})
      const words = (argv as string[]).filter((w) => typeof w === 'string')
      const hasUrl = Boolean(flags.url || flags['elder-url'])
      const split = splitPositionals(words, {allowCategories: all, hasUrl, lang: this.lang})
      const chosen = split.categories.length > 0 ? CATEGORIES.filter((c) => split.categories.includes(c)) : categories
      const {check} = await import('./check.js')
      const render = await checkRenderer((x) => this.out(x), (x) => this.note(x))
      const outcome = await check({...flags, path: split.path, debug: this.debugOn}, chosen, this.lang, render)
      process.exitCode = outcome.exitCode
    }
  }
}

/** How `sjt check` renders each app's result on the terminal (or as JSON with --json). */
export async function checkRenderer(out: (s: string) => void, note: (s: string) => void): Promise<CheckRenderer> {
  const {renderText, useColor} = await import('../report/text.js')
  return {
    result: (doc, written, info) => {
      if (info.json) {
        // With several apps, --json prints the summary alone.
        if (!info.multi) out(JSON.stringify(doc, null, 2))
        return
      }
      process.stdout.write(renderText(doc, {lang: info.lang, color: useColor(), verbose: info.verbose}))
      for (const f of written) note(t(info.lang, 'text.written', {file: f}))
    },
    summary: (s, _file, info) => {
      if (info.json) out(JSON.stringify(s, null, 2))
    },
  }
}
