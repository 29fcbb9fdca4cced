// The kubernetes provider's blue-green against the Kubernetes API emulator, through the real
// client library: two Deployments, the app's Service selector switched, a preview Service on the
// idle slot, the previous slot scaled to 0 (kept, not deleted); a version that never becomes
// ready or crash-loops leaves the Service on the previous slot, and the summary says why.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { onRealCluster, startCluster } from './cluster.js'
import { APP, deploy, deploymentOf, everythingShown, serviceOf } from './helpers.js'

// A safety net for a busy machine: every wait below ends on an event first.
jest.setTimeout(120_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startCluster({ token: 'k8s-token-that-must-never-appear' })
  k8s.setPodBehaviour('registry.example/web:never', 'never-ready')
  k8s.setPodBehaviour('registry.example/web:crash', 'crash-loop')
})
afterAll(async () => {
  await k8s?.close()
})

describe('kubernetes blue-green', () => {
  test('v1 then v2: the Service switches to the new slot, the old one is scaled to 0 and kept', async () => {
    const first = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: 'registry.example/web:v1'
    })
    expect(first.outcome.result.status).toBe('success')
    expect(serviceOf(k8s, APP)?.spec.selector).toEqual({ app: APP, 'slipway.dev/slot': 'blue' })

    const second = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v2',
      image: 'registry.example/web:v2'
    })
    expect(second.outcome.result.status).toBe('success')
    expect(second.outcome.plan.slot).toBe('green')
    expect(serviceOf(k8s, APP)?.spec.selector).toEqual({ app: APP, 'slipway.dev/slot': 'green' })
    expect(serviceOf(k8s, `${APP}-preview`)?.spec.selector).toEqual({
      app: APP,
      'slipway.dev/slot': 'blue'
    })
    const green = deploymentOf(k8s, `${APP}-green`)!
    expect(green.metadata.labels?.['slipway.dev/version']).toBe('v2')
    expect(green.spec.template?.spec.containers[0].image).toBe('registry.example/web:v2')
    // keep-previous 0: the previous slot is retired by scaling, its Deployment stays for a rollback.
    const blue = deploymentOf(k8s, `${APP}-blue`)!
    expect(blue.spec.replicas).toBe(0)
    expect(blue.metadata.annotations?.['slipway.dev/version']).toBe('v1')
    // Every apply was a server-side apply by field manager slipway (the emulator's request log).
    if (onRealCluster) return
    const patches = k8s.requests.filter(
      r => r.method === 'PATCH' && r.path.includes('/deployments/')
    )
    expect(patches.length).toBeGreaterThan(0)
    for (const p of patches) {
      expect(p.contentType).toContain('application/apply-patch+yaml')
      expect(p.query.fieldManager).toBe('slipway')
    }
  })

  test('keep-previous: the previous slot stays scaled for a rollback', async () => {
    const run = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v3',
      image: 'registry.example/web:v3',
      deploy: { keepPreviousMs: 30 * 60_000 }
    })
    expect(run.outcome.result.status).toBe('success')
    expect(serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']).toBe('blue')
    expect(deploymentOf(k8s, `${APP}-green`)?.spec.replicas).toBe(2)
  })

  test('a version that never becomes ready: traffic stays on the previous slot', async () => {
    const run = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v4',
      image: 'registry.example/web:never',
      deploy: { healthTimeoutMs: 3000 }
    })
    expect(run.outcome.result.status).toBe('failure')
    expect(serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']).toBe('blue')
    expect(deploymentOf(k8s, `${APP}-blue`)?.metadata.annotations?.['slipway.dev/version']).toBe(
      'v3'
    )
  })

  test('a crash-looping version fails at once, explained by its pod events and logs, no secret shown', async () => {
    const run = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v5',
      image: 'registry.example/web:crash'
    })
    expect(run.outcome.result.status).toBe('failure')
    expect(run.outcome.result.error).toMatch(/CrashLoopBackOff|restarted \d+ times/)
    expect(serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']).toBe('blue')
    const evidence = (run.outcome.result.diagnostics ?? []).map(d => JSON.stringify(d)).join('\n')
    expect(evidence).toMatch(/BackOff/)
    expect(evidence).toMatch(/last log lines/)
    // The slot that failed is scaled to 0 by the failure path (tear-down), not deleted.
    expect(deploymentOf(k8s, `${APP}-green`)).toBeDefined()
    const shown = everythingShown(run)
    expect(shown).toMatch(/Back-off restarting failed container/)
    expect(shown).not.toContain(k8s.token)
  })
})
