// Site rules SEC-015 (privacy-policy link), SEC-016 (exposed files) and SEC-018 (the grade).
import type {CheckFn, RawFinding} from '../../core/types.js'
import {t} from '../../lib/i18n/index.js'
import {arr, facts} from './facts.js'
import {computeGrade, gradeRank, readTable} from './grade.js'
import {at, error, fail, fetchError, na, noTargets, pass} from './common.js'
import {pagesOrError} from './pages.js'

const sameDoc = (a: string, b: string) => {
  try {
    const x = new URL(a)
    const y = new URL(b)
    return x.origin === y.origin && x.pathname.replace(/\/index\.html?$/, '/') === y.pathname.replace(/\/index\.html?$/, '/') && x.search === y.search
  } catch {
    return false
  }
}

export const privacyLink: CheckFn = (ctx) => {
  const f = facts(ctx)
  const textRe = new RegExp(String(ctx.params.linkText ?? '隐私|个人信息保护|privacy'), 'i')
  const entryPage = f.pages.find((p) => p.visit.role === 'entry')
  const entryTarget = f.targets.find((tg) => arr<string>(tg.roles).includes('entry'))
  if (!entryPage && (!entryTarget || entryTarget.fetch.error)) {
    return pagesOrError(ctx, f) ?? (entryTarget ? [fetchError(ctx, entryTarget)] : [na(t(ctx.lang, 'SEC.noTargets'))])
  }
  const entryUrl = entryPage?.visit.url ?? entryTarget!.url
  const links = [...(entryPage?.sec.links ?? []), ...arr<{href: string; text: string}>(entryTarget?.links)].filter((l) => typeof l?.href === 'string')
  const declaredTarget = f.targets.find((tg) => arr<string>(tg.roles).includes('privacy') && tg.source !== 'entry page link')
  const declared = declaredTarget?.url
  const loc = at(entryUrl)
  let linked: string | undefined
  if (declared) {
    linked = links.find((l) => sameDoc(l.href, declared) || (declaredTarget?.fetch.finalUrl && sameDoc(l.href, declaredTarget.fetch.finalUrl)))?.href
    if (!linked) {
      const other = links.find((l) => textRe.test(String(l.text ?? '')))
      return [fail(t(ctx.lang, other ? 'SEC-015.otherLink' : 'SEC-015.notLinked', {url: entryUrl, policy: declared, other: other?.href ?? ''}), loc, {key: 'link'})]
    }
  } else {
    linked = links.find((l) => textRe.test(String(l.text ?? '')) && /^https?:/.test(l.href))?.href
    if (!linked) return [fail(t(ctx.lang, f.manifest ? 'SEC-015.noPolicy' : 'SEC-015.noLink', {url: entryUrl}), loc, {key: 'link'})]
  }
  // Status: the collector's request, else the page session's visit of the privacy page.
  const target = f.targets.find((tg) => sameDoc(tg.url, linked!) || sameDoc(tg.fetch.finalUrl ?? '', linked!)) ?? declaredTarget
  const visit = f.pages.find((p) => p.visit.role === 'privacy')?.visit
  const status = target && !target.fetch.error ? target.fetch.status : visit?.status
  if (status === undefined) {
    const detail = target?.fetch.error?.message ?? 'not requested'
    return [error(t(ctx.lang, 'SEC-015.unknown', {policy: linked, detail}), at(linked))]
  }
  if (status !== 200) return [fail(t(ctx.lang, 'SEC-015.status', {policy: linked, status}), at(linked), {key: 'status'})]
  return [pass(t(ctx.lang, 'SEC-015.pass', {url: entryUrl, policy: linked}), loc)]
}

export const exposedFiles: CheckFn = (ctx) => {
  const f = facts(ctx)
  const early = noTargets(ctx, f)
  if (early) return early
  const checks = f.http?.exposed.checks ?? []
  if (checks.length === 0) {
    const entry = f.targets.find((tg) => arr<string>(tg.roles).includes('entry'))
    if (entry?.fetch.error) return [fetchError(ctx, entry)]
    return [na(t(ctx.lang, 'SEC-016.na'))]
  }
  const out: RawFinding[] = []
  for (const c of checks) if (c?.exposed) out.push(fail(t(ctx.lang, 'SEC-016.fail', {url: c.url, kind: c.kind, reason: c.reason ?? ''}), at(c.url), {key: c.url}))
  const errored = checks.filter((c) => !c?.exposed && c?.error)
  if (out.length === 0) {
    if (errored.length === checks.length) return [error(t(ctx.lang, 'SEC-016.error', {detail: errored[0].error}))]
    out.push(pass(t(ctx.lang, 'SEC-016.pass', {count: checks.length - errored.length, origin: f.http?.exposed.origin ?? ''}) + (errored.length ? ' ' + t(ctx.lang, 'SEC-016.partial', {count: errored.length}) : '')))
  }
  return out
}

export const grade: CheckFn = (ctx) => {
  const table = readTable(ctx.params)
  if (!table) return [error(t(ctx.lang, 'SEC-018.noTable'))]
  const g = computeGrade(ctx.artifacts, ctx.profile)
  if (!g) {
    const f = facts(ctx)
    const entry = f.targets.find((tg) => arr<string>(tg.roles).includes('entry'))
    if (entry?.fetch.error) return [fetchError(ctx, entry)]
    return [na(t(ctx.lang, 'SEC.noTargets'))]
  }
  const min = String(ctx.params.minGrade ?? 'B')
  const parts = g.tests.filter((x) => x.modifier !== 0).map((x) => `${x.test} ${x.result} ${x.modifier > 0 ? '+' : ''}${x.modifier}`)
  const message = t(ctx.lang, 'SEC-018.grade', {grade: g.grade, score: g.score, table: g.table, modifiers: parts.length ? parts.join('; ') : t(ctx.lang, 'SEC-018.noModifiers')})
  const details = {grade: g.grade, score: g.score, table: g.table, tests: g.tests}
  const ok = gradeRank(g.grade, table.grades) >= gradeRank(min, table.grades)
  return [ok ? pass(message, undefined, details) : fail(message + t(ctx.lang, 'SEC-018.below', {min}), undefined, {...details, key: 'grade'})]
}
