import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { SummaryBuilder } from '@slipway/kit'
import { planSmoke, renderSummary, runSmoke, watchWindow, type SmokeCheck } from '@slipway/smoke'
import { smokeInputs } from './helpers/inputs.js'
import {
  startMetricsServer,
  startPrometheus,
  waitForValue,
  type MetricsServer,
  type PrometheusServer
} from './helpers/prometheus.js'
import { startAppServer, type AppServer } from './helpers/servers.js'

let app: AppServer
beforeAll(async () => {
  app = await startAppServer()
})
afterAll(async () => {
  await app.close()
})

const toggle = (): SmokeCheck => ({
  name: 'toggle',
  spec: { url: `${app.url}/toggle` },
  requestTimeoutMs: 1000
})

describe('watchWindow', () => {
  it('passes a window without breaches, one round per interval', async () => {
    app.healthy = true
    const before = app.hits.get('/toggle') ?? 0
    const result = await watchWindow({
      windowMs: 1000,
      intervalMs: 250,
      failureLimit: 1,
      checks: [toggle()],
      queries: [],
      requestTimeoutMs: 1000,
      concurrency: 4
    })
    expect(result).toMatchObject({ passed: true, rounds: 5, breaches: 0, stoppedEarly: false })
    expect((app.hits.get('/toggle') ?? 0) - before).toBe(5)
    // a busy machine stretches the window, so only its lower bound is a fact
    expect(result.durationMs).toBeGreaterThanOrEqual(1000)
  })

  it('fails on the first breach and stops early', async () => {
    app.healthy = true
    try {
      const result = await watchWindow({
        windowMs: 5000,
        intervalMs: 250,
        failureLimit: 1,
        checks: [toggle()],
        queries: [],
        requestTimeoutMs: 1000,
        concurrency: 4,
        // the server turns bad after the second round, whatever time that takes here
        onRound: round => {
          if (round.index === 1) app.healthy = false
        }
      })
      expect(result.passed).toBe(false)
      expect(result.stoppedEarly).toBe(true)
      expect(result.breaches).toBe(1)
      // stopped at the breaching third round, not at the end of the 21-round window
      expect(result.rounds).toBe(3)
      expect(result.breachRounds[0].failures[0]).toMatchObject({ name: 'toggle', kind: 'http' })
      expect(result.message).toMatch(
        /^breach in round \d after \d\.\ds: toggle: GET .*\/toggle → status 500, expected 200-399$/
      )
    } finally {
      app.healthy = true
    }
  })

  it('tolerates breaches under the failure limit', async () => {
    app.healthy = false
    const result = await watchWindow({
      windowMs: 1000,
      intervalMs: 250,
      failureLimit: 3,
      checks: [toggle()],
      queries: [],
      requestTimeoutMs: 1000,
      concurrency: 4,
      // bad for the first two rounds, then good again
      onRound: round => {
        if (round.index === 1) app.healthy = true
      }
    })
    expect(result.passed).toBe(true)
    expect(result.breaches).toBe(2)
    expect(result.message).toMatch(/breaching round\(s\), under the limit of 3/)
  })
})

describe('watch window with a real Prometheus', () => {
  let metrics: MetricsServer
  let prometheus: PrometheusServer
  beforeAll(async () => {
    metrics = await startMetricsServer({ 'app_http_error_ratio{route="/"}': 0.001 })
    prometheus = await startPrometheus(metrics.url)
  }, 30_000)
  afterAll(async () => {
    await prometheus?.close()
    await metrics?.close()
  })

  it('fails the step when a query breaches during the window', async () => {
    app.healthy = true
    const plan = planSmoke(
      smokeInputs({
        url: `${app.url}/toggle`,
        watchMs: 8000,
        watchIntervalMs: 300,
        prometheusUrl: prometheus.url,
        queries: [{ name: 'error ratio', query: 'max(app_http_error_ratio)', max: 0.01 }]
      })
    )
    // The error ratio jumps half a second into the window.
    const jump = setTimeout(() => metrics.values.set('app_http_error_ratio{route="/"}', 0.2), 500)
    try {
      const report = await runSmoke(plan)
      expect(report.passed).toBe(false)
      expect(report.failed).toEqual(['watch'])
      expect(report.watch?.stoppedEarly).toBe(true)
      expect(report.watch?.lastValues['error ratio']).toBe(0.2)
      expect(report.watch?.settings.graphs['error ratio']).toBe(
        `${prometheus.url}/graph?g0.expr=max%28app_http_error_ratio%29&g0.tab=0&g0.range_input=1h`
      )
      const summary = new SummaryBuilder()
      renderSummary(report, summary)
      expect(summary.toString()).toContain(
        `| [error ratio](${prometheus.url}/graph?g0.expr=max%28app_http_error_ratio%29`
      )
      expect(summary.toString()).toMatch(
        /\| \d+ \| [\d.]+s \| error ratio \| error ratio = 0\.2, expected ≤ 0\.01 \|/
      )
      expect(report.watch?.breachRounds[0].failures).toEqual([
        { name: 'error ratio', kind: 'prometheus', message: 'error ratio = 0.2, expected ≤ 0.01' }
      ])
      expect(report.message).toMatch(
        /^watch window: breach in round \d+ after .*: error ratio: error ratio = 0\.2, expected ≤ 0\.01$/
      )
    } finally {
      clearTimeout(jump)
    }
    expect(await waitForValue(prometheus.url, 'max(app_http_error_ratio)', '0.2')).toBe(true)
  })
})
