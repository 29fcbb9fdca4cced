// The deploy-strategy and rollback bundles, run as the runner runs them, with provider kubernetes
// against the Kubernetes API emulator and the GitHub emulator: what a pipeline records is what a
// later rollback reads, so the whole way from v1 to a failed v3 and back is one story here.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { runBundle, type BundleRun } from '../helpers/run-bundle.js'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { onRealCluster, startCluster, testNamespace } from './cluster.js'
import { emulatorJobEnv } from '../services/job-env.js'
import { APP, appManifests, deploymentOf, kubeconfigOf, manifestDir, serviceOf } from './helpers.js'

// A safety net for a busy machine: every wait ends on an event (a rollout, an exit) first.
jest.setTimeout(180_000)

const TOKEN = 'k8s-bundle-token-that-must-never-appear'

let k8s: KubernetesEmulator
let gh: Emulator
let sha: string
let manifests: string

beforeAll(async () => {
  k8s = await startCluster({ token: TOKEN })
  k8s.setPodBehaviour('registry.example/web:v3-never', 'never-ready')
  gh = await startEmulator()
  sha = gh.state.addCommit({ message: 'feat: the app' })
  manifests = manifestDir({ 'app.yaml': appManifests() })
})
afterAll(async () => {
  await gh?.close()
  await k8s?.close()
})

/** Inputs every job of this pipeline shares: the cluster, the manifests, the environment. */
const shared = (): Record<string, string> => ({
  provider: 'kubernetes',
  kubeconfig: kubeconfigOf(k8s),
  manifests,
  environment: 'production',
  'github-token': gh.token
})

const run = (action: string, inputs: Record<string, string>): Promise<BundleRun> =>
  runBundle(action, {
    inputs: { ...shared(), ...inputs },
    env: emulatorJobEnv(gh, sha),
    timeoutMs: 150_000
  })

const deployVersion = (version: string, image: string, extra: Record<string, string> = {}) =>
  run('deploy-strategy', {
    strategy: 'blue-green',
    version,
    image,
    'health-timeout': '60s',
    ...extra
  })

/**
 * Everything a run shows: outputs, summary, stdout (log and annotations) and stderr. The runner
 * consumes `::add-mask::` commands (they register the secret and are never printed): left out.
 */
const shown = (r: BundleRun): string =>
  [
    JSON.stringify(r.outputs),
    r.summary,
    r.stdout
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n'),
    r.stderr
  ].join('\n')

const slotOfService = (): string | undefined =>
  serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']

const payloadOf = (id: number): Record<string, unknown> => {
  const found = gh.state.deployments.find(d => d.id === id)
  expect(found).toBeDefined()
  return found!.payload as Record<string, unknown>
}

