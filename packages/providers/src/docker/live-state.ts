import type { LiveState, Target, Weights } from '../types.js'

/**
 * The one version every host reports for a target, else undefined: a host without one, or two
 * hosts that differ, leave the target's version unknown (the plan then treats it as not live).
 */
export function agreedVersion(perHost: (string | undefined)[]): string | undefined {
  return perHost.length > 0 && perHost.every(v => v !== undefined && v === perHost[0])
    ? perHost[0]
    : undefined
}

/**
 * The docker and compose providers' live state: each target's agreed version and, when the
 * router reads them back, its weight. A target with neither is left out.
 */
export function liveState(
  targets: Target[],
  versions: Record<string, string | undefined>,
  weights?: Weights
): LiveState {
  const live: LiveState = {}
  for (const { name } of targets) {
    const version = versions[name]
    if (!weights) {
      if (version !== undefined) live[name] = { version }
      continue
    }
    const weight = weights[name]
    if (version !== undefined || weight !== undefined) live[name] = { version, weight }
  }
  return live
}
