// API faults in the middle of a deploy (the emulator answers 500 or 409 as the real API server
// would): the deploy fails, says which object was refused, and the Service still selects the
// version that served before.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { startKubernetesEmulator, type KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { APP, deploy, deploymentOf, serviceOf } from './helpers.js'

jest.setTimeout(120_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startKubernetesEmulator()
  const first = await deploy(k8s, {
    strategy: 'blue-green',
    version: 'v1',
    image: 'registry.example/web:v1'
  })
  expect(first.outcome.result.status).toBe('success')
})
afterAll(async () => {
  await k8s?.close()
})

describe('kubernetes API faults', () => {
  test('a 500 on the Service switch: traffic stays on the previous slot, the new one is scaled to 0', async () => {
    k8s.injectFault({
      type: 'status',
      code: 500,
      method: 'PATCH',
      path: `/api/v1/namespaces/default/services/${APP}`,
      message: 'etcdserver: request timed out'
    })
    const run = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v2',
      image: 'registry.example/web:v2'
    })
    expect(run.outcome.result.status).toBe('failure')
    expect(run.outcome.result.error).toContain('Service/web')
    expect(serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']).toBe('blue')
    expect(deploymentOf(k8s, `${APP}-green`)?.spec.replicas).toBe(0)
    expect(deploymentOf(k8s, `${APP}-blue`)?.spec.replicas).toBe(2)
  })

  test('a 409 conflict on applying the Deployment: refused before any traffic moves', async () => {
    const before = serviceOf(k8s, APP)?.spec.selector
    k8s.injectFault({
      type: 'status',
      code: 409,
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/default/deployments/${APP}-green`
    })
    const run = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v3',
      image: 'registry.example/web:v3'
    })
    expect(run.outcome.result.status).toBe('failure')
    expect(run.outcome.result.error).toMatch(/Deployment\/web-green refused \(409\)/)
    expect(serviceOf(k8s, APP)?.spec.selector).toEqual(before)
  })
})
