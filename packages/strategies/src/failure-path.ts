import type { Provider, Target, Weights } from '@slipway/providers'
import { errorMessage, type Clock } from '@slipway/kit'
import { collectDiagnostics } from './diagnostics.js'
import { restoreFailedBatch, restoreMovedBatch } from './rolling-restore.js'
import type { DeployRequest, Diagnostic, FailureStep, Plan, PlanStep } from './types.js'

/** How far the plan got: what the failure path's conditions are decided on. */
export interface RunProgress {
  /** A route step ran (slots): traffic may have reached the new version. */
  trafficMoved: boolean
  /** rolling: the router's weights as last asked for; restores update them in place. */
  weights: Weights
  /** rolling: per batch, `out` once drained, `in` once back in service. */
  batches: Map<number, 'out' | 'in'>
}

export interface FailurePathOptions {
  provider: Provider
  plan: Plan
  request: DeployRequest
  clock: Clock
  record: (step: string, detail: string, ok?: boolean) => void
  gate: (targets: Target[], version: string) => Promise<void>
  progress: RunProgress
  /** The step that failed. */
  failedAt?: PlanStep
  /** Filled with the provider's evidence for the targets that failed. */
  diagnostics: Diagnostic[]
}

/** Failures at these steps are the new version's own: its evidence is worth collecting. */
const TARGET_STEPS: ReadonlySet<PlanStep['kind']> = new Set(['prepare', 'health', 'analysis'])

/**
 * Runs the plan's failure path in order, each step only when its condition holds. Never throws:
 * a step that fails is recorded as failed in the timeline and the path goes on, so what could not
 * be undone is named rather than hidden behind the first error.
 */
export async function runFailurePath(options: FailurePathOptions): Promise<void> {
  const { provider, plan, request, clock, record, progress } = options
  const target = (name: string): Target => provider.targets.find(t => t.name === name)!
  for (const step of plan.onFailure) {
    switch (step.kind) {
      case 'route-back':
        if (!progress.trafficMoved) break
        try {
          await provider.router.setWeights(step.weights)
          await clock.sleep(request.drainDelayMs ?? 0)
          record('route back', `100% to stable ${step.slot} (${step.version})`)
        } catch (error) {
          record(
            'route back',
            `FAILED — traffic may still reach ${plan.slot}: ${errorMessage(error)}`,
            false
          )
        }
        break
      case 'diagnose':
        // Evidence before the teardown: a provider may lose it once the version is stopped.
        if (options.failedAt && TARGET_STEPS.has(options.failedAt.kind))
          options.diagnostics.push(
            ...(await collectDiagnostics(provider, step.targets.map(target), step.version))
          )
        break
      case 'tear-down':
        if (step.when === 'traffic-not-moved' && progress.trafficMoved) break
        for (const name of step.targets) {
          try {
            await provider.retire(target(name), { version: step.version })
            record('tear down', `${step.version} on ${name}`)
          } catch (error) {
            record('tear down', `${name} failed: ${errorMessage(error)}`, false)
          }
        }
        break
      case 'restore':
        await restore(step, options)
        break
      default: {
        const never: never = step
        throw new Error(`unknown failure step ${JSON.stringify(never)}`)
      }
    }
  }
}

async function restore(
  step: Extract<FailureStep, { kind: 'restore' }>,
  options: FailurePathOptions
): Promise<void> {
  const { provider, progress } = options
  const state = progress.batches.get(step.batch)
  if (!state) return
  const restoring = {
    provider,
    request: options.request,
    clock: options.clock,
    weights: progress.weights,
    record: options.record,
    gate: options.gate
  }
  if (state === 'in') return restoreMovedBatch(step, restoring)
  // Evidence before the restore replaces the failed version on these hosts.
  options.diagnostics.push(
    ...(await collectDiagnostics(
      provider,
      step.hosts.map(h => provider.targets.find(t => t.name === h.name)!),
      step.from
    ))
  )
  return restoreFailedBatch(step, restoring)
}
