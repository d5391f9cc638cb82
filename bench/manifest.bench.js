// Manifest validation throughput: sjt's validator (compiled schema + error mapping) vs raw ajv on
// the same schema; and `sjt --version` cold start vs `node -e 0`.
// Goals: ≥ 0.8× ajv's throughput; ≤ 4× node's cold start.
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {parse} from 'yaml'
import {Ajv2020} from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import {interleave, printMachine, ROOT, timeCommand} from './lib.js'

function loadManifests() {
  const out = [parse(readFileSync(path.join(ROOT, 'fixtures/apps/sample/sjt.yaml'), 'utf8'))]
  const dir = path.join(ROOT, 'fixtures/rules')
  for (const rule of readdirSync(dir).filter((r) => r.startsWith('MAN-'))) {
    for (const f of readdirSync(path.join(dir, rule)).filter((n) => /^(pass|fail).*\.(ya?ml|json)$/.test(n))) out.push(parse(readFileSync(path.join(dir, rule, f), 'utf8')))
  }
  return out
}

export async function run({rounds = 7} = {}) {
  printMachine()
  const manifests = loadManifests()
  const {validateManifestData} = await import('../dist/audits/manifest/validate.js')
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'standards/schemas/manifest.schema.json'), 'utf8'))
  const ajv = new Ajv2020({allErrors: true, strict: false, allowUnionTypes: true})
  addFormats.default ? addFormats.default(ajv) : addFormats(ajv)
  const raw = ajv.compile(schema)
  validateManifestData(manifests[0]) // compile outside the timing
  const loop = (fn) => () => {
    const n = 20_000
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) fn(manifests[i % manifests.length])
    const s = Number(process.hrtime.bigint() - t0) / 1e9
    return n / s
  }
  const thr = await interleave(rounds, loop(validateManifestData), loop((m) => raw(m)))
  const results = [{name: 'manifest validation throughput (validations/s)', sjt: Math.round(thr.a), anchor: Math.round(thr.b), anchorName: 'raw ajv', ratio: thr.ratio, unit: 'ops/s', goal: '≥ 0.8×', met: thr.ratio >= 0.8}]

  const cold = await interleave(
    Math.max(rounds, 11),
    () => timeCommand(process.execPath, [path.join(ROOT, 'bin/run.js'), '--version']).ms,
    () => timeCommand(process.execPath, ['-e', '0']).ms,
  )
  results.push({name: 'cold start: sjt --version (ms)', sjt: Math.round(cold.a), anchor: Math.round(cold.b), anchorName: 'node -e 0', ratio: cold.ratio, unit: 'ms', goal: '≤ 3×', met: cold.ratio <= 3})
  // Through oclif with its manifest (oclif.manifest.json): the start every command pays.
  const help = await interleave(
    Math.max(rounds, 11),
    () => timeCommand(process.execPath, [path.join(ROOT, 'bin/run.js'), '--help']).ms,
    () => timeCommand(process.execPath, ['-e', '0']).ms,
  )
  results.push({name: 'cold start through oclif: sjt --help (ms)', sjt: Math.round(help.a), anchor: Math.round(help.b), anchorName: 'node -e 0', ratio: help.ratio, unit: 'ms'})
  for (const r of results) console.log(`${r.name}: sjt ${r.sjt} ${r.unit} vs ${r.anchorName} ${r.anchor} ${r.unit} → ${r.ratio.toFixed(2)}×${r.goal ? ` (goal ${r.goal}: ${r.met ? 'met' : 'not met'})` : ''}`)
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
