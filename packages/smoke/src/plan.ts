import { readFileSync } from 'node:fs'
import { InputError } from '@slipway/kit'
import {
  HttpSpecError,
  PrometheusSpecError,
  parseStatusList,
  validatePrometheusSpec,
  type PrometheusSpec,
  type StatusRange
} from '@slipway/probes'
import { parseChecks, parseHeaders, resolveUrl, type SmokeCheck } from './checks.js'
import { baselineFrom, type LoadSpec } from './load.js'
import type { AlertSettings } from '@slipway/monitoring'
import type { WatchSpec } from './watch.js'

/** The action's inputs, already read by their typed readers (input names in comments). */
export interface SmokeInputs {
  /** `url` */
  url?: string
  /** `base-url` */
  baseUrl?: string
  /** `method` */
  method?: string
  /** `body` */
  body?: string
  /** `headers`: parsed YAML map, sent with every request (checks and load). */
  headers?: unknown
  /** `expect-status` */
  expectStatus?: string
  /** `expect-body` */
  expectBody?: string
  /** `expect-body-regex` */
  expectBodyRegex?: string
  /** `expect-json`: parsed YAML map of JSONPath → value. */
  expectJson?: unknown
  /** `max-latency` (ms) */
  maxLatencyMs?: number
  /** `follow-redirects` */
  followRedirects: boolean
  /** `insecure` */
  insecure: boolean
  /** `ca-file` */
  caFile?: string
  /** `checks`: parsed YAML list. */
  checks?: unknown
  /** `timeout` (ms): overall readiness deadline. */
  timeoutMs: number
  /** `request-timeout` (ms) */
  requestTimeoutMs: number
  /** `retry-interval` (ms) */
  retryIntervalMs: number
  /** `concurrency` */
  concurrency: number
  /** `load-duration` (ms); unset: no load check. */
  loadDurationMs?: number
  /** `load-url` */
  loadUrl?: string
  /** `load-connections` */
  loadConnections: number
  /** `load-rate` */
  loadRate?: number
  /** `load-max-requests` */
  loadMaxRequests: number
  /** `load-max-error-rate`: `1%` or `0.01`. */
  loadMaxErrorRate?: string
  /** `load-max-p95` (ms) */
  loadMaxP95Ms?: number
  /** `load-max-p99` (ms) */
  loadMaxP99Ms?: number
  /** `load-min-rps` */
  loadMinRps?: string
  /** `baseline`: a previous report as JSON text, or the path of a file holding it. */
  baseline?: string
  /** `baseline-tolerance`: `20%` or `0.2`. */
  baselineTolerance?: string
  /** `watch` (ms) */
  watchMs?: number
  /** `watch-interval` (ms) */
  watchIntervalMs: number
  /** `prometheus-url` */
  prometheusUrl?: string
  /** `queries`: parsed YAML list. */
  queries?: unknown
  /** The team's Alertmanager (`alertmanager-url`, `alert-matchers` …), watched with the queries. */
  alerts?: AlertSettings
  /** `failure-limit` */
  failureLimit: number
  /** `junit-path` */
  junitPath?: string
  /** `dry-run` */
  dryRun: boolean
}

export interface SmokePlan {
  checks: SmokeCheck[]
  timeoutMs: number
  retryIntervalMs: number
  maxRetryIntervalMs: number
  concurrency: number
  load?: LoadSpec
  watch?: Omit<WatchSpec, 'onRound'>
  junitPath?: string
  dryRun: boolean
}

/** Load checks are bounded: at most 10 minutes, 1,000 connections and 5 million requests. */
export const LOAD_LIMITS = {
  maxDurationMs: 10 * 60_000,
  maxConnections: 1000,
  maxRequests: 5_000_000
}
/** A watch window longer than 6 hours would outlive a job's default time limit. */
export const MAX_WATCH_MS = 6 * 3_600_000

/**
 * Validates every input and builds the plan; nothing is sent. Every problem is an
 * InputError naming the input, so a typo fails the step before any request.
 */
