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
      const [{check}, {renderText, useColor}] = await Promise.all([import('../core/check.js'), import('../report/text.js')])
      const render: CheckRenderer = {
        result: (doc, written, info) => {
          if (info.json) {
            // With several apps, --json prints the summary alone.
            if (!info.multi) this.out(JSON.stringify(doc, null, 2))
            return
          }
          process.stdout.write(renderText(doc, {lang: info.lang, color: useColor(), verbose: info.verbose}))
          for (const f of written) this.note(t(info.lang, 'text.written', {file: f}))
        },
        summary: (s, _file, info) => {
          if (info.json) this.out(JSON.stringify(s, null, 2))
        },
      }
      const outcome = await check({...flags, path: args.path, debug: this.debugOn}, categories, this.lang, render)
      process.exitCode = outcome.exitCode
    }
  }
}
