import type { Redactor } from '@slipway/kit'
import { LocalTransport, type Provider } from '@slipway/providers'
import type { buildAnalysis } from './analysis-config.js'
import type { DeployConfig } from './config.js'
import type { DeployInputs } from './deploy-inputs.js'
import type { ResolvedHealthCheck } from './health-check.js'
import { migrateHook } from './migrate-hook.js'
import type { StrategyName, StrategyOptions } from './types.js'

/** What each provider family decides; the rest of a DeployConfig comes from the inputs. */
export interface ConfigParts {
  strategy: StrategyName
  provider: Provider
  options: StrategyOptions
  health: ResolvedHealthCheck
  analysis: ReturnType<typeof buildAnalysis>
  /** Rolling on Kubernetes drains nothing itself: the Deployment's own update does. */
  drainDelayMs: number
  /** Where the migrate-command runs. */
  transport: LocalTransport
}

/** The request the plan is made from and what the run reports, the same for every provider. */
export function assembleDeployConfig(
  inputs: DeployInputs,
  parts: ConfigParts,
  redactor?: Redactor
): DeployConfig {
  const { strategy, provider, options, health, analysis } = parts
  return {
    strategy,
    version: inputs.version,
    environment: inputs.environment,
    artifact: inputs.artifact,
    dryRun: inputs.dryRun,
    provider,
    request: {
      version: inputs.version,
      options,
      healthTimeoutMs: inputs.healthTimeoutMs,
      healthIntervalMs: inputs.healthIntervalMs,
      healthCheck: health.kind,
      drainDelayMs: parts.drainDelayMs,
      analysisConfigured: analysis !== undefined,
      migrate: migrateHook(inputs, strategy, parts.transport),
      migrateCommand: inputs.migrateCommand
    },
    analysis: analysis?.config,
    describeAnalysis: analysis?.describe ?? [],
    health,
    redactor
  }
}