export function planSmoke(inputs: SmokeInputs): SmokePlan {
  if (inputs.baseUrl !== undefined) {
    try {
      const base = new URL(inputs.baseUrl)
      if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('protocol')
    } catch {
      throw new InputError('base-url', 'an absolute http(s) URL', inputs.baseUrl)
    }
  }
  const headers = parseHeaders(inputs.headers)
  const checks = parseChecks(
    {
      url: inputs.url,
      method: inputs.method,
      body: inputs.body,
      expectStatus: inputs.expectStatus,
      expectBody: inputs.expectBody,
      expectBodyRegex: inputs.expectBodyRegex,
      expectJson: inputs.expectJson
    },
    inputs.checks,
    {
      baseUrl: inputs.baseUrl,
      headers,
      requestTimeoutMs: inputs.requestTimeoutMs,
      followRedirects: inputs.followRedirects,
      insecure: inputs.insecure,
      caFile: inputs.caFile,
      maxLatencyMs: inputs.maxLatencyMs
    }
  )
  const queries = parseQueries(inputs)
  if (checks.length === 0 && queries.length === 0 && !inputs.alerts)
    throw new InputError(
      'url',
      'a URL to check (or a list in `checks`, Prometheus `queries`, or `alert-matchers`)',
      undefined
    )
  // A request timeout longer than the overall timeout is harmless: each attempt is cut at
  // the deadline (never below 1 s), so a short `timeout` with the default request timeout works.

  const load = planLoad(inputs, checks, headers)
  let watch: SmokePlan['watch']
  if (inputs.watchMs !== undefined || queries.length > 0 || inputs.alerts) {
    const windowMs = inputs.watchMs ?? 0
    if (windowMs > MAX_WATCH_MS)
      throw new InputError('watch', 'a duration of at most 6h', `${windowMs}ms`)
    if (windowMs > 0 && inputs.watchIntervalMs > windowMs)
      throw new InputError(
        'watch-interval',
        `at most the watch window (${windowMs}ms)`,
        `${inputs.watchIntervalMs}ms`
      )
    watch = {
      windowMs,
      intervalMs: inputs.watchIntervalMs,
      failureLimit: inputs.failureLimit,
      checks,
      queries,
      alerts: inputs.alerts,
      requestTimeoutMs: inputs.requestTimeoutMs,
      concurrency: inputs.concurrency
    }
  }
  return {
    checks,
    timeoutMs: inputs.timeoutMs,
    retryIntervalMs: inputs.retryIntervalMs,
    // The backoff stops growing at 5 s (or the first interval, when that is longer): a
    // deployment that becomes ready is noticed within seconds, not half a minute later.
    maxRetryIntervalMs: Math.max(inputs.retryIntervalMs, 5000),
    concurrency: inputs.concurrency,
    load,
    watch,
    junitPath: inputs.junitPath,
    dryRun: inputs.dryRun
  }
}

function parseQueries(inputs: SmokeInputs): Array<PrometheusSpec & { name: string }> {
  if (inputs.queries === undefined || inputs.queries === null) return []
  if (!inputs.prometheusUrl)
    throw new InputError(
      'prometheus-url',
      'the Prometheus server the queries run against',
      undefined
    )
  if (!Array.isArray(inputs.queries))
    throw new InputError(
      'queries',
      'a YAML list of {name, query, max?, min?}',
      JSON.stringify(inputs.queries)
    )
  const names = new Set<string>()
  return inputs.queries.map((entry, index) => {
    const where = `queries[${index}]`
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
      throw new InputError(
        'queries',
        `${where}: a map {name, query, max?, min?}`,
        JSON.stringify(entry)
      )
    const raw = entry as Record<string, unknown>
    for (const key of Object.keys(raw)) {
      if (!['name', 'query', 'max', 'min', 'on-empty', 'onEmpty'].includes(key))
        throw new InputError(
          'queries',
          `${where}: known keys (name, query, max, min, on-empty)`,
          key
        )
    }
    const spec: PrometheusSpec & { name: string } = {
      url: inputs.prometheusUrl!,
      query: typeof raw.query === 'string' ? raw.query : (undefined as unknown as string),
      name:
        typeof raw.name === 'string' && raw.name.trim() !== ''
          ? raw.name
          : String(raw.query ?? where),
      min: raw.min === undefined || raw.min === null ? undefined : (raw.min as number),
      max: raw.max === undefined || raw.max === null ? undefined : (raw.max as number),
      // The app's `headers` (its tokens) are not sent to Prometheus: credentials for a
      // protected Prometheus go in prometheus-url (https://user:password@host), sent as Basic auth.
      onEmpty: (raw['on-empty'] ?? raw.onEmpty) as PrometheusSpec['onEmpty']
    }
    if (spec.min === undefined && spec.max === undefined)
      throw new InputError(
        'queries',
        `${where}: a threshold (max or min) for ${spec.name}`,
        JSON.stringify(entry)
      )
    try {
      validatePrometheusSpec(spec)
    } catch (error) {
      if (!(error instanceof PrometheusSpecError)) throw error
      const input = error.field === 'url' ? 'prometheus-url' : 'queries'
      const expected = error.message.replace(/^expected /, '').replace(/, got [\s\S]*$/, '')
      if (input === 'prometheus-url') throw new InputError(input, expected, inputs.prometheusUrl)
      throw new InputError(input, `${where}.${error.field}: ${expected}`, JSON.stringify(entry))
    }
    if (names.has(spec.name))
      throw new InputError(
        'queries',
        `unique query names (${JSON.stringify(spec.name)} is used twice)`,
        spec.name
      )
    names.add(spec.name)
    return spec
  })
}

