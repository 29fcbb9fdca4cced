import { errorMessage } from '@slipway/kit'
import { payloadFor, type Notification, type NotifyFormat } from './message.js'

export interface SendOptions {
  /** The webhook URL: a secret (its path is the credential). Never logged, never in a message. */
  url: string
  format: NotifyFormat
  /** Per attempt. */
  timeoutMs?: number
  /** Further attempts after the first, for timeouts, network errors, 5xx and 429. */
  retries?: number
  /** Wait before a retry (a 429's retry-after is honoured up to 10 s). */
  retryDelayMs?: number
}

export interface SendResult {
  ok: boolean
  attempts: number
  status?: number
  /** Why it failed, without the URL. */
  error?: string
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/**
 * POSTs the notification. Never throws: a notification is a courtesy, and a broken chat
 * webhook must not fail (or roll back) a deployment. Every wait is bounded.
 */
export async function sendNotification(
  notification: Notification,
  options: SendOptions
): Promise<SendResult> {
  const body = JSON.stringify(payloadFor(options.format, notification))
  const attempts = 1 + Math.max(0, Math.min(options.retries ?? 1, 5))
  const timeoutMs = options.timeoutMs ?? 10_000
  let last: SendResult = { ok: false, attempts: 0 }
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let retryAfterMs = options.retryDelayMs ?? 1000
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'slipway' },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs)
      })
      // Drain the body so the connection is released; its text helps with a 4xx.
      const text = (await response.text().catch(() => '')).slice(0, 200)
      if (response.ok) return { ok: true, attempts: attempt, status: response.status }
      last = {
        ok: false,
        attempts: attempt,
        status: response.status,
        error: `HTTP ${response.status}${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`
      }
      const retryable = response.status >= 500 || response.status === 429
      if (!retryable) return last
      const after = Number(response.headers.get('retry-after'))
      if (Number.isFinite(after) && after > 0) retryAfterMs = Math.min(after * 1000, 10_000)
    } catch (error) {
      const timedOut = (error as Error)?.name === 'TimeoutError'
      last = {
        ok: false,
        attempts: attempt,
        error: timedOut ? `no answer within ${timeoutMs}ms` : describeNetworkError(error)
      }
    }
    if (attempt < attempts) await sleep(retryAfterMs)
  }
  return last
}

/** fetch's "fetch failed" hides the reason in `cause`; keep the code, never the URL. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause
  if (cause?.code) return `network error ${cause.code}`
  if (error instanceof TypeError && /invalid url|failed to parse/i.test(error.message))
    return 'invalid URL'
  return errorMessage(error).replace(/https?:\/\/\S+/g, '<webhook>')
}
