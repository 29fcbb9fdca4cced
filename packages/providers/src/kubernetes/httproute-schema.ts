import type { Ajv as AjvClass, ErrorObject } from 'ajv'
import { UserError } from '@slipway/kit'
import type { HttpRoute } from './client.js'

/**
 * The Gateway API version whose HTTPRoute (`gateway.networking.k8s.io/v1`, standard channel)
 * the schema below is written from. kubernetes-models has no Gateway API validators, so the
 * provider carries the fields of the CRD it reads and writes, with their limits and patterns,
 * and the rule the CRD states in CEL (a Service backend names its port). Fields of the
 * experimental channel are refused, as a standard-channel CRD refuses them.
 */
export const GATEWAY_API_VERSION = 'v1.2.1'

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'
const group = { type: 'string', maxLength: 253, pattern: `^$|${DNS_SUBDOMAIN}` }
const kind = {
  type: 'string',
  minLength: 1,
  maxLength: 63,
  pattern: '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$'
}
const objectName = { type: 'string', minLength: 1, maxLength: 253 }
const namespace = { type: 'string', minLength: 1, maxLength: 63, pattern: DNS_LABEL }
const port = { type: 'integer', minimum: 1, maximum: 65535 }
const sectionName = { type: 'string', minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN }
const headerName = {
  type: 'string',
  minLength: 1,
  maxLength: 256,
  pattern: "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$"
}

const headerModifier = {
  type: 'object',
  additionalProperties: false,
  properties: {
    set: { type: 'array', maxItems: 16, items: { type: 'object', required: ['name', 'value'] } },
    add: { type: 'array', maxItems: 16, items: { type: 'object', required: ['name', 'value'] } },
    remove: { type: 'array', maxItems: 16, items: { type: 'string' } }
  }
}

const filter = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: {
      enum: [
        'RequestHeaderModifier',
        'ResponseHeaderModifier',
        'RequestMirror',
        'RequestRedirect',
        'URLRewrite',
        'ExtensionRef'
      ]
    },
    requestHeaderModifier: headerModifier,
    responseHeaderModifier: headerModifier,
    requestMirror: { type: 'object' },
    requestRedirect: { type: 'object' },
    urlRewrite: { type: 'object' },
    extensionRef: { type: 'object', required: ['group', 'kind', 'name'] }
  }
}

const backendRef = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    group,
    kind,
    name: objectName,
    namespace,
    port,
    weight: { type: 'integer', minimum: 0, maximum: 1000000 },
    filters: { type: 'array', maxItems: 16, items: filter }
  }
}

const parentRef = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { group, kind, name: objectName, namespace, sectionName, port }
}

const stringMatch = (types: string[], maxValue: number) => ({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'value'],
  properties: {
    type: { enum: types },
    name: headerName,
    value: { type: 'string', minLength: 1, maxLength: maxValue }
  }
})

const match = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { enum: ['Exact', 'PathPrefix', 'RegularExpression'] },
        value: { type: 'string', maxLength: 1024 }
      }
    },
    headers: {
      type: 'array',
      maxItems: 16,
      items: stringMatch(['Exact', 'RegularExpression'], 4096)
    },
    queryParams: {
      type: 'array',
      maxItems: 16,
      items: stringMatch(['Exact', 'RegularExpression'], 1024)
    },
    method: {
      enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']
    }
  }
}

const duration = { type: 'string', pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$' }

export const HTTPROUTE_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'gateway.networking.k8s.io/v1' },
    kind: { const: 'HTTPRoute' },
    metadata: { type: 'object', required: ['name'] },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        parentRefs: { type: 'array', maxItems: 32, items: parentRef },
        hostnames: {
          type: 'array',
          maxItems: 16,
          items: {
            type: 'string',
            minLength: 1,
            maxLength: 253,
            pattern: `^(\\*\\.)?${DNS_SUBDOMAIN.slice(1)}`
          }
        },
        rules: {
          type: 'array',
          maxItems: 16,
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              matches: { type: 'array', maxItems: 64, items: match },
              filters: { type: 'array', maxItems: 16, items: filter },
              backendRefs: { type: 'array', maxItems: 16, items: backendRef },
              timeouts: {
                type: 'object',
                additionalProperties: false,
                properties: { request: duration, backendRequest: duration }
              }
            }
          }
        }
      }
    },
    status: { type: 'object' }
  }
}

