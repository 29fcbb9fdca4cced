/**
 * JSON Schema for `gateway.networking.k8s.io/v1` HTTPRoute, written from the fields of the
 * official Gateway API v1 CRD (standard channel) that the emulator supports: parentRefs,
 * hostnames, rules[].matches (path, headers, method), rules[].backendRefs (name, port, weight,
 * kind, group, namespace) and status.parents. `kubernetes-models` has no Gateway API models.
 * Unknown fields are rejected, as the CRD's structural schema prunes or (strict) rejects them.
 */
const name = { type: 'string', minLength: 1, maxLength: 253 }
const sectionName = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 253 }
const port = { type: 'integer', minimum: 1, maximum: 65535 }

const parentRef = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    group: { type: 'string', maxLength: 253 },
    kind: { type: 'string', minLength: 1, maxLength: 63 },
    namespace: { type: 'string', maxLength: 63 },
    name,
    sectionName,
    port
  }
}

const backendRef = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    group: { type: 'string', maxLength: 253 },
    kind: { type: 'string', minLength: 1, maxLength: 63 },
    namespace: { type: 'string', maxLength: 63 },
    name,
    port,
    weight: { type: 'integer', minimum: 0, maximum: 1000000 }
  }
}

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
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'value'],
        properties: {
          type: { enum: ['Exact', 'RegularExpression'] },
          name: { type: 'string', minLength: 1, maxLength: 256 },
          value: { type: 'string', minLength: 1, maxLength: 4096 }
        }
      }
    },
    method: {
      enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']
    }
  }
}

const condition = {
  type: 'object',
  required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
  properties: {
    type: { type: 'string' },
    status: { enum: ['True', 'False', 'Unknown'] },
    observedGeneration: { type: 'integer', minimum: 0 },
    lastTransitionTime: { type: 'string' },
    reason: { type: 'string' },
    message: { type: 'string', maxLength: 32768 }
  }
}

export const httpRouteSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'gateway.networking.k8s.io/v1' },
    kind: { const: 'HTTPRoute' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        parentRefs: { type: 'array', maxItems: 32, items: parentRef },
        hostnames: {
          type: 'array',
          maxItems: 16,
          items: { type: 'string', minLength: 1, maxLength: 253 }
        },
        rules: {
          type: 'array',
          maxItems: 16,
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: sectionName,
              matches: { type: 'array', maxItems: 64, items: match },
              backendRefs: { type: 'array', maxItems: 16, items: backendRef },
              timeouts: {
                type: 'object',
                additionalProperties: false,
                properties: { request: { type: 'string' }, backendRequest: { type: 'string' } }
              }
            }
          }
        }
      }
    },
    status: {
      type: 'object',
      properties: {
        parents: {
          type: 'array',
          maxItems: 32,
          items: {
            type: 'object',
            required: ['parentRef', 'controllerName'],
            properties: {
              parentRef,
              controllerName: { type: 'string', minLength: 1, maxLength: 253 },
              conditions: { type: 'array', minItems: 1, maxItems: 8, items: condition }
            }
          }
        }
      }
    }
  }
}
