import type {Catalogue} from './index.js'

const messages: Catalogue = {
  'perf.page.entry': {'zh-CN': '入口页', en: 'entry page'},
  'perf.page.elder': {'zh-CN': '长辈版入口', en: 'elder entry'},

  'perf.progress.probe': {'zh-CN': '性能：打开{page} {url}', en: 'perf: opening the {page} {url}'},
  'perf.progress.run': {'zh-CN': 'Lighthouse {page} 第 {run}/{runs} 次 {url}', en: 'Lighthouse {page} run {run}/{runs} {url}'},
  'perf.progress.wait': {'zh-CN': '等待本机其他 Lighthouse 运行结束（{holder}）', en: 'waiting for another Lighthouse run on this machine ({holder})'},

  'perf.skipped.unreachable': {'zh-CN': '无法访问：{detail}', en: 'cannot be reached: {detail}'},
  'perf.skipped.timeout': {'zh-CN': '{seconds} 秒内未完成 DOMContentLoaded', en: 'no DOMContentLoaded within {seconds} s'},
  'perf.skipped.status': {'zh-CN': '返回 HTTP {status}', en: 'answered HTTP {status}'},

  'perf.noTarget': {'zh-CN': '没有可测的页面：用 --url 或清单 app.entry 指定入口地址', en: 'no page to measure: give --url or app.entry in the manifest'},
  'perf.noRun': {'zh-CN': '{page} 未运行 Lighthouse：{reason}', en: 'Lighthouse did not run on the {page}: {reason}'},
  'perf.noMetrics': {'zh-CN': '{page} 的 {runs} 次 Lighthouse 运行均未测得 {metric}：{errors}', en: 'none of the {runs} Lighthouse runs on the {page} measured {metric}: {errors}'},
  'perf.someFailed': {'zh-CN': '（{runs} 次中 {failed} 次失败：{errors}）', en: ' ({failed} of {runs} runs failed: {errors})'},

  'PERF-001.pass': {'zh-CN': '{page} HTTP {status}，DOMContentLoaded 用时 {ms} 毫秒（上限 {max} 毫秒）', en: 'the {page} answered HTTP {status}, DOMContentLoaded after {ms} ms (limit {max} ms)'},
  'PERF-001.slow': {'zh-CN': '{page} DOMContentLoaded 用时 {ms} 毫秒，超过 {max} 毫秒', en: 'the {page} reached DOMContentLoaded after {ms} ms, over {max} ms'},
  'PERF-001.timeout': {'zh-CN': '{page} 在 {ms} 毫秒内未完成 DOMContentLoaded（上限 {max} 毫秒）', en: 'the {page} did not reach DOMContentLoaded within {ms} ms (limit {max} ms)'},
  'PERF-001.status': {'zh-CN': '{page} 返回 HTTP {status}，页面未能正常打开', en: 'the {page} answered HTTP {status}: it does not open'},
  'PERF-001.unreachable': {'zh-CN': '{page} 无法访问：{detail}', en: 'the {page} cannot be reached: {detail}'},
  'PERF-001.shortTimeout': {'zh-CN': '{page} 在 --timeout 给定的 {ms} 毫秒内未打开，短于 {max} 毫秒上限，无法判定；请加大 --timeout', en: 'the {page} did not open within the {ms} ms of --timeout, shorter than the {max} ms limit, so it cannot be judged; raise --timeout'},
  'PERF-001.unmeasured': {'zh-CN': '{page} 返回 HTTP {status}，DOMContentLoaded 用时 {ms} 毫秒，但 Lighthouse 未能测得任何指标：{errors}', en: 'the {page} answered HTTP {status} with DOMContentLoaded after {ms} ms, but no Lighthouse run measured it: {errors}'},
  'PERF-001.probeError': {'zh-CN': '{page} 打开失败：{detail}', en: 'opening the {page} failed: {detail}'},

  'PERF-002.pass': {'zh-CN': '{page} 性能分 {value}（不低于 {min}）', en: 'the {page} scores {value} (at least {min})'},
  'PERF-002.fail': {'zh-CN': '{page} 性能分 {value}，低于 {min}', en: 'the {page} scores {value}, below {min}'},
  'PERF-003.pass': {'zh-CN': '{page} LCP {value} 毫秒（不超过 {max} 毫秒）', en: 'the {page} has LCP {value} ms (at most {max} ms)'},
  'PERF-003.fail': {'zh-CN': '{page} LCP {value} 毫秒，超过 {max} 毫秒{hint}', en: 'the {page} has LCP {value} ms, over {max} ms{hint}'},
  'PERF-003.hint': {'zh-CN': '；LCP 元素 {element}', en: '; LCP element {element}'},
  'PERF-003.blocking': {'zh-CN': '；阻塞渲染：{list}', en: '; render-blocking: {list}'},
  'PERF-004.pass': {'zh-CN': '{page} FCP {value} 毫秒（不超过 {max} 毫秒）', en: 'the {page} has FCP {value} ms (at most {max} ms)'},
  'PERF-004.fail': {'zh-CN': '{page} FCP {value} 毫秒，超过 {max} 毫秒{hint}', en: 'the {page} has FCP {value} ms, over {max} ms{hint}'},
  'PERF-005.pass': {'zh-CN': '{page} CLS {value}（不超过 {max}）', en: 'the {page} has CLS {value} (at most {max})'},
  'PERF-005.fail': {'zh-CN': '{page} CLS {value}，超过 {max}{hint}', en: 'the {page} has CLS {value}, over {max}{hint}'},
  'PERF-005.hint': {'zh-CN': '；偏移最大的元素：{list}', en: '; largest shifts: {list}'},
  'PERF-006.pass': {'zh-CN': '{page} TBT {value} 毫秒（不超过 {max} 毫秒）', en: 'the {page} has TBT {value} ms (at most {max} ms)'},
  'PERF-006.fail': {'zh-CN': '{page} TBT {value} 毫秒，超过 {max} 毫秒{hint}', en: 'the {page} has TBT {value} ms, over {max} ms{hint}'},
  'PERF-006.hint': {'zh-CN': '；最长任务：{list}', en: '; longest tasks: {list}'},
  'PERF-007.pass': {'zh-CN': '{page} 传输 {total} KiB（上限 {maxTotal}），其中 JavaScript {js} KiB（上限 {maxJs}）', en: 'the {page} transfers {total} KiB (limit {maxTotal}), JavaScript {js} KiB (limit {maxJs})'},
  'PERF-007.fail': {'zh-CN': '{page} 传输 {total} KiB（上限 {maxTotal}），其中 JavaScript {js} KiB（上限 {maxJs}），超出预算{hint}', en: 'the {page} transfers {total} KiB (limit {maxTotal}), JavaScript {js} KiB (limit {maxJs}): over budget{hint}'},
  'PERF-007.hint': {'zh-CN': '；最大的请求：{list}', en: '; largest requests: {list}'},
  'PERF-008.pass': {'zh-CN': '{page} {runs} 次运行 LCP 介于 {min}–{max} 毫秒（最大/最小 {ratio}，不超过 {limit}），结果稳定', en: 'the {page} LCP over {runs} runs: {min}–{max} ms (max/min {ratio}, at most {limit}): stable'},
  'PERF-008.fail': {'zh-CN': '{page} {runs} 次运行 LCP 介于 {min}–{max} 毫秒（最大/最小 {ratio}，超过 {limit}）：结果不稳定，勿据此卡发布', en: 'the {page} LCP over {runs} runs: {min}–{max} ms (max/min {ratio}, over {limit}): unstable, do not gate on it'},
  'PERF-008.fewRuns': {'zh-CN': '{page} 只有 {runs} 次运行测得 LCP，无法判断波动（用 --runs 3 或更多）', en: 'only {runs} run(s) on the {page} measured LCP: no spread to judge (use --runs 3 or more)'},

  // Many apps (`sjt check DIR-OF-APPS`) and `sjt report --merge`.
  'many.summary': {'zh-CN': '共 {apps} 个应用：通过 {pass}，未通过 {fail}，无法检测 {error}；汇总见 {file}', en: '{apps} apps: {pass} passed, {fail} failed, {error} could not be checked; summary in {file}'},
  'merge.empty': {'zh-CN': '没有找到可合并的 result.json 或 summary*.json', en: 'no result.json or summary*.json to merge'},
  'merge.empty.hint': {'zh-CN': '给出各分片的输出目录，例如 sjt report --merge shard-1/ shard-2/ --out reports/', en: 'give the output folders of the shards, e.g. sjt report --merge shard-1/ shard-2/ --out reports/'},
  'merge.duplicate': {'zh-CN': '应用 {id} 出现在多个分片中，保留较晚的一次结果', en: 'app {id} is in more than one shard; the later result is kept'},
  'merge.done': {'zh-CN': '合并 {apps} 个应用：通过 {pass}，未通过 {fail}，无法检测 {error}', en: 'merged {apps} apps: {pass} passed, {fail} failed, {error} could not be checked'},
}

export default messages
