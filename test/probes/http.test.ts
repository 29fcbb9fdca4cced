import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { httpProbe, validateHttpSpec, type HttpSpec, type ProbeContext } from '@slipway/probes'

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

const routes: Record<string, Handler> = {
  '/ok': (_req, res) => res.end('all good'),
  '/json': (_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.setHeader('x-version', '1.4.2')
    res.end(
      JSON.stringify({
        status: 'ok',
        version: '1.4.2',
        checks: [
          { name: 'db', ok: true },
          { name: 'cache', ok: false }
        ]
      })
    )
  },
  '/fail': (_req, res) => {
    res.statusCode = 500
    res.end('<html><body>Internal   Server\nError: database is down</body></html>')
  },
  '/slow': (_req, res) => setTimeout(() => res.end('late'), 250),
  '/hang': () => undefined,
  '/redirect': (_req, res) => {
    res.statusCode = 302
    res.setHeader('location', '/ok')
    res.end()
  },
  '/echo': (req, res, body) => {
    res.setHeader('content-type', 'application/json')
    res.end(
      JSON.stringify({
        method: req.method,
        auth: req.headers.authorization ?? null,
        type: req.headers['content-type'] ?? null,
        body
      })
    )
  },
  '/big': (_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(`{"pad":"${'x'.repeat(200_000)}"}`)
  }
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  let body = ''
  req.on('data', chunk => (body += chunk))
  req.on('end', () => {
    const handler = routes[new URL(req.url ?? '/', 'http://x').pathname]
    if (!handler) {
      res.statusCode = 404
      res.end('not found')
      return
    }
    handler(req, res, body)
  })
}

let server: Server
let base = ''
const context = (timeoutMs = 5000): ProbeContext => ({
  signal: AbortSignal.timeout(timeoutMs),
  timeoutMs
})
const probe = (spec: Omit<HttpSpec, 'url'> & { path: string }) => {
  const { path, ...rest } = spec
  return httpProbe({ url: `${base}${path}`, ...rest }, context())
}

beforeAll(async () => {
  server = createServer(handle)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

describe('httpProbe', () => {
  it('passes a 200 and reports status and latency', async () => {
    const outcome = await probe({ path: '/ok', bodyContains: 'good', bodyRegex: '^all\\s+good$' })
    expect(outcome.ok).toBe(true)
    expect(outcome.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/ok → 200 in \d+ms$/)
    expect(outcome.details?.status).toBe(200)
    expect(typeof outcome.details?.latencyMs).toBe('number')
  })

  it('fails a 500 with the status in the message and a clipped body excerpt', async () => {
    const outcome = await probe({ path: '/fail' })
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain('status 500, expected 200-399')
    expect(outcome.details?.bodyExcerpt).toBe(
      '<html><body>Internal Server Error: database is down</body></html>'
    )
  })

  it('accepts the status when it is in the expected list', async () => {
    expect((await probe({ path: '/fail', expectStatus: '200, 500-503' })).ok).toBe(true)
    expect((await probe({ path: '/nope', expectStatus: [404] })).ok).toBe(true)
    expect((await probe({ path: '/ok', expectStatus: '4xx' })).message).toContain(
      'status 200, expected 400-499'
    )
  })

  it('checks JSONPath values and names the first wrong one', async () => {
    const good = await probe({
      path: '/json',
      json: [
        { path: '$.status', equals: 'ok' },
        { path: "$.checks[?(@.name=='db')].ok", equals: true },
        { path: '$.missing', exists: false }
      ]
    })
    expect(good.ok).toBe(true)
    const bad = await probe({
      path: '/json',
      json: [
        { path: '$.status', equals: 'ok' },
        { path: '$.version', equals: '1.5.0' },
        { path: '$.checks[*].ok', equals: [true, true] }
      ]
    })
    expect(bad.ok).toBe(false)
    expect(bad.message).toContain('$.version is "1.4.2", expected "1.5.0" (+1 more)')
    expect(bad.details?.failures).toEqual([
      '$.version is "1.4.2", expected "1.5.0"',
      '$.checks[*].ok is [true,false], expected [true,true]'
    ])
  })

  it('fails JSON assertions on a body that is not JSON', async () => {
    const outcome = await probe({ path: '/ok', json: [{ path: '$.status', equals: 'ok' }] })
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain('body is not JSON')
  })

  it('checks response headers by regex', async () => {
    expect(
      (await probe({ path: '/json', expectHeaders: [{ name: 'X-Version', matches: '^1\\.4\\.' }] }))
        .ok
    ).toBe(true)
    const wrong = await probe({
      path: '/json',
      expectHeaders: [{ name: 'x-version', matches: '^2\\.' }]
    })
    expect(wrong.message).toContain('header x-version: "1.4.2" does not match /^2\\./')
    const missing = await probe({ path: '/ok', expectHeaders: [{ name: 'x-version' }] })
    expect(missing.message).toContain('header x-version missing')
  })

  it('fails a slow answer over the latency budget', async () => {
    const outcome = await probe({ path: '/slow', maxLatencyMs: 100 })
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toMatch(/latency \d+ms over the budget of 100ms/)
    expect(Number(outcome.details?.latencyMs)).toBeGreaterThanOrEqual(240)
  })

  it('follows redirects by default and asserts the 3xx itself when told not to', async () => {
    const followed = await probe({ path: '/redirect', bodyContains: 'all good' })
    expect(followed.ok).toBe(true)
    expect(String(followed.details?.finalUrl)).toMatch(/\/ok$/)
    const manual = await probe({ path: '/redirect', followRedirects: false, expectStatus: '302' })
    expect(manual.ok).toBe(true)
    expect(manual.details?.status).toBe(302)
  })

  it('sends method, headers and a JSON body', async () => {
    const outcome = await probe({
      path: '/echo',
      method: 'post',
      headers: { authorization: 'Bearer t0ken' },
      body: { hello: 'world' },
      json: [
        { path: '$.method', equals: 'POST' },
        { path: '$.auth', equals: 'Bearer t0ken' },
        { path: '$.type', equals: 'application/json' },
        { path: '$.body', equals: '{"hello":"world"}' }
      ]
    })
    expect(outcome).toMatchObject({ ok: true })
  })

  it('reads at most maxBodyBytes and says so when JSON is cut', async () => {
    const outcome = await probe({
      path: '/big',
      maxBodyBytes: 1000,
      json: [{ path: '$.pad', exists: true }]
    })
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain('body too large to parse as JSON')
    expect(outcome.details?.bytes).toBe(1000)
  })

  it('reports a refused connection without throwing', async () => {
    const closed = createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise(resolve => closed.close(resolve))
    const outcome = await httpProbe({ url: `http://127.0.0.1:${port}/` }, context())
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain('ECONNREFUSED')
  })

  it('stops when the context signal aborts', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('timed out')), 100)
    const started = Date.now()
    await expect(
      httpProbe({ url: `${base}/hang` }, { signal: controller.signal, timeoutMs: 100 })
    ).rejects.toThrow()
    // /hang never answers: returning at all proves the abort; the bound only rules out a hang.
    expect(Date.now() - started).toBeLessThan(25_000)
  })

  it('hides URL passwords in messages', async () => {
    const outcome = await httpProbe(
      { url: base.replace('//', '//user:s3cretpw@') + '/fail' },
      context()
    )
    expect(outcome.message).not.toContain('s3cretpw')
    expect(outcome.message).toContain('user:***@')
  })
})

