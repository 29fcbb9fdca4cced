import {
  httpProbe,
  prometheusProbe,
  runChecks,
  sleep,
  type Check,
  type CheckResult,
  type PrometheusSpec
} from '@slipway/probes'
import { checkAlerts, type AlertSettings } from '@slipway/monitoring'
import type { SmokeCheck } from './checks.js'

/**
 * The watch window: after the deployment passed its checks, keep probing for a while
 * (the HTTP checks once per round, plus Prometheus instant queries) and fail on the first
 * breach, or after `failureLimit` breaching rounds. This is the pipeline's post-deploy
 * monitoring: a failed step here triggers the automatic rollback.
 */
export interface WatchSpec {
  windowMs: number
  intervalMs: number
  /** Breaching rounds that fail the window (1: the first breach fails it). */
  failureLimit: number
  checks: SmokeCheck[]
  queries: Array<PrometheusSpec & { name: string }>
  /** The team's Alertmanager: a matching alert that starts firing after `since` is a breach. */
  alerts?: AlertSettings
  /** When the stage began: alerts older than this are reported, not counted (by default). */
  since?: Date
  requestTimeoutMs: number
  concurrency: number
  onRound?: (round: WatchRound) => void
}

export interface WatchFailure {
  name: string
  kind: 'http' | 'prometheus' | 'alert'
  message: string
}

export interface WatchRound {
  index: number
  /** Milliseconds since the window opened. */
  offsetMs: number
  at: string
  failures: WatchFailure[]
}

export interface WatchResult {
  passed: boolean
  rounds: number
  breaches: number
  /** True when the window was cut short by reaching the failure limit. */
  stoppedEarly: boolean
  /** Rounds with failures (the first 50). */
  breachRounds: WatchRound[]
  /** Matching alerts already firing before the stage began: reported, not counted. */
  alertsBefore?: string[]
  /** The last value seen for each single-valued query. */
  lastValues: Record<string, number | undefined>
  durationMs: number
  message: string
  settings: {
    windowMs: number
    intervalMs: number
    failureLimit: number
    queries: string[]
    /** Each query's Prometheus graph page (credentials removed), for links in the summary. */
    graphs: Record<string, string>
  }
}

export async function watchWindow(spec: WatchSpec): Promise<WatchResult> {
  const opened = Date.now()
  const closes = opened + spec.windowMs
  // Rounds at 0, interval, 2×interval … up to the end of the window: a bounded loop.
  const maxRounds = Math.floor(spec.windowMs / spec.intervalMs) + 1
  const breachRounds: WatchRound[] = []
  const lastValues: Record<string, number | undefined> = {}
  const alertsBefore = new Set<string>()
  const since = spec.since ?? new Date(opened)
  let breaches = 0
  let rounds = 0
  let stoppedEarly = false
  for (let index = 0; index < maxRounds; index++) {
    const due = opened + index * spec.intervalMs
    if (due > closes) break
    const wait = due - Date.now()
    if (wait > 0) await sleep(wait)
    const results = await runChecks(roundChecks(spec, since, alertsBefore), {
      concurrency: spec.concurrency
    })
    rounds++
    for (const [i, query] of spec.queries.entries()) {
      const value = results[spec.checks.length + i]?.details?.value
      lastValues[query.name] = typeof value === 'number' ? value : undefined
    }
    const failures = results.filter(r => r.status === 'failed').map(toFailure)
    const round: WatchRound = {
      index,
      offsetMs: Date.now() - opened,
      at: new Date().toISOString(),
      failures
    }
    spec.onRound?.(round)
    if (failures.length > 0) {
      breaches++
      if (breachRounds.length < 50) breachRounds.push(round)
      if (breaches >= spec.failureLimit) {
        stoppedEarly = index < maxRounds - 1
        break
      }
    }
  }
  const passed = breaches < spec.failureLimit
  const first = breachRounds[0]?.failures[0]
  const message = passed
    ? `${rounds} rounds, ${breaches === 0 ? 'no breach' : `${breaches} breaching round(s), under the limit of ${spec.failureLimit}`}`
    : `breach in round ${breachRounds[breachRounds.length - 1].index + 1} after ${formatSeconds(breachRounds[breachRounds.length - 1].offsetMs)}: ${first ? `${first.name}: ${first.message}` : ''}`
  return {
    passed,
    rounds,
    breaches,
    stoppedEarly,
    breachRounds,
    alertsBefore: [...alertsBefore],
    lastValues,
    durationMs: Date.now() - opened,
    message,
    settings: {
      windowMs: spec.windowMs,
      intervalMs: spec.intervalMs,
      failureLimit: spec.failureLimit,
      queries: spec.queries.map(q => q.name),
      graphs: Object.fromEntries(spec.queries.map(q => [q.name, graphUrl(q)]))
    }
  }
}

/** One attempt of every HTTP check and every query: a round is a snapshot, not a wait. */
function roundChecks(spec: WatchSpec, since: Date, alertsBefore: Set<string>): Check[] {
  const http: Check[] = spec.checks.map(check => ({
    name: check.name,
    type: 'http',
    severity: 'error',
    timeoutMs: check.requestTimeoutMs,
    retries: 0,
    retryDelayMs: 0,
    run: context => httpProbe(check.spec, context)
  }))
  const prometheus: Check[] = spec.queries.map(query => ({
    name: query.name,
    type: 'prometheus',
    severity: 'error',
    timeoutMs: spec.requestTimeoutMs,
    retries: 0,
    retryDelayMs: 0,
    run: context => prometheusProbe(query, context)
  }))
  const alerts: Check[] = spec.alerts
    ? [
        {
          name: 'alertmanager',
          type: 'alertmanager',
          severity: 'error',
          timeoutMs: spec.requestTimeoutMs,
          retries: 0,
          retryDelayMs: 0,
          run: async context => {
            const verdict = await checkAlerts(spec.alerts!, since, { signal: context.signal })
            for (const alert of verdict.before) alertsBefore.add(alert.name)
            return {
              ok: verdict.ok,
              message: verdict.message,
              details: { alerts: verdict.counted.map(a => a.name) }
            }
          }
        }
      ]
    : []
  // Alerts last: the queries' values are read by position after the HTTP checks.
  return [...http, ...prometheus, ...alerts]
}

function toFailure(result: CheckResult): WatchFailure {
  return {
    name: result.name,
    kind:
      result.type === 'prometheus'
        ? 'prometheus'
        : result.type === 'alertmanager'
          ? 'alert'
          : 'http',
    message: result.message
  }
}

/** The Prometheus expression browser for a query, without any credentials of the server URL. */
export function graphUrl(query: PrometheusSpec): string {
  const url = new URL(query.url)
  url.username = ''
  url.password = ''
  const base = url.toString().replace(/\/+$/, '')
  return `${base}/graph?${new URLSearchParams({ 'g0.expr': query.query, 'g0.tab': '0', 'g0.range_input': '1h' })}`
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}
