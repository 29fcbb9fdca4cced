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

function progressing(d: Any): Any {
  return d.status?.conditions?.find((c: Any) => c.type === 'Progressing')
}

test('pods that never become ready end the rollout with ProgressDeadlineExceeded, the old pods serving', async () => {
  const { apply, apps } = clients(emulator)
  await apply(deployment('web', 'web:1', { replicas: 2, progressDeadlineSeconds: 120 }))
  await emulator.settled()
  emulator.setPodBehaviour('web:2', 'never-ready')
  const started = emulator.now()
  await apply(deployment('web', 'web:2', { replicas: 2, progressDeadlineSeconds: 120 }))
  await emulator.settled()
  const d = (await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })) as Any
  expect(progressing(d)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' })
  expect(progressing(d).message).toMatch(/has timed out progressing/)
  // The deadline was honoured on the emulator's clock, not skipped.
  expect(emulator.now() - started).toBeGreaterThanOrEqual(120_000)
  expect(d.status.availableReplicas).toBe(2)
  expect(d.status.updatedReplicas).toBe(1)
  expect(d.status.unavailableReplicas).toBe(1)
  const pods = emulator.list('Pod', 'default', 'app=web') as Any[]
  const fresh = pods.filter(p => p.spec.containers[0].image === 'web:2')
  expect(fresh).toHaveLength(1)
  expect(fresh[0].status.phase).toBe('Running')
  expect(fresh[0].status.conditions.find((c: Any) => c.type === 'Ready').status).toBe('False')
  const events = (
    await clients(emulator).core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: `involvedObject.name=${fresh[0].metadata.name}`
    })
  ).items
  expect(events.map(e => e.reason)).toContain('Unhealthy')
})

test('a crash-looping pod shows CrashLoopBackOff, restarts, BackOff events and its log lines', async () => {
  const { apply, core } = clients(emulator)
  emulator.setPodBehaviour(/:broken$/, 'crash-loop')
  await apply(
    deployment('api', 'registry.test/api:broken', { replicas: 1, progressDeadlineSeconds: 60 })
  )
  await emulator.settled()
  const pods = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=api' }))
    .items
  expect(pods).toHaveLength(1)
  const pod = pods[0] as Any
  const status = pod.status.containerStatuses[0]
  expect(status.state.waiting.reason).toBe('CrashLoopBackOff')
  expect(status.restartCount).toBeGreaterThanOrEqual(1)
  expect(status.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' })
  const events = (
    await core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: `involvedObject.name=${pod.metadata.name}`
    })
  ).items
  const backOff = events.find(e => e.reason === 'BackOff')
  expect(backOff?.type).toBe('Warning')
  expect(backOff?.count).toBeGreaterThanOrEqual(1)
  const log = await core.readNamespacedPodLog({
    name: pod.metadata.name,
    namespace: 'default',
    container: 'app',
    previous: true,
    tailLines: 1
  })
  expect(log).toBe('exiting with status 1\n')
  const deployment_ = emulator.get('Deployment', 'default', 'api') as Any
  expect(progressing(deployment_).reason).toBe('ProgressDeadlineExceeded')
})

test('readyAfterChecks makes pods ready after that many probe periods', async () => {
  const { apply } = clients(emulator)
  emulator.setPodBehaviour('slow:1', { readyAfterChecks: 5 })
  const started = emulator.now()
  await apply(deployment('slow', 'slow:1', { replicas: 1 }))
  await emulator.settled()
  const d = emulator.get('Deployment', 'default', 'slow') as Any
  expect(progressing(d).reason).toBe('NewReplicaSetAvailable')
  expect(emulator.now() - started).toBeGreaterThanOrEqual(4_000)
})

test('fail-after-ready pods complete the rollout, then crash', async () => {
  const { apply } = clients(emulator)
  emulator.setPodBehaviour('flaky:1', 'fail-after-ready')
  const watch = await record(emulator, '/apis/apps/v1/namespaces/default/deployments')
  await apply(deployment('flaky', 'flaky:1', { replicas: 1 }))
  await emulator.settled()
  await watch.caughtUp(
    (emulator.get('Deployment', 'default', 'flaky') as Any).metadata.resourceVersion
  )
  watch.stop()
  const reasons = watch.events.map(e => progressing(e.object)?.reason)
  expect(reasons).toContain('NewReplicaSetAvailable')
  const pod = (emulator.list('Pod', 'default', 'app=flaky') as Any[])[0]
  expect(pod.status.containerStatuses[0].restartCount).toBeGreaterThanOrEqual(1)
  const d = emulator.get('Deployment', 'default', 'flaky') as Any
  expect(d.status.availableReplicas ?? 0).toBe(0)
  expect(d.status.conditions.find((c: Any) => c.type === 'Available').status).toBe('False')
})

test('a stalled rollout never progresses', async () => {
  const { apply } = clients(emulator)
  emulator.injectFault({ type: 'stall-rollout', deployment: 'stuck' })
  await apply(deployment('stuck', 'stuck:1', { replicas: 1 }))
  await emulator.settled()
  expect(emulator.list('ReplicaSet', 'default')).toHaveLength(0)
  expect((emulator.get('Deployment', 'default', 'stuck') as Any).status).toBeUndefined()
})
