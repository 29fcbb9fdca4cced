import {
  buildKubernetesProvider as buildManifestsProvider,
  type KubernetesProviderDeps
} from './build.js'
import { InputError } from '@slipway/kit'
import { buildHelmProvider } from './helm/build.js'
import type { HelmInputs } from './helm/options.js'
import type { HelmProvider } from './helm/provider.js'
import type { KubernetesInputs } from './options.js'
import type { KubernetesProvider } from './provider.js'

export { KubernetesProvider } from './provider.js'
export type { KubernetesProviderDeps } from './build.js'
export { KubernetesRouter, withBackendWeights } from './router.js'
export { rolloutOutcome, failingPod } from './rollout.js'
export { schemaViolation, SUPPORTED_KINDS } from './schema.js'
export { readManifests, type ManifestObject, type KubeObject } from './manifests.js'
export { loadConnection } from './kubeconfig.js'
export {
  LABEL as KUBERNETES_LABEL,
  ANNOTATION as KUBERNETES_ANNOTATION,
  FIELD_MANAGER
} from './names.js'
export type { KubernetesInputs, KubernetesProviderOptions, KubernetesStrategy } from './options.js'
export { buildHelmProvider, HelmProvider, type HelmInputs, type HelmContext } from './helm/index.js'

/** Helm mode: the chart, and what Helm needs of the deploy (its version, dry run, PATH). */
export interface HelmMode {
  helm: HelmInputs
  version: string
  dryRun: boolean
  /** The PATH `helm` is found on (the runner's). */
  path?: string
}

/**
 * The kubernetes provider: the user's manifests applied through the API, or with `helm-chart`
 * a Helm release (`helm upgrade --install`, rolling only). Every refusal is an InputError naming
 * the input, before any request reaches the cluster.
 */
export function buildKubernetesProvider(
  inputs: KubernetesInputs,
  deps?: KubernetesProviderDeps
): KubernetesProvider
export function buildKubernetesProvider(
  inputs: KubernetesInputs & HelmMode,
  deps?: KubernetesProviderDeps
): HelmProvider
export function buildKubernetesProvider(
  inputs: KubernetesInputs & Partial<HelmMode>,
  deps: KubernetesProviderDeps = {}
): KubernetesProvider | HelmProvider {
  if (!inputs.helm) return buildManifestsProvider(inputs, deps)
  // The chart holds the objects and their rollout: the manifests' inputs have no meaning here.
  for (const [name, value] of [
    ['manifests', inputs.manifests.join(', ')],
    ['container', inputs.containers.join(', ')],
    ['replicas', inputs.replicas],
    ['max-surge', inputs.maxSurge],
    ['max-unavailable', inputs.maxUnavailable],
    ['gateway-route', inputs.gatewayRoute]
  ] as const)
    if (value !== undefined && value !== '')
      throw new InputError(
        name,
        'nothing with helm-chart (the chart holds the objects and their rollout; set it through helm-values)',
        value
      )
  return buildHelmProvider(
    inputs.helm,
    {
      strategy: inputs.strategy,
      environment: inputs.environment,
      version: inputs.version ?? '',
      app: inputs.app,
      repository: inputs.repository,
      kubeconfig: inputs.kubeconfig,
      kubeconfigPath: inputs.kubeconfigPath,
      context: inputs.context,
      namespace: inputs.namespace,
      image: inputs.image,
      dryRun: inputs.dryRun ?? false,
      path: inputs.path
    },
    deps
  )
}
