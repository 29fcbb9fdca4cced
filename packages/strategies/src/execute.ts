import type { LiveState, Provider, Target, Weights } from '@slipway/providers'
import { sleep } from '@slipway/probes'
import { errorMessage } from '@slipway/kit'
import { collectDiagnostics } from './diagnostics.js'
import { restoreHosts } from './rolling-restore.js'
import { runAnalysis, type AnalysisRun, type Metric } from './analysis.js'
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
}

class StepFailure extends Error {}

/**
 * Executes a plan. Fails closed: when a gate fails, traffic goes back to the stable version
 * (slots), or the failed batch and every host an earlier batch moved go back to the previous
 * version (rolling), BEFORE this returns. Never throws for a failed deployment: the result says
 * `failure` with the reason, and the provider's evidence for the targets that failed.
 */
export async function executePlan(
  options: ExecuteOptions
): Promise<DeployResult & { analyses: AnalysisRun[] }> {
  const { provider, plan, request } = options
  const started = Date.now()
  const timeline: TimelineEvent[] = []
  const analyses: AnalysisRun[] = []
  const diagnostics: Diagnostic[] = []
  const log = options.log ?? (() => undefined)
  const record = (step: string, detail: string, ok = true): void => {
    timeline.push({ atMs: Date.now() - started, step, detail, ok })
    log(`${ok ? '✓' : '✗'} ${step}: ${detail}`)
  }
  const byName = new Map(provider.targets.map(t => [t.name, t]))
  const target = (name: string): Target => byName.get(name)!
  const finish = (
    status: DeployResult['status'],
    error?: string
  ): DeployResult & { analyses: AnalysisRun[] } => ({
    plan,
    status,
    timeline,
    error,
    analyses,
    ...(diagnostics.length ? { diagnostics } : {}),
    durationMs: Date.now() - started
  })

  if (plan.strategy === 'rolling') return finishRolling()

  // blue-green and canary: traffic moved yet? decides how a failure is undone.
  let trafficMoved = false
  const idle = plan.slot ? target(plan.slot) : undefined
  const stableWeights: Weights | undefined = plan.previousSlot
    ? Object.fromEntries(
        provider.targets.map(t => [t.name, t.name === plan.previousSlot ? 100 : 0])
      )
    : undefined
  let failedAt: PlanStep | undefined
  try {
    for (const step of plan.steps) {
      failedAt = step
      const label = describeStep(step)
      if (step.kind === 'prepare') {
        await provider.prepare(idle!, {
          version: plan.version,
          previousVersion: options.live[idle!.name]?.version
        })
        record(
          'prepare',
          [`${plan.version} on ${idle!.name}`, provider.prepared?.(idle!)]
            .filter(Boolean)
            .join(': ')
        )
      } else if (step.kind === 'health') {
        await healthGate(provider, step.targets.map(target), request, record, plan.version)
      } else if (step.kind === 'migrate') {
        await runMigrate(request, record)
      } else if (step.kind === 'route') {
        await provider.router.setWeights(step.weights)
        trafficMoved = true
        record('route', label)
      } else if (step.kind === 'pause') {
        await sleep(step.ms)
        record('pause', label)
      } else if (step.kind === 'analysis') {
        const run = await analyse(options, idle!)
        analyses.push(run)
        record('analysis', `at ${step.weight}%: ${run.reason}`, run.ok)
        if (!run.ok) throw new StepFailure(`analysis failed at ${step.weight}%: ${run.reason}`)
      } else if (step.kind === 'retire') {
        await sleep(request.drainDelayMs ?? 0)
        try {
          await provider.retire(target(step.targets[0]), { version: step.version ?? '' })
          record('retire', label)
        } catch (error) {
          // Traffic already left it: a failed retire is reported, it does not fail the deploy.
          record('retire', `${label} failed (left running): ${errorMessage(error)}`, false)
        }
      }
    }
    // An analysis configured without explicit analysis steps runs after each partial weight.
    return finish(
      plan.strategy === 'blue-green' && !plan.steps.some(s => s.kind === 'route')
        ? 'prepared'
        : 'success'
    )
  } catch (error) {
    const reason = errorMessage(error)
    record('failed', reason, false)
    if (trafficMoved && stableWeights) {
      try {
        await provider.router.setWeights(stableWeights)
        await sleep(request.drainDelayMs ?? 0)
        record('route back', `100% to stable ${plan.previousSlot} (${plan.previousVersion})`)
      } catch (routeError) {
        record(
          'route back',
          `FAILED — traffic may still reach ${plan.slot}: ${errorMessage(routeError)}`,
          false
        )
      }
    }
    // Evidence before the teardown: a provider may lose it once the version is stopped.
    if (idle && failedAt && ['prepare', 'health', 'analysis'].includes(failedAt.kind))
      diagnostics.push(...(await collectDiagnostics(provider, [idle], plan.version)))
    if (idle && !trafficMovedTo(idle.name, trafficMoved, stableWeights)) {
      try {
        await provider.retire(idle, { version: plan.version })
        record('tear down', `${plan.version} on ${idle.name}`)
      } catch (retireError) {
        record('tear down', `${idle.name} failed: ${errorMessage(retireError)}`, false)
      }
    }
    return finish('failure', reason)
  }

  async function finishRolling(): Promise<DeployResult & { analyses: AnalysisRun[] }> {
    const weights: Weights = Object.fromEntries(
      provider.targets.map(t => [t.name, (options.live[t.name]?.weight ?? 1) > 0 ? 1 : 0])
    )
    // A host whose weight we do not know is assumed in service: draining a live fleet by
    // mistake is an outage, while routing to a host with nothing yet only matters before the first deploy.
    let current: PlanStep | undefined
    // Hosts that earlier batches moved to the new version and put back in service, in order.
    const moved: string[] = []
    try {
      for (const step of plan.steps) {
        current = step
        if (step.kind === 'migrate') await runMigrate(request, record)
        else if (step.kind === 'route') {
          await provider.router.setWeights(step.weights)
          record('route', describeStep(step))
        } else if (step.kind === 'batch') {
          for (const name of step.hosts) weights[name] = 0
          await provider.router.setWeights({ ...weights })
          record(`batch ${step.index}`, `drained ${step.hosts.join(', ')}`)
          await sleep(request.drainDelayMs ?? 0)
          // Hosts of one batch are updated in parallel; the first failure fails the batch.
          const prepared = await Promise.allSettled(
            step.hosts.map(name =>
              provider.prepare(target(name), {
                version: plan.version,
                previousVersion: options.live[name]?.version
              })
            )
          )
          const failed = prepared.find((r): r is PromiseRejectedResult => r.status === 'rejected')
          if (failed) throw failed.reason
          record(`batch ${step.index}`, `updated ${step.hosts.join(', ')} to ${plan.version}`)
          await healthGate(provider, step.hosts.map(target), request, record, plan.version)
          for (const name of step.hosts) weights[name] = 1
          await provider.router.setWeights({ ...weights })
          record(`batch ${step.index}`, `re-enabled ${step.hosts.join(', ')}`)
          moved.push(...step.hosts)
        }
      }
      return finish('success')
    } catch (error) {
      const reason = errorMessage(error)
      record('failed', reason, false)
      const failedBatch = current?.kind === 'batch' ? current.hosts : []
      if (failedBatch.length)
        diagnostics.push(
          ...(await collectDiagnostics(provider, failedBatch.map(target), plan.version))
        )
      // The failed batch first (already drained), then the moved hosts, most recent first.
      await restoreHosts({
        provider,
        request,
        version: plan.version,
        live: options.live,
        failed: failedBatch,
        moved: [...moved].reverse(),
        weights,
        record,
        gate: (targets, version) => healthGate(provider, targets, request, record, version)
      })
      return finish('failure', reason)
    }
  }
}

