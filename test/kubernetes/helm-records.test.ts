// Helm mode recorded in GitHub Deployments and rolled back by the rollback bundle: the payload
// names the release and the revision a version replaced, and the rollback returns the release
// to exactly that revision with helm rollback.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { runBundle, type BundleRun } from '../helpers/run-bundle.js'
import { startKubernetesEmulator, type KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { emulatorJobEnv } from '../services/job-env.js'
import { pathWithHelm } from './helm-binary.js'
import {
  CHART,
  deployedImage,
  handMadeUpgrade,
  helmPodBehaviours,
  storedReleases
} from './helm-helpers.js'
import { kubeconfigOf } from './helpers.js'

jest.setTimeout(240_000)

let k8s: KubernetesEmulator
let gh: Emulator
let sha: string
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-helm-records-'))
  k8s = await startKubernetesEmulator({ tls: true })
  helmPodBehaviours(k8s)
  gh = await startEmulator()
  sha = gh.state.addCommit({ message: 'feat: the app' })
})
afterAll(async () => {
  await gh?.close()
  await k8s?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const run = (action: string, inputs: Record<string, string>): Promise<BundleRun> =>
  runBundle(action, {
    inputs: {
      provider: 'kubernetes',
      kubeconfig: kubeconfigOf(k8s),
      'helm-chart': CHART,
      'helm-release': 'web',
      environment: 'production',
      'github-token': gh.token,
      ...inputs
    },
    env: { ...emulatorJobEnv(gh, sha), PATH: pathWithHelm() },
    timeoutMs: 200_000
  })

const payloadOf = (id: number): Record<string, unknown> =>
  gh.state.deployments.find(d => d.id === id)!.payload as Record<string, unknown>

describe('helm through the bundles, recorded in GitHub Deployments', () => {
  test('v1, v2 recorded; the rollback action returns the release to v1’s revision', async () => {
    const v1 = await run('deploy-strategy', {
      strategy: 'rolling',
      version: 'v1',
      image: 'registry.example/web:v1'
    })
    expect(v1.annotations.errors).toEqual([])
    const v2 = await run('deploy-strategy', {
      strategy: 'rolling',
      version: 'v2',
      image: 'registry.example/web:v2'
    })
    expect(v2.annotations.errors).toEqual([])
    expect(deployedImage(k8s)).toBe('registry.example/web:v2')
    const recorded = payloadOf(Number(v2.outputs['deployment-id']))
    expect(recorded).toMatchObject({
      version: 'v2',
      strategy: 'rolling',
      helm_release: 'web',
      kubernetes_namespace: 'default',
      image: 'registry.example/web:v2',
      previous_revision: '1',
      previous_version: 'v1'
    })

    const back = await run('rollback', { version: 'v1' })
    expect(back.annotations.errors).toEqual([])
    expect(back.exitCode).toBe(0)
    expect(back.outputs['rolled-back-to']).toBe('v1')
    expect(deployedImage(k8s)).toBe('registry.example/web:v1')
    // The revision v2's record names as the one it replaced is the one the release went back to.
    expect(storedReleases(k8s).at(-1)).toMatchObject({
      revision: 3,
      status: 'deployed',
      description: `Rollback to ${String(recorded.previous_revision)}`
    })
    expect(JSON.stringify(gh.state.deployments)).not.toContain(k8s.token)
  })

  test('the rollback action returns to the revision v4’s record names, not to a later one claiming v4', async () => {
    const v4 = await run('deploy-strategy', {
      strategy: 'rolling',
      version: 'v4',
      image: 'registry.example/web:v4'
    })
    expect(v4.annotations.errors).toEqual([])
    const revision = payloadOf(Number(v4.outputs['deployment-id'])).helm_revision
    expect(revision).toBe(String(storedReleases(k8s).at(-1)!.revision))
    // A hand-made upgrade names v4 in its description but runs a hotfix image.
    await handMadeUpgrade(k8s, dir, 'hotfix', 'Slipway: v4')
    const v5 = await run('deploy-strategy', {
      strategy: 'rolling',
      version: 'v5',
      image: 'registry.example/web:v5'
    })
    expect(v5.annotations.errors).toEqual([])

    const back = await run('rollback', { version: 'v4' })
    expect(back.annotations.errors).toEqual([])
    expect(back.outputs['rolled-back-to']).toBe('v4')
    expect(storedReleases(k8s).at(-1)).toMatchObject({
      status: 'deployed',
      description: `Rollback to ${String(revision)}`
    })
    expect(deployedImage(k8s)).toBe('registry.example/web:v4')
  })
})
