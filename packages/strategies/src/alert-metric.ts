import { checkAlerts, type AlertSettings } from '@slipway/monitoring'
import type { Metric } from './analysis.js'

/**
 * The team's Alertmanager as a canary metric: a measurement fails while a matching alert that
 * started after the deploy began is firing, and names it. Alertmanager unreachable fails the
 * measurement (fail closed) unless on-monitoring-unavailable is warn.
 */
export function alertMetric(settings: AlertSettings, since: Date): Metric {
  return {
    name: 'alertmanager',
    async measure(signal) {
      const verdict = await checkAlerts(settings, since, { signal })
      return {
        ok: verdict.ok,
        value: verdict.counted.length,
        message: `alertmanager: ${verdict.message}`
      }
    }
  }
}
