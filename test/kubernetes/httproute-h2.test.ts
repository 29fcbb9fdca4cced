// The HTTPRoute the canary moves traffic with is checked by the provider against the Gateway API
// schema it pins, before anything is applied: a route whose backendRefs are malformed, whose
// other backends take a share of the slots' rule, or that names a slot with the wrong kind is
// refused with the route, the field and what is wrong, and the cluster is left as it was.
import { afterAll, beforeAll, describe, expect, jest } from '@jest/globals'
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node'
import { UserError } from '@slipway/kit'
import { checkRoute } from '../../packages/providers/src/kubernetes/httproute-schema.js'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { emulatorOnly, startCluster, testNamespace } from './cluster.js'
import { APP, deploy, kubeconfigOf, writes } from './helpers.js'

jest.setTimeout(120_000)

let k8s: KubernetesEmulator
let api: KubernetesObjectApi
beforeAll(async () => {
  k8s = await startCluster()
  const kc = new KubeConfig()
  kc.loadFromString(kubeconfigOf(k8s))
  api = KubernetesObjectApi.makeApiClient(kc)
})
afterAll(async () => {
  await k8s?.close()
})

type BackendRef = Record<string, unknown>

/** Creates a route through the API (the emulator's own checks accept it) and returns its name. */
async function routeWith(name: string, rules: { backendRefs: BackendRef[] }[]): Promise<string> {
  await api.create({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: testNamespace(k8s) },
    spec: { parentRefs: [{ name: 'gateway' }], rules }
  } as never)
  return name
}

const routeOf = (name: string) => JSON.stringify(k8s.get('HTTPRoute', testNamespace(k8s), name))

/** A canary through `route`: refused before the first write, the route as it was. */
async function refused(route: string): Promise<UserError> {
  const before = routeOf(route)
  const writesBefore = writes(k8s).length
  let thrown: unknown
  try {
    const run = await deploy(k8s, {
      strategy: 'canary',
      version: 'v1',
      image: 'registry.example/web:v1',
      deploy: { steps: '25,100', intervalMs: 100 },
      kubernetes: { gatewayRoute: route }
    })
    thrown = run.outcome.result.error ?? run.outcome.result.status
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(UserError)
  expect(writes(k8s).length).toBe(writesBefore)
  expect(k8s.list('Deployment', testNamespace(k8s))).toEqual([])
  expect(routeOf(route)).toBe(before)
  return thrown as UserError
}

const blue = `${APP}-blue`
const green = `${APP}-green`

describe('kubernetes HTTPRoute checked before it is sent', () => {
  emulatorOnly(
    'malformed backendRefs: a namespace that is not a DNS label, refused by the API and the provider alike',
    async () => {
      // The emulator validates with the CRD's schema, as a cluster does, so such a route cannot
      // be stored; the provider's check of the same object names the same field.
      const route = {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'malformed', namespace: testNamespace(k8s) },
        spec: {
          parentRefs: [{ name: 'gateway' }],
          rules: [
            {
              backendRefs: [
                { name: blue, port: 80, weight: 0, namespace: 'Other_NS' },
                { name: green, port: 80, weight: 100 }
              ]
            }
          ]
        }
      }
      const refusedByApi = await api.create(route as never).then(
        () => undefined,
        (error: unknown) => error
      )
      expect(JSON.stringify(refusedByApi)).toContain('spec.rules[0].backendRefs[0].namespace')
      expect(k8s.get('HTTPRoute', testNamespace(k8s), 'malformed')).toBeUndefined()

      const error = await checkRoute(route, [blue, green], 'as read').then(
        () => undefined,
        (thrown: unknown) => thrown
      )
      expect(error).toBeInstanceOf(UserError)
      expect((error as UserError).message).toContain('HTTPRoute malformed as read')
      expect((error as UserError).message).toContain('spec.rules[0].backendRefs[0].namespace')
      expect((error as UserError).message).toMatch(/must match pattern/)
    }
  )

  emulatorOnly(
    'another backend of the slots’ rule takes a share: the weights would not add up',
    async () => {
      const route = await routeWith('shared', [
        {
          backendRefs: [
            { name: blue, port: 80, weight: 0 },
            { name: green, port: 80, weight: 100 },
            { name: 'legacy', port: 80, weight: 50 }
          ]
        }
      ])
      const error = await refused(route)
      expect(error.message).toContain('HTTPRoute shared')
      expect(error.message).toContain('spec.rules[0].backendRefs[2].weight')
      expect(error.message).toMatch(/legacy takes 50.*would not add up/)
    }
  )

  emulatorOnly(
    'a Service backend without a port in another rule (the CRD’s CEL rule)',
    async () => {
      const route = await routeWith('portless', [
        {
          backendRefs: [
            { name: blue, port: 80, weight: 0 },
            { name: green, port: 80, weight: 100 }
          ]
        },
        { backendRefs: [{ name: 'legacy', weight: 1 }] }
      ])
      const error = await refused(route)
      expect(error.message).toContain('spec.rules[1].backendRefs[0].port')
      expect(error.message).toMatch(/required for a Service backend \(legacy\)/)
    }
  )

  emulatorOnly('a slot named with the wrong kind', async () => {
    const route = await routeWith('wrong-kind', [
      {
        backendRefs: [
          { name: blue, port: 80, weight: 0, group: 'apps', kind: 'Deployment' },
          { name: green, port: 80, weight: 100 }
        ]
      }
    ])
    const error = await refused(route)
    expect(error.message).toContain('HTTPRoute wrong-kind')
    expect(error.message).toMatch(
      /spec\.rules\[0\]\.backendRefs\[0\]\.kind: web-blue .* not apps\/Deployment/
    )
  })
})
