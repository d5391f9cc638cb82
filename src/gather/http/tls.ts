// TLS: which versions an origin accepts, and its certificate chain verified against the CA bundle.
import tls from 'node:tls'
import {isIP} from 'node:net'
import {errorOf} from './request.js'
import {TLS_VERSIONS, type CertInfo, type TlsReport} from '../../artifacts/http.js'

function certInfo(c: tls.PeerCertificate): CertInfo {
  const name = (x: unknown) => {
    const o = (x ?? {}) as Record<string, unknown>
    const cn = o.CN ?? o.O ?? ''
    return Array.isArray(cn) ? cn.join(', ') : String(cn)
  }
  return {
    subject: name(c.subject),
    issuer: name(c.issuer),
    validFrom: c.valid_from,
    validTo: c.valid_to,
    ...(c.subjectaltname ? {san: c.subjectaltname.slice(0, 1000)} : {}),
    ...(c.fingerprint256 ? {fingerprint256: c.fingerprint256} : {}),
    selfSigned: c.fingerprint256 !== undefined && (c as tls.DetailedPeerCertificate).issuerCertificate?.fingerprint256 === c.fingerprint256,
  }
}

interface HandshakeResult {
  ok: boolean
  protocol?: string
  cipher?: string
  authorized?: boolean
  authorizationError?: string
  chain?: CertInfo[]
  error?: {code: string; message: string}
}

function handshake(host: string, port: number, opts: {min?: tls.SecureVersion; max?: tls.SecureVersion; ca?: string[]; timeoutMs: number; chain?: boolean; lowSecurity?: boolean}): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    let settled = false
    const bare = host.replace(/^\[|\]$/g, '')
    const socket = tls.connect({
      host: bare,
      port,
      ...(isIP(bare) ? {} : {servername: bare}),
      rejectUnauthorized: false,
      ...(opts.min ? {minVersion: opts.min} : {}),
      ...(opts.max ? {maxVersion: opts.max} : {}),
      // OpenSSL 3 will not even offer TLS 1.0/1.1 at its default security level; the probe must.
      ...(opts.lowSecurity ? {ciphers: 'DEFAULT@SECLEVEL=0'} : {}),
      ...(opts.ca ? {ca: opts.ca} : {}),
    })
    const done = (r: HandshakeResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(r)
    }
    const timer = setTimeout(() => done({ok: false, error: {code: 'ETIMEDOUT', message: `TLS handshake not finished within ${opts.timeoutMs} ms`}}), opts.timeoutMs)
    socket.once('secureConnect', () => {
      const r: HandshakeResult = {ok: true, protocol: socket.getProtocol() ?? undefined, cipher: socket.getCipher()?.name, authorized: socket.authorized}
      if (!socket.authorized && socket.authorizationError) r.authorizationError = String((socket.authorizationError as unknown as {code?: string}).code ?? socket.authorizationError)
      if (opts.chain) {
        const chain: CertInfo[] = []
        let c = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined
        const seen = new Set<string>()
        while (c && c.fingerprint256 && !seen.has(c.fingerprint256) && chain.length < 10) {
          seen.add(c.fingerprint256)
          chain.push(certInfo(c))
          c = c.issuerCertificate
        }
        r.chain = chain
      }
      done(r)
    })
    socket.once('error', (e) => {
      const err = errorOf(e)
      if (err.code === 'ECONNRESET' || /socket disconnected|socket hang up/i.test(err.message)) err.message = 'the server closed the connection during the TLS handshake'
      done({ok: false, error: err})
    })
    socket.once('close', () => done({ok: false, error: {code: 'ECONNRESET', message: 'the server closed the connection during the TLS handshake'}}))
  })
}

export async function probeTls(origin: string, ca: string[], timeoutMs: number): Promise<TlsReport> {
  const u = new URL(origin)
  const port = Number(u.port || 443)
  const host = u.hostname
  const [verify, ...each] = await Promise.all([
    handshake(host, port, {ca, timeoutMs, chain: true}),
    ...TLS_VERSIONS.map((v) => handshake(host, port, {min: v, max: v, timeoutMs, lowSecurity: v === 'TLSv1' || v === 'TLSv1.1'})),
  ])
  const versions: TlsReport['versions'] = {}
  const versionDetail: TlsReport['versionDetail'] = {}
  TLS_VERSIONS.forEach((v, i) => {
    const r = each[i]
    if (r.ok) versions[v] = 'accepted'
    else if (r.error?.code !== 'ETIMEDOUT') versions[v] = 'refused'
    versionDetail[v] = r.ok ? `negotiated ${r.protocol}` : `${r.error?.code}: ${r.error?.message}`
  })
  const report: TlsReport = {
    origin,
    host,
    port,
    versions,
    versionDetail,
    verify: {ok: verify.ok, ...(verify.ok ? {authorized: verify.authorized === true} : {}), ...(verify.authorizationError ? {error: verify.authorizationError} : {}), ...(verify.protocol ? {protocol: verify.protocol} : {}), ...(verify.cipher ? {cipher: verify.cipher} : {})},
    chain: verify.chain ?? [],
  }
  if (!verify.ok && !each.some((r) => r.ok)) report.error = verify.error ?? each.find((r) => r.error)?.error ?? {code: 'ERROR', message: 'no TLS handshake completed'}
  return report
}
