// The submission routes: POST and GET /v1/submissions, one submission, its stored document,
// and the reviewer's decision.
import {createHash} from 'node:crypto'
import {canonicalJson, computeDigest} from '../../core/result.js'
import {verifyDocument} from '../../core/sign.js'
import type {ResultDocument} from '../../core/types.js'
import {describeAjvError} from '../../lib/schema.js'
import {t} from '../../lib/i18n/index.js'
import {DECISIONS, SUBMISSION_STATES, type SubmissionStatus} from '../store.js'
import {authorize, requireRole} from './auth.js'
import type {ServerContext} from './context.js'
import {httpUrl, intParam, isObject, LIMIT_MAX, notInFuture, route, strictBody, TEXT_MAX, type Answer, type Ctx, type Route} from './http.js'
import {Problem} from '../shared/problem.js'
import {recomputeVerdict, verdictAgrees} from '../shared/verdict.js'

/** The longest app.id the API takes (standards/review-api.openapi.yaml, AppId). */
const APP_ID_MAX = 200

/** The URLs the monitor probes, from the manifest inside a result document. */
function monitoredUrls(doc: unknown): {entryUrl: string | null; elderUrl: string | null; healthUrl: string | null} {
  const manifest = isObject(doc) && isObject(doc.manifest) ? doc.manifest : {}
  return {entryUrl: httpUrl(manifest.app?.entry), elderUrl: httpUrl(manifest.app?.elderEntry), healthUrl: httpUrl(manifest.monitoring?.health)}
}

