// Zero downtime of the kubernetes provider, measured: the emulator runs every Pod as a real
// container on a private Docker Engine, readiness is a real HTTP probe, and a non-retrying load
// client goes through the Service's proxy (the kube-proxy stand-in) during each cutover. Every
// assertion is on counts and on which version answered the requests written after an event.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node'
import {
  startKubernetesEmulator,
  type KubernetesEmulator,
  type ServiceTraffic
} from '../kubernetes-emulator/index.js'
import { buildAppImage, startDockerd, type DockerdInstance } from '../services/docker.js'
import { startConnectionLoad } from '../kubernetes-emulator/connection-load.js'
import { startTaggedLoad, type TaggedLoadResult } from '../services/load.js'
import { APP, deploy, kubeconfigOf, serviceOf, type RunOptions } from './helpers.js'

// A safety net for a busy machine: every wait below ends on an event first.
jest.setTimeout(240_000)

const NS = 'default'
let dockerd: DockerdInstance
let k8s: KubernetesEmulator & ServiceTraffic

beforeAll(async () => {
  dockerd = await startDockerd({ name: 'k8s-traffic' })
  // The images the manifests name, so nothing is pulled: the versioned test app.
  for (const version of ['v1', 'v2', 'v3'])
    await buildAppImage(dockerd, { version, tag: `registry.example/web:${version}` })
  await buildAppImage(dockerd, {
    version: 'never',
    mode: 'never-healthy',
    tag: 'registry.example/web:never'
  })
})

afterAll(async () => {
  try {
    // Every container the emulator started is gone with it.
    if (dockerd) expect((await dockerd.docker(['ps', '-aq'])).trim()).toBe('')
  } finally {
    await dockerd?.stop()
  }
})

async function running(): Promise<string[]> {
  const out = await dockerd.docker(['ps', '--format', '{{.Image}}'])
  return out.split('\n').filter(Boolean).sort()
}

/**
 * Non-retrying load through the Service proxy, a new connection per request (so each request
 * meets the endpoints of its moment, as with kube-proxy); bounded by count, rate and deadline.
 */
async function loadOn(service: string) {
  const load = startConnectionLoad({
    url: await k8s.serviceUrl(NS, service),
    connections: 4,
    rate: 80,
    maxRequests: 15_000,
    maxDurationMs: 200_000,
    requestTimeoutMs: 10_000
  })
  try {
    await load.waitForAnswers(0, 20, 60_000)
  } catch (error) {
    await load.stop()
    throw error
  }
  return load
}

/**
 * Runs a deploy under load. `before`: the first request written after the run began; `after`:
 * the first written after it returned (traffic moved, old pods out of the endpoints).
 */
async function cutover(
  service: string,
  options: RunOptions
): Promise<{ status: string; result: TaggedLoadResult; before: number; after: number }> {
  const load = await loadOn(service)
  try {
    const before = load.mark()
    const run = await deploy(k8s, options)
    const after = load.mark()
    await load.waitForAnswers(after, 40, 60_000)
    // Settled: controllers idle and every deleted pod's container stopped and removed.
    await k8s.settled()
    return { status: run.outcome.result.status, result: await load.stop(), before, after }
  } finally {
    await load.stop()
  }
}

function versions(result: TaggedLoadResult, from: number, to = Infinity): Set<string> {
  return new Set(result.answers.filter(a => a.seq >= from && a.seq < to).map(a => a.version))
}

describe('kubernetes blue-green under load (docker-mode pods)', () => {
  beforeAll(async () => {
    k8s = await startKubernetesEmulator({ pods: 'docker', docker: dockerd })
    const first = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: 'registry.example/web:v1'
    })
    expect(first.outcome.result.status).toBe('success')
    await k8s.settled()
  })
  afterAll(async () => {
    await k8s?.close()
  })

  test('v1 runs as real containers and answers through the Service', async () => {
    expect(await running()).toEqual(['registry.example/web:v1', 'registry.example/web:v1'])
    const endpoints = k8s.endpoints(NS, APP)
    expect(endpoints).toHaveLength(2)
    for (const e of endpoints) expect(e.port).toBe(8080)
    const res = await fetch(await k8s.serviceUrl(NS, APP))
    expect((await res.text()).split('\n')[0]).toBe('v1')
  })

  test('a version that never gets ready fails closed: every answer is still v1', async () => {
    const { status, result } = await cutover(APP, {
      strategy: 'blue-green',
      version: 'v2',
      image: 'registry.example/web:never',
      deploy: { healthTimeoutMs: 8000 }
    })
    expect(status).toBe('failure')
    expect(result.failures).toEqual([])
    expect(result.answers.length).toBeGreaterThan(40)
    expect(versions(result, 0)).toEqual(new Set(['v1']))
    // The unready slot never had an endpoint; only v1 runs once the failure path scaled it down.
    expect(await running()).toEqual(['registry.example/web:v1', 'registry.example/web:v1'])
  })

  test('v1 → v2: no failed request, answers switch to v2, none is v1 after the switch', async () => {
    const { status, result, before, after } = await cutover(APP, {
      strategy: 'blue-green',
      version: 'v2',
      image: 'registry.example/web:v2'
    })
    expect(status).toBe('success')
    expect(result.failures).toEqual([])
    expect(versions(result, 0, before)).toEqual(new Set(['v1']))
    expect([...versions(result, before, after)].every(v => v === 'v1' || v === 'v2')).toBe(true)
    expect(versions(result, after)).toEqual(new Set(['v2']))
    // One switch of the selector: no v1 answer to a request written after the first v2 one,
    // but for the (at most 4) requests the other workers had already written.
    const lastV1 = Math.max(...result.answers.filter(a => a.version === 'v1').map(a => a.seq))
    const firstV2 = Math.min(...result.answers.filter(a => a.version === 'v2').map(a => a.seq))
    expect(lastV1).toBeLessThan(firstV2 + 4)
    expect(await running()).toEqual(['registry.example/web:v2', 'registry.example/web:v2'])
  })
})

