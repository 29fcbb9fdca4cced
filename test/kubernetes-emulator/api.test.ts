import {
  ApiException,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch
} from '@kubernetes/client-node'
import { startKubernetesEmulator, type KubernetesEmulator } from './index.js'
import { clients, deployment, record } from './test-helpers.js'

let emulator: KubernetesEmulator
beforeEach(async () => {
  emulator = await startKubernetesEmulator({ namespaces: ['default', 'prod'] })
})
afterEach(async () => {
  await emulator.close()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

async function failure(promise: Promise<unknown>): Promise<{ code: number; body: Any }> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiException)
      return {
        code: error.code,
        body: typeof error.body === 'string' ? JSON.parse(error.body) : error.body
      }
    throw error
  }
  throw new Error('the request succeeded')
}

function service(name: string, selector: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }
  }
}

test('a Service selector switches from blue to green with a server-side apply', async () => {
  const { apply, core } = clients(emulator)
  await apply(service('web', { app: 'web', slot: 'blue' }))
  const before = await core.readNamespacedService({ name: 'web', namespace: 'default' })
  expect(before.spec!.clusterIP).toMatch(/^10\.96\./)
  expect(before.spec!.type).toBe('ClusterIP')
  await apply(service('web', { app: 'web', slot: 'green' }))
  const after = await core.readNamespacedService({ name: 'web', namespace: 'default' })
  expect(after.spec!.selector).toEqual({ app: 'web', slot: 'green' })
  expect(after.spec!.clusterIP).toBe(before.spec!.clusterIP)
  expect(Number(after.metadata!.resourceVersion)).toBeGreaterThan(
    Number(before.metadata!.resourceVersion)
  )
  expect(after.metadata!.managedFields!.map(m => m.manager)).toEqual(['slipway'])
  // A merge patch of the selector works too, and the manager becomes a co-owner.
  await core.patchNamespacedService(
    {
      name: 'web',
      namespace: 'default',
      body: { spec: { selector: { slot: 'blue' } } },
      fieldManager: 'operator'
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
  )
  const patched = emulator.get('Service', 'default', 'web') as Any
  expect(patched.spec.selector).toEqual({ app: 'web', slot: 'blue' })
  expect(patched.metadata.managedFields.map((m: Any) => m.manager).sort()).toEqual([
    'operator',
    'slipway'
  ])
})

test('HTTPRoute weights are applied and read back through the custom objects API', async () => {
  const { apply, custom } = clients(emulator)
  const route = (stable: number, canary: number) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      parentRefs: [{ name: 'public' }],
      rules: [
        {
          backendRefs: [
            { name: 'web-stable', port: 80, weight: stable },
            { name: 'web-canary', port: 80, weight: canary }
          ]
        }
      ]
    }
  })
  await apply(route(90, 10))
  await apply(route(50, 50))
  const live = (await custom.getNamespacedCustomObject({
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespace: 'default',
    plural: 'httproutes',
    name: 'web'
  })) as Any
  expect(live.spec.rules[0].backendRefs.map((b: Any) => [b.name, b.weight])).toEqual([
    ['web-stable', 50],
    ['web-canary', 50]
  ])
  expect(live.metadata.generation).toBe(2)
  expect(live.spec.parentRefs[0]).toMatchObject({
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway'
  })
  const invalid = await failure(
    apply({ ...route(1, 1), spec: { rules: [{ backendRefs: [{ name: 'web', weight: -1 }] }] } })
  )
  expect(invalid.code).toBe(422)
  expect(invalid.body.details.causes[0].field).toBe('spec.rules[0].backendRefs[0].weight')
})

test('a watch streams events, resumes from a resourceVersion and ends when the server drops it', async () => {
  const { apply } = clients(emulator)
  const watch = await record(emulator, '/api/v1/namespaces/default/services')
  await apply(service('a', { app: 'a' }))
  await apply(service('a', { app: 'a2' }))
  const b = (await apply(service('b', { app: 'b' }))) as Any
  await watch.caughtUp(b.metadata.resourceVersion)
  expect(watch.events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
    'ADDED a',
    'MODIFIED a',
    'ADDED b'
  ])
  watch.stop()

  // Resume after the first event: the rest is replayed.
  const first = watch.events[0].object.metadata.resourceVersion
  const resumed = await record(emulator, '/api/v1/namespaces/default/services', {
    resourceVersion: first
  })
  await resumed.caughtUp(b.metadata.resourceVersion)
  expect(resumed.events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
    'MODIFIED a',
    'ADDED b'
  ])
  resumed.stop()

  // A dropped watch ends the stream: the client's done callback runs.
  emulator.injectFault({
    type: 'drop-watch',
    path: '/api/v1/namespaces/default/services',
    afterEvents: 1
  })
  const kc = new KubeConfig()
  kc.loadFromString(emulator.kubeconfig())
  const received: string[] = []
  const ended = new Promise<unknown>(resolve => {
    void new Watch(kc).watch(
      '/api/v1/namespaces/default/services',
      {},
      (type, o) => received.push(`${type} ${o.metadata.name}`),
      resolve
    )
  })
  expect(await ended).toBeNull()
  expect(received).toEqual(['ADDED a'])
})

