import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { judge, percentile, runLoad, describeVerdict, type LoadSpec } from '@slipway/smoke'
import { startAppServer, type AppServer } from './helpers/servers.js'

let app: AppServer
beforeAll(async () => {
  app = await startAppServer()
})
afterAll(async () => {
  await app.close()
})

const spec = (overrides: Partial<LoadSpec> = {}): LoadSpec => ({
  url: `${app.url}/load`,
  durationMs: 1000,
  connections: 4,
  maxRequests: 200_000,
  requestTimeoutMs: 2000,
  expectStatus: [{ min: 200, max: 299 }],
  thresholds: { maxErrorRate: 0.01 },
  tolerance: 0.2,
  ...overrides
})

describe('runLoad against a local server', () => {
  it('passes within thresholds and reports the figures', async () => {
    app.loadDelayMs = 0
    app.loadFailEvery = 0
    // Latency and throughput limits that a busy machine cannot miss: an answer slower than the
    // request timeout is an error, and any answer at all is more than 1 request/s. The edges of
    // each verdict are tested below and in 'load figures', not against this machine's speed.
    const result = await runLoad(
      spec({ thresholds: { maxErrorRate: 0.01, maxP95Ms: 2000, maxP99Ms: 2000, minRps: 1 } })
    )
    expect(result.passed).toBe(true)
    expect(result.figures.requests).toBeGreaterThan(100)
    expect(result.figures.errors).toBe(0)
    expect(result.figures.statuses).toEqual({ 200: result.figures.requests })
    expect(result.figures.p50Ms).toBeLessThanOrEqual(result.figures.p95Ms)
    expect(result.figures.p95Ms).toBeLessThanOrEqual(result.figures.p99Ms)
    // milliseconds, not seconds or microseconds: a unit check, not a budget
    expect(result.figures.durationMs).toBeGreaterThanOrEqual(900)
    expect(result.figures.durationMs).toBeLessThan(60_000)
    expect(result.verdicts.map(v => [v.metric, v.ok])).toEqual([
      ['error rate', true],
      ['p95', true],
      ['p99', true],
      ['requests/s', true]
    ])
  })

  it('fails on the error rate and the latency thresholds, and on a baseline regression', async () => {
    app.loadDelayMs = 25
    app.loadFailEvery = 10
    try {
      const result = await runLoad(
        spec({
          thresholds: { maxErrorRate: 0.01, maxP95Ms: 10 },
          // rps 1: throughput on a busy machine is no part of this verdict
          baseline: { p95Ms: 5, rps: 1 },
          tolerance: 0.2
        })
      )
      expect(result.passed).toBe(false)
      expect(result.figures.errorRate).toBeGreaterThan(0.08)
      expect(result.figures.errorRate).toBeLessThan(0.12)
      expect(result.figures.p95Ms).toBeGreaterThanOrEqual(25)
      const failed = result.verdicts.filter(v => !v.ok).map(v => `${v.metric}/${v.source}`)
      expect(failed).toEqual(['error rate/threshold', 'p95/threshold', 'p95/baseline'])
      expect(result.message).toMatch(
        /^error rate \d+\.\d% > 1\.0%; p95 \d+\.\dms > 10\.0ms; p95 \d+\.\dms > 6\.00ms \(baseline 5\.00ms\) \(first error: status 500 \(expected 200-299\)\)$/
      )
      expect(result.figures.firstError).toBe('status 500 (expected 200-299)')
      // The same figures against a generous baseline pass.
      const generous = judge(result.figures, {
        thresholds: {},
        baseline: { p95Ms: 1000, p99Ms: 2000, rps: 1 },
        tolerance: 0.2
      })
      expect(generous.every(v => v.ok)).toBe(true)
    } finally {
      app.loadDelayMs = 0
      app.loadFailEvery = 0
    }
  })

  it('keeps to a fixed rate and to the request cap', async () => {
    const paced = await runLoad(spec({ rate: 50, durationMs: 1000, connections: 2 }))
    // A busy machine only sends fewer, so only the ceiling is a fact: unthrottled, the same server
    // takes thousands per second (the first test).
    expect(paced.figures.requests).toBeGreaterThan(0)
    expect(paced.figures.requests).toBeLessThanOrEqual(110)
    // The cap ends the load long before its duration, which outlasts this test's deadline: a load
    // that ignored the cap would fail the test by its timeout.
    const capped = await runLoad(spec({ durationMs: 120_000, maxRequests: 300 }))
    expect(capped.figures.requests).toBe(300)
    expect(capped.figures.durationMs).toBeLessThan(120_000)
  })

  it('fails when nothing answers', async () => {
    const closed = await startAppServer()
    const url = `${closed.url}/load`
    await closed.close()
    const result = await runLoad(spec({ url, durationMs: 500 }))
    expect(result.passed).toBe(false)
    expect(result.figures.errorRate).toBe(1)
    expect(result.message).toMatch(/^error rate 100\.0% > 1\.0% \(first error: .*ECONNREFUSED/)
  })
})

describe('load figures', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(values, 50)).toBe(50)
    expect(percentile(values, 95)).toBe(95)
    expect(percentile(values, 99)).toBe(99)
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([], 95)).toBe(0)
  })

  it('compares with a baseline: latency up by more than the tolerance, throughput down', () => {
    const figures = {
      requests: 1000,
      errors: 0,
      errorRate: 0,
      rps: 700,
      p50Ms: 5,
      p95Ms: 13,
      p99Ms: 20,
      maxMs: 40,
      durationMs: 1000,
      statuses: {}
    }
    const verdicts = judge(figures, {
      thresholds: {},
      baseline: { p95Ms: 10, p99Ms: 20, rps: 1000 },
      tolerance: 0.2
    })
    expect(verdicts.map(v => [v.metric, v.limit, v.ok])).toEqual([
      ['p95', 12, false],
      ['p99', 24, true],
      ['requests/s', 800, false]
    ])
    expect(describeVerdict(verdicts[2])).toBe('requests/s 700.0 < 800.0 (baseline 1000.0)')
  })
})
