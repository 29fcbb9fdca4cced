import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { ScriptProvider, withRouter, type Provider } from '@slipway/providers'
import {
  executePlan,
  makePlan,
  parseCanarySteps,
  parseTargets,
  type DeployRequest
} from '@slipway/strategies'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { startTaggedLoad, type TaggedAnswer } from '../services/load.js'
import { killApps, START_HOOK, STOP_HOOK, writeSampleApp } from '../services/sample-app.js'
import { freePort, tempDir } from '../services/process.js'

// The Provider/Router split in practice: the script provider's release lifecycle with traffic
// moved by the HAProxy runtime-API router (packages/haproxy), composed with `withRouter`.
// No reload, so the strategies' cutovers lose ZERO requests. Which version answered is judged
// from the requests written after each deploy returned, never from clock windows.

/** A deadline, not a budget: each router change and hook takes seconds on a busy machine. */
const DEADLINE_MS = 120_000

const stateDir = tempDir('haproxy-state')
const app = writeSampleApp(tempDir('haproxy-app'))
let haproxy: HaproxyInstance
let provider: Provider

beforeAll(async () => {
  process.env.STATE_DIR = stateDir
  process.env.APP = app
  const targets = parseTargets([
    `blue=127.0.0.1:${await freePort()}`,
    `green=127.0.0.1:${await freePort()}`
  ])
  haproxy = await startHaproxy({
    name: 'app',
    servers: targets.map(t => ({ name: t.name, address: t.address! }))
  })
  provider = withRouter(
    new ScriptProvider({
      targets,
      environment: 'test',
      prepareCommand: START_HOOK,
      retireCommand: STOP_HOOK,
      routeCommand: 'echo unused; exit 1',
      currentCommand:
        'for f in "$STATE_DIR"/*.version; do [ -e "$f" ] && echo "$(basename "$f" .version) $(cat "$f")"; done; true',
      healthCommand: 'curl -fsS --max-time 1 "http://$SLIPWAY_ADDRESS/health"',
      hookTimeoutMs: 30_000,
      kind: 'slot'
    }),
    haproxy.router
  )
}, DEADLINE_MS)

afterAll(async () => {
  killApps(stateDir, ['blue', 'green'])
  await haproxy?.stop()
})

const request = (version: string, options: DeployRequest['options']): DeployRequest => ({
  version,
  options,
  healthTimeoutMs: 10_000,
  healthIntervalMs: 100,
  drainDelayMs: 300
})

async function deploy(version: string, options: DeployRequest['options']) {
  const live = await provider.current()
  const plan = makePlan(provider.targets, live, request(version, options))
  return executePlan({ provider, plan, request: request(version, options), live })
}

test(
  'blue-green and canary through HAProxy weights: zero failed requests',
  async () => {
    expect(
      (await deploy('v1', { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 }))
        .status
    ).toBe('success')
    expect(provider.router.dropsConnectionsOnChange).toBe(false)
    // The load flows before the first deploy and stops only once requests written after the last
    // one returned were answered: both cutovers happen under load however slow the machine is.
    const load = startTaggedLoad({ url: haproxy.url, connections: 10, rate: 1000 })
    let bg: Awaited<ReturnType<typeof deploy>>
    let canary: Awaited<ReturnType<typeof deploy>>
    let afterBlueGreen: number
    let afterCanary: number
    let answeredBeforeBlueGreen: TaggedAnswer[]
    let answeredBeforeCanary: TaggedAnswer[]
    try {
      await load.waitForAnswers(0, 200, 30_000)
      answeredBeforeBlueGreen = load.answered()
      bg = await deploy('v2', { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 })
      afterBlueGreen = load.mark()
      await load.waitForAnswers(afterBlueGreen, 200, 30_000)
      answeredBeforeCanary = load.answered().filter(a => a.seq >= afterBlueGreen)
      canary = await deploy('v3', {
        strategy: 'canary',
        steps: parseCanarySteps('- setWeight: 30\n- pause: 1s\n- setWeight: 100'),
        keepPreviousMs: 0
      })
      afterCanary = load.mark()
      await load.waitForAnswers(afterCanary, 200, 30_000)
    } finally {
      await load.stop()
    }
    const result = await load.stop()
    const versions = (answers: TaggedAnswer[]): string[] => [
      ...new Set(answers.map(a => a.version))
    ]
    expect([bg.status, bg.error, canary.status, canary.error]).toEqual([
      'success',
      undefined,
      'success',
      undefined
    ])
    expect(await provider.current()).toMatchObject({ blue: { version: 'v3', weight: 100 } })
    expect(result.answers.length).toBeGreaterThanOrEqual(600)
    expect(result.failures).toEqual([])
    // v1 answered before the blue-green deploy began, v2 alone once it returned (until the
    // canary began), v3 alone once the canary returned
    expect(versions(answeredBeforeBlueGreen)).toEqual(['v1'])
    expect(answeredBeforeCanary.length).toBeGreaterThanOrEqual(200)
    expect(versions(answeredBeforeCanary)).toEqual(['v2'])
    expect(versions(result.answers.filter(a => a.seq >= afterCanary))).toEqual(['v3'])
  },
  DEADLINE_MS
)
