import type autocannon from 'autocannon'
import { displayUrl, formatStatusList, statusMatches, type StatusRange } from '@slipway/probes'

/**
 * A short load check: autocannon (as a library, in this process) against one URL for a
 * bounded time and request count, then thresholds and an optional baseline comparison.
 */
export interface LoadSpec {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
  durationMs: number
  connections: number
  /** Overall requests per second across all connections (unset: as fast as possible). */
  rate?: number
  /** Stop after this many responses even if the duration has not elapsed. */
  maxRequests: number
  requestTimeoutMs: number
  /** Statuses that count as success; anything else is an error. */
  expectStatus: StatusRange[]
  thresholds: LoadThresholds
  baseline?: BaselineFigures
  /** Allowed regression against the baseline, as a fraction (0.2 = 20 %). */
  tolerance: number
}

export interface LoadThresholds {
  /** Fraction of failed requests (0.01 = 1 %). */
  maxErrorRate?: number
  maxP95Ms?: number
  maxP99Ms?: number
  minRps?: number
}

export interface LoadFigures {
  /** Requests answered or failed. */
  requests: number
  /** Transport errors, timeouts and answers outside the expected statuses. */
  errors: number
  errorRate: number
  rps: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  maxMs: number
  durationMs: number
  /** Status code counts, e.g. {"200": 950, "503": 2}. */
  statuses: Record<string, number>
  /** The first transport error, to explain a high error rate. */
  firstError?: string
}

/** The figures a baseline needs: any of them; missing ones are not compared. */
export type BaselineFigures = Partial<Pick<LoadFigures, 'p95Ms' | 'p99Ms' | 'rps' | 'errorRate'>>

export interface LoadVerdict {
  metric: 'error rate' | 'p95' | 'p99' | 'requests/s'
  value: number
  /** The limit the value was held to. */
  limit: number
  /** `threshold`: a configured limit; `baseline`: baseline × (1 ± tolerance). */
  source: 'threshold' | 'baseline'
  baseline?: number
  ok: boolean
}

export interface LoadResult {
  url: string
  figures: LoadFigures
  verdicts: LoadVerdict[]
  passed: boolean
  message: string
  settings: {
    durationMs: number
    connections: number
    rate?: number
    maxRequests: number
    tolerance: number
  }
}

/** Runs the load, bounded by `durationMs` (plus one request timeout) and `maxRequests`. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const figures = await measure(spec)
  const verdicts = judge(figures, spec)
  const failed = verdicts.filter(v => !v.ok)
  const passed = figures.requests > 0 && failed.length === 0
  const message =
    figures.requests === 0
      ? `no request completed${figures.firstError ? `: ${figures.firstError}` : ''}`
      : failed.length === 0
        ? `${figures.requests} requests, ${formatRate(figures.errorRate)} errors, p95 ${ms(figures.p95Ms)}, ${figures.rps.toFixed(0)} req/s`
        : failed.map(describeVerdict).join('; ') +
          (figures.errors > 0 && figures.firstError ? ` (first error: ${figures.firstError})` : '')
  return {
    url: displayUrl(spec.url),
    figures,
    verdicts,
    passed,
    message,
    settings: {
      durationMs: spec.durationMs,
      connections: spec.connections,
      rate: spec.rate,
      maxRequests: spec.maxRequests,
      tolerance: spec.tolerance
    }
  }
}

async function measure(spec: LoadSpec): Promise<LoadFigures> {
  const target = new URL(spec.url)
  const headers: Record<string, string> = { ...(spec.headers ?? {}) }
  if (target.username || target.password) {
    const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`
    headers.authorization ??= `Basic ${Buffer.from(credentials).toString('base64')}`
    target.username = ''
    target.password = ''
  }
  // autocannon (with its histogram and HTTP parser) is loaded by the load check that runs, not
  // by every smoke test: an input error or a dry run never parses it.
  const { default: autocannon } = await import('autocannon')
  // Response times are kept in a growable typed array: exact percentiles (autocannon's own
  // result has p90/p97.5/p99 but no p95), bounded by maxRequests.
  let latencies = new Float64Array(Math.min(spec.maxRequests, 65_536))
  let count = 0
  let transportErrors = 0
  let badStatus = 0
  let firstError: string | undefined
  const statuses: Record<string, number> = {}
  const started = Date.now()
  const instance = autocannon({
    url: target.toString(),
    method: (spec.method ?? 'GET').toUpperCase() as autocannon.Request['method'],
    headers,
    body: spec.body,
    // Never more connections than requests: autocannon shares the request cap among them.
    connections: Math.min(spec.connections, spec.maxRequests),
    duration: spec.durationMs / 1000,
    // The cap on the whole run, enforced by autocannon per connection (exact, unlike stop()).
    maxOverallRequests: spec.maxRequests,
    // autocannon notices its stop flag on each sample tick: 100 ms keeps the end close to the duration.
    sampleInt: 100,
    overallRate: spec.rate,
    timeout: Math.max(1, Math.ceil(spec.requestTimeoutMs / 1000)),
    // We do not print; autocannon's own table and progress bar are for its CLI.
    renderProgressBar: false,
    renderResultsTable: false,
    renderLatencyTable: false
  } as autocannon.Options) as unknown as autocannon.Instance & Promise<autocannon.Result>
  // Without a callback the instance is also a promise of the result (rejected on bad options).
  const done: Promise<autocannon.Result> = instance
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (count === latencies.length) {
      const grown = new Float64Array(Math.min(latencies.length * 2, spec.maxRequests))
      grown.set(latencies)
      latencies = grown
    }
    if (count < latencies.length) latencies[count] = responseTime
    count++
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1
    if (!statusMatches(statusCode, spec.expectStatus)) badStatus++
  })
  instance.on('reqError', (error: unknown) => {
    transportErrors++
    firstError ??= error instanceof Error ? error.message : String(error)
  })
  // A hard stop in case the duration timer never fires (a server that never answers).
  const guard = setTimeout(() => instance.stop(), spec.durationMs + spec.requestTimeoutMs + 5000)
  try {
    await done
  } finally {
    clearTimeout(guard)
  }
  const durationMs = Date.now() - started
  const sorted = latencies.subarray(0, Math.min(count, latencies.length)).sort()
  const requests = count + transportErrors
  const errors = badStatus + transportErrors
  if (badStatus > 0 && firstError === undefined) {
    const unexpected = Object.keys(statuses).filter(
      code => !statusMatches(Number(code), spec.expectStatus)
    )
    firstError = `status ${unexpected.join(', ')} (expected ${formatStatusList(spec.expectStatus)})`
  }
  return {
    requests,
    errors,
    errorRate: requests === 0 ? 1 : errors / requests,
    rps: round(count / (durationMs / 1000)),
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length === 0 ? 0 : round(sorted[sorted.length - 1]),
    durationMs,
    statuses,
    firstError
  }
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.ceil((p / 100) * sorted.length)
  return round(sorted[Math.min(sorted.length, Math.max(1, rank)) - 1])
}

/**
 * Holds the figures to the thresholds, then to the baseline: latency may grow and
 * throughput may shrink by at most `tolerance`. The error rate is held to its threshold
 * only: a baseline of 0 errors would make any single error a "regression".
 */
