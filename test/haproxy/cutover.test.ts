// Zero-failure traffic shifting through a real HAProxy driven by its runtime API, measured with
// non-retrying load clients that tag every request with the order in which it was written.
// Every assertion comes from events: which server answered the requests written after a change
// returned. No clock windows, so a busy machine only makes the tests slower, never wrong.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createServer, type ServerResponse } from 'node:http'
import { startBlueGreenHaproxy, type BlueGreenHaproxy } from '../services/blue-green-haproxy.js'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { startVersionServer, type VersionServer } from '../services/version-server.js'
import {
  startTaggedLoad,
  versionShares,
  type TaggedAnswer,
  type TaggedLoad,
  type TaggedLoadResult
} from '../services/load.js'

const RATE = 2000 // requests/s overall: plenty of answers per step, gentle on 2 shared cores
/** Answers awaited after each change: enough to see a share, reached in well under a second. */
const AFTER_CHANGE = 400
/**
 * A deadline, not a budget: each router change validates and persists the configuration, which
 * takes seconds apiece on a busy machine.
 */
const DEADLINE_MS = 120_000

/** Answers to requests written at or after `from`, among those answered so far. */
const since = (answers: TaggedAnswer[], from: number): TaggedAnswer[] =>
  answers.filter(a => a.seq >= from)

/** Runs `body` with a load that is always stopped, and returns what it recorded. */
async function underLoad(
  load: TaggedLoad,
  body: (load: TaggedLoad) => Promise<void>
): Promise<TaggedLoadResult> {
  try {
    await body(load)
  } finally {
    await load.stop()
  }
  return load.stop()
}

