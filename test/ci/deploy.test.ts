// The worker deployment templates (docs/workers.md): the Kubernetes Deployment against a strict
// subset of the apps/v1 schema, the systemd unit's sections and keys, and in both the `sjt worker`
// command line against the command's own flags, the grace periods, and no credential in the files.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import Ajv from 'ajv'
import YAML from 'yaml'
import {describe, expect, it} from 'vitest'
import Worker from '../../src/commands/worker.js'
import {ROOT} from '../helpers/cli'

const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8')

/** Check `worker …` arguments against the command's flags: every flag exists, integers in range. */
function checkWorkerArgs(argv: string[]): Record<string, string> {
  expect(argv[0]).toBe('worker')
  const flags = Worker.flags as Record<string, {type: string; min?: number; max?: number}>
  const values: Record<string, string> = {}
  for (let i = 1; i < argv.length; i++) {
    const m = /^--([a-z-]+)$/.exec(argv[i])
    expect(m, `${argv[i]} is not a --flag`).not.toBeNull()
    const flag = flags[m![1]]
    expect(flag, `sjt worker has no --${m![1]}`).toBeDefined()
    if (flag.type === 'boolean') continue
    const v = argv[++i]
    expect(v, `--${m![1]} needs a value`).toBeDefined()
    values[m![1]] = v
    if (m![1] === 'concurrency' || m![1] === 'grace') {
      expect(Number.isInteger(Number(v))).toBe(true)
      expect(Number(v)).toBeGreaterThanOrEqual((flag as any).min ?? 0)
      expect(Number(v)).toBeLessThanOrEqual((flag as any).max ?? Infinity)
    }
  }
  // The database URL comes from the environment (a secret), never from the command line.
  expect(values.db).toBeUndefined()
  expect(values['database-url']).toBeUndefined()
  return values
}

describe('ci/deploy/worker-deployment.yaml', () => {
  const text = read('ci/deploy/worker-deployment.yaml')
  const doc = YAML.parse(text)
  const schema = JSON.parse(read('test/ci/schemas/k8s-deployment-subset.json'))
  const validate = new Ajv({allErrors: true, strict: false}).compile(schema)

  it('is an apps/v1 Deployment within the checked subset', () => {
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true)
  })

  it('the subset does refuse a broken Deployment', () => {
    const broken = structuredClone(doc)
    broken.spec.template.spec.containers[0].enviroment = []
    delete broken.spec.selector
    expect(validate(broken)).toBe(false)
  })

  it('selects its own pods, runs sjt worker with real flags, and outlasts --grace on SIGTERM', () => {
    expect(Object.keys(doc.spec.selector.matchLabels).length).toBeGreaterThan(0)
    for (const [k, v] of Object.entries(doc.spec.selector.matchLabels)) expect(doc.spec.template.metadata.labels[k]).toBe(v)
    const c = doc.spec.template.spec.containers[0]
    expect(c.command).toEqual(['sjt'])
    const values = checkWorkerArgs(c.args)
    expect(doc.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(Number(values.grace))
    const mounts = c.volumeMounts.map((m: any) => m.mountPath)
    expect(mounts.some((m: string) => values.apps === m || values.apps.startsWith(m + '/'))).toBe(true)
    expect(mounts.some((m: string) => values.config.startsWith(m + '/'))).toBe(true)
    const url = c.env.find((e: any) => e.name === 'SJT_DATABASE_URL')
    expect(url.valueFrom.secretKeyRef).toBeDefined()
    expect(text).not.toMatch(/postgres(ql)?:\/\/[^\s"'…]*:[^\s"'@…]+@/)
  })
})

describe('ci/deploy/sjt-worker.service', () => {
  const text = read('ci/deploy/sjt-worker.service')
  const sections: Record<string, Record<string, string[]>> = {}
  let current = ''
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const s = /^\[([A-Za-z]+)\]$/.exec(line)
    if (s) {
      current = s[1]
      sections[current] ??= {}
      continue
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line)
    expect(kv, `not a Key=value line: ${line}`).not.toBeNull()
    expect(current, `${line} is outside a section`).not.toBe('')
    ;(sections[current][kv![1]] ??= []).push(kv![2])
  }

  it('has the sections and keys of a long-running service unit', () => {
    expect(Object.keys(sections).sort()).toEqual(['Install', 'Service', 'Unit'])
    const known: Record<string, string[]> = {
      Unit: ['Description', 'Documentation', 'Wants', 'After', 'Requires'],
      Service: ['Type', 'User', 'Group', 'WorkingDirectory', 'EnvironmentFile', 'Environment', 'ExecStart', 'KillSignal', 'KillMode', 'TimeoutStopSec', 'Restart', 'RestartSec', 'RestartPreventExitStatus', 'NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp', 'ReadWritePaths', 'MemoryMax'],
      Install: ['WantedBy'],
    }
    for (const [sec, keys] of Object.entries(sections)) for (const k of Object.keys(keys)) expect(known[sec], `[${sec}] ${k}`).toContain(k)
    expect(sections.Service.Type).toEqual(['simple'])
    expect(sections.Service.KillSignal).toEqual(['SIGTERM'])
    expect(sections.Service.Restart).toEqual(['on-failure'])
    expect(sections.Install.WantedBy).toEqual(['multi-user.target'])
  })

  it('runs sjt worker with real flags, the URL from the environment file, and outlasts --grace', () => {
    const exec = sections.Service.ExecStart[0].split(/\s+/)
    expect(exec.slice(0, 2)).toEqual(['/usr/bin/env', 'sjt'])
    const values = checkWorkerArgs(exec.slice(2))
    expect(Number(sections.Service.TimeoutStopSec[0])).toBeGreaterThan(Number(values.grace))
    expect(sections.Service.EnvironmentFile[0]).toMatch(/^\//)
    expect(sections.Service.RestartPreventExitStatus).toEqual(['2'])
    // No credential in the unit itself (comments may show the environment file's form).
    for (const [, keys] of Object.entries(sections)) for (const vs of Object.values(keys)) for (const v of vs) expect(v).not.toMatch(/postgres(ql)?:\/\//)
  })
})

describe('docs/workers.md', () => {
  it('shows a queue: block the config schema accepts, with the settings the workers read', async () => {
    const {schemaValidator} = await import('../../src/lib/schema.js')
    const {queueSettings} = await import('../../src/review/queue/settings.js')
    const md = read('docs/workers.md')
    const block = /```yaml\n(queue:[\s\S]*?)```/.exec(md)
    expect(block).not.toBeNull()
    const cfg = YAML.parse(block![1])
    const validate = schemaValidator('config')
    expect(validate(cfg), JSON.stringify(validate.errors)).toBe(true)
    const s = queueSettings(cfg.queue, 'en')
    expect(s.recheckCron).toBe('0 2 * * *')
    expect(s.categories).not.toContain('perf')
    expect(validate({queue: {recheckCron: '0 2 * * *', retries: 3}})).toBe(false)
  })
})
