// Blue-green with the docker provider over two hosts (network namespaces, each its own sshd and
// dockerd), the image shipped as a `docker save` archive (no registry), traffic through one
// HAProxy in front of the fleet. deploy-strategy runs as its bundle. A load that never retries
// runs through the switch: no request may fail, and which version answered is judged by the
// requests written after the deploy returned, never by clock windows.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { startTaggedLoad, versionShares, type TaggedAnswer } from '../services/load.js'
import { observe, startFleet, type Fleet } from './fleet.js'
import type { BundleRun } from '../helpers/run-bundle.js'

let fleet: Fleet | undefined

beforeAll(async () => {
  fleet = await startFleet({
    hosts: 2,
    layout: 'slots',
    versions: { '1.0.0': {}, '2.0.0': {} }
  })
}, 180_000)

afterAll(async () => {
  await fleet?.stop()
}, 120_000)

/** The bundle's own account when it did not succeed (the summary holds the container logs). */
function explain(run: BundleRun): string {
  return `exit ${run.exitCode}\n${run.stderr.slice(-3000)}\n${run.summary.slice(-3000)}`
}

const deploy = (f: Fleet, version: string) =>
  f.run('deploy-strategy', {
    strategy: 'blue-green',
    version,
    'image-archive': f.archives[version],
    'keep-previous': '0s'
  })

test(
  'blue-green over 2 hosts from an image archive: 0 failed requests, v2 alone after the switch, v1 stopped and kept',
  async () => {
    const f = fleet!
    const first = await deploy(f, '1.0.0')
    expect(first.exitCode === 0 ? '' : explain(first)).toBe('')

    const load = startTaggedLoad({
      url: f.haproxy.url,
      rate: 200,
      connections: 8,
      maxDurationMs: 180_000
    })
    const observer = observe(f, load.mark)
    let before: TaggedAnswer[]
    let second: BundleRun | undefined
    let afterDeploy: number
    try {
      await load.waitForAnswers(0, 100, 30_000)
      before = load.answered()
      second = await deploy(f, '2.0.0')
      afterDeploy = load.mark()
      await load.waitForAnswers(afterDeploy, 200, 30_000)
    } finally {
      await observer.stop()
    }
    const traffic = await load.stop()
    expect(second && second.exitCode === 0 ? '' : explain(second!)).toBe('')
    console.log(
      `blue-green over 2 hosts: ${traffic.answers.length} answered, ${traffic.failures.length} failed; v2 alone from request #${afterDeploy}`
    )

    expect(traffic.failures).toEqual([])
    expect(versionShares(before, 0)).toEqual({ '1.0.0': 100 })
    expect(versionShares(traffic.answers, afterDeploy)).toEqual({ '2.0.0': 100 })

    // v2 went to the idle slot on every host; v1's containers are stopped, not removed
    const v2Slot = (await f.containers(f.hosts[0]!))['shop-green-2.0.0'] ? 'green' : 'blue'
    const v1Slot = v2Slot === 'green' ? 'blue' : 'green'
    for (const host of f.hosts) {
      const containers = await f.containers(host)
      expect([host.name, containers[`shop-${v2Slot}-2.0.0`]?.state]).toEqual([host.name, 'running'])
      expect([host.name, containers[`shop-${v1Slot}-1.0.0`]?.state]).toEqual([host.name, 'exited'])
    }
    // HAProxy: every v2 server carries the traffic, no v1 server does
    const weights = await f.weights()
    for (const host of f.hosts) {
      expect(weights[`${host.name}-${v2Slot}`]).toBeGreaterThan(0)
      expect(weights[`${host.name}-${v1Slot}`]).toBe(0)
    }

    // event order: traffic left v1 (weights observed on the socket) before any v1 container stopped
    const switched = observer.firstWeights(w =>
      f.hosts.every(h => (w[`${h.name}-${v2Slot}`] ?? 0) > 0 && w[`${h.name}-${v1Slot}`] === 0)
    )
    const v1Stops = observer.events.filter(
      e =>
        e.kind === 'docker' && e.version === '1.0.0' && (e.action === 'kill' || e.action === 'die')
    )
    expect(switched).toBeDefined()
    expect(v1Stops.length).toBeGreaterThanOrEqual(f.hosts.length)
    for (const stop of v1Stops) expect(stop.order).toBeGreaterThan(switched!.order)
    // nothing of v1 was created or started again during the deploy
    expect(
      observer.events.filter(
        e => e.kind === 'docker' && e.version === '1.0.0' && /^(create|start)$/.test(e.action)
      )
    ).toEqual([])

    // the Deployment records the image id the archive held
    const recorded = f.gh.state.deployments.map(d => d.payload as Record<string, unknown>)
    expect(recorded.map(p => [p.version, p.image_id])).toEqual(
      expect.arrayContaining([
        ['1.0.0', f.imageIds['1.0.0']],
        ['2.0.0', f.imageIds['2.0.0']]
      ])
    )
  },
  // a deadline, not a budget: two bundle runs over SSH with health gates on a busy machine
  300_000
)
