import { UserError } from '@slipway/kit'
import { formatMatcher, type Matcher } from './matchers.js'

/** An alert as Alertmanager's v2 API lists it (the fields Slipway reads). */
export interface Alert {
  labels: Record<string, string>
  annotations: Record<string, string>
  startsAt: string
  fingerprint: string
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] }
}

/** Why Alertmanager could not be asked: the user's to fix (address, network, the server's state). */
export class MonitoringUnavailable extends UserError {
  constructor(message: string) {
    super(
      message,
      'check alertmanager-url (the base URL, to which /api/v2 is added) and that the runner can reach it; on-monitoring-unavailable: warn lets the step go on without it'
    )
    this.name = 'MonitoringUnavailable'
  }
}

/** Alertmanager's v2 API: the alerts, silences created and expired. */
export class AlertmanagerClient {
  private readonly base: URL
  private readonly headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json'
  }

  constructor(
    url: string,
    private readonly timeoutMs = 10_000
  ) {
    const parsed = new URL(url)
    // Credentials in the URL go as Basic auth: fetch refuses a URL that carries them.
    if (parsed.username || parsed.password) {
      this.headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
      parsed.username = ''
      parsed.password = ''
    }
    parsed.pathname = parsed.pathname.replace(/\/+$/, '')
    this.base = parsed
  }

  /** The active alerts matching every matcher, silenced and inhibited ones left out. */
  async alerts(matchers: Matcher[], signal?: AbortSignal): Promise<Alert[]> {
    const query = new URLSearchParams({ active: 'true', silenced: 'false', inhibited: 'false' })
    for (const matcher of matchers) query.append('filter', formatMatcher(matcher))
    return (await this.call('GET', `/api/v2/alerts?${query}`, undefined, signal)) as Alert[]
  }

  /** Creates a silence and returns its id. */
  async createSilence(silence: {
    matchers: Matcher[]
    endsAt: Date
    createdBy: string
    comment: string
  }): Promise<string> {
    const body = {
      matchers: silence.matchers.map(m => ({
        name: m.name,
        value: m.value,
        isRegex: m.operator.endsWith('~'),
        isEqual: !m.operator.startsWith('!')
      })),
      startsAt: new Date().toISOString(),
      endsAt: silence.endsAt.toISOString(),
      createdBy: silence.createdBy,
      comment: silence.comment
    }
    const answer = (await this.call('POST', '/api/v2/silences', body)) as { silenceID?: string }
    if (!answer?.silenceID) throw new MonitoringUnavailable('Alertmanager created no silence id')
    return answer.silenceID
  }

  /** Expires a silence (Alertmanager keeps it, expired, for its retention). */
  async expireSilence(id: string): Promise<void> {
    await this.call('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`)
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal
  ): Promise<unknown> {
    const url = new URL(this.base.toString())
    const [pathname, search] = path.split('?')
    // A base at the root has pathname '/': joined as is, it would be '//api/…' (a redirect that
    // turns a POST into a GET).
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${pathname}`
    url.search = search ?? ''
    let response
    try {
      // undici loads with the first request: an input error or a dry run never parses it.
      const { fetch } = await import('undici')
      response = await fetch(url, {
        method,
        headers: this.headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ?? AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual'
      })
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause
      throw new MonitoringUnavailable(
        `Alertmanager at ${displayBase(this.base)} did not answer: ${cause?.code ?? cause?.message ?? (error as Error).message}`
      )
    }
    const text = await response.text()
    if (!response.ok)
      throw new MonitoringUnavailable(
        `Alertmanager at ${displayBase(this.base)} answered ${method} ${pathname} with ${response.status}: ${text.slice(0, 200)}`
      )
    if (text.trim() === '') return undefined
    try {
      return JSON.parse(text)
    } catch {
      throw new MonitoringUnavailable(
        `Alertmanager at ${displayBase(this.base)} answered ${pathname} with a body that is not JSON: ${text.slice(0, 200)}`
      )
    }
  }
}

function displayBase(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
}