test('apply by another field manager conflicts without force and takes over with it', async () => {
  const { apply, apps } = clients(emulator)
  await apply(deployment('web', 'web:1', { replicas: 2 }))
  const d = deployment('web', 'web:1', { replicas: 5 })
  const conflict = await failure(apply(d, 'kubectl', false))
  expect(conflict.code).toBe(409)
  expect(conflict.body.reason).toBe('Conflict')
  expect(conflict.body.message).toMatch(/conflict with "slipway"/)
  expect(conflict.body.details.causes).toEqual([
    {
      type: 'FieldManagerConflict',
      message: 'conflict with "slipway" using apps/v1',
      field: '.spec.replicas'
    }
  ])
  expect(
    ((await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })) as Any).spec
      .replicas
  ).toBe(2)
  // The same value is shared ownership, not a conflict.
  await apply(deployment('web', 'web:1', { replicas: 2 }), 'kubectl', false)
  await apply(d, 'kubectl', true)
  const live = (await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })) as Any
  expect(live.spec.replicas).toBe(5)
  const slipway = live.metadata.managedFields.find((m: Any) => m.manager === 'slipway')
  expect(slipway.fieldsV1['f:spec']['f:replicas']).toBeUndefined()
  // Without a field manager, an apply is refused.
  const objects = clients(emulator).objects
  const missing = await failure(
    objects.patch(d, undefined, undefined, undefined, true, PatchStrategy.ServerSideApply)
  )
  expect(missing.code).toBe(422)
})

test('a field an applier stops sending is removed from the object', async () => {
  const { apply } = clients(emulator)
  const withLabel = deployment('web', 'web:1')
  ;(withLabel.metadata.labels as Record<string, string>).tier = 'front'
  await apply(withLabel)
  expect((emulator.get('Deployment', 'default', 'web') as Any).metadata.labels.tier).toBe('front')
  await apply(deployment('web', 'web:1'))
  expect((emulator.get('Deployment', 'default', 'web') as Any).metadata.labels.tier).toBeUndefined()
})

test('an invalid object is refused with 422 naming the field, and nothing is stored', async () => {
  const { apply, apps } = clients(emulator)
  const bad = deployment('web', 'web:1') as Any
  bad.spec.template.spec.containers[0].image = ''
  const refused = await failure(apply(bad))
  expect(refused.code).toBe(422)
  expect(refused.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid' })
  expect(refused.body.message).toContain('spec.template.spec.containers[0].image: Required value')
  expect(refused.body.details.causes[0]).toMatchObject({
    type: 'FieldValueRequired',
    field: 'spec.template.spec.containers[0].image'
  })
  expect(emulator.get('Deployment', 'default', 'web')).toBeUndefined()

  const typed = deployment('web', 'web:1') as Any
  typed.spec.replicas = 'three'
  const wrongType = await failure(
    apps.createNamespacedDeployment({ namespace: 'default', body: typed })
  )
  expect(wrongType.code).toBe(422)
  expect(wrongType.body.details.causes[0].field).toBe('spec.replicas')

  const badName = await failure(
    apply({ ...deployment('web_1', 'web:1'), metadata: { name: 'web_1', namespace: 'default' } })
  )
  expect(badName.code).toBe(422)
  expect(badName.body.details.causes[0].field).toBe('metadata.name')
  const recorded = emulator.requests.filter(r => r.status === 422)
  expect(recorded.map(r => r.validation[0]?.field)).toEqual([
    'spec.template.spec.containers[0].image',
    'spec.replicas',
    'metadata.name'
  ])
})

test('injected faults answer with the Status the API server would send, then clear', async () => {
  const { apps, apply } = clients(emulator)
  await apply(deployment('web', 'web:1', { replicas: 1 }))
  emulator.injectFault({ type: 'status', code: 500, method: 'GET', path: /\/deployments\/web$/ })
  const error = await failure(apps.readNamespacedDeployment({ name: 'web', namespace: 'default' }))
  expect(error.code).toBe(500)
  expect(error.body).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 })
  await expect(
    apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })
  ).resolves.toBeDefined()

  emulator.injectFault({ type: 'status', code: 409, method: 'PATCH', times: 2 })
  expect((await failure(apply(deployment('web', 'web:2', { replicas: 1 })))).code).toBe(409)
  expect((await failure(apply(deployment('web', 'web:2', { replicas: 1 })))).code).toBe(409)
  await apply(deployment('web', 'web:2', { replicas: 1 }))
  emulator.injectFault({ type: 'status', code: 422, method: 'PATCH' })
  expect((await failure(apply(deployment('web', 'web:3', { replicas: 1 })))).body.reason).toBe(
    'Invalid'
  )
  expect(emulator.requests.filter(r => r.fault).map(r => r.status)).toEqual([500, 409, 409, 422])
})

