// SARIF 2.1.0 for code scanning. One run; `tool.driver.rules` holds every rule that produced a
// finding, with its title, clause, help text and a help URI into the rule documentation
// (<docs base>/rules.md#<rule id in lower case>; the base is SJT_DOCS_URL, else
// https://sjt.example/docs/). Results are the failures (error → error, warn → warning,
// info → note) and the waived findings (with an external, accepted suppression that carries
// the waiver's reason and expiry). Each result is located in sjt.yaml / openapi.yaml with line
// and column, or in the page URL (the CSS selector as a logical location); a stable
// partialFingerprint (rule id + location) lets scanners follow it across runs, and
// baselineState says new or unchanged when a baseline was given. Findings that could not be
// judged, and waivers that expired or match nothing, are notifications of the invocation.
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import type {Invocation, Location as SarifLocation, Log, Notification, ReportingDescriptor, Result} from 'sarif'
import {findingKey} from '../core/result.js'
import {LANGS, t} from '../lib/i18n/index.js'
import type {Finding, ResultDocument, Severity} from '../core/types.js'
import {CATEGORIES} from '../core/types.js'
import type {RenderOptions} from './index.js'
import {localized, reportLang, ruleHelp, ruleIndex, ruleTitle, waiverWarnings, where} from './common.js'

export const extension = 'sarif'

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json'

export function docsBase(env: NodeJS.ProcessEnv = process.env): string {
  const b = env.SJT_DOCS_URL && /^https?:\/\//.test(env.SJT_DOCS_URL) ? env.SJT_DOCS_URL : 'https://sjt.example/docs/'
  return b.endsWith('/') ? b : b + '/'
}

export function ruleHelpUri(ruleId: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${docsBase(env)}rules.md#${encodeURIComponent(ruleId.toLowerCase())}`
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {error: 'error', warn: 'warning', info: 'note'}

/** A file path as a SARIF URI: relative paths stay relative (forward slashes), absolute become file: URLs. */
export function fileUri(file: string): string {
  if (path.isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file)) return pathToFileURL(file).href
  return file
    .split(/[\\/]+/)
    .map((s) => encodeURIComponent(s))
    .join('/')
}

function isUrl(s: string): boolean {
  try {
    const u = new URL(s)
    return /^[a-z][a-z0-9+.-]*:$/.test(u.protocol)
  } catch {
    return false
  }
}

function locationOf(f: Finding, doc: ResultDocument): SarifLocation[] {
  const l = f.location
  if (l?.file) {
    const loc: SarifLocation = {physicalLocation: {artifactLocation: {uri: fileUri(l.file), ...(path.isAbsolute(l.file) ? {} : {uriBaseId: '%SRCROOT%'})}}}
    if (l.line) loc.physicalLocation!.region = {startLine: l.line, ...(l.column ? {startColumn: l.column} : {})}
    if (l.pointer !== undefined && l.pointer !== '') loc.logicalLocations = [{fullyQualifiedName: l.pointer, kind: 'member'}]
    return [loc]
  }
  if (l?.url && isUrl(l.url)) {
    const loc: SarifLocation = {physicalLocation: {artifactLocation: {uri: new URL(l.url).href}}}
    if (l.selector) loc.logicalLocations = [{fullyQualifiedName: l.selector, kind: 'element'}]
    return [loc]
  }
  // No position of its own: the manifest (or the checked page) stands for the app.
  const message = l?.selector || l?.url ? {text: [l.url, l.selector].filter(Boolean).join(' ')} : undefined
  if (doc.inputs?.manifest) return [{physicalLocation: {artifactLocation: {uri: fileUri(doc.inputs.manifest), ...(path.isAbsolute(doc.inputs.manifest) ? {} : {uriBaseId: '%SRCROOT%'})}}, ...(message ? {message} : {})}]
  if (doc.inputs?.url && isUrl(doc.inputs.url)) return [{physicalLocation: {artifactLocation: {uri: new URL(doc.inputs.url).href}}, ...(message ? {message} : {})}]
  return []
}

export async function render(doc: ResultDocument, opts: RenderOptions): Promise<string> {
  return JSON.stringify(buildSarif(doc, opts), null, 2) + '\n'
}

