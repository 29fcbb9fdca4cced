// A host that becomes unreachable in the middle of a rolling deploy over three Docker hosts
// behind one HAProxy, run by the deploy-strategy bundle: once host 1 runs v2, host 2's SSH goes
// away (every sshd of its namespace killed: the provider's open session and new connections fail).
// The deploy must fail naming host 2, put host 1 back on v1, leave host 2 drained on v1, and
// never fail a request (each host is drained in HAProxy before its container is touched).
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { versionShares } from '../services/load.js'
import { waitFor } from '../services/process.js'
import { cutSsh, startFaultFleet, underLoad, type FaultFleet } from './fault-fleet.js'

let fleet: FaultFleet
const ROLLING = { strategy: 'rolling', 'batch-size': '1' }

beforeAll(async () => {
  fleet = await startFaultFleet({
    app: 'rolled',
    hosts: 3,
    layout: 'hosts',
    images: [{ version: 'v1' }, { version: 'v2' }]
  })
  const first = await fleet.deploy('v1', ROLLING)
  if (first.exitCode !== 0)
    throw new Error(`v1 did not deploy: ${first.annotations.errors.join('; ')}\n${first.stdout}`)
}, 240_000)

afterAll(async () => {
  await fleet?.stop()
}, 120_000)

test('a host unreachable mid-rollout: the moved host goes back to v1, no request fails', async () => {
  const [host1, host2] = fleet.hosts as [FaultFleet['hosts'][0], FaultFleet['hosts'][0]]
  let deployEnded = false
  // The event: host 1's v2 container runs (batch 1 is past its prepare); batch 2 has not begun.
  const cut = (async () => {
    await waitFor(
      "host 1's v2 container to run",
      async () => {
        if (deployEnded) throw new Error('the deploy ended before host 1 ran v2')
        const ids = await host1.docker([
          'ps',
          '-q',
          '--filter',
          'label=slipway.version=v2',
          '--filter',
          'status=running'
        ])
        return ids.trim() !== ''
      },
      150_000
    )
    return cutSsh(host2)
  })()
  cut.catch(() => undefined)
  const { run, traffic, after } = await underLoad(fleet, async () => {
    try {
      return await fleet.deploy('v2', ROLLING)
    } finally {
      deployEnded = true
    }
  })
  expect((await cut).length).toBeGreaterThan(0)
  expect(run.exitCode).toBe(1)
  expect(run.outputs.status).toBe('failure')
  const error = run.annotations.errors.join('\n')
  // the cause, named: host 2's SSH, not a bare "Not connected" from a session already gone
  expect(error).toMatch(/host2 \(root@10\.231\.\d+\.12:22\): SSH root@10\.231\.\d+\.12:22: /)
  // the moved host went back to v1 behind the gate; the unreachable one stays drained
  expect(run.summary).toMatch(/restore \| host1 back on v1/)
  expect(run.summary).toMatch(/host2 could not be restored to v1 \(left drained\)/)
  expect(await fleet.runningOf('v2')).toEqual([])
  const running = (await fleet.containers()).filter(c => c.state === 'running')
  expect(running.map(c => `${c.host} ${c.version}`).sort()).toEqual([
    'host1 v1',
    'host2 v1',
    'host3 v1'
  ])
  const weights = await fleet.haproxy.router.weights()
  expect(weights.host1).toBeGreaterThan(0)
  expect(weights.host2).toBe(0)
  expect(weights.host3).toBeGreaterThan(0)
  // every host was drained before its container changed: not one request failed
  expect(traffic.failures).toEqual([])
  expect(versionShares(traffic.answers, after)).toEqual({ v1: 100 })
  expect(fleet.deployment('v2')?.states[0]).toBe('failure')
  expect(fleet.deployment('v1')?.states[0]).toBe('success')
  expect(fleet.gh.validationErrors).toEqual([])
}, 240_000)
