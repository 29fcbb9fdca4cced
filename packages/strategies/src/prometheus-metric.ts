import { prometheusProbe } from '@slipway/probes'
import type { Metric } from './analysis.js'

export interface PrometheusMetricSpec {
  url: string
  /** PromQL; `{{version}}` and `{{target}}` are replaced (query text, never a shell). */
  query: string
  min?: number
  max?: number
  variables: Record<string, string>
}

/** Fills `{{version}}` / `{{target}}` in a query. */
export function renderQuery(query: string, variables: Record<string, string>): string {
  return query.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => variables[name] ?? whole)
}

/**
 * A Prometheus instant query with thresholds, measured by the shared `prometheusProbe`
 * (no data and NaN fail: absence of evidence is not health).
 */
export function prometheusMetric(spec: PrometheusMetricSpec): Metric {
  const query = renderQuery(spec.query, spec.variables)
  return {
    name: 'prometheus',
    async measure(signal) {
      const outcome = await prometheusProbe(
        { url: spec.url, query, min: spec.min, max: spec.max },
        { signal, timeoutMs: 5000 }
      )
      const value = outcome.details?.value
      return {
        ok: outcome.ok,
        value: typeof value === 'number' ? value : undefined,
        message: `prometheus ${outcome.message}`
      }
    }
  }
}
