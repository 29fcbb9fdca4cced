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
import { startLoad } from '../services/load.js'
import { START_HOOK, STOP_HOOK, writeSampleApp } from '../services/sample-app.js'
import { freePort, killApps, sleep, tempDir } from './helpers.js'

// The Provider/Router split in practice: the script provider's release lifecycle with traffic
// moved by the HAProxy runtime-API router (packages/haproxy), composed with `withRouter`.
// No reload, so the strategies' cutovers lose ZERO requests.

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
}, 30_000)

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

test('blue-green and canary through HAProxy weights: zero failed requests', async () => {
  expect(
    (await deploy('v1', { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 })).status
  ).toBe('success')
  expect(provider.router.dropsConnectionsOnChange).toBe(false)
  const load = startLoad({ url: haproxy.url, durationMs: 60_000, connections: 10 })
  await sleep(500)
  const bg = await deploy('v2', { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 })
  const canary = await deploy('v3', {
    strategy: 'canary',
    steps: parseCanarySteps('- setWeight: 30\n- pause: 1s\n- setWeight: 100'),
    keepPreviousMs: 0
  })
  await sleep(500)
  const result = await load.stop()
  expect([bg.status, bg.error, canary.status, canary.error]).toEqual([
    'success',
    undefined,
    'success',
    undefined
  ])
  expect(await provider.current()).toMatchObject({ blue: { version: 'v3', weight: 100 } })
  expect(result.requests).toBeGreaterThan(500)
  expect(result.failures).toBe(0)
  expect(result.byVersion.v1).toBeGreaterThan(0)
  expect(result.byVersion.v2).toBeGreaterThan(0)
  expect(result.samples.slice(-50).every(s => s.version === 'v3')).toBe(true)
}, 90_000)