export function buildSarif(doc: ResultDocument, opts: Partial<RenderOptions> = {}): Log {
  const lang = reportLang(doc, opts)
  const rules = ruleIndex(doc, lang)
  const ids = [...new Set(doc.findings.map((f) => f.ruleId))].sort(
    (a, b) =>
      CATEGORIES.indexOf(doc.findings.find((f) => f.ruleId === a)!.category) - CATEGORIES.indexOf(doc.findings.find((f) => f.ruleId === b)!.category) ||
      a.localeCompare(b, 'en', {numeric: true}),
  )
  const index = new Map(ids.map((id, i) => [id, i]))
  const descriptors: ReportingDescriptor[] = ids.map((id) => {
    const sample = doc.findings.find((f) => f.ruleId === id)!
    const def = rules.get(id)
    const title = ruleTitle(rules, id, lang)
    const help = ruleHelp(rules, id, lang)
    const clause = def?.clause ?? sample.clause
    const helpText = [help, `${t(lang, 'report.sarif.source')}: ${clause}`].filter(Boolean).join('\n')
    const helpMd = [help, `**${t(lang, 'report.sarif.source')}**: ${clause}`].filter(Boolean).join('\n\n')
    const sev = def && def.severity !== 'off' ? def.severity : sample.severity
    return {
      id,
      name: id.replace(/-/g, ''),
      shortDescription: {text: title},
      fullDescription: {text: `${title} (${clause})`},
      help: {text: helpText, markdown: helpMd},
      helpUri: ruleHelpUri(id),
      defaultConfiguration: {level: LEVEL[sev as Severity] ?? 'warning'},
      properties: {
        category: sample.category,
        clause,
        tags: ['sjt', sample.category],
        ...(def?.title ? Object.fromEntries(LANGS.filter((l) => l !== lang).map((l) => [`title.${l}`, localized(def.title, l)])) : {}),
        ...(def ? {weight: def.weight} : {}),
      },
    }
  })

  const results: Result[] = []
  const faults: Notification[] = []
  for (const f of doc.findings) {
    if (f.status === 'error') {
      faults.push({level: 'warning', message: {text: `${f.ruleId}: ${f.message}${where(f) ? ` (${where(f)})` : ''}`}, associatedRule: {id: f.ruleId, index: index.get(f.ruleId)}, ...(locationOf(f, doc).length ? {locations: locationOf(f, doc)} : {})})
      continue
    }
    if (f.status !== 'fail' && f.status !== 'waived') continue
    const r: Result = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      kind: 'fail',
      level: LEVEL[f.severity],
      message: {text: f.message || f.ruleId},
      locations: locationOf(f, doc),
      partialFingerprints: {'sjtFindingKey/v1': findingKey(f)},
      properties: {category: f.category, severity: f.severity, status: f.status, clause: f.clause, ...(f.evidence ? {evidence: f.evidence} : {})},
    }
    if (r.locations!.length === 0) delete r.locations
    if (f.baseline) r.baselineState = f.baseline === 'new' ? 'new' : 'unchanged'
    if (f.status === 'waived') {
      const w = f.waiver
      r.suppressions = [
        {
          kind: 'external',
          status: 'accepted',
          justification: w ? `${w.reason}${w.owner ? ` (${w.owner})` : ''}; expires ${w.expires}` : 'waived',
          properties: w ? {owner: w.owner, expires: w.expires} : {},
        },
      ]
    }
    results.push(r)
  }

  const configNotes: Notification[] = waiverWarnings(doc, lang).map((w) => ({
    level: 'warning',
    message: {text: w.text},
    descriptor: {id: w.waiver.state === 'expired' ? 'sjt/waiver-expired' : 'sjt/waiver-unused'},
    ...(index.has(w.waiver.rule.toUpperCase()) ? {associatedRule: {id: w.waiver.rule.toUpperCase(), index: index.get(w.waiver.rule.toUpperCase())}} : {associatedRule: {id: w.waiver.rule.toUpperCase()}}),
  }))
  const invocation: Invocation = {
    executionSuccessful: !Object.values(doc.categories).some((c) => c?.status === 'error'),
    startTimeUtc: doc.startedAt,
    endTimeUtc: new Date(Date.parse(doc.startedAt) + doc.durationMs).toISOString(),
    ...(configNotes.length ? {toolConfigurationNotifications: configNotes} : {}),
    ...(faults.length ? {toolExecutionNotifications: faults} : {}),
  }

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sjt',
            fullName: `sjt ${doc.tool.version} (${doc.profile.name} ${doc.profile.version})`,
            version: doc.tool.version,
            semanticVersion: /^\d+\.\d+\.\d+/.test(doc.tool.version) ? doc.tool.version : undefined,
            informationUri: docsBase(),
            rules: descriptors,
          },
        },
        automationDetails: {id: `sjt/${doc.app.id}/`},
        invocations: [invocation],
        language: lang,
        results,
        properties: {
          app: doc.app,
          profile: doc.profile,
          verdict: doc.verdict,
          failOn: doc.failOn,
          categories: doc.categories,
          digest: doc.digest,
          ...(doc.baseline ? {baseline: doc.baseline} : {}),
        },
      },
    ],
  }
}
