// The rollback bundle with the docker provider, on two hosts in network namespaces reached over
// SSH, images pulled from a password-protected registry on the hosts' bridge, an HAProxy in front,
// the GitHub emulator holding the Deployment history. The three ways back, fastest first:
//   (a) the previous version still runs (keep-previous): traffic is routed back, nothing starts;
//   (b) its container was stopped: `docker start` of the kept container, no pull, no load;
//   (c) its container is gone (housekeeping): the image recorded in the Deployment (its digest) is
//       pulled and run.
// The time to recover (MTTR) of each is printed; (a) runs under a load that never retries.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import type { BundleRun } from '../helpers/run-bundle.js'
import type { PushedImage, RegistryInstance } from '../services/registry.js'
import { versionShares } from '../services/load.js'
import {
  CUTOVER_INPUTS,
  explain,
  observe,
  startFleet,
  underLoad,
  type Fleet,
  type FleetApp,
  type Observer
} from './fleet.js'

const V1 = '1.0.0'
const V2 = '2.0.0'
/** A deadline, not a budget: bundle runs over SSH with health gates on a busy machine. */
const TEST_DEADLINE_MS = 240_000

let fleet: Fleet | undefined
let registry: RegistryInstance | undefined
let app: FleetApp
const pushed: Record<string, PushedImage> = {}
const mttr: string[] = []

beforeAll(async () => {
  fleet = await startFleet({
    hosts: 2,
    images: [{ version: V1 }, { version: V2 }],
    registry: true
  })
  registry = fleet.registry!
  for (const version of [V1, V2])
    pushed[version] = await registry.push(fleet.local, fleet.refs[version]!)
  app = await fleet.app({ name: 'rb', layout: 'slots', inputs: CUTOVER_INPUTS })
}, 240_000)

afterAll(async () => {
  if (mttr.length) console.log(`container rollback MTTR (2 hosts):\n  ${mttr.join('\n  ')}`)
  await fleet?.stop()
}, 120_000)

/** Inputs every run shares: the registry login; the image is the tag a job would name. */
function registryInputs(version: string): Record<string, string> {
  return {
    image: pushed[version]!.ref,
    registry: registry!.url,
    'registry-username': registry!.username,
    'registry-password': registry!.password
  }
}

async function deploy(version: string, keepPrevious: string): Promise<void> {
  const run = await app.run('deploy-strategy', {
    strategy: 'blue-green',
    version,
    'keep-previous': keepPrevious,
    ...registryInputs(version)
  })
  expect(run.exitCode === 0 ? '' : explain(run)).toBe('')
}

/**
 * Runs the rollback bundle (the job names the bad version's image, as a rollback job would) and
 * measures: the bundle's wall time, its `duration` output, and the time until HAProxy showed
 * traffic on v1's slot only.
 */
async function rollBack(
  label: string,
  observer: Observer
): Promise<{ run: BundleRun; mttr: string }> {
  const started = Date.now()
  const run = await app.run('rollback', { ...registryInputs(V2), reason: `test ${label}` })
  const wall = Date.now() - started
  const slot = await slotOf(V1)
  const other = slot === 'blue' ? 'green' : 'blue'
  const back = observer
    .weightChanges()
    .find(
      e =>
        e.at >= started &&
        app.hosts.every(
          h => (e.weights[`${h.name}-${slot}`] ?? 0) > 0 && e.weights[`${h.name}-${other}`] === 0
        )
    )
  const line = `${label}: traffic back after ${back ? `${((back.at - started) / 1000).toFixed(1)} s` : 'n/a'}, bundle ${(wall / 1000).toFixed(1)} s (duration output ${run.outputs.duration ?? '?'} s)`
  mttr.push(line)
  return { run, mttr: line }
}

/** rollBack while the app is observed; the observer has stopped when it resolves. */
async function observedRollBack(label: string): Promise<{ run: BundleRun; observer: Observer }> {
  const observer = observe(app)
  try {
    return { run: (await rollBack(label, observer)).run, observer }
  } finally {
    await observer.stop()
  }
}

/** The slot v1's container has on the first host (both hosts agree: the provider names them). */
async function slotOf(version: string): Promise<string> {
  const containers = Object.values(await app.containers(app.hosts[0]!))
  return containers.find(c => c.version === version)?.slot ?? 'unknown'
}

async function states(version: string): Promise<string[]> {
  const found: string[] = []
  for (const host of app.hosts) {
    const containers = Object.values(await app.containers(host)).filter(c => c.version === version)
    found.push(`${host.name}: ${containers.map(c => c.state).join(',') || 'none'}`)
  }
  return found
}