function trafficMovedTo(slot: string, moved: boolean, stable: Weights | undefined): boolean {
  // On a first deployment there is no stable slot to return to: the new slot keeps its traffic.
  return moved && !stable && !!slot
}

async function runMigrate(
  request: DeployRequest,
  record: (step: string, detail: string, ok?: boolean) => void
): Promise<void> {
  try {
    await request.migrate!()
    record('migrate', 'migrate-command succeeded')
  } catch (error) {
    throw new StepFailure(`migrate-command failed (no traffic moved): ${errorMessage(error)}`)
  }
}

/**
 * The health gate: polls every target's probe until each has passed, with a deadline, then,
 * where the router checks its servers itself (HAProxy), waits until it reports each one up.
 * Nothing passes without a probe that reached the target; the timeline names the probe and
 * what it saw. `health-check: none` is the one way around it, and the timeline says so.
 */
export async function healthGate(
  provider: Provider,
  targets: Target[],
  request: Pick<DeployRequest, 'healthTimeoutMs' | 'healthIntervalMs' | 'healthCheck'>,
  record: (step: string, detail: string, ok?: boolean) => void,
  version?: string
): Promise<void> {
  const names = targets.map(t => t.name).join(', ')
  if (request.healthCheck === 'none') {
    record('health', `${names} NOT probed (health-check: none): the gate is off`)
    return
  }
  const deadline = Date.now() + request.healthTimeoutMs
  const pending = new Set(targets.map(t => t.name))
  const passed = new Map<string, string>()
  let last = ''
  let attempts = 0
  for (let attempt = 1; attempt <= 10_000 && pending.size > 0; attempt++) {
    attempts = attempt
    for (const target of targets) {
      if (!pending.has(target.name)) continue
      const outcome = await provider.health(target, version ? { version } : undefined)
      if (outcome.ok) {
        pending.delete(target.name)
        passed.set(target.name, outcome.message)
      } else if (outcome.fatal) {
        // Waiting cannot help (the container exited or restarted): fail now, not at the deadline.
        throw new StepFailure(
          `health gate failed after ${attempt} check(s) (${target.name} cannot become healthy): ${outcome.message}`
        )
      } else last = `${target.name}: ${outcome.message}`
    }
    if (pending.size === 0) break
    if (Date.now() + request.healthIntervalMs > deadline) break
    await sleep(request.healthIntervalMs)
  }
  if (pending.size > 0)
    throw new StepFailure(
      `health gate failed after ${Math.round(request.healthTimeoutMs / 1000)}s (${[...pending].join(', ')} unhealthy): ${last}`
    )
  const evidence = targets.map(t => `${t.name}: ${passed.get(t.name)}`)
  const waitReady = provider.router.waitReady?.bind(provider.router)
  if (waitReady) {
    for (const target of targets) {
      const outcome = await waitReady(target, deadline)
      if (!outcome.ok)
        throw new StepFailure(
          `health gate failed: ${target.name} passed its probe but the router never reported it up within ${Math.round(request.healthTimeoutMs / 1000)}s: ${outcome.message}`
        )
      evidence.push(`${target.name}: ${outcome.message}`)
    }
  }
  record('health', `${names} healthy after ${attempts} check(s) — ${evidence.join('; ')}`)
}

async function analyse(options: ExecuteOptions, canary: Target): Promise<AnalysisRun> {
  if (!options.analysis)
    return { ok: true, reason: 'no analysis configured', samples: [], failures: 0, durationMs: 0 }
  return runAnalysis(options.analysis.policy, options.analysis.metrics(canary))
}
