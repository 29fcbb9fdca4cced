// What a rollback needs is in the Deployment payload, and the provider's own path back to an
// earlier version: inside keep-previous the warm slot takes traffic again with no new pod; after
// it, the kept (scaled to 0) Deployment is scaled up with its recorded template — not the
// manifests' image, which belongs to whatever version they were written for.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { startCluster, testNamespace } from './cluster.js'
import { APP, deploy, deploymentOf, serviceOf } from './helpers.js'

jest.setTimeout(120_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startCluster()
})
afterAll(async () => {
  await k8s?.close()
})

const podNames = (slot: string) =>
  k8s
    .list('Pod', testNamespace(k8s), `slipway.dev/slot=${slot}`)
    .map(p => (p as { metadata: { name: string } }).metadata.name)
    .sort()

describe('kubernetes records and the way back', () => {
  test('the payload names the namespace, context, Deployments, Services and image', async () => {
    const first = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: 'registry.example/web:v1'
    })
    expect(first.outcome.staged).toEqual({
      kubernetes_namespace: testNamespace(k8s),
      kubernetes_context: expect.any(String),
      kubernetes_deployments: `${APP}-blue,${APP}-green`,
      kubernetes_services: `${APP},${APP}-preview`,
      version: 'v1',
      image: 'registry.example/web:v1'
    })
  })

  test('inside keep-previous: back to v1 on its warm slot, no new pod', async () => {
    const v2 = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v2',
      image: 'registry.example/web:v2',
      deploy: { keepPreviousMs: 30 * 60_000 }
    })
    expect(v2.outcome.result.status).toBe('success')
    await k8s.settled()
    const warm = podNames('blue')
    expect(warm.length).toBe(2)
    // The rollback stage runs the provider with the recorded version and image.
    const back = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: 'registry.example/web:v1'
    })
    expect(back.outcome.result.status).toBe('success')
    expect(back.outcome.plan.steps.some(s => s.kind === 'prepare')).toBe(false)
    expect(serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']).toBe('blue')
    expect(podNames('blue')).toEqual(warm)
  })

  test('after keep-previous: the kept Deployment is scaled up with its own template', async () => {
    // v3 on green (blue's v1 retired to 0), then back to v1 without an image input.
    expect(
      (
        await deploy(k8s, {
          strategy: 'blue-green',
          version: 'v3',
          image: 'registry.example/web:v3'
        })
      ).outcome.result.status
    ).toBe('success')
    expect(deploymentOf(k8s, `${APP}-blue`)?.spec.replicas).toBe(0)
    const back = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: undefined as unknown as string
    })
    expect(back.outcome.result.status).toBe('success')
    expect(back.outcome.plan.steps.some(s => s.kind === 'prepare')).toBe(true)
    const blue = deploymentOf(k8s, `${APP}-blue`)!
    expect(blue.spec.replicas).toBe(2)
    expect(blue.spec.template?.spec.containers[0].image).toBe('registry.example/web:v1')
    expect(serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']).toBe('blue')
  })
})
