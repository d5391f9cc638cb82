// Mini-program source checks: a generated 200-page WeChat project checked by
// `sjt check miniprogram DIR` pinned to one core (goal ≤ 2 s wall, cold start included; anchor:
// `node -e 0` on the same core), and a generated 20 MB / 2,000-file project whose peak resident
// memory (VmHWM) is printed: files are parsed one at a time, so the peak follows the largest file,
// not the project. Figures, never assertions.
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {interleave, printMachine, ROOT, timeCommand} from './lib.js'

const BIN = path.join(ROOT, 'bin', 'run.js')

/** A WeChat project of `pages` pages (a tenth of them in two subpackages), with `imageBytes` of images per page. */
export function generateProject(dir, {pages, imageBytes = 0, extraFiles = 0}) {
  const w = (rel, text) => {
    mkdirSync(path.dirname(path.join(dir, rel)), {recursive: true})
    writeFileSync(path.join(dir, rel), text)
  }
  const main = []
  const subs = {pkgA: [], pkgB: []}
  for (let i = 0; i < pages; i++) {
    const sub = i > 2 && i % 10 === 0 ? (i % 20 === 0 ? 'pkgA' : 'pkgB') : null
    const route = i === 1 ? 'pages/elder/index' : `pages/p${i}/index`
    if (sub) subs[sub].push(route)
    else main.push(route)
    const base = sub ? `${sub}/${route}` : route
    const items = Array.from({length: 12}, (_, k) => `  <view class="item item-${k % 4}" bindtap="open" data-id="${k}">\n    <image class="icon" src="/images/i${k % 4}.png" aria-label="事项图标 ${k}" />\n    <text class="name">事项 ${i}-${k} {{items[${k}].name}}</text>\n  </view>`).join('\n')
    const top = i === 0 ? '  <navigator class="switch" url="/pages/elder/index">长辈版</navigator>\n' : ''
    w(`${base}.wxml`, `${i === 1 ? '<page-meta root-font-size="system"></page-meta>\n' : ''}<view class="page">\n${top}  <text class="title">第 ${i} 页</text>\n${items}\n  <label><text>查询</text><input class="q" placeholder="输入关键词" /></label>\n  <button class="btn" bindtap="submit">提交</button>\n</view>\n`)
    w(`${base}.wxss`, `.page { padding: 32rpx; font-size: 40rpx; }\n.item { min-height: 128rpx; line-height: 128rpx; }\n.item-${i % 4} .name { color: #1f1f1f; }\n.title { font-size: 48rpx; font-weight: bold; }\n.btn { min-height: 128rpx; line-height: 128rpx; background-color: #0b5394; color: #ffffff; }\n.icon { width: 64rpx; height: 64rpx; }\n`)
    w(`${base}.js`, `const {request} = require('${'../'.repeat(base.split('/').length - 1)}utils/request.js')\n\nPage({\n  data: {items: []},\n  onLoad(q) {\n    request('/pages/${i}', q).then((items) => this.setData({items}))\n  },\n  open(e) {\n    wx.navigateTo({url: '/pages/p${(i + 1) % pages}/index?id=' + e.currentTarget.dataset.id})\n  },\n  submit() {\n    wx.showToast({title: '已提交'})\n  },\n})\n`)
    w(`${base}.json`, JSON.stringify({navigationBarTitleText: `第 ${i} 页`}))
    if (imageBytes) w(`${sub ? sub + '/' : ''}images/page${i}.png`, Buffer.alloc(imageBytes, i % 251))
  }
  for (let k = 0; k < extraFiles; k++) w(`assets/data${k}.json`, JSON.stringify({k, url: 'https://gjj.taiyuan.gov.cn/api/x'}))
  for (let k = 0; k < 4; k++) w(`images/i${k}.png`, Buffer.alloc(512, k))
  w('utils/request.js', "const API = 'https://gjj.taiyuan.gov.cn/api'\nmodule.exports = {request: (p, data) => new Promise((resolve) => wx.request({url: API + p, data, success: (r) => resolve(r.data)}))}\n")
  w('app.js', 'App({})\n')
  w('app.wxss', 'page { font-size: 32rpx; color: #222222; background-color: #ffffff; }\n')
  w('app.json', JSON.stringify({pages: main, subpackages: Object.entries(subs).filter(([, p]) => p.length).map(([root, p]) => ({root, pages: p}))}, null, 2))
  w('project.config.json', JSON.stringify({appid: 'wx00000000bench000', compileType: 'miniprogram'}))
}

function oneCore(args) {
  const taskset = spawnSync('taskset', ['--version'], {stdio: 'ignore'}).status === 0
  return taskset ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args]
}

/** Runs sjt and samples its peak resident memory (VmHWM) from /proc. */
function peakRss(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, stdio: ['ignore', 'ignore', 'ignore']})
    let peak = 0
    const read = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
        if (m) peak = Math.max(peak, Number(m[1]))
      } catch {
        // exited
      }
    }
    const timer = setInterval(read, 20)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearInterval(timer)
      resolve({code, peakMiB: peak / 1024})
    })
  })
}

export async function run({rounds = 5} = {}) {
  printMachine()
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-mp-'))
  try {
    const small = path.join(tmp, 'p200')
    generateProject(small, {pages: 200})
    const out = path.join(tmp, 'out')
    const [cmd, args] = oneCore([BIN, 'check', 'miniprogram', small, '--json', '--out', out])
    const [ncmd, nargs] = oneCore(['-e', '0'])
    const t = await interleave(rounds, () => timeCommand(cmd, args, {cwd: tmp}).ms, () => timeCommand(ncmd, nargs).ms)
    const results = [{name: 'check miniprogram, 200 pages, one core (ms)', sjt: Math.round(t.a), anchor: Math.round(t.b), anchorName: 'node -e 0', ratio: t.ratio, unit: 'ms', goal: '≤ 2000 ms', met: t.a <= 2000}]

    const big = path.join(tmp, 'p20mb')
    // 400 pages × (wxml, wxss, js, json, a 48 KB image) + 5 files of shared code and images ≈ 2,000 files, 20 MB.
    generateProject(big, {pages: 400, imageBytes: 48 * 1024, extraFiles: 0})
    const du = spawnSync('du', ['-sb', big], {encoding: 'utf8'}).stdout.split('\t')[0]
    const files = spawnSync('sh', ['-c', `find "${big}" -type f | wc -l`], {encoding: 'utf8'}).stdout.trim()
    const mem = await peakRss(['check', 'miniprogram', big, '--json', '--out', out], tmp)
    const smallMem = await peakRss(['check', 'miniprogram', path.join(ROOT, 'fixtures/rules/MP-001/pass'), '--json', '--out', out], tmp)
    results.push({name: `check miniprogram, ${files} files / ${(Number(du) / 2 ** 20).toFixed(1)} MB: peak RSS (MiB)`, sjt: Math.round(mem.peakMiB), anchor: Math.round(smallMem.peakMiB), anchorName: 'a 9-file project', ratio: mem.peakMiB / smallMem.peakMiB, unit: 'MiB', goal: '≤ 2× the tiny project', met: mem.peakMiB <= 2 * smallMem.peakMiB})
    for (const r of results) console.log(`${r.name}: sjt ${r.sjt} ${r.unit} vs ${r.anchorName} ${r.anchor} ${r.unit} → ${r.ratio.toFixed(2)}× (goal ${r.goal}: ${r.met ? 'met' : 'not met'})`)
    return results
  } finally {
    rmSync(tmp, {recursive: true, force: true})
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