describe('httpProbe over TLS', () => {
  let dir: string
  let tlsServer: Server
  let tlsBase: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-http-tls-'))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem')
      ],
      { stdio: 'ignore', timeout: 20_000 }
    )
    tlsServer = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      handle
    )
    await new Promise<void>(resolve => tlsServer.listen(0, '127.0.0.1', resolve))
    tlsBase = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    tlsServer.closeAllConnections()
    await new Promise(resolve => tlsServer.close(resolve))
    rmSync(dir, { recursive: true, force: true })
  })

  it('rejects a self-signed certificate by default', async () => {
    const outcome = await httpProbe({ url: `${tlsBase}/ok` }, context())
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toMatch(/self[- ]signed|certificate/i)
  })

  it('trusts it with insecure or with its CA file', async () => {
    expect((await httpProbe({ url: `${tlsBase}/ok`, insecure: true }, context())).ok).toBe(true)
    expect(
      (await httpProbe({ url: `${tlsBase}/ok`, caFile: join(dir, 'cert.pem') }, context())).ok
    ).toBe(true)
  })
})

describe('validateHttpSpec', () => {
  const fieldOf = (spec: unknown): string | undefined => {
    try {
      validateHttpSpec(spec as HttpSpec)
      return undefined
    } catch (error) {
      return (error as { field?: string }).field
    }
  }
  it('names the faulty field', () => {
    expect(fieldOf({ url: 'http://x/' })).toBeUndefined()
    expect(fieldOf({ url: 'not a url' })).toBe('url')
    expect(fieldOf({ url: 'ftp://x/' })).toBe('url')
    expect(fieldOf({ url: 'http://x/', method: 'GE T' })).toBe('method')
    expect(fieldOf({ url: 'http://x/', expectStatus: '200-1000' })).toBe('expectStatus')
    expect(fieldOf({ url: 'http://x/', bodyRegex: '([a-z' })).toBe('bodyRegex')
    expect(fieldOf({ url: 'http://x/', json: [{ path: 'status', equals: 1 }] })).toBe('json[0]')
    expect(fieldOf({ url: 'http://x/', json: [{ path: '$.a' }] })).toBe('json[0]')
    expect(fieldOf({ url: 'http://x/', expectHeaders: [{ name: 'a', matches: '(' }] })).toBe(
      'expectHeaders[0].matches'
    )
    expect(fieldOf({ url: 'http://x/', maxLatencyMs: -1 })).toBe('maxLatencyMs')
    expect(fieldOf({ url: 'http://x/', caFile: '/nonexistent/ca.pem' })).toBe('caFile')
  })
})
