// deploy-strategy with `router: haproxy`, run as the runner runs it (the bundle), blue-green under
// load. It runs once the action declares the haproxy inputs (the wiring is the deploy-strategy
// owner's; see docs/routers.md) and is skipped, saying so, until then.
import { readFileSync, rmSync } from 'node:fs'
import { afterAll, expect, test } from '@jest/globals'
import { withHealthCheck } from '@slipway/haproxy'
import { runBundle } from '../helpers/run-bundle.js'
import { killApps, START_HOOK, STOP_HOOK, writeSampleApp } from '../services/sample-app.js'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { freePort } from '../services/process.js'
import { startTaggedLoad, versionShares, type TaggedAnswer } from '../services/load.js'
import { ownedTempDir, tempDir } from '../services/process.js'

const WIRED = readFileSync(
  new URL('../../actions/deploy-strategy/action.yml', import.meta.url),
  'utf8'
).includes('haproxy-socket:')
if (!WIRED) console.warn('deploy-strategy has no haproxy inputs yet: test skipped')

const CURRENT =
  'for f in "$STATE_DIR"/*.version; do [ -f "$f" ] || continue; echo "$(basename "$f" .version) $(cat "$f") 0"; done'
// afterAll stops the apps by their pid files here, so it removes this dir itself
const stateDir = ownedTempDir('wiring')
const app = writeSampleApp(tempDir('wiring-app'))
let haproxy: HaproxyInstance

afterAll(async () => {
  killApps(stateDir, ['blue', 'green'])
  rmSync(stateDir, { recursive: true, force: true })
  await haproxy?.stop()
})

const wiredTest = WIRED ? test : test.skip
wiredTest(
  'deploy-strategy with router: haproxy, blue-green under load: 0 failed requests',
  async () => {
    const blue = `127.0.0.1:${await freePort()}`
    const green = `127.0.0.1:${await freePort()}`
    haproxy = await startHaproxy({
      name: 'slipway',
      servers: [
        // HAProxy's own check, as Slipway renders the servers: the gate waits for it to say UP
        { name: 'blue', address: blue, weight: 0, options: withHealthCheck(undefined) },
        { name: 'green', address: green, weight: 0, options: withHealthCheck(undefined) }
      ]
    })
    const deploy = (version: string) =>
      runBundle('deploy-strategy', {
        inputs: {
          strategy: 'blue-green',
          version,
          provider: 'script',
          router: 'haproxy',
          'haproxy-socket': haproxy.socket,
          'haproxy-config': haproxy.mainConfig,
          'haproxy-backend-file': haproxy.backendFile,
          'haproxy-state-file': haproxy.stateFile,
          targets: `blue=${blue}\ngreen=${green}`,
          'prepare-command': START_HOOK,
          'retire-command': STOP_HOOK,
          'current-command': CURRENT,
          'health-command': 'curl -fsS --max-time 1 "http://$SLIPWAY_ADDRESS/health"',
          'health-interval': '100ms',
          'health-timeout': '5s',
          'keep-previous': '0s',
          'record-deployment': 'false'
        },
        env: { STATE_DIR: stateDir, APP: app }
      })
    const first = await deploy('v1')
    expect(first.exitCode).toBe(0)
    // The load runs from before the deploy until requests written after it returned are
    // answered: the whole cutover is under load, however slow the machine.
    const load = startTaggedLoad({ url: haproxy.url, rate: 1000 })
    let before: TaggedAnswer[]
    let deployed: number
    let second: Awaited<ReturnType<typeof deploy>>
    try {
      await load.waitForAnswers(0, 100)
      before = load.answered()
      second = await deploy('v2')
      deployed = load.mark()
      await load.waitForAnswers(deployed, 200)
    } finally {
      await load.stop()
    }
    const traffic = await load.stop()
    console.log(
      `deploy-strategy router haproxy: ${second.outputs.status}, ${traffic.answers.length} answered, failed ${traffic.failures.length}`
    )
    expect(traffic.failures).toEqual([])
    expect(versionShares(before, 0)).toEqual({ v1: 100 })
    expect(versionShares(traffic.answers, deployed)).toEqual({ v2: 100 })
    expect(second.outputs.status).toBe('success')
    expect(second.summary).toContain('script / haproxy')
    // traffic moved only once HAProxy's own check saw the new server up
    expect(second.summary).toMatch(/haproxy reports slipway\/green UP \(L4OK/)
    expect(second.exitCode).toBe(0)
    expect(await (await fetch(haproxy.url)).text()).toBe('v2\n')
  },
  // a deadline, not a budget: two runs of the bundle with health checks on a busy machine
  180_000
)
