// A Helm-mode dry run: the plan shows what the chart renders with this run's image, from a
// server dry run when the cluster answers (helm dry-run=server), else from helm template; nothing is stored either way.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { startKubernetesEmulator, type KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { deployedImage, helmDeploy, REPLICAS_VALUES, storedReleases } from './helm-helpers.js'
import { kubeconfigOf } from './helpers.js'

jest.setTimeout(120_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startKubernetesEmulator({ tls: true })
})
afterAll(async () => {
  await k8s?.close()
})

describe('helm dry run', () => {
  test('with the cluster: a server dry run; no release, no object is stored', async () => {
    const installed = await helmDeploy(k8s, { version: 'v1', image: 'registry.example/web:v1' })
    expect(installed.outcome.result.status).toBe('success')
    const before = k8s.requests.length
    const run = await helmDeploy(k8s, {
      version: 'v9',
      image: 'registry.example/web:v9',
      deploy: { dryRun: true },
      helm: { values: [REPLICAS_VALUES] }
    })
    expect(run.outcome.result.status).toBe('dry-run')
    const lines = run.outcome.plan.perHost ?? []
    expect(lines[0]).toContain('helm upgrade --install web')
    expect(lines[0]).toContain('image registry.example/web:v9')
    expect(lines).toContain(
      'emulator/default: Deployment/web (registry.example/web:v9) [server dry run]'
    )
    expect(lines).toContain('emulator/default: Service/web [server dry run]')
    // helm read the cluster (the release, the chart's lookups) and wrote nothing, not even as
    // a server-side dry run; the state is v1's.
    const seen = k8s.requests.slice(before)
    expect(seen.some(r => r.path.endsWith('/secrets'))).toBe(true)
    expect(seen.filter(r => r.method !== 'GET' && r.query.dryRun !== 'All')).toEqual([])
    expect(deployedImage(k8s)).toBe('registry.example/web:v1')
    expect(storedReleases(k8s).map(r => r.revision)).toEqual([1])
  })

  test('without a cluster: the plan from helm template', async () => {
    const gone = await startKubernetesEmulator({ tls: true })
    const kubeconfig = kubeconfigOf(gone)
    await gone.close()
    const run = await helmDeploy(k8s, {
      version: 'v9',
      image: 'registry.example/web@sha256:' + 'b'.repeat(64),
      deploy: { dryRun: true },
      kubernetes: { kubeconfig }
    })
    expect(run.outcome.result.status).toBe('dry-run')
    const lines = run.outcome.plan.perHost ?? []
    const deployment = lines.find(l => l.includes('Deployment/web'))
    // A digest reaches the chart as <key>.digest.
    expect(deployment).toContain(`registry.example/web@sha256:${'b'.repeat(64)}`)
    expect(deployment).toContain('[helm template (the server dry run failed')
    expect(gone.requests.filter(r => r.method !== 'GET')).toEqual([])
  })
})
