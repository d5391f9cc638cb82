// Signatures end to end: `sjt check manifest --sign KEY` and `sjt report --verify`, with Ed25519
// and SM2 keys made by openssl; tampering is caught; an SM2 signature verifies with openssl too.
// Two runs spawn the built binary (exit 1 on a foreign key, exit 2 on a bad key); the rest run
// in-process (test/helpers/run.ts).
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {json, sjt} from '../helpers/cli.js'
import {sjtIn} from '../helpers/run.js'
import {canonicalJson} from '../../src/core/result.js'
import {sm2PrivateKey, sm2PublicKey} from '../../src/core/sign.js'
import type {ResultDocument} from '../../src/core/types.js'
import {FAILING_EDITS, SAMPLE, writeManifest} from './helpers.js'

let tmp: string
const openssl = (...args: string[]) => execFileSync('openssl', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-sign-'))
  openssl('genpkey', '-algorithm', 'ed25519', '-out', path.join(tmp, 'ed.pem'))
  openssl('pkey', '-in', path.join(tmp, 'ed.pem'), '-pubout', '-out', path.join(tmp, 'ed.pub.pem'))
  openssl('genpkey', '-algorithm', 'ed25519', '-out', path.join(tmp, 'other.pem'))
  openssl('pkey', '-in', path.join(tmp, 'other.pem'), '-pubout', '-out', path.join(tmp, 'other.pub.pem'))
  openssl('genpkey', '-algorithm', 'SM2', '-out', path.join(tmp, 'sm2.pem'))
  openssl('pkey', '-in', path.join(tmp, 'sm2.pem'), '-pubout', '-out', path.join(tmp, 'sm2.pub.pem'))
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path.join(tmp, 'p256.pem'))
})

async function signedResult(key: string, out: string, extra: string[] = []): Promise<{file: string; doc: ResultDocument}> {
  const r = await sjtIn(['check', 'manifest', SAMPLE, '--out', path.join(tmp, out), '--sign', path.join(tmp, key), '--json', ...extra])
  expect(r.code, r.stderr).toBe(0)
  const file = path.join(tmp, out, 'ty-gjj-withdraw/result.json')
  const doc = JSON.parse(readFileSync(file, 'utf8')) as ResultDocument
  expect(json<ResultDocument>(r).signature).toEqual(doc.signature)
  return {file, doc}
}

function tamper(file: string, to: string, edit: (d: any) => void): string {
  const d = JSON.parse(readFileSync(file, 'utf8'))
  edit(d)
  const f = path.join(tmp, to)
  writeFileSync(f, JSON.stringify(d, null, 2))
  return f
}

