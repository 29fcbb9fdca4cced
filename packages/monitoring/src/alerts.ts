import type { Progress } from '@slipway/kit'
import { AlertmanagerClient, MonitoringUnavailable, type Alert } from './alertmanager.js'
import type { AlertSettings } from './settings.js'

/** A matching alert, as the summary names it. */
export interface FiringAlert {
  name: string
  startsAt: string
  labels: Record<string, string>
  summary?: string
}

export interface AlertVerdict {
  ok: boolean
  /** Matching alerts that started firing after the stage began (or all, with firingBefore count). */
  counted: FiringAlert[]
  /** Matching alerts already firing when the stage began: reported, not counted. */
  before: FiringAlert[]
  /** Alertmanager could not be asked (and on-monitoring-unavailable is warn when ok). */
  unavailable?: string
  message: string
}

/**
 * Judges the alerts Alertmanager lists: one that started firing at or after `since` is the new
 * version's doing and fails the analysis; one older than the stage is reported (or counted, if
 * the user asks), since failing a deploy for an outage it did not cause would block the fix.
 */
export function judgeAlerts(
  alerts: Alert[],
  since: Date,
  firingBefore: AlertSettings['firingBefore']
): AlertVerdict {
  const counted: FiringAlert[] = []
  const before: FiringAlert[] = []
  for (const alert of alerts) {
    const started = Date.parse(alert.startsAt)
    const isNew = !Number.isFinite(started) || started >= since.getTime()
    const entry = describe(alert)
    if (isNew || firingBefore === 'count') counted.push(entry)
    else before.push(entry)
  }
  const ok = counted.length === 0
  const names = (list: FiringAlert[]): string => [...new Set(list.map(a => a.name))].join(', ')
  const message = ok
    ? `no new alert${before.length > 0 ? ` (already firing before the deploy: ${names(before)})` : ''}`
    : `alert firing: ${names(counted)}${counted[0].summary ? ` (${counted[0].summary})` : ''}`
  return { ok, counted, before, message }
}

/**
 * Asks Alertmanager once and judges the answer. Unreachable fails closed, unless the user chose
 * on-monitoring-unavailable: warn (then it passes, saying so, and warns through `progress`).
 */
export async function checkAlerts(
  settings: AlertSettings,
  since: Date,
  options: { signal?: AbortSignal; progress?: Pick<Progress, 'warning'> } = {}
): Promise<AlertVerdict> {
  const client = new AlertmanagerClient(settings.url)
  try {
    const alerts = await client.alerts(settings.matchers, options.signal)
    return judgeAlerts(alerts, since, settings.firingBefore)
  } catch (error) {
    if (!(error instanceof MonitoringUnavailable)) throw error
    const ok = settings.onUnavailable === 'warn'
    if (ok) options.progress?.warning(`${error.message} (on-monitoring-unavailable: warn)`)
    return {
      ok,
      counted: [],
      before: [],
      unavailable: error.message,
      message: ok ? `not checked: ${error.message}` : error.message
    }
  }
}

function describe(alert: Alert): FiringAlert {
  return {
    name: alert.labels.alertname ?? alert.fingerprint,
    startsAt: alert.startsAt,
    labels: alert.labels,
    summary: alert.annotations?.summary ?? alert.annotations?.description
  }
}
