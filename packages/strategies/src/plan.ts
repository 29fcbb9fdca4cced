import type { LiveState, Target, Weights } from '@slipway/providers'
import type {
  CanaryStep,
  DeployRequest,
  FailureStep,
  MigrateWhen,
  Plan,
  PlanStep
} from './types.js'

/** The live slot: the one with the most traffic (a version and a positive weight). */
export function activeSlot(targets: Target[], live: LiveState): Target | undefined {
  let best: Target | undefined
  for (const target of targets) {
    const state = live[target.name]
    // Traffic decides, not what we know of the version: a slot serving requests is never "idle".
    if (!(state?.weight ?? 0)) continue
    if (!best || (state.weight ?? 0) > (live[best.name].weight ?? 0)) best = target
  }
  return best
}

/** Splits hosts into batches of `size`, in the order given. */
export function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Turns a request and what is live into the exact list of steps. The same plan is printed
 * by dry-run and executed by a real run, so what a reviewer approves is what happens.
 */
export function makePlan(targets: Target[], live: LiveState, request: DeployRequest): Plan {
  const { options, version } = request
  const notes: string[] = []
  const steps: PlanStep[] = []
  const migrate = (when: MigrateWhen): PlanStep[] =>
    request.migrate ? [{ kind: 'migrate', command: request.migrateCommand, when }] : []
  if (options.strategy === 'rolling') {
    const size = Math.min(options.batchSize, options.maxUnavailable)
    if (size < options.batchSize)
      notes.push(
        `batch-size ${options.batchSize} capped at max-unavailable ${options.maxUnavailable}`
      )
    if (size >= targets.length && targets.length > 1)
      notes.push(
        `every host is out of service at once (batch of ${size} of ${targets.length} hosts)`
      )
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
      if (index === 0) steps.push(...migrate('after-first-batch'))
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

  const [first, second] = targets
  const active = activeSlot(targets, live)
  const idle = active === first ? second : first
  const previousVersion = active ? live[active.name].version : undefined
  const base: Pick<
    Plan,
    'version' | 'previousVersion' | 'slot' | 'previousSlot' | 'rollbackTarget'
  > = {
    version,
    previousVersion,
    slot: idle.name,
    previousSlot: active?.name,
    rollbackTarget: active
      ? `${previousVersion ?? 'the current version'} on slot ${active.name}`
      : 'none (first deployment)'
  }
  if (
    active &&
    previousVersion === version &&
    (live[active.name].weight ?? 0) > 0 &&
    !targets.some(t => t !== active && (live[t.name]?.weight ?? 0) > 0)
  ) {
    notes.push(`${version} is already live on slot ${active.name}: nothing to do`)
    return {
      strategy: options.strategy,
      ...base,
      slot: active.name,
      previousSlot: undefined,
      previousVersion: undefined,
      rollbackTarget: 'unchanged',
      steps: [],
      onFailure: [],
      notes
    }
  }
  if (live[idle.name]?.version === version)
    notes.push(`slot ${idle.name} already runs ${version}: not prepared again`)
  else steps.push({ kind: 'prepare', targets: [idle.name], version })
  steps.push({ kind: 'health', targets: [idle.name], version })
  steps.push(...migrate('after-health'))
  const onFailure = slotFailurePath(idle, active, version, previousVersion, targets)
  const weightsFor = (share: number): Record<string, number> =>
    active
      ? { [active.name]: 100 - share, [idle.name]: share }
      : { [idle.name]: 100, [(idle === first ? second : first).name]: 0 }

  if (options.strategy === 'blue-green') {
    if (!options.switchTraffic) {
      notes.push(
        `switch: false — ${version} is prepared and healthy on slot ${idle.name}; traffic stays on ${active?.name ?? 'nothing'}`
      )
      return { strategy: 'blue-green', ...base, steps, onFailure, notes }
    }
    steps.push({
      kind: 'route',
      weights: weightsFor(100),
      label: `switch all traffic to ${idle.name}`
    })
  } else {
    const weights: number[] = []
    if (!active) {
      notes.push(
        'no stable version is live: the first deployment takes 100% at once (nothing to compare a canary with)'
      )
      steps.push({ kind: 'route', weights: weightsFor(100), label: `100% to ${idle.name}` })
      weights.push(100)
    } else {
      const explicit = options.steps.some(step => 'analysis' in step)
      for (const step of options.steps as CanaryStep[]) {
        if ('setWeight' in step) {
          steps.push({
            kind: 'route',
            weights: weightsFor(step.setWeight),
            label: `${step.setWeight}% to canary ${idle.name}`
          })
          weights.push(step.setWeight)
          if (!explicit && request.analysisConfigured && step.setWeight < 100)
            steps.push({ kind: 'analysis', weight: step.setWeight })
        } else if ('pause' in step) steps.push({ kind: 'pause', ms: step.pause })
        else steps.push({ kind: 'analysis', weight: weights[weights.length - 1] ?? 0 })
      }
    }
    Object.assign(base, { weights })
    return finishSlots(
      { strategy: 'canary', ...base, weights, steps, onFailure, notes },
      active,
      options.keepPreviousMs,
      previousVersion
    )
  }
  return finishSlots(
    { strategy: 'blue-green', ...base, steps, onFailure, notes },
    active,
    options.keepPreviousMs,
    previousVersion
  )
}

/**
 * Slots fail closed: traffic that reached the new slot goes back to the stable one, the new
 * slot's evidence is taken while it still runs, then the new version is stopped — except on a
 * first deployment that already routed to it, where nothing else could serve.
 */
function slotFailurePath(
  idle: Target,
  active: Target | undefined,
  version: string,
  previousVersion: string | undefined,
  targets: Target[]
): FailureStep[] {
  const path: FailureStep[] = []
  if (active)
    path.push({
      kind: 'route-back',
      weights: Object.fromEntries(targets.map(t => [t.name, t === active ? 100 : 0])),
      slot: active.name,
      version: previousVersion,
      when: 'traffic-moved'
    })
  path.push({ kind: 'diagnose', targets: [idle.name], version, when: 'target-failed' })
  path.push({
    kind: 'tear-down',
    targets: [idle.name],
    version,
    when: active ? 'always' : 'traffic-not-moved'
  })
  return path
}

function finishSlots(
  plan: Plan,
  active: Target | undefined,
  keepPreviousMs: number,
  previousVersion: string | undefined
): Plan {
  if (!active) return plan
  if (keepPreviousMs <= 0)
    plan.steps.push({ kind: 'retire', targets: [active.name], version: previousVersion })
  else
    plan.notes.push(
      `slot ${active.name} (${previousVersion}) stays warm for rollback by route-back`
    )
  return plan
}

const batchPrefix = (batch: number | undefined): string => (batch ? `batch ${batch}: ` : '')

/** One line per step, for logs and the summary. */
export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case 'prepare':
      return `${batchPrefix(step.batch)}prepare ${step.version} on ${step.targets.join(', ')}`
    case 'health':
      return `${batchPrefix(step.batch)}health gate ${step.targets.join(', ')}`
    case 'migrate':
      return 'run migrate-command'
    case 'route':
      return `route: ${step.label} (${Object.entries(step.weights)
        .map(([n, w]) => `${n}=${w}`)
        .join(', ')})`
    case 'pause':
      return `pause ${Math.round(step.ms / 100) / 10}s`
    case 'analysis':
      return `analysis at ${step.weight}%`
    case 'retire':
      return `retire ${step.version ?? ''} on ${step.targets.join(', ')}`.replace('  ', ' ')
    case 'drain':
      return `batch ${step.batch}: drain ${step.targets.join(', ')}`
    case 'enable':
      return `batch ${step.batch}: re-enable ${step.targets.join(', ')}`
  }
}

/** One line per failure-path step, for the summary and logs. */
export function describeFailureStep(step: FailureStep): string {
  switch (step.kind) {
    case 'route-back':
      return `if traffic moved: route back 100% to stable ${step.slot} (${step.version ?? 'its version'})`
    case 'diagnose':
      return `if ${step.targets.join(', ')} failed its prepare, health gate or analysis: collect its evidence`
    case 'tear-down':
      return `${step.when === 'always' ? '' : 'if no traffic moved: '}tear down ${step.version} on ${step.targets.join(', ')}`
    case 'restore':
      return `restore batch ${step.batch} if reached: ${step.hosts
        .map(h => `${h.name} → ${h.version ?? 'nothing to return to'}`)
        .join(', ')}`
  }
}
