import type { DeployInputs } from '@slipway/strategies'

/**
 * The deploy settings that tests building a config directly share (what the action's input
 * defaults would give, with short health timings); each test overrides what it is about.
 */
export const testDeploySettings = {
  dryRun: false,
  switchTraffic: true,
  keepPreviousMs: 0,
  intervalMs: 60_000,
  failureLimit: 0,
  consecutiveSuccesses: 3,
  analysisRequests: 20,
  batchSize: '1',
  healthPath: '/health',
  healthTimeoutMs: 1000,
  healthIntervalMs: 100,
  hookTimeoutMs: 10_000,
  drainDelayMs: 0,
  recordDeployment: true,
  upstreamName: 'slipway',
  nginxTestCommand: 'true',
  nginxReloadCommand: 'true'
} satisfies Partial<DeployInputs>