test('reads answer 404 Status objects, stale updates 409, and wrong tokens 401', async () => {
  const { apps, core } = clients(emulator)
  const missing = await failure(
    apps.readNamespacedDeployment({ name: 'nope', namespace: 'default' })
  )
  expect(missing.code).toBe(404)
  expect(missing.body).toMatchObject({
    reason: 'NotFound',
    message: 'deployments.apps "nope" not found',
    details: { name: 'nope', kind: 'deployments', group: 'apps' }
  })
  const inProd = {
    ...deployment('web', 'web:1'),
    metadata: { name: 'web', namespace: 'prod' }
  } as Any
  const wrongNamespace = await failure(
    apps.createNamespacedDeployment({ namespace: 'prod', body: deployment('web', 'web:1') as Any })
  )
  expect(wrongNamespace.code).toBe(400)
  const created = await apps.createNamespacedDeployment({ namespace: 'prod', body: inProd })
  const stale = { ...created, metadata: { ...created.metadata, resourceVersion: '1' } }
  expect(
    (
      await failure(
        apps.replaceNamespacedDeployment({ name: 'web', namespace: 'prod', body: stale })
      )
    ).code
  ).toBe(409)
  expect(
    (await failure(apps.createNamespacedDeployment({ namespace: 'prod', body: inProd }))).body
      .reason
  ).toBe('AlreadyExists')
  const ns = await core.readNamespace({ name: 'prod' })
  expect(ns.status!.phase).toBe('Active')
  const kc = new KubeConfig()
  kc.loadFromString(emulator.kubeconfig().replace(emulator.token, 'wrong'))
  const { CoreV1Api } = await import('@kubernetes/client-node')
  expect(
    (await failure(kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' }))).code
  ).toBe(401)
})

test('the kubeconfig has one context per name, the first current', () => {
  const kc = new KubeConfig()
  kc.loadFromString(emulator.kubeconfig({ contexts: ['staging', 'production'], namespace: 'prod' }))
  expect(kc.getContexts().map(c => c.name)).toEqual(['staging', 'production'])
  expect(kc.getCurrentContext()).toBe('staging')
  expect(kc.getContextObject('production')!.namespace).toBe('prod')
  expect(kc.getCurrentUser()!.token).toBe(emulator.token)
})

test('a server-side dry run answers the object that would be stored and stores nothing', async () => {
  const { objects, apply } = clients(emulator)
  const preview = (await objects.patch(
    deployment('web', 'web:1') as Any,
    undefined,
    'All',
    'slipway',
    true,
    PatchStrategy.ServerSideApply
  )) as Any
  expect(preview.spec.template.spec.containers[0].image).toBe('web:1')
  expect(preview.spec.progressDeadlineSeconds).toBe(600)
  expect(emulator.get('Deployment', 'default', 'web')).toBeUndefined()
  await apply(deployment('web', 'web:1'))
  const before = emulator.get('Deployment', 'default', 'web') as Any
  const bad = deployment('web', 'web:2') as Any
  bad.spec.replicas = -1
  expect(
    (
      await failure(
        objects.patch(bad, undefined, 'All', 'slipway', true, PatchStrategy.ServerSideApply)
      )
    ).code
  ).toBe(422)
  const after = emulator.get('Deployment', 'default', 'web') as Any
  expect(after.metadata.generation).toBe(before.metadata.generation)
  expect(after.spec).toEqual(before.spec)
  const applies = emulator.requests.filter(r => r.method === 'PATCH')
  expect(
    applies.every(
      r => r.contentType === 'application/apply-patch+yaml' && r.query.fieldManager === 'slipway'
    )
  ).toBe(true)
  expect(applies.map(r => r.query.dryRun ?? '')).toEqual(['All', '', 'All'])
})
