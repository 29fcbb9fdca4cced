// Releases that break after they started, on Docker hosts behind HAProxy, deployed by the
// deploy-strategy bundle over SSH. On two hosts: faults before anything changed (an image not in
// the registry, a wrong registry password, a full disk) fail at staging with nothing touched; a
// container that exits at start (the gate fails at once, not at its deadline), one that is never
// healthy (the gate fails at its deadline) and one that turns bad during canary analysis (traffic
// goes back to stable, the canary is torn down) each end with exit 1, traffic on v1, the failed
// container's logs in the summary, no bad container running and the Deployment marked failed.
// Last, on three hosts: a host that becomes unreachable in the middle of a rolling deploy.
//
// One fleet for all of them (starting hosts and building images is most of the cost); each app
// has its own HAProxy, ports and environment.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { versionShares } from '../services/load.js'
import { waitFor } from '../services/process.js'
import type { BundleRun } from '../helpers/run-bundle.js'
import type { TaggedLoadResult } from '../services/load.js'
import type { NetnsHost } from '../services/netns-hosts.js'
import {
  FAULT_INPUTS,
  FAULT_LOAD,
  cutSsh,
  fillDisk,
  startFleet,
  underLoad,
  type Fleet,
  type FleetApp,
  type LoadedRun
} from './fleet.js'

const APP = 'faulty'
let fleet: Fleet
let app: FleetApp

/** A deploy under the fault tests' load. */
const loaded = (work: () => Promise<BundleRun>) => underLoad(app, work, FAULT_LOAD)

beforeAll(async () => {
  fleet = await startFleet({
    hosts: 3,
    images: [
      { version: 'v1' },
      { version: 'v2' },
      { version: 'v2-exit', mode: 'exit' },
      { version: 'v2-never', mode: 'never-healthy' },
      { version: 'v2-later', mode: 'fail-later' },
      { version: 'v2-big' }
    ],
    // an image with a layer of its own, shipped by the deploy: it needs disk on every host
    padded: { 'v2-big': 8 },
    preload: ['v1', 'v2', 'v2-exit', 'v2-never', 'v2-later'],
    // the hosts' disks: room for the base image, the containers, and v2-big's load (docker load
    // unpacks the whole archive into the data root first), and little more
    tmpfsDataRootMb: baseMb => Math.ceil(baseMb * 2.5) + 64,
    registry: true
  })
  app = await fleet.app({
    name: APP,
    hosts: fleet.hosts.slice(0, 2),
    layout: 'slots',
    inputs: FAULT_INPUTS
  })
  const first = await app.deploy('v1')
  if (first.exitCode !== 0)
    throw new Error(`v1 did not deploy: ${first.annotations.errors.join('; ')}\n${first.stdout}`)
}, 240_000)

afterAll(async () => {
  await fleet?.stop()
}, 120_000)

/** What every failed deploy here must leave: v1 serving, nothing of `version` running, a failed Deployment. */
async function expectBackOnV1(version: string): Promise<void> {
  expect(await app.runningOf(version)).toEqual([])
  const running = (await app.listContainers()).filter(c => c.state === 'running')
  expect(running.map(c => `${c.host} ${c.slot} ${c.version}`).sort()).toEqual([
    'host1 blue v1',
    'host2 blue v1'
  ])
  expect(new Set(await app.answers(6))).toEqual(new Set(['v1']))
  const deployment = app.deployment(version)
  expect(deployment?.states[0]).toBe('failure')
  expect(app.deployment('v1')?.states[0]).toBe('success')
  // every request to GitHub matched its OpenAPI description
  expect(fleet.gh.validationErrors).toEqual([])
}

/** A failure before anything changed: nothing of `version` created, no Deployment, and the summary says so. */
async function expectNothingChanged(
  run: BundleRun,
  traffic: TaggedLoadResult,
  version: string
): Promise<string> {
  expect(run.exitCode).toBe(1)
  expect(run.outputs.status).toBe('failure')
  const error = run.annotations.errors.join('\n')
  expect(error).toMatch(
    new RegExp(`staging ${version} failed \\(nothing was changed: .*no Deployment recorded\\)`)
  )
  expect(run.summary).toContain('no Deployment recorded')
  expect(traffic.failures).toEqual([])
  expect(versionShares(traffic.answers, 0)).toEqual({ v1: 100 })
  expect((await app.listContainers()).filter(c => c.version === version)).toEqual([])
  const running = (await app.listContainers()).filter(c => c.state === 'running')
  expect(running.map(c => `${c.host} ${c.slot} ${c.version}`).sort()).toEqual([
    'host1 blue v1',
    'host2 blue v1'
  ])
  expect(app.deployment(version)).toBeUndefined()
  expect(app.deployment('v1')?.states[0]).toBe('success')
  // every request to GitHub matched its OpenAPI description
  expect(fleet.gh.validationErrors).toEqual([])
  return error
}