type Ref = NonNullable<
  NonNullable<NonNullable<HttpRoute['spec']>['rules']>[number]['backendRefs']
>[number]

// Compiled on the first check: ajv loads only when a run has a route to check.
let validate: ReturnType<AjvClass['compile']> | undefined

/** `spec.rules[0].backendRefs[1].port` from ajv's `/spec/rules/0/backendRefs/1/port`. */
function fieldOf(path: string): string {
  return (
    path
      .split('/')
      .filter(Boolean)
      .map(part => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
      .join('')
      .replace(/^\./, '') || '(object)'
  )
}

function describeIssue(issue: ErrorObject): string {
  const at =
    issue.keyword === 'required'
      ? `${issue.instancePath}/${(issue.params as { missingProperty: string }).missingProperty}`
      : issue.keyword === 'additionalProperties'
        ? `${issue.instancePath}/${(issue.params as { additionalProperty: string }).additionalProperty}`
        : issue.instancePath
  const what =
    issue.keyword === 'required'
      ? 'is required'
      : issue.keyword === 'additionalProperties'
        ? `is not a field of HTTPRoute (Gateway API ${GATEWAY_API_VERSION}, standard channel)`
        : (issue.message ?? 'is invalid')
  return `${fieldOf(at)}: ${what}`
}

/**
 * What is wrong with `route` for the provider to send it, one `field: problem` each; empty when
 * it may be sent. The schema first; then what the CRD states in CEL (a core Service backend
 * names its port), and what the traffic split needs: the slots' backends are Services of the
 * core group, and in a rule that carries the slots no other backend takes a share, so the
 * weights the canary sets are the traffic each slot gets.
 */
export async function routeViolations(route: unknown, slotServices: string[]): Promise<string[]> {
  if (!validate) {
    const { Ajv } = await import('ajv')
    validate = new Ajv({ allErrors: true, strict: false }).compile(HTTPROUTE_SCHEMA)
  }
  if (!validate(route)) return (validate.errors ?? []).map(describeIssue)
  const problems: string[] = []
  const rules = (route as HttpRoute).spec?.rules ?? []
  rules.forEach((rule, r) => {
    const refs: Ref[] = rule.backendRefs ?? []
    const carriesSlots = refs.some(ref => slotServices.includes(ref.name))
    refs.forEach((ref, b) => {
      const field = `spec.rules[${r}].backendRefs[${b}]`
      const refGroup = (ref.group as string | undefined) ?? ''
      const refKind = (ref.kind as string | undefined) ?? 'Service'
      const isService = refGroup === '' && refKind === 'Service'
      if (isService && ref.port === undefined)
        problems.push(`${field}.port: is required for a Service backend (${ref.name})`)
      if (slotServices.includes(ref.name) && !isService)
        problems.push(
          `${field}.kind: ${ref.name} is the slot's Service, so the backend must be kind Service in the core group (group ""), not ${refGroup ? `${refGroup}/` : ''}${refKind}`
        )
      if (carriesSlots && !slotServices.includes(ref.name) && (ref.weight ?? 1) > 0)
        problems.push(
          `${field}.weight: ${ref.name} takes ${ref.weight ?? 1} (of a rule that carries ${slotServices.join(' and ')}), so the slots' weights would not add up to the traffic they get; set it to 0 or move it to another rule`
        )
    })
    if (carriesSlots && refs.every(ref => (ref.weight ?? 1) === 0))
      problems.push(
        `spec.rules[${r}].backendRefs: every weight is 0, the rule sends traffic nowhere`
      )
  })
  return problems
}

/**
 * Throws a UserError naming the route, the fields and what is wrong, before the route is sent.
 * `when` says which route it is (`as read`, `with the weights 25/75`).
 */
export async function checkRoute(
  route: unknown,
  slotServices: string[],
  when: string
): Promise<void> {
  const problems = await routeViolations(route, slotServices)
  if (problems.length === 0) return
  const name = (route as HttpRoute | undefined)?.metadata?.name ?? '?'
  throw new UserError(
    `HTTPRoute ${name} ${when} is not valid for Gateway API ${GATEWAY_API_VERSION} (standard channel): ${problems.join('; ')}`,
    `fix the HTTPRoute (kubectl edit httproute ${name}): the rules that carry ${slotServices.join(' and ')} name them as Services with a port, and no other backend of those rules takes traffic`
  )
}
