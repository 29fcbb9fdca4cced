// The HTTPRoute schema is the Gateway API CRD's own (v1.2.1, standard channel), taken from the
// CRD by scripts/gateway-api-schema.mjs: the provider's check and the emulator's API both use it.
// Each case below is a route that a cluster with that CRD refuses, or (the first) one it accepts;
// the provider must agree with the cluster, and so must the emulator that stands in for it.
import { describe, expect, it } from '@jest/globals'
import { routeViolations } from '../../packages/providers/src/kubernetes/httproute-schema.js'
import { schemaCauses } from '../kubernetes-emulator/validation.js'

const SLOTS = ['web-blue', 'web-green']

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** A route that uses much of the standard channel: every field below is valid. */
function validRoute(): Json {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'apps' },
    spec: {
      parentRefs: [{ name: 'gateway', namespace: 'infra', sectionName: 'https' }],
      hostnames: ['web.example.com', '*.web.example.com'],
      rules: [
        {
          matches: [
            {
              path: { type: 'PathPrefix', value: '/' },
              headers: [{ name: 'X-Canary', value: 'always' }],
              queryParams: [{ type: 'Exact', name: 'debug', value: '1' }],
              method: 'GET'
            }
          ],
          filters: [
            {
              type: 'RequestHeaderModifier',
              requestHeaderModifier: {
                set: [{ name: 'X-Route', value: 'web' }],
                remove: ['X-Internal']
              }
            }
          ],
          backendRefs: [
            { name: 'web-blue', port: 80, weight: 0 },
            { name: 'web-green', port: 80, weight: 100 }
          ],
          timeouts: { request: '10s', backendRequest: '5s' }
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/old' } }],
          filters: [
            {
              type: 'RequestRedirect',
              requestRedirect: { scheme: 'https', hostname: 'web.example.com', statusCode: 301 }
            }
          ]
        }
      ]
    },
    status: {
      parents: [
        {
          parentRef: { name: 'gateway', namespace: 'infra' },
          controllerName: 'example.com/gateway-controller',
          conditions: [
            {
              type: 'Accepted',
              status: 'True',
              reason: 'Accepted',
              message: 'Route is accepted',
              lastTransitionTime: '2024-01-01T00:00:00Z',
              observedGeneration: 1
            }
          ]
        }
      ]
    }
  }
}

interface Case {
  what: string
  change: (route: Json) => void
  /** The field the problem is reported on, as the provider and the API name it. */
  field: string
}

const rule0 = (route: Json) => route.spec.rules[0]

const cases: Case[] = [
  {
    what: 'a weight above 1000000',
    change: route => (rule0(route).backendRefs[1].weight = 1_000_001),
    field: 'spec.rules[0].backendRefs[1].weight'
  },
  {
    what: 'more than 16 backendRefs in a rule',
    change: route =>
      (rule0(route).backendRefs = Array.from({ length: 17 }, (_, i) => ({
        name: i === 0 ? 'web-green' : `web-${i}`,
        port: 80,
        weight: i === 0 ? 1 : 0
      }))),
    field: 'spec.rules[0].backendRefs'
  },
  {
    what: 'a path match type that is not Exact, PathPrefix or RegularExpression',
    change: route => (rule0(route).matches[0].path.type = 'Prefix'),
    field: 'spec.rules[0].matches[0].path.type'
  },
  {
    what: 'a redirect status code other than 301 and 302',
    change: route => (route.spec.rules[1].filters[0].requestRedirect.statusCode = 307),
    field: 'spec.rules[1].filters[0].requestRedirect.statusCode'
  },
  {
    what: 'a redirect scheme other than http and https',
    change: route => (route.spec.rules[1].filters[0].requestRedirect.scheme = 'ftp'),
    field: 'spec.rules[1].filters[0].requestRedirect.scheme'
  },
  {
    what: 'a header modifier setting a name that is not an HTTP token',
    change: route => (rule0(route).filters[0].requestHeaderModifier.set[0].name = 'X Route'),
    field: 'spec.rules[0].filters[0].requestHeaderModifier.set[0].name'
  },
  {
    what: 'a header modifier removing the same header twice (a list of type set)',
    change: route => (rule0(route).filters[0].requestHeaderModifier.remove = ['X-A', 'X-A']),
    field: 'spec.rules[0].filters[0].requestHeaderModifier.remove'
  },
  {
    what: 'a URL rewrite path type that does not exist',
    change: route =>
      (rule0(route).filters = [
        { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceAll', replaceFullPath: '/' } } }
      ]),
    field: 'spec.rules[0].filters[0].urlRewrite.path.type'
  },
  {
    what: 'a mirror filter without the backend to mirror to',
    change: route => (rule0(route).filters = [{ type: 'RequestMirror', requestMirror: {} }]),
    field: 'spec.rules[0].filters[0].requestMirror.backendRef'
  },
  {
    what: 'a backend namespace that is not a DNS label',
    change: route => (rule0(route).backendRefs[0].namespace = 'Other_NS'),
    field: 'spec.rules[0].backendRefs[0].namespace'
  },
  {
    what: 'a hostname that is not a DNS name',
    change: route => (route.spec.hostnames = ['Web_Example']),
    field: 'spec.hostnames[0]'
  },
  {
    what: 'a timeout that is not a Gateway API duration',
    change: route => (rule0(route).timeouts.request = '10 seconds'),
    field: 'spec.rules[0].timeouts.request'
  },
  {
    what: 'a rule name, a field of the experimental channel only',
    change: route => (rule0(route).name = 'canary'),
    field: 'spec.rules[0]'
  },
  {
    what: 'a status condition whose lastTransitionTime is not an RFC 3339 time',
    change: route => (route.status.parents[0].conditions[0].lastTransitionTime = 'yesterday'),
    field: 'status.parents[0].conditions[0].lastTransitionTime'
  }
]

describe('HTTPRoute schema from the Gateway API CRD', () => {
  it('accepts a route that uses the standard channel’s matches, filters and timeouts', async () => {
    const route = validRoute()
    expect(await routeViolations(route, SLOTS)).toEqual([])
    expect(schemaCauses(route)).toEqual([])
  })

  // Only what the change adds counts, so a case passes on its own field and not because the
  // rest of the route was refused.
  it.each(cases)('provider and API both refuse $what', async ({ change, field }) => {
    const route = validRoute()
    const problemsBefore = await routeViolations(route, SLOTS)
    const causesBefore = schemaCauses(route).map(cause => JSON.stringify(cause))
    change(route)
    const problems = (await routeViolations(route, SLOTS)).filter(p => !problemsBefore.includes(p))
    expect(
      problems.filter(p => p.startsWith(`${field}:`) || p.startsWith(`${field}.`))
    ).not.toEqual([])
    const causes = schemaCauses(route).filter(
      cause => !causesBefore.includes(JSON.stringify(cause))
    )
    expect(causes.map(cause => cause.field)).toContain(field)
  })
})
