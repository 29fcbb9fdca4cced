// Zero-failure traffic shifting through a real HAProxy driven by its runtime API, measured with
// a non-retrying load client (autocannon, 16 keep-alive connections, bounded in time).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  cutoverMs,
  shares,
  sleep,
  startHaproxy,
  startAgentLoad,
  startLoad,
  startVersionServer,
  type HaproxyInstance,
  type VersionServer
} from '../services/haproxy.js'

const RATE = 2000 // requests/s overall: enough samples per canary step, gentle on 2 shared cores

describe('HAProxy runtime API under load', () => {
  let blue: VersionServer
  let green: VersionServer
  let haproxy: HaproxyInstance

  beforeAll(async () => {
    blue = await startVersionServer('v1')
    green = await startVersionServer('v2')
    haproxy = await startHaproxy({
      name: 'app',
      servers: [
        { name: 'blue', address: blue.address, weight: 100 },
        { name: 'green', address: green.address, weight: 0 }
      ]
    })
  })

  afterAll(async () => {
    await haproxy?.stop()
    await blue?.close()
    await green?.close()
  })

  test('blue-green switch: 0 failed requests, every response from the new version soon after the call', async () => {
    await haproxy.router.setWeights({ blue: 100, green: 0 })
    const load = startLoad({ url: haproxy.url, durationMs: 3000, rate: RATE })
    await sleep(1200)
    const switchAt = load.now()
    const callStarted = Date.now()
    await haproxy.router.setWeights({ blue: 0, green: 100 })
    const callMs = Date.now() - callStarted
    const result = await load.done
    const cutover = cutoverMs(result.samples, switchAt, 'v2')
    console.log(
      `haproxy blue-green: ${result.responses} responses (${result.requestsPerSecond}/s), failed ${result.failed} ${JSON.stringify(result.errorCodes)}, call ${callMs} ms, all-new after ${cutover} ms`
    )
    expect(result.responses).toBeGreaterThan(1000)
    expect({
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      lost: result.lost
    }).toEqual({ errors: 0, timeouts: 0, non2xx: 0, lost: 0 })
    expect(shares(result.samples, 0, switchAt)).toEqual({ v1: 100 })
    expect(shares(result.samples, switchAt + cutover + 1, Infinity)).toEqual({ v2: 100 })
    expect(cutover).toBeLessThan(1000)
    expect(await haproxy.router.weights()).toEqual({ blue: 0, green: 100 })
  })

  test('blue-green switches with an HTTP-conforming keep-alive client (node:http Agent): 0 failed requests', async () => {
    await haproxy.router.setWeights({ blue: 100, green: 0 })
    const load = startAgentLoad({ url: haproxy.url, durationMs: 3000, rate: RATE })
    const cutovers: number[] = []
    await sleep(600)
    for (const to of ['green', 'blue', 'green'] as const) {
      const at = load.now()
      await haproxy.router.setWeights(
        to === 'green' ? { blue: 0, green: 100 } : { blue: 100, green: 0 }
      )
      await sleep(700)
      cutovers.push(cutoverMs(load.samples(), at, to === 'green' ? 'v2' : 'v1'))
    }
    const result = await load.done
    console.log(
      `haproxy blue-green x3, node:http agent: ${result.responses} responses (${result.requestsPerSecond}/s), failed ${result.failed} ${JSON.stringify(result.errorCodes)}, all-new after ${cutovers.join('/')} ms`
    )
    expect(result.responses).toBeGreaterThan(1000)
    expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }).toEqual({
      errors: 0,
      timeouts: 0,
      non2xx: 0
    })
    for (const ms of cutovers) expect(ms).toBeLessThan(700)
  })

  test('canary 5 → 25 → 50 → 100: 0 failed requests, each step within ±10 points of its share', async () => {
    await haproxy.router.setWeights({ blue: 100, green: 0 })
    const steps = [5, 25, 50, 100]
    const stepMs = 1000
    const load = startLoad({
      url: haproxy.url,
      durationMs: steps.length * stepMs + 500,
      rate: RATE
    })
    const windows: Array<{ step: number; from: number; to: number }> = []
    await sleep(300)
    for (const step of steps) {
      await haproxy.router.setWeights({ green: step, blue: 100 - step })
      const from = load.now() + 200 // let requests sent before the change come back
      await sleep(stepMs)
      windows.push({ step, from, to: load.now() })
    }
    const result = await load.done
    const measured = windows.map(w => ({
      step: w.step,
      v2: shares(result.samples, w.from, w.to).v2 ?? 0
    }))
    console.log(
      `haproxy canary: ${result.responses} responses, failed ${result.failed}, shares ${JSON.stringify(measured)}`
    )
    expect(result.failed).toBe(0)
    for (const m of measured) expect(Math.abs(m.v2 - m.step)).toBeLessThanOrEqual(10)
  })

  test('rolling update over 3 servers (drain → new version → ready): 0 failed requests', async () => {
    const olds = await Promise.all([
      startVersionServer('r1'),
      startVersionServer('r1'),
      startVersionServer('r1')
    ])
    const news: VersionServer[] = []
    const rolling = await startHaproxy({
      name: 'pool',
      servers: olds.map((server, i) => ({
        name: `web${i + 1}`,
        address: server.address,
        weight: 10
      }))
    })
    try {
      const load = startLoad({ url: rolling.url, durationMs: 4000, rate: RATE })
      await sleep(500)
      const switchAt = load.now()
      for (let i = 0; i < 3; i++) {
        const name = `web${i + 1}`
        await rolling.router.drain(name)
        const drained = await rolling.router.waitDrained(name, Date.now() + 5000)
        expect(drained.drained).toBe(true)
        await olds[i].close()
        const next = await startVersionServer('r2')
        news.push(next)
        await rolling.router.setAddress(name, '127.0.0.1', next.port)
        await rolling.router.ready(name)
        await sleep(300)
      }
      const doneAt = load.now()
      const result = await load.done
      console.log(
        `haproxy rolling: ${result.responses} responses, failed ${result.failed}, all-new after ${cutoverMs(result.samples, switchAt, 'r2')} ms from the first drain`
      )
      expect(result.failed).toBe(0)
      expect(shares(result.samples, doneAt + 100, Infinity)).toEqual({ r2: 100 })
      const live = await rolling.router.current()
      expect(Object.values(live).map(s => [s.state, s.port])).toEqual(
        news.map(n => ['ready', n.port])
      )
    } finally {
      await rolling.stop()
      await Promise.all([...olds, ...news].map(s => s.close()))
    }
  })

  test('draining: a long request in flight on the old server completes before it is retired', async () => {
    await haproxy.router.setWeights({ blue: 100, green: 0 })
    const long = fetch(`${haproxy.url}?delay=1500`).then(async r => ({
      status: r.status,
      body: await r.text(),
      at: Date.now()
    }))
    await sleep(200)
    expect(await haproxy.router.currentSessions('blue')).toBe(1)
    await haproxy.router.setWeights({ blue: 0, green: 100 })
    await haproxy.router.drain('blue')
    const early = await haproxy.router.waitDrained('blue', Date.now() + 300)
    expect(early).toMatchObject({ drained: false, sessions: 1 })
    const drained = await haproxy.router.waitDrained('blue', Date.now() + 5000)
    expect(drained.drained).toBe(true)
    expect(blue.inFlight()).toBe(0)
    // retire hard: any request still in flight on blue would be reset now
    await blue.kill()
    const answer = await long
    expect(answer).toMatchObject({ status: 200, body: 'v1' })
    blue = await startVersionServer('v1', blue.port)
    await haproxy.router.ready('blue')
  })
})
