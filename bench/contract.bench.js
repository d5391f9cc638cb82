// Time to lint a real-world-size contract (~300 operations): `sjt check contract` on a temporary
// app folder vs `spectral lint` with the spectral:oas ruleset on the same file. Runs are
// interleaved (A B A B …); the median of each is reported, with the ratio sjt / spectral.
//   node bench/contract.bench.js [runs]      (after `npm run build` and `npm run bench:setup`)
// A second row does the same on a large multi-file contract with operation-level $refs.
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {stringify} from 'yaml'
import {median, timeCommand} from './lib.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SPECTRAL = path.join(ROOT, 'bench', 'anchors', 'node_modules', '.bin', 'spectral')

/** A contract shaped like a department's real one: ~300 operations, shared schemas, $refs, examples. */
export function generateContract(operations = 300) {
  const schemas = {
    Envelope: {type: 'object', required: ['code', 'message', 'data'], properties: {code: {type: 'string'}, message: {type: 'string'}, data: {}}},
    Error: {allOf: [{$ref: '#/components/schemas/Envelope'}, {type: 'object', properties: {data: {type: 'null'}}}]},
  }
  const paths = {}
  const resources = Math.ceil(operations / 5)
  for (let i = 0; i < resources; i++) {
    const name = `Resource${i}`
    schemas[name] = {
      type: 'object',
      required: ['id', 'title', 'status', 'updatedAt'],
      properties: {
        id: {type: 'string', pattern: '^[0-9A-Za-z-]{8,64}$'},
        title: {type: 'string', maxLength: 200, description: `资源 ${i} 的名称`},
        status: {type: 'string', enum: ['draft', 'submitted', 'accepted', 'completed', 'rejected']},
        amount: {type: 'number', minimum: 0},
        tags: {type: 'array', items: {type: 'string'}},
        owner: {type: 'object', properties: {department: {type: 'string'}, regionCode: {type: 'string', pattern: '^14\\d{4}$'}}},
        updatedAt: {type: 'string', format: 'date-time'},
      },
    }
    const one = {allOf: [{$ref: '#/components/schemas/Envelope'}, {type: 'object', properties: {data: {$ref: `#/components/schemas/${name}`}}}]}
    const list = {allOf: [{$ref: '#/components/schemas/Envelope'}, {type: 'object', properties: {data: {type: 'array', items: {$ref: `#/components/schemas/${name}`}}}}]}
    const errors = {'400': {$ref: '#/components/responses/Error'}, '401': {$ref: '#/components/responses/Error'}, '500': {$ref: '#/components/responses/Error'}}
    const json = (schema) => ({'application/json': {schema}})
    const tag = [`group${i % 12}`]
    paths[`/resources${i}`] = {
      get: {operationId: `list${name}`, summary: `列出资源 ${i}`, description: '分页列出', tags: tag, parameters: [{name: 'page', in: 'query', schema: {type: 'integer', minimum: 1}}, {name: 'size', in: 'query', schema: {type: 'integer', maximum: 100}}], responses: {'200': {description: 'ok', content: json(list)}, ...errors}},
      post: {operationId: `create${name}`, summary: `新建资源 ${i}`, description: '新建', tags: tag, requestBody: {required: true, content: json({$ref: `#/components/schemas/${name}`})}, responses: {'200': {description: 'ok', content: json(one)}, ...errors}},
    }
    paths[`/resources${i}/{id}`] = {
      parameters: [{name: 'id', in: 'path', required: true, schema: {type: 'string'}, example: 'TY-0001-0001'}],
      get: {operationId: `get${name}`, summary: `查询资源 ${i}`, description: '查询', tags: tag, responses: {'200': {description: 'ok', content: json(one)}, ...errors}},
      put: {operationId: `update${name}`, summary: `修改资源 ${i}`, description: '修改', tags: tag, requestBody: {required: true, content: json({$ref: `#/components/schemas/${name}`})}, responses: {'200': {description: 'ok', content: json(one)}, ...errors}},
      delete: {operationId: `delete${name}`, summary: `删除资源 ${i}`, description: '删除', tags: tag, responses: {'200': {description: 'ok', content: json({$ref: '#/components/schemas/Envelope'})}, ...errors}},
    }
  }
  return {
    openapi: '3.0.3',
    info: {title: 'benchmark contract', version: '1.0.0', description: 'generated', contact: {name: 'ops', email: 'ops@example.gov.cn'}},
    // a closed loopback port: the live probe ends at once (connection refused) instead of going online
    servers: [{url: 'https://127.0.0.1:9/api'}],
    tags: Array.from({length: 12}, (_, i) => ({name: `group${i}`, description: `group ${i}`})),
    security: [{bearerAuth: []}],
    paths,
    components: {
      securitySchemes: {bearerAuth: {type: 'http', scheme: 'bearer'}},
      schemas,
      responses: {Error: {description: 'error', content: {'application/json': {schema: {$ref: '#/components/schemas/Error'}}}}},
    },
  }
}


/**
 * A large multi-file contract (fixtures/contracts/multifile/generate.mjs: 315 operations, each in
 * its own file behind an operation-level $ref, ~500 files): `sjt check contract` with the file
 * limit raised so the whole contract is read, vs `spectral lint` on the same main file (Spectral
 * follows the relative $refs itself).
 */
