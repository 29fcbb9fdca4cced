import { UserError } from '@slipway/kit'
import type { ProbeOutcome } from '@slipway/probes'
import type { Router, Weights } from '../types.js'
import type { KubeClient, HttpRoute } from './client.js'
import { checkRoute } from './httproute-schema.js'
import { LABEL } from './names.js'
import { deploymentName, serviceFor } from './objects.js'
import type { KubernetesProviderOptions } from './options.js'

const SLOTS = ['blue', 'green']

/**
 * Moves traffic between the blue and green Deployments without anything installed in the
 * cluster. With `gateway-route`, exact weights in the HTTPRoute's backendRefs (one Service per
 * slot). Without it, through the app's Service: its selector names one slot (blue-green, and
 * every 100% step), or both slots with the replicas set to the weights' ratio (canary). A slot
 * that must carry more traffic is scaled up and ready before the selector or route moves.
 * In rolling the Deployment moves traffic pod by pod itself: setWeights changes nothing.
 */
export class KubernetesRouter implements Router {
  readonly name: string
  readonly dropsConnectionsOnChange = false

  constructor(
    private readonly options: KubernetesProviderOptions,
    private readonly client: KubeClient,
    private readonly waitRolledOut: (name: string, deadline: number) => Promise<ProbeOutcome>
  ) {
    this.name =
      options.strategy === 'rolling'
        ? 'kubernetes (the Deployment’s rolling update)'
        : options.gatewayRoute
          ? `kubernetes HTTPRoute ${options.gatewayRoute}`
          : `kubernetes Service ${options.app}`
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor ? this.options.redactor.redact(line) : line)
  }

  /** The weights as the cluster has them now; {} when the app has no Service or route yet. */
  async weights(): Promise<Weights> {
    await this.client.ready()
    if (this.options.strategy === 'rolling') return {}
    if (this.options.gatewayRoute) {
      const route = await this.client.readRoute(this.options.gatewayRoute)
      const weights: Weights = {}
      for (const ref of route?.spec?.rules?.flatMap(r => r.backendRefs ?? []) ?? [])
        for (const slot of SLOTS)
          if (ref.name === deploymentName(this.options, slot)) weights[slot] = ref.weight ?? 1
      return weights
    }
    const service = await this.client.readService(this.options.app)
    if (!service) return {}
    const slot = service.spec?.selector?.[LABEL.slot]
    if (slot) return Object.fromEntries(SLOTS.map(s => [s, s === slot ? 100 : 0]))
    const weights: Weights = {}
    for (const s of SLOTS) {
      const d = await this.client.readDeployment(deploymentName(this.options, s))
      weights[s] = d?.spec?.replicas ?? 0
    }
    return weights
  }

  async setWeights(weights: Weights): Promise<void> {
    await this.client.ready()
    if (this.options.strategy === 'rolling') return
    const serving = SLOTS.filter(s => (weights[s] ?? 0) > 0)
    if (serving.length === 0)
      throw new Error('kubernetes: refusing weights that send traffic nowhere')
    if (this.options.gatewayRoute) return this.setRouteWeights(weights, serving)
    const total = this.options.replicas
    const sum = serving.reduce((n, s) => n + weights[s], 0)
    // Replicas per serving slot: all of them for a single slot, else the nearest ratio (≥ 1 each).
    const replicas = Object.fromEntries(
      serving.map(s => [
        s,
        serving.length === 1 ? total : Math.max(1, Math.round((total * weights[s]) / sum))
      ])
    )
    await this.scaleUpFirst(replicas)
    const slot = serving.length === 1 ? serving[0] : undefined
    await this.client.apply(serviceFor(this.options, this.options.app, slot))
    const idle = SLOTS.find(s => !serving.includes(s))
    if (idle) await this.client.apply(serviceFor(this.options, `${this.options.app}-preview`, idle))
    // Only after the selector moved: a slot carrying less traffic now can shrink.
    for (const s of serving) {
      const d = await this.client.readDeployment(deploymentName(this.options, s))
      if ((d?.spec?.replicas ?? 0) > replicas[s])
        await this.client.scale(deploymentName(this.options, s), replicas[s])
    }
    this.log(
      slot
        ? `Service ${this.options.app} selects ${slot}${idle ? `; ${this.options.app}-preview selects ${idle}` : ''}`
        : `Service ${this.options.app} selects both slots: ${serving.map(s => `${s} ${replicas[s]} replicas`).join(', ')}`
    )
  }

  /** Scales up every slot that must grow, then waits until each is rolled out at that size. */
  private async scaleUpFirst(replicas: Record<string, number>): Promise<void> {
    const grown: string[] = []
    for (const [slot, count] of Object.entries(replicas)) {
      const name = deploymentName(this.options, slot)
      const d = await this.client.readDeployment(name)
      if (!d)
        throw new Error(`kubernetes: Deployment ${name} does not exist; nothing to send traffic to`)
      if ((d.spec?.replicas ?? 0) < count) {
        await this.client.scale(name, count)
        grown.push(name)
      }
    }
    const deadline = Date.now() + this.options.readyTimeoutMs
    for (const name of grown) {
      const outcome = await this.waitRolledOut(name, deadline)
      if (!outcome.ok) throw new Error(`kubernetes: ${outcome.message}; traffic not moved`)
    }
  }

  private async setRouteWeights(weights: Weights, serving: string[]): Promise<void> {
    for (const s of serving) {
      const outcome = await this.waitRolledOut(
        deploymentName(this.options, s),
        Date.now() + this.options.readyTimeoutMs
      )
      if (!outcome.ok) throw new Error(`kubernetes: ${outcome.message}; traffic not moved`)
    }
    for (const s of SLOTS)
      await this.client.apply(serviceFor(this.options, deploymentName(this.options, s), s))
    const name = this.options.gatewayRoute!
    const route = await this.client.readRoute(name)
    if (!route) throw new Error(`kubernetes: HTTPRoute ${name} does not exist`)
    const updated = withBackendWeights(route, this.options, weights)
    await checkRoute(
      updated,
      SLOTS.map(s => deploymentName(this.options, s)),
      `with the weights ${SLOTS.map(s => Math.round(weights[s] ?? 0)).join('/')}`
    )
    await this.client.replaceRoute(updated)
    this.log(
      `HTTPRoute ${name}: ${SLOTS.map(s => `${deploymentName(this.options, s)} ${Math.round(weights[s] ?? 0)}`).join(', ')}`
    )
  }

  /**
   * Refuses a route the router could not send (a UserError naming the route and the fields):
   * the route as read, with the slots' backends set as the first weights will set them.
   */
  async checkRoute(route: HttpRoute): Promise<void> {
    const slots = SLOTS.map(s => deploymentName(this.options, s))
    let updated: HttpRoute
    try {
      updated = withBackendWeights(route, this.options, { blue: 50, green: 50 })
    } catch (error) {
      throw new UserError(
        (error as Error).message,
        `add a rule whose backendRefs name the Services ${slots.join(' and ')} to the HTTPRoute`
      )
    }
    await checkRoute(updated, slots, 'with the slots as backends')
  }

  async close(): Promise<void> {}
}

