import { Ajv } from 'ajv'
import { validate as deploymentSchema } from 'kubernetes-models/_schemas/IoK8sApiAppsV1Deployment'
import { validate as replicaSetSchema } from 'kubernetes-models/_schemas/IoK8sApiAppsV1ReplicaSet'
import { validate as scaleSchema } from 'kubernetes-models/_schemas/IoK8sApiAutoscalingV1Scale'
import { validate as eventSchema } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Event'
import { validate as podSchema } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Pod'
import { validate as secretSchema } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Secret'
import { validate as serviceSchema } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Service'
import { validate as statusSchema } from '@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApisMetaV1Status'
import { validate as resourceListSchema } from '@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApisMetaV1APIResourceList'
import { httpRouteSchema } from './httproute-schema.js'
import type { KubeObject } from './types.js'

/** The Kubernetes minor version whose published OpenAPI schemas `kubernetes-models` 5.1 carries. */
export const KUBERNETES_SCHEMA_VERSION = '1.34'

/** One field error, in the API server's `StatusCause` shape. */
export interface Cause {
  reason:
    'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueTypeInvalid'
  message: string
  /** `spec.template.spec.containers[0].image`, as the API server names fields. */
  field: string
}

interface SchemaError {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
}
type SchemaValidate = ((data: unknown) => boolean) & { errors?: SchemaError[] | null }

const routeValidate = new Ajv({ allErrors: true, strict: false }).compile(httpRouteSchema)

const SCHEMAS: Record<string, SchemaValidate> = {
  'apps/v1/Deployment': deploymentSchema as SchemaValidate,
  'apps/v1/ReplicaSet': replicaSetSchema as SchemaValidate,
  'autoscaling/v1/Scale': scaleSchema as SchemaValidate,
  'v1/Event': eventSchema as SchemaValidate,
  'v1/Pod': podSchema as SchemaValidate,
  'v1/Secret': secretSchema as SchemaValidate,
  'v1/Service': serviceSchema as SchemaValidate,
  'v1/Status': statusSchema as SchemaValidate,
  'v1/APIResourceList': resourceListSchema as SchemaValidate,
  'gateway.networking.k8s.io/v1/HTTPRoute': routeValidate as unknown as SchemaValidate
}

/** Schema validation only (types, enums, required fields): what every response must pass. */
export function schemaCauses(object: unknown): Cause[] {
  const o = object as { apiVersion?: string; kind?: string }
  const validate = SCHEMAS[`${o?.apiVersion}/${o?.kind}`]
  if (!validate) {
    return [
      {
        reason: 'FieldValueNotSupported',
        field: 'kind',
        message: `no schema for ${o?.apiVersion} ${o?.kind}`
      }
    ]
  }
  if (validate(object)) return []
  return (validate.errors ?? []).map(e => ({
    reason:
      e.keyword === 'required'
        ? 'FieldValueRequired'
        : e.keyword === 'type'
          ? 'FieldValueTypeInvalid'
          : 'FieldValueInvalid',
    field: fieldPath(
      e.instancePath,
      e.keyword === 'required' ? String(e.params.missingProperty) : undefined
    ),
    message: schemaMessage(e)
  }))
}

/**
 * What the API server checks on a write: the schema, then the semantic rules of the kinds the
 * emulator serves (names, selectors, containers, ports, strategy), so a provider that sends
 * something a real cluster refuses sees a 422 here too.
 */