export async function runMultifile(runs = 5) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-multifile-'))
  const {generate} = await import(pathToFileURL(path.join(ROOT, 'fixtures', 'contracts', 'multifile', 'generate.mjs')).href)
  const {operations, main} = generate(path.join(dir, 'spec'))
  const manifest = readFileSync(path.join(ROOT, 'fixtures', 'apps', 'sample', 'sjt.yaml'), 'utf8').replace(/^contract: .*$/m, 'contract: ./spec/openapi.yaml')
  writeFileSync(path.join(dir, 'sjt.yaml'), manifest)
  mkdirSync(path.join(dir, 'profile'))
  writeFileSync(path.join(dir, 'profile', 'profile.yaml'), 'name: bench-big\nversion: "1"\ntitle: {zh-CN: 大契约, en: large contracts}\nextends: shanxi-2022\noverrides:\n  API-001:\n    params:\n      maxFiles: 1000\n')
  writeFileSync(path.join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n')
  const files = readdirSync(path.join(dir, 'spec'), {recursive: true}).filter((f) => /\.ya?ml$/.test(String(f))).length
  const hasSpectral = existsSync(SPECTRAL)
  const sjtArgs = [path.join(ROOT, 'bin', 'run.js'), 'check', 'contract', dir, '--json', '--out', path.join(dir, 'reports'), '--probe-requests', '1', '--api-base', 'http://127.0.0.1:9', '--profile', path.join(dir, 'profile')]
  const spectralArgs = ['lint', '--ruleset', path.join(dir, '.spectral.yaml'), '--format', 'json', '--quiet', main]
  const a = []
  const b = []
  timeCommand(process.execPath, sjtArgs, {cwd: dir})
  if (hasSpectral) timeCommand(SPECTRAL, spectralArgs, {cwd: dir})
  for (let i = 0; i < runs; i++) {
    const s = timeCommand(process.execPath, sjtArgs, {cwd: dir})
    if (s.status !== 0 && s.status !== 1) throw new Error(`sjt exited ${s.status}`)
    a.push(s.ms)
    if (hasSpectral) b.push(timeCommand(SPECTRAL, spectralArgs, {cwd: dir}).ms)
  }
  const sjt = Math.round(median(a))
  const anchor = hasSpectral ? Math.round(median(b)) : null
  const result = {name: `contract lint, multi-file: ${operations} operations behind operation $refs, ${files} files`, sjt, anchor, anchorName: 'spectral lint (spectral:oas) 6.16.3', ratio: anchor ? Math.round((sjt / anchor) * 100) / 100 : null, unit: 'ms', goal: '≤ 1.0×', met: anchor ? sjt / anchor <= 1 : undefined}
  console.log(`${result.name}: median of ${runs}, interleaved`)
  console.log(`  sjt check contract      ${sjt} ms   runs: ${a.map((x) => Math.round(x)).join(' ')}`)
  if (anchor) console.log(`  spectral lint (oas)     ${anchor} ms   runs: ${b.map((x) => Math.round(x)).join(' ')}`)
  else console.log(`  spectral lint           not installed at ${SPECTRAL} (npm run bench:setup)`)
  if (result.ratio !== null) console.log(`  ratio sjt / spectral    ${result.ratio}  (below 1 = sjt faster)`)
  return result
}

export async function run(runs = 5) {
  return [runSingle(runs), await runMultifile(runs)]
}

export function runSingle(runs = 5) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-bench-contract-'))
  const doc = generateContract(300)
  const file = path.join(dir, 'openapi.yaml')
  writeFileSync(file, stringify(doc))
  const manifest = readFileSync(path.join(ROOT, 'fixtures', 'apps', 'sample', 'sjt.yaml'), 'utf8').replace(/^contract: .*$/m, 'contract: ./openapi.yaml')
  writeFileSync(path.join(dir, 'sjt.yaml'), manifest)
  writeFileSync(path.join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n')
  const ops = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).filter((k) => k !== 'parameters').length, 0)
  const hasSpectral = existsSync(SPECTRAL)
  const sjtArgs = [path.join(ROOT, 'bin', 'run.js'), 'check', 'contract', dir, '--json', '--out', path.join(dir, 'reports'), '--probe-requests', '1']
  const spectralArgs = ['lint', '--ruleset', path.join(dir, '.spectral.yaml'), '--format', 'json', '--quiet', file]
  const a = []
  const b = []
  // one warm-up each (file cache, JIT of the loaders), not counted
  timeCommand(process.execPath, sjtArgs, {cwd: dir})
  if (hasSpectral) timeCommand(SPECTRAL, spectralArgs, {cwd: dir})
  for (let i = 0; i < runs; i++) {
    const s = timeCommand(process.execPath, sjtArgs, {cwd: dir})
    if (s.status !== 0 && s.status !== 1) throw new Error(`sjt exited ${s.status}`)
    a.push(s.ms)
    if (hasSpectral) b.push(timeCommand(SPECTRAL, spectralArgs, {cwd: dir}).ms)
  }
  const sjt = Math.round(median(a))
  const anchor = hasSpectral ? Math.round(median(b)) : null
  const result = {name: `contract lint, ${ops} operations (${(Buffer.byteLength(stringify(doc)) / 1024).toFixed(0)} KiB YAML)`, sjt, anchor, anchorName: 'spectral lint (spectral:oas) 6.16.3', ratio: anchor ? Math.round((sjt / anchor) * 100) / 100 : null, unit: 'ms', goal: '≤ 1.0×', met: anchor ? sjt / anchor <= 1 : undefined}
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${os.platform()} ${os.release()}`)
  console.log(`${result.name}: median of ${runs}, interleaved`)
  console.log(`  sjt check contract      ${sjt} ms   runs: ${a.map((x) => Math.round(x)).join(' ')}`)
  if (anchor) console.log(`  spectral lint (oas)     ${anchor} ms   runs: ${b.map((x) => Math.round(x)).join(' ')}`)
  else console.log(`  spectral lint           not installed at ${SPECTRAL} (npm run bench:setup)`)
  if (result.ratio !== null) console.log(`  ratio sjt / spectral    ${result.ratio}  (below 1 = sjt faster)`)
  return result
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run(Number(process.argv[2] ?? 5))
