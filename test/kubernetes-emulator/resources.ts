import type { Kind } from './types.js'

/** One REST resource the emulator serves, as discovery describes it. */
export interface ResourceInfo {
  kind: Kind
  /** Plural path segment, e.g. `deployments`. */
  plural: string
  singular: string
  group: string
  version: string
  /** `apps/v1`, `v1`, `gateway.networking.k8s.io/v1`. */
  apiVersion: string
  shortNames?: string[]
  /** True when `metadata.generation` moves with spec changes (not for Pods, Services, Events). */
  generation: boolean
  subresources: string[]
}

export const RESOURCES: ResourceInfo[] = [
  {
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    group: 'apps',
    version: 'v1',
    apiVersion: 'apps/v1',
    shortNames: ['deploy'],
    generation: true,
    subresources: ['status', 'scale']
  },
  {
    kind: 'ReplicaSet',
    plural: 'replicasets',
    singular: 'replicaset',
    group: 'apps',
    version: 'v1',
    apiVersion: 'apps/v1',
    shortNames: ['rs'],
    generation: true,
    subresources: ['status', 'scale']
  },
  {
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    shortNames: ['po'],
    generation: false,
    subresources: ['status', 'log']
  },
  {
    kind: 'Service',
    plural: 'services',
    singular: 'service',
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    shortNames: ['svc'],
    generation: false,
    subresources: ['status']
  },
  {
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    shortNames: ['ev'],
    generation: false,
    subresources: []
  },
  {
    // Helm keeps its releases in Secrets (type helm.sh/release.v1), found by label selector.
    kind: 'Secret',
    plural: 'secrets',
    singular: 'secret',
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    generation: false,
    subresources: []
  },
  {
    kind: 'HTTPRoute',
    plural: 'httproutes',
    singular: 'httproute',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    apiVersion: 'gateway.networking.k8s.io/v1',
    generation: true,
    subresources: ['status']
  }
]

export function resourceByPlural(apiVersion: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find(r => r.apiVersion === apiVersion && r.plural === plural)
}

export function resourceByKind(kind: Kind): ResourceInfo {
  return RESOURCES.find(r => r.kind === kind)!
}
