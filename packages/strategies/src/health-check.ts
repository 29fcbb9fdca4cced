import { InputError } from '@slipway/kit'
import type { Target } from '@slipway/providers'

/** The `health-check` input: which probe the health gate runs, `auto` choosing from the settings. */
export const HEALTH_CHECKS = ['auto', 'http', 'tcp', 'command', 'none'] as const
export type HealthCheckSetting = (typeof HEALTH_CHECKS)[number]
export type HealthCheck = Exclude<HealthCheckSetting, 'auto'>

export interface ResolvedHealthCheck {
  kind: HealthCheck
  /** One line for the summary: what is probed and what a pass proves. */
  describe: string
}

export interface HealthCheckInputs {
  provider: 'script' | 'nginx'
  healthCheck?: string
  healthCommand?: string
  healthUrl?: string
  healthPath: string
  router?: 'provider' | 'haproxy' | 'nginx'
}

/**
 * Chooses the health gate's probe. `auto` takes the most specific evidence configured: the
 * health-command (it can check the version: SLIPWAY_VERSION), else the health URL (script
 * `health-url`; nginx always probes `health-path` on each target), else a TCP connection to each
 * target's address. A gate with nothing to probe is refused up front: passing it would move
 * traffic to a target nobody reached. Turning the gate off is the explicit `none`.
 */
export function resolveHealthCheck(
  inputs: HealthCheckInputs,
  targets: Target[]
): ResolvedHealthCheck {
  const given = inputs.healthCheck ?? 'auto'
  if (!(HEALTH_CHECKS as readonly string[]).includes(given))
    throw new InputError('health-check', `one of ${HEALTH_CHECKS.join(', ')}`, given)
  const setting = given as HealthCheckSetting
  const unaddressed = targets.filter(t => !t.address).map(t => t.name)
  const routerNote =
    inputs.router === 'haproxy'
      ? '; then HAProxy must report the server UP under its own check before it gets traffic'
      : ''
  const httpUrl =
    inputs.provider === 'script' && inputs.healthUrl
      ? inputs.healthUrl
      : `http://<address>${inputs.healthPath}`
  const kind: HealthCheck =
    setting !== 'auto'
      ? setting
      : inputs.healthCommand
        ? 'command'
        : inputs.provider === 'nginx' || inputs.healthUrl
          ? 'http'
          : 'tcp'
  if (setting === 'auto' && kind === 'tcp' && unaddressed.length > 0) {
    throw new InputError(
      'health-check',
      'a probe for the health gate: health-url, health-command, or an address on every target (name=host:port) for a TCP connection; `health-check: none` turns the gate off',
      `auto (no health-url or health-command; no address on ${unaddressed.join(', ')})`
    )
  }
  if (kind === 'none')
    return {
      kind,
      describe:
        '⚠️ none (health-check: none): no probe runs; traffic moves to targets nobody checked'
    }
  if (kind === 'command') {
    if (!inputs.healthCommand)
      throw new InputError('health-command', 'the health hook to run (health-check is command)', '')
    return {
      kind,
      describe: `command: health-command must exit 0 on each target (it gets SLIPWAY_VERSION and SLIPWAY_ADDRESS, so it can check which version answers)${routerNote}`
    }
  }
  if (kind === 'http') {
    if (!(inputs.provider === 'script' && inputs.healthUrl) && unaddressed.length > 0)
      throw inputs.provider === 'nginx'
        ? new InputError(
            'targets',
            'every nginx target with an address (name=host:port), the upstream server',
            unaddressed.join(', ')
          )
        : new InputError(
            'health-url',
            `a URL to probe (health-check is http and ${unaddressed.join(', ')} has no address)`,
            inputs.healthUrl ?? ''
          )
    return {
      kind,
      describe: `http: GET ${httpUrl} must answer 2xx on each target${routerNote}`
    }
  }
  if (unaddressed.length > 0)
    throw new InputError(
      'targets',
      'an address on every target (name=host:port): health-check tcp connects to it',
      unaddressed.join(', ')
    )
  return {
    kind,
    describe: `tcp: a connection to each target's address must be accepted (proves something listens there, not which version: set health-url or health-command for that)${routerNote}`
  }
}
