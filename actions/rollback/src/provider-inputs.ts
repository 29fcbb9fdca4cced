import { readFileSync } from 'node:fs'
import type { Inputs } from '@slipway/kit'
import type { DeployInputs } from '@slipway/strategies'

/** What rollback passes on to buildDeployConfig besides version, strategy and artifact. */
export type ProviderInputs = Omit<
  DeployInputs,
  'strategy' | 'version' | 'artifact' | 'environment' | 'dryRun'
>

/**
 * The provider settings, read under the same names and defaults as deploy-strategy's inputs,
 * so a rollback drives the same slots, router and hooks the deploy did. No migrate-command:
 * a rollback never runs a forward migration (restore-data brings the data back instead).
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
    switchTraffic: true,
    keepPreviousMs: inputs.duration('keep-previous', { default: '30m' })!,
    intervalMs: 60_000,
    failureLimit: 0,
    consecutiveSuccesses: 3,
    analysisRequests: 20,
    batchSize: inputs.string('batch-size', { default: '1' })!,
    maxUnavailable: inputs.string('max-unavailable'),
    healthUrl: inputs.string('health-url'),
    healthCommand: inputs.string('health-command'),
    healthPath: inputs.string('health-path', { default: '/health' })!,
    healthTimeoutMs: inputs.duration('health-timeout', { default: '60s', min: 100 })!,
    healthIntervalMs: inputs.duration('health-interval', { default: '1s', min: 10 })!,
    hookTimeoutMs: inputs.duration('hook-timeout', { default: '5m', min: 100 })!,
    drainDelayMs: inputs.duration('drain-delay', { default: '2s' })!,
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
    // A rollback always has the Deployment history: it is where the target came from.
    recordDeployment: true
  }
}
