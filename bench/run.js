// `npm run bench`: runs every bench/*.bench.js (each exports run() → result or results), then
// writes bench/results/latest.json and bench/results/latest.md: sjt's figure, the anchor's figure
// on the same input in the same run, and the ratio. Figures, never assertions.
// `node bench/run.js manifest contract` runs only those.
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {machine, ROOT} from './lib.js'

const only = process.argv.slice(2)
const files = readdirSync(path.join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort()

const m = machine()
const rows = []
for (const f of files) {
  console.log(`\n## ${f}`)
  try {
    const mod = await import(path.join(ROOT, 'bench', f))
    const out = await mod.run()
    for (const r of [out].flat()) rows.push({bench: f, ...r})
  } catch (error) {
    console.log(`${f} failed: ${error.message}`)
    rows.push({bench: f, name: f, error: error.message.split('\n')[0]})
  }
}

const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? Math.round(v).toString() : v.toFixed(2)) : (v ?? ''))
const md = [
  `# sjt benchmarks`,
  '',
  `${new Date().toISOString()} · ${m.cores} cores (${m.cpu}) · ${m.memGiB} GiB · Node ${m.node} · ${m.chromium}`,
  '',
  '| measure | sjt | anchor | anchor figure | ratio | goal | met |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => (r.error ? `| ${r.name} | error: ${r.error} | | | | | |` : `| ${r.name} | ${fmt(r.sjt)} ${r.unit ?? ''} | ${r.anchorName ?? ''} | ${fmt(r.anchor)} ${r.unit ?? ''} | ${fmt(r.ratio)}× | ${r.goal ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'no'} |`)),
  '',
].join('\n')
mkdirSync(path.join(ROOT, 'bench/results'), {recursive: true})
writeFileSync(path.join(ROOT, 'bench/results/latest.json'), JSON.stringify({machine: m, at: new Date().toISOString(), results: rows}, null, 2) + '\n')
writeFileSync(path.join(ROOT, 'bench/results/latest.md'), md)
console.log('\n' + md)
