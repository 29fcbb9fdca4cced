// The server's side of a dry run: every object a run would apply goes to the API server as a
// server-side apply with dryRun=All (field manager slipway), and the provider says per object
// what the server would do (created, configured, unchanged). A refusal fails closed naming the
// object and the field; an unreachable cluster leaves the plan alone and says the server's check
// was not done. Nothing is stored, which the emulator's objects show.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node'
import { Redactor, UserError } from '@slipway/kit'
import { buildKubernetesProvider, type KubernetesProvider } from '@slipway/providers'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { freePort } from '../services/process.js'
import { emulatorOnly, startCluster, testNamespace } from './cluster.js'
import { APP, appManifests, deploy, kubeconfigOf, manifestDir } from './helpers.js'

jest.setTimeout(120_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startCluster()
})
afterAll(async () => {
  await k8s?.close()
})

const dryRunProvider = (
  options: { kubeconfig?: string; manifests?: string; dryRun?: boolean; gatewayRoute?: string } = {}
): KubernetesProvider =>
  buildKubernetesProvider(
    {
      strategy: 'blue-green',
      environment: 'production',
      kubeconfig: options.kubeconfig ?? kubeconfigOf(k8s),
      manifests: [options.manifests ?? manifestDir({ 'app.yaml': appManifests() })],
      containers: ['app'],
      image: 'registry.example/web:v2',
      gatewayRoute: options.gatewayRoute
    },
    { redactor: new Redactor(), dryRun: options.dryRun ?? true }
  )

/** Every object of the namespace with its resource version: what a write would change. */
const stored = (): string[] =>
  (['Deployment', 'ReplicaSet', 'Pod', 'Service'] as const)
    .flatMap(kind =>
      (
        k8s.list(kind, testNamespace(k8s)) as {
          metadata: { name: string; resourceVersion: string }
        }[]
      ).map(o => `${kind}/${o.metadata.name}@${o.metadata.resourceVersion}`)
    )
    .sort()

/** Writes the emulator saw since `from` that were not dry runs. */
const realWrites = (from: number) =>
  k8s.requests
    .slice(from)
    .filter(r => !['GET', 'HEAD'].includes(r.method) && r.query.dryRun !== 'All')

/** current(), then the dry run of `version` on the slot the plan would take. */
async function serverDryRun(provider: KubernetesProvider, version: string, slot: string) {
  const live = await provider.current()
  return { live, lines: await provider.dryRun({ version, targets: [slot] }) }
}

