import { InputError, type Redactor } from '@slipway/kit'
import { openCluster } from './kubeconfig.js'
import { appDeployment, readManifests, type ManifestObject } from './manifests.js'
import { checkDnsLabel, checkDnsSubdomain } from './names.js'
import { hasServicePorts, userDeployment } from './objects.js'
import type { KubernetesInputs, KubernetesProviderOptions } from './options.js'
import { KubernetesProvider } from './provider.js'
import { parseImageReference } from '../docker/image-reference.js'

export interface KubernetesProviderDeps {
  redactor?: Redactor
  log?: (line: string) => void
  /** Per API request (default 30 s). */
  requestTimeoutMs?: number
  /** How long a slot may take to scale up before traffic moves to it (default: 5 min). */
  readyTimeoutMs?: number
  /** The run is a dry run: an unreachable cluster reads as nothing live (see provider.dryRun). */
  dryRun?: boolean
}

/** `max-surge` / `max-unavailable`: a count or a percentage, as the Deployment takes them. */
function intOrPercent(input: string, value: string | undefined): string | number | undefined {
  if (value === undefined || value === '') return undefined
  if (/^\d{1,6}$/.test(value)) return Number(value)
  if (/^(100|\d{1,2})%$/.test(value)) return value
  throw new InputError(input, 'a number of pods (2) or a percentage (25%)', value)
}

/**
 * The names of the app Deployment's containers. The schema check runs later (before the first
 * request: its validators load on demand), so what building reads is checked here, as the
 * schema would name it.
 */
function containerNames({ file, object }: ManifestObject): string[] {
  const spec = object.spec as { template?: { spec?: { containers?: unknown } } } | undefined
  const containers = spec?.template?.spec?.containers
  if (
    !Array.isArray(containers) ||
    containers.length === 0 ||
    containers.some(c => typeof (c as { name?: unknown } | null)?.name !== 'string')
  )
    throw new InputError(
      'manifests',
      `objects valid against the Kubernetes schema (${file}: Deployment/${object.metadata.name})`,
      'spec.template.spec.containers: must be a list of containers, each with a name'
    )
  return containers.map(c => (c as { name: string }).name)
}

/**
 * Validates every kubernetes input and the manifests (kinds, names, namespace), reads the
 * kubeconfig and builds the provider, loading neither the client library nor the schema
 * validators: the provider checks the manifests' schemas before its first request. Every
 * refusal is an InputError naming the input, before any request reaches the cluster.
 */
export function buildKubernetesProvider(
  inputs: KubernetesInputs,
  deps: KubernetesProviderDeps = {}
): KubernetesProvider {
  const redactor = deps.redactor
  const { connection, namespace } = openCluster(inputs, redactor)
  const objects = readManifests(inputs.manifests, namespace)
  const requested = inputs.app?.toLowerCase()
  if (requested) checkDnsLabel('app', requested, 'the app (it names the Deployments and Services)')
  const deploymentIndex = appDeployment(objects, requested ?? '')
  const app = requested ?? objects[deploymentIndex].object.metadata.name
  // <app>-preview must still be a valid Service name.
  checkDnsLabel(
    'app',
    `${app}-preview`.length > 63 ? `${app}-preview` : app,
    'the app (at most 55 characters)'
  )
  if (inputs.image && !parseImageReference(inputs.image))
    throw new InputError(
      'image',
      'an image reference ([registry/]name[:tag][@sha256:…])',
      inputs.image
    )
  const deployment = objects[deploymentIndex].object
  const containers = containerNames(objects[deploymentIndex])
  for (const name of inputs.containers)
    if (!containers.includes(name))
      throw new InputError(
        'container',
        `containers of Deployment ${deployment.metadata.name} (${containers.join(', ')})`,
        name
      )
  if (inputs.containers.length === 0 && containers.length > 1 && inputs.image)
    throw new InputError('container', `which of ${containers.join(', ')} runs the image`, undefined)
  if (inputs.gatewayRoute) {
    checkDnsSubdomain('gateway-route', inputs.gatewayRoute, 'the HTTPRoute’s name')
    if (inputs.strategy === 'rolling')
      throw new InputError(
        'gateway-route',
        'nothing with strategy rolling (the Deployment moves traffic itself)',
        inputs.gatewayRoute
      )
  }
  if (inputs.strategy !== 'rolling' && (inputs.maxSurge || inputs.maxUnavailable))
    throw new InputError(
      inputs.maxSurge ? 'max-surge' : 'max-unavailable',
      `nothing with strategy ${inputs.strategy} (it sets the rolling update of the Deployment)`,
      inputs.maxSurge || inputs.maxUnavailable
    )
  // A replicas that is not a number is the schema check's to refuse, naming the manifest's field.
  const written = (deployment.spec as { replicas?: unknown } | undefined)?.replicas
  const replicas = inputs.replicas ?? (typeof written === 'number' ? written : 1)
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 1000)
    throw new InputError('replicas', 'a whole number of pods from 1 to 1000', replicas)
  const options: KubernetesProviderOptions = {
    app,
    environment: inputs.environment,
    strategy: inputs.strategy,
    namespace,
    context: connection.context,
    connection,
    objects,
    deploymentIndex,
    containers: inputs.containers,
    image: inputs.image,
    replicas,
    maxSurge: intOrPercent('max-surge', inputs.maxSurge),
    maxUnavailable: intOrPercent('max-unavailable', inputs.maxUnavailable),
    gatewayRoute: inputs.gatewayRoute,
    redactor,
    log: deps.log,
    requestTimeoutMs: deps.requestTimeoutMs ?? 30_000,
    readyTimeoutMs: deps.readyTimeoutMs ?? 300_000
  }
  if (inputs.strategy !== 'rolling' && !hasServicePorts(options))
    throw new InputError(
      'manifests',
      `a Service named ${app}, or a containerPort on Deployment ${userDeployment(options).metadata.name} (the slots' Services expose it)`,
      'neither'
    )
  return new KubernetesProvider(options, { dryRun: deps.dryRun })
}