describe('kubernetes rolling update under load (docker-mode pods)', () => {
  beforeAll(async () => {
    k8s = await startKubernetesEmulator({ pods: 'docker', docker: dockerd })
    const first = await deploy(k8s, {
      strategy: 'rolling',
      version: 'v1',
      image: 'registry.example/web:v1'
    })
    expect(first.outcome.result.status).toBe('success')
    await k8s.settled()
  })
  afterAll(async () => {
    await k8s?.close()
  })

  test('v1 → v3 pod by pod: no failed request, answers end on v3', async () => {
    const { status, result, before, after } = await cutover(APP, {
      strategy: 'rolling',
      version: 'v3',
      image: 'registry.example/web:v3',
      kubernetes: { maxSurge: '1', maxUnavailable: '0' }
    })
    expect(status).toBe('success')
    expect(result.failures).toEqual([])
    expect(versions(result, 0, before)).toEqual(new Set(['v1']))
    expect(versions(result, before, after).has('v3')).toBe(true)
    expect(versions(result, after)).toEqual(new Set(['v3']))
    expect(await running()).toEqual(['registry.example/web:v3', 'registry.example/web:v3'])
  })
})

describe('kubernetes canary through an HTTPRoute under load (docker-mode pods)', () => {
  const route = 'web-route'
  let analysis: Server
  let analysisUrl = ''
  /** Called on the analysis endpoint's first request of a run (the 25% step). */
  let onAnalysis: (() => Promise<void>) | undefined

  const canary = (version: string, extra: RunOptions['kubernetes'] = {}) =>
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
      kubernetes: { replicas: 2, ...extra }
    })

  beforeAll(async () => {
    analysis = createServer((_req, res) => {
      const hook = onAnalysis
      onAnalysis = undefined
      void (hook ? hook() : Promise.resolve()).finally(() => res.end('ok'))
    })
    await new Promise<void>(resolve => analysis.listen(0, '127.0.0.1', resolve))
    analysisUrl = `http://127.0.0.1:${(analysis.address() as AddressInfo).port}/`
    k8s = await startKubernetesEmulator({ pods: 'docker', docker: dockerd })
    // v1 behind the Service, then the route on its slot; v2 through the route applies the
    // slot Services the route names, so v2 → v3 runs with traffic through the route throughout.
    expect((await canary('v1')).outcome.result.status).toBe('success')
    const live = serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']
    const kc = new KubeConfig()
    kc.loadFromString(kubeconfigOf(k8s))
    await KubernetesObjectApi.makeApiClient(kc).create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: route, namespace: NS },
      spec: {
        parentRefs: [{ name: 'gateway' }],
        rules: [
          {
            backendRefs: [
              { name: `${APP}-blue`, port: 80, weight: live === 'blue' ? 100 : 0 },
              { name: `${APP}-green`, port: 80, weight: live === 'green' ? 100 : 0 }
            ]
          }
        ]
      }
    } as never)
    expect((await canary('v2', { gatewayRoute: route })).outcome.result.status).toBe('success')
    await k8s.settled()
  })
  afterAll(async () => {
    await k8s?.close()
    await new Promise(resolve => analysis?.close(resolve))
  })

  test('v2 → v3: the 25% step sends a quarter of the requests to v3, none fails', async () => {
    // Keep-alive connections to the gateway, which picks a backend per request.
    const load = startTaggedLoad({
      url: await k8s.routeUrl(NS, route),
      client: 'agent',
      connections: 4,
      rate: 80,
      maxDurationMs: 200_000,
      requestTimeoutMs: 10_000
    })
    await load.waitForAnswers(0, 20, 60_000)
    try {
      const before = load.mark()
      let step = -1
      // While the analysis of the 25% step waits, 100 requests are answered at those weights.
      onAnalysis = async () => {
        step = load.mark()
        await load.waitForAnswers(step, 100, 60_000)
      }
      const run = await canary('v3', { gatewayRoute: route })
      const after = load.mark()
      await load.waitForAnswers(after, 40, 60_000)
      await k8s.settled()
      const result = await load.stop()
      expect(run.outcome.result.status).toBe('success')
      expect(result.failures).toEqual([])
      expect(versions(result, 0, before)).toEqual(new Set(['v2']))
      expect(step).toBeGreaterThanOrEqual(before)
      const atStep = result.answers.filter(a => a.seq >= step && a.seq < step + 100)
      expect(atStep.length).toBeGreaterThanOrEqual(96)
      const toV3 = atStep.filter(a => a.version === 'v3').length
      // Smooth weighted round robin: 25 of every 100 routed go to v3, give or take the
      // requests that crossed the step's edges on the 4 connections.
      expect(toV3).toBeGreaterThanOrEqual(20)
      expect(toV3).toBeLessThanOrEqual(30)
      expect(versions(result, after)).toEqual(new Set(['v3']))
      expect(await running()).toEqual(['registry.example/web:v3', 'registry.example/web:v3'])
    } finally {
      await load.stop()
    }
  })
})
