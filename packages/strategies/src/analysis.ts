import { httpProbe, sleep, type ProbeOutcome } from '@slipway/probes'
import { formatDuration } from '@slipway/kit'
import { waitBeat, type WaitProgress } from './health-gate.js'
import type { AnalysisPolicy } from './types.js'

/** One measurement of one metric. */
export interface Measurement {
  ok: boolean
  /** The measured value (error rate, latency, query result) for the summary. */
  value?: number
  message: string
}

/** Something analysis can measure: an HTTP error rate/latency, a Prometheus query … */
export interface Metric {
  name: string
  measure(signal: AbortSignal): Promise<Measurement>
}

export interface AnalysisSample {
  atMs: number
  ok: boolean
  results: { metric: string; ok: boolean; value?: number; message: string }[]
}

export interface AnalysisRun {
  ok: boolean
  reason: string
  samples: AnalysisSample[]
  failures: number
  durationMs: number
}

/**
 * Runs analysis with Argo Rollouts' semantics: a measurement (all metrics) every
 * `sampleEveryMs`; the run FAILS as soon as failed measurements exceed `failureLimit`, and
 * PASSES as soon as `consecutiveSuccesses` measurements in a row succeed. When `intervalMs`
 * runs out first, it passes if failures stayed within the limit and at least one measurement
 * succeeded. So a bad canary is detected, and traffic returned, within one interval.
 */
/** The least time one measurement gets, whatever measure-every says. */
const MEASUREMENT_FLOOR_MS = 5000

export async function runAnalysis(
  policy: AnalysisPolicy,
  metrics: Metric[],
  now: () => number = Date.now,
  pause: (ms: number) => Promise<void> = sleep,
  progress?: WaitProgress
): Promise<AnalysisRun> {
  const started = now()
  // The log hears about the analysis between measurements, with the latest one's figures.
  const beat = waitBeat({ now, sleep: pause }, progress, elapsed => {
    const latest = samples.at(-1)
    const measured = latest ? latest.results.map(r => r.message).join('; ') : 'no measurement yet'
    return `analysis: ${samples.length} measurement(s), ${failures} failed (limit ${policy.failureLimit}), ${formatDuration(elapsed)} of ${formatDuration(policy.intervalMs)}; latest: ${measured}`
  })
  const deadline = started + policy.intervalMs
  const samples: AnalysisSample[] = []
  let failures = 0
  let streak = 0
  const maxSamples = Math.ceil(policy.intervalMs / Math.max(1, policy.sampleEveryMs)) + 1
  const finish = (ok: boolean, reason: string): AnalysisRun => ({
    ok,
    reason,
    samples,
    failures,
    durationMs: now() - started
  })
  if (metrics.length === 0) return finish(true, 'no analysis metrics configured')
  for (let i = 0; i < maxSamples; i++) {
    const sampleStarted = now()
    const budget = Math.max(500, Math.min(policy.sampleEveryMs, deadline - sampleStarted))
    const results = await Promise.all(
      metrics.map(async metric => {
        // A measurement may take as long as one of its requests may (httpMetric's 5 s): a slow
        // answer is latency, judged by max-latency, not an error of the canary.
        const signal = AbortSignal.timeout(Math.max(budget, MEASUREMENT_FLOOR_MS))
        try {
          const m = await metric.measure(signal)
          return { metric: metric.name, ...m }
        } catch (error) {
          return {
            metric: metric.name,
            ok: false,
            message: `${metric.name}: ${(error as Error).message}`
          }
        }
      })
    )
    const ok = results.every(r => r.ok)
    samples.push({ atMs: sampleStarted - started, ok, results })
    if (ok) streak++
    else {
      failures++
      streak = 0
    }
    if (failures > policy.failureLimit) {
      const bad = results.find(r => !r.ok)
      return finish(
        false,
        `${failures} failed measurement(s), more than failure-limit ${policy.failureLimit}: ${bad?.message ?? ''}`
      )
    }
    if (streak >= policy.consecutiveSuccesses)
      return finish(true, `${streak} consecutive successful measurement(s)`)
    const wait = sampleStarted + policy.sampleEveryMs - now()
    if (now() + Math.max(0, wait) >= deadline) break
    beat.tick()
    if (wait > 0) await beat.sleep(wait)
  }
  const passed = samples.some(s => s.ok)
  return finish(
    passed,
    passed
      ? `interval ended with ${failures} failure(s) (limit ${policy.failureLimit})`
      : 'interval ended without a successful measurement'
  )
}

export interface HttpMetricSpec {
  url: string
  /** Requests per measurement. */
  requests: number
  /** Highest acceptable share of failed requests (0–1). */
  maxErrorRate: number
  /** Highest acceptable p95 latency (ms), when set. */
  maxLatencyMs?: number
}

/**
 * Error rate and p95 latency of `requests` GETs, each one `httpProbe` (status 200–399 is a
 * success), so "healthy" means the same here as in preflight and smoke-test.
 */
export function httpMetric(spec: HttpMetricSpec): Metric {
  return {
    name: 'http',
    async measure(signal) {
      const outcomes: ProbeOutcome[] = []
      const concurrency = Math.min(5, spec.requests)
      let next = 0
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < spec.requests) {
            next++
            outcomes.push(
              await httpProbe({ url: spec.url }, { signal, timeoutMs: 5000 }).catch(
                (error: unknown): ProbeOutcome => ({
                  ok: false,
                  message: String((error as Error).message ?? error)
                })
              )
            )
          }
        })
      )
      const failed = outcomes.filter(o => !o.ok)
      const errorRate = failed.length / Math.max(1, outcomes.length)
      const latencies = outcomes
        .map(o => Number(o.details?.latencyMs))
        .filter(n => Number.isFinite(n))
        .sort((a, b) => a - b)
      const p95 = latencies.length
        ? latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.95) - 1)]
        : undefined
      const errorOk = errorRate <= spec.maxErrorRate
      const latencyOk =
        spec.maxLatencyMs === undefined || (p95 !== undefined && p95 <= spec.maxLatencyMs)
      const rate = `${(errorRate * 100).toFixed(1)}% errors (${failed.length}/${outcomes.length}, max ${(spec.maxErrorRate * 100).toFixed(1)}%)`
      const latency =
        p95 === undefined
          ? ''
          : `, p95 ${Math.round(p95)}ms${spec.maxLatencyMs !== undefined ? ` (max ${spec.maxLatencyMs}ms)` : ''}`
      const example = failed[0] ? `; e.g. ${failed[0].message}` : ''
      return {
        ok: errorOk && latencyOk,
        value: errorRate,
        message: `http ${spec.url}: ${rate}${latency}${example}`
      }
    }
  }
}
