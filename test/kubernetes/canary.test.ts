// The kubernetes provider's canary against the emulator: stable and canary Deployments behind the
// app's Service at a replica ratio, or exact weights in an HTTPRoute's backendRefs; an analysis
// that fails sends all traffic back to stable and scales the canary to 0.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { startCluster, testNamespace } from './cluster.js'
import { APP, deploy, deploymentOf, kubeconfigOf, serviceOf } from './helpers.js'

jest.setTimeout(120_000)

let k8s: KubernetesEmulator
/** The canary's analysis endpoint: answers 500 while `failing` is set. */
let analysis: Server
let failing = false
let analysisUrl = ''
beforeAll(async () => {
  k8s = await startCluster()
  analysis = createServer((_req, res) => {
    res.statusCode = failing ? 500 : 200
    res.end('ok')
  })
  await new Promise<void>(resolve => analysis.listen(0, '127.0.0.1', resolve))
  analysisUrl = `http://127.0.0.1:${(analysis.address() as AddressInfo).port}/`
})
afterAll(async () => {
  await k8s?.close()
  await new Promise(resolve => analysis?.close(resolve))
})

const canaryDeploy = (version: string, extra: Parameters<typeof deploy>[1]['kubernetes'] = {}) =>
  deploy(k8s, {
    strategy: 'canary',
    version,
    image: `registry.example/web:${version}`,
    deploy: {
      steps: '25,100',
      intervalMs: 100,
      analysisUrl,
      analysisRequests: 3,
      consecutiveSuccesses: 1,
      maxErrorRate: '0'
    },
    kubernetes: { replicas: 4, ...extra }
  })

describe('kubernetes canary behind the Service', () => {
  test('v1, then v2 through 25% (replica ratio) to 100%', async () => {
    expect((await canaryDeploy('v1')).outcome.result.status).toBe('success')
    const run = await canaryDeploy('v2')
    expect(run.outcome.result.status).toBe('success')
    // The 25% step selected both slots with the replicas at 1:3.
    const ratio = run.log.find(l => l.includes('selects both slots'))
    expect(ratio).toMatch(/blue 3 replicas, green 1 replicas|green 1 replicas, blue 3 replicas/)
    expect(serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']).toBe('green')
    expect(deploymentOf(k8s, `${APP}-green`)?.spec.replicas).toBe(4)
  })

  test('an analysis that fails: all traffic back to stable, the canary scaled to 0', async () => {
    failing = true
    try {
      const run = await canaryDeploy('v3')
      expect(run.outcome.result.status).toBe('failure')
      expect(serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']).toBe('green')
      expect(deploymentOf(k8s, `${APP}-green`)?.spec.replicas).toBe(4)
      expect(deploymentOf(k8s, `${APP}-blue`)?.spec.replicas).toBe(0)
      expect(deploymentOf(k8s, `${APP}-blue`)?.metadata.annotations?.['slipway.dev/version']).toBe(
        'v3'
      )
    } finally {
      failing = false
    }
  })
})

describe('kubernetes canary through a Gateway API HTTPRoute', () => {
  const route = 'web-route'
  beforeAll(async () => {
    const kc = new KubeConfig()
    kc.loadFromString(kubeconfigOf(k8s))
    await KubernetesObjectApi.makeApiClient(kc).create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: route, namespace: testNamespace(k8s) },
      spec: {
        parentRefs: [{ name: 'gateway' }],
        // As the Service tests left it: green (v2) serves.
        rules: [
          {
            backendRefs: [
              { name: `${APP}-blue`, port: 80, weight: 0 },
              { name: `${APP}-green`, port: 80, weight: 100 }
            ]
          }
        ]
      }
    } as never)
  })

  const weights = () =>
    Object.fromEntries(
      (
        k8s.get('HTTPRoute', testNamespace(k8s), route) as {
          spec: { rules: { backendRefs: { name: string; weight: number }[] }[] }
        }
      ).spec.rules[0].backendRefs.map(r => [r.name, r.weight])
    )

  test('exact weights at each step, and back to stable when the analysis fails', async () => {
    // The live slot is green (v2, from the Service tests): v4 goes to blue.
    const run = await canaryDeploy('v4', { gatewayRoute: route })
    expect(run.outcome.result.status).toBe('success')
    expect(weights()).toEqual({ [`${APP}-blue`]: 100, [`${APP}-green`]: 0 })
    expect(run.log.some(l => l.includes(`${APP}-blue 25, ${APP}-green 75`))).toBe(true)

    failing = true
    try {
      const failed = await canaryDeploy('v5', { gatewayRoute: route })
      expect(failed.outcome.result.status).toBe('failure')
      expect(weights()).toEqual({ [`${APP}-blue`]: 100, [`${APP}-green`]: 0 })
      expect(deploymentOf(k8s, `${APP}-green`)?.spec.replicas).toBe(0)
    } finally {
      failing = false
    }
  })
})
