import {checkRenderer} from '../../cli/category-command.js'
import {existsSync, statSync} from 'node:fs'
import path from 'node:path'
import {SjtCommand} from '../../cli/base.js'
import {checkArgs, checkFlags} from '../../cli/check-flags.js'
import {MANIFEST_NAMES} from '../../core/run.js'

export default class CheckMiniprogram extends SjtCommand {
  static summary = 'Check a WeChat or Alipay mini-program from its source project (MP-001…MP-010)'
  static description =
    'PATH is an app folder whose manifest says type: miniprogram, or a mini-program project folder (app.json, project.config.json or mini.project.json) checked directly without a manifest.'
  static examples = [
    '<%= config.bin %> check miniprogram fixtures/miniprograms/wechat-sample/miniprogram',
    '<%= config.bin %> check miniprogram fixtures/miniprograms/wechat-sample --format html,sarif --out reports',
    '<%= config.bin %> check miniprogram fixtures/miniprograms/alipay-sample/project --json --lang en',
  ]
  static args = checkArgs
  static flags = checkFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(CheckMiniprogram)
    const {check} = await import('../../cli/check.js')
    const {looksLikeProject} = await import('../../gather/miniprogram/project.js')
    const p = args.path ?? '.'
    const dir = existsSync(p) && statSync(p).isDirectory() ? p : undefined
    // A folder without a manifest that holds a project is checked as the project itself.
    const direct = dir !== undefined && !MANIFEST_NAMES.some((n) => existsSync(path.join(dir, n))) && looksLikeProject(dir)
    const outcome = await check({...flags, path: direct ? undefined : args.path, ...(direct ? {project: dir} : {}), debug: this.debugOn}, ['miniprogram'], this.lang, await checkRenderer((x) => this.out(x), (x) => this.note(x)))
    process.exitCode = outcome.exitCode
  }
}
