import type { LiveState, Provider, Target, Weights } from '@slipway/providers'
import { sleep } from '@slipway/probes'
import { errorMessage } from '@slipway/kit'
import type { DeployRequest } from './types.js'

export interface RestoreOptions {
  provider: Provider
  request: DeployRequest
  /** The version that failed. */
  version: string
  /** What ran where before the rollout started: each host goes back to its own version. */
  live: LiveState
  /** Hosts of the failed batch (already drained). */
  failed: string[]
  /** Hosts earlier batches moved and put back in service, most recent first. */
  moved: string[]
  /** The router's weights per host; updated in place as hosts come back or stay drained. */
  weights: Weights
  record: (step: string, detail: string, ok?: boolean) => void
  gate: (targets: Target[], version: string) => Promise<void>
}

/**
 * Rolling fails closed across the fleet: the failed batch goes back to its previous version,
 * then every host an earlier batch moved, one at a time, most recent first, each drained before
 * it is replaced and put back in service only behind the health gate. A host that cannot be
 * restored stays drained and is named, so the fleet never serves a version that failed its gate
 * beside one that passed it. Never throws: what could not be done is in the timeline.
 */
export async function restoreHosts(options: RestoreOptions): Promise<void> {
  const { provider, weights, record } = options
  const target = (name: string): Target => provider.targets.find(t => t.name === name)!
  const route = async (why: string): Promise<boolean> => {
    try {
      await provider.router.setWeights({ ...weights })
      record('restore', `${why}: ${describeWeights(weights)}`)
      return true
    } catch (error) {
      record('restore', `routing update failed (${why}): ${errorMessage(error)}`, false)
      return false
    }
  }
  const putBack = async (name: string, previous: string): Promise<boolean> => {
    try {
      await provider.prepare(target(name), { version: previous, previousVersion: options.version })
      await options.gate([target(name)], previous)
      record('restore', `${name} back on ${previous}`)
      return true
    } catch (error) {
      record(
        'restore',
        `${name} could not be restored to ${previous} (left drained): ${errorMessage(error)}`,
        false
      )
      return false
    }
  }

  for (const name of options.failed) {
    const previous = options.live[name]?.version
    if (!previous || previous === options.version) {
      record('restore', `${name}: no previous version; left drained`, false)
      continue
    }
    if (await putBack(name, previous)) weights[name] = 1
  }
  if (options.failed.length) await route('failed batch')

  for (const name of options.moved) {
    const previous = options.live[name]?.version
    if (!previous || previous === options.version) {
      // A first rollout has nothing to return to: the host keeps the version that passed its gate.
      record(
        'restore',
        `${name} stays on ${options.version}: no previous version to return to`,
        false
      )
      continue
    }
    weights[name] = 0
    if (!(await route(`drained ${name}`))) continue
    await sleep(options.request.drainDelayMs ?? 0)
    if (await putBack(name, previous)) {
      weights[name] = 1
      await route(`${name} in service`)
    }
  }
}

function describeWeights(weights: Weights): string {
  return Object.entries(weights)
    .map(([name, weight]) => `${name}=${weight ? 'in' : 'drained'}`)
    .join(', ')
}
