// Helm mode of the kubernetes provider with the real helm binary against the emulator: install,
// upgrade with a new image, a rollout that never completes (helm rolls back, the step fails
// closed), the way back to a recorded revision, and the chart's tests as part of the gate.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
// Emulator only: the release Secrets are read back from it, and its test-hook pods pass or fail
// by image, which a real cluster's images do not.
import { startKubernetesEmulator, type KubernetesEmulator } from '../kubernetes-emulator/index.js'
import {
  deployedImage,
  FAILING_TEST_VALUES,
  helmDeploy,
  helmPodBehaviours,
  storedReleases
} from './helm-helpers.js'
import { everythingShown } from './helpers.js'

jest.setTimeout(180_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startKubernetesEmulator({ tls: true })
  helmPodBehaviours(k8s)
})
afterAll(async () => {
  await k8s?.close()
})

describe('helm releases', () => {
  test('installs the chart with the image set, and records the release', async () => {
    const run = await helmDeploy(k8s, { version: 'v1', image: 'registry.example/web:v1' })
    expect(run.outcome.result.error).toBeUndefined()
    expect(run.outcome.result.status).toBe('success')
    expect(deployedImage(k8s)).toBe('registry.example/web:v1')
    const releases = storedReleases(k8s)
    expect(releases.map(r => [r.revision, r.status, r.description])).toEqual([
      [1, 'deployed', 'Slipway: v1']
    ])
    // The image reached the chart as --set-string values under the image key.
    expect(releases[0].config).toEqual({ image: { repository: 'registry.example/web', tag: 'v1' } })
    expect(run.outcome.staged).toEqual({
      helm_release: 'web',
      helm_chart: expect.stringContaining('helm-chart'),
      kubernetes_namespace: 'default',
      kubernetes_context: 'emulator',
      version: 'v1',
      image: 'registry.example/web:v1',
      // The revision this deploy leaves in service: what a return to v1 rolls back to.
      helm_revision: '1'
    })
    // The kubeconfig's token never shows, though helm was handed the kubeconfig.
    expect(everythingShown(run)).not.toContain(k8s.token)
  })

  test('upgrades to a new image; the payload records the revision it replaced', async () => {
    const run = await helmDeploy(k8s, { version: 'v2', image: 'registry.example/web:v2' })
    expect(run.outcome.result.status).toBe('success')
    expect(deployedImage(k8s)).toBe('registry.example/web:v2')
    expect(run.outcome.staged).toMatchObject({
      helm_revision: '2',
      previous_revision: '1',
      previous_version: 'v1'
    })
    expect(storedReleases(k8s).map(r => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed']
    ])
    // A re-run of the same version changes nothing: no new revision.
    const again = await helmDeploy(k8s, { version: 'v2', image: 'registry.example/web:v2' })
    expect(again.outcome.result.status).toBe('success')
    expect(storedReleases(k8s)).toHaveLength(2)
  })

  test('a rollout that never completes: helm rolls back, the step fails, v2 still serves', async () => {
    const run = await helmDeploy(k8s, { version: 'v3', image: 'registry.example/web:stuck' })
    expect(run.outcome.result.status).toBe('failure')
    expect(run.outcome.result.error).toMatch(/helm upgrade exited with code 1/)
    expect(run.outcome.result.error).toMatch(/Progress deadline exceeded|not ready/)
    expect(deployedImage(k8s)).toBe('registry.example/web:v2')
    const releases = storedReleases(k8s)
    expect(releases.find(r => r.description === 'Slipway: v3')).toBeUndefined()
    expect(releases.at(-2)).toMatchObject({ revision: 3, status: 'failed' })
    expect(releases.at(-1)).toMatchObject({
      revision: 4,
      status: 'deployed',
      description: 'Rollback to 2'
    })
    // Why it failed is shown, redacted.
    expect(run.outcome.result.diagnostics?.map(d => d.text).join('\n')).toMatch(/UPGRADE FAILED/)
    expect(everythingShown(run)).not.toContain(k8s.token)
  })

  test('back to a recorded revision: helm rollback to it, not a re-render of the chart', async () => {
    // What a rollback to v1 runs: the recorded version and image. Revision 1 ran v1.
    const run = await helmDeploy(k8s, { version: 'v1', image: 'registry.example/web:v1' })
    expect(run.outcome.result.status).toBe('success')
    expect(run.outcome.staged).toMatchObject({
      helm_revision: '5',
      previous_revision: '4',
      previous_version: 'v2'
    })
    expect(deployedImage(k8s)).toBe('registry.example/web:v1')
    expect(storedReleases(k8s).at(-1)).toMatchObject({
      revision: 5,
      status: 'deployed',
      description: 'Rollback to 1'
    })
    expect(run.config.provider.prepared?.({ name: 'web' })).toBe(
      'helm rollback web to revision 1 (v1)'
    )
  })

  test('helm test passes: part of the gate', async () => {
    const run = await helmDeploy(k8s, {
      version: 'v4',
      image: 'registry.example/web:v4',
      helm: { test: true }
    })
    expect(run.outcome.result.status).toBe('success')
    expect(run.outcome.result.timeline.map(e => e.detail).join('\n')).toMatch(
      /helm test web passed on revision 6/
    )
    expect(k8s.get('Pod', 'default', 'web-test')).toMatchObject({ status: { phase: 'Succeeded' } })
  })

  test('helm test fails: the step fails, the test pod’s log is shown, v4 serves again', async () => {
    const run = await helmDeploy(k8s, {
      version: 'v5',
      image: 'registry.example/web:v5',
      helm: { test: true, values: [FAILING_TEST_VALUES] }
    })
    expect(run.outcome.result.status).toBe('failure')
    expect(run.outcome.result.error).toMatch(/helm test web failed on revision 7/)
    const evidence = run.outcome.result.diagnostics?.map(d => d.text).join('\n') ?? ''
    expect(evidence).toContain('check failed: GET /health answered 503')
    // The restore returned to v4's revision.
    expect(deployedImage(k8s)).toBe('registry.example/web:v4')
    expect(storedReleases(k8s).at(-1)).toMatchObject({
      status: 'deployed',
      description: 'Rollback to 6'
    })
  })
})
