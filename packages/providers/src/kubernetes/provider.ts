import type { V1Deployment } from '@kubernetes/client-node'
import { InputError, UserError } from '@slipway/kit'
import type { ProbeOutcome } from '@slipway/probes'
import type { HookContext, LiveState, Provider, Target } from '../types.js'
import { KubeClient } from './client.js'
import { explainFailure } from './diagnose.js'
import { kubeConfigOf } from './kubeconfig.js'
import type { KubeObject } from './manifests.js'
import { ANNOTATION, LABEL, labelValue } from './names.js'
import {
  baseSelector,
  companions,
  deploymentFor,
  deploymentName,
  serviceFor,
  templateHash
} from './objects.js'
import type { KubernetesProviderOptions } from './options.js'
import { KubernetesRouter } from './router.js'
import { rolloutOutcome } from './rollout.js'
import { checkSchemas } from './schema.js'
import { GATEWAY_API_VERSION } from './httproute-schema.js'

const POLL_MS = 250

/**
 * Deploys the user's manifests to a Kubernetes cluster through its API, with nothing installed
 * in the cluster. blue-green and canary run `<app>-blue` and `<app>-green` Deployments (the
 * targets are the slots) and move traffic with the KubernetesRouter; rolling updates the user's
 * Deployment in place (one target) and lets its RollingUpdate strategy move the pods. A slot
 * that is retired is scaled to 0, never deleted, so its ReplicaSet and template stay for a
 * rollback. The template a rolling update replaces is kept, so a failed rollout re-applies it.
 * Every async method first awaits client.ready(): the manifests' schema check (and the client
 * library's load) precede anything that reads their structure or reaches the cluster.
 */
export class KubernetesProvider implements Provider {
  readonly name = 'kubernetes'
  readonly targets: Target[]
  readonly router: KubernetesRouter
  readonly client: KubeClient
  /** The Deployment as it was before this run changed it, per Deployment name (rolling restore). */
  private readonly before = new Map<string, V1Deployment | undefined>()
  private readonly preparedNotes = new Map<string, string>()

  /** Why the cluster could not be reached in a dry run (current() answered {} instead). */
  private unreachable?: string

  /**
   * `dryRun`: the run changes nothing, so a cluster that cannot be reached is no failure: what
   * is live reads as nothing and dryRun() says the server's check was not done.
   */
  constructor(
    private readonly options: KubernetesProviderOptions,
    private readonly mode: { dryRun?: boolean } = {}
  ) {
    // Before the first request: the manifests against their schemas (an InputError naming the
    // file, object and field), then the client library. Both load here, not at build time.
    this.client = new KubeClient(
      async () => {
        await checkSchemas('manifests', options.objects)
        return kubeConfigOf(options.connection)
      },
      options.namespace,
      options.requestTimeoutMs,
      options.redactor
    )
    this.router = new KubernetesRouter(options, this.client, (name, deadline) =>
      this.waitRolledOut(name, deadline)
    )
    this.targets = this.rolling
      ? [{ name: deploymentName(options) }]
      : ['blue', 'green'].map(name => ({ name }))
  }