describe('faults before anything changed (staging the image)', () => {
  test('an image that is not in the registry', async () => {
    const registry = fleet.registry!
    const { run, traffic } = await loaded(() =>
      app.deploy('v2-missing', {
        'image-archive': undefined,
        image: `${registry.url}/slipway-test/app:v2-missing`,
        registry: registry.url,
        'registry-username': registry.username,
        'registry-password': registry.password
      })
    )
    const error = await expectNothingChanged(run, traffic, 'v2-missing')
    expect(error).toMatch(
      /host1 .*pull .*slipway-test\/app:v2-missing.*(manifest unknown|not found)/s
    )
  }, 200_000)

  test('a wrong registry password: refused at login, the password in no output', async () => {
    const registry = fleet.registry!
    const wrong = 'wrong-Pa55-9c41e7d2b8'
    const { run, traffic } = await loaded(() =>
      app.deploy('v2-login', {
        'image-archive': undefined,
        image: `${registry.url}/slipway-test/app:v1`,
        registry: registry.url,
        'registry-username': registry.username,
        'registry-password': wrong
      })
    )
    const error = await expectNothingChanged(run, traffic, 'v2-login')
    expect(error).toMatch(/docker login .*(unauthorized|incorrect username or password)/i)
    // `::add-mask::` lines are the runner's masking commands: the runner never prints them
    const stdout = run.stdout
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
    for (const text of [stdout, run.stderr, run.summary, JSON.stringify(run.outputs)])
      expect(text.includes(wrong)).toBe(false)
  }, 200_000)

  test('a host whose disk is full: the image cannot be loaded there', async () => {
    const free = await fillDisk(app.hosts[1]!, 2 ** 20)
    let outcome: LoadedRun<BundleRun>
    try {
      outcome = await loaded(() => app.deploy('v2-big'))
    } finally {
      await free()
    }
    const error = await expectNothingChanged(outcome.run, outcome.traffic, 'v2-big')
    expect(error).toMatch(/host2 .*load.*no space left on device/i)
    expect(error).not.toMatch(/host1 /)
  }, 200_000)
})

describe('container faults on two hosts (deploy-strategy bundle)', () => {
  test('a container that exits at start fails the gate at once, with its logs', async () => {
    // A deadline far beyond the test's: only the fatal path can end this gate in time.
    const { run, traffic, after } = await loaded(() =>
      app.deploy('v2-exit', { 'health-timeout': '10m' })
    )
    expect(run.exitCode).toBe(1)
    expect(run.outputs.status).toBe('failure')
    const error = run.annotations.errors.join('\n')
    expect(error).toMatch(/health gate failed after \d+ check\(s\) \(green cannot become healthy\)/)
    expect(error).toMatch(/faulty-green-v2-exit (is restarting|is exited|restarted)/)
    expect(run.summary).toContain('Container logs: green')
    expect(run.summary).toMatch(/version v2-exit exits at start \(MODE=exit\)/)
    // traffic never left v1: not one request failed
    expect(traffic.failures).toEqual([])
    expect(versionShares(traffic.answers, 0)).toEqual({ v1: 100 })
    expect(traffic.answers.filter(a => a.seq >= after).length).toBeGreaterThanOrEqual(50)
    await expectBackOnV1('v2-exit')
  }, 200_000)

  test('a container never healthy fails the gate at health-timeout, with its logs', async () => {
    const { run, traffic } = await loaded(() => app.deploy('v2-never', { 'health-timeout': '5s' }))
    expect(run.exitCode).toBe(1)
    const error = run.annotations.errors.join('\n')
    expect(error).toMatch(/health gate failed after 5s \(green unhealthy\)/)
    expect(error).toMatch(/\/health on root@10\.231\.\d+\.\d+:22 → 503/)
    expect(run.summary).toContain('Container logs: green')
    expect(run.summary).toMatch(
      /version v2-never listening on 0\.0\.0\.0:8080 \(MODE=never-healthy\)/
    )
    expect(traffic.failures).toEqual([])
    expect(versionShares(traffic.answers, 0)).toEqual({ v1: 100 })
    await expectBackOnV1('v2-never')
  }, 200_000)

  test('a canary that turns bad during analysis: traffic back to stable, canary torn down', async () => {
    // The canary fails on an event: once HAProxy gives every green server traffic, the green
    // containers are told to fail (fail-later mode answers 500 once /tmp/fail exists).
    let deployEnded = false
    const breakCanary = (async () => {
      await waitFor(
        'the canary weight on every green server',
        async () => {
          if (deployEnded) throw new Error('the deploy ended before the canary got traffic')
          const weights = await app.haproxy.router.weights()
          return app.hosts.every(h => (weights[`${h.name}-green`] ?? 0) > 0)
        },
        150_000
      )
      for (const host of app.hosts)
        await host.docker(['exec', `${APP}-green-v2-later`, 'touch', '/tmp/fail'])
      return 'broken'
    })()
    breakCanary.catch(() => undefined)
    const { run, traffic, after } = await loaded(async () => {
      try {
        return await app.deploy('v2-later', {
          strategy: 'canary',
          steps: '50',
          // analysis passes only at the end of a long interval: it must fail on the event above
          interval: '2m',
          'measure-every': '300ms',
          'consecutive-successes': '1000',
          'failure-limit': '0',
          'analysis-url': app.haproxy.url,
          'analysis-requests': '10',
          'max-error-rate': '1%'
        })
      } finally {
        deployEnded = true
      }
    })
    expect(await breakCanary).toBe('broken')
    expect(run.exitCode).toBe(1)
    const error = run.annotations.errors.join('\n')
    expect(error).toMatch(/analysis failed at 50%/)
    expect(run.summary).toMatch(/route back.*100% to stable blue \(v1\)/)
    expect(run.summary).toContain('Container logs: green')
    expect(run.summary).toMatch(/version v2-later listening/)
    // the canary's 500s are the exposure the analysis caught; after the step returned, none
    expect(traffic.failures.filter(f => f.seq >= after)).toEqual([])
    expect(versionShares(traffic.answers, after)).toEqual({ v1: 100 })
    await expectBackOnV1('v2-later')
    expect(
      (await app.listContainers()).filter(c => c.version === 'v2-later').map(c => c.state)
    ).toEqual(['exited', 'exited'])
  }, 240_000)
})

