import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  evaluateSamples,
  prometheusProbe,
  validatePrometheusSpec,
  type PrometheusSpec
} from '@slipway/probes'
import {
  freePort,
  startMetricsServer,
  startPrometheus,
  waitForValue,
  type MetricsServer,
  type PrometheusServer
} from './helpers/prometheus.js'

const context = () => ({ signal: AbortSignal.timeout(5000), timeoutMs: 5000 })

describe('prometheusProbe against a real Prometheus', () => {
  let metrics: MetricsServer
  let prometheus: PrometheusServer
  beforeAll(async () => {
    metrics = await startMetricsServer({
      'app_error_ratio{route="/"}': 0.002,
      'app_error_ratio{route="/api"}': 0.004,
      app_ready: 1
    })
    prometheus = await startPrometheus(metrics.url)
  }, 30_000)
  afterAll(async () => {
    await prometheus?.close()
    await metrics?.close()
  })

  it('passes when every series is within bounds', async () => {
    const outcome = await prometheusProbe(
      { url: prometheus.url, query: 'app_error_ratio', max: 0.01 },
      context()
    )
    expect(outcome).toMatchObject({ ok: true, message: 'app_error_ratio = 2 series (≤ 0.01)' })
    const single = await prometheusProbe(
      { url: prometheus.url, query: 'max(app_error_ratio)', max: 0.01, min: 0, name: 'errors' },
      context()
    )
    expect(single).toMatchObject({ ok: true, message: 'errors = 0.004 (between 0 and 0.01)' })
    expect(single.details?.value).toBe(0.004)
  })

  it('fails on a breach and names the worst series', async () => {
    metrics.values.set('app_error_ratio{route="/api"}', 0.25)
    expect(await waitForValue(prometheus.url, 'app_error_ratio{route="/api"}', '0.25')).toBe(true)
    const outcome = await prometheusProbe(
      { url: prometheus.url, query: 'app_error_ratio', max: 0.01 },
      context()
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toBe(
      'app_error_ratio = 0.25{__name__="app_error_ratio", instance="' +
        metrics.url +
        '", job="app", route="/api"}, expected ≤ 0.01'
    )
  })

  it('checks a minimum, a scalar, and empty results', async () => {
    expect(
      (await prometheusProbe({ url: prometheus.url, query: 'sum(app_ready)', min: 1 }, context()))
        .ok
    ).toBe(true)
    expect(
      (
        await prometheusProbe(
          { url: prometheus.url, query: 'scalar(sum(app_ready))', min: 2 },
          context()
        )
      ).message
    ).toBe('scalar(sum(app_ready)) = 1, expected ≥ 2')
    expect(
      (await prometheusProbe({ url: prometheus.url, query: 'no_such_metric', max: 1 }, context()))
        .message
    ).toBe('no_such_metric: no data')
    expect(
      (
        await prometheusProbe(
          { url: prometheus.url, query: 'no_such_metric', max: 1, onEmpty: 'pass' },
          context()
        )
      ).ok
    ).toBe(true)
  })

  it('reports a bad query and a range vector with the reason', async () => {
    const bad = await prometheusProbe({ url: prometheus.url, query: 'sum(', max: 1 }, context())
    expect(bad.ok).toBe(false)
    expect(bad.message).toMatch(/^sum\(: Prometheus answered 400: bad_data: /)
    const range = await prometheusProbe(
      { url: prometheus.url, query: 'app_ready[1m]', max: 1 },
      context()
    )
    expect(range.message).toContain('range vector (matrix)')
  })
})

describe('prometheusProbe without a server', () => {
  it('reports a refused connection', async () => {
    const outcome = await prometheusProbe(
      { url: `http://127.0.0.1:${await freePort()}`, query: 'up', max: 1 },
      context()
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain('ECONNREFUSED')
  })

  it('treats NaN as a breach', () => {
    expect(
      evaluateSamples({ url: 'http://x', query: 'q', max: 1 }, [{ labels: {}, value: NaN }]).ok
    ).toBe(false)
  })

  it('validates the spec and names the field', () => {
    const field = (spec: Partial<PrometheusSpec>) => {
      try {
        validatePrometheusSpec({ url: 'http://p:9090', query: 'up', ...spec } as PrometheusSpec)
      } catch (error) {
        return (error as { field: string }).field
      }
      return undefined
    }
    expect(field({})).toBeUndefined()
    expect(field({ url: 'p:9090' })).toBe('url')
    expect(field({ query: ' ' })).toBe('query')
    expect(field({ max: '1' as unknown as number })).toBe('max')
    expect(field({ min: 2, max: 1 })).toBe('min')
  })
})