  private get rolling(): boolean {
    return this.options.strategy === 'rolling'
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor ? this.options.redactor.redact(line) : line)
  }

  private nameOf(target: Target): string {
    return this.rolling ? target.name : deploymentName(this.options, target.name)
  }

  private podSelector(target: Target, version?: string): string {
    const labels = {
      ...baseSelector(this.options),
      ...(this.rolling ? {} : { [LABEL.slot]: target.name }),
      ...(version ? { [LABEL.version]: labelValue(version) } : {})
    }
    return Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')
  }

  /**
   * Read-only: the namespace answers (a list the user's RBAC must allow), and the route named
   * exists and is one the router can send: the route with the slots' weights set is checked
   * against the Gateway API schema here, before anything changes.
   */
  async check(): Promise<void> {
    await this.client.ready()
    await this.client.pods(this.podSelector(this.targets[0]))
    const name = this.options.gatewayRoute
    if (!name) return
    const route = await this.client.readRoute(name)
    if (!route)
      throw new UserError(
        `HTTPRoute ${name} does not exist in namespace ${this.options.namespace}`,
        'create the HTTPRoute (its parentRefs name your Gateway) with backendRefs to both slot Services, or unset gateway-route'
      )
    await this.router.checkRoute(route)
  }

  async current(): Promise<LiveState> {
    await this.client.ready()
    if (!this.mode.dryRun) return this.readLive()
    try {
      return await this.readLive()
    } catch (error) {
      if (!isUnreachable(error)) throw error
      this.unreachable = (error as Error).message
      return {}
    }
  }

  private async readLive(): Promise<LiveState> {
    const live: LiveState = {}
    const weights = await this.router.weights()
    for (const target of this.targets) {
      const d = await this.client.readDeployment(this.nameOf(target))
      // A slot scaled to 0 keeps its version's template but runs nothing: not live.
      const version =
        (d?.spec?.replicas ?? 0) > 0 ? d?.metadata?.annotations?.[ANNOTATION.version] : undefined
      const weight = this.rolling ? (d ? 1 : undefined) : weights[target.name]
      if (version !== undefined || weight !== undefined) live[target.name] = { version, weight }
    }
    return live
  }

  /**
   * Before anything changes: the payload a rollback needs (namespace, context, Deployment and
   * Service names, image, the previous template's hash and revision).
   */
  async stage(context: HookContext): Promise<Record<string, string>> {
    await this.client.ready()
    const names = this.targets.map(t => this.nameOf(t))
    // Rolling replaces one Deployment's template: the one it had is what a rollback returns to.
    // blue-green and canary move traffic away from the live slot's Deployment: that one.
    const previousName = this.rolling ? names[0] : await this.liveSlotDeployment()
    const previous = previousName ? await this.client.readDeployment(previousName) : undefined
    const payload: Record<string, string> = {
      kubernetes_namespace: this.options.namespace,
      kubernetes_context: this.options.context,
      kubernetes_deployments: names.join(','),
      kubernetes_services: this.rolling
        ? ''
        : [this.options.app, `${this.options.app}-preview`].join(','),
      version: context.version
    }
    if (this.options.image) payload.image = this.options.image
    if (this.options.gatewayRoute) payload.kubernetes_route = this.options.gatewayRoute
    if (previous) {
      if (!this.rolling && previousName) payload.previous_deployment = previousName
      // The hash Slipway stamped when it applied the template (the API server's defaults change
      // what reads back), so the record names the same value the Deployment carries.
      payload.previous_template_hash =
        previous.metadata?.annotations?.[ANNOTATION.templateHash] ??
        templateHash(previous.spec?.template)
      const revision = previous.metadata?.annotations?.['deployment.kubernetes.io/revision']
      if (revision) payload.previous_revision = revision
    }
    return payload
  }

  /** The Deployment of the slot taking the most traffic now, undefined when none takes any. */
  private async liveSlotDeployment(): Promise<string | undefined> {
    const weights = await this.router.weights()
    const live = this.targets
      .filter(t => (weights[t.name] ?? 0) > 0)
      .sort((a, b) => (weights[b.name] ?? 0) - (weights[a.name] ?? 0))[0]
    return live ? this.nameOf(live) : undefined
  }

  /**
   * Applies the version: the user's other objects as written, then the Deployment (server-side
   * apply, field manager slipway). A rolling restore of the version the Deployment had before
   * this run re-applies that recorded template instead.
   */
  async prepare(target: Target, context: HookContext): Promise<void> {
    await this.client.ready()
    const name = this.nameOf(target)
    const live = await this.client.readDeployment(name)
    if (!this.before.has(name)) this.before.set(name, live)
    const earlier = this.before.get(name)
    const earlierVersion = earlier?.metadata?.annotations?.[ANNOTATION.version]
    const liveVersion = live?.metadata?.annotations?.[ANNOTATION.version]
    if (
      this.rolling &&
      earlier &&
      earlierVersion === context.version &&
      liveVersion !== earlierVersion
    ) {
      await this.client.apply(restorable(earlier))
      this.preparedNotes.set(
        target.name,
        `re-applied the recorded template of ${context.version} to Deployment ${name}`
      )
      this.log(`${name}: re-applied the template ${context.version} ran with`)
      return
    }
    const replicas =
      this.rolling || this.options.gatewayRoute || this.options.strategy === 'blue-green'
        ? this.options.replicas
        : 1
    const liveImage = live?.metadata?.annotations?.[ANNOTATION.image]
    if (
      !this.rolling &&
      live &&
      liveVersion === context.version &&
      (!this.options.image || this.options.image === liveImage)
    ) {
      // The slot kept this version (scaled to 0 or still warm): a rollback scales its recorded
      // template back up instead of applying the manifests, whose image may be another version's.
      if ((live.spec?.replicas ?? 0) < replicas) await this.client.scale(name, replicas)
      this.preparedNotes.set(
        target.name,
        `scaled the kept Deployment ${name} (${context.version}) to ${replicas} replicas`
      )
      this.log(`${name}: kept ${context.version} scaled to ${replicas}`)
      return
    }
    for (const object of companions(this.options)) await this.client.apply(object)
    const deployment = deploymentFor(
      this.options,
      context.version,
      this.rolling ? undefined : target.name,
      replicas,
      this.options.image
    )
    await this.client.apply(deployment)
    const image = this.options.image ? ` (image ${this.options.image})` : ''
    this.preparedNotes.set(target.name, `applied Deployment ${name}${image}, ${replicas} replicas`)
    this.log(`${name}: applied ${context.version}${image}`)
  }

  prepared(target: Target): string | undefined {
    return this.preparedNotes.get(target.name)
  }

  async health(target: Target, context?: HookContext): Promise<ProbeOutcome> {
    await this.client.ready()
    const name = this.nameOf(target)
    const deployment = await this.client.readDeployment(name)
    const pods = await this.client.pods(this.podSelector(target, context?.version))
    return rolloutOutcome(
      name,
      deployment,
      pods,
      context?.version,
      d => d.metadata?.annotations?.[ANNOTATION.version]
    )
  }

  /** Polls the rollout of a Deployment (no expected version) until it is complete, fails, or the deadline passes. */
  async waitRolledOut(name: string, deadline: number): Promise<ProbeOutcome> {
    await this.client.ready()
    for (;;) {
      const deployment = await this.client.readDeployment(name)
      const slot = deployment?.metadata?.labels?.[LABEL.slot]
      const pods = await this.client.pods(this.podSelector({ name: slot ?? name }))
      const outcome = rolloutOutcome(name, deployment, pods)
      if (outcome.ok || outcome.fatal || Date.now() >= deadline) return outcome
      await new Promise(resolve => setTimeout(resolve, POLL_MS))
    }
  }

  /** Scales the slot's Deployment to 0: kept (template, ReplicaSet) for a rollback, serving nothing. */
  async retire(target: Target, context: HookContext): Promise<void> {
    await this.client.ready()
    if (this.rolling) return
    const name = this.nameOf(target)
    const d = await this.client.readDeployment(name)
    if (!d) return
    const version = d.metadata?.annotations?.[ANNOTATION.version]
    if (context.version && version !== context.version) return
    if ((d.spec?.replicas ?? 0) > 0) await this.client.scale(name, 0)
    this.log(`${name}: scaled to 0 (kept for a rollback)`)
  }

  /** The failing pods' state, events and last log lines, redacted. */
  async diagnose(target: Target, context: HookContext): Promise<string | undefined> {
    await this.client.ready()
    const text = await explainFailure(
      this.client,
      this.nameOf(target),
      this.podSelector(target, context.version || undefined)
    )
    if (!text) return undefined
    return this.options.redactor ? this.options.redactor.redact(text) : text
  }

  describe(context: HookContext & { targets: string[] }): string[] {
    const ns = this.options.namespace
    const lines = companions(this.options).map(
      o =>
        `${this.options.context}/${ns}: apply ${o.kind}/${o.metadata.name} (server-side, field manager slipway)`
    )
    for (const t of context.targets) {
      const slot = this.rolling ? undefined : t
      const replicas =
        this.rolling || this.options.gatewayRoute || this.options.strategy === 'blue-green'
          ? this.options.replicas
          : 1
      const d = deploymentFor(this.options, context.version, slot, replicas, this.options.image)
      const images = (
        d.spec as { template: { spec: { containers: { name: string; image?: string }[] } } }
      ).template.spec.containers
        .map(c => `${c.name}=${c.image}`)
        .join(', ')
      lines.push(
        `${this.options.context}/${ns}: apply Deployment/${d.metadata.name} (${replicas} replicas; ${images}); gate: rollout complete (observedGeneration, updated = ready = available, NewReplicaSetAvailable)`
      )
    }
    if (!this.rolling)
      lines.push(
        this.options.gatewayRoute
          ? `${this.options.context}/${ns}: traffic by HTTPRoute ${this.options.gatewayRoute} backendRefs weights (Services ${this.options.app}-blue, ${this.options.app}-green)`
          : `${this.options.context}/${ns}: traffic by Service ${this.options.app}'s selector (preview: ${this.options.app}-preview); a retired slot is scaled to 0, not deleted`
      )
    return lines
  }

  /**
   * The server's side of a dry run: every object the run would apply (the user's objects, the
   * Deployments of `targets`, the Services traffic moves with) sent as a server-side apply with
   * dryRun=All and field manager slipway, one line each saying what the server would do:
   * created, configured or unchanged. The HTTPRoute is checked against the Gateway API schema
   * with the weights the plan ends on. A refusal (422 invalid, 409 conflict, 401/403) fails
   * closed, naming the object and the server's reason with its field. An unreachable cluster
   * is no failure: one line says the server's check was not done, and why.
   */
  async dryRun(context: HookContext & { targets: string[] }): Promise<string[]> {
    await this.client.ready()
    const where = `${this.options.context}/${this.options.namespace}`
    if (this.unreachable)
      return [`${where}: server-side dry run not done (cluster not reachable: ${this.unreachable})`]
    const lines: string[] = []
    for (const object of this.appliedBy(context)) {
      const what = `${object.kind}/${object.metadata.name}`
      let answer: KubeObject
      try {
        answer = (await this.client.apply(object, true)) as KubeObject
      } catch (error) {
        if (isUnreachable(error)) {
          lines.push(
            `${where}: server-side dry run not done for ${what} and the rest (cluster not reachable: ${(error as Error).message})`
          )
          return lines
        }
        throw new UserError(
          `kubernetes: the server-side dry run refused ${what}: ${(error as Error).message}`,
          'a real deploy would be refused the same way: fix the manifest field named (or the object in the cluster that conflicts), then run the dry run again; nothing was changed'
        )
      }
      lines.push(`${where}: ${what} ${await this.outcomeOf(object, answer)} (server dry run)`)
    }
    if (this.options.gatewayRoute && !this.rolling) {
      const route = await this.client.readRoute(this.options.gatewayRoute)
      if (!route)
        throw new UserError(
          `HTTPRoute ${this.options.gatewayRoute} does not exist in namespace ${this.options.namespace}`,
          'create the HTTPRoute (its parentRefs name your Gateway) with backendRefs to both slot Services, or unset gateway-route'
        )
      await this.router.checkRoute(route)
      lines.push(
        `${where}: HTTPRoute/${this.options.gatewayRoute} valid with the slots' weights (Gateway API ${GATEWAY_API_VERSION} schema; replaced at each traffic step)`
      )
    }
    return lines
  }

  /** Everything a run for `context` applies: the user's objects, the Deployments, our Services. */
  private appliedBy(context: HookContext & { targets: string[] }): KubeObject[] {
    const objects = [...companions(this.options)]
    for (const target of context.targets) {
      const slot = this.rolling ? undefined : target
      const replicas =
        this.rolling || this.options.gatewayRoute || this.options.strategy === 'blue-green'
          ? this.options.replicas
          : 1
      objects.push(deploymentFor(this.options, context.version, slot, replicas, this.options.image))
    }
    if (this.rolling) return objects
    const app = this.options.app
    if (this.options.gatewayRoute)
      for (const slot of ['blue', 'green'])
        objects.push(serviceFor(this.options, deploymentName(this.options, slot), slot))
    else {
      // The Service as the plan leaves it: on the slot prepared, the preview on the other.
      const slot = context.targets[0]
      const other = this.targets.map(t => t.name).find(name => name !== slot)
      if (slot) objects.push(serviceFor(this.options, app, slot))
      if (other) objects.push(serviceFor(this.options, `${app}-preview`, other))
    }
    return objects
  }

  /**
   * created, configured or unchanged: the server's answer against the object as it is now
   * (read for the kinds the provider reads; the others by whether the server had them).
   */
  private async outcomeOf(sent: KubeObject, answer: KubeObject): Promise<string> {
    const existed = Boolean((answer.metadata as { resourceVersion?: string }).resourceVersion)
    if (!existed) return 'created'
    const name = sent.metadata.name
    const live =
      sent.kind === 'Deployment'
        ? await this.client.readDeployment(name)
        : sent.kind === 'Service'
          ? await this.client.readService(name)
          : undefined
    if (!live)
      return sent.kind === 'Deployment' || sent.kind === 'Service'
        ? 'created'
        : 'configured (exists; not compared)'
    return sameObject(live as unknown as KubeObject, answer) ? 'unchanged' : 'configured'
  }

  /** The objects prepare would apply for `version` on `slot`: the dry run shows them. */
  objectsFor(version: string, slot?: string): KubeObject[] {
    const replicas = this.options.replicas
    return [
      ...companions(this.options),
      deploymentFor(
        this.options,
        version,
        this.rolling ? undefined : slot,
        replicas,
        this.options.image
      )
    ]
  }

  async close(): Promise<void> {}
}