// Last: once host 1 runs v2, host 2's SSH goes away (every sshd of its namespace killed: the
// provider's open session and new connections fail; nothing after this may need host 2). The
// deploy must fail naming host 2, put host 1 back on v1, leave host 2 drained on v1, and never
// fail a request (each host is drained in HAProxy before its container is touched).
const ROLLING = { strategy: 'rolling', 'batch-size': '1' }

test('a host unreachable mid-rollout: the moved host goes back to v1, no request fails', async () => {
  // three hosts, one server each; its own environment: its Deployments stand apart
  const rolled = await fleet.app({
    name: 'rolled',
    layout: 'hosts',
    hostPort: 8280,
    inputs: { ...FAULT_INPUTS, environment: 'staging-rolling' }
  })
  const first = await rolled.deploy('v1', ROLLING)
  expect(first.exitCode === 0 ? '' : first.annotations.errors.join('; ')).toBe('')
  const [host1, host2] = rolled.hosts as [NetnsHost, NetnsHost]
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
  const { run, traffic, after } = await underLoad(
    rolled,
    async () => {
      try {
        return await rolled.deploy('v2', ROLLING)
      } finally {
        deployEnded = true
      }
    },
    FAULT_LOAD
  )
  expect((await cut).length).toBeGreaterThan(0)
  expect(run.exitCode).toBe(1)
  expect(run.outputs.status).toBe('failure')
  const error = run.annotations.errors.join('\n')
  // the cause, named: host 2's SSH, not a bare "Not connected" from a session already gone
  expect(error).toMatch(/host2 \(root@10\.231\.\d+\.12:22\): SSH root@10\.231\.\d+\.12:22: /)
  // the moved host went back to v1 behind the gate; the unreachable one stays drained
  expect(run.summary).toMatch(/restore \| host1 back on v1/)
  expect(run.summary).toMatch(/host2 could not be restored to v1 \(left drained\)/)
  expect(await rolled.runningOf('v2')).toEqual([])
  const running = (await rolled.listContainers()).filter(c => c.state === 'running')
  expect(running.map(c => `${c.host} ${c.version}`).sort()).toEqual([
    'host1 v1',
    'host2 v1',
    'host3 v1'
  ])
  const weights = await rolled.haproxy.router.weights()
  expect(weights.host1).toBeGreaterThan(0)
  expect(weights.host2).toBe(0)
  expect(weights.host3).toBeGreaterThan(0)
  // every host was drained before its container changed: not one request failed
  expect(traffic.failures).toEqual([])
  expect(versionShares(traffic.answers, after)).toEqual({ v1: 100 })
  expect(rolled.deployment('v2')?.states[0]).toBe('failure')
  expect(rolled.deployment('v1')?.states[0]).toBe('success')
  expect(fleet.gh.validationErrors).toEqual([])
}, 300_000)
