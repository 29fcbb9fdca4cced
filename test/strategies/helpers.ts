// Runs a plan the way runDeploy does (what is live → makePlan → executePlan), against the
// in-memory provider and clock, so a test reads the provider's calls and the result.
import type { LiveState, Target } from '@slipway/providers'
import {
  executePlan,
  makePlan,
  parseCanarySteps,
  type DeployRequest,
  type ExecuteOptions,
  type Metric,
  type BlueGreenOptions,
  type StrategyOptions
} from '@slipway/strategies'
import { FakeClock, FakeProvider, type FakeFaults } from './fake-provider.js'

export const slots: Target[] = [{ name: 'blue' }, { name: 'green' }]
export const hosts: Target[] = [{ name: 'web1' }, { name: 'web2' }, { name: 'web3' }]
/** v1 serves from blue; green is idle. */
export const blueLive: LiveState = { blue: { version: 'v1', weight: 100 }, green: { weight: 0 } }
/** Every host runs v1 and is in service. */
export const fleetLive: LiveState = Object.fromEntries(
  hosts.map(h => [h.name, { version: 'v1', weight: 1 }])
)

export const blueGreen: BlueGreenOptions = {
  strategy: 'blue-green',
  switchTraffic: true,
  keepPreviousMs: 0
}
export const canary = (steps: string): StrategyOptions => ({
  strategy: 'canary',
  steps: parseCanarySteps(steps),
  keepPreviousMs: 0
})
export const rolling: StrategyOptions = { strategy: 'rolling', batchSize: 1, maxUnavailable: 1 }

export function request(
  options: StrategyOptions,
  extra: Partial<DeployRequest> = {}
): DeployRequest {
  return {
    version: 'v2',
    options,
    healthTimeoutMs: 1000,
    healthIntervalMs: 100,
    drainDelayMs: 250,
    ...extra
  }
}

/** Analysis that measures whatever the test says the error rate is at that moment. */
export function observedErrorRate(observed: { errorRate: number }): ExecuteOptions['analysis'] {
  const metric: Metric = {
    name: 'error-rate',
    measure: async () => ({
      ok: observed.errorRate <= 0.05,
      value: observed.errorRate,
      message: `error rate ${observed.errorRate}`
    })
  }
  return {
    policy: { intervalMs: 1000, sampleEveryMs: 100, failureLimit: 0, consecutiveSuccesses: 2 },
    metrics: () => [metric]
  }
}

export async function deploy(
  targets: Target[],
  live: LiveState,
  deployRequest: DeployRequest,
  faults: FakeFaults = {},
  analysis?: ExecuteOptions['analysis']
) {
  const provider = new FakeProvider(targets, live, faults)
  const clock = new FakeClock()
  const plan = makePlan(provider.targets, await provider.current(), deployRequest)
  const result = await executePlan({
    provider,
    plan,
    request: deployRequest,
    live: await provider.current(),
    analysis,
    clock
  })
  return { provider, clock, plan, result, calls: provider.calls }
}
