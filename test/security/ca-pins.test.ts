// --ca / NODE_EXTRA_CA_CERTS in the browser: certificates that chain to the given CA are accepted,
// anything else (self-signed, another CA's, another host's) is still refused.
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {pinsFor, verifiedPin} from '../../src/lib/ca-pins.js'
import {launchBrowser} from '../../src/lib/browser.js'
import {makePki, type KeyPair, type Pki} from './pki.js'

let pki: Pki
const servers: https.Server[] = []
let good = ''
let selfSigned = ''
let expired = ''

function serve(pair: KeyPair): Promise<string> {
  const s = https.createServer({key: pair.key, cert: pair.cert}, (_req, res) => res.writeHead(200, {'content-type': 'text/html'}).end('<!doctype html><title>ok</title>'))
  servers.push(s)
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(`https://127.0.0.1:${(s.address() as AddressInfo).port}`)))
}

beforeAll(async () => {
  pki = makePki()
  good = await serve(pki.valid)
  selfSigned = await serve(pki.selfSigned)
  expired = await serve(pki.expired)
})
afterAll(async () => {
  for (const s of servers) s.closeAllConnections(), s.close()
  pki?.cleanup()
})

describe('trusting a CA in Chromium', () => {
  it('Node pins only certificates that verify against the CA', async () => {
    expect(await verifiedPin(good, pki.ca)).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    expect(await verifiedPin(selfSigned, pki.ca)).toBeNull()
    expect(await verifiedPin(expired, pki.ca)).toBeNull()
    expect(await verifiedPin(good.replace('https:', 'http:'), pki.ca)).toBeNull()
    expect(await pinsFor([good, selfSigned, expired, good], pki.ca)).toHaveLength(1)
  })

  it('the browser opens the CA-signed site and still refuses the others', async () => {
    const session = await launchBrowser({lang: 'en', ca: pki.caFile, trustedSpki: await pinsFor([good, selfSigned], pki.ca)})
    try {
      const page = await session.browser.newPage()
      const res = await page.goto(good + '/')
      expect(res?.status()).toBe(200)
      // A key Node did not verify is refused. (The pin is per key: the expired test leaf shares the
      // valid leaf's key, which only its holder can present.)
      const err = await page.goto(selfSigned + '/').then(() => 'opened', (e: Error) => e.message)
      expect(err).toMatch(/ERR_CERT_AUTHORITY_INVALID/)
    } finally {
      await session.close()
    }
  })
})
