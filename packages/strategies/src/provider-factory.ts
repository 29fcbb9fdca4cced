import { InputError } from '@slipway/kit'
import {
  ScriptProvider,
  haproxyRouterFromInputs,
  withHaproxy,
  type Provider,
  type Target,
  type Transport
} from '@slipway/providers'
import type { DeployInputs } from './deploy-inputs.js'
import { haproxyInputs } from './haproxy-inputs.js'
import type { ResolvedHealthCheck } from './health-check.js'
import { nginxProvider } from './nginx-provider-config.js'
import { need } from './required-input.js'
import { isLocalDestination, openSsh, requireSshCredentials } from './ssh-pool.js'
import type { StrategyName } from './types.js'

/**
 * The script or nginx provider for the inputs, behind HAProxy when `router: haproxy`.
 * (The docker/compose providers are built by docker-config.ts, with their own router.)
 */
export function buildHostProvider(
  inputs: DeployInputs,
  targets: Target[],
  strategy: StrategyName,
  local: Transport,
  health: ResolvedHealthCheck
): Provider {
  const base =
    inputs.provider === 'nginx'
      ? nginxProvider(inputs, targets, local, health)
      : scriptProvider(inputs, targets, strategy, local, health)
  return inputs.router === 'haproxy' ? haproxyRouted(inputs, targets, base, local) : base
}

function scriptProvider(
  inputs: DeployInputs,
  targets: Target[],
  strategy: StrategyName,
  transport: Transport,
  health: ResolvedHealthCheck
): Provider {
  if (
    strategy !== 'rolling' &&
    !inputs.currentCommand &&
    !inputs.recordDeployment &&
    !inputs.dryRun
  ) {
    // Without either, we cannot know which slot is live and could prepare over it.
    throw new InputError(
      'current-command',
      `a command printing the live slots (or record-deployment: true, so the Deployment history tells) for ${strategy}`,
      undefined
    )
  }
  return new ScriptProvider({
    targets,
    environment: inputs.environment,
    artifact: inputs.artifact,
    prepareCommand: need(
      inputs.prepareCommand,
      'prepare-command',
      'the script provider starts a version with it'
    ),
    // With router: haproxy the script provider's route hook is never called.
    routeCommand:
      inputs.router === 'haproxy'
        ? 'exit 1'
        : need(inputs.routeCommand, 'route-command', 'the script provider moves traffic with it'),
    healthCommand: inputs.healthCommand,
    healthUrl: inputs.healthUrl,
    healthPath: inputs.healthPath,
    healthCheck: health.kind === 'none' ? undefined : health.kind,
    retireCommand: inputs.retireCommand,
    currentCommand: inputs.currentCommand,
    hookTimeoutMs: inputs.hookTimeoutMs,
    kind: strategy === 'rolling' ? 'host' : 'slot',
    transport
  })
}

/** Any provider's hosts and hooks, HAProxy's runtime API moving the traffic (docs/routers.md). */
function haproxyRouted(
  inputs: DeployInputs,
  targets: Target[],
  base: Provider,
  local: Transport
): Provider {
  const credentials = isLocalDestination(inputs.routerHost)
    ? undefined
    : requireSshCredentials(inputs, {
        knownHosts: 'the HAProxy host is reached over SSH and its host key must be verified',
        privateKey: 'the HAProxy host is reached over SSH'
      })
  const router = haproxyRouterFromInputs(haproxyInputs(inputs), targets, destination =>
    destination ? openSsh(destination, credentials) : local
  )
  return withHaproxy(base, router)
}
