import type { Redactor } from '@slipway/kit'
import type { Connection } from './kubeconfig.js'
import type { ManifestObject } from './manifests.js'

export type KubernetesStrategy = 'blue-green' | 'canary' | 'rolling'

/**
 * The kubernetes inputs as the action read them. `buildKubernetesProvider` (build.ts) turns
 * them into a Provider or throws an InputError naming the input, before any request is sent.
 */
/** Which cluster, as whom, and where: the same inputs for manifests and Helm charts. */
export interface ClusterAccess {
  /** The kubeconfig's content (masked); else the file KUBECONFIG names. */
  kubeconfig?: string
  /** KUBECONFIG from the runner's environment (a path, or paths joined by `:`; the first is read). */
  kubeconfigPath?: string
  context?: string
  namespace?: string
}

export interface KubernetesInputs extends ClusterAccess {
  strategy: KubernetesStrategy
  environment: string
  /** `app`; unset: the repository's name lower-cased. Names the Deployments and Services. */
  app?: string
  repository?: string
  /** Manifest files or directories (`*.yaml`, `*.yml`, `*.json`), multi-document YAML. */
  manifests: string[]
  /** Containers whose image is set to `image`; empty: every container of the app's Deployment. */
  containers: string[]
  /** The version's image (`registry/app:tag` or `app@sha256:…`). */
  image?: string
  replicas?: number
  /** `max-surge` / `max-unavailable`: a count or a percentage, as Kubernetes takes them. */
  maxSurge?: string
  maxUnavailable?: string
  /** A Gateway API HTTPRoute whose backendRefs weights split traffic (canary, blue-green). */
  gatewayRoute?: string
}

export interface KubernetesProviderOptions {
  app: string
  environment: string
  strategy: KubernetesStrategy
  namespace: string
  context: string
  /** The checked kubeconfig; the client library loads it on the first request. */
  connection: Connection
  /** The validated manifests; the app's Deployment among them. */
  objects: ManifestObject[]
  /** Index of the app's Deployment in `objects`. */
  deploymentIndex: number
  containers: string[]
  image?: string
  replicas: number
  maxSurge?: string | number
  maxUnavailable?: string | number
  gatewayRoute?: string
  redactor?: Redactor
  log?: (line: string) => void
  /** One API request never takes longer than this. */
  requestTimeoutMs: number
  /** How long a scale-up before a traffic switch may take. */
  readyTimeoutMs: number
}