export function validateObject(object: KubeObject): Cause[] {
  const causes = schemaCauses(object)
  if (causes.length) return causes
  const meta = object.metadata
  const invalid = (field: string, message: string): void => {
    causes.push({ reason: 'FieldValueInvalid', field, message })
  }
  const required = (field: string): void => {
    causes.push({ reason: 'FieldValueRequired', field, message: 'Required value' })
  }
  if (!meta?.name) required('metadata.name')
  else if (
    !isDns1123Subdomain(meta.name) ||
    (object.kind === 'Service' && !isDns1035Label(meta.name))
  ) {
    invalid(
      'metadata.name',
      `Invalid value: ${JSON.stringify(meta.name)}: a lowercase RFC 1123 name must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`
    )
  }
  for (const [k, v] of Object.entries(meta?.labels ?? {})) {
    if (!isQualifiedName(k))
      invalid(
        `metadata.labels`,
        `Invalid value: ${JSON.stringify(k)}: name part must consist of alphanumeric characters, '-', '_' or '.'`
      )
    if (!/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v) || v.length > 63) {
      invalid(
        `metadata.labels`,
        `Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`
      )
    }
  }
  if (object.kind === 'Deployment' || object.kind === 'ReplicaSet')
    workloadCauses(object, invalid, required)
  if (object.kind === 'Pod') podSpecCauses(object.spec, 'spec', invalid, required)
  if (object.kind === 'Service') serviceCauses(object, invalid, required)
  if (object.kind === 'HTTPRoute') routeCauses(object, invalid)
  if (object.kind === 'Secret') secretCauses(object, invalid)
  return causes
}

type Report = (field: string, message: string) => void

