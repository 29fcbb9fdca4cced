import { UserError } from '@slipway/kit'
import { describeFetchError, displayUrl } from './http.js'
import type { Probe, ProbeOutcome } from './types.js'

/**
 * One Prometheus instant query checked against thresholds. Used by smoke-test's watch
 * window and by canary analysis: "is the error ratio still under 1 % right now?".
 */
export interface PrometheusSpec {
  /** Base URL of the Prometheus server (the part before `/api/v1/query`). */
  url: string
  /** A PromQL expression evaluated as an instant query. */
  query: string
  /** Fail when any returned value is below this. */
  min?: number
  /** Fail when any returned value is above this. */
  max?: number
  /** What an empty result means: `fail` (default: no data is not evidence of health) or `pass`. */
  onEmpty?: 'fail' | 'pass'
  /** Extra request headers (e.g. Authorization for a hosted Prometheus). */
  headers?: Record<string, string>
  /** A label for messages; defaults to the query. */
  name?: string
}

/** One returned sample: its labels and value. */
export interface PrometheusSample {
  labels: Record<string, string>
  value: number
}

/** Thrown for a malformed spec (the user's settings); `field` names the part at fault. */
export class PrometheusSpecError extends UserError {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message, `fix the \`${field}\` of this Prometheus query in your settings.`)
    this.name = 'PrometheusSpecError'
  }
}

// Prometheus names a query it cannot parse or run this way; anything else is the server's state.
const QUERY_REJECTED = new Set(['bad_data', 'execution'])

export function validatePrometheusSpec(spec: PrometheusSpec): void {
  let url: URL | undefined
  try {
    url = new URL(spec.url)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new PrometheusSpecError(
      'url',
      `expected the http(s) URL of a Prometheus server, got ${JSON.stringify(spec.url)}`
    )
  if (typeof spec.query !== 'string' || spec.query.trim() === '')
    throw new PrometheusSpecError(
      'query',
      `expected a PromQL expression, got ${JSON.stringify(spec.query)}`
    )
  for (const field of ['min', 'max'] as const) {
    const value = spec[field]
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value)))
      throw new PrometheusSpecError(field, `expected a number, got ${JSON.stringify(value)}`)
  }
  if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max)
    throw new PrometheusSpecError('min', `expected min at most max (${spec.max}), got ${spec.min}`)
  if (spec.onEmpty !== undefined && spec.onEmpty !== 'fail' && spec.onEmpty !== 'pass')
    throw new PrometheusSpecError(
      'onEmpty',
      `expected fail or pass, got ${JSON.stringify(spec.onEmpty)}`
    )
}

/** The URL of the instant query (exported for dry-run listings). */
export function prometheusQueryUrl(spec: Pick<PrometheusSpec, 'url' | 'query'>): string {
  const base = spec.url.replace(/\/+$/, '')
  return `${base}/api/v1/query?${new URLSearchParams({ query: spec.query }).toString()}`
}

/**
 * Runs the query once (GET /api/v1/query) and checks every returned value against
 * min/max. A vector with several series fails when any series breaches, and the message
 * names the worst one with its labels. NaN never passes a threshold.
 */
export const prometheusProbe: Probe<PrometheusSpec> = async (spec, context) => {
  const label = spec.name ?? spec.query
  let samples: PrometheusSample[]
  try {
    samples = await queryPrometheus(spec, context.signal)
  } catch (error) {
    if (context.signal.aborted) throw error
    return {
      ok: false,
      message: `${label}: ${describeFetchError(error)}`,
      details: { query: spec.query, server: displayUrl(spec.url) }
    }
  }
  return evaluateSamples(spec, samples)
}

/** Checks samples against the spec's thresholds (pure; exported for canary analysis and tests). */
export function evaluateSamples(spec: PrometheusSpec, samples: PrometheusSample[]): ProbeOutcome {
  const label = spec.name ?? spec.query
  const bounds = describeBounds(spec)
  const details: Record<string, unknown> = {
    query: spec.query,
    min: spec.min,
    max: spec.max,
    samples: samples.slice(0, 20).map(s => ({ labels: s.labels, value: s.value })),
    value: samples.length === 1 ? samples[0].value : undefined
  }
  if (samples.length === 0) {
    const ok = spec.onEmpty === 'pass'
    return { ok, message: `${label}: no data${ok ? ' (allowed)' : ''}`, details }
  }
  const breaches = samples.filter(s => !withinBounds(s.value, spec))
  if (breaches.length === 0) {
    const shown = samples.length === 1 ? formatValue(samples[0].value) : `${samples.length} series`
    return { ok: true, message: `${label} = ${shown}${bounds ? ` (${bounds})` : ''}`, details }
  }
  const worst = worstBreach(breaches, spec)
  const labels = formatLabels(worst.labels)
  const more = breaches.length > 1 ? ` (+${breaches.length - 1} more series)` : ''
  details.breaches = breaches.length
  return {
    ok: false,
    message: `${label} = ${formatValue(worst.value)}${labels}, expected ${bounds}${more}`,
    details
  }
}

