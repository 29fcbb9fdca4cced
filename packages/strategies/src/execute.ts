import type { LiveState, Provider, Target } from '@slipway/providers'
import { errorMessage, formatDuration, systemClock, type Clock } from '@slipway/kit'
import { runAnalysis, type AnalysisRun, type Metric } from './analysis.js'
import { runFailurePath, type RunProgress } from './failure-path.js'
import { GateFailure, healthGate, waitBeat, type WaitProgress } from './health-gate.js'
import type { CanaryProgress } from './canary-progress.js'
import { describeStep } from './plan.js'
import type {
  AnalysisPolicy,
  DeployRequest,
  DeployResult,
  Diagnostic,
  Plan,
  PlanStep,
  TimelineEvent
} from './types.js'

export interface ExecuteOptions {
  provider: Provider
  plan: Plan
  request: DeployRequest
  live: LiveState
  analysis?: { policy: AnalysisPolicy; metrics: (canary: Target) => Metric[] }
  log?: (line: string) => void
  /** Pauses, drain delays, health-gate intervals and timeline times; the wall clock by default. */
  clock?: Clock
  /** How often a wait logs that it is still waiting; 15 s by default. */
  progressEveryMs?: number
  /**
   * A canary only: told once per weight step, after the router took the weights, before the
   * step's pause or analysis. Awaited, so what it records is there while the step runs; a
   * failure is logged and the deploy goes on (the progress is news, not a gate).
   */
  onCanaryStep?: (progress: CanaryProgress) => Promise<void>
}

export type ExecuteResult = DeployResult & { analyses: AnalysisRun[] }

/**
 * Executes a plan, step by step, then on a failure its failure path (`plan.onFailure`): traffic
 * goes back to the stable version (slots), or the failed batch and every host an earlier batch
 * moved go back to the previous version (rolling), BEFORE this returns. Never throws for a
 * failed deployment: the result says `failure` with the reason, and the provider's evidence for
 * the targets that failed.
 */
