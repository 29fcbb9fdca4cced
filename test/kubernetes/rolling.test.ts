// The kubernetes provider's rolling update against the emulator: the app's Deployment updated in
// place with maxSurge/maxUnavailable and judged complete as kubectl does; a crash-looping or
// never-progressing version fails and the template the Deployment had is applied again.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { emulatorOnly, startCluster, testNamespace } from './cluster.js'
import { APP, deploy, deploymentOf, everythingShown } from './helpers.js'

jest.setTimeout(120_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startCluster()
  k8s.setPodBehaviour('registry.example/web:crash', 'crash-loop')
  k8s.setPodBehaviour('registry.example/web:never', 'never-ready')
})
afterAll(async () => {
  await k8s?.close()
})

const imageOf = (name: string) => deploymentOf(k8s, name)?.spec.template?.spec.containers[0].image

describe('kubernetes rolling', () => {
  test('v1 then v2: the Deployment rolls with the given surge and unavailability', async () => {
    const first = await deploy(k8s, {
      strategy: 'rolling',
      version: 'v1',
      image: 'registry.example/web:v1'
    })
    expect(first.outcome.result.status).toBe('success')
    const second = await deploy(k8s, {
      strategy: 'rolling',
      version: 'v2',
      image: 'registry.example/web:v2',
      kubernetes: { maxSurge: '1', maxUnavailable: '0' }
    })
    expect(second.outcome.result.status).toBe('success')
    const d = deploymentOf(k8s, APP) as unknown as {
      spec: { strategy: { rollingUpdate: Record<string, unknown> } }
      status: { updatedReplicas: number; availableReplicas: number }
      metadata: { annotations: Record<string, string> }
    }
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 })
    expect(d.status.updatedReplicas).toBe(2)
    expect(d.status.availableReplicas).toBe(2)
    expect(d.metadata.annotations['slipway.dev/version']).toBe('v2')
    expect(imageOf(APP)).toBe('registry.example/web:v2')
    // The Service is the user's, applied as written, never switched.
    expect(
      (k8s.get('Service', testNamespace(k8s), APP) as { spec: { selector: unknown } }).spec.selector
    ).toEqual({ app: APP })
    // The record a rollback needs.
    expect(second.outcome.staged).toMatchObject({
      kubernetes_namespace: testNamespace(k8s),
      kubernetes_deployments: APP,
      image: 'registry.example/web:v2'
    })
    expect(second.outcome.staged?.previous_template_hash).toMatch(/^[0-9a-f]{16}$/)
  })

  test('a crash-looping version: fails at once, the previous template is applied again', async () => {
    const run = await deploy(k8s, {
      strategy: 'rolling',
      version: 'v3',
      image: 'registry.example/web:crash'
    })
    expect(run.outcome.result.status).toBe('failure')
    expect(run.outcome.result.error).toMatch(/CrashLoopBackOff|restarted \d+ times/)
    expect(imageOf(APP)).toBe('registry.example/web:v2')
    expect(deploymentOf(k8s, APP)?.metadata.annotations?.['slipway.dev/version']).toBe('v2')
    await k8s.settled()
    const status = (deploymentOf(k8s, APP) as unknown as { status: { availableReplicas: number } })
      .status
    expect(status.availableReplicas).toBe(2)
    expect(everythingShown(run)).not.toContain(k8s.token)
  })

  test('a version that never becomes ready: the gate fails and v2 is back', async () => {
    const run = await deploy(k8s, {
      strategy: 'rolling',
      version: 'v4',
      image: 'registry.example/web:never',
      deploy: { healthTimeoutMs: 3000 }
    })
    expect(run.outcome.result.status).toBe('failure')
    expect(imageOf(APP)).toBe('registry.example/web:v2')
  })
})

describe('kubernetes rolling, a rollout that never progresses', () => {
  emulatorOnly(
    'the gate ends at its deadline, the template goes back, and the unfinished undo is said',
    async () => {
      k8s.injectFault({ type: 'stall-rollout', namespace: 'default', deployment: APP })
      const run = await deploy(k8s, {
        strategy: 'rolling',
        version: 'v5',
        image: 'registry.example/web:v5',
        deploy: { healthTimeoutMs: 2000 }
      })
      expect(run.outcome.result.status).toBe('failure')
      expect(run.outcome.result.error).toMatch(/waiting for the controller/)
      // The previous template is applied again even though the controller never acts on it…
      expect(imageOf(APP)).toBe('registry.example/web:v2')
      // …so the result says traffic may not be back on it.
      expect(run.outcome.result.undoFailed?.length).toBeGreaterThan(0)
    }
  )
})
