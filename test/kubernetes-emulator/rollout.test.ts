import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { startKubernetesEmulator, type KubernetesEmulator } from './index.js'
import { clients, deployment, record } from './test-helpers.js'

let emulator: KubernetesEmulator
beforeEach(async () => {
  emulator = await startKubernetesEmulator()
})
afterEach(async () => {
  await emulator.close()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

test('an applied Deployment rolls out, then rolls to a new image through a new ReplicaSet', async () => {
  const { apply, apps } = clients(emulator)
  await apply(deployment('web', 'registry.test/web:1.0.0'))
  await emulator.settled()
  let d = (await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })) as Any
  expect(d.status.observedGeneration).toBe(1)
  expect(d.status).toMatchObject({
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3
  })
  expect(d.status.conditions.find((c: Any) => c.type === 'Progressing').reason).toBe(
    'NewReplicaSetAvailable'
  )

  // Record the status progression the client sees while the rollout runs.
  const watch = await record(emulator, '/apis/apps/v1/namespaces/default/deployments')
  await apply(deployment('web', 'registry.test/web:2.0.0'))
  await emulator.settled()
  await watch.caughtUp(
    (emulator.get('Deployment', 'default', 'web') as Any).metadata.resourceVersion
  )
  watch.stop()
  const seen = new Set(
    watch.events.map(
      e => e.object.status?.conditions?.find((c: Any) => c.type === 'Progressing')?.reason
    )
  )
  d = (await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })) as Any
  expect(d.metadata.generation).toBe(2)
  expect(d.status.observedGeneration).toBe(2)
  expect(d.status).toMatchObject({
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3
  })
  expect(d.status.conditions.find((c: Any) => c.type === 'Progressing')).toMatchObject({
    status: 'True',
    reason: 'NewReplicaSetAvailable'
  })
  expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2')
  expect(seen.has('ReplicaSetUpdated')).toBe(true)

  const rs = (
    await apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=web' })
  ).items
  expect(rs).toHaveLength(2)
  const byImage = Object.fromEntries(
    rs.map(r => [r.spec!.template!.spec!.containers[0].image, r.spec!.replicas])
  )
  expect(byImage).toEqual({ 'registry.test/web:1.0.0': 0, 'registry.test/web:2.0.0': 3 })
  const pods = emulator.list('Pod', 'default', 'app=web') as Any[]
  expect(pods).toHaveLength(3)
  expect(pods.every(p => p.spec.containers[0].image === 'registry.test/web:2.0.0')).toBe(true)
})

test('maxSurge and maxUnavailable bound the pods during a rolling update', async () => {
  const { apply } = clients(emulator)
  await apply(deployment('web', 'web:1', { replicas: 4, maxSurge: 1, maxUnavailable: 0 }))
  await emulator.settled()
  const pods = await record(emulator, '/api/v1/namespaces/default/pods')
  const deployments = await record(emulator, '/apis/apps/v1/namespaces/default/deployments')
  await apply(deployment('web', 'web:2', { replicas: 4, maxSurge: 1, maxUnavailable: 0 }))
  await emulator.settled()
  const final = emulator.get('Deployment', 'default', 'web') as Any
  await deployments.caughtUp(final.metadata.resourceVersion)
  const lastPod = (emulator.list('Pod', 'default') as Any[])
    .map(p => Number(p.metadata.resourceVersion))
    .sort((a, b) => b - a)[0]
  await pods.caughtUp(String(lastPod))
  pods.stop()
  deployments.stop()
  // Pods alive at each point of the rollout, replayed from the watch.
  const alive = new Set<string>()
  let maxPods = 0
  for (const e of pods.events) {
    if (e.type === 'DELETED') alive.delete(e.object.metadata.name)
    else alive.add(e.object.metadata.name)
    maxPods = Math.max(maxPods, alive.size)
  }
  const availability = deployments.events.map(e => e.object.status?.availableReplicas ?? 0)
  const minAvailable = Math.min(...availability)
  expect(maxPods).toBeLessThanOrEqual(5)
  expect(maxPods).toBe(5)
  expect(minAvailable).toBeGreaterThanOrEqual(4)
  expect(final.status.updatedReplicas).toBe(4)
})

test('scaling to 0 keeps the ReplicaSet and deletes the pods', async () => {
  const { apply, apps } = clients(emulator)
  await apply(deployment('web', 'web:1', { replicas: 2 }))
  await emulator.settled()
  await apps.patchNamespacedDeploymentScale(
    { name: 'web', namespace: 'default', body: { spec: { replicas: 0 } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
  )
  await emulator.settled()
  const rs = (
    await apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=web' })
  ).items
  expect(rs).toHaveLength(1)
  expect(rs[0].spec!.replicas).toBe(0)
  expect(emulator.list('Pod', 'default', 'app=web')).toHaveLength(0)
  const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' })
  expect(scale.spec!.replicas).toBe(0)
})

test('rolling back to an earlier template reuses its ReplicaSet as the newest revision', async () => {
  const { apply } = clients(emulator)
  await apply(deployment('web', 'web:1', { replicas: 2 }))
  await emulator.settled()
  const first = (emulator.list('ReplicaSet', 'default', 'app=web') as Any[])[0].metadata.name
  await apply(deployment('web', 'web:2', { replicas: 2 }))
  await emulator.settled()
  await apply(deployment('web', 'web:1', { replicas: 2 }))
  await emulator.settled()
  const sets = emulator.list('ReplicaSet', 'default', 'app=web') as Any[]
  expect(sets).toHaveLength(2)
  const back = sets.find(rs => rs.metadata.name === first)
  expect(back.spec.replicas).toBe(2)
  expect(back.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3')
  const d = emulator.get('Deployment', 'default', 'web') as Any
  expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3')
  expect(d.status.conditions.find((c: Any) => c.type === 'Progressing').reason).toBe(
    'NewReplicaSetAvailable'
  )
})

test('the Recreate strategy removes every old pod before the new ones start', async () => {
  const { apply } = clients(emulator)
  const recreate = (image: string) => {
    const d = deployment('job', image, { replicas: 2 }) as Any
    d.spec.strategy = { type: 'Recreate' }
    return d
  }
  await apply(recreate('job:1'))
  await emulator.settled()
  const pods = await record(emulator, '/api/v1/namespaces/default/pods')
  await apply(recreate('job:2'))
  await emulator.settled()
  const last = (emulator.list('Pod', 'default') as Any[])
    .map(p => Number(p.metadata.resourceVersion))
    .sort((a, b) => b - a)[0]
  await pods.caughtUp(String(last))
  pods.stop()
  const alive = new Map<string, string>()
  for (const e of pods.events) {
    if (e.type === 'DELETED') alive.delete(e.object.metadata.name)
    else alive.set(e.object.metadata.name, e.object.spec.containers[0].image)
    // Never old and new side by side.
    expect(new Set(alive.values()).size).toBeLessThanOrEqual(1)
  }
  expect([...alive.values()]).toEqual(['job:2', 'job:2'])
})
