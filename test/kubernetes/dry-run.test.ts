// dry-run: the plan and the objects that would be applied, and not one write to the cluster.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { onRealCluster, startCluster, testNamespace } from './cluster.js'
import { deploy, writes } from './helpers.js'

jest.setTimeout(60_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startCluster()
})
afterAll(async () => {
  await k8s?.close()
})

/** No write request (the emulator's log) and, on any cluster, no object in the namespace. */
function nothingWritten(): void {
  if (!onRealCluster) expect(writes(k8s)).toEqual([])
  for (const kind of ['Deployment', 'Service'] as const)
    expect(k8s.list(kind, testNamespace(k8s))).toEqual([])
}

describe('kubernetes dry-run', () => {
  test('blue-green: the plan names each object, its image and the traffic switch; nothing is written', async () => {
    const run = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: 'registry.example/web@sha256:' + 'a'.repeat(64),
      deploy: { dryRun: true }
    })
    expect(run.outcome.result.status).toBe('dry-run')
    const lines = run.outcome.plan.perHost ?? []
    expect(
      lines.some(
        l =>
          l.includes('apply Deployment/web-blue') &&
          l.includes(`app=registry.example/web@sha256:${'a'.repeat(64)}`)
      )
    ).toBe(true)
    expect(lines.some(l => l.includes("traffic by Service web's selector"))).toBe(true)
    nothingWritten()
  })

  test('rolling: the Deployment updated in place with its surge settings', async () => {
    const run = await deploy(k8s, {
      strategy: 'rolling',
      version: 'v1',
      image: 'registry.example/web:v1',
      deploy: { dryRun: true },
      kubernetes: { maxSurge: '25%', maxUnavailable: '0' }
    })
    const lines = run.outcome.plan.perHost ?? []
    expect(lines.some(l => l.includes('apply Service/web'))).toBe(true)
    expect(
      lines.some(
        l => l.includes('apply Deployment/web ') && l.includes('app=registry.example/web:v1')
      )
    ).toBe(true)
    nothingWritten()
  })
})
