import type { Redactor } from '@slipway/kit'
import { LocalTransport, type Provider, type Target } from '@slipway/providers'
import type { Metric } from './analysis.js'
import { buildAnalysis } from './analysis-config.js'
import { assembleDeployConfig } from './assemble-config.js'
import {
  parseStrategy,
  refuseContainerOnlyInputs,
  resolveTargets,
  type DeployInputs
} from './deploy-inputs.js'
import {
  buildContainerProvider,
  isContainerProvider,
  resolveContainerHealthCheck
} from './docker-config.js'
import { resolveHealthCheck, type ResolvedHealthCheck } from './health-check.js'
import { buildKubernetesDeployConfig } from './kubernetes-config.js'
import { buildHostProvider } from './provider-factory.js'
import { strategyOptions } from './strategy-options.js'
import { checkVersion } from './version.js'
import type { AnalysisPolicy, DeployRequest, StrategyName } from './types.js'

export type { DeployInputs } from './deploy-inputs.js'

export interface DeployConfig {
  strategy: StrategyName
  /** Shown in outputs even when no Deployment is recorded. */
  environmentUrl?: string
  version: string
  environment: string
  artifact?: string
  dryRun: boolean
  provider: Provider
  request: DeployRequest
  analysis?: { policy: AnalysisPolicy; metrics: (canary: Target) => Metric[] }
  describeAnalysis: string[]
  /** The health gate's probe and what it proves, for the summary. */
  health: ResolvedHealthCheck
  /** Masks secrets in what providers report (container logs) before it reaches the summary. */
  redactor?: Redactor
}

/**
 * Validates every input and builds the provider and request. Throws InputError before
 * anything is touched: bad input never changes a host, a router or GitHub.
 */
export function buildDeployConfig(inputs: DeployInputs, redactor?: Redactor): DeployConfig {
  // Kubernetes names its own slots, gate and rollout: none of the host providers' inputs apply.
  if (inputs.provider === 'kubernetes') {
    // parseProviderSettings reads them whenever the provider is kubernetes.
    if (!inputs.kubernetes) throw new Error('provider kubernetes without its parsed inputs')
    return buildKubernetesDeployConfig(inputs, inputs.kubernetes, redactor)
  }
  const strategy = parseStrategy(inputs.strategy)
  checkVersion(inputs.version)
  const containers = isContainerProvider(inputs.provider)
  if (!containers) refuseContainerOnlyInputs(inputs)
  const local = new LocalTransport(redactor)
  // The docker provider names its own targets: the slots, or its hosts for rolling.
  const container = containers
    ? buildContainerProvider(inputs, strategy, local, redactor)
    : undefined
  const targets = resolveTargets(inputs, strategy, container?.targets)
  const options = strategyOptions(strategy, inputs, targets.length)
  const health = containers
    ? resolveContainerHealthCheck(inputs)
    : resolveHealthCheck(
        { ...inputs, provider: inputs.provider as 'script' | 'nginx', router: inputs.router },
        targets
      )
  const analysis = buildAnalysis(inputs, targets)
  const provider = container ?? buildHostProvider(inputs, targets, strategy, local, health)
  return assembleDeployConfig(
    inputs,
    {
      strategy,
      provider,
      options,
      health,
      analysis,
      drainDelayMs: inputs.drainDelayMs,
      transport: local
    },
    redactor
  )
}
