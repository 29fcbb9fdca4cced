import type { LiveState, Target } from '@slipway/providers'
import { planRolling } from './rolling-plan.js'
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
  if (options.strategy === 'rolling')
    return planRolling(targets, live, request, options, migrate('after-first-batch'))

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