/**
 * A failure that is not the cluster's answer: a connection refused or reset, a name that does
 * not resolve, no answer in time. The client's refusals carry the HTTP status.
 */
function isUnreachable(error: unknown): boolean {
  return (
    error instanceof UserError &&
    !(error instanceof InputError) &&
    (error as { status?: number }).status === undefined
  )
}

/** What an apply changes: labels, annotations and everything but status and server bookkeeping. */
function comparable(object: KubeObject): unknown {
  const { metadata, status: _status, ...rest } = object as KubeObject & { status?: unknown }
  const { labels, annotations } = metadata as { labels?: unknown; annotations?: unknown }
  return { labels: labels ?? {}, annotations: annotations ?? {}, ...rest }
}

function sameObject(live: KubeObject, answer: KubeObject): boolean {
  return stableJson(comparable(live)) === stableJson(comparable(answer))
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter(k => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map(k => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(value)
}

/** A Deployment as read, made fit to apply again: the fields the server owns are dropped. */
function restorable(d: V1Deployment): KubeObject {
  const { name, labels, annotations } = d.metadata ?? {}
  const kept = { ...annotations }
  delete kept['deployment.kubernetes.io/revision']
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: name!, labels, annotations: kept },
    spec: JSON.parse(JSON.stringify(d.spec)) as Record<string, unknown>
  }
}
