import { readFileSync } from 'node:fs'
import type { Inputs } from '@slipway/kit'
import { HEALTH_CHECKS, type DeployInputs } from '@slipway/strategies'

/** The settings that say where versions run and how traffic reaches them. */
export type ProviderInputs = Pick<
  DeployInputs,
  | 'provider'
  | 'targets'
  | 'keepPreviousMs'
  | 'batchSize'
  | 'maxUnavailable'
  | 'healthUrl'
  | 'healthCommand'
  | 'healthPath'
  | 'healthCheck'
  | 'healthTimeoutMs'
  | 'healthIntervalMs'
  | 'drainDelayMs'
  | 'hookTimeoutMs'
  | 'prepareCommand'
  | 'routeCommand'
  | 'retireCommand'
  | 'currentCommand'
  | 'upstreamFile'
  | 'upstreamName'
  | 'nginxTestCommand'
  | 'nginxReloadCommand'
  | 'nginxPidFile'
  | 'routerHost'
  | 'releaseDir'
  | 'startCommand'
  | 'stopCommand'
  | 'knownHosts'
  | 'sshPrivateKey'
  | 'router'
  | 'haproxySocket'
  | 'haproxyBackend'
  | 'haproxyConfig'
  | 'haproxyBackendFile'
  | 'haproxyStateFile'
  | 'haproxyServerOptions'
  | 'haproxyDrainTimeoutMs'
  | 'haproxyRelay'
>

/**
 * Reads the provider, router, health and hook inputs. deploy-strategy and rollback both call
 * this, under the same names and defaults, so a rollback drives exactly the slots, router and
 * hooks the deploy did.
 */
export function readProviderInputs(
  inputs: Inputs,
  secret: (value: string | undefined) => void
): ProviderInputs {
  const sshKey = inputs.string('ssh-private-key')
  secret(sshKey)
  const knownHostsText = inputs.string('known-hosts')
  return {
    provider: inputs.enumOf('provider', ['script', 'nginx'] as const, { default: 'script' })!,
    targets: inputs.list('targets'),
    keepPreviousMs: inputs.duration('keep-previous', { default: '30m' })!,
    batchSize: inputs.string('batch-size', { default: '1' })!,
    maxUnavailable: inputs.string('max-unavailable'),
    healthUrl: inputs.string('health-url'),
    healthCommand: inputs.string('health-command'),
    healthPath: inputs.string('health-path', { default: '/health' })!,
    healthCheck: inputs.enumOf('health-check', HEALTH_CHECKS, { default: 'auto' }),
    healthTimeoutMs: inputs.duration('health-timeout', { default: '60s', min: 100 })!,
    healthIntervalMs: inputs.duration('health-interval', { default: '1s', min: 10 })!,
    drainDelayMs: inputs.duration('drain-delay', { default: '2s' })!,
    hookTimeoutMs: inputs.duration('hook-timeout', { default: '5m', min: 100 })!,
    prepareCommand: inputs.string('prepare-command'),
    routeCommand: inputs.string('route-command'),
    retireCommand: inputs.string('retire-command'),
    currentCommand: inputs.string('current-command'),
    upstreamFile: inputs.string('nginx-upstream-file'),
    upstreamName: inputs.string('nginx-upstream-name', { default: 'slipway' })!,
    nginxTestCommand: inputs.string('nginx-test-command', { default: 'nginx -t -q' })!,
    nginxReloadCommand: inputs.string('nginx-reload-command', { default: 'nginx -s reload' })!,
    nginxPidFile: inputs.string('nginx-pid-file', { default: '/run/nginx.pid' }),
    routerHost: inputs.string('router-host', { default: 'local' }),
    releaseDir: inputs.string('release-dir', { default: '/srv/slipway/releases' })!,
    startCommand: inputs.string('start-command'),
    stopCommand: inputs.string('stop-command'),
    knownHosts: knownHostsText?.startsWith('/')
      ? readFileSync(knownHostsText, 'utf8')
      : knownHostsText,
    sshPrivateKey: sshKey,
    router: inputs.enumOf('router', ['provider', 'haproxy'] as const, { default: 'provider' })!,
    haproxySocket: inputs.string('haproxy-socket', { default: '/run/haproxy/admin.sock' }),
    haproxyBackend: inputs.string('haproxy-backend', { default: 'slipway' }),
    haproxyConfig: inputs.string('haproxy-config', { default: '/etc/haproxy/haproxy.cfg' }),
    haproxyBackendFile: inputs.string('haproxy-backend-file'),
    haproxyStateFile: inputs.string('haproxy-state-file'),
    haproxyServerOptions: inputs.string('haproxy-server-options'),
    haproxyDrainTimeoutMs: inputs.duration('haproxy-drain-timeout', { default: '30s', min: 0 }),
    haproxyRelay: inputs.enumOf('haproxy-relay', ['perl', 'socat'] as const, { default: 'perl' })
  }
}
