import type {Catalogue} from './index.js'

// Messages of the capability score (sjt score, src/score).
const messages: Catalogue = {
  // the model file
  'score.noModel': {'zh-CN': '标准配置 {profile} 及其继承链中没有 scoring.yaml（评分模型）', en: 'profile {profile} and the profiles it extends have no scoring.yaml (scoring model)'},
  'score.noModel.hint': {'zh-CN': '在配置目录中放一个 scoring.yaml，或继承 shanxi-2022；格式见 docs/scoring.md', en: 'put a scoring.yaml in the profile folder, or extend shanxi-2022; see docs/scoring.md'},
  'score.modelInvalid': {'zh-CN': '评分模型有误: {detail}', en: 'the scoring model is not valid: {detail}'},
  'score.modelInvalid.hint': {'zh-CN': '按 standards/schemas/scoring.schema.json 与 docs/scoring.md 修改', en: 'see standards/schemas/scoring.schema.json and docs/scoring.md'},
  'score.modelWeights': {'zh-CN': '五项指标权重之和应为 1，实为 {sum}', en: 'index weights must sum to 1, not {sum}'},
  'score.modelPoints': {'zh-CN': '指标 {index} 各项分值之和应为 100，实为 {sum}', en: 'the terms of index {index} must sum to 100 points, not {sum}'},
  'score.modelDuplicate': {'zh-CN': '标识 {id} 重复', en: 'id {id} is repeated'},
  'score.modelGrades': {'zh-CN': '等级须从高到低排列，最后一档从 0 起', en: 'grade bands must go from highest to lowest, the last starting at 0'},

  // usage CSV
  'score.usage.hint': {
    'zh-CN': '用量表头: app(可省)、month、pv、uv、clicks、transactions、非常满意、满意、基本满意、不满意、非常不满意（中英文均可），每月一行，UTF-8；见 docs/scoring.md',
    en: 'usage columns: app (optional), month, pv, uv, clicks, transactions, very_satisfied, satisfied, basically_satisfied, dissatisfied, very_dissatisfied (English or Chinese), one row per month, UTF-8; see docs/scoring.md',
  },
  'score.usage.badCsv': {'zh-CN': '用量 CSV 格式错误: {detail}', en: 'the usage CSV is malformed: {detail}'},
  'score.usage.missingColumns': {'zh-CN': '用量 CSV 缺少列: {columns}', en: 'the usage CSV lacks columns: {columns}'},
  'score.usage.duplicateColumn': {'zh-CN': '列 {column} 重复', en: 'column {column} appears twice'},
  'score.usage.badMonth': {'zh-CN': '月份 "{value}" 应写作 YYYY-MM（如 2026-10）', en: 'month "{value}" must be YYYY-MM (e.g. 2026-10)'},
  'score.usage.noApp': {'zh-CN': 'app 列为空', en: 'the app column is empty'},
  'score.usage.notNumber': {'zh-CN': '{column} 的值 "{value}" 不是非负整数', en: '{column} "{value}" is not a whole number'},
  'score.usage.negative': {'zh-CN': '{column} 的值 {value} 为负数', en: '{column} is negative ({value})'},
  'score.usage.duplicateRow': {'zh-CN': '{app} {month} 重复（第 {first} 行已有）', en: '{app} {month} is repeated (already on line {first})'},
  'score.usage.noRows': {'zh-CN': '用量 CSV 只有表头，没有数据行', en: 'the usage CSV has a header but no rows'},
  'score.usage.needsApp': {'zh-CN': '用量 CSV 没有 app 列，只能用于单个应用；本次有 {count} 个结果', en: 'the usage CSV has no app column, so it fits one app only; there are {count} results'},
  'score.usage.needsApp.hint': {'zh-CN': '加一列 app，填写各应用的 app.id', en: "add an app column holding each app's app.id"},
  'score.usage.unmatched': {'zh-CN': '用量数据中的应用 {apps} 不在本次结果中', en: 'usage rows for {apps} match no result'},

  // the command
  'score.noResults': {'zh-CN': '{dir} 下没有 result.json', en: 'no result.json under {dir}'},
  'score.noResults.hint': {'zh-CN': '先运行 sjt check 生成结果，或给出 result.json 的路径', en: 'run sjt check first, or give the path of a result.json'},
  'score.badRegion': {'zh-CN': '--region "{value}" 应为 2–6 位行政区划代码前缀（如 14、1407、140702）', en: '--region "{value}" must be a 2-6 digit GB/T 2260 prefix (e.g. 14, 1407, 140702)'},
  'score.regionEmpty': {'zh-CN': '没有行政区划代码以 {prefix} 开头的结果', en: 'no result has a region code beginning with {prefix}'},
  'score.wrote': {'zh-CN': '已写入 {file}', en: 'wrote {file}'},
  'score.hookFailed': {'zh-CN': '未能计算服务能力评分: {detail}', en: 'could not compute the capability score: {detail}'},

  // what people read in the output
  'score.title': {'zh-CN': '服务能力评分', en: 'Service capability'},
  'score.rankingTitle': {'zh-CN': '服务能力排名', en: 'Service-capability ranking'},
  'score.model': {'zh-CN': '模型', en: 'model'},
  'score.total': {'zh-CN': '总分', en: 'total'},
  'score.grade': {'zh-CN': '等级', en: 'grade'},
  'score.noTotal': {'zh-CN': '无法评分（没有已知输入）', en: 'no score (nothing known)'},
  'score.unknownLine': {'zh-CN': '未知部分 {points} 分（{from}）：总分可在 {min}–{max} 之间变动', en: '{points} points unknown ({from}): the total could move between {min} and {max}'},
  'score.allKnown': {'zh-CN': '所有输入均已知', en: 'every input is known'},
  'score.usageUsed': {'zh-CN': '已使用用量数据（好差评）', en: 'usage data (好差评) used'},
  'score.col.rank': {'zh-CN': '名次', en: 'rank'},
  'score.col.region': {'zh-CN': '行政区划', en: 'region'},
  'score.col.app': {'zh-CN': '应用', en: 'app'},
  'score.col.name': {'zh-CN': '名称', en: 'name'},
  'score.col.index': {'zh-CN': '指标', en: 'index'},
  'score.col.term': {'zh-CN': '评分项', en: 'term'},
  'score.col.weight': {'zh-CN': '权重', en: 'weight'},
  'score.col.score': {'zh-CN': '得分', en: 'score'},
  'score.col.won': {'zh-CN': '得分点', en: 'won'},
  'score.col.missed': {'zh-CN': '失分', en: 'missed'},
  'score.col.unknown': {'zh-CN': '未知', en: 'unknown'},
  'score.explain.howToWin': {'zh-CN': '挽回失分', en: 'to win back'},
  'score.explain.rules': {'zh-CN': '修复规则', en: 'fix rules'},
  'score.explain.fields': {'zh-CN': '补全清单字段', en: 'manifest fields'},
  'score.explain.items': {'zh-CN': '涉及事项', en: 'items'},
  'score.explain.run': {'zh-CN': '运行检测', en: 'run'},
  'score.explain.none': {'zh-CN': '本指标没有失分', en: 'nothing missed in this index'},
  'score.explain.na': {'zh-CN': '不适用（分值分给本指标其他项）', en: 'not applicable (its points go to the other terms)'},
  'score.status.won': {'zh-CN': '得分', en: 'won'},
  'score.status.partial': {'zh-CN': '部分', en: 'partial'},
  'score.status.missed': {'zh-CN': '失分', en: 'missed'},
  'score.status.unknown': {'zh-CN': '未知', en: 'unknown'},
  'score.status.not-applicable': {'zh-CN': '不适用', en: 'n/a'},
  'score.explainHint': {'zh-CN': '加 --explain 查看每项指标如何挽回失分', en: 'add --explain to see how to win back the missed points of each index'},
  'score.count': {'zh-CN': '共 {count} 个应用', en: '{count} apps'},
}

export default messages
