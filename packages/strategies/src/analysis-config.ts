import { InputError } from '@slipway/kit'
import { formatMatcher } from '@slipway/monitoring'
import { displayUrl } from '@slipway/probes'
import { alertMetric } from './alert-metric.js'
import type { Target } from '@slipway/providers'
import { httpMetric, type Metric } from './analysis.js'
import type { DeployConfig } from './config.js'
import type { DeployInputs } from './deploy-inputs.js'
import { prometheusMetric } from './prometheus-metric.js'
import { need } from './required-input.js'

/**
 * The canary analysis from the deploy inputs: an HTTP measurement (analysis-url, error rate,
 * p95 latency) and/or a Prometheus query, judged every interval; undefined when none is set.
 */
export function buildAnalysis(
  inputs: DeployInputs,
  targets: Target[]
): { config: DeployConfig['analysis']; describe: string[] } | undefined {
  const describe: string[] = []
  const factories: ((canary: Target) => Metric)[] = []
  if (inputs.analysisUrl || inputs.maxErrorRate || inputs.maxLatencyMs !== undefined) {
    const url = inputs.analysisUrl
    if (!url)
      throw new InputError(
        'analysis-url',
        'the canary URL to measure (use {target} for the canary slot name)',
        url
      )
    const rate = inputs.maxErrorRate ?? '0.01'
    const maxErrorRate = /%$/.test(rate) ? Number(rate.slice(0, -1)) / 100 : Number(rate)
    if (!Number.isFinite(maxErrorRate) || maxErrorRate < 0 || maxErrorRate > 1)
      throw new InputError(
        'max-error-rate',
        'a share from 0 to 1 (0.01) or a percentage (1%)',
        rate
      )
    factories.push(canary =>
      httpMetric({
        url: url
          .replace(/\{target\}/g, encodeURIComponent(canary.name))
          .replace(/\{address\}/g, canary.address ?? ''),
        requests: inputs.analysisRequests,
        maxErrorRate,
        maxLatencyMs: inputs.maxLatencyMs
      })
    )
    describe.push(
      `HTTP ${url}: ${inputs.analysisRequests} requests per measurement, error rate ≤ ${maxErrorRate * 100}%${inputs.maxLatencyMs !== undefined ? `, p95 ≤ ${inputs.maxLatencyMs}ms` : ''}`
    )
  }
  if (inputs.prometheusQuery || inputs.prometheusUrl) {
    const url = need(inputs.prometheusUrl, 'prometheus-url', 'the Prometheus server to query')
    try {
      new URL(url)
    } catch {
      throw new InputError('prometheus-url', 'a URL such as http://prometheus:9090', url)
    }
    const query = need(
      inputs.prometheusQuery,
      'prometheus-query',
      'the PromQL instant query to evaluate'
    )
    const min = optionalNumber(inputs.prometheusMin, 'prometheus-min')
    const max = optionalNumber(inputs.prometheusMax, 'prometheus-max')
    if (min === undefined && max === undefined)
      throw new InputError(
        'prometheus-max',
        'a number the query result must not exceed (or prometheus-min)',
        undefined
      )
    factories.push(canary =>
      prometheusMetric({
        url,
        query,
        min,
        max,
        variables: { version: inputs.version, target: canary.name }
      })
    )
    describe.push(
      `Prometheus \`${query}\`${min !== undefined ? ` ≥ ${min}` : ''}${max !== undefined ? ` ≤ ${max}` : ''}`
    )
  }
  if (inputs.alerts) {
    const alerts = inputs.alerts
    // The configuration is built when the deploy starts: alerts older than this are the
    // previous version's, reported but not counted (unless alerts-firing-before: count).
    const since = new Date()
    factories.push(() => alertMetric(alerts, since))
    describe.push(
      `Alertmanager ${displayUrl(alerts.url)}: no new alert matching \`${alerts.matchers.map(formatMatcher).join(', ')}\``
    )
  }
  if (factories.length === 0) return undefined
  if (inputs.consecutiveSuccesses < 1)
    throw new InputError(
      'consecutive-successes',
      'a whole number of at least 1',
      inputs.consecutiveSuccesses
    )
  const sampleEveryMs = Math.min(
    inputs.measureEveryMs ?? Math.max(1000, Math.round(inputs.intervalMs / 5)),
    inputs.intervalMs
  )
  describe.unshift(
    `every ${Math.round(sampleEveryMs / 100) / 10}s for up to ${Math.round(inputs.intervalMs / 100) / 10}s; fail after ${inputs.failureLimit + 1} failed measurement(s), pass after ${inputs.consecutiveSuccesses} in a row`
  )
  void targets
  return {
    config: {
      policy: {
        intervalMs: inputs.intervalMs,
        sampleEveryMs,
        failureLimit: inputs.failureLimit,
        consecutiveSuccesses: inputs.consecutiveSuccesses
      },
      metrics: canary => factories.map(f => f(canary))
    },
    describe
  }
}

function optionalNumber(text: string | undefined, input: string): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value)) throw new InputError(input, 'a number', text)
  return value
}
