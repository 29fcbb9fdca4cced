// The docker provider's cutovers end to end: deploy-strategy runs as its bundle against hosts in
// network namespaces (each its own sshd and dockerd) reached over SSH, the image shipped as a
// `docker save` archive (no registry), traffic through an HAProxy in front of the fleet. A load
// that never retries runs through every cutover — blue-green, each canary step, a rolling update
// over 3 hosts — and no request may fail. Which version answered is judged by the requests
// written after an event (the deploy returned, HAProxy's weights changed), never by clock windows.
//
// One fleet for the three (starting hosts and building images is most of the cost); each strategy
// has its own app name, ports and HAProxy, so the tests do not depend on one another.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { versionShares } from '../services/load.js'
import type { BundleRun } from '../helpers/run-bundle.js'
import {
  CUTOVER_INPUTS,
  explain,
  sharesOf,
  startFleet,
  underLoad,
  type Fleet,
  type FleetApp
} from './fleet.js'

const V1 = '1.0.0'
const V2 = '2.0.0'
/** A deadline, not a budget: bundle runs over SSH with health gates on a busy machine. */
const TEST_DEADLINE_MS = 300_000

let fleet: Fleet
/** The app of each test, by name, and the run of its first deploy (v1). */
const apps: Record<string, FleetApp> = {}
const firsts: Record<string, BundleRun> = {}

beforeAll(async () => {
  // v1 is on every host already; v2 is shipped by the first deploy that needs it
  fleet = await startFleet({
    hosts: 3,
    images: [{ version: V1 }, { version: V2 }],
    preload: [V1]
  })
  // Each strategy's app and its first deploy of v1, side by side: they share nothing but the hosts.
  const f = fleet
  const firstOf = (strategy: string): Record<string, string> => ({
    strategy,
    version: V1,
    'image-archive': f.archives[V1]!,
    ...(strategy === 'rolling' ? { 'batch-size': '1' } : { 'keep-previous': '0s' })
  })
  const specs = [
    {
      name: 'bg',
      hosts: f.hosts.slice(0, 2),
      layout: 'slots',
      hostPort: 8080,
      first: 'blue-green'
    },
    {
      name: 'cn',
      hosts: f.hosts.slice(0, 2),
      layout: 'slots',
      hostPort: 8180,
      first: 'blue-green'
    },
    { name: 'roll', hosts: f.hosts, layout: 'hosts', hostPort: 8280, first: 'rolling' }
  ] as const
  await Promise.all(
    specs.map(async ({ first, ...spec }) => {
      const app = await f.app({ ...spec, inputs: CUTOVER_INPUTS })
      apps[spec.name] = app
      firsts[spec.name] = await app.run('deploy-strategy', firstOf(first))
    })
  )
}, 360_000)

afterAll(async () => {
  await fleet?.stop()
}, 120_000)

