import type { Ajv as AjvClass, ErrorObject } from 'ajv'
import { UserError } from '@slipway/kit'
import type { HttpRoute } from './client.js'

/**
 * The Gateway API version whose HTTPRoute (`gateway.networking.k8s.io/v1`, standard channel)
 * the provider reads and writes. Its schema is the CRD's own, taken by
 * scripts/gateway-api-schema.mjs into gateway-api/ (see the README there); kubernetes-models has
 * no Gateway API validators. Fields of the experimental channel are refused, as a
 * standard-channel CRD refuses them.
 */
export const GATEWAY_API_VERSION = 'v1.2.1'

/**
 * The CRD's schema, with what the CRD leaves to the API server's own checks: the apiVersion and
 * kind of this resource, and a name. The JSON is imported here, when a route is first checked,
 * so it is in the bundle's chunk for this module's dynamic import, not in the entry chunk.
 */
async function routeSchema(): Promise<object> {
  const { default: crd } = await import('./gateway-api/httproute-v1.2.1.json', {
    with: { type: 'json' }
  })
  return {
    allOf: [crd],
    required: ['apiVersion', 'kind', 'metadata'],
    properties: {
      apiVersion: { const: 'gateway.networking.k8s.io/v1' },
      kind: { const: 'HTTPRoute' },
      metadata: { type: 'object', required: ['name'] }
    }
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
        : issue.keyword === 'enum'
          ? `must be one of ${(issue.params as { allowedValues: unknown[] }).allowedValues.map(v => JSON.stringify(v)).join(', ')}`
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
    const [ajv, schema] = await Promise.all([import('ajv'), routeSchema()])
    // ajv is CommonJS whose module.exports is the class: Node and jest give the named export,
    // but webpack's namespace for a function export (the ncc bundle) carries only `default`.
    const Ajv = (ajv.Ajv ?? ajv.default) as typeof ajv.Ajv
    // strict: false, so the CRD's CEL rules (x-kubernetes-validations) are carried, not read.
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
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
