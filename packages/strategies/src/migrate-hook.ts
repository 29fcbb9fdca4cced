import { hookEnv, runHook, type Transport } from '@slipway/providers'
import type { DeployInputs } from './deploy-inputs.js'
import type { DeployRequest, StrategyName } from './types.js'

/** The `migrate-command` hook, run on this runner before any traffic moves; undefined when unset. */
export function migrateHook(
  inputs: DeployInputs,
  strategy: StrategyName,
  local: Transport
): DeployRequest['migrate'] {
  const command = inputs.migrateCommand
  if (!command) return undefined
  return async () => {
    await runHook(
      local,
      'migrate-command',
      command,
      hookEnv({
        VERSION: inputs.version,
        ENVIRONMENT: inputs.environment,
        ARTIFACT: inputs.artifact,
        STRATEGY: strategy
      }),
      inputs.hookTimeoutMs
    )
  }
}