describe('container cutovers under load', () => {
  test(
    'blue-green over 2 hosts: 0 failed requests, v2 alone after the switch, v1 stopped and kept',
    async () => {
      const f = fleet
      const app = apps.bg!
      const deploy = (version: string) =>
        app.run('deploy-strategy', {
          strategy: 'blue-green',
          version,
          'image-archive': f.archives[version],
          'keep-previous': '0s'
        })
      const first = firsts.bg
      expect(first?.exitCode === 0 ? '' : explain(first)).toBe('')

      const { run, traffic, before, after, observer } = await underLoad(app, () => deploy(V2))
      expect(run.exitCode === 0 ? '' : explain(run)).toBe('')
      console.log(
        `blue-green, 2 hosts: ${traffic.answers.length} answered, ${traffic.failures.length} failed; v2 alone from request #${after}`
      )
      expect(traffic.failures).toEqual([])
      expect(versionShares(before, 0)).toEqual({ [V1]: 100 })
      expect(versionShares(traffic.answers, after)).toEqual({ [V2]: 100 })

      // v2 went to the idle slot on every host; v1's containers are stopped, not removed
      const v2Slot = (await app.containers(app.hosts[0]!))[`bg-green-${V2}`] ? 'green' : 'blue'
      const v1Slot = v2Slot === 'green' ? 'blue' : 'green'
      const weights = await app.weights()
      for (const host of app.hosts) {
        const containers = await app.containers(host)
        expect([host.name, containers[`bg-${v2Slot}-${V2}`]?.state]).toEqual([host.name, 'running'])
        expect([host.name, containers[`bg-${v1Slot}-${V1}`]?.state]).toEqual([host.name, 'exited'])
        expect(weights[`${host.name}-${v2Slot}`]).toBeGreaterThan(0)
        expect(weights[`${host.name}-${v1Slot}`]).toBe(0)
      }

      // traffic left v1 (seen on HAProxy's socket) before any v1 container was stopped
      const switched = observer.firstWeights(w =>
        app.hosts.every(h => (w[`${h.name}-${v2Slot}`] ?? 0) > 0 && w[`${h.name}-${v1Slot}`] === 0)
      )
      const v1Stops = observer.docker({ kind: 'container', action: /^(kill|die)$/, version: V1 })
      expect(switched).toBeDefined()
      expect(v1Stops.length).toBeGreaterThanOrEqual(app.hosts.length)
      for (const stop of v1Stops) expect(stop.order).toBeGreaterThan(switched!.order)
      // the v1 containers were neither recreated nor restarted by the deploy
      expect(
        observer.docker({ kind: 'container', action: /^(create|start)$/, version: V1 })
      ).toEqual([])

      // the Deployments record the image id each archive held
      const recorded = f.gh.state.deployments
        .map(d => d.payload as Record<string, unknown>)
        .filter(p => p.strategy === 'blue-green')
      expect(recorded.map(p => [p.version, p.image_id])).toEqual(
        expect.arrayContaining([
          [V1, f.imageIds[V1]],
          [V2, f.imageIds[V2]]
        ])
      )
    },
    TEST_DEADLINE_MS
  )

  test(
    'canary 20,50,100 over 2 hosts with HTTP analysis: 0 failed requests, v2 share as planned at each step',
    async () => {
      const f = fleet
      const app = apps.cn!
      const first = firsts.cn
      expect(first?.exitCode === 0 ? '' : explain(first)).toBe('')

      const { run, traffic, after, observer } = await underLoad(app, () =>
        app.run('deploy-strategy', {
          strategy: 'canary',
          version: V2,
          'image-archive': f.archives[V2],
          steps: '20,50,100',
          'analysis-url': `${app.haproxy.url}health`,
          // one wave of 5 requests per measurement: a measurement's budget is measure-every,
          // and a wave that a busy machine slows past it counts as errors
          'analysis-requests': '5',
          // two good measurements 2 s apart pass a step early: ≥ 2 s of load per step
          interval: '30s',
          'measure-every': '2s',
          'consecutive-successes': '2',
          'max-error-rate': '0',
          'max-latency': '5s',
          'keep-previous': '0s'
        })
      )
      expect(run.exitCode === 0 ? '' : explain(run)).toBe('')
      expect(traffic.failures).toEqual([])

      // Each step begins when HAProxy's weights show it on every server and ends at the next
      // change: the v2 share among requests written in between is the planned weight.
      const v2Slot = (await app.containers(app.hosts[0]!))[`cn-green-${V2}`] ? 'green' : 'blue'
      const v1Slot = v2Slot === 'green' ? 'blue' : 'green'
      const servers = (slot: string) => app.hosts.map(h => `${h.name}-${slot}`)
      const weightChanges = observer.weightChanges()
      const report: string[] = []
      for (const planned of [20, 50]) {
        const step = observer.firstWeights(
          w =>
            servers(v2Slot).every(s => w[s] === planned) &&
            servers(v1Slot).every(s => w[s] === 100 - planned)
        )
        expect([planned, step === undefined]).toEqual([planned, false])
        const next = weightChanges.find(e => e.order > step!.order)
        expect([planned, next === undefined]).toEqual([planned, false])
        const { total, shares } = sharesOf(traffic.answers, step!.seq, next!.seq)
        report.push(`${planned}%: ${shares[V2] ?? 0}% of ${total}`)
        // A sample, not a rate: how many requests a step sees depends on the machine's speed,
        // and HAProxy's weighted round robin keeps even a small sample close to the weight.
        expect([planned, total >= 50]).toEqual([planned, true])
        // wide enough for a loaded machine, narrow enough to tell 20 from 50 from 100
        expect([planned, Math.abs((shares[V2] ?? 0) - planned) <= 15]).toEqual([planned, true])
      }
      const full = observer.firstWeights(
        w => servers(v2Slot).every(s => w[s]! > 0) && servers(v1Slot).every(s => w[s] === 0)
      )
      expect(full).toBeDefined()
      console.log(
        `canary, 2 hosts: ${traffic.answers.length} answered, ${traffic.failures.length} failed; v2 share ${report.join(', ')}; then 100% from request #${after}`
      )
      expect(versionShares(traffic.answers, after)).toEqual({ [V2]: 100 })
      expect(run.outputs.status).toBe('success')
    },
    TEST_DEADLINE_MS
  )

  test(
    'rolling over 3 hosts, batch-size 1: 0 failed requests, each host drained before its container is replaced',
    async () => {
      const f = fleet
      const app = apps.roll!
      const deploy = (version: string) =>
        app.run('deploy-strategy', {
          strategy: 'rolling',
          version,
          'image-archive': f.archives[version],
          'batch-size': '1'
        })
      const first = firsts.roll
      expect(first?.exitCode === 0 ? '' : explain(first)).toBe('')

      const { run, traffic, before, after, observer } = await underLoad(app, () => deploy(V2))
      expect(run.exitCode === 0 ? '' : explain(run)).toBe('')
      console.log(
        `rolling, 3 hosts: ${traffic.answers.length} answered, ${traffic.failures.length} failed; v2 alone from request #${after}`
      )
      expect(traffic.failures).toEqual([])
      expect(versionShares(before, 0)).toEqual({ [V1]: 100 })
      expect(versionShares(traffic.answers, after)).toEqual({ [V2]: 100 })

      // Every host served when the deploy began; for each host, HAProxy showed it at weight 0
      // (drained) before its v1 container got the stop signal, with another host still serving.
      // Only the strategy changes weights, so a 0 seen before the stop is a drain before the stop,
      // however late the 50 ms poll saw it.
      const weightEvents = observer.weightChanges()
      expect(app.hosts.map(h => (weightEvents[0]?.weights[h.name] ?? 0) > 0)).toEqual(
        app.hosts.map(() => true)
      )
      for (const host of app.hosts) {
        const [kill] = observer.docker({
          kind: 'container',
          action: /^(kill|die|stop)$/,
          version: V1,
          host: host.name
        })
        expect([host.name, kill === undefined]).toEqual([host.name, false])
        const drained = weightEvents.filter(
          e =>
            e.order < kill!.order &&
            e.weights[host.name] === 0 &&
            app.hosts.some(h => h !== host && (e.weights[h.name] ?? 0) > 0)
        )
        expect([host.name, drained.length > 0]).toEqual([host.name, true])
      }
      // one host at a time: v1 stops on a host only after the previous host runs v2
      const order = app.hosts
        .map(host => ({
          host: host.name,
          stopped: observer.docker({
            kind: 'container',
            action: /^(kill|die|stop)$/,
            version: V1,
            host: host.name
          })[0]!.order,
          started: observer.docker({
            kind: 'container',
            action: /^start$/,
            version: V2,
            host: host.name
          })[0]?.order
        }))
        .sort((a, b) => a.stopped - b.stopped)
      for (let i = 1; i < order.length; i++)
        expect(order[i]!.stopped).toBeGreaterThan(order[i - 1]!.started ?? Infinity)
      // the summary's timeline says the same: drained, then updated, host by host
      for (const host of app.hosts) {
        const drained = run.summary.indexOf(`drained ${host.name}`)
        const updated = run.summary.indexOf(`updated ${host.name} to ${V2}`)
        expect([host.name, drained >= 0, updated > drained]).toEqual([host.name, true, true])
      }
      // every host ends on v2, back in HAProxy
      const weights = await app.weights()
      for (const host of app.hosts) {
        const running = Object.values(await app.containers(host)).filter(c => c.state === 'running')
        expect([host.name, running.map(c => c.version)]).toEqual([host.name, [V2]])
        expect(weights[host.name]).toBeGreaterThan(0)
      }
    },
    TEST_DEADLINE_MS
  )
})
