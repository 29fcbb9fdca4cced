import { onCleanup, type Progress } from '@slipway/kit'
import { AlertmanagerClient, MonitoringUnavailable } from './alertmanager.js'
import type { AlertSettings } from './settings.js'

/**
 * A silence that outlives the runner by at most this long: a job killed outright (SIGKILL, a
 * lost machine) cannot expire it, and six hours is GitHub's limit for a job.
 */
const SILENCE_BOUND_MS = 6 * 60 * 60 * 1000

export interface DeploySilence {
  id: string
  /** Expires the silence; runs once, whether the stage ends or is cancelled first. */
  close(): Promise<void>
}

/**
 * Creates the silence for the stage's window (the expected noise, such as the replaced slot's
 * InstanceDown), with the run's link as its comment. The caller closes it in a `finally`; a
 * cancelled action (SIGINT/SIGTERM) closes it through the kit's cleanups. Undefined when no
 * silence is asked for, or when Alertmanager is unreachable and the user chose to warn.
 */
export async function openSilence(
  settings: AlertSettings,
  what: string,
  progress: Pick<Progress, 'info' | 'warning'>
): Promise<DeploySilence | undefined> {
  if (!settings.silenceMatchers) return undefined
  const client = new AlertmanagerClient(settings.url)
  let id: string
  try {
    id = await client.createSilence({
      matchers: settings.silenceMatchers,
      endsAt: new Date(Date.now() + SILENCE_BOUND_MS),
      createdBy: 'slipway',
      comment: `${what}${settings.runUrl ? `: ${settings.runUrl}` : ''}`
    })
  } catch (error) {
    if (error instanceof MonitoringUnavailable && settings.onUnavailable === 'warn') {
      progress.warning(`no silence created: ${error.message} (on-monitoring-unavailable: warn)`)
      return undefined
    }
    throw error
  }
  progress.info(`Alertmanager silence ${id} created for ${what}`)
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= (async () => {
      forget()
      try {
        await client.expireSilence(id)
        progress.info(`Alertmanager silence ${id} expired`)
      } catch (error) {
        // The silence ends by itself at its bound; the step's verdict is not the silence's.
        progress.warning(`silence ${id} not expired: ${(error as Error).message}`)
      }
    })()
    return closing
  }
  const forget = onCleanup(close)
  return { id, close }
}
