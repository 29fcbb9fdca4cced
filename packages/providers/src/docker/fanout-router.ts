import { UserError } from '@slipway/kit'
import type { ProbeOutcome } from '@slipway/probes'
import type { Router, Target, Weights } from '../types.js'

/**
 * One router the fan-out drives: an HaproxyTrafficRouter or an NginxRouter adapted to this shape.
 * Its servers are named as `serversOf` says.
 */
export interface InnerRouter {
  readonly label: string
  setWeights(weights: Weights): Promise<void>
  /** Effective weights per server. */
  weights(): Promise<Weights>
  waitReady?(target: Target, deadline: number): Promise<ProbeOutcome>
  check?(): Promise<void>
  close?(): Promise<void>
  readonly dropsConnectionsOnChange: boolean
}

export interface FanoutRouterOptions {
  /**
   * `fleet`: one router with a server per host and slot (`serversOf(slot)` = `web1-blue`,
   * `web2-blue`…; rolling: the host's own server). `per-host`: one router per host, each with
   * servers named by slot, changed host by host.
   */
  scope: 'fleet' | 'per-host'
  routers: InnerRouter[]
  /** The strategy's target names (slots or hosts). */
  targets: string[]
  /** The server names of a target in each router (fleet: many; per-host: the slot itself). */
  serversOf(target: string): string[]
}

/**
 * The strategies speak of slots (`blue`/`green`) or hosts; a fleet has a server per host and
 * slot. This router expands a slot's weight to every one of its servers, in one atomic change per
 * router; with one router per host, hosts change one after the other and a failure puts the hosts
 * already changed back, so the fleet never stays split between versions.
 */
export class FanoutRouter implements Router {
  readonly name: string
  readonly dropsConnectionsOnChange: boolean

  constructor(private readonly options: FanoutRouterOptions) {
    if (options.routers.length === 0) throw new Error('FanoutRouter: no router')
    this.dropsConnectionsOnChange = options.routers.some(r => r.dropsConnectionsOnChange)
    this.name = this.dropsConnectionsOnChange ? 'nginx' : 'haproxy'
  }

  /** Every server of each named target gets the target's weight. */
  expand(weights: Weights): Weights {
    const expanded: Weights = {}
    for (const [target, weight] of Object.entries(weights)) {
      if (!this.options.targets.includes(target))
        throw new Error(`router: unknown target ${target} (${this.options.targets.join(', ')})`)
      for (const server of this.options.serversOf(target)) expanded[server] = weight
    }
    return expanded
  }

  async setWeights(weights: Weights): Promise<void> {
    const expanded = this.expand(weights)
    const done: { router: InnerRouter; before: Weights }[] = []
    for (const router of this.options.routers) {
      const before = this.options.routers.length > 1 ? await router.weights() : {}
      try {
        await router.setWeights(expanded)
      } catch (error) {
        const restored: string[] = []
        for (const { router: earlier, before: previous } of done.reverse()) {
          const back = Object.fromEntries(Object.keys(expanded).map(s => [s, previous[s] ?? 0]))
          await earlier
            .setWeights(back)
            .then(() => restored.push(earlier.label))
            .catch(() => restored.push(`${earlier.label} (FAILED to restore)`))
        }
        const message = error instanceof Error ? error.message : String(error)
        const text = `router ${router.label}: ${message}${restored.length ? `; put back: ${restored.join(', ')}` : ''}`
        // A router's refusal the user can fix stays theirs once it names the router.
        if (error instanceof UserError) throw new UserError(text, error.hint)
        throw new Error(text, { cause: error })
      }
      done.push({ router, before })
    }
  }

  /**
   * A target's weight: the highest weight any of its servers has in any router (a slot serving
   * requests anywhere is never idle). Targets with no server known are left out.
   */
  async weights(): Promise<Weights> {
    const all = await Promise.all(this.options.routers.map(router => router.weights()))
    const result: Weights = {}
    for (const target of this.options.targets) {
      const values = all.flatMap(weights =>
        this.options.serversOf(target).flatMap(s => (s in weights ? [weights[s]] : []))
      )
      if (values.length > 0) result[target] = Math.max(...values)
    }
    return result
  }

  /** Every router must report every server of the target up. */
  async waitReady(target: Target, deadline: number): Promise<ProbeOutcome> {
    const messages: string[] = []
    for (const router of this.options.routers) {
      if (!router.waitReady) continue
      for (const server of this.options.serversOf(target.name)) {
        const outcome = await router.waitReady({ ...target, name: server }, deadline)
        messages.push(outcome.message)
        if (!outcome.ok) return { ok: false, message: messages.join('; ') }
      }
    }
    return {
      ok: true,
      message: messages.length ? messages.join('; ') : 'the router does not check its servers'
    }
  }

  async check(): Promise<void> {
    for (const router of this.options.routers) await router.check?.()
  }

  async close(): Promise<void> {
    for (const router of this.options.routers) await router.close?.()
  }
}
