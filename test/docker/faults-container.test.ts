// Releases that break after they started, on two Docker hosts behind one HAProxy, deployed by the
// deploy-strategy bundle over SSH: a container that exits at start (the gate fails at once, not at
// its deadline), one that is never healthy (the gate fails at its deadline) and one that turns bad
// during canary analysis (traffic goes back to stable, the canary is torn down). Each ends with
// exit 1, traffic on v1, the failed container's logs in the summary, no bad container running and
// the Deployment marked failed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { versionShares } from '../services/load.js'
import { waitFor } from '../services/process.js'
import type { BundleRun } from '../helpers/run-bundle.js'
import { fillDisk, startFaultFleet, underLoad, type FaultFleet } from './fault-fleet.js'

const APP = 'faulty'
let fleet: FaultFleet

beforeAll(async () => {
  fleet = await startFaultFleet({
    app: APP,
    hosts: 2,
    layout: 'slots',
    images: [
      { version: 'v1' },
      { version: 'v2-exit', mode: 'exit' },
      { version: 'v2-never', mode: 'never-healthy' },
      { version: 'v2-later', mode: 'fail-later' },
      { version: 'v2-big' }
    ],
    // an image with a layer of its own, shipped by the deploy: it needs disk on every host
    padded: { 'v2-big': 8 },
    notPreloaded: ['v2-big'],
    // the hosts' disks: room for the base image, the containers, and v2-big's load (docker load
    // unpacks the whole archive into the data root first), and little more
    tmpfsDataRootMb: baseMb => Math.ceil(baseMb * 2.5) + 64,
    registry: true
  })
  const first = await fleet.deploy('v1')
  if (first.exitCode !== 0)
    throw new Error(`v1 did not deploy: ${first.annotations.errors.join('; ')}\n${first.stdout}`)
}, 240_000)

afterAll(async () => {
  await fleet?.stop()
}, 120_000)

/** What every failed deploy here must leave: v1 serving, nothing of `version` running, a failed Deployment. */
async function expectBackOnV1(version: string): Promise<void> {
  expect(await fleet.runningOf(version)).toEqual([])
  const running = (await fleet.containers()).filter(c => c.state === 'running')
  expect(running.map(c => `${c.host} ${c.slot} ${c.version}`).sort()).toEqual([
    'host1 blue v1',
    'host2 blue v1'
  ])
  expect(new Set(await fleet.answers(6))).toEqual(new Set(['v1']))
  const deployment = fleet.deployment(version)
  expect(deployment?.states[0]).toBe('failure')
  expect(fleet.deployment('v1')?.states[0]).toBe('success')
  // every request to GitHub matched its OpenAPI description
  expect(fleet.gh.validationErrors).toEqual([])
}

/** A failure before anything changed: nothing of `version` created, no Deployment, and the summary says so. */
async function expectNothingChanged(
  run: BundleRun,
  traffic: Awaited<ReturnType<typeof underLoad>>['traffic'],
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
  expect((await fleet.containers()).filter(c => c.version === version)).toEqual([])
  const running = (await fleet.containers()).filter(c => c.state === 'running')
  expect(running.map(c => `${c.host} ${c.slot} ${c.version}`).sort()).toEqual([
    'host1 blue v1',
    'host2 blue v1'
  ])
  expect(fleet.deployment(version)).toBeUndefined()
  expect(fleet.deployment('v1')?.states[0]).toBe('success')
  // every request to GitHub matched its OpenAPI description
  expect(fleet.gh.validationErrors).toEqual([])
  return error
}

describe('faults before anything changed (staging the image)', () => {
  test('an image that is not in the registry', async () => {
    const registry = fleet.registry!
    const { run, traffic } = await underLoad(fleet, () =>
      fleet.deploy('v2-missing', {
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
    const { run, traffic } = await underLoad(fleet, () =>
      fleet.deploy('v2-login', {
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
    const free = await fillDisk(fleet.hosts[1]!, 2 ** 20)
    let outcome: Awaited<ReturnType<typeof underLoad>>
    try {
      outcome = await underLoad(fleet, () => fleet.deploy('v2-big'))
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
    const { run, traffic, after } = await underLoad(fleet, () =>
      fleet.deploy('v2-exit', { 'health-timeout': '10m' })
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
    const { run, traffic } = await underLoad(fleet, () =>
      fleet.deploy('v2-never', { 'health-timeout': '5s' })
    )
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
          const weights = await fleet.haproxy.router.weights()
          return fleet.hosts.every(h => (weights[`${h.name}-green`] ?? 0) > 0)
        },
        150_000
      )
      for (const host of fleet.hosts)
        await host.docker(['exec', `${APP}-green-v2-later`, 'touch', '/tmp/fail'])
      return 'broken'
    })()
    breakCanary.catch(() => undefined)
    const { run, traffic, after } = await underLoad(fleet, async () => {
      try {
        return await fleet.deploy('v2-later', {
          strategy: 'canary',
          steps: '50',
          // analysis passes only at the end of a long interval: it must fail on the event above
          interval: '2m',
          'measure-every': '300ms',
          'consecutive-successes': '1000',
          'failure-limit': '0',
          'analysis-url': fleet.haproxy.url,
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
      (await fleet.containers()).filter(c => c.version === 'v2-later').map(c => c.state)
    ).toEqual(['exited', 'exited'])
  }, 240_000)
})
