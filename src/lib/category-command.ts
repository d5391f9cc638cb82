// `sjt check` and `sjt check <category>` share flags and flow; a command is a category list.
import {SjtCommand} from './base.js'
import {checkArgs, checkFlags} from './check-flags.js'
import type {Category} from '../core/types.js'

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
      const outcome = await check({...flags, path: args.path, debug: this.debugOn}, categories, this.lang)
      process.exitCode = outcome.exitCode
    }
  }
}
