// Signing the result document over the canonical JSON that the digest covers (the document
// without `signature`). Ed25519 through node:crypto; SM2 (GB/T 32918, SM3 with the default
// distinguishing ID 1234567812345678, DER signature) through sm-crypto. The algorithm follows the
// key: a PEM key on the SM2 curve (openssl genpkey -algorithm SM2) or a 64-hex-digit private key
// is SM2, anything else goes to node:crypto; `--sign-alg` insists on one. The public key is kept
// beside the signature as SPKI PEM. `sjt report --verify` checks digest and signature.
import {createPrivateKey, createPublicKey, sign, verify, type KeyObject} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {InputError} from '../lib/errors.js'
import {t} from '../lib/i18n/index.js'
import {canonicalJson, computeDigest} from './result.js'
import type {Lang, ResultDocument} from './types.js'

export type SignAlg = 'ed25519' | 'sm2'

interface Sm2Api {
  doSignature(msg: string | Uint8Array, privateKey: string, opts?: {der?: boolean; hash?: boolean; publicKey?: string; userId?: string}): string
  doVerifySignature(msg: string | Uint8Array, signHex: string, publicKey: string, opts?: {der?: boolean; hash?: boolean; userId?: string}): boolean
  getPublicKeyFromPrivateKey(privateKey: string): string
}

let sm2Api: Sm2Api | null = null
function sm2(): Sm2Api {
  if (!sm2Api) sm2Api = (createRequire(import.meta.url)('sm-crypto') as {sm2: Sm2Api}).sm2
  return sm2Api
}

/** OID 1.2.156.10197.1.301 (the SM2 curve), DER-encoded. */
const SM2_OID = Buffer.from('06082a811ccf5501822d', 'hex')
/** SPKI header for an uncompressed SM2 public key: id-ecPublicKey + SM2 curve, 65-byte bit string. */
const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex')

function payload(doc: ResultDocument): Buffer {
  const {signature: _s, ...rest} = doc
  return Buffer.from(canonicalJson(rest))
}

function pemBodies(text: string): Array<{label: string; der: Buffer}> {
  const out: Array<{label: string; der: Buffer}> = []
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)) out.push({label: m[1], der: Buffer.from(m[2].replace(/\s+/g, ''), 'base64')})
  return out
}

/** The SM2 private key (64 hex digits) in a key file, or null when the file is not an SM2 key. */
export function sm2PrivateKey(text: string): string | null {
  const hex = /^\s*([0-9a-fA-F]{64})\s*$/.exec(text)
  if (hex) return hex[1].toLowerCase()
  for (const {label, der} of pemBodies(text)) {
    if (!/PRIVATE KEY/.test(label) || !der.includes(SM2_OID)) continue
    // PKCS#8 and SEC1 both carry ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING (32) d, … }.
    const at = der.indexOf(Buffer.from('0201010420', 'hex'))
    if (at >= 0 && der.length >= at + 5 + 32) return der.subarray(at + 5, at + 5 + 32).toString('hex')
  }
  return null
}

/** An SM2 public key as 04‖x‖y hex, from SPKI PEM or hex; null when it is not one. */
export function sm2PublicKey(text: string): string | null {
  const hex = /^\s*(04[0-9a-fA-F]{128})\s*$/.exec(text)
  if (hex) return hex[1].toLowerCase()
  for (const {label, der} of pemBodies(text)) {
    if (label !== 'PUBLIC KEY' || !der.includes(SM2_OID)) continue
    const point = der.subarray(der.length - 65)
    if (point[0] === 0x04) return point.toString('hex')
  }
  return null
}

function sm2PublicKeyPem(pointHex: string): string {
  const b64 = Buffer.concat([SM2_SPKI_PREFIX, Buffer.from(pointHex, 'hex')]).toString('base64')
  return `-----BEGIN PUBLIC KEY-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`
}

export function signDocument(doc: ResultDocument, keyFile: string, lang: Lang, alg?: SignAlg): ResultDocument {
  let text: string
  try {
    text = readFileSync(keyFile, 'utf8')
  } catch (error) {
    throw new InputError(t(lang, 'sign.keyUnreadable', {detail: (error as Error).message}), {file: keyFile})
  }
  const sm2Key = sm2PrivateKey(text)
  if (sm2Key || alg === 'sm2') {
    if (!sm2Key) {
      throw new InputError(t(lang, 'sign.notSm2'), {file: keyFile}, 'openssl genpkey -algorithm SM2 -out sjt-sm2.pem')
    }
    if (alg === 'ed25519') {
      throw new InputError(t(lang, 'sign.sm2NotEd25519'), {file: keyFile}, 'openssl genpkey -algorithm ed25519 -out sjt-key.pem')
    }
    const api = sm2()
    let point: string
    try {
      point = api.getPublicKeyFromPrivateKey(sm2Key)
    } catch (error) {
      throw new InputError(t(lang, 'sign.sm2Unusable', {detail: (error as Error).message}), {file: keyFile})
    }
    const der = api.doSignature(payload(doc), sm2Key, {der: true, hash: true, publicKey: point})
    return {...doc, signature: {alg: 'sm2', value: Buffer.from(der, 'hex').toString('base64'), publicKey: sm2PublicKeyPem(point)}}
  }
  let key: KeyObject
  try {
    key = createPrivateKey(text)
  } catch (error) {
    throw new InputError(t(lang, 'sign.keyUnreadable', {detail: (error as Error).message}), {file: keyFile})
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new InputError(t(lang, 'sign.wrongType', {type: key.asymmetricKeyType ?? t(lang, 'sign.unknownType')}), {file: keyFile}, 'openssl genpkey -algorithm ed25519 -out sjt-key.pem')
  }
  const value = sign(null, payload(doc), key).toString('base64')
  const publicKey = createPublicKey(key).export({type: 'spki', format: 'pem'}).toString()
  return {...doc, signature: {alg: 'ed25519', value, publicKey}}
}

export interface Verification {
  digestOk: boolean
  signature: 'valid' | 'invalid' | 'absent'
  expected: string
}

export function verifyDocument(doc: ResultDocument, trustedKeyFile?: string, lang: Lang = 'zh-CN'): Verification {
  const expected = computeDigest(doc as unknown as Record<string, unknown>)
  const digestOk = doc.digest?.value === expected
  let trusted: string | undefined
  if (trustedKeyFile) {
    try {
      trusted = readFileSync(trustedKeyFile, 'utf8')
    } catch (error) {
      throw new InputError(t(lang, 'sign.publicKeyUnreadable', {detail: (error as Error).message}), {file: trustedKeyFile})
    }
  }
  if (!doc.signature) return {digestOk, signature: 'absent', expected}
  try {
    const keyText = trusted ?? doc.signature.publicKey
    if (doc.signature.alg === 'sm2') {
      const point = sm2PublicKey(keyText) ?? (sm2PrivateKey(keyText) ? sm2().getPublicKeyFromPrivateKey(sm2PrivateKey(keyText)!) : null)
      if (!point) return {digestOk, signature: 'invalid', expected}
      const ok = sm2().doVerifySignature(payload(doc), Buffer.from(doc.signature.value, 'base64').toString('hex'), point, {der: true, hash: true})
      return {digestOk, signature: ok ? 'valid' : 'invalid', expected}
    }
    const key = createPublicKey(keyText)
    const ok = verify(null, payload(doc), key, Buffer.from(doc.signature.value, 'base64'))
    return {digestOk, signature: ok ? 'valid' : 'invalid', expected}
  } catch {
    return {digestOk, signature: 'invalid', expected}
  }
}
