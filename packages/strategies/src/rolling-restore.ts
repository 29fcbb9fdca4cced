import type { Provider, Target, Weights } from '@slipway/providers'
import { errorMessage, type Clock } from '@slipway/kit'
import type { DeployRequest, FailureStep } from './types.js'

type RestoreStep = Extract<FailureStep, { kind: 'restore' }>

export interface RestoreOptions {
  provider: Provider
  request: DeployRequest
  clock: Clock
  /** The router's weights per host; updated in place as hosts come back or stay drained. */
  weights: Weights
  record: (step: string, detail: string, ok?: boolean) => void
  gate: (targets: Target[], version: string) => Promise<void>
}

/**
 * Rolling fails closed across the fleet. The batch that failed while out of service goes back
 * to its previous version first (`restoreFailedBatch`), then every host an earlier batch moved,
 * one at a time, most recent first (`restoreMovedBatch`), each drained before it is replaced and
 * put back in service only behind the health gate. A host that cannot be restored stays drained
 * and is named, so the fleet never serves a version that failed its gate beside one that passed
 * it. Neither throws: what could not be done is in the timeline.
 */
export async function restoreFailedBatch(
  step: RestoreStep,
  options: RestoreOptions
): Promise<void> {
  const { weights, record } = options
  for (const host of step.hosts) {
    if (!host.version || host.version === step.from) {
      record('restore', `${host.name}: no previous version; left drained`, false)
      continue
    }
    if (await putBack(host.name, host.version, step.from, options)) weights[host.name] = 1
  }
  if (step.hosts.length) await route('failed batch', options)
}

/** A batch already back in service: each host drained, restored and re-enabled, last host first. */
export async function restoreMovedBatch(step: RestoreStep, options: RestoreOptions): Promise<void> {
  const { weights, record } = options
  for (const host of [...step.hosts].reverse()) {
    if (!host.version || host.version === step.from) {
      // A first rollout has nothing to return to: the host keeps the version that passed its gate.
      record(
        'restore',
        `${host.name} stays on ${step.from}: no previous version to return to`,
        false
      )
      continue
    }
    weights[host.name] = 0
    if (!(await route(`drained ${host.name}`, options))) continue
    await options.clock.sleep(options.request.drainDelayMs ?? 0)
    if (await putBack(host.name, host.version, step.from, options)) {
      weights[host.name] = 1
      await route(`${host.name} in service`, options)
    }
  }
}

async function route(why: string, options: RestoreOptions): Promise<boolean> {
  const { provider, weights, record } = options
  try {
    await provider.router.setWeights({ ...weights })
    record('restore', `${why}: ${describeWeights(weights)}`)
    return true
  } catch (error) {
    record('restore', `routing update failed (${why}): ${errorMessage(error)}`, false)
    return false
  }
}

async function putBack(
  name: string,
  previous: string,
  failedVersion: string,
  options: RestoreOptions
): Promise<boolean> {
  const target = options.provider.targets.find(t => t.name === name)!
  try {
    await options.provider.prepare(target, { version: previous, previousVersion: failedVersion })
    await options.gate([target], previous)
    options.record('restore', `${name} back on ${previous}`)
    return true
  } catch (error) {
    options.record(
      'restore',
      `${name} could not be restored to ${previous} (left drained): ${errorMessage(error)}`,
      false
    )
    return false
  }
}

function describeWeights(weights: Weights): string {
  return Object.entries(weights)
    .map(([name, weight]) => `${name}=${weight ? 'in' : 'drained'}`)
    .join(', ')
}
