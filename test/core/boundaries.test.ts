// The import graph of src/ keeps its layers apart (docs/development.md, "Boundaries"):
// collectors gather, audits judge, the pipeline runs them, commands render. A violated boundary
// names the importing file and what it imports.
import {describe, expect, it} from 'vitest'
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {ROOT} from '../helpers/cli.js'

const SRC = path.join(ROOT, 'src')

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
}

/** Every relative import of a file (static, re-export and dynamic `import('…')`), as src-relative paths. */
function importsOf(file: string): Array<{target: string; typeOnly: boolean}> {
  const text = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '')
  const out: Array<{target: string; typeOnly: boolean}> = []
  const re = /\b(import|export)\s+(type\s+)?(?:[\w*{}\s,$]*?\bfrom\s+)?['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4]
    const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep).join('/').replace(/\.js$/, '.ts')
    out.push({target, typeOnly: Boolean(m[2])})
  }
  return out
}

const graph = files(SRC).map((f) => ({file: path.relative(SRC, f).split(path.sep).join('/'), imports: importsOf(f)}))
const under = (p: string, dir: string) => p === dir || p.startsWith(dir + '/')

function violations(from: string, bad: (target: string, typeOnly: boolean) => boolean): string[] {
  return graph.filter((n) => under(n.file, from)).flatMap((n) => n.imports.filter((i) => bad(i.target, i.typeOnly)).map((i) => `${n.file} → ${i.target}`))
}

describe('import boundaries of src/', () => {
  it('the graph is read (the parser sees static, type-only and dynamic imports)', () => {
    const run = graph.find((n) => n.file === 'core/run.ts')!
    expect(run.imports.map((i) => i.target)).toEqual(expect.arrayContaining(['core/profile.ts', 'artifacts/index.ts', 'core/auth.ts']))
    expect(graph.length).toBeGreaterThan(150)
  })

  it('collectors (src/gather) import nothing from the audits', () => {
    expect(violations('gather', (t) => under(t, 'audits'))).toEqual([])
  })

  it('audits import nothing from the collectors (artifact types come from src/artifacts)', () => {
    expect(violations('audits', (t) => under(t, 'gather'))).toEqual([])
  })

  it('artifacts import only each other and the library', () => {
    expect(violations('artifacts', (t) => !under(t, 'artifacts') && !under(t, 'lib'))).toEqual([])
  })

  it('the library imports nothing from core, collectors, audits, commands, reports, scores or the review service', () => {
    expect(violations('lib', (t) => ['core', 'gather', 'audits', 'commands', 'cli', 'report', 'score', 'review'].some((d) => under(t, d)))).toEqual([])
  })

  it('core imports no reports, scores, commands or command glue, and writes nothing to stdout', () => {
    expect(violations('core', (t) => ['report', 'score', 'commands', 'cli'].some((d) => under(t, d)))).toEqual([])
    const writers = graph.filter((n) => under(n.file, 'core')).filter((n) => /process\.stdout|console\.(log|info|table)\(/.test(readFileSync(path.join(SRC, n.file), 'utf8')))
    expect(writers.map((n) => n.file)).toEqual([])
  })

  it('the review client imports nothing of the review server, its store or queue; what both sides check lives in review/shared', () => {
    expect(violations('review/client', (t) => under(t, 'review') && !under(t, 'review/client') && !under(t, 'review/shared'))).toEqual([])
    expect(violations('review/server', (t) => under(t, 'review/client'))).toEqual([])
    expect(violations('review/shared', (t) => under(t, 'review') && !under(t, 'review/shared'))).toEqual([])
  })
})
