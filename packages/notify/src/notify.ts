import { InputError } from '@slipway/kit'
import { FORMATS, type Notification, type NotifyFormat } from './message.js'
import { sendNotification, type SendResult } from './send.js'

/** What an action's main passes: its webhook inputs and its context's secret/warning/info. */
export interface WebhookSettings {
  url: string | undefined
  format?: string
  timeoutMs?: number
  retries?: number
  secret: (value: string | undefined) => void
  warning: (message: string) => void
  info?: (message: string) => void
}

/**
 * The one call an action makes: masks the URL, sends, and turns any failure into a warning.
 * Does nothing without a URL. A bad format is an InputError (checked before anything is sent).
 */
export async function notifyWebhook(
  settings: WebhookSettings,
  notification: Notification
): Promise<SendResult | undefined> {
  const url = settings.url?.trim()
  if (!url) return undefined
  settings.secret(url)
  const format = (settings.format ?? 'slack') as NotifyFormat
  if (!FORMATS.includes(format))
    throw new InputError('webhook-format', `one of ${FORMATS.join(', ')}`, settings.format)
  if (!/^https?:\/\//i.test(url)) {
    settings.warning('Notification not sent: webhook-url is not an http(s) URL')
    return { ok: false, attempts: 0, error: 'not an http(s) URL' }
  }
  const result = await sendNotification(notification, {
    url,
    format,
    timeoutMs: settings.timeoutMs,
    retries: settings.retries
  })
  if (result.ok) settings.info?.(`Sent the ${notification.event} notification (${format})`)
  else
    settings.warning(
      `Could not send the ${notification.event} notification after ${result.attempts} attempt(s): ${result.error}`
    )
  return result
}