function planLoad(
  inputs: SmokeInputs,
  checks: SmokeCheck[],
  headers: Record<string, string> | undefined
): LoadSpec | undefined {
  const loadInputs: Array<[string, unknown]> = [
    ['load-url', inputs.loadUrl],
    ['load-rate', inputs.loadRate],
    ['load-max-error-rate', inputs.loadMaxErrorRate],
    ['load-max-p95', inputs.loadMaxP95Ms],
    ['load-max-p99', inputs.loadMaxP99Ms],
    ['load-min-rps', inputs.loadMinRps],
    ['baseline', inputs.baseline]
  ]
  if (inputs.loadDurationMs === undefined) {
    const stray = loadInputs.find(([, value]) => value !== undefined)
    if (stray)
      throw new InputError(
        'load-duration',
        `a duration for the load check that ${stray[0]} configures`,
        undefined
      )
    return undefined
  }
  if (inputs.loadDurationMs > LOAD_LIMITS.maxDurationMs)
    throw new InputError('load-duration', 'a duration of at most 10m', `${inputs.loadDurationMs}ms`)
  if (inputs.loadConnections > LOAD_LIMITS.maxConnections)
    throw new InputError(
      'load-connections',
      `at most ${LOAD_LIMITS.maxConnections}`,
      String(inputs.loadConnections)
    )
  if (inputs.loadMaxRequests > LOAD_LIMITS.maxRequests)
    throw new InputError(
      'load-max-requests',
      `at most ${LOAD_LIMITS.maxRequests}`,
      String(inputs.loadMaxRequests)
    )
  // The load goes to load-url, else to the single plain `url` (or the first check).
  const target = inputs.loadUrl ?? checks[0]?.spec.url
  if (!target) throw new InputError('load-url', 'the URL to put load on (or a `url`)', undefined)
  const url = resolveUrl(target, inputs.baseUrl, 'load-url')
  let expectStatus: StatusRange[] = [{ min: 200, max: 399 }]
  const statusSource = inputs.loadUrl === undefined ? checks[0]?.spec.expectStatus : undefined
  if (statusSource !== undefined) {
    try {
      expectStatus = parseStatusList(statusSource)
    } catch (error) {
      if (!(error instanceof HttpSpecError)) throw error
      throw new InputError('expect-status', error.expected, String(statusSource))
    }
  }
  let baseline: LoadSpec['baseline']
  if (inputs.baseline !== undefined) baseline = readBaseline(inputs.baseline)
  return {
    url,
    method: inputs.loadUrl === undefined ? checks[0]?.spec.method : undefined,
    headers,
    body:
      inputs.loadUrl === undefined && typeof checks[0]?.spec.body === 'string'
        ? checks[0].spec.body
        : undefined,
    durationMs: inputs.loadDurationMs,
    connections: inputs.loadConnections,
    rate: inputs.loadRate,
    maxRequests: inputs.loadMaxRequests,
    requestTimeoutMs: inputs.requestTimeoutMs,
    expectStatus,
    thresholds: {
      maxErrorRate: fraction('load-max-error-rate', inputs.loadMaxErrorRate ?? '1%'),
      maxP95Ms: inputs.loadMaxP95Ms,
      maxP99Ms: inputs.loadMaxP99Ms,
      minRps:
        inputs.loadMinRps === undefined
          ? undefined
          : positiveNumber('load-min-rps', inputs.loadMinRps)
    },
    baseline,
    tolerance: fraction('baseline-tolerance', inputs.baselineTolerance ?? '20%')
  }
}

/** `1%` → 0.01; `0.05` → 0.05. A bare number must be a fraction from 0 to 1. */
export function fraction(input: string, text: string): number {
  const value = text.trim()
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value)
  const number = percent
    ? Number(percent[1]) / 100
    : /^\d+(?:\.\d+)?$/.test(value)
      ? Number(value)
      : NaN
  if (!Number.isFinite(number) || number < 0 || number > 1)
    throw new InputError(
      input,
      'a percentage such as 1% or a fraction from 0 to 1 such as 0.01',
      text
    )
  return number
}

function positiveNumber(input: string, text: string): number {
  const value = Number(text.trim())
  if (!/^\d+(?:\.\d+)?$/.test(text.trim()) || !(value > 0))
    throw new InputError(input, 'a positive number', text)
  return value
}

/** JSON text of a previous report (or its figures), or the path of a file holding it. */
function readBaseline(text: string): NonNullable<LoadSpec['baseline']> {
  let json = text.trim()
  if (!json.startsWith('{')) {
    try {
      json = readFileSync(json, 'utf8')
    } catch {
      throw new InputError(
        'baseline',
        'a previous smoke-test report as JSON, or the path of a file holding it',
        text
      )
    }
  }
  let document: unknown
  try {
    document = JSON.parse(json)
  } catch (error) {
    throw new InputError(
      'baseline',
      `valid JSON (${error instanceof Error ? error.message : String(error)})`,
      text
    )
  }
  const baseline = baselineFrom(document)
  if (!baseline)
    throw new InputError(
      'baseline',
      'a report with load figures (load.figures.p95Ms, p99Ms or rps)',
      text
    )
  return baseline
}
