import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type AddressInfo, type Server } from 'node:net'
import {
  dnsProbe,
  formatHostPort,
  isReservedInvalid,
  parseHostPort,
  runOne,
  tcpProbe,
  tlsProbe,
  type ProbeContext
} from '@slipway/probes'
import { closedPort, closeServer, httpsServer, selfSigned, type SelfSigned } from './servers.js'

function context(timeoutMs = 5000): ProbeContext {
  return { signal: AbortSignal.timeout(timeoutMs), timeoutMs }
}

describe('tcp probe', () => {
  let server: Server
  let port: number
  beforeAll(async () => {
    server = createServer(socket => socket.end())
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => closeServer(server))

  it('passes when the port accepts a connection', async () => {
    const outcome = await tcpProbe({ host: '127.0.0.1', port }, context())
    expect(outcome.ok).toBe(true)
    expect(outcome.message).toContain(`127.0.0.1:${port} accepted a connection`)
    expect(outcome.details?.latencyMs).toEqual(expect.any(Number))
  })

  it('fails on a closed port with the reason', async () => {
    const closed = await closedPort()
    const outcome = await tcpProbe({ host: '127.0.0.1', port: closed }, context())
    expect(outcome).toMatchObject({
      ok: false,
      message: `127.0.0.1:${closed}: connection refused (ECONNREFUSED)`
    })
  })

  it('fails for a name that does not resolve', async () => {
    const outcome = await tcpProbe({ host: 'db.invalid', port: 5432 }, context())
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toMatch(/^db\.invalid:5432: (host not found|name lookup failed)/)
  })

  it('is retried by the runner and counts attempts', async () => {
    const closed = await closedPort()
    const result = await runOne({
      name: 'db',
      type: 'tcp',
      severity: 'error',
      timeoutMs: 1000,
      retries: 2,
      retryDelayMs: 10,
      run: ctx => tcpProbe({ host: '127.0.0.1', port: closed }, ctx)
    })
    expect(result).toMatchObject({ status: 'failed', attempts: 3 })
  })

  it('parses and formats host:port, IPv6 included', () => {
    expect(parseHostPort('db.internal:5432')).toEqual({ host: 'db.internal', port: 5432 })
    expect(parseHostPort('[::1]:8443')).toEqual({ host: '::1', port: 8443 })
    expect(parseHostPort('example.com', 443)).toEqual({ host: 'example.com', port: 443 })
    expect(parseHostPort('example.com')).toBeUndefined()
    expect(parseHostPort('db:0')).toBeUndefined()
    expect(parseHostPort('db:70000')).toBeUndefined()
    expect(parseHostPort('http://db:80')).toBeUndefined()
    expect(formatHostPort('::1', 80)).toBe('[::1]:80')
  })
})

describe('dns probe', () => {
  it('resolves localhost', async () => {
    const good = await dnsProbe({ name: 'localhost' }, context())
    expect(good.ok).toBe(true)
    expect(good.details?.addresses).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)])
    )
  })

  it('fails for names under .invalid without asking a resolver', async () => {
    for (const name of ['deploy.invalid', 'INVALID', 'a.b.invalid.']) {
      const outcome = await dnsProbe({ name }, context())
      expect(outcome.ok).toBe(false)
      expect(outcome.message).toContain('never resolve (RFC 6761)')
    }
    expect(isReservedInvalid('invalid.example.com')).toBe(false)
  })

  it('fails when the answer is not one of the expected addresses', async () => {
    const outcome = await dnsProbe(
      { name: 'localhost', family: 4, expect: ['10.9.9.9'] },
      context()
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain('expected one of 10.9.9.9')
    const match = await dnsProbe({ name: 'localhost', family: 4, expect: ['127.0.0.1'] }, context())
    expect(match.ok).toBe(true)
  })
})

describe('tls probe', () => {
  let year: SelfSigned
  let soon: SelfSigned
  let yearServer: Awaited<ReturnType<typeof httpsServer>>
  let soonServer: Awaited<ReturnType<typeof httpsServer>>
  beforeAll(async () => {
    year = selfSigned(365)
    soon = selfSigned(3)
    yearServer = await httpsServer(year)
    soonServer = await httpsServer(soon)
  })
  afterAll(async () => {
    await closeServer(yearServer.server)
    await closeServer(soonServer.server)
  })

  it('rejects a self-signed certificate unless told otherwise', async () => {
    const outcome = await tlsProbe(
      { host: 'localhost', port: yearServer.port, minDays: 14 },
      context()
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toMatch(/SELF_SIGNED/)
  })

  it('accepts it with insecure and reports days left, subject and issuer', async () => {
    const outcome = await tlsProbe(
      { host: 'localhost', port: yearServer.port, minDays: 14, insecure: true },
      context()
    )
    expect(outcome.ok).toBe(true)
    expect(outcome.details).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=localhost',
      authorized: false,
      selfSigned: true
    })
    expect(outcome.details?.daysLeft).toBeGreaterThanOrEqual(364)
    expect(outcome.message).toMatch(
      /: 36[45] days left .*subject CN=localhost, issuer CN=localhost, untrusted/
    )
  })

  it('trusts it through a CA file, and checks the name', async () => {
    const trusted = await tlsProbe(
      {
        host: '127.0.0.1',
        port: yearServer.port,
        servername: 'localhost',
        minDays: 14,
        ca: year.cert
      },
      context()
    )
    expect(trusted.ok).toBe(true)
    expect(trusted.details?.authorized).toBe(true)
    const wrongName = await tlsProbe(
      {
        host: '127.0.0.1',
        port: yearServer.port,
        servername: 'api.example.com',
        minDays: 14,
        ca: year.cert
      },
      context()
    )
    expect(wrongName.ok).toBe(false)
    expect(wrongName.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID')
  })

  it('fails for a certificate that expires in 3 days when 14 are required', async () => {
    const outcome = await tlsProbe(
      { host: 'localhost', port: soonServer.port, minDays: 14, ca: soon.cert },
      context()
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toMatch(/expires in [23] day\(s\), fewer than 14/)
    const lenient = await tlsProbe(
      { host: 'localhost', port: soonServer.port, minDays: 2, ca: soon.cert },
      context()
    )
    expect(lenient.ok).toBe(true)
  })

  it('reports an expired certificate by the clock it is given', async () => {
    const later = Date.now() + 10 * 86_400_000
    const outcome = await tlsProbe(
      { host: 'localhost', port: soonServer.port, minDays: 1, insecure: true, now: () => later },
      context()
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toMatch(/expired [67] day\(s\) ago/)
  })

  it('fails on a closed port', async () => {
    const closed = await closedPort()
    const outcome = await tlsProbe({ host: '127.0.0.1', port: closed, minDays: 1 }, context())
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain('ECONNREFUSED')
  })
})