describe('kubernetes through the bundles, recorded in GitHub Deployments', () => {
  const ids: Record<string, number> = {}

  test('v1 then v2 blue-green: each Deployment record holds what a rollback needs', async () => {
    const v1 = await deployVersion('v1', 'registry.example/web:v1')
    expect(v1.annotations.errors).toEqual([])
    expect(v1.exitCode).toBe(0)
    const v2 = await deployVersion('v2', 'registry.example/web:v2')
    expect(v2.annotations.errors).toEqual([])
    expect(v2.exitCode).toBe(0)
    ids.v1 = Number(v1.outputs['deployment-id'])
    ids.v2 = Number(v2.outputs['deployment-id'])
    expect(ids.v2).toBeGreaterThan(ids.v1)

    expect(slotOfService()).toBe('green')
    expect(deploymentOf(k8s, `${APP}-green`)?.spec.template?.spec.containers[0].image).toBe(
      'registry.example/web:v2'
    )
    const payload = payloadOf(ids.v2)
    expect(payload).toMatchObject({
      version: 'v2',
      kubernetes_namespace: testNamespace(k8s),
      kubernetes_deployments: `${APP}-blue,${APP}-green`,
      kubernetes_services: `${APP},${APP}-preview`,
      image: 'registry.example/web:v2'
    })
    // The Deployment the version replaced, by the hash of its pod template: exact, not by name.
    expect(payload.previous_deployment).toBe(`${APP}-blue`)
    expect(payload.previous_template_hash).toMatch(/^[0-9a-f]{16}$/)
    expect(payload.previous_template_hash).toBe(
      deploymentOf(k8s, `${APP}-blue`)?.metadata.annotations?.['slipway.dev/template-hash']
    )
    // The first version replaced nothing.
    expect(payloadOf(ids.v1).previous_template_hash).toBeUndefined()
    expect(JSON.stringify(gh.state.deployments)).not.toContain(k8s.token)
    for (const r of [v1, v2]) expect(shown(r)).not.toContain(k8s.token)
  })

  test('a v3 that never becomes ready fails closed: the Service stays on v2, the pod explains', async () => {
    const v3 = await deployVersion('v3', 'registry.example/web:v3-never', {
      // A real cluster's readiness probe first fails some seconds in; the emulator's at once.
      'health-timeout': onRealCluster ? '45s' : '3s'
    })
    expect(v3.exitCode).toBe(1)
    expect(v3.outputs.status).toBe('failure')
    expect(slotOfService()).toBe('green')
    expect(deploymentOf(k8s, `${APP}-green`)?.metadata.annotations?.['slipway.dev/version']).toBe(
      'v2'
    )
    // The failing pod's events: its readiness probe, named in the summary.
    expect(v3.summary).toMatch(/Readiness probe failed|Unhealthy/)
    expect(v3.summary).toMatch(new RegExp(`${APP}-blue-[a-z0-9]+-[a-z0-9]+`))
    expect(shown(v3)).not.toContain(k8s.token)
    const id = Number(v3.outputs['deployment-id'])
    if (id) {
      const statuses = gh.state.deploymentStatuses(id).map(s => String(s.state))
      expect(statuses[0]).toBe('failure')
    }
  })

  test('rollback takes production back to v1 on its slot, with the recorded image', async () => {
    const back = await run('rollback', { version: 'v1', 'health-timeout': '60s' })
    expect(back.annotations.errors).toEqual([])
    expect(back.exitCode).toBe(0)
    expect(back.outputs['rolled-back-to']).toBe('v1')
    expect(slotOfService()).toBe('blue')
    const blue = deploymentOf(k8s, `${APP}-blue`)!
    expect(blue.spec.template?.spec.containers[0].image).toBe('registry.example/web:v1')
    expect((blue.spec.replicas ?? 0) > 0).toBe(true)
    expect(shown(back)).not.toContain(k8s.token)
    // The rollback is recorded too, with the image it ran.
    const latest = gh.state.deployments.reduce((a, b) => (Number(a.id) > Number(b.id) ? a : b))
    expect((latest.payload as Record<string, unknown>).image).toBe('registry.example/web:v1')
  })
})

describe('kubernetes bad input through the bundle: exit 1, an InputError, no write', () => {
  // Write requests (the emulator's log), and on any cluster the objects' resource versions.
  const writesSeen = () => ({
    requests: onRealCluster
      ? 0
      : k8s.requests.filter(r => !['GET', 'HEAD'].includes(r.method)).length,
    objects: (['Deployment', 'Service'] as const).flatMap(kind =>
      (
        k8s.list(kind, testNamespace(k8s)) as {
          metadata: { name: string; resourceVersion: string }
        }[]
      ).map(o => `${kind}/${o.metadata.name}@${o.metadata.resourceVersion}`)
    )
  })

  const refused = async (inputs: Record<string, string>, input: RegExp): Promise<string> => {
    const writes = writesSeen()
    const records = gh.state.deployments.length
    const r = await deployVersion('v9', 'registry.example/web:v9', inputs)
    expect(r.exitCode).toBe(1)
    const errors = r.annotations.errors.join('\n')
    expect(errors).toMatch(input)
    expect(writesSeen()).toEqual(writes)
    expect(gh.state.deployments.length).toBe(records)
    expect(shown(r)).not.toContain(k8s.token)
    return errors
  }

  test('a namespace that is not a DNS-1123 label', async () => {
    const errors = await refused({ namespace: 'Prod_Env' }, /namespace/)
    expect(errors).toContain('Prod_Env')
  })

  test('a context the kubeconfig does not have', async () => {
    const errors = await refused({ 'kube-context': 'staging' }, /kube-context/)
    expect(errors).toContain('staging')
  })

  test('a manifest failing the schema names the file, the object and the field', async () => {
    const dir = manifestDir({ 'app.yaml': appManifests().replace('replicas: 2', 'replicas: two') })
    const errors = await refused({ manifests: dir }, /manifests/)
    expect(errors).toContain(`${dir}/app.yaml`)
    expect(errors).toContain('Deployment/web')
    expect(errors).toContain('spec.replicas')
  })
})
