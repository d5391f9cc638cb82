// Trusting an extra CA (--ca, NODE_EXTRA_CA_CERTS) in Chromium without turning certificate checks
// off: Chromium's NSS store cannot be given a CA here (no certutil), so Node connects to each origin
// the run will open, verifies the server's certificate against the system roots plus that CA (chain
// and host name), and only then names the leaf's public key (SHA-256 of its SPKI, base64) to
// --ignore-certificate-errors-spki-list. Any other certificate, on any origin, is still refused.
import {createHash, X509Certificate} from 'node:crypto'
import tls from 'node:tls'
import net from 'node:net'

/** The SPKI pin of a DER certificate, as Chromium's --ignore-certificate-errors-spki-list wants it. */
function spkiPin(der: Buffer): string {
  const spki = new X509Certificate(der).publicKey.export({type: 'spki', format: 'der'})
  return createHash('sha256').update(spki).digest('base64')
}

/** The pin of the certificate `origin` presents, when it verifies against the roots plus `caPem`; else null. */
export function verifiedPin(origin: string, caPem: string, timeoutMs = 10_000): Promise<string | null> {
  let u: URL
  try {
    u = new URL(origin)
  } catch {
    return Promise.resolve(null)
  }
  if (u.protocol !== 'https:') return Promise.resolve(null)
  const host = u.hostname.replace(/^\[|\]$/g, '')
  return new Promise((resolve) => {
    const socket = tls.connect({host, port: Number(u.port || 443), ...(net.isIP(host) ? {} : {servername: host}), ca: [...tls.rootCertificates, caPem], rejectUnauthorized: true}, () => {
      const cert = socket.getPeerCertificate()
      socket.destroy()
      try {
        resolve(cert?.raw ? spkiPin(cert.raw) : null)
      } catch {
        resolve(null)
      }
    })
    socket.setTimeout(timeoutMs, () => {
      socket.destroy()
      resolve(null)
    })
    socket.on('error', () => resolve(null))
  })
}

/** Pins for every HTTPS origin whose certificate verifies against the CA (the others get none). */
export async function pinsFor(origins: Iterable<string>, caPem: string, timeoutMs?: number): Promise<string[]> {
  const unique = [...new Set([...origins].filter((o) => o.startsWith('https:')))]
  const pins = await Promise.all(unique.map((o) => verifiedPin(o, caPem, timeoutMs)))
  return [...new Set(pins.filter((p): p is string => Boolean(p)))]
}
