import type {Catalogue} from './index.js'

// Messages of the job queue: sjt worker, sjt review-server --schedule and sjt review-server jobs.
const messages: Catalogue = {
  'queue.needsPostgres': {
    'zh-CN': '{what} 需要 PostgreSQL 审核库（--db postgres://… 或 --database-url）；SQLite 库 {db} 没有任务队列',
    en: '{what} needs the PostgreSQL review database (--db postgres://… or --database-url); the SQLite store {db} has no job queue',
  },
  'queue.needsPostgres.hint': {
    'zh-CN': '单机使用 SQLite 时，用 sjt monitor 进行运行监测、用 sjt check apps/ 复检；多机复检见 docs/workers.md',
    en: 'With SQLite on one machine, monitor with sjt monitor and re-check with sjt check apps/; for many machines see docs/workers.md',
  },
  'queue.badCategory': {'zh-CN': 'queue.categories 中的类别未知: {category}（可选: {known}）', en: 'unknown category in queue.categories: {category} (known: {known})'},
  'queue.badCron': {'zh-CN': '不是有效的 cron 表达式: {cron}（5 段，如 0 2 * * *）', en: 'not a cron expression: {cron} (5 fields, e.g. 0 2 * * *)'},
  'queue.appsMissing': {'zh-CN': '应用目录不存在: {dir}', en: 'the apps folder does not exist: {dir}'},
  'queue.appsMissing.hint': {'zh-CN': '--apps 指向存放各应用目录（每个含 sjt.yaml）的文件夹', en: '--apps names the folder that holds one folder per app (each with its sjt.yaml)'},
  'queue.failed': {'zh-CN': '无法启动任务队列（{db}）: {detail}', en: 'the job queue could not start ({db}): {detail}'},
  'queue.worker.started': {'zh-CN': '复检进程 {name} 已启动: 并发 {concurrency}，应用目录 {apps}', en: 'worker {name} started: concurrency {concurrency}, apps in {apps}'},
  'queue.worker.stopping': {'zh-CN': '收到 {signal}: 不再领取任务，等待进行中的任务完成（最多 {seconds} 秒）', en: '{signal}: taking no more jobs; waiting for the running ones (at most {seconds} s)'},
  'queue.schedule.on': {'zh-CN': '定时任务已开启: 复检 {recheck}，监测 {monitor}', en: 'schedule on: re-checks {recheck}, monitoring {monitor}'},
  'queue.jobs.none': {'zh-CN': '没有死信任务', en: 'no dead-lettered jobs'},
  'queue.jobs.dead': {'zh-CN': '死信任务（重试用尽）: {n}', en: 'dead-lettered jobs (retries exhausted): {n}'},
}

export default messages
