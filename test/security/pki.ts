// A throwaway PKI made at test time with the openssl CLI: a CA, a leaf for 127.0.0.1/localhost
// signed by it, an expired leaf, and a self-signed leaf. Removed by cleanup().
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface KeyPair {
  key: string
  cert: string
}

export interface Pki {
  dir: string
  caFile: string
  ca: string
  valid: KeyPair
  expired: KeyPair
  selfSigned: KeyPair
  cleanup(): void
}

const OPENSSL = process.env.OPENSSL ?? 'openssl'

function ossl(args: string[], cwd: string): void {
  execFileSync(OPENSSL, args, {cwd, stdio: ['ignore', 'ignore', 'pipe']})
}

export function makePki(): Pki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sjt-sec-pki-'))
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
  ossl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3', '-subj', '/CN=sjt throwaway test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir)
  writeFileSync(path.join(dir, 'leaf.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n')
  ossl(['req', '-new', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1'], dir)
  ossl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '3', '-extfile', 'leaf.ext'], dir)
  // -days -1 puts notAfter a day before notBefore (now): a certificate that has already expired.
  ossl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'expired.pem', '-days', '-1', '-extfile', 'leaf.ext'], dir)
  ossl(['req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-days', '3', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], dir)
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8')
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    ca: read('ca.pem'),
    valid: {key: read('leaf.key'), cert: read('leaf.pem')},
    expired: {key: read('leaf.key'), cert: read('expired.pem')},
    selfSigned: {key: read('self.key'), cert: read('self.pem')},
    cleanup: () => rmSync(dir, {recursive: true, force: true}),
  }
}
