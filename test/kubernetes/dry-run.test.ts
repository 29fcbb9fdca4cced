// dry-run: the plan and the objects that would be applied, each checked by the API server
// through a server-side apply with dryRun=All, and not one write stored in the cluster.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { onRealCluster, startCluster, testNamespace } from './cluster.js'
import { UserError } from '@slipway/kit'
import { freePort } from '../services/process.js'
import { appManifests, deploy, kubeconfigOf, manifestDir, writes } from './helpers.js'

jest.setTimeout(60_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startCluster()
})
afterAll(async () => {
  await k8s?.close()
})

/**
 * No write request but dry runs (the emulator's log) and, on any cluster, no object in the
 * namespace.
 */
function nothingWritten(): void {
  if (!onRealCluster)
    expect(
      writes(k8s).filter(r => (r as { query: { dryRun?: string } }).query.dryRun !== 'All')
    ).toEqual([])
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
    // The server's answer for each object the run would apply.
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Deployment\/web-blue created \(server dry run\)/),
        expect.stringMatching(/Service\/web created \(server dry run\)/)
      ])
    )
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

  test('the server refuses an object: the dry run fails naming it and the field', async () => {
    const manifests = manifestDir({
      'app.yaml': appManifests().replace(
        'matchLabels:\n      app: web',
        'matchLabels:\n      app: web\n      tier: api'
      )
    })
    const run = deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: 'registry.example/web:v1',
      manifests: [manifests],
      deploy: { dryRun: true }
    })
    await expect(run).rejects.toBeInstanceOf(UserError)
    await expect(run).rejects.toThrow(
      /refused Deployment\/web-blue.*spec\.template\.metadata\.labels/
    )
    nothingWritten()
  })

  test('an unreachable cluster: the plan, saying the server check was not done', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`
    const run = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: 'registry.example/web:v1',
      deploy: { dryRun: true },
      kubernetes: { kubeconfig: kubeconfigOf(k8s).replace(k8s.url, closed) }
    })
    expect(run.outcome.result.status).toBe('dry-run')
    const lines = run.outcome.plan.perHost ?? []
    expect(lines.some(l => l.includes('apply Deployment/web-blue'))).toBe(true)
    expect(lines.some(l => /server-side dry run not done \(cluster not reachable/.test(l))).toBe(
      true
    )
  })
})
