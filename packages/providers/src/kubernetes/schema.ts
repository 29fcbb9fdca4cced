import { InputError } from '@slipway/kit'
import type { ManifestObject } from './manifests.js'

/**
 * The kinds a manifest may hold, each validated against Kubernetes' published schema (the
 * kubernetes-models package, models.ts). A fixed list, so the bundle carries only these
 * validators and a custom resource is refused up front instead of reaching the cluster
 * unchecked. The list is here, not read from the models, so refusing a kind needs no validator.
 */
export const SUPPORTED_KINDS = [
  'apps/v1/Deployment',
  'v1/Service',
  'v1/ConfigMap',
  'v1/Secret',
  'v1/ServiceAccount',
  'networking.k8s.io/v1/Ingress',
  'autoscaling/v2/HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget'
]

interface SchemaIssue {
  instancePath?: string
  message?: string
}

type Described = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } }

const keyOf = (object: Described) => `${String(object.apiVersion)}/${String(object.kind)}`

/** `kind: …` when the object's kind is not one the schemas cover; undefined when it is. */
export function kindViolation(object: Described): string | undefined {
  return SUPPORTED_KINDS.includes(keyOf(object))
    ? undefined
    : `kind: ${String(object.apiVersion)} ${String(object.kind)} is not one of ${SUPPORTED_KINDS.join(', ')}`
}

/** The first schema violation of `object`, as `spec.replicas: must be integer`; undefined when valid. */
export async function schemaViolation(object: Described): Promise<string | undefined> {
  const kind = kindViolation(object)
  if (kind) return kind
  const { MODELS } = await import('./models.js')
  try {
    new MODELS[keyOf(object)](object as never).validate()
    return undefined
  } catch (error) {
    const issues = (error as { errors?: SchemaIssue[] }).errors
    const first = issues?.[0]
    if (!first) return (error as Error).message
    const field = (first.instancePath ?? '').replace(/^\//, '').split('/').join('.') || '(object)'
    return `${field}: ${first.message ?? 'invalid'}`
  }
}

function refusal(input: string, file: string, object: Described, violation: string): InputError {
  return new InputError(
    input,
    `objects valid against the Kubernetes schema (${file}: ${String(object.kind)}/${String(object.metadata?.name ?? '?')})`,
    violation
  )
}

/** Throws an InputError naming the input, the file and the object when its kind is not covered. */
export function checkKind(input: string, file: string, object: Described): void {
  const violation = kindViolation(object)
  if (violation) throw refusal(input, file, object, violation)
}

/**
 * Validates every object against its schema, throwing an InputError naming the input, the file,
 * the object and the field. Async because the validators load on first use: the provider runs
 * it before its first request, so nothing reaches the cluster unchecked.
 */
export async function checkSchemas(input: string, objects: ManifestObject[]): Promise<void> {
  for (const { file, object } of objects) {
    const violation = await schemaViolation(object)
    if (violation) throw refusal(input, file, object, violation)
  }
}
