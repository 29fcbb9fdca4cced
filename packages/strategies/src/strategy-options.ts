import type { DeployInputs } from './deploy-inputs.js'
import { parseCanarySteps, parseHostCount } from './parse.js'
import type { StrategyName, StrategyOptions } from './types.js'

/** The default canary steps when `steps` is unset. */
const DEFAULT_CANARY_STEPS = '5,25,50,100'

/** How the chosen strategy moves traffic: the switch, the canary steps or the rolling batches. */
export function strategyOptions(
  strategy: StrategyName,
  inputs: DeployInputs,
  hostCount: number
): StrategyOptions {
  if (strategy === 'blue-green')
    return {
      strategy,
      switchTraffic: inputs.switchTraffic,
      keepPreviousMs: inputs.keepPreviousMs
    }
  if (strategy === 'canary')
    return {
      strategy,
      steps: parseCanarySteps(inputs.steps ?? DEFAULT_CANARY_STEPS),
      keepPreviousMs: inputs.keepPreviousMs
    }
  const batchSize = parseHostCount(inputs.batchSize, hostCount, 'batch-size')
  const maxUnavailable = inputs.maxUnavailable
    ? parseHostCount(inputs.maxUnavailable, hostCount, 'max-unavailable')
    : batchSize
  return { strategy, batchSize, maxUnavailable }
}