/**
 * The route with our two Services' weights set in every rule that references either; the rule's
 * other backends are kept, and every backend keeps its place (a slot the rule lacks is added at
 * its end), so a problem found in the result names the field where the route has it. Weights
 * are integers; a rule referencing neither is untouched.
 */
export function withBackendWeights(
  route: HttpRoute,
  options: KubernetesProviderOptions,
  weights: Weights
): HttpRoute {
  const names = SLOTS.map(s => deploymentName(options, s))
  const copy = structuredClone(route)
  const port = (serviceFor(options, 'x', undefined).spec as { ports: { port: number }[] }).ports[0]
    ?.port
  const weightOf = (name: string) => Math.round(weights[SLOTS[names.indexOf(name)]] ?? 0)
  let touched = false
  for (const rule of copy.spec?.rules ?? []) {
    const refs = rule.backendRefs ?? []
    if (!refs.some(r => names.includes(r.name))) continue
    touched = true
    const seen = new Set<string>()
    const kept = refs.flatMap(ref => {
      if (!names.includes(ref.name)) return [ref]
      // A slot listed twice would take its weight twice.
      if (seen.has(ref.name)) return []
      seen.add(ref.name)
      return [{ ...ref, port: ref.port ?? port, weight: weightOf(ref.name) }]
    })
    const missing = names
      .filter(name => !seen.has(name))
      .map(name => ({ name, port, weight: weightOf(name) }))
    rule.backendRefs = [...kept, ...missing]
  }
  if (!touched)
    throw new Error(
      `kubernetes: HTTPRoute ${route.metadata?.name} has no rule with a backendRef to ${names.join(' or ')}`
    )
  return copy
}
