import {Args, Flags} from '@oclif/core'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {SjtCommand} from '../cli/base.js'
import {InputError} from '../lib/errors.js'
import {t} from '../lib/i18n/index.js'
import {checkRegionPrefix, collectResults, inRegion} from '../score/collect.js'
import {loadScoringModel} from '../score/model.js'
import {rankScores, scoreResult} from '../score/score.js'
import {readUsageFile} from '../score/usage.js'
import {renderOneHtml, renderOneText, renderRankingCsv, renderRankingHtml, renderRankingJson, renderRankingText, SCORE_FORMATS, type RankedRow, type ScoreFormat} from '../score/render.js'

export default class Score extends SjtCommand {
  static summary = 'Score service capability (服务能力评分) of one app, or rank every app in a folder'
  static description = `Scores the five national dimensions (服务事项覆盖度, 在线办理成熟度, 服务方式完备度, 办事指南准确度, 在线服务成效度) from result documents written by sjt check, on the model in the profile's scoring.yaml. Categories that were not run count as unknown, not as zero; the output says how many points of the total they could move. Given a folder, every result.json under it is scored and ranked (ties: region, then app id). See docs/scoring.md.`
  static examples = [
    '<%= config.bin %> score reports/ty-gjj-withdraw/result.json',
    '<%= config.bin %> score reports/ty-gjj-withdraw/result.json --explain --lang en',
    '<%= config.bin %> score reports/ --region 1401',
    '<%= config.bin %> score reports/ --format csv --out ranking.csv',
    '<%= config.bin %> score reports/ --format html --out ranking.html --usage usage.csv',
  ]
  static strict = false
  static args = {path: Args.string({description: 'result.json written by sjt check (several allowed), or a folder searched for them (- reads one from stdin)', required: true})}
  static flags = {
    explain: Flags.boolean({description: 'for each index, list what would win the missed points back (rule ids, manifest fields)', default: false}),
    format: Flags.string({description: 'text, csv, json or html', options: SCORE_FORMATS, default: 'text'}),
    json: Flags.boolean({description: 'print JSON on stdout (same as --format json)', default: false}),
    out: Flags.string({description: 'write the output to this file instead of stdout'}),
    region: Flags.string({description: 'only apps whose region code begins with this GB/T 2260 prefix (e.g. 14, 1407)'}),
    usage: Flags.string({description: 'usage CSV (per month: PV, UV, clicks, transactions, 好差评 counts) feeding 在线服务成效度'}),
    profile: Flags.string({description: "profile whose scoring.yaml to use (default: each result's own profile)"}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Score)
    await this.loadSettings(flags)
    const lang = this.lang
    const format: ScoreFormat = flags.json ? 'json' : (flags.format as ScoreFormat)
    const region = flags.region !== undefined ? checkRegionPrefix(flags.region, lang) : undefined
    const model = flags.profile ? loadScoringModel(flags.profile, lang) : undefined
    const usage = flags.usage ? readUsageFile(flags.usage, lang) : undefined
    const paths = argv as string[]
    const {results, anyDir} = collectResults(paths, lang)
    const kept = region ? results.filter((r) => inRegion(r.doc, region)) : results
    if (kept.length === 0) throw new InputError(t(lang, 'score.regionEmpty', {prefix: region}))
    if (usage && !usage.hasAppColumn && kept.length > 1) throw new InputError(t(lang, 'score.usage.needsApp', {count: kept.length}), {file: usage.file}, t(lang, 'score.usage.needsApp.hint'))
    if (usage?.hasAppColumn) {
      const ids = new Set(kept.map((r) => r.doc.app.id))
      const stray = [...new Set(usage.rows.map((r) => r.app!).filter((a) => !ids.has(a)))]
      if (stray.length) this.note(t(lang, 'score.usage.unmatched', {apps: stray.join(', ')}))
    }
    const scored = kept.map((r) => ({file: r.file, score: scoreResult(r.doc, {usage, ...(model ? {model} : {})})}))
    const single = scored.length === 1 && !anyDir && paths.length === 1

    let text: string
    if (single) {
      const s = scored[0].score
      text = format === 'json' ? JSON.stringify(s, null, 2) + '\n' : format === 'html' ? renderOneHtml(s, lang, flags.explain) : format === 'csv' ? renderRankingCsv([{rank: 1, ...scored[0]}]) : renderOneText(s, lang, flags.explain)
    } else {
      const rows: RankedRow[] = rankScores(scored)
      text = format === 'json' ? renderRankingJson(rows, {region}) : format === 'csv' ? renderRankingCsv(rows) : format === 'html' ? renderRankingHtml(rows, lang) : renderRankingText(rows, lang, flags.explain)
    }
    if (flags.out) {
      mkdirSync(path.dirname(path.resolve(flags.out)), {recursive: true})
      writeFileSync(flags.out, text)
      this.note(t(lang, 'score.wrote', {file: flags.out}))
    } else process.stdout.write(text)
  }
}
