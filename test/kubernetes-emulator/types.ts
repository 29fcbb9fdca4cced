/** A Kubernetes object as stored and served: plain JSON. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec?: any // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: any // eslint-disable-line @typescript-eslint/no-explicit-any
  [key: string]: unknown
}

export interface ObjectMeta {
  name: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: OwnerReference[]
  managedFields?: ManagedFieldsEntry[]
  generateName?: string
  [key: string]: unknown
}

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

export interface ManagedFieldsEntry {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time: string
  fieldsType: 'FieldsV1'
  fieldsV1: Record<string, unknown>
  subresource?: string
}

export type Kind =
  'Deployment' | 'ReplicaSet' | 'Pod' | 'Service' | 'HTTPRoute' | 'Event' | 'Secret'

/**
 * `succeed` and `fail` are for run-to-completion pods (restartPolicy Never, such as a chart's
 * test hook): the container exits 0 or 1 and the pod ends Succeeded or Failed.
 */
export type PodBehaviour =
  | 'ready'
  | 'never-ready'
  | 'crash-loop'
  | { readyAfterChecks: number }
  | 'fail-after-ready'
  | 'succeed'
  | 'fail'
