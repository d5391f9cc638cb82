// `sjt check` and `sjt check <category>` share flags and flow; a command is a category list.
// The pipeline (src/core/check.ts) returns results; this command renders them.
import {SjtCommand} from './base.js'
import {checkArgs, checkFlags} from './check-flags.js'
import type {Category} from '../core/types.js'
import type {CheckRenderer} from '../core/check.js'
import {t} from './i18n/index.js'

export function categoryCommand(categories: Category[], summary: string, examples: string[]) {
  return class extends SjtCommand {
    static summary = summary
    static description = summary
    static examples = examples
    static args = checkArgs
    static flags = checkFlags

    async run(): Promise<void> {
      const {args, flags} = await this.parse(this.ctor as typeof SjtCommand & {args: typeof checkArgs; flags: typeof checkFlags})
      const {check} = await import('../core/check.js')
      const render = await checkRenderer((x) => this.out(x), (x) => this.note(x))
      const outcome = await check({...flags, path: args.path, debug: this.debugOn}, categories, this.lang, render)
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