describe('kubernetes server-side dry run', () => {
  test('an empty namespace: every object would be created, and none is', async () => {
    const before = stored()
    const seen = k8s.requests.length
    const { lines } = await serverDryRun(dryRunProvider(), 'v1', 'blue')
    expect(lines).toEqual([
      expect.stringMatching(/Deployment\/web-blue created \(server dry run\)$/),
      expect.stringMatching(/Service\/web created \(server dry run\)$/),
      expect.stringMatching(/Service\/web-preview created \(server dry run\)$/)
    ])
    // Sent as server-side applies with dryRun=All, field manager slipway: and nothing stored.
    const applies = k8s.requests.slice(seen).filter(r => r.method === 'PATCH')
    expect(applies.length).toBe(3)
    for (const r of applies) {
      expect(r.query.dryRun).toBe('All')
      expect(r.query.fieldManager).toBe('slipway')
      expect(r.contentType).toMatch(/apply-patch/)
    }
    expect(realWrites(seen)).toEqual([])
    expect(stored()).toEqual(before)
  })

  test('with v1 live: v1 again is unchanged; v2 on the idle slot is created and moves the Services', async () => {
    const v1 = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: 'registry.example/web:v2'
    })
    expect(v1.outcome.result.status).toBe('success')
    await k8s.settled()
    const before = stored()
    const seen = k8s.requests.length

    const again = await serverDryRun(dryRunProvider(), 'v1', 'blue')
    expect(again.live.blue?.version).toBe('v1')
    expect(again.lines).toEqual([
      expect.stringMatching(/Deployment\/web-blue unchanged/),
      expect.stringMatching(/Service\/web unchanged/),
      expect.stringMatching(/Service\/web-preview unchanged/)
    ])

    const next = await serverDryRun(dryRunProvider(), 'v2', 'green')
    expect(next.lines).toEqual([
      expect.stringMatching(/Deployment\/web-green created/),
      expect.stringMatching(/Service\/web configured/),
      expect.stringMatching(/Service\/web-preview configured/)
    ])
    expect(realWrites(seen)).toEqual([])
    expect(stored()).toEqual(before)
  })

  test('a 422: the object and the field the server names, nothing stored', async () => {
    // The selector asks for a label the pod template lacks: the schemas pass it, the server not.
    const manifests = manifestDir({
      'app.yaml': appManifests().replace(
        'matchLabels:\n      app: web',
        'matchLabels:\n      app: web\n      tier: api'
      )
    })
    const before = stored()
    const seen = k8s.requests.length
    const provider = dryRunProvider({ manifests })
    let thrown: unknown
    try {
      await serverDryRun(provider, 'v2', 'green')
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(UserError)
    const message = (thrown as Error).message
    expect(message).toContain('refused Deployment/web-green')
    expect(message).toContain('422')
    expect(message).toContain('spec.template.metadata.labels')
    expect(realWrites(seen)).toEqual([])
    expect(stored()).toEqual(before)
  })

  emulatorOnly('a 409 conflict fails closed, naming the object and what conflicts', async () => {
    k8s.injectFault({
      type: 'status',
      code: 409,
      method: 'PATCH',
      path: /\/services\/web$/,
      message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .spec.selector'
    })
    const before = stored()
    let thrown: unknown
    try {
      await serverDryRun(dryRunProvider(), 'v2', 'green')
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(UserError)
    expect((thrown as Error).message).toMatch(/refused Service\/web: .*409.*\.spec\.selector/)
    expect(stored()).toEqual(before)
  })

  test('an unreachable cluster: nothing live is read, and the server check is said not done', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`
    const kubeconfig = kubeconfigOf(k8s).replace(k8s.url, closed)
    expect(kubeconfig).toContain(closed)
    const { live, lines } = await serverDryRun(dryRunProvider({ kubeconfig }), 'v2', 'green')
    expect(live).toEqual({})
    expect(lines).toEqual([
      expect.stringMatching(/server-side dry run not done \(cluster not reachable: .*\)/)
    ])
    // A real run still fails on it: only a dry run reads an unreachable cluster as empty.
    await expect(dryRunProvider({ kubeconfig, dryRun: false }).current()).rejects.toBeInstanceOf(
      UserError
    )
  })

  test("with gateway-route: the slots' Services through the server, the route against its schema", async () => {
    const kc = new KubeConfig()
    kc.loadFromString(kubeconfigOf(k8s))
    const route = (name: string, kind: string) =>
      KubernetesObjectApi.makeApiClient(kc).create({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name, namespace: testNamespace(k8s) },
        spec: {
          parentRefs: [{ name: 'gateway' }],
          rules: [
            {
              backendRefs: [
                { name: `${APP}-blue`, port: 80, weight: 100, kind },
                { name: `${APP}-green`, port: 80, weight: 0 }
              ]
            }
          ]
        }
      } as never)
    await route('good-route', 'Service')
    await route('bad-route', 'ConfigMap')
    const before = stored()
    const seen = k8s.requests.length
    const { lines } = await serverDryRun(
      dryRunProvider({ gatewayRoute: 'good-route' }),
      'v2',
      'green'
    )
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Service\/web-blue (created|configured|unchanged) \(server dry run\)/
        ),
        expect.stringMatching(
          /Service\/web-green (created|configured|unchanged) \(server dry run\)/
        ),
        expect.stringMatching(
          /HTTPRoute\/good-route valid with the slots' weights \(Gateway API v\d/
        )
      ])
    )
    await expect(
      serverDryRun(dryRunProvider({ gatewayRoute: 'bad-route' }), 'v2', 'green')
    ).rejects.toThrow(/HTTPRoute bad-route .*spec\.rules\[0\]\.backendRefs\[0\]\.kind/)
    expect(realWrites(seen)).toEqual([])
    expect(stored()).toEqual(before)
  })
})
