import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { httpProbe, type HttpSpec, type ProbeContext } from '@slipway/probes'

// Two origins on loopback (different ports): a redirect from one to the other must not carry
// the credentials meant for the first, as browsers and fetch behave.

interface Seen {
  method: string
  headers: IncomingMessage['headers']
  body: string
}

let a: Server
let b: Server
let originA = ''
let originB = ''
const seenByB: Seen[] = []
const seenByA: Seen[] = []

function start(seen: Seen[], routes: (req: IncomingMessage, res: ServerResponse) => boolean) {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', chunk => (body += chunk))
    req.on('end', () => {
      if (routes(req, res)) return
      seen.push({ method: req.method ?? '', headers: req.headers, body })
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ reached: true }))
    })
  })
  return new Promise<Server>(resolve => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`

beforeAll(async () => {
  b = await start(seenByB, () => false)
  originB = origin(b)
  a = await start(seenByA, (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const redirect = (status: number, location: string) => {
      res.statusCode = status
      res.setHeader('location', location)
      res.end()
      return true
    }
    if (path === '/to-b') return redirect(302, `${originB}/landing`)
    if (path === '/to-a') return redirect(302, '/landing')
    if (path === '/see-other') return redirect(303, '/landing')
    if (path === '/temporary') return redirect(307, '/landing')
    if (path === '/loop') return redirect(302, '/loop')
    return false
  })
  originA = origin(a)
})
afterAll(async () => {
  await new Promise(resolve => a.close(resolve))
  await new Promise(resolve => b.close(resolve))
})

const context = (): ProbeContext => ({ signal: AbortSignal.timeout(10_000), timeoutMs: 10_000 })
const credentials = {
  Authorization: 'Bearer tok-a-only',
  'X-Api-Key': 'key-a-only',
  Cookie: 'session=a-only',
  'Proxy-Authorization': 'Basic cHJveHk6cHc=',
  'X-Request-Id': 'trace-123'
}
const probe = (spec: HttpSpec) => httpProbe(spec, context())

describe('redirects and credentials', () => {
  it('a redirect to another origin drops Authorization, Cookie, Proxy-Authorization and X-Api-Key', async () => {
    seenByB.length = 0
    const outcome = await probe({ url: `${originA}/to-b`, headers: credentials })
    expect(outcome.ok).toBe(true)
    expect(String(outcome.details?.finalUrl)).toBe(`${originB}/landing`)
    expect(seenByB).toHaveLength(1)
    const headers = seenByB[0].headers
    expect(headers.authorization).toBeUndefined()
    expect(headers['x-api-key']).toBeUndefined()
    expect(headers.cookie).toBeUndefined()
    expect(headers['proxy-authorization']).toBeUndefined()
    // Headers that are not credentials still travel.
    expect(headers['x-request-id']).toBe('trace-123')
  })

  it('a redirect within the same origin keeps them', async () => {
    seenByA.length = 0
    const outcome = await probe({ url: `${originA}/to-a`, headers: credentials })
    expect(outcome.ok).toBe(true)
    expect(seenByA[0].headers.authorization).toBe('Bearer tok-a-only')
    expect(seenByA[0].headers['x-api-key']).toBe('key-a-only')
  })

  it('credentials in the URL are sent as Basic authentication, and not to another origin', async () => {
    seenByA.length = 0
    seenByB.length = 0
    const url = (path: string) => `${originA.replace('//', '//user:pa55word@')}${path}`
    expect((await probe({ url: url('/landing') })).ok).toBe(true)
    expect(seenByA[0].headers.authorization).toBe(
      `Basic ${Buffer.from('user:pa55word').toString('base64')}`
    )
    expect((await probe({ url: url('/to-b') })).ok).toBe(true)
    expect(seenByB[0].headers.authorization).toBeUndefined()
  })

  it('303 turns a POST into a GET without its body; 307 repeats the POST with it', async () => {
    seenByA.length = 0
    await probe({ url: `${originA}/see-other`, method: 'POST', body: { a: 1 } })
    expect(seenByA[0]).toMatchObject({ method: 'GET', body: '' })
    expect(seenByA[0].headers['content-type']).toBeUndefined()
    await probe({ url: `${originA}/temporary`, method: 'POST', body: { a: 1 } })
    expect(seenByA[1]).toMatchObject({ method: 'POST', body: '{"a":1}' })
  })

  it('a redirect loop fails after a bounded number of hops', async () => {
    const outcome = await probe({ url: `${originA}/loop` })
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toMatch(/more than 20 redirects/)
  })
})