function withinBounds(value: number, spec: PrometheusSpec): boolean {
  if (Number.isNaN(value)) return spec.min === undefined && spec.max === undefined
  if (spec.min !== undefined && value < spec.min) return false
  if (spec.max !== undefined && value > spec.max) return false
  return true
}

/** The series furthest outside its bound (NaN first: it means the metric is broken). */
function worstBreach(breaches: PrometheusSample[], spec: PrometheusSpec): PrometheusSample {
  const distance = (s: PrometheusSample): number => {
    if (Number.isNaN(s.value)) return Infinity
    if (spec.max !== undefined && s.value > spec.max) return s.value - spec.max
    if (spec.min !== undefined && s.value < spec.min) return spec.min - s.value
    return 0
  }
  return breaches.reduce((a, b) => (distance(b) > distance(a) ? b : a))
}

function describeBounds(spec: PrometheusSpec): string {
  if (spec.min !== undefined && spec.max !== undefined) return `between ${spec.min} and ${spec.max}`
  if (spec.max !== undefined) return `≤ ${spec.max}`
  if (spec.min !== undefined) return `≥ ${spec.min}`
  return ''
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels)
  if (entries.length === 0) return ''
  return `{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}`
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)))
}

/**
 * GET /api/v1/query and flattens the answer to samples. Vector and scalar results are
 * supported; a matrix (a range selector without a function) is refused with a hint, as
 * thresholds on raw ranges are almost always a mistake.
 */
export async function queryPrometheus(
  spec: Pick<PrometheusSpec, 'url' | 'query' | 'headers'>,
  signal?: AbortSignal
): Promise<PrometheusSample[]> {
  const url = new URL(prometheusQueryUrl(spec))
  const headers: Record<string, string> = { accept: 'application/json', ...(spec.headers ?? {}) }
  if (url.username || url.password) {
    headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    url.username = ''
    url.password = ''
  }
  // undici loads with the first request: an input error or a dry run never parses it.
  const { fetch } = await import('undici')
  const response = await fetch(url, { headers, signal })
  const text = await response.text()
  let body: PrometheusResponse
  try {
    body = JSON.parse(text) as PrometheusResponse
  } catch {
    throw new UserError(
      `Prometheus answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      "check the Prometheus URL: the server's base URL, to which /api/v1/query is added (no path of a web page or dashboard)."
    )
  }
  if (body.status !== 'success' || !body.data) {
    throw new UserError(
      `Prometheus answered ${response.status}: ${body.errorType ?? 'error'}: ${body.error ?? text.slice(0, 200)}`,
      QUERY_REJECTED.has(body.errorType ?? '')
        ? "fix the PromQL query as the server's message says (Prometheus' expression browser shows the same error)."
        : 'check the Prometheus server and its credentials: it did not run the query.'
    )
  }
  const { resultType, result } = body.data
  if (resultType === 'scalar')
    return [{ labels: {}, value: Number((result as [number, string])[1]) }]
  if (resultType === 'vector')
    return (result as VectorSample[]).map(sample => ({
      labels: sample.metric ?? {},
      value: Number(sample.value[1])
    }))
  if (resultType === 'matrix')
    throw new UserError(
      `query returned a range vector (matrix); wrap it in a function such as rate() or avg_over_time()`,
      'make the query return one value per series: rate(metric[5m]) or avg_over_time(metric[5m]), not metric[5m].'
    )
  throw new UserError(
    `query returned an unsupported result type ${String(resultType)}`,
    'make the query return a number or an instant vector (a string result has no value to compare).'
  )
}

interface VectorSample {
  metric?: Record<string, string>
  value: [number, string]
}

interface PrometheusResponse {
  status: 'success' | 'error'
  data?: { resultType: string; result: unknown }
  errorType?: string
  error?: string
}
