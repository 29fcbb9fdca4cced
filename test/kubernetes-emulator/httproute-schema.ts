/**
 * JSON Schema for `gateway.networking.k8s.io/v1` HTTPRoute: the official Gateway API CRD's
 * (standard channel), the same file the provider validates with, so the emulator refuses what a
 * cluster with that CRD refuses and nothing else. `kubernetes-models` has no Gateway API models.
 * Unknown fields are rejected, as the API server does with strict field validation. The CRD's
 * CEL rules are not evaluated here (the API server does; the emulator's semantic checks in
 * validation.ts cover the backend names).
 */
import crd from '../../packages/providers/src/kubernetes/gateway-api/httproute-v1.2.1.json' with { type: 'json' }

export const httpRouteSchema = {
  allOf: [crd],
  required: ['apiVersion', 'kind', 'metadata'],
  properties: {
    apiVersion: { const: 'gateway.networking.k8s.io/v1' },
    kind: { const: 'HTTPRoute' },
    metadata: { type: 'object' }
  }
}
