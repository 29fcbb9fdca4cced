// Helm mode as the runner runs it: the deploy-strategy bundle, its inputs as INPUT_*, helm from
// the PATH the job gives it, against the emulator.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { runBundle } from '../helpers/run-bundle.js'
import { startKubernetesEmulator, type KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { pathWithHelm } from './helm-binary.js'
import { CHART, deployedImage, helmPodBehaviours, storedReleases } from './helm-helpers.js'
import { kubeconfigOf, writes } from './helpers.js'

jest.setTimeout(180_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startKubernetesEmulator({ tls: true })
  helmPodBehaviours(k8s)
})
afterAll(async () => {
  await k8s?.close()
})

const inputs = (extra: Record<string, string | boolean>) => ({
  provider: 'kubernetes',
  strategy: 'rolling',
  environment: 'staging',
  'record-deployment': false,
  kubeconfig: kubeconfigOf(k8s),
  'helm-release': 'web',
  ...extra
})

describe('helm in the deploy-strategy bundle', () => {
  test('installs the chart, runs its tests, and shows the release in the summary', async () => {
    const run = await runBundle('deploy-strategy', {
      inputs: inputs({
        version: 'v1',
        image: 'registry.example/web:v1',
        'helm-chart': CHART,
        'helm-test': true
      }),
      env: { PATH: pathWithHelm() },
      timeoutMs: 170_000
    })
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('success')
    expect(deployedImage(k8s)).toBe('registry.example/web:v1')
    expect(storedReleases(k8s).map(r => [r.status, r.description])).toEqual([
      ['deployed', 'Slipway: v1']
    ])
    expect(run.summary).toContain('helm upgrade --install web')
    expect(run.stdout).toMatch(/helm test web passed/)
    // Masking commands hand the runner the secret; nothing else may carry it.
    const shown = run.stdout
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
    for (const text of [shown, run.stderr, run.summary, JSON.stringify(run.outputs)])
      expect(text).not.toContain(k8s.token)
  })

  test('a chart path that does not exist: exit 1 naming helm-chart, nothing sent', async () => {
    const before = writes(k8s).length
    const run = await runBundle('deploy-strategy', {
      inputs: inputs({
        version: 'v2',
        image: 'registry.example/web:v2',
        'helm-chart': 'charts/missing'
      }),
      env: { PATH: pathWithHelm() }
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toContain('helm-chart')
    expect(run.annotations.errors.join('\n')).toContain('charts/missing (no such file)')
    expect(writes(k8s).length).toBe(before)
    expect(deployedImage(k8s)).toBe('registry.example/web:v1')
  })

  test('helm not on the runner: exit 1 with the hint, nothing sent', async () => {
    const before = writes(k8s).length
    const run = await runBundle('deploy-strategy', {
      inputs: inputs({ version: 'v2', image: 'registry.example/web:v2', 'helm-chart': CHART }),
      env: { PATH: '/nonexistent' }
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toMatch(/helm.*not on PATH/)
    expect(writes(k8s).length).toBe(before)
  })
})
