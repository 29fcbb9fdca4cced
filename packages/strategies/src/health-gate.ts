import type { Provider, Target } from '@slipway/providers'
import { formatDuration, heartbeat, systemClock, type Clock, type Heartbeat } from '@slipway/kit'
import type { DeployRequest } from './types.js'

/** Where a wait says it is still waiting, and how often (15 s unless a test says otherwise). */
export interface WaitProgress {
  log: (line: string) => void
  everyMs?: number
}

/** A wait's heartbeat, or one that only sleeps when nobody reads the log. */
export function waitBeat(
  clock: Clock,
  progress: WaitProgress | undefined,
  describe: (elapsedMs: number) => string
): Pick<Heartbeat, 'tick' | 'sleep'> {
  if (!progress) return { tick: () => undefined, sleep: ms => clock.sleep(ms) }
  return heartbeat({ info: progress.log }, clock, progress.everyMs, describe)
}

/** A gate said no: the deploy fails closed with this message. */
export class GateFailure extends Error {}

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
  version?: string,
  clock: Clock = systemClock,
  progress?: WaitProgress
): Promise<void> {
  const names = targets.map(t => t.name).join(', ')
  if (request.healthCheck === 'none') {
    record('health', `${names} NOT probed (health-check: none): the gate is off`)
    return
  }
  const deadline = clock.now() + request.healthTimeoutMs
  const pending = new Set(targets.map(t => t.name))
  const passed = new Map<string, string>()
  let last = ''
  let attempts = 0
  const beat = waitBeat(
    clock,
    progress,
    elapsed =>
      `health gate: waiting for ${[...pending].join(', ')} — attempt ${attempts}, ${formatDuration(elapsed)} of ${formatDuration(request.healthTimeoutMs)}; last answer: ${last || 'none yet'}`
  )
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
        throw new GateFailure(
          `health gate failed after ${attempt} check(s) (${target.name} cannot become healthy): ${outcome.message}`
        )
      } else last = `${target.name}: ${outcome.message}`
      beat.tick()
    }
    if (pending.size === 0) break
    if (clock.now() + request.healthIntervalMs > deadline) break
    await beat.sleep(request.healthIntervalMs)
  }
  if (pending.size > 0)
    throw new GateFailure(
      `health gate failed after ${Math.round(request.healthTimeoutMs / 1000)}s (${[...pending].join(', ')} unhealthy): ${last}`
    )
  const evidence = targets.map(t => `${t.name}: ${passed.get(t.name)}`)
  const waitReady = provider.router.waitReady?.bind(provider.router)
  if (waitReady) {
    for (const target of targets) {
      const outcome = await waitReady(target, deadline)
      if (!outcome.ok)
        throw new GateFailure(
          `health gate failed: ${target.name} passed its probe but the router never reported it up within ${Math.round(request.healthTimeoutMs / 1000)}s: ${outcome.message}`
        )
      evidence.push(`${target.name}: ${outcome.message}`)
    }
  }
  record('health', `${names} healthy after ${attempts} check(s) — ${evidence.join('; ')}`)
}