export async function executePlan(options: ExecuteOptions): Promise<ExecuteResult> {
  const { provider, plan, request } = options
  const clock = options.clock ?? systemClock
  const started = clock.now()
  const timeline: TimelineEvent[] = []
  const analyses: AnalysisRun[] = []
  const diagnostics: Diagnostic[] = []
  const log = options.log ?? (() => undefined)
  // Waits log while they wait only when someone reads the log.
  const waitProgress: WaitProgress | undefined = options.log
    ? { log: options.log, everyMs: options.progressEveryMs }
    : undefined
  const record = (step: string, detail: string, ok = true): void => {
    timeline.push({ atMs: clock.now() - started, step, detail, ok })
    log(`${ok ? '✓' : '✗'} ${step}: ${detail}`)
  }
  const byName = new Map(provider.targets.map(t => [t.name, t]))
  const target = (name: string): Target => byName.get(name)!
  const gate = (targets: Target[], version: string): Promise<void> =>
    healthGate(provider, targets, request, record, version, clock, waitProgress)
  const progress: RunProgress = {
    trafficMoved: false,
    weights: {},
    batches: new Map()
  }
  const finish = (status: DeployResult['status'], error?: string): ExecuteResult => ({
    plan,
    status,
    timeline,
    error,
    analyses,
    ...(diagnostics.length ? { diagnostics } : {}),
    durationMs: clock.now() - started
  })

  // The weights the last route step set, for the pause's progress lines.
  let routed: Record<string, number> = {}
  // A canary's place for onCanaryStep: the weight step reached and the last analysis finished.
  const canarySteps = plan.steps.filter(s => s.kind === 'route').length
  let canaryStep = 0
  let lastAnalysis: CanaryProgress['analysis']
  const reportCanaryStep = async (weights: Record<string, number>): Promise<void> => {
    if (plan.strategy !== 'canary' || !options.onCanaryStep) return
    canaryStep++
    try {
      await options.onCanaryStep({
        step: canaryStep,
        steps: canarySteps,
        weights: { ...weights },
        ...(lastAnalysis ? { analysis: lastAnalysis } : {})
      })
    } catch (error) {
      log(`Could not record the canary's step ${canaryStep}/${canarySteps}: ${errorMessage(error)}`)
    }
  }
  const run = async (step: PlanStep): Promise<void> => {
    switch (step.kind) {
      case 'prepare':
        return step.batch === undefined
          ? prepareSlot(step.targets, step.version)
          : prepareBatch(step)
      case 'health':
        return gate(step.targets.map(target), step.version)
      case 'migrate':
        return runMigrate(request, record)
      case 'route':
        await provider.router.setWeights(step.weights)
        progress.trafficMoved = true
        routed = step.weights
        record('route', detailOf(step))
        return reportCanaryStep(step.weights)
      case 'pause': {
        const until = clock.now() + step.ms
        const at = Object.entries(routed)
          .map(([name, weight]) => `${name}=${weight}`)
          .join(' ')
        await waitBeat(
          clock,
          waitProgress,
          () =>
            `pause: ${formatDuration(Math.max(0, until - clock.now()))} of ${formatDuration(step.ms)} left${at ? ` (weights ${at})` : ''}`
        ).sleep(step.ms)
        return record('pause', detailOf(step))
      }
      case 'analysis': {
        const result = await analyse(options, target(plan.slot!), clock, waitProgress)
        analyses.push(result)
        lastAnalysis = { weight: step.weight, ok: result.ok, reason: result.reason }
        record('analysis', `at ${step.weight}%: ${result.reason}`, result.ok)
        if (!result.ok)
          throw new GateFailure(`analysis failed at ${step.weight}%: ${result.reason}`)
        return
      }
      case 'retire':
        await clock.sleep(request.drainDelayMs ?? 0)
        try {
          await provider.retire(target(step.targets[0]), { version: step.version ?? '' })
          return record('retire', detailOf(step))
        } catch (error) {
          // Traffic already left it: a failed retire is reported, it does not fail the deploy.
          return record(
            'retire',
            `${describeStep(step)} failed (left running): ${errorMessage(error)}`,
            false
          )
        }
      case 'drain':
        // Out of service from the moment its weights are asked for: a failure restores it.
        progress.batches.set(step.batch, 'out')
        progress.weights = { ...step.weights }
        await provider.router.setWeights({ ...step.weights })
        record(`batch ${step.batch}`, `drained ${step.targets.join(', ')}`)
        return clock.sleep(request.drainDelayMs ?? 0)
      case 'enable':
        progress.weights = { ...step.weights }
        await provider.router.setWeights({ ...step.weights })
        record(`batch ${step.batch}`, `re-enabled ${step.targets.join(', ')}`)
        progress.batches.set(step.batch, 'in')
        return
      default: {
        const never: never = step
        throw new Error(`unknown plan step ${JSON.stringify(never)}`)
      }
    }
  }

  async function prepareSlot(names: string[], version: string): Promise<void> {
    for (const name of names) {
      await provider.prepare(target(name), {
        version,
        previousVersion: options.live[name]?.version
      })
      record(
        'prepare',
        [`${version} on ${name}`, provider.prepared?.(target(name))].filter(Boolean).join(': ')
      )
    }
  }

  async function prepareBatch(step: Extract<PlanStep, { kind: 'prepare' }>): Promise<void> {
    // Hosts of one batch are updated in parallel; the first failure fails the batch.
    const prepared = await Promise.allSettled(
      step.targets.map(name =>
        provider.prepare(target(name), {
          version: step.version,
          previousVersion: options.live[name]?.version
        })
      )
    )
    const failed = prepared.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
    record(`batch ${step.batch}`, `updated ${step.targets.join(', ')} to ${step.version}`)
  }

  let failedAt: PlanStep | undefined
  try {
    for (const step of plan.steps) {
      failedAt = step
      await run(step)
    }
  } catch (error) {
    const reason = errorMessage(error)
    record('failed', reason, false)
    const undoStarted = timeline.length
    await runFailurePath({
      provider,
      plan,
      request,
      clock,
      record,
      gate,
      progress,
      failedAt,
      diagnostics
    })
    // The failure path records what it could not undo and goes on: the result must say so too,
    // because then traffic may NOT be back on the previous version.
    const undoFailed = timeline.slice(undoStarted).filter(event => !event.ok)
    if (undoFailed.length === 0) return finish('failure', reason)
    return {
      ...finish('failure', reason),
      undoFailed: undoFailed.map(event => `${event.step}: ${event.detail}`)
    }
  }
  return finish(
    plan.strategy === 'blue-green' && !plan.steps.some(s => s.kind === 'route')
      ? 'prepared'
      : 'success'
  )
}

async function runMigrate(
  request: DeployRequest,
  record: (step: string, detail: string, ok?: boolean) => void
): Promise<void> {
  try {
    await request.migrate!()
    record('migrate', 'migrate-command succeeded')
  } catch (error) {
    throw new GateFailure(`migrate-command failed (no traffic moved): ${errorMessage(error)}`)
  }
}

async function analyse(
  options: ExecuteOptions,
  canary: Target,
  clock: Clock,
  progress?: WaitProgress
): Promise<AnalysisRun> {
  if (!options.analysis)
    return { ok: true, reason: 'no analysis configured', samples: [], failures: 0, durationMs: 0 }
  return runAnalysis(
    options.analysis.policy,
    options.analysis.metrics(canary),
    () => clock.now(),
    ms => clock.sleep(ms),
    progress
  )
}

/**
 * The timeline's step column names the kind, so its detail is the rest of the step's line:
 * "route: switch (blue=0, green=100)", never "route: route: switch …".
 */
function detailOf(step: PlanStep): string {
  const line = describeStep(step)
  const kind = new RegExp(`^${step.kind}:? `)
  return line.replace(kind, '')
}
