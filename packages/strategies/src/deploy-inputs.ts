import { InputError, didYouMean } from '@slipway/kit'
import type { AlertSettings } from '@slipway/monitoring'
import type { Target } from '@slipway/providers'
import type { HaproxyDeployInputs } from './haproxy-inputs.js'
import type { KubernetesDeployInputs } from './kubernetes-config.js'
import { parseTargets } from './targets.js'
import {
  refuseContainerInputs,
  type ContainerInputs,
  type ContainerProvider
} from './docker-config.js'
import { STRATEGIES, type StrategyName } from './types.js'

/** The action's inputs as read (strings, already-typed where the kit reader did it). */
export interface DeployInputs extends HaproxyDeployInputs {
  strategy: string | undefined
  version: string
  environment: string
  /** Absolute: a relative `artifact` input is resolved against the workspace. */
  artifact?: string
  /** script, nginx, docker/compose (containers on Docker hosts: see docker-config.ts), or kubernetes. */
  provider: 'script' | 'nginx' | ContainerProvider | 'kubernetes'
  dryRun: boolean
  targets: string[]
  switchTraffic: boolean
  keepPreviousMs: number
  steps?: string
  intervalMs: number
  measureEveryMs?: number
  failureLimit: number
  consecutiveSuccesses: number
  analysisUrl?: string
  analysisRequests: number
  maxErrorRate?: string
  maxLatencyMs?: number
  prometheusUrl?: string
  prometheusQuery?: string
  prometheusMin?: string
  prometheusMax?: string
  /** The team's Alertmanager: a new matching alert fails the canary analysis. */
  alerts?: AlertSettings
  batchSize: string
  maxUnavailable?: string
  healthUrl?: string
  healthCommand?: string
  healthPath: string
  /** `health-check`: auto (default), http, tcp, command or none. */
  healthCheck?: string
  healthTimeoutMs: number
  healthIntervalMs: number
  hookTimeoutMs: number
  drainDelayMs: number
  /** Whether the Deployment history is available to tell what is live. */
  recordDeployment: boolean
  migrateCommand?: string
  prepareCommand?: string
  routeCommand?: string
  retireCommand?: string
  currentCommand?: string
  upstreamFile?: string
  upstreamName: string
  nginxTestCommand: string
  nginxReloadCommand: string
  nginxPidFile?: string
  routerHost?: string
  releaseDir: string
  startCommand?: string
  stopCommand?: string
  knownHosts?: string
  sshPrivateKey?: string
  /**
   * `haproxy`: traffic moves through HAProxy's runtime API instead of the provider's own router.
   * `nginx`: docker/compose only. Unset: `provider` for script/nginx, `haproxy` for docker/compose.
   */
  router?: 'provider' | 'haproxy' | 'nginx'
  /** The kubernetes provider's own inputs (connection, manifests, rollout: kubernetes-config.ts). */
  kubernetes?: KubernetesDeployInputs
  /** The docker/compose provider's own inputs (image, hosts, port …). */
  container?: Partial<ContainerInputs>
}

/** The `strategy` input: one of STRATEGIES, nothing else. */
export function parseStrategy(value: string | undefined): StrategyName {
  if (!value || !(STRATEGIES as readonly string[]).includes(value))
    throw new InputError(
      'strategy',
      `one of ${STRATEGIES.join(', ')}`,
      value,
      didYouMean(value ?? '', STRATEGIES)
    )
  return value as StrategyName
}

/** The script and nginx providers refuse what only the docker/compose providers read. */
export function refuseContainerOnlyInputs(inputs: DeployInputs): void {
  refuseContainerInputs(inputs.provider, inputs.container)
  if (inputs.router === 'nginx')
    throw new InputError(
      'router',
      `provider or haproxy for the ${inputs.provider} provider (router nginx is for docker and compose; provider nginx routes through nginx itself)`,
      inputs.router
    )
}

/**
 * The targets: those a docker/compose provider names itself (`provided`), else the `targets`
 * input, two slots for blue-green and canary (blue and green when unset), hosts for rolling.
 */
export function resolveTargets(
  inputs: DeployInputs,
  strategy: StrategyName,
  provided?: Target[]
): Target[] {
  const slotDefault = strategy === 'rolling' ? [] : ['blue', 'green']
  const targets = provided ?? parseTargets(inputs.targets.length ? inputs.targets : slotDefault)
  if (!provided && strategy !== 'rolling' && targets.length !== 2) {
    throw new InputError(
      'targets',
      `exactly two slots for ${strategy} (such as blue=127.0.0.1:8081, green=127.0.0.1:8082)`,
      inputs.targets.join(',')
    )
  }
  if (strategy === 'rolling' && targets.length === 0)
    throw new InputError('targets', 'the hosts to roll over, one per line', undefined)
  return targets
}
