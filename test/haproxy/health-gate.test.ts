// The health gate through HAProxy (issue #12): traffic moves to a server only once HAProxy
// itself reports it UP under its own check. A server HAProxy never sees up fails the gate, and
// traffic stays where it was. Called directly; the cutover under a non-retrying load with the
// same default check (0 failed requests) is the bundle's, in deploy-action.test.ts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { rmSync } from 'node:fs'
import { DEFAULT_SERVER_CHECK, withHealthCheck } from '@slipway/haproxy'
import { buildDeployConfig, runDeploy, type DeployInputs } from '@slipway/strategies'
import { ownedTempDir, tempDir } from '../services/process.js'
import { testDeploySettings } from '../deploy/helpers.js'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { freePort } from '../services/process.js'
import { killApps, START_HOOK, STOP_HOOK, writeSampleApp } from '../services/sample-app.js'

// afterAll stops the apps by their pid files here, so it removes this dir itself
const stateDir = ownedTempDir('gate-state')
const app = writeSampleApp(tempDir('gate-app'))
const CURRENT =
  'for f in "$STATE_DIR"/*.version; do [ -f "$f" ] || continue; echo "$(basename "$f" .version) $(cat "$f")"; done'
// A release that "starts" without starting anything: exit 0, nothing listening.
const START_NOTHING_FOR_V3 = `[ "$SLIPWAY_VERSION" = v3 ] && exit 0\n${START_HOOK}`

let haproxy: HaproxyInstance
let addresses: Record<string, string>

beforeAll(async () => {
  process.env.STATE_DIR = stateDir
  process.env.APP = app
  addresses = {
    blue: `127.0.0.1:${await freePort()}`,
    green: `127.0.0.1:${await freePort()}`
  }
  // The backend as Slipway writes it: no `check` of the user's, so the default one.
  haproxy = await startHaproxy({
    name: 'app',
    servers: Object.entries(addresses).map(([name, address]) => ({
      name,
      address,
      weight: 0,
      options: withHealthCheck(undefined)
    }))
  })
}, 30_000)

afterAll(async () => {
  killApps(stateDir, ['blue', 'green'])
  rmSync(stateDir, { recursive: true, force: true })
  await haproxy?.stop()
})

function deploy(version: string, extra: Partial<DeployInputs> = {}) {
  const config = buildDeployConfig({
    strategy: 'blue-green',
    version,
    environment: 'test',
    provider: 'script',
    router: 'haproxy',
    haproxySocket: haproxy.socket,
    haproxyBackend: 'app',
    haproxyConfig: haproxy.mainConfig,
    haproxyBackendFile: haproxy.backendFile,
    haproxyStateFile: haproxy.stateFile,
    ...testDeploySettings,
    targets: Object.entries(addresses).map(([name, address]) => `${name}=${address}`),
    // no health-url, no health-command: the default probe
    healthTimeoutMs: 10_000,
    healthIntervalMs: 50,
    hookTimeoutMs: 30_000,
    drainDelayMs: 200,
    recordDeployment: false,
    prepareCommand: START_HOOK,
    retireCommand: STOP_HOOK,
    currentCommand: CURRENT,
    releaseDir: stateDir,
    ...extra
  })
  return runDeploy(config)
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

describe('router: haproxy with the default health gate', () => {
  test('the managed servers carry a health check', () => {
    expect(withHealthCheck(undefined)).toBe(DEFAULT_SERVER_CHECK)
    expect(withHealthCheck('maxconn 100')).toBe(`maxconn 100 ${DEFAULT_SERVER_CHECK}`)
    expect(withHealthCheck('check inter 5s')).toBe('check inter 5s')
  })

  test('blue-green: traffic moves once HAProxy reports the new server UP', async () => {
    const first = await deploy('v1')
    expect([first.result.status, first.result.error]).toEqual(['success', undefined])
    expect(await answers()).toEqual(Array(10).fill('200 v1'))
    const second = await deploy('v2')
    expect([second.result.status, second.result.error]).toEqual(['success', undefined])
    const health = second.result.timeline.find(e => e.step === 'health')!.detail
    expect(health).toMatch(/green: tcp 127\.0\.0\.1:\d+ accepted a connection/)
    expect(health).toMatch(/green: haproxy reports app\/green UP \(L4OK/)
    // the gate came before the route
    const steps = second.result.timeline.map(e => e.step)
    expect(steps.indexOf('health')).toBeLessThan(steps.indexOf('route'))
    expect(await answers()).toEqual(Array(10).fill('200 v2'))
    expect(await haproxy.router.weights()).toEqual({ blue: 0, green: 100 })
  }, 60_000)

  test('a server HAProxy never reports up fails the gate; traffic stays where it was', async () => {
    // The user's probe passes (it proves nothing here), HAProxy's own check sees nothing listening.
    const third = await deploy('v3', {
      prepareCommand: START_NOTHING_FOR_V3,
      healthCommand: 'true',
      healthTimeoutMs: 2500
    })
    expect(third.result.status).toBe('failure')
    expect(third.result.error).toMatch(
      /blue passed its probe but the router never reported it up within 3s: haproxy did not report it up: app\/blue DOWN \(L4CON/
    )
    expect(third.result.timeline.some(e => e.step === 'route')).toBe(false)
    expect(await haproxy.router.weights()).toEqual({ blue: 0, green: 100 })
    expect(await answers()).toEqual(Array(10).fill('200 v2'))
  }, 60_000)

  test('with health-check: none the weight change itself still waits for HAProxy, and refuses', async () => {
    const fourth = await deploy('v3', {
      prepareCommand: START_NOTHING_FOR_V3,
      healthCheck: 'none',
      healthTimeoutMs: 1500
    })
    expect(fourth.result.status).toBe('failure')
    expect(fourth.result.error).toMatch(
      /^HAProxy did not report blue up before the deadline \(app\/blue DOWN \(L4CON.*\); traffic not moved$/
    )
    expect(await haproxy.router.weights()).toEqual({ blue: 0, green: 100 })
    expect(await answers()).toEqual(Array(10).fill('200 v2'))
  }, 60_000)
})
