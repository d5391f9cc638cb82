// Signing the result document: Ed25519 through node:crypto over the canonical JSON that the
// digest covers. `sjt report --verify` checks digest and signature.
import {createPrivateKey, createPublicKey, sign, verify, type KeyObject} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {InputError} from './errors.js'
import {canonicalJson, computeDigest} from './result.js'
import type {Lang, ResultDocument} from './types.js'

function payload(doc: ResultDocument): Buffer {
  const {signature: _s, ...rest} = doc
  return Buffer.from(canonicalJson(rest))
}

export function signDocument(doc: ResultDocument, keyFile: string, lang: Lang): ResultDocument {
  let key: KeyObject
  try {
    key = createPrivateKey(readFileSync(keyFile))
  } catch (error) {
    throw new InputError(lang === 'en' ? `cannot read the private key: ${(error as Error).message}` : `无法读取私钥: ${(error as Error).message}`, {file: keyFile})
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new InputError(lang === 'en' ? `the key is ${key.asymmetricKeyType}; an Ed25519 key is needed` : `私钥类型为 ${key.asymmetricKeyType}，需要 Ed25519`, {file: keyFile}, 'openssl genpkey -algorithm ed25519 -out sjt-key.pem')
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

export function verifyDocument(doc: ResultDocument, trustedKeyFile?: string): Verification {
  const expected = computeDigest(doc as unknown as Record<string, unknown>)
  const digestOk = doc.digest?.value === expected
  if (!doc.signature) return {digestOk, signature: 'absent', expected}
  try {
    const key = trustedKeyFile ? createPublicKey(readFileSync(trustedKeyFile)) : createPublicKey(doc.signature.publicKey)
    const ok = verify(null, payload(doc), key, Buffer.from(doc.signature.value, 'base64'))
    return {digestOk, signature: ok ? 'valid' : 'invalid', expected}
  } catch {
    return {digestOk, signature: 'invalid', expected}
  }
}