describe('HAProxy runtime API under load', () => {
  let blue: VersionServer
  let haproxy: HaproxyInstance
  let started: BlueGreenHaproxy | undefined

  beforeAll(async () => {
    started = await startBlueGreenHaproxy()
    ;({ blue, haproxy } = started)
  })

  afterAll(async () => {
    await started?.stop()
  })

  test(
    'blue-green switch: 0 failed requests, every request written after the call answered by the new version',
    async () => {
      await haproxy.router.setWeights({ blue: 100, green: 0 })
      let before: TaggedAnswer[] = []
      let switched = 0
      const result = await underLoad(
        startTaggedLoad({ url: haproxy.url, rate: RATE }),
        async load => {
          await load.waitForAnswers(0, AFTER_CHANGE)
          before = load.answered()
          await haproxy.router.setWeights({ blue: 0, green: 100 })
          switched = load.mark()
          await load.waitForAnswers(switched, AFTER_CHANGE)
        }
      )
      const after = since(result.answers, switched)
      console.log(
        `haproxy blue-green: ${result.sent} sent, ${result.answers.length} answered, failed ${result.failures.length}; before the call ${JSON.stringify(versionShares(before, 0))}, after it ${JSON.stringify(versionShares(after, 0))} over ${after.length}`
      )
      expect(result.failures).toEqual([])
      expect(versionShares(before, 0)).toEqual({ v1: 100 })
      expect(after.length).toBeGreaterThanOrEqual(AFTER_CHANGE)
      expect(versionShares(after, 0)).toEqual({ v2: 100 })
      expect(await haproxy.router.weights()).toEqual({ blue: 0, green: 100 })
    },
    DEADLINE_MS
  )

  test(
    'blue-green switches with an HTTP-conforming keep-alive client (node:http Agent): 0 failed requests',
    async () => {
      await haproxy.router.setWeights({ blue: 100, green: 0 })
      // For each switch: the answers to requests written after it returned and answered before
      // the next switch began, so each set is routed by exactly one configuration.
      const windows: Array<{ to: string; answers: TaggedAnswer[] }> = []
      const result = await underLoad(
        startTaggedLoad({ url: haproxy.url, rate: RATE, client: 'agent' }),
        async load => {
          await load.waitForAnswers(0, AFTER_CHANGE)
          for (const to of ['v2', 'v1', 'v2']) {
            await haproxy.router.setWeights(
              to === 'v2' ? { blue: 0, green: 100 } : { blue: 100, green: 0 }
            )
            const from = load.mark()
            await load.waitForAnswers(from, AFTER_CHANGE)
            windows.push({ to, answers: since(load.answered(), from) })
          }
        }
      )
      console.log(
        `haproxy blue-green x3, node:http agent: ${result.sent} sent, failed ${result.failures.length}, after each switch ${windows.map(w => JSON.stringify(versionShares(w.answers, 0))).join(' ')}`
      )
      expect(result.failures).toEqual([])
      for (const w of windows) {
        expect(w.answers.length).toBeGreaterThanOrEqual(AFTER_CHANGE)
        expect(versionShares(w.answers, 0)).toEqual({ [w.to]: 100 })
      }
    },
    DEADLINE_MS
  )

  test(
    'canary 5 → 25 → 50 → 100: 0 failed requests, each step within ±10 points of its share',
    async () => {
      await haproxy.router.setWeights({ blue: 100, green: 0 })
      const measured: Array<{ step: number; n: number; v2: number }> = []
      const result = await underLoad(
        startTaggedLoad({ url: haproxy.url, rate: RATE }),
        async load => {
          await load.waitForAnswers(0, 100)
          for (const step of [5, 25, 50, 100]) {
            await haproxy.router.setWeights({ green: step, blue: 100 - step })
            const from = load.mark()
            await load.waitForAnswers(from, AFTER_CHANGE)
            // taken before the next change: every one of these was routed with this step's weights
            const answers = since(load.answered(), from)
            measured.push({ step, n: answers.length, v2: versionShares(answers, 0).v2 ?? 0 })
          }
        }
      )
      console.log(
        `haproxy canary: ${result.sent} sent, failed ${result.failures.length}, shares ${JSON.stringify(measured)}`
      )
      expect(result.failures).toEqual([])
      for (const m of measured) {
        expect(m.n).toBeGreaterThanOrEqual(AFTER_CHANGE)
        expect(Math.abs(m.v2 - m.step)).toBeLessThanOrEqual(10)
      }
      expect(measured.at(-1)).toMatchObject({ step: 100, v2: 100 })
    },
    DEADLINE_MS
  )

  test(
    'rolling update over 3 servers (drain → new version → ready): 0 failed requests',
    async () => {
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
        let lastDrained = 0
        const drains: boolean[] = []
        const result = await underLoad(
          startTaggedLoad({ url: rolling.url, rate: RATE }),
          async load => {
            await load.waitForAnswers(0, AFTER_CHANGE)
            for (let i = 0; i < 3; i++) {
              const name = `web${i + 1}`
              await rolling.router.drain(name)
              // a deadline, not a measurement: requests of a few ms finish long before it
              drains.push((await rolling.router.waitDrained(name, Date.now() + 20_000)).drained)
              lastDrained = load.mark()
              // retire hard: a request still in flight on it would fail and be counted
              await olds[i].kill()
              const next = await startVersionServer('r2')
              news.push(next)
              await rolling.router.setAddress(name, '127.0.0.1', next.port)
              await rolling.router.ready(name)
              await load.waitForAnswers(load.mark(), AFTER_CHANGE)
            }
          }
        )
        // After the last old server drained, only new servers were in rotation.
        const afterLast = since(result.answers, lastDrained)
        console.log(
          `haproxy rolling: ${result.sent} sent, failed ${result.failures.length}, after the last drain ${JSON.stringify(versionShares(afterLast, 0))} over ${afterLast.length}`
        )
        expect(drains).toEqual([true, true, true])
        expect(result.failures).toEqual([])
        expect(afterLast.length).toBeGreaterThanOrEqual(AFTER_CHANGE)
        expect(versionShares(afterLast, 0)).toEqual({ r2: 100 })
        const live = await rolling.router.current()
        expect(Object.values(live).map(s => [s.state, s.port])).toEqual(
          news.map(n => ['ready', n.port])
        )
      } finally {
        await rolling.stop()
        await Promise.all([...olds, ...news].map(s => s.close()))
      }
    },
    2 * DEADLINE_MS
  )

  test(
    'draining: a long request in flight on the old server completes before it is retired',
    async () => {
      await haproxy.router.setWeights({ blue: 100, green: 0 })
      // blue's place is taken by a server that holds `?hold` requests until the test lets go, so
      // "still in flight" is a fact the test controls, not a race against a timer
      await blue.close()
      const held = await startHoldingServer('v1', blue.port)
      try {
        const long = fetch(`${haproxy.url}?hold`, { signal: AbortSignal.timeout(20_000) }).then(
          async r => ({ status: r.status, body: await r.text() })
        )
        await held.received
        expect(await haproxy.router.currentSessions('blue')).toBe(1)
        await haproxy.router.setWeights({ blue: 0, green: 100 })
        await haproxy.router.drain('blue')
        const early = await haproxy.router.waitDrained('blue', Date.now() + 300)
        expect(early).toMatchObject({ drained: false, sessions: 1 })
        held.release()
        const drained = await haproxy.router.waitDrained('blue', Date.now() + 20_000)
        expect(drained.drained).toBe(true)
        expect(held.inFlight()).toBe(0)
        // retire hard: any request still in flight on blue would be reset now
        await held.kill()
        expect(await long).toEqual({ status: 200, body: 'v1' })
      } finally {
        await held.kill()
        blue = await startVersionServer('v1', blue.port)
        await haproxy.router.ready('blue')
      }
    },
    DEADLINE_MS
  )
})

/**
 * A versioned server that answers at once, except `?hold` requests: those wait for `release()`.
 * `received` resolves when the first held request arrived.
 */
async function startHoldingServer(version: string, port: number) {
  let inFlight = 0
  let arrived: () => void = () => undefined
  const received = new Promise<void>(resolve => (arrived = resolve))
  const waiting: ServerResponse[] = []
  let released = false
  const answer = (res: ServerResponse): void => {
    inFlight--
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(version)
  }
  const server = createServer((req, res) => {
    inFlight++
    if (!req.url?.includes('hold') || released) return answer(res)
    waiting.push(res)
    arrived()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  let closed: Promise<void> | undefined
  return {
    received,
    inFlight: () => inFlight,
    release: () => {
      released = true
      for (const res of waiting.splice(0)) answer(res)
    },
    kill: () => {
      closed ??= new Promise<void>(resolve => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    }
  }
}
