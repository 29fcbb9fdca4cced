import type { SmokeInputs } from '@slipway/smoke'

/** The action's defaults, as readInputs produces them when an input is empty. */
export function smokeInputs(overrides: Partial<SmokeInputs> = {}): SmokeInputs {
  return {
    followRedirects: true,
    insecure: false,
    timeoutMs: 120_000,
    requestTimeoutMs: 10_000,
    retryIntervalMs: 1000,
    concurrency: 10,
    loadConnections: 10,
    loadMaxRequests: 1_000_000,
    watchIntervalMs: 30_000,
    failureLimit: 1,
    dryRun: false,
    ...overrides
  }
}
