import { readFileSync } from 'node:fs'
import type { Inputs, RunnerEnv } from '@slipway/kit'
import type { DeployInputs } from './deploy-inputs.js'
import { CONTAINER_PROVIDERS, secretEnvValues, type ContainerInputs } from './docker-config.js'
import { HEALTH_CHECKS } from './health-check.js'
import { parseKubernetesSettings, type KubernetesSettings } from './kubernetes-config.js'
import { inWorkspace, type ProviderRunnerEnv } from './runner-env.js'

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
  | 'container'
  | 'kubernetes'
>

export interface ProviderSettings {
  inputs: ProviderInputs
  /** provider: kubernetes — the connection, manifests and rollout settings (kubernetes-config.ts). */
  kubernetes?: KubernetesSettings
  /** The SSH key, the registry password, every secret-env value and the kubeconfig. */
  readonly secrets: string[]
}

/**
 * Reads the provider, router, health and hook inputs. deploy-strategy and rollback both call
 * this, under the same names and defaults, so a rollback drives exactly the slots, router and
 * hooks the deploy did. Validation of their combination is buildDeployConfig's.
 */
export function parseProviderSettings(
  inputs: Inputs,
  runnerEnv: ProviderRunnerEnv
): ProviderSettings {
  const sshKey = inputs.string('ssh-private-key')
  const knownHostsText = inputs.string('known-hosts')
  const container = parseContainerSettings(inputs, runnerEnv)
  const kubernetes =
    inputs.string('provider') === 'kubernetes'
      ? parseKubernetesSettings(inputs, runnerEnv)
      : undefined
  return {
    inputs: {
      provider: inputs.enumOf(
        'provider',
        ['script', 'nginx', ...CONTAINER_PROVIDERS, 'kubernetes'] as const,
        { default: 'script' }
      ),
      targets: inputs.list('targets'),
      keepPreviousMs: inputs.duration('keep-previous', { default: '30m' }),
      batchSize: inputs.string('batch-size', { default: '1' }),
      maxUnavailable: inputs.string('max-unavailable'),
      healthUrl: inputs.string('health-url'),
      healthCommand: inputs.string('health-command'),
      healthPath: inputs.string('health-path', { default: '/health' }),
      healthCheck: inputs.enumOf('health-check', HEALTH_CHECKS, { default: 'auto' }),
      healthTimeoutMs: inputs.duration('health-timeout', { default: '60s', min: 100 }),
      healthIntervalMs: inputs.duration('health-interval', { default: '1s', min: 10 }),
      drainDelayMs: inputs.duration('drain-delay', { default: '2s' }),
      hookTimeoutMs: inputs.duration('hook-timeout', { default: '5m', min: 100 }),
      prepareCommand: inputs.string('prepare-command'),
      routeCommand: inputs.string('route-command'),
      retireCommand: inputs.string('retire-command'),
      currentCommand: inputs.string('current-command'),
      upstreamFile: inputs.string('nginx-upstream-file'),
      upstreamName: inputs.string('nginx-upstream-name', { default: 'slipway' }),
      nginxTestCommand: inputs.string('nginx-test-command', { default: 'nginx -t -q' }),
      nginxReloadCommand: inputs.string('nginx-reload-command', { default: 'nginx -s reload' }),
      nginxPidFile: inputs.string('nginx-pid-file', { default: '/run/nginx.pid' }),
      routerHost: inputs.string('router-host', { default: 'local' }),
      releaseDir: inputs.string('release-dir', { default: '/srv/slipway/releases' }),
      startCommand: inputs.string('start-command'),
      stopCommand: inputs.string('stop-command'),
      knownHosts: knownHostsText?.startsWith('/')
        ? readFileSync(knownHostsText, 'utf8')
        : knownHostsText,
      sshPrivateKey: sshKey,
      // No default here: unset means provider for script/nginx and haproxy for docker/compose.
      router: inputs.enumOf('router', ['provider', 'haproxy', 'nginx'] as const),
      haproxySocket: inputs.string('haproxy-socket', { default: '/run/haproxy/admin.sock' }),
      haproxyBackend: inputs.string('haproxy-backend', { default: 'slipway' }),
      haproxyConfig: inputs.string('haproxy-config', { default: '/etc/haproxy/haproxy.cfg' }),
      haproxyBackendFile: inputs.string('haproxy-backend-file'),
      haproxyStateFile: inputs.string('haproxy-state-file'),
      haproxyServerOptions: inputs.string('haproxy-server-options'),
      haproxyDrainTimeoutMs: inputs.duration('haproxy-drain-timeout', { default: '30s', min: 0 }),
      haproxyRelay: inputs.enumOf('haproxy-relay', ['perl', 'socat'] as const, {
        default: 'perl'
      }),
      container: container.inputs,
      kubernetes: kubernetes?.inputs
    },
    kubernetes,
    secrets: [sshKey, ...container.secrets, ...(kubernetes?.secrets ?? [])].filter(
      (s): s is string => Boolean(s)
    )
  }
}

/** One value per line (volume specs and labels may hold commas). */
function lines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '' && !line.startsWith('#'))
}

/** The docker/compose provider's inputs, and their secrets: the registry password, every secret-env value. */
export function parseContainerSettings(
  inputs: Inputs,
  runnerEnv: RunnerEnv
): { inputs: Partial<ContainerInputs>; readonly secrets: string[] } {
  const registryPassword = inputs.string('registry-password')
  const secretEnv = inputs.string('secret-env')
  // Resolved here, so the provider's checks and its error messages see the file it will read.
  const file = (path: string | undefined): string | undefined =>
    path === undefined ? undefined : inWorkspace(path, runnerEnv.workspace)
  return {
    inputs: {
      app: inputs.string('app'),
      repository: runnerEnv.repository,
      image: inputs.string('image'),
      imageArchive: file(inputs.string('image-archive')),
      registry: inputs.string('registry'),
      registryUsername: inputs.string('registry-username'),
      registryPassword,
      composeFile: file(inputs.string('compose-file')),
      hosts: inputs.list('hosts'),
      port: inputs.int('port', { min: 1, max: 65535 }),
      hostPort: inputs.int('host-port', { default: 8080, min: 1, max: 65535 }),
      publishAddress: inputs.string('publish-address', { default: '127.0.0.1' }),
      envFile: file(inputs.string('env-file')),
      secretEnv,
      volumes: lines(inputs.string('volumes')),
      labels: lines(inputs.string('labels')),
      cmd: inputs.string('cmd'),
      memory: inputs.string('memory'),
      cpus: inputs.string('cpus'),
      network: inputs.string('network'),
      restart: inputs.string('restart', { default: 'unless-stopped' }),
      keepVersions: inputs.int('keep-versions', { default: 3, min: 1, max: 100 }),
      parallel: inputs.int('parallel', { default: 0, min: 0 }),
      routerScope: inputs.enumOf('router-scope', ['fleet', 'per-host'] as const, {
        default: 'fleet'
      }),
      tempDir: runnerEnv.runnerTemp
    },
    secrets: [registryPassword, ...secretEnvValues(secretEnv)].filter((s): s is string =>
      Boolean(s)
    )
  }
}
