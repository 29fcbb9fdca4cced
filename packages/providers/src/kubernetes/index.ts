export { KubernetesProvider } from './provider.js'
export { buildKubernetesProvider, type KubernetesProviderDeps } from './build.js'
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