function workloadCauses(object: KubeObject, invalid: Report, required: (f: string) => void): void {
  const spec = object.spec ?? {}
  if (spec.replicas !== undefined && spec.replicas < 0)
    invalid('spec.replicas', `Invalid value: ${spec.replicas}: must be greater than or equal to 0`)
  const selector = spec.selector?.matchLabels
  if (!spec.selector) required('spec.selector')
  else if (!selector || !Object.keys(selector).length)
    invalid('spec.selector', 'Invalid value: empty selector is invalid for deployment')
  const labels = spec.template?.metadata?.labels ?? {}
  if (selector && Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
    invalid(
      'spec.template.metadata.labels',
      `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``
    )
  }
  if (!spec.template) required('spec.template')
  else podSpecCauses(spec.template.spec, 'spec.template.spec', invalid, required)
  const rolling = spec.strategy?.rollingUpdate
  if (spec.strategy?.type === 'Recreate' && rolling)
    invalid(
      'spec.strategy.rollingUpdate',
      "Forbidden: may not be specified when strategy `type` is 'Recreate'"
    )
  if (rolling) {
    for (const f of ['maxSurge', 'maxUnavailable'] as const) {
      const v = rolling[f]
      if (typeof v === 'string' && !/^\d+%$/.test(v))
        invalid(
          `spec.strategy.rollingUpdate.${f}`,
          `Invalid value: ${JSON.stringify(v)}: a valid percent string must be a numeric string followed by an ending '%'`
        )
      if (typeof v === 'number' && v < 0)
        invalid(
          `spec.strategy.rollingUpdate.${f}`,
          `Invalid value: ${v}: must be greater than or equal to 0`
        )
    }
    if (isZero(rolling.maxSurge) && isZero(rolling.maxUnavailable)) {
      invalid(
        'spec.strategy.rollingUpdate.maxUnavailable',
        'Invalid value: 0: may not be 0 when `maxSurge` is 0'
      )
    }
  }
  if (
    spec.progressDeadlineSeconds !== undefined &&
    spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)
  ) {
    invalid(
      'spec.progressDeadlineSeconds',
      `Invalid value: ${spec.progressDeadlineSeconds}: must be greater than minReadySeconds`
    )
  }
}

function isZero(v: unknown): boolean {
  return v === 0 || v === '0%'
}

function podSpecCauses(
  spec: any, // eslint-disable-line @typescript-eslint/no-explicit-any
  at: string,
  invalid: Report,
  required: (f: string) => void
): void {
  if (!spec) return required(at)
  const containers = spec.containers ?? []
  if (!containers.length) required(`${at}.containers`)
  const names = new Set<string>()
  containers.forEach(
    (c: { name?: string; image?: string; ports?: { containerPort: number }[] }, i: number) => {
      const f = `${at}.containers[${i}]`
      if (!c.name) required(`${f}.name`)
      else if (!isDns1123Label(c.name))
        invalid(
          `${f}.name`,
          `Invalid value: ${JSON.stringify(c.name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`
        )
      else if (names.has(c.name)) causesDuplicate(invalid, `${f}.name`, c.name)
      if (c.name) names.add(c.name)
      if (!c.image || !c.image.trim()) required(`${f}.image`)
      ;(c.ports ?? []).forEach((p, j) => {
        if (p.containerPort < 1 || p.containerPort > 65535)
          invalid(
            `${f}.ports[${j}].containerPort`,
            `Invalid value: ${p.containerPort}: must be between 1 and 65535, inclusive`
          )
      })
    }
  )
}

function causesDuplicate(invalid: Report, field: string, value: string): void {
  invalid(field, `Duplicate value: ${JSON.stringify(value)}`)
}

function serviceCauses(object: KubeObject, invalid: Report, required: (f: string) => void): void {
  const spec = object.spec ?? {}
  const ports = spec.ports ?? []
  if (!ports.length && spec.type !== 'ExternalName' && spec.clusterIP !== 'None')
    required('spec.ports')
  ports.forEach((p: { port: number; name?: string; targetPort?: number | string }, i: number) => {
    if (p.port < 1 || p.port > 65535)
      invalid(
        `spec.ports[${i}].port`,
        `Invalid value: ${p.port}: must be between 1 and 65535, inclusive`
      )
    if (ports.length > 1 && !p.name) required(`spec.ports[${i}].name`)
  })
  for (const [k, v] of Object.entries((spec.selector ?? {}) as Record<string, string>)) {
    if (!isQualifiedName(k) || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v))
      invalid(
        'spec.selector',
        `Invalid value: ${JSON.stringify(`${k}=${v}`)}: invalid label selector`
      )
  }
}

function routeCauses(object: KubeObject, invalid: Report): void {
  ;(object.spec?.rules ?? []).forEach((rule: { backendRefs?: { name: string }[] }, i: number) => {
    ;(rule.backendRefs ?? []).forEach((ref, j) => {
      if (!isDns1123Subdomain(ref.name))
        invalid(
          `spec.rules[${i}].backendRefs[${j}].name`,
          `Invalid value: ${JSON.stringify(ref.name)}`
        )
    })
  })
}

export function isDns1123Subdomain(value: string): boolean {
  return (
    value.length <= 253 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)
  )
}

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)
}

function isDns1035Label(value: string): boolean {
  return value.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value)
}

function isQualifiedName(value: string): boolean {
  const [prefix, name] = value.includes('/') ? value.split('/', 2) : [undefined, value]
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return false
  return (
    name.length > 0 && name.length <= 63 && /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name)
  )
}

/** `/spec/template/spec/containers/0/image` → `spec.template.spec.containers[0].image`. */
function fieldPath(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1)
  if (child) parts.push(child)
  let out = ''
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part
  return out || '<root>'
}

function schemaMessage(e: SchemaError): string {
  if (e.keyword === 'type') return `Invalid value: must be of type ${String(e.params.type)}`
  if (e.keyword === 'required') return 'Required value'
  if (e.keyword === 'enum')
    return `Unsupported value: supported values: ${JSON.stringify(e.params.allowedValues)}`
  if (e.keyword === 'additionalProperties')
    return `field not declared in schema: ${String(e.params.additionalProperty)}`
  return `Invalid value: ${e.message ?? e.keyword}`
}

/** Secret data values are base64 (the API server refuses anything else); keys are config keys. */
function secretCauses(object: KubeObject, invalid: Report): void {
  for (const [key, value] of Object.entries((object.data as Record<string, unknown>) ?? {})) {
    if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253)
      invalid(
        `data[${key}]`,
        `Invalid value: ${JSON.stringify(key)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`
      )
    if (
      typeof value !== 'string' ||
      !/^[A-Za-z0-9+/]*={0,2}$/.test(value) ||
      value.length % 4 !== 0
    )
      invalid(`data[${key}]`, 'Invalid value: illegal base64 data')
  }
}
