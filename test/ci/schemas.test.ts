// The CI files validate against the schemas the services publish (vendored in test/ci/schemas,
// see its README): GitHub's action and workflow schemas and GitLab's CI schema.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import Ajv from 'ajv'
import addFormatsModule from 'ajv-formats'
import YAML from 'yaml'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/cli'

const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv

function validator(name: string) {
  // The published schemas are draft-07: the default Ajv class, not the 2020-12 one.
  const ajv = new Ajv({strict: false, allErrors: true, allowUnionTypes: true, validateSchema: false})
  addFormats(ajv)
  return ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'test', 'ci', 'schemas', `${name}.json`), 'utf8')))
}

const load = (rel: string) => YAML.parse(readFileSync(path.join(ROOT, rel), 'utf8'))
const explain = (v: any) => JSON.stringify(v.errors?.slice(0, 5), null, 2)

describe('published schemas', () => {
  const action = validator('github-action')
  const workflow = validator('github-workflow')
  const gitlab = validator('gitlab-ci')

  it('action.yml is a valid GitHub action', () => {
    expect(action(load('action.yml')), explain(action)).toBe(true)
  })

  it.each(['.github/workflows/sjt-example.yml', 'ci/github/sjt.yml'])('%s is a valid GitHub workflow', (f) => {
    expect(workflow(load(f)), explain(workflow)).toBe(true)
  })

  it('ci/gitlab/sjt.gitlab-ci.yml is a valid GitLab CI file', () => {
    expect(gitlab(load('ci/gitlab/sjt.gitlab-ci.yml')), explain(gitlab)).toBe(true)
  })

  it('the schemas do reject broken files', () => {
    const a = load('action.yml')
    delete a.runs.steps.find((s: any) => s.run).shell
    expect(action(a)).toBe(false)
    const w = load('ci/github/sjt.yml')
    w.jobs.check['runs-on'] = undefined
    w.jobs.check.steps = 'not a list'
    expect(workflow(w)).toBe(false)
    const g = load('ci/gitlab/sjt.gitlab-ci.yml')
    g['sjt-check'].artifacts.reports.junit = 42
    expect(gitlab(g)).toBe(false)
    const g2 = load('ci/gitlab/sjt.gitlab-ci.yml')
    g2['sjt-audit'].parallel = 500
    expect(gitlab(g2)).toBe(false)
  })

  it('the example workflow in this repository runs only by hand', () => {
    const w = load('.github/workflows/sjt-example.yml')
    expect(Object.keys(w.on)).toEqual(['workflow_dispatch'])
    expect(w.jobs.sjt.steps.some((s: any) => s.uses === './')).toBe(true)
  })
})

describe('versions', () => {
  const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version
  it('the templates install the version of sjt they ship with', () => {
    expect(readFileSync(path.join(ROOT, 'ci/gitlab/sjt.gitlab-ci.yml'), 'utf8')).toContain(`SJT_PACKAGE: "sjt@${version}"`)
    expect(readFileSync(path.join(ROOT, 'ci/jenkins/Jenkinsfile'), 'utf8')).toContain(`SJT_PACKAGE = 'sjt@${version}'`)
    expect(readFileSync(path.join(ROOT, 'ci/github/sjt.yml'), 'utf8')).toContain(`/sjt@v${version}`)
  })

  it('every action the composite action uses is pinned to a version', () => {
    for (const s of load('action.yml').runs.steps) if (s.uses) expect(s.uses).toMatch(/@v\d+(\.\d+)*$|@[0-9a-f]{40}$/)
  })
})