describe('Ed25519', () => {
  it('signs, verifies, and catches tampering and a foreign key', async () => {
    const {file, doc} = await signedResult('ed.pem', 'ed')
    expect(doc.signature!.alg).toBe('ed25519')
    expect(doc.signature!.publicKey).toBe(readFileSync(path.join(tmp, 'ed.pub.pem'), 'utf8'))
    const ok = await sjtIn(['report', file, '--verify'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/digest: ok/)
    expect(ok.stdout).toMatch(/signature: valid/)
    // With the trusted public key given explicitly.
    expect((await sjtIn(['report', file, '--verify', '--key', path.join(tmp, 'ed.pub.pem')])).code).toBe(0)
    // Another key: the signature does not verify.
    const foreign = await sjt(['report', file, '--verify', '--key', path.join(tmp, 'other.pub.pem')])
    expect(foreign.code, foreign.stderr).toBe(1)
    expect(foreign.stdout).toMatch(/signature: invalid/)
    // A changed verdict: both the digest and the signature fail.
    const t1 = tamper(file, 'ed-tampered.json', (d) => {
      d.findings[0].status = 'waived'
      d.findings[0].waiver = {reason: 'x', expires: '2099-01-01'}
    })
    const bad = await sjtIn(['report', t1, '--verify'])
    expect(bad.code, bad.stderr).toBe(1)
    expect(bad.stdout).toMatch(/digest: MISMATCH/)
    expect(bad.stdout).toMatch(/signature: invalid/)
    // The digest recomputed by the forger, signature kept: the signature still fails.
    const {computeDigest} = await import('../../src/core/result.js')
    const t2 = tamper(file, 'ed-redigested.json', (d) => {
      d.app.version = '9.9.9'
      d.digest.value = computeDigest(d)
    })
    const bad2 = await sjtIn(['report', t2, '--verify'])
    expect(bad2.code, bad2.stderr).toBe(1)
    expect(bad2.stdout).toMatch(/digest: ok/)
    expect(bad2.stdout).toMatch(/signature: invalid/)
    // A forger re-signs the changed document with their own key: the embedded key agrees with
    // itself, but the trusted key does not.
    const {signDocument} = await import('../../src/core/sign.js')
    const forged = signDocument(JSON.parse(readFileSync(t2, 'utf8')), path.join(tmp, 'other.pem'), 'en')
    const t3 = path.join(tmp, 'ed-forged.json')
    writeFileSync(t3, JSON.stringify(forged))
    expect((await sjtIn(['report', t3, '--verify'])).code).toBe(0)
    const trusted = await sjtIn(['report', t3, '--verify', '--key', path.join(tmp, 'ed.pub.pem')])
    expect(trusted.code, trusted.stderr).toBe(1)
    expect(trusted.stdout).toMatch(/signature: invalid/)
    // Unsigned results verify their digest and say the signature is absent.
    const plain = await sjtIn(['check', 'manifest', SAMPLE, '--out', path.join(tmp, 'plain')])
    expect(plain.code, plain.stderr).toBe(0)
    const absent = await sjtIn(['report', path.join(tmp, 'plain/ty-gjj-withdraw/result.json'), '--verify', '--lang', 'en'])
    expect(absent.code, absent.stderr).toBe(0)
    expect(absent.stdout).toMatch(/signature: absent/)
  })

  it('a signed failing result still exits 1, and renders with its signature', async () => {
    const manifest = writeManifest(path.join(tmp, 'failing'), FAILING_EDITS)
    const r = await sjtIn(['check', 'manifest', manifest, '--out', path.join(tmp, 'edf'), '--sign', path.join(tmp, 'ed.pem'), '--format', 'html'])
    expect(r.code, r.stderr).toBe(1)
    const html = readFileSync(path.join(tmp, 'edf/ty-gjj-withdraw/report.html'), 'utf8')
    expect(html).toMatch(/ED25519 [A-Za-z0-9+/]{16}…/)
    expect((await sjtIn(['report', path.join(tmp, 'edf/ty-gjj-withdraw/result.json'), '--verify'])).code).toBe(0)
  })

  it('bad keys are exit 2 naming the file', async () => {
    const p256 = await sjt(['check', 'manifest', SAMPLE, '--out', path.join(tmp, 'k1'), '--sign', path.join(tmp, 'p256.pem')])
    expect(p256.code, p256.stderr).toBe(2)
    expect(p256.stderr).toContain('p256.pem')
    expect(p256.stderr).toMatch(/Ed25519/)
    const missing = await sjtIn(['check', 'manifest', SAMPLE, '--out', path.join(tmp, 'k2'), '--sign', path.join(tmp, 'nope.pem')])
    expect(missing.code, missing.stderr).toBe(2)
    expect(missing.stderr).toContain('nope.pem')
    const wrongAlg = await sjtIn(['check', 'manifest', SAMPLE, '--out', path.join(tmp, 'k3'), '--sign', path.join(tmp, 'ed.pem'), '--sign-alg', 'sm2'])
    expect(wrongAlg.code, wrongAlg.stderr).toBe(2)
    expect(wrongAlg.stderr).toMatch(/SM2/)
    const noKey = await sjtIn(['report', path.join(tmp, 'k3/ty-gjj-withdraw/result.json'), '--verify', '--key', path.join(tmp, 'nope.pub.pem')])
    expect(noKey.code, noKey.stderr).toBe(2)
  })
})

describe('SM2', () => {
  it('signs with an openssl SM2 key, verifies, catches tampering, and openssl agrees', async () => {
    const {file, doc} = await signedResult('sm2.pem', 'sm2', ['--sign-alg', 'sm2'])
    expect(doc.signature!.alg).toBe('sm2')
    // The public key we keep is the one openssl derives from the private key.
    expect(sm2PublicKey(doc.signature!.publicKey)).toBe(sm2PublicKey(readFileSync(path.join(tmp, 'sm2.pub.pem'), 'utf8')))
    expect((await sjtIn(['report', file, '--verify'])).code).toBe(0)
    expect((await sjtIn(['report', file, '--verify', '--key', path.join(tmp, 'sm2.pub.pem')])).code).toBe(0)
    expect((await sjtIn(['report', file, '--verify', '--key', path.join(tmp, 'ed.pub.pem')])).code).toBe(1)
    const t = tamper(file, 'sm2-tampered.json', (d) => (d.verdict = d.verdict === 'pass' ? 'fail' : 'pass'))
    const bad = await sjtIn(['report', t, '--verify'])
    expect(bad.code, bad.stderr).toBe(1)
    expect(bad.stdout).toMatch(/signature: invalid/)
    // openssl verifies our signature over the canonical JSON (SM3, default distinguishing ID).
    const {signature, ...rest} = doc
    const msg = path.join(tmp, 'sm2.payload')
    writeFileSync(msg, canonicalJson(rest))
    const sig = path.join(tmp, 'sm2.sig')
    writeFileSync(sig, Buffer.from(signature!.value, 'base64'))
    const out = openssl('dgst', '-sm3', '-verify', path.join(tmp, 'sm2.pub.pem'), '-sigopt', 'distid:1234567812345678', '-signature', sig, msg)
    expect(out).toMatch(/Verified OK/)
  })

  it('the algorithm follows the key; a raw hex key works too', async () => {
    const hex = sm2PrivateKey(readFileSync(path.join(tmp, 'sm2.pem'), 'utf8'))!
    expect(hex).toMatch(/^[0-9a-f]{64}$/)
    writeFileSync(path.join(tmp, 'sm2.hex'), hex + '\n')
    const {file, doc} = await signedResult('sm2.hex', 'sm2hex')
    expect(doc.signature!.alg).toBe('sm2')
    expect((await sjtIn(['report', file, '--verify', '--key', path.join(tmp, 'sm2.pub.pem')])).code).toBe(0)
    const ed = await sjtIn(['check', 'manifest', SAMPLE, '--out', path.join(tmp, 'k4'), '--sign', path.join(tmp, 'sm2.pem'), '--sign-alg', 'ed25519'])
    expect(ed.code, ed.stderr).toBe(2)
  })
})