describe('container rollback, three ways back', () => {
  test(
    '(a) v1 still warm (keep-previous): route-back under load, 0 failed requests, no container started',
    async () => {
      await deploy(V1, '0s')
      await deploy(V2, '10m')
      // keep-previous > 0: the previous version's containers keep running, out of traffic
      expect(await states(V1)).toEqual(app.hosts.map(h => `${h.name}: running`))
      expect(await states(V2)).toEqual(app.hosts.map(h => `${h.name}: running`))

      const {
        run: result,
        traffic,
        after,
        observer
      } = await underLoad(app, observer => rollBack('(a) route-back to the warm slot', observer))
      const { run } = result
      console.log(
        `${result.mttr}; ${traffic.answers.length} answered, ${traffic.failures.length} failed`
      )
      expect(run.exitCode === 0 ? '' : explain(run)).toBe('')
      expect(run.outputs).toMatchObject({
        mode: 'route-back',
        'rolled-back-to': V1,
        'rolled-back-from': V2,
        status: 'success'
      })
      expect(traffic.failures).toEqual([])
      expect(versionShares(traffic.answers, after)).toEqual({ [V1]: 100 })
      // nothing created, started or pulled: only HAProxy's weights moved
      expect(observer.docker({ kind: 'container', action: /^(create|start)$/ })).toEqual([])
      expect(observer.docker({ kind: 'image', action: /^(pull|load)$/ })).toEqual([])
    },
    TEST_DEADLINE_MS
  )

  test(
    '(b) v1 stopped and kept: docker start of its container, nothing pulled or loaded',
    async () => {
      // v2 again, retiring v1 at once: its containers stop but stay
      await deploy(V2, '0s')
      expect(await states(V1)).toEqual(app.hosts.map(h => `${h.name}: exited`))
      const before: Record<string, string> = {}
      for (const host of app.hosts)
        for (const c of Object.values(await app.containers(host)))
          if (c.version === V1) before[host.name] = c.id

      const { run, observer } = await observedRollBack('(b) docker start of the kept container')
      expect(run.exitCode === 0 ? '' : explain(run)).toBe('')
      expect(run.outputs).toMatchObject({ 'rolled-back-to': V1, status: 'success' })
      // the same containers run again: started, not created
      for (const host of app.hosts) {
        const v1 = Object.values(await app.containers(host)).find(c => c.version === V1)
        expect([host.name, v1?.id, v1?.state]).toEqual([host.name, before[host.name], 'running'])
        expect(
          observer.docker({ kind: 'container', action: /^start$/, version: V1, host: host.name })
        ).toHaveLength(1)
      }
      expect(observer.docker({ kind: 'container', action: /^create$/ })).toEqual([])
      expect(observer.docker({ kind: 'image', action: /^(pull|load|import)$/ })).toEqual([])
      expect((await fetch(app.haproxy.url)).headers.get('x-version')).toBe(V1)
    },
    TEST_DEADLINE_MS
  )

  test(
    '(c) v1 container and image removed: the digest recorded in the Deployment is pulled and run',
    async () => {
      await deploy(V2, '0s')
      // what housekeeping does to a version past keep-versions: container and image removed
      for (const host of app.hosts) {
        for (const c of Object.values(await app.containers(host)))
          if (c.version === V1) await host.docker(['rm', c.id])
        await host.docker(['image', 'rm', '--force', fleet!.imageIds[V1]!])
      }
      expect(await states(V1)).toEqual(app.hosts.map(h => `${h.name}: none`))
      const recorded = fleet!.gh.state.deployments
        .map(d => d.payload as Record<string, unknown>)
        .find(p => p.version === V1 && p.image)
      expect(recorded?.image).toBe(pushed[V1]!.repoDigest)

      const { run, observer } = await observedRollBack(
        '(c) pull of the recorded digest and docker run'
      )
      expect(run.exitCode === 0 ? '' : explain(run)).toBe('')
      expect(run.outputs).toMatchObject({ 'rolled-back-to': V1, status: 'success' })
      for (const host of app.hosts) {
        const v1 = Object.values(await app.containers(host)).find(c => c.version === V1)
        expect([host.name, v1?.state, v1?.image]).toEqual([
          host.name,
          'running',
          fleet!.imageIds[V1]
        ])
        expect(
          observer.docker({ kind: 'image', action: /^pull$/, host: host.name }).map(e => e.name)
        ).toContain(pushed[V1]!.repoDigest)
      }
      expect((await fetch(app.haproxy.url)).headers.get('x-version')).toBe(V1)
      // the rollback's own Deployment records the image it ran, for the next rollback
      const rollbackRecord = fleet!.gh.state.deployments
        .map(d => d.payload as Record<string, unknown>)
        .filter(p => p.rollback_of !== undefined)
        .at(-1)
      expect(rollbackRecord).toMatchObject({ version: V1, image: pushed[V1]!.repoDigest })
    },
    TEST_DEADLINE_MS
  )
})
