import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { SummaryBuilder } from '@slipway/kit'
import { planSmoke, renderPlan, renderSummary, runSmoke } from '@slipway/smoke'
import { smokeInputs } from './helpers/inputs.js'
import { startAppServer, type AppServer } from './helpers/servers.js'

let app: AppServer
beforeAll(async () => {
  app = await startAppServer()
})
afterAll(async () => {
  await app.close()
})

describe('summary', () => {
  it('renders a passing run with checks, load figures and the watch window', async () => {
    const plan = planSmoke(
      smokeInputs({
        baseUrl: app.url,
        checks: [
          { name: 'health', url: '/health', 'expect-json': { '$.status': 'ok' } },
          { name: 'load target', url: '/load' }
        ],
        loadUrl: '/load',
        loadDurationMs: 500,
        loadConnections: 2,
        loadRate: 200,
        // Limits far from what any machine measures: this test is about rendering, and a busy
        // machine must not turn a latency or throughput figure into a failure.
        loadMaxP95Ms: 60_000,
        loadMinRps: '0.5',
        baseline: JSON.stringify({ load: { figures: { p95Ms: 50_000, p99Ms: 80_000, rps: 1 } } }),
        watchMs: 500,
        watchIntervalMs: 250
      })
    )
    const lines: string[] = []
    const report = await runSmoke(plan, { info: line => lines.push(line) })
    expect(report.passed).toBe(true)
    expect(report.message).toMatch(
      /^2 check\(s\) passed; load \d+ requests, 0\.0% errors, p95 [\d.]+ms, \d+ req\/s; watch 3 rounds, no breach$/
    )
    const summary = new SummaryBuilder()
    renderSummary(report, summary)
    const text = summary.toString()
    expect(text).toContain('## Smoke test passed ✅')
    expect(text).toMatch(/2\/2 checks passed in [\d.]+m?s\./)
    expect(text).toMatch(/Timings: checks \d+ms · load [\d.]+m?s · watch [\d.]+m?s/)
    expect(text).toMatch(
      /\| ✅ \| health \| GET http:\/\/127\.0\.0\.1:\d+\/health \| 200 \| \d+ms \| 1 \| 200 in \d+ms \|/
    )
    expect(text).toContain('### Load check ✅')
    expect(text).toMatch(/2 connections, 200 req\/s: \*\*\d+\*\* requests/)
    expect(text).toMatch(
      /\| p95 \| [\d.]+ms \| ✅ ≤ 60000\.0ms \| ✅ ≤ 60000\.0ms \(was 50000\.0ms\) \|/
    )
    expect(text).toMatch(/\| requests\/s \| [\d.]+ \| ✅ ≥ 0\.5 \| ✅ ≥ 0\.8 \(was 1\.0\) \|/)
    expect(text).toContain('### Watch window ✅')
    expect(text).toMatch(
      /500ms every 250ms: 3 round\(s\) in [\d.]+m?s, 0 breaching round\(s\) \(limit 1\)\./
    )
    expect(lines.filter(line => /^watch round \d \(\+[\d.]+s\): ok$/.test(line))).toHaveLength(3)
  })

  it('renders the dry-run plan', () => {
    const plan = planSmoke(
      smokeInputs({
        url: 'https://app.example.com/health',
        checks: [
          {
            name: 'api',
            url: 'https://app.example.com/api',
            'expect-body': 'items',
            'expect-headers': { 'content-type': '^application/json', etag: null },
            'expect-json': [{ path: '$.items', exists: false }],
            'max-latency': '300ms',
            retries: 2
          }
        ],
        loadDurationMs: 10_000,
        loadMaxP99Ms: 900,
        loadMinRps: '5',
        loadRate: 50,
        baseline: '{"p95Ms": 10}',
        prometheusUrl: 'http://prom:9090',
        queries: [{ name: 'up', query: 'up', min: 1 }]
      })
    )
    const summary = new SummaryBuilder()
    renderPlan(plan, summary)
    const text = summary.toString()
    expect(text).toContain('## Smoke test (dry run)')
    expect(text).toContain(
      '| GET /health | GET https://app.example.com/health | status 200-399 | until ready |'
    )
    expect(text).toContain(
      '| api | GET https://app.example.com/api | status 200-399; body contains "items"; $.items absent; content-type ~ /^application/json/; etag present; ≤ 300ms | 2 |'
    )
    expect(text).toContain('for 10.0s with 10 connections at 50 req/s (at most 1000000 requests)')
    expect(text).toContain(
      'Thresholds: error rate ≤ 1.0%, p99 ≤ 900ms, ≥ 5 req/s, baseline {"p95Ms":10} ±20%'
    )
    expect(text).toContain('- One evaluation of the queries')
    expect(text).toContain('- up: `up`  ≥ 1 — http://prom:9090/api/v1/query')
  })
})
