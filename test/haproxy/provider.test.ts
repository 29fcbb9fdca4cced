// The HAProxy adapter of @slipway/providers driven by the real strategies engine
// (makePlan + executePlan), called directly: blue-green, canary and rolling end on the new version.
import { afterAll, describe, expect, test } from '@jest/globals'
import type { ProbeOutcome } from '@slipway/probes'
import {
  LocalTransport,
  type HookContext,
  type LiveState,
  type Provider,
  type Target
} from '@slipway/providers'
import {
  executePlan,
  makePlan,
  type DeployRequest,
  type StrategyOptions
} from '@slipway/strategies'
import {
  HaproxyTrafficRouter,
  haproxyRouterFromInputs,
  withHaproxy
} from '../../packages/providers/src/haproxy.js'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { freePort } from '../services/process.js'
import { startVersionServer, type VersionServer } from '../services/version-server.js'

/**
 * A deadline, not a budget: each router change validates and persists HAProxy's configuration,
 * which takes seconds apiece on a busy machine.
 */
const DEADLINE_MS = 120_000

/** Targets on this machine: `prepare` (re)starts a versioned HTTP server on the target's port. */
class LocalVersions implements Provider {
  readonly name = 'local-versions'
  readonly router = {
    name: 'none',
    dropsConnectionsOnChange: false,
    setWeights: async () => undefined
  }
  private readonly running = new Map<string, VersionServer>()

  constructor(readonly targets: Target[]) {}

  async check(): Promise<void> {}
  async current(): Promise<LiveState> {
    return Object.fromEntries([...this.running].map(([name, s]) => [name, { version: s.version }]))
  }
  async prepare(target: Target, context: HookContext): Promise<void> {
    await this.running.get(target.name)?.close()
    const port = Number(target.address!.split(':')[1])
    this.running.set(target.name, await startVersionServer(context.version, port))
  }
  async health(target: Target): Promise<ProbeOutcome> {
    return { ok: this.running.has(target.name), message: target.name }
  }
  async retire(target: Target): Promise<void> {
    await this.running.get(target.name)?.close()
    this.running.delete(target.name)
  }
  async close(): Promise<void> {
    for (const s of this.running.values()) await s.close()
  }
}

/** What HAProxy answers now, a few requests in a row (no retry): `<status> <body>`. */
async function answers(haproxy: HaproxyInstance, count = 10): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < count; i++) {
    const response = await fetch(haproxy.url)
    seen.push(`${response.status} ${(await response.text()).trim()}`)
  }
  return seen
}

/**
 * Deploys through the engine, called directly: the old version answers before, only the new one
 * after. Zero failed requests under load through HAProxy is shown by the bundle
 * (deploy-action.test.ts) and, per strategy, by the runtime API cutovers (cutover.test.ts).
 */
async function deployDirectly(
  haproxy: HaproxyInstance,
  provider: Provider,
  version: string,
  options: StrategyOptions
) {
  const live = await provider.current()
  const request: DeployRequest = { version, options, healthTimeoutMs: 5000, healthIntervalMs: 50 }
  const plan = makePlan(provider.targets, live, request)
  expect(await answers(haproxy)).toEqual(Array(10).fill('200 v1'))
  const result = await executePlan({ provider, plan, request, live })
  expect(await answers(haproxy)).toEqual(Array(10).fill(`200 ${version}`))
  return { result }
}

