// CA bundle: the certificates the TLS probe verifies against.
import {readFileSync} from 'node:fs'
import tls from 'node:tls'

/** System roots plus --ca and NODE_EXTRA_CA_CERTS (both PEM files; unreadable files are ignored here, --ca was checked when flags were read). */
export function caBundle(ca?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out = [...tls.rootCertificates]
  for (const f of new Set([ca, env.NODE_EXTRA_CA_CERTS].filter((x): x is string => Boolean(x)))) {
    try {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)) out.push(m[0])
    } catch {
      // reported by option parsing
    }
  }
  return out
}
