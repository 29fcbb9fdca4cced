import { decodeFields, encodeFields, fieldsOf, serverSideApply } from './fields.js'
import { templateHash } from './controllers.js'
import { startKubernetesEmulator } from './index.js'
import { jsonPatch, strategicMergePatch } from './patch.js'
import { matchesLabelSelector } from './selectors.js'
import { clients, deployment } from './test-helpers.js'
import type { KubeObject } from './types.js'
import { validateObject } from './validation.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

test('label selectors: equality, inequality, sets and existence', () => {
  const labels = { app: 'web', slot: 'blue', tier: 'front' }
  expect(matchesLabelSelector(labels, 'app=web,slot==blue')).toBe(true)
  expect(matchesLabelSelector(labels, 'app=web,slot!=blue')).toBe(false)
  expect(matchesLabelSelector(labels, 'slot in (blue, green),!canary')).toBe(true)
  expect(matchesLabelSelector(labels, 'slot notin (blue)')).toBe(false)
  expect(matchesLabelSelector(labels, 'tier')).toBe(true)
})

test('strategic merge patch merges containers by name; JSON patch follows RFC 6902', () => {
  const base = {
    spec: {
      containers: [
        { name: 'app', image: 'a:1' },
        { name: 'sidecar', image: 's:1' }
      ]
    }
  }
  const patched = strategicMergePatch(base, {
    spec: { containers: [{ name: 'app', image: 'a:2' }] }
  }) as Any
  expect(patched.spec.containers).toEqual([
    { name: 'app', image: 'a:2' },
    { name: 'sidecar', image: 's:1' }
  ])
  const deleted = strategicMergePatch(base, {
    spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] }
  }) as Any
  expect(deleted.spec.containers.map((c: Any) => c.name)).toEqual(['app'])
  const json = jsonPatch(base, [
    { op: 'replace', path: '/spec/containers/0/image', value: 'a:3' },
    { op: 'add', path: '/spec/replicas', value: 2 }
  ]) as Any
  expect(json.spec).toMatchObject({ replicas: 2, containers: [{ image: 'a:3' }, { image: 's:1' }] })
  expect(() =>
    jsonPatch(base, [{ op: 'test', path: '/spec/containers/0/image', value: 'x' }])
  ).toThrow(/test failed/)
})

test('field sets encode as FieldsV1 with keyed list items and decode back', () => {
  const d = deployment('web', 'web:1') as unknown as KubeObject
  const fields = fieldsOf(d)
  const encoded = encodeFields(fields) as Any
  const container = encoded['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}']
  expect(container['.']).toEqual({})
  expect(container['f:image']).toEqual({})
  expect(encoded['f:metadata']['f:name']).toBeUndefined()
  expect(decodeFields(encoded)).toEqual(fields)
  const owned = serverSideApply(undefined, d, 'slipway', false, '2026-01-01T00:00:00Z')
  expect('object' in owned && owned.object.metadata.managedFields?.[0]).toMatchObject({
    manager: 'slipway',
    operation: 'Apply',
    fieldsType: 'FieldsV1'
  })
})

test('the pod-template-hash depends on the template only, not on key order', () => {
  const a = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'web:1' }] }
  }
  const b = {
    spec: { containers: [{ image: 'web:1', name: 'app' }] },
    metadata: { labels: { app: 'web' } }
  }
  expect(templateHash(a)).toBe(templateHash(b))
  expect(templateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/)
  expect(templateHash({ ...a, spec: { containers: [{ name: 'app', image: 'web:2' }] } })).not.toBe(
    templateHash(a)
  )
})

test('semantic validation: selector must match the template labels; maxSurge and maxUnavailable not both 0', () => {
  const d = deployment('web', 'web:1', { maxSurge: 0, maxUnavailable: 0 }) as Any
  d.spec.template.metadata.labels = { app: 'other' }
  const fields = validateObject(d).map(c => c.field)
  expect(fields).toEqual([
    'spec.template.metadata.labels',
    'spec.strategy.rollingUpdate.maxUnavailable'
  ])
})

test('an answer that breaks the published schema is caught and fails close()', async () => {
  const emulator = await startKubernetesEmulator()
  const { apply } = clients(emulator)
  await apply(deployment('web', 'web:1', { replicas: 1 }))
  emulator.corruptNextResponse(body => ({
    ...(body as Any),
    spec: { ...(body as Any).spec, replicas: 'one' }
  }))
  await clients(emulator).apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })
  expect(emulator.responseProblems).toHaveLength(1)
  expect(emulator.responseProblems[0].causes[0].field).toBe('spec.replicas')
  await expect(emulator.close()).rejects.toThrow(/answered 1 invalid object/)
})

test('an apply carrying a stale resourceVersion is refused with 409', async () => {
  const emulator = await startKubernetesEmulator()
  try {
    const { apply } = clients(emulator)
    await apply(deployment('web', 'web:1', { replicas: 1 }))
    const stale = {
      ...deployment('web', 'web:2', { replicas: 1 }),
      metadata: { name: 'web', namespace: 'default', resourceVersion: '1' }
    }
    await expect(apply(stale)).rejects.toMatchObject({ code: 409 })
  } finally {
    await emulator.close()
  }
})