export function submissionRoutes(sc: ServerContext): Route[] {
  const {store, tokenCache, validateResult, submissionSummary, submissionView} = sc
  return [
    route('POST', '/v1/submissions', async (ctx): Promise<Answer> => {
      const p = ctx.principal
      requireRole(p, ['submitter'])
      const keyHeader = ctx.req.headers['idempotency-key']
      const key = typeof keyHeader === 'string' ? keyHeader : null
      if (key !== null && !/^[\x21-\x7E]{1,200}$/.test(key)) throw new Problem(400, 'malformed-request', 'Idempotency-Key must be 1 to 200 printable ASCII characters')
      const body = await ctx.body()
      if (!validateResult(body)) {
        const errors = (validateResult.errors ?? []).slice(0, 50).map((e) => ({pointer: e.instancePath || '/', message: describeAjvError(e)}))
        throw new Problem(422, 'invalid-result', t(ctx.lang, 'review.detail.schema', {n: errors.length}), {errors})
      }
      const doc = body as unknown as ResultDocument & Record<string, unknown>
      const creditCode = doc.app.creditCode
      if (!creditCode) throw new Problem(422, 'invalid-result', t(ctx.lang, 'review.detail.noCreditCode'), {errors: [{pointer: '/app/creditCode', message: 'required to submit: the department that owns the app'}]})
      if (creditCode !== p.creditCode) throw new Problem(403, 'wrong-department', t(ctx.lang, 'review.detail.wrongDepartment'))
      const digest = computeDigest(doc)
      if (digest !== doc.digest.value) {
        throw new Problem(422, 'digest-mismatch', t(ctx.lang, 'review.detail.digest'), {errors: [{pointer: '/digest/value', message: `the document's digest is ${doc.digest.value}; its content hashes to ${digest}`}]})
      }
      if (doc.app.id.length > APP_ID_MAX) throw new Problem(422, 'invalid-result', t(ctx.lang, 'review.detail.schema', {n: 1}), {errors: [{pointer: '/app/id', message: `must be at most ${APP_ID_MAX} characters`}]})
      if (!notInFuture(doc.startedAt)) {
        throw new Problem(422, 'invalid-result', t(ctx.lang, 'review.detail.future', {field: 'startedAt'}), {errors: [{pointer: '/startedAt', message: `${doc.startedAt} is later than the server's clock`}]})
      }
      if (doc.signature) {
        const v = verifyDocument(doc)
        if (v.signature !== 'valid') throw new Problem(422, 'signature-invalid', t(ctx.lang, 'review.detail.signature', {alg: String(doc.signature.alg)}), {errors: [{pointer: '/signature/value', message: `the ${doc.signature.alg} signature does not verify against the document and signature.publicKey`}]})
      }
      const recomputed = recomputeVerdict(doc)
      if (!verdictAgrees(doc.verdict, recomputed)) {
        const errors = [{pointer: '/verdict', message: `the document says ${doc.verdict}; recomputed: ${recomputed.verdict}`}, ...recomputed.incomplete.slice(0, 25), ...recomputed.failing.slice(0, 25)]
        throw new Problem(422, 'verdict-mismatch', t(ctx.lang, 'review.detail.verdict', {written: String(doc.verdict), recomputed: recomputed.verdict}), {errors})
      }
      const manifest = isObject(doc.manifest) ? doc.manifest : {}
      const out = await store.createSubmission({
        scope: `submitter:${creditCode}`,
        key,
        requestHash: createHash('sha256').update(digest + '|' + canonicalJson(doc.signature ?? null)).digest('hex'),
        appId: doc.app.id,
        appName: doc.app.name,
        appVersion: doc.app.version,
        creditCode,
        regionCode: doc.app.regionCode ?? (typeof manifest.owner?.regionCode === 'string' ? manifest.owner.regionCode : null),
        verdict: doc.verdict,
        digest,
        document: (ctx as Ctx & {rawBody?: string}).rawBody ?? JSON.stringify(doc),
        ...monitoredUrls(doc),
        actor: {role: p.role, tokenId: p.token.id},
        liveToken: true,
      })
      switch (out.kind) {
        case 'created':
          return {status: 201, body: out.body, headers: {Location: `/v1/submissions/${out.body.id}`}}
        case 'replayed':
          return {status: out.status, body: out.body, headers: {Location: `/v1/submissions/${out.body.id}`, 'Idempotent-Replayed': 'true'}}
        case 'key-conflict':
          throw new Problem(409, 'idempotency-key-reused', t(ctx.lang, 'review.detail.keyReused'))
        case 'unauthorized':
          tokenCache.delete(p.tokenHash)
          throw new Problem(401, 'unauthorized', t(ctx.lang, 'review.detail.badToken'), {}, {'WWW-Authenticate': 'Bearer realm="sjt", error="invalid_token"'})
        default:
          throw new Problem(403, 'wrong-department', t(ctx.lang, 'review.detail.wrongDepartment'))
      }
    }, true),
    route('GET', '/v1/submissions', async (ctx) => {
      const p = ctx.principal
      requireRole(p, ['submitter', 'reviewer', 'auditor'])
      const status = ctx.query.get('status') || undefined
      if (status && !SUBMISSION_STATES.includes(status as SubmissionStatus)) throw new Problem(400, 'malformed-request', `status must be one of ${SUBMISSION_STATES.join(', ')}`)
      const limit = intParam(ctx.query, 'limit', 100, 1, LIMIT_MAX)
      const offset = intParam(ctx.query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER)
      const items = await store.listSubmissions({appId: ctx.query.get('appId') || undefined, status: status as SubmissionStatus | undefined, creditCode: p.role === 'submitter' ? p.creditCode! : undefined, limit: limit + 1, offset})
      return {status: 200, body: {items: items.slice(0, limit).map(submissionSummary), nextOffset: items.length > limit ? offset + limit : null}}
    }),
    route('GET', '/v1/submissions/{id}', async (ctx) => {
      const s = await authorize(ctx.principal, ['submitter', 'reviewer', 'auditor'], () => store.getSubmission(ctx.params.id), (x) => x.creditCode)
      return {status: 200, body: await submissionView(s)}
    }),
    route('GET', '/v1/submissions/{id}/document', async (ctx) => {
      await authorize(ctx.principal, ['submitter', 'reviewer', 'auditor'], () => store.getSubmission(ctx.params.id), (x) => x.creditCode)
      const text = await store.getSubmissionDocument(ctx.params.id)
      return {status: 200, body: JSON.parse(text!)}
    }),
    route('POST', '/v1/submissions/{id}/decision', async (ctx) => {
      const p = ctx.principal
      const s = await authorize(p, ['reviewer'], () => store.getSubmission(ctx.params.id), (x) => x.creditCode)
      const b = strictBody(await ctx.body(), ['decision', 'comment', 'override'])
      if (!DECISIONS.includes(b.decision)) throw new Problem(400, 'malformed-request', `decision must be one of ${DECISIONS.join(', ')}`)
      if (b.comment !== undefined && (typeof b.comment !== 'string' || b.comment.length > TEXT_MAX)) throw new Problem(400, 'malformed-request', `comment must be a string of at most ${TEXT_MAX} characters`)
      if (b.override !== undefined && typeof b.override !== 'boolean') throw new Problem(400, 'malformed-request', 'override must be true or false')
      const comment = typeof b.comment === 'string' && b.comment.trim() ? b.comment.trim() : null
      let urls: ReturnType<typeof monitoredUrls> | undefined
      if (b.decision === 'approve') {
        // The stored document decides, not the verdict recorded with it (a row written before the
        // server recomputed verdicts may say pass for a failing result): recomputed on approval.
        const text = await store.getSubmissionDocument(s.id)
        const doc = text ? JSON.parse(text) : {}
        urls = monitoredUrls(doc)
        const verdict = s.verdict === 'pass' ? recomputeVerdict(doc).verdict : s.verdict
        if (verdict !== 'pass' && !(b.override === true && comment)) {
          throw new Problem(422, 'override-required', t(ctx.lang, 'review.detail.overrideVerdict', {verdict}), {errors: [{pointer: b.override === true ? '/comment' : '/override', message: `approving a result whose verdict is ${verdict} needs override: true and a comment`}]})
        }
      }
      const out = await store.decide(s.id, {decision: b.decision, comment, override: b.override === true, actor: {role: p.role, tokenId: p.token.id}, at: new Date().toISOString(), urls})
      if (out.kind === 'not-found') throw new Problem(404, 'not-found')
      if (out.kind === 'illegal') {
        throw new Problem(409, 'illegal-transition', t(ctx.lang, 'review.detail.illegalDecision', {decision: b.decision, from: out.from}), {from: out.from, allowed: DECISIONS.filter((d) => d === 'review' ? out.from === 'received' : out.from === 'received' || out.from === 'in_review')})
      }
      if (out.kind !== 'ok') throw new Problem(409, 'illegal-transition')
      return {status: 200, body: await submissionView(out.value)}
    }),
  ]
}
