import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { rmSync } from 'node:fs'
import { ScriptProvider, withRouter, type Provider } from '@slipway/providers'
import {
  executePlan,
  makePlan,
  parseCanarySteps,
  parseTargets,
  type DeployRequest
} from '@slipway/strategies'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { killApps, START_HOOK, STOP_HOOK, writeSampleApp } from '../services/sample-app.js'
import { freePort, ownedTempDir, tempDir } from '../services/process.js'

// The Provider/Router split in practice: the script provider's release lifecycle with traffic
// moved by the HAProxy runtime-API router (packages/haproxy), composed with `withRouter`.
// Which version answers is judged from requests sent after each deploy returned.

/** A deadline, not a budget: each router change and hook takes seconds on a busy machine. */
const DEADLINE_MS = 120_000

// afterAll stops the apps by their pid files here, so it removes this dir itself
const stateDir = ownedTempDir('haproxy-state')
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
  rmSync(stateDir, { recursive: true, force: true })
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

/** What HAProxy answers now, a few requests in a row (no retry). */
async function answers(count = 10): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < count; i++) {
    const response = await fetch(haproxy.url)
    seen.push(`${response.status} ${(await response.text()).trim()}`)
  }
  return seen
}

// Zero failed requests through HAProxy under load is shown once, by the bundle
// (test/haproxy/deploy-action.test.ts); here the composition is called directly.
test(
  'blue-green then canary through HAProxy weights: each deploy leaves only its version answering',
  async () => {
    expect(
      (await deploy('v1', { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 }))
        .status
    ).toBe('success')
    expect(provider.router.dropsConnectionsOnChange).toBe(false)
    expect(await answers()).toEqual(Array(10).fill('200 v1'))
    const bg = await deploy('v2', {
      strategy: 'blue-green',
      switchTraffic: true,
      keepPreviousMs: 0
    })
    expect([bg.status, bg.error]).toEqual(['success', undefined])
    expect(await answers()).toEqual(Array(10).fill('200 v2'))
    const canary = await deploy('v3', {
      strategy: 'canary',
      // no load measures shares here: the pause only has to be a step of the plan
      steps: parseCanarySteps('- setWeight: 30\n- pause: 100ms\n- setWeight: 100'),
      keepPreviousMs: 0
    })
    expect([canary.status, canary.error]).toEqual(['success', undefined])
    expect(canary.timeline.filter(e => e.step === 'route').length).toBeGreaterThanOrEqual(2)
    expect(await provider.current()).toMatchObject({ blue: { version: 'v3', weight: 100 } })
    expect(await answers()).toEqual(Array(10).fill('200 v3'))
  },
  DEADLINE_MS
)
