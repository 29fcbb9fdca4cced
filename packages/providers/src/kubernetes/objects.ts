import type { KubeObject } from './manifests.js'
import { ANNOTATION, LABEL, labelValue } from './names.js'
import type { KubernetesProviderOptions } from './options.js'

type Labels = Record<string, string>

interface PodSpecLike {
  containers?: {
    name: string
    image?: string
    ports?: { containerPort: number; name?: string; protocol?: string }[]
  }[]
  initContainers?: { name: string; image?: string }[]
}

interface DeploymentSpecLike {
  replicas?: number
  selector: { matchLabels?: Labels }
  strategy?: unknown
  template: { metadata?: { labels?: Labels; annotations?: Labels }; spec: PodSpecLike }
}

function list<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : []
}

function clone<T>(value: T): T {
  return structuredClone(value)
}

/** The user's Deployment (from the manifests) the provider derives every Deployment from. */
export function userDeployment(options: KubernetesProviderOptions): KubeObject {
  return options.objects[options.deploymentIndex].object
}

/** The labels the user's Deployment selects its pods by (its selector is immutable, so ours extend it). */
export function baseSelector(options: KubernetesProviderOptions): Labels {
  const spec = userDeployment(options).spec as unknown as DeploymentSpecLike
  return { ...(spec.selector.matchLabels ?? {}) }
}

/** The Deployment's name for a target: `<app>-<slot>` for slots, the user's own name when rolling. */
export function deploymentName(options: KubernetesProviderOptions, slot?: string): string {
  return slot ? `${options.app}-${slot}` : userDeployment(options).metadata.name
}

/** A stable hash of a pod template: recorded so a rollback can say exactly what ran. */
export function templateHash(template: unknown): string {
  // node:crypto costs milliseconds to load: taken when a template is hashed, not with the module.
  return process
    .getBuiltinModule('node:crypto')
    .createHash('sha256')
    .update(stableJson(template))
    .digest('hex')
    .slice(0, 16)
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map(k => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(value)
}

/**
 * The Deployment to apply for `version` on a slot (blue-green, canary) or in place (rolling):
 * the user's Deployment with our labels (version, slot), the image set on the named containers,
 * the replicas and, for rolling, maxSurge/maxUnavailable.
 */
export function deploymentFor(
  options: KubernetesProviderOptions,
  version: string,
  slot: string | undefined,
  replicas: number,
  image: string | undefined
): KubeObject {
  const d = clone(userDeployment(options))
  const spec = d.spec as unknown as DeploymentSpecLike
  const ours: Labels = {
    [LABEL.app]: options.app,
    [LABEL.managedBy]: 'slipway',
    [LABEL.version]: labelValue(version),
    ...(slot ? { [LABEL.slot]: slot } : {})
  }
  d.metadata = {
    name: deploymentName(options, slot),
    labels: { ...d.metadata.labels, ...ours },
    annotations: {
      ...d.metadata.annotations,
      [ANNOTATION.version]: version,
      ...(image ? { [ANNOTATION.image]: image } : {})
    }
  }
  if (slot) spec.selector = { matchLabels: { ...baseSelector(options), [LABEL.slot]: slot } }
  spec.replicas = replicas
  spec.template.metadata = {
    ...spec.template.metadata,
    labels: { ...spec.template.metadata?.labels, ...ours }
  }
  if (image)
    for (const container of spec.template.spec.containers ?? [])
      if (options.containers.length === 0 || options.containers.includes(container.name))
        container.image = image
  if (!slot && (options.maxSurge !== undefined || options.maxUnavailable !== undefined))
    spec.strategy = {
      type: 'RollingUpdate',
      rollingUpdate: {
        ...(options.maxSurge !== undefined ? { maxSurge: options.maxSurge } : {}),
        ...(options.maxUnavailable !== undefined ? { maxUnavailable: options.maxUnavailable } : {})
      }
    }
  d.metadata.annotations![ANNOTATION.templateHash] = templateHash(spec.template)
  return d
}

/** The user's Service named after the app (its ports are kept), if the manifests hold one. */
export function userService(options: KubernetesProviderOptions): KubeObject | undefined {
  return options.objects.find(
    m => m.object.kind === 'Service' && m.object.metadata.name === options.app
  )?.object
}

/** The ports our Services expose: the user's Service's, else each containerPort of the app's containers. */
function servicePorts(options: KubernetesProviderOptions): unknown[] {
  const user = userService(options)
  // Read at build time, before the schema check: what is not a list counts as no ports.
  if (user) return list(user.spec?.ports as unknown[] | undefined)
  const spec = userDeployment(options).spec as unknown as DeploymentSpecLike
  return list(spec.template.spec.containers).flatMap(c =>
    list(c.ports).map(p => ({
      ...(p.name ? { name: p.name } : {}),
      port: p.containerPort,
      targetPort: p.containerPort,
      protocol: p.protocol ?? 'TCP'
    }))
  )
}

/** Whether a Service can be built: the manifests hold the app's Service or a containerPort. */
export function hasServicePorts(options: KubernetesProviderOptions): boolean {
  return servicePorts(options).length > 0
}

/** A Service of ours selecting the app's pods, on one slot or (slot undefined) on both. */
export function serviceFor(
  options: KubernetesProviderOptions,
  name: string,
  slot: string | undefined
): KubeObject {
  const user = userService(options)
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      labels: { ...user?.metadata.labels, [LABEL.app]: options.app, [LABEL.managedBy]: 'slipway' },
      ...(user?.metadata.annotations ? { annotations: user.metadata.annotations } : {})
    },
    spec: {
      ...(user?.spec?.type ? { type: user.spec.type } : {}),
      selector: { ...baseSelector(options), ...(slot ? { [LABEL.slot]: slot } : {}) },
      ports: servicePorts(options)
    }
  }
}

/**
 * The user's other objects (ConfigMaps, Secrets …), applied as written before the Deployment.
 * With slots, the app's Service is ours (its selector moves), so it is not applied as written.
 */
export function companions(options: KubernetesProviderOptions): KubeObject[] {
  const slotted = options.strategy !== 'rolling'
  return options.objects
    .filter((_, index) => index !== options.deploymentIndex)
    .map(m => m.object)
    .filter(o => !(slotted && o.kind === 'Service' && o.metadata.name === options.app))
}