export function judge(
  figures: LoadFigures,
  spec: Pick<LoadSpec, 'thresholds' | 'baseline' | 'tolerance'>
): LoadVerdict[] {
  const verdicts: LoadVerdict[] = []
  const { thresholds, baseline, tolerance } = spec
  if (thresholds.maxErrorRate !== undefined)
    verdicts.push(upper('error rate', figures.errorRate, thresholds.maxErrorRate, 'threshold'))
  if (thresholds.maxP95Ms !== undefined)
    verdicts.push(upper('p95', figures.p95Ms, thresholds.maxP95Ms, 'threshold'))
  if (thresholds.maxP99Ms !== undefined)
    verdicts.push(upper('p99', figures.p99Ms, thresholds.maxP99Ms, 'threshold'))
  if (thresholds.minRps !== undefined)
    verdicts.push(lower('requests/s', figures.rps, thresholds.minRps, 'threshold'))
  if (baseline) {
    if (baseline.p95Ms !== undefined)
      verdicts.push({
        ...upper('p95', figures.p95Ms, baseline.p95Ms * (1 + tolerance), 'baseline'),
        baseline: baseline.p95Ms
      })
    if (baseline.p99Ms !== undefined)
      verdicts.push({
        ...upper('p99', figures.p99Ms, baseline.p99Ms * (1 + tolerance), 'baseline'),
        baseline: baseline.p99Ms
      })
    if (baseline.rps !== undefined)
      verdicts.push({
        ...lower('requests/s', figures.rps, baseline.rps * (1 - tolerance), 'baseline'),
        baseline: baseline.rps
      })
  }
  return verdicts
}

function upper(
  metric: LoadVerdict['metric'],
  value: number,
  limit: number,
  source: LoadVerdict['source']
): LoadVerdict {
  return { metric, value, limit: round(limit), source, ok: value <= limit }
}

function lower(
  metric: LoadVerdict['metric'],
  value: number,
  limit: number,
  source: LoadVerdict['source']
): LoadVerdict {
  return { metric, value, limit: round(limit), source, ok: value >= limit }
}

/** `p95 42.1ms > 30ms (baseline 25ms + 20%)` */
export function describeVerdict(verdict: LoadVerdict): string {
  const format = (value: number): string => formatMetric(verdict.metric, value)
  const op = verdict.metric === 'requests/s' ? (verdict.ok ? '≥' : '<') : verdict.ok ? '≤' : '>'
  const why = verdict.source === 'baseline' ? ` (baseline ${format(verdict.baseline ?? 0)})` : ''
  return `${verdict.metric} ${format(verdict.value)} ${op} ${format(verdict.limit)}${why}`
}

/**
 * Reads a baseline: a previous smoke-test `report` output (its `load.figures`), or the
 * figures object itself. Returns undefined when it holds no comparable figure.
 */
export function baselineFrom(document: unknown): BaselineFigures | undefined {
  if (!document || typeof document !== 'object') return undefined
  const record = document as Record<string, unknown>
  const load = record.load as Record<string, unknown> | undefined
  const figures = (
    load && typeof load === 'object' && load.figures ? load.figures : record
  ) as Record<string, unknown>
  const pick = (key: string): number | undefined =>
    typeof figures[key] === 'number' && Number.isFinite(figures[key])
      ? (figures[key] as number)
      : undefined
  const baseline: BaselineFigures = {
    p95Ms: pick('p95Ms'),
    p99Ms: pick('p99Ms'),
    rps: pick('rps'),
    errorRate: pick('errorRate')
  }
  if (baseline.p95Ms === undefined && baseline.p99Ms === undefined && baseline.rps === undefined)
    return undefined
  return baseline
}

export function formatMetric(metric: LoadVerdict['metric'], value: number): string {
  return metric === 'error rate'
    ? formatRate(value)
    : metric === 'requests/s'
      ? value.toFixed(1)
      : ms(value)
}

export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(rate < 0.01 && rate > 0 ? 2 : 1)}%`
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}ms`
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
