// An in-memory Provider and Clock for the executor's tests. The provider records every call in
// order (`calls`) and fails where a test tells it to; the clock moves only when someone sleeps,
// so health-gate deadlines and canary pauses pass without waiting.
import type { Clock } from '@slipway/kit'
import type { ProbeOutcome } from '@slipway/probes'
import type { HookContext, LiveState, Provider, Router, Target, Weights } from '@slipway/providers'

export interface FakeFaults {
  /** Fails `prepare(target, version)` when it returns a message. */
  prepare?: (target: string, version: string) => string | undefined
  /** The health answer for a target expected to run `version`; ok by default. */
  health?: (target: string, version: string | undefined) => ProbeOutcome | undefined
  /** Fails the n-th (from 1) setWeights call when it returns a message. */
  route?: (call: number, weights: Weights) => string | undefined
  /** Fails `retire(target, version)` when it returns a message. */
  retire?: (target: string, version: string) => string | undefined
}

export class FakeProvider implements Provider {
  readonly name = 'fake'
  readonly calls: string[] = []
  readonly router: Router
  private routeCalls = 0

  constructor(
    readonly targets: Target[],
    private readonly live: LiveState = {},
    private readonly faults: FakeFaults = {}
  ) {
    this.router = {
      name: 'fake-router',
      dropsConnectionsOnChange: false,
      setWeights: async (weights: Weights): Promise<void> => {
        this.routeCalls++
        this.calls.push(`route ${describeWeights(weights)}`)
        const refusal = this.faults.route?.(this.routeCalls, weights)
        if (refusal) throw new Error(refusal)
      }
    }
  }

  async check(): Promise<void> {
    this.calls.push('check')
  }
  async current(): Promise<LiveState> {
    return structuredClone(this.live)
  }
  async prepare(target: Target, context: HookContext): Promise<void> {
    this.calls.push(`prepare ${target.name} ${context.version}`)
    const failure = this.faults.prepare?.(target.name, context.version)
    if (failure) throw new Error(failure)
  }
  async health(target: Target, context?: HookContext): Promise<ProbeOutcome> {
    this.calls.push(`health ${target.name} ${context?.version ?? '?'}`)
    return (
      this.faults.health?.(target.name, context?.version) ?? {
        ok: true,
        message: `fake ${target.name} ok`
      }
    )
  }
  async retire(target: Target, context: HookContext): Promise<void> {
    this.calls.push(`retire ${target.name} ${context.version}`)
    const failure = this.faults.retire?.(target.name, context.version)
    if (failure) throw new Error(failure)
  }
  async diagnose(target: Target, context: HookContext): Promise<string> {
    this.calls.push(`diagnose ${target.name} ${context.version}`)
    return `last lines of ${target.name} ${context.version}`
  }
  async close(): Promise<void> {
    this.calls.push('close')
  }
}

/** `blue=100 green=0`: weights in a stable, readable order. */
export function describeWeights(weights: Weights): string {
  return Object.entries(weights)
    .map(([name, weight]) => `${name}=${weight}`)
    .join(' ')
}

/** A clock that stands still until something sleeps; records every sleep. */
export class FakeClock implements Clock {
  private ms = 1_000_000
  readonly sleeps: number[] = []
  now(): number {
    return this.ms
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms)
    this.ms += Math.max(0, ms)
  }
}
