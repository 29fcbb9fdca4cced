import type { Inputs } from '@slipway/kit'
import type { DeployInputs } from '@slipway/strategies'
import { readProviderInputs as readDeployProviderInputs } from '../../deploy-strategy/src/provider-inputs.js'

/** What rollback passes on to buildDeployConfig besides version, strategy and artifact. */
export type ProviderInputs = Omit<
  DeployInputs,
  'strategy' | 'version' | 'artifact' | 'environment' | 'dryRun'
>

/**
 * deploy-strategy's provider settings (same names, same defaults), plus what a rollback
 * fixes: traffic moves at once, with no canary analysis and no forward migration
 * (restore-data brings the data back instead), and it is always recorded, since the
 * Deployment history is where the target came from.
 */
export function readProviderInputs(
  inputs: Inputs,
  secret: (value: string | undefined) => void
): ProviderInputs {
  return {
    ...readDeployProviderInputs(inputs, secret),
    switchTraffic: true,
    intervalMs: 60_000,
    failureLimit: 0,
    consecutiveSuccesses: 3,
    analysisRequests: 20,
    recordDeployment: true
  }
}
