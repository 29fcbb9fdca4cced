import { httpUrl } from './url.js'
import { InputError, urlCredentials, type Inputs, type RunnerEnv } from '@slipway/kit'
import { parseMatchers, type Matcher } from './matchers.js'

/** The team's Alertmanager as the analysis signal. */
export interface AlertSettings {
  url: string
  /** Alerts that fail the analysis when they start firing after the stage began. */
  matchers: Matcher[]
  /** Expected noise silenced for the stage's duration. */
  silenceMatchers?: Matcher[]
  /** Alertmanager unreachable: fail the step (fail closed) or warn and go on. */
  onUnavailable: 'fail' | 'warn'
  /** Matching alerts already firing when the stage began: listed only, or counted as failures. */
  firingBefore: 'report' | 'count'
  /** The workflow run, the silence's comment. */
  runUrl?: string
}

export interface MonitoringSettings {
  alerts?: AlertSettings
  /** Credentials in the URLs: masked before anything is logged. */
  readonly secrets: string[]
}

/**
 * Reads the monitoring inputs shared by deploy-strategy, smoke-test and the pipeline; sends
 * nothing. Matchers without an Alertmanager, or an Alertmanager without matchers, is a mistake
 * the step should name before it changes anything.
 */
export function parseMonitoringSettings(inputs: Inputs, runnerEnv: RunnerEnv): MonitoringSettings {
  const url = httpUrl(
    inputs.string('alertmanager-url'),
    'alertmanager-url',
    'http://alertmanager:9093'
  )
  const matcherText = inputs.string('alert-matchers')
  const silenceText = inputs.string('silence-matchers')
  const onUnavailable = inputs.string('on-monitoring-unavailable', { default: 'fail' })
  const firingBefore = inputs.string('alerts-firing-before', { default: 'report' })
  if (onUnavailable !== 'fail' && onUnavailable !== 'warn')
    throw new InputError('on-monitoring-unavailable', 'fail or warn', onUnavailable)
  if (firingBefore !== 'report' && firingBefore !== 'count')
    throw new InputError('alerts-firing-before', 'report or count', firingBefore)
  let alerts: AlertSettings | undefined
  if (url || matcherText || silenceText) {
    if (!url)
      throw new InputError(
        'alertmanager-url',
        'the Alertmanager the alert and silence matchers apply to, such as http://alertmanager:9093',
        url
      )
    if (!matcherText)
      throw new InputError(
        'alert-matchers',
        'the alerts that fail the deploy, such as service="shop", severity=~"critical|page"',
        matcherText
      )
    alerts = {
      url,
      matchers: parseMatchers(matcherText, 'alert-matchers'),
      silenceMatchers: silenceText ? parseMatchers(silenceText, 'silence-matchers') : undefined,
      onUnavailable,
      firingBefore,
      runUrl:
        runnerEnv.serverUrl && runnerEnv.repository && runnerEnv.runId
          ? `${runnerEnv.serverUrl}/${runnerEnv.repository}/actions/runs/${runnerEnv.runId}`
          : undefined
    }
  }
  return {
    alerts,
    secrets: urlCredentials(url ?? '')
  }
}