describe('HaproxyTrafficRouter with the strategies engine', () => {
  const setups: Array<{ haproxy: HaproxyInstance; provider: Provider }> = []

  async function setup(names: string[]) {
    const targets = await Promise.all(
      names.map(async name => ({ name, address: `127.0.0.1:${await freePort()}` }))
    )
    const hosts = new LocalVersions(targets)
    for (const t of targets) await hosts.prepare(t, { version: 'v1' })
    const haproxy = await startHaproxy({
      name: 'app',
      servers: targets.map(t => ({ name: t.name, address: t.address, weight: 0 }))
    })
    const router = new HaproxyTrafficRouter({
      targets,
      backend: 'app',
      socket: haproxy.socket,
      transport: new LocalTransport(),
      local: true,
      mainConfig: haproxy.mainConfig,
      backendFile: haproxy.backendFile,
      stateFile: haproxy.stateFile,
      drainTimeoutMs: 5000
    })
    const provider = withHaproxy(hosts, router)
    setups.push({ haproxy, provider })
    return { haproxy, provider, router, hosts }
  }

  afterAll(async () => {
    for (const s of setups) {
      await s.provider.close()
      await s.haproxy.stop()
    }
  })

  test(
    'blue-green: the new slot serves, the old one retired after it drained',
    async () => {
      const { haproxy, provider, router } = await setup(['blue', 'green'])
      await router.setWeights({ blue: 100, green: 0 })
      await provider.retire(provider.targets[1], { version: 'v1' })
      const { result } = await deployDirectly(haproxy, provider, 'v2', {
        strategy: 'blue-green',
        switchTraffic: true,
        keepPreviousMs: 0
      })
      expect(result.status).toBe('success')
      expect(await router.weights()).toEqual({ blue: 0, green: 100 })
      expect(await (await fetch(haproxy.url)).text()).toBe('v2')
    },
    DEADLINE_MS
  )

  test(
    'canary 5 → 25 → 50 → 100 through the engine: the canary ends with all traffic',
    async () => {
      const { haproxy, provider, router } = await setup(['stable', 'canary'])
      await router.setWeights({ stable: 100, canary: 0 })
      await provider.retire(provider.targets[1], { version: 'v1' })
      const steps = [5, 25, 50].flatMap(w => [{ setWeight: w }, { pause: 50 }])
      const { result } = await deployDirectly(haproxy, provider, 'v2', {
        strategy: 'canary',
        steps: [...steps, { setWeight: 100 }],
        keepPreviousMs: 0
      })
      expect(result.status).toBe('success')
      expect(await router.weights()).toMatchObject({ stable: 0 })
    },
    DEADLINE_MS
  )

  test(
    'rolling over 3 hosts through the engine: each host drained before it is replaced',
    async () => {
      const { haproxy, provider, router } = await setup(['web1', 'web2', 'web3'])
      await router.setWeights({ web1: 1, web2: 1, web3: 1 })
      const { result } = await deployDirectly(haproxy, provider, 'v2', {
        strategy: 'rolling',
        batchSize: 1,
        maxUnavailable: 1
      })
      expect(result.status).toBe('success')
      expect(Object.keys(router.lastDrain)).toEqual([])
      expect(await router.weights()).toEqual({ web1: 1, web2: 1, web3: 1 })
      const versions = await provider.current()
      expect(Object.values(versions).map(v => v.version)).toEqual(['v2', 'v2', 'v2'])
    },
    DEADLINE_MS
  )

  test('inputs: every problem is an InputError naming the input', () => {
    const targets = [{ name: 'blue', address: '127.0.0.1:1' }]
    const local = () => new LocalTransport()
    expect(() => haproxyRouterFromInputs({ socket: 'relative.sock' }, targets, local)).toThrow(
      "Input 'haproxy-socket'"
    )
    expect(() => haproxyRouterFromInputs({ relay: 'nc' }, targets, local)).toThrow(
      "Input 'haproxy-relay'"
    )
    expect(() => haproxyRouterFromInputs({ backend: 'my backend' }, targets, local)).toThrow(
      "Input 'haproxy-backend'"
    )
    expect(() =>
      haproxyRouterFromInputs({ serverOptions: 'check\nbackend x' }, targets, local)
    ).toThrow("Input 'haproxy-server-options'")
    expect(() => haproxyRouterFromInputs({ backendFile: 'relative.cfg' }, targets, local)).toThrow(
      "Input 'haproxy-backend-file'"
    )
    expect(() => haproxyRouterFromInputs({}, [{ name: 'blue' }], local)).toThrow("Input 'targets'")
    expect(haproxyRouterFromInputs({}, targets, local).dropsConnectionsOnChange).toBe(false)
  })
})
