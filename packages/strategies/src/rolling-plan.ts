import type { LiveState, Target, Weights } from '@slipway/providers'
import type { DeployRequest, FailureStep, Plan, PlanStep, RollingOptions } from './types.js'

/**
 * The rolling plan: per batch of hosts not yet on the version, drain → prepare → health →
 * re-enable, each a step with the router weights it sets; the migrate step (if any) after the
 * first batch; and the failure path, every batch's restore, last batch first.
 */
export function planRolling(
  targets: Target[],
  live: LiveState,
  request: DeployRequest,
  options: RollingOptions,
  migrate: PlanStep[]
): Plan {
  const { version } = request
  const notes: string[] = []
  const steps: PlanStep[] = []
  const size = Math.min(options.batchSize, options.maxUnavailable)
  if (size < options.batchSize)
    notes.push(
      `batch-size ${options.batchSize} capped at max-unavailable ${options.maxUnavailable}`
    )
  if (size >= targets.length && targets.length > 1)
    notes.push(`every host is out of service at once (batch of ${size} of ${targets.length} hosts)`)
  const groups = batches(targets, size).map(group => group.map(t => t.name))
  const versions = [
    ...new Set(targets.map(t => live[t.name]?.version).filter((v): v is string => !!v))
  ]
  const previousVersion = versions.length === 1 ? versions[0] : versions.find(v => v !== version)
  const pending = groups.map(group =>
    group.filter(name => live[name]?.version !== version || !(live[name]?.weight ?? 0))
  )
  // The router's weights as the rollout moves: a host whose weight we do not know is assumed in
  // service (draining a live fleet by mistake is an outage, while routing to a host with
  // nothing yet only matters before the first deploy).
  const weights: Weights = Object.fromEntries(
    targets.map(t => [t.name, (live[t.name]?.weight ?? 1) > 0 ? 1 : 0])
  )
  const onFailure: FailureStep[] = []
  groups.forEach((group, index) => {
    const hosts = pending[index]
    if (hosts.length === 0) {
      notes.push(`batch ${index + 1} (${group.join(', ')}) already runs ${version}`)
      return
    }
    const batch = index + 1
    for (const name of hosts) weights[name] = 0
    steps.push({ kind: 'drain', batch, targets: hosts, weights: { ...weights } })
    steps.push({ kind: 'prepare', batch, targets: hosts, version })
    steps.push({ kind: 'health', batch, targets: hosts, version })
    for (const name of hosts) weights[name] = 1
    steps.push({ kind: 'enable', batch, targets: hosts, weights: { ...weights } })
    if (index === 0) steps.push(...migrate)
    onFailure.unshift({
      kind: 'restore',
      batch,
      from: version,
      hosts: hosts.map(name => ({ name, version: live[name]?.version }))
    })
  })
  const allWeights = Object.fromEntries(targets.map(t => [t.name, 1]))
  if (steps.length === 0)
    steps.push({ kind: 'route', weights: allWeights, label: 'every host in service' })
  return {
    strategy: 'rolling',
    version,
    previousVersion,
    batches: groups,
    rollbackTarget: previousVersion ?? 'none (first deployment)',
    steps,
    onFailure,
    notes
  }
}

/** Splits hosts into batches of `size`, in the order given. */
export function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
