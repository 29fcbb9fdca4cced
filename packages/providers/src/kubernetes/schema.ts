import { InputError } from '@slipway/kit'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { Secret } from 'kubernetes-models/v1/Secret'
import { Service } from 'kubernetes-models/v1/Service'
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount'

interface Validating {
  validate(): void
}
type ModelClass = new (data: never) => Validating

/**
 * The kinds a manifest may hold, each validated against Kubernetes' published schema (the
 * kubernetes-models package). A fixed list, so the bundle carries only these validators and a
 * custom resource is refused up front instead of reaching the cluster unchecked.
 */
const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': Deployment as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
  'v1/ConfigMap': ConfigMap as unknown as ModelClass,
  'v1/Secret': Secret as unknown as ModelClass,
  'v1/ServiceAccount': ServiceAccount as unknown as ModelClass,
  'networking.k8s.io/v1/Ingress': Ingress as unknown as ModelClass,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as unknown as ModelClass,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as ModelClass
}

export const SUPPORTED_KINDS = Object.keys(MODELS)

interface SchemaIssue {
  instancePath?: string
  message?: string
}

/** The first schema violation of `object`, as `spec.replicas: must be integer`; undefined when valid. */
export function schemaViolation(object: {
  apiVersion?: unknown
  kind?: unknown
}): string | undefined {
  const Model = MODELS[`${String(object.apiVersion)}/${String(object.kind)}`]
  if (!Model)
    return `kind: ${String(object.apiVersion)} ${String(object.kind)} is not one of ${SUPPORTED_KINDS.join(', ')}`
  try {
    new Model(object as never).validate()
    return undefined
  } catch (error) {
    const issues = (error as { errors?: SchemaIssue[] }).errors
    const first = issues?.[0]
    if (!first) return (error as Error).message
    const field = (first.instancePath ?? '').replace(/^\//, '').split('/').join('.') || '(object)'
    return `${field}: ${first.message ?? 'invalid'}`
  }
}

/** Throws an InputError naming the input, the file, the object and the field. */
export function checkSchema(
  input: string,
  file: string,
  object: { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } }
): void {
  const violation = schemaViolation(object)
  if (violation)
    throw new InputError(
      input,
      `objects valid against the Kubernetes schema (${file}: ${String(object.kind)}/${String(object.metadata?.name ?? '?')})`,
      violation
    )
}
