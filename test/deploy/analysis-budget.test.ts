import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { httpMetric, runAnalysis } from '@slipway/strategies'

// A canary that answers slowly but correctly is judged by max-latency, not failed as erroring:
// a measurement may take as long as its requests may, even when it outlasts measure-every.
describe('canary analysis of a slow but healthy canary', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    server = createServer((_req, res) => {
      setTimeout(() => res.end('ok\n'), 600)
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })

  it('counts no error when 10 requests of 600 ms outlast a 1 s measure-every', async () => {
    const run = await runAnalysis(
      { intervalMs: 4000, sampleEveryMs: 1000, failureLimit: 0, consecutiveSuccesses: 1 },
      [httpMetric({ url, requests: 10, maxErrorRate: 0 })]
    )
    expect(run.reason).toMatch(/consecutive successful/)
    expect(run.ok).toBe(true)
    expect(run.samples[0].results[0].message).toMatch(/0\.0% errors \(0\/10/)
  })

  it('still fails the canary on latency when max-latency says so', async () => {
    const run = await runAnalysis(
      { intervalMs: 4000, sampleEveryMs: 1000, failureLimit: 0, consecutiveSuccesses: 1 },
      [httpMetric({ url, requests: 5, maxErrorRate: 0, maxLatencyMs: 300 })]
    )
    expect(run.ok).toBe(false)
    expect(run.reason).toMatch(/p95 \d+ms \(max 300ms\)/)
  })
})
