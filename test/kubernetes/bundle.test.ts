// The bundle loads the Kubernetes client library and the schema validators only when provider
// kubernetes runs: ncc puts them in chunk files the main index.js imports on demand. Loaded at
// start-up they cost time and, on Node >= 21, print the punycode DeprecationWarning in every
// action's log. Runs the deploy-strategy bundle in dist/, as the other bundle tests do.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { repoRoot, runBundle } from '../helpers/run-bundle.js'
import { startKubernetesEmulator, type KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { appManifests, kubeconfigOf, manifestDir, writes } from './helpers.js'

jest.setTimeout(60_000)

const bundleDir = join(repoRoot, 'dist', 'deploy-strategy')

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startKubernetesEmulator()
})
afterAll(async () => {
  await k8s?.close()
})

describe('kubernetes in the deploy-strategy bundle', () => {
  test('the main index.js carries neither library: they are chunks', () => {
    const main = readFileSync(join(bundleDir, 'index.js'), 'utf8')
    const chunks = readdirSync(bundleDir)
      .filter(name => /^\d+\.index\.js$/.test(name))
      .map(name => readFileSync(join(bundleDir, name), 'utf8'))
    // The client library's KubeConfig class and a validator of kubernetes-models.
    for (const marker of ['class KubeConfig', 'IoK8sApiAppsV1Deployment']) {
      expect(main).not.toContain(marker)
      expect(chunks.some(chunk => chunk.includes(marker))).toBe(true)
    }
  })

  test('a run of another provider prints no DeprecationWarning', async () => {
    const run = await runBundle('deploy-strategy', {
      inputs: {
        strategy: 'blue-green',
        version: '1.0.0',
        environment: 'staging',
        'record-deployment': false,
        'dry-run': true,
        'current-command': 'true',
        'prepare-command': 'true',
        'route-command': 'true',
        'health-command': 'true'
      }
    })
    expect(run.annotations.errors).toEqual([])
    expect(run.outputs.status).toBe('dry-run')
    expect(run.stderr).not.toContain('DeprecationWarning')
  })

  test('provider kubernetes loads its chunks and plans against the cluster', async () => {
    const run = await runBundle('deploy-strategy', {
      inputs: {
        provider: 'kubernetes',
        strategy: 'blue-green',
        version: '1.0.0',
        environment: 'staging',
        'record-deployment': false,
        'dry-run': true,
        kubeconfig: kubeconfigOf(k8s),
        manifests: manifestDir({ 'app.yaml': appManifests() }),
        image: 'registry.example/web:v1'
      }
    })
    expect(run.annotations.errors).toEqual([])
    expect(run.outputs.status).toBe('dry-run')
    // The plan was made from what the cluster answered: the client library ran.
    expect(k8s.requests.length).toBeGreaterThan(0)
    // Only server-side dry runs (dryRun=All), which the API server checks and never stores.
    const dryRuns = writes(k8s).filter(
      r => (r as { query: { dryRun?: string } }).query.dryRun === 'All'
    )
    expect(dryRuns.length).toBeGreaterThan(0)
    expect(writes(k8s)).toEqual(dryRuns)
  })
})
