import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { DEFAULT_SERVER_CHECK } from '@slipway/haproxy'
import {
  FanoutRouter,
  LocalTransport,
  haproxyInner,
  haproxyRouterFromInputs,
  type Target
} from '@slipway/providers'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { startVersionServer, type VersionServer } from '../services/version-server.js'
import { freePort } from '../services/process.js'

// The fan-out router between the strategies (slots) and the fleet (a server per host and slot),
// on real HAProxies: a slot's weight reaches every host's server in one change, and with one
// HAProxy per host a host that refuses the change puts the hosts already changed back.

const servers: VersionServer[] = []
const proxies: HaproxyInstance[] = []
afterAll(async () => {
  for (const proxy of proxies) await proxy.stop()
  for (const server of servers) await server.close()
})

async function version(name: string): Promise<VersionServer> {
  const server = await startVersionServer(name)
  servers.push(server)
  return server
}

async function haproxy(backend: { name: string; address: string }[]): Promise<HaproxyInstance> {
  const proxy = await startHaproxy({
    name: 'slipway',
    servers: backend.map(s => ({ ...s, options: DEFAULT_SERVER_CHECK }))
  })
  proxies.push(proxy)
  return proxy
}

function trafficRouter(proxy: HaproxyInstance, targets: Target[], upTimeoutMs = 20_000) {
  return haproxyRouterFromInputs(
    { socket: proxy.socket, backend: 'slipway', upTimeoutMs, drainTimeoutMs: 5000 },
    targets,
    () => new LocalTransport()
  )
}

async function answer(proxy: HaproxyInstance): Promise<string | null> {
  const response = await fetch(proxy.url, { signal: AbortSignal.timeout(5000) })
  await response.text()
  return response.headers.get('x-version')
}

describe('fleet scope: one HAProxy, a server per host and slot', () => {
  let proxy: HaproxyInstance
  let fanout: FanoutRouter

  beforeAll(async () => {
    const backend = [
      { name: 'web1-blue', address: (await version('1.0.0')).address },
      { name: 'web2-blue', address: (await version('1.0.0')).address },
      { name: 'web1-green', address: (await version('2.0.0')).address },
      { name: 'web2-green', address: (await version('2.0.0')).address }
    ]
    proxy = await haproxy(backend)
    fanout = new FanoutRouter({
      scope: 'fleet',
      routers: [haproxyInner(trafficRouter(proxy, backend), 'local')],
      targets: ['blue', 'green'],
      serversOf: slot => [`web1-${slot}`, `web2-${slot}`]
    })
  }, 30_000)

  test("a slot's weight goes to every host's server of that slot", async () => {
    await fanout.setWeights({ blue: 100, green: 0 })
    expect(await answer(proxy)).toBe('1.0.0')
    await fanout.setWeights({ blue: 95, green: 5 })
    expect(await proxy.router.weights()).toEqual({
      'web1-blue': 95,
      'web2-blue': 95,
      'web1-green': 5,
      'web2-green': 5
    })
    expect(await fanout.weights()).toEqual({ blue: 95, green: 5 })
    const ready = await fanout.waitReady({ name: 'green' }, Date.now() + 20_000)
    expect(ready.ok).toBe(true)
    expect(ready.message).toMatch(/slipway\/web1-green UP.*slipway\/web2-green UP/)
  }, 60_000)

  test('a slot serving on any host is not idle: the highest weight is reported', async () => {
    await proxy.router.setWeights({ 'web1-green': 0 })
    expect(await fanout.weights()).toEqual({ blue: 95, green: 5 })
  })

  test('an unknown slot is refused before anything changes', async () => {
    await expect(fanout.setWeights({ purple: 1 })).rejects.toThrow(/unknown target purple/)
  })
})

describe('per-host scope: one HAProxy per host, changed host by host', () => {
  test('a host that refuses the change puts the hosts already changed back', async () => {
    const blue = await version('1.0.0')
    const green = await version('2.0.0')
    const nothing = `127.0.0.1:${await freePort()}` // host 2's green never came up
    const one = [
      { name: 'blue', address: blue.address },
      { name: 'green', address: green.address }
    ]
    const two = [
      { name: 'blue', address: blue.address },
      { name: 'green', address: nothing }
    ]
    const first = await haproxy(one)
    const second = await haproxy(two)
    const fanout = new FanoutRouter({
      scope: 'per-host',
      routers: [
        haproxyInner(trafficRouter(first, one, 3000), 'web1'),
        haproxyInner(trafficRouter(second, two, 3000), 'web2')
      ],
      targets: ['blue', 'green'],
      serversOf: slot => [slot]
    })
    await fanout.setWeights({ blue: 100, green: 0 })
    expect(await answer(first)).toBe('1.0.0')

    await expect(fanout.setWeights({ blue: 0, green: 100 })).rejects.toThrow(
      /router haproxy on web2: HAProxy did not report green up.*put back: haproxy on web1/
    )
    expect(await first.router.weights()).toEqual({ blue: 100, green: 0 })
    expect(await second.router.weights()).toEqual({ blue: 100, green: 0 })
    expect(await answer(first)).toBe('1.0.0')
    expect(await fanout.weights()).toEqual({ blue: 100, green: 0 })
  }, 60_000)
})
