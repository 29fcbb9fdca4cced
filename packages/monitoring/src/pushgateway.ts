import { UserError, type Progress } from '@slipway/kit'

/** A finished deploy, rollback or release, as dashboards and alert rules see it. */
export interface DeployEvent {
  kind: 'deploy' | 'rollback' | 'release'
  environment: string
  app: string
  version: string
  status: 'success' | 'failure'
  startedAt: Date
  endedAt: Date
}

/**
 * Pushes the event to the Pushgateway group `job=slipway, environment, app` (PUT: the group
 * holds the environment's last event). Series, each labelled with kind, version and status:
 * `slipway_deploy_start_timestamp_seconds`, `slipway_deploy_end_timestamp_seconds`,
 * `slipway_deploy_duration_seconds`, `slipway_deploy_success` (1/0), `slipway_deploy_rollback`
 * (1 for a rollback) and `slipway_deploy_consecutive_failures` (failed deploys in a row, carried
 * over from the group's previous push so "failed twice" is one comparison in a rule).
 */
export async function pushDeployEvent(url: string, event: DeployEvent): Promise<void> {
  const group = groupUrl(url, event)
  const previous = await previousFailures(url, event)
  const failures =
    event.kind !== 'deploy' ? previous : event.status === 'failure' ? previous + 1 : 0
  const body = deployEventExposition(event, failures)
  let response
  try {
    // undici loads with the first request: an input error or a dry run never parses it.
    const { fetch } = await import('undici')
    response = await fetch(group.url, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain; version=0.0.4', ...group.headers },
      body,
      signal: AbortSignal.timeout(10_000)
    })
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause
    throw new UserError(
      `the Pushgateway did not answer: ${cause?.code ?? (error as Error).message}`,
      'check pushgateway-url and that the runner can reach it'
    )
  }
  if (!response.ok)
    throw new UserError(
      `the Pushgateway answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
      'check pushgateway-url (the base URL, to which /metrics/job/… is added)'
    )
  await response.body?.cancel()
}

/** The event in Prometheus' text exposition format (exported for the docs and tests). */
export function deployEventExposition(event: DeployEvent, consecutiveFailures: number): string {
  const labels = `{kind="${escape(event.kind)}",version="${escape(event.version)}",status="${event.status}"}`
  const seconds = (date: Date): string => String(date.getTime() / 1000)
  const series: Array<[string, string, string]> = [
    [
      'slipway_deploy_start_timestamp_seconds',
      'When the deploy began (Unix seconds).',
      seconds(event.startedAt)
    ],
    [
      'slipway_deploy_end_timestamp_seconds',
      'When the deploy ended (Unix seconds).',
      seconds(event.endedAt)
    ],
    [
      'slipway_deploy_duration_seconds',
      'How long the deploy took.',
      String((event.endedAt.getTime() - event.startedAt.getTime()) / 1000)
    ],
    [
      'slipway_deploy_success',
      '1 when the deploy succeeded, 0 when it failed.',
      event.status === 'success' ? '1' : '0'
    ],
    [
      'slipway_deploy_rollback',
      '1 when the event was a rollback.',
      event.kind === 'rollback' ? '1' : '0'
    ],
    ['slipway_deploy_consecutive_failures', 'Failed deploys in a row.', String(consecutiveFailures)]
  ]
  return series
    .map(
      ([name, help, value]) =>
        `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}${labels} ${value}\n`
    )
    .join('')
}

/** The failed-in-a-row count the group holds; 0 when there is none (or it cannot be read). */
async function previousFailures(url: string, event: DeployEvent): Promise<number> {
  const base = groupUrl(url, event)
  const metrics = new URL(base.url.toString())
  metrics.pathname = `${new URL(url).pathname.replace(/\/+$/, '')}/metrics`
  try {
    // undici loads with the first request: an input error or a dry run never parses it.
    const { fetch } = await import('undici')
    const response = await fetch(metrics, {
      headers: base.headers,
      signal: AbortSignal.timeout(10_000)
    })
    if (!response.ok) return 0
    const text = await response.text()
    for (const line of text.split('\n')) {
      if (!line.startsWith('slipway_deploy_consecutive_failures{')) continue
      const labels = line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1)
      if (
        labels.includes(`environment="${escape(event.environment)}"`) &&
        labels.includes(`app="${escape(event.app)}"`) &&
        labels.includes('job="slipway"')
      ) {
        const value = Number(line.slice(line.lastIndexOf('}') + 1).trim())
        return Number.isFinite(value) ? value : 0
      }
    }
  } catch {
    // The push itself reports an unreachable Pushgateway.
  }
  return 0
}

function groupUrl(url: string, event: DeployEvent): { url: URL; headers: Record<string, string> } {
  const parsed = new URL(url)
  const headers: Record<string, string> = {}
  if (parsed.username || parsed.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
    parsed.username = ''
    parsed.password = ''
  }
  // Label values in the path: base64url (`@base64`) keeps a slash or an empty value intact.
  const segment = (name: string, value: string): string =>
    `${name}@base64/${Buffer.from(value).toString('base64url') || '='}`
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/metrics/job/slipway/${segment('environment', event.environment)}/${segment('app', event.app)}`
  return { url: parsed, headers }
}

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

/**
 * Pushes a finished stage's event when a Pushgateway is configured. Metrics are a record of what
 * happened, not a gate: a Pushgateway that fails is a warning, never a failed deploy, rollback or
 * release.
 */
export async function reportDeployEvent(
  url: string | undefined,
  event: DeployEvent,
  progress: Pick<Progress, 'info' | 'warning'>
): Promise<void> {
  if (!url) return
  try {
    await pushDeployEvent(url, event)
    progress.info(`${capitalized(event.kind)} event pushed to the Pushgateway (${event.status})`)
  } catch (error) {
    progress.warning(`${event.kind} event not pushed: ${(error as Error).message}`)
  }
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}
