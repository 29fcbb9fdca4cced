// The same blue-green switch through a real nginx that must reload to change its upstream,
// measured with the same non-retrying client. nginx's failures are COUNTED AND REPORTED, not
// asserted away: a reload closes idle keep-alive connections and clients reusing one at that
// moment lose their request. The variant without client keep-alive shows the price of avoiding it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  cutoverMs,
  sleep,
  startAgentLoad,
  startLoad,
  startNginx,
  startVersionServer,
  type LoadResult,
  type VersionServer
} from '../services/haproxy.js'

const RATE = 2000
const SWITCHES = 3

describe('nginx reload during a blue-green switch (for comparison)', () => {
  let blue: VersionServer
  let green: VersionServer

  beforeAll(async () => {
    blue = await startVersionServer('v1')
    green = await startVersionServer('v2')
  })

  afterAll(async () => {
    await blue?.close()
    await green?.close()
  })

  async function switchUnderLoad(
    keepaliveTimeout?: number,
    client: 'autocannon' | 'agent' = 'autocannon'
  ): Promise<{ result: LoadResult; cutovers: number[] }> {
    const nginx = await startNginx({
      servers: { blue: blue.address, green: green.address },
      weights: { blue: 100, green: 0 },
      keepaliveTimeout
    })
    try {
      const load = (client === 'agent' ? startAgentLoad : startLoad)({
        url: nginx.url,
        durationMs: 1000 * (SWITCHES + 1),
        rate: RATE
      })
      const cutovers: number[] = []
      await sleep(700)
      for (let i = 0; i < SWITCHES; i++) {
        const to = i % 2 === 0 ? 'green' : 'blue'
        const at = load.now()
        await nginx.setWeights(to === 'green' ? { blue: 0, green: 100 } : { blue: 100, green: 0 })
        await sleep(900)
        cutovers.push(cutoverMs(load.samples(), at, to === 'green' ? 'v2' : 'v1'))
      }
      return { result: await load.done, cutovers }
    } finally {
      await nginx.stop()
    }
  }

  /** Every request sent is either answered or counted as failed (up to one in flight per connection at the stop). */
  function expectAccounted(result: LoadResult): void {
    expect(Number.isInteger(result.failed)).toBe(true)
    expect(result.failed).toBe(result.errors + result.timeouts + result.non2xx + result.lost)
    const unaccounted =
      result.requests -
      result.responses -
      result.errors -
      result.timeouts -
      result.lost -
      result.sentAfterClose
    expect(unaccounted).toBeGreaterThanOrEqual(0)
    expect(unaccounted).toBeLessThanOrEqual(16)
  }

  // The same switch, three ways. autocannon keeps writing on a connection after the server's
  // `Connection: close` (not HTTP-conforming), so with keepalive_timeout 0 only the conforming
  // client gives a meaningful count.
  const cases = [
    {
      name: 'keepalive_timeout 75s (default), autocannon',
      keepalive: undefined,
      client: 'autocannon' as const
    },
    {
      name: 'keepalive_timeout 75s (default), node:http keep-alive agent (paced)',
      keepalive: undefined,
      client: 'agent' as const
    },
    {
      name: 'keepalive_timeout 0 (new connection per request), node:http agent',
      keepalive: 0,
      client: 'agent' as const
    }
  ]

  test.each(cases)(
    'nginx reload, $name: failed requests are counted and reported',
    async ({ name, keepalive, client }) => {
      const { result, cutovers } = await switchUnderLoad(keepalive, client)
      const report = `nginx reload, ${name}: ${SWITCHES} switches, ${result.responses} responses (${result.requestsPerSecond}/s), FAILED ${result.failed} (errors ${result.errors} ${JSON.stringify(result.errorCodes)}, lost ${result.lost}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}; not counted: ${result.sentAfterClose} written by the client after Connection: close), all-new after ${cutovers.join('/')} ms`
      console.log(report)
      expect(report).toContain(`FAILED ${result.failed} `)
      expect(result.responses).toBeGreaterThan(1000)
      expectAccounted(result)
    }
  )
})
