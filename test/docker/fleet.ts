// A small container fleet for the end-to-end docker tests: N hosts in network namespaces (each
// with its own sshd and dockerd), one HAProxy in front of them in the root namespace with a
// server per host and slot (or per host for rolling), the test app's versions built once and
// saved as `docker save` archives, and the GitHub emulator that records the Deployments.
// deploy-strategy and rollback run as their bundles, the way the runner runs them.
//
// Observers turn what happens into ordered events instead of clock windows: HAProxy's weights
// (polled on its admin socket) and each host's `docker events` stream share one arrival order.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { DEFAULT_SERVER_CHECK } from '@slipway/haproxy'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { runBundle, type BundleOptions, type BundleRun } from '../helpers/run-bundle.js'
import {
  buildAppImage,
  imageId,
  saveImage,
  startDockerd,
  type AppImageOptions,
  type DockerdInstance
} from '../services/docker.js'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { startHosts, type NetnsHost, type NetnsHosts } from '../services/netns-hosts.js'

/** The app name the fleet's containers carry (`shop-blue-1.0.0`, label slipway.app=shop). */
export const APP = 'shop'
/** The container port and the published port (blue; green is +1). Each host is its own namespace. */
export const PORT = 8080

export interface FleetOptions {
  hosts: number
  /** `slots`: servers `<host>-blue` / `<host>-green` (blue-green, canary); `hosts`: one per host (rolling). */
  layout: 'slots' | 'hosts'
  /** The app versions to build and save as archives (options per version, e.g. a HEALTHCHECK). */
  versions: Record<string, Omit<AppImageOptions, 'version'>>
}

export interface ContainerState {
  name: string
  version: string
  slot: string
  /** `running`, `exited`, … */
  state: string
  id: string
  startedAt: string
}

export interface Fleet {
  hosts: NetnsHost[]
  haproxy: HaproxyInstance
  gh: Emulator
  /** version → `docker save` tarball (the `image-archive` input). */
  archives: Record<string, string>
  /** version → image id (`sha256:…`). */
  imageIds: Record<string, string>
  /** The docker provider inputs every deploy-strategy and rollback run of this fleet shares. */
  inputs: Record<string, string>
  /** Runs a bundle with the fleet's inputs, `extra` on top (a deadline, not a budget: 150 s). */
  run(name: 'deploy-strategy' | 'rollback', extra: BundleOptions['inputs']): Promise<BundleRun>
  /** The app's containers on a host (every state), by name. */
  containers(host: NetnsHost): Promise<Record<string, ContainerState>>
  /** Effective HAProxy weight per server (`host1-blue` …). */
  weights(): Promise<Record<string, number>>
  /** Stops everything the fleet started; every part is attempted even when one fails. Idempotent. */
  stop(): Promise<void>
}

let runCounter = 5000

/** Starts the fleet; on any failure stops what was already started and rethrows. */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const stops: Array<() => Promise<unknown>> = []
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const errors: unknown[] = []
      for (const part of stops.reverse()) await part().catch(error => errors.push(error))
      if (errors.length) console.warn(`fleet stop: ${errors.map(String).join('; ')}`)
    })()
    return stopping
  }
  try {
    const work = await mkdtemp(join(tmpdir(), 'slipway-fleet-'))
    stops.push(() => rm(work, { recursive: true, force: true }))
    const builder: DockerdInstance = await startDockerd({ name: 'fleet-build' })
    stops.push(() => builder.stop())
    const archives: Record<string, string> = {}
    const imageIds: Record<string, string> = {}
    for (const [version, image] of Object.entries(options.versions)) {
      const ref = await buildAppImage(builder, { ...image, version })
      archives[version] = join(work, `app-${version}.tar`)
      await saveImage(builder, ref, archives[version])
      imageIds[version] = await imageId(builder, ref)
    }
    const set: NetnsHosts = await startHosts(options.hosts, { local: builder })
    stops.push(() => set.stop())
    const servers = set.hosts.flatMap(host =>
      options.layout === 'hosts'
        ? [{ name: host.name, address: `${host.address}:${PORT}` }]
        : ['blue', 'green'].map((slot, i) => ({
            name: `${host.name}-${slot}`,
            address: `${host.address}:${PORT + i}`
          }))
    )
    const haproxy = await startHaproxy({
      name: 'slipway',
      servers: servers.map(server => ({ ...server, weight: 0, options: DEFAULT_SERVER_CHECK }))
    })
    stops.push(() => haproxy.stop())
    const gh = await startEmulator()
    stops.push(() => gh.closeUnchecked())
    const sha = gh.state.addCommit({ message: 'feat: the shop' })

    const inputs: Record<string, string> = {
      provider: 'docker',
      app: APP,
      environment: 'production',
      hosts: set.hosts
        .map(host => `${host.name} ssh=${host.ssh.destination} address=${host.address}`)
        .join('\n'),
      port: String(PORT),
      'host-port': String(PORT),
      // the router is in front of the fleet (another namespace): publish on each host's address
      'publish-address': 'host',
      'known-hosts': set.knownHosts,
      'ssh-private-key': set.privateKey,
      router: 'haproxy',
      'haproxy-socket': haproxy.socket,
      'haproxy-backend': 'slipway',
      'health-path': '/health',
      'health-interval': '200ms',
      'health-timeout': '60s',
      'hook-timeout': '60s',
      'drain-delay': '500ms',
      'haproxy-drain-timeout': '10s',
      'github-token': gh.token
    }
    const env = (): Record<string, string> => ({
      GITHUB_API_URL: gh.url,
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_SHA: sha,
      GITHUB_RUN_ID: String(runCounter++),
      SLIPWAY_GITHUB_WRITE_INTERVAL_MS: '0'
    })
    return {
      hosts: set.hosts,
      haproxy,
      gh,
      archives,
      imageIds,
      inputs,
      run: (name, extra) =>
        runBundle(name, { inputs: { ...inputs, ...extra }, env: env(), timeoutMs: 150_000 }),
      containers: host => appContainers(host),
      weights: () => haproxy.router.weights(),
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}

async function appContainers(host: NetnsHost): Promise<Record<string, ContainerState>> {
  const ids = (await host.docker(['ps', '-a', '-q', '--filter', `label=slipway.app=${APP}`]))
    .split('\n')
    .filter(Boolean)
  if (ids.length === 0) return {}
  const inspected = JSON.parse(await host.docker(['inspect', ...ids])) as Array<{
    Id: string
    Name: string
    State: { Status: string; StartedAt: string }
    Config: { Labels: Record<string, string> }
  }>
  return Object.fromEntries(
    inspected.map(c => {
      const name = c.Name.replace(/^\//, '')
      return [
        name,
        {
          name,
          version: c.Config.Labels['slipway.version'] ?? '',
          slot: c.Config.Labels['slipway.slot'] ?? '',
          state: c.State.Status,
          id: c.Id,
          startedAt: c.State.StartedAt
        }
      ]
    })
  )
}

// ---------- observers ----------

export type FleetEvent =
  | { order: number; kind: 'weights'; weights: Record<string, number>; seq: number }
  | {
      order: number
      kind: 'docker'
      host: string
      action: string
      container: string
      version: string
      seq: number
    }

export interface Observer {
  events: FleetEvent[]
  /** The weight observations where `test` first held (each change of weights is one event). */
  firstWeights(test: (weights: Record<string, number>) => boolean): FleetEvent | undefined
  stop(): Promise<void>
}

/**
 * Records, in one arrival order, every change of the HAProxy weights (polled every 50 ms on the
 * admin socket) and every container event of each host's dockerd. `seq` is the load's mark when
 * the event arrived: requests with a higher seq were written after the test saw the event.
 */
export function observe(fleet: Fleet, mark: () => number = () => 0): Observer {
  const events: FleetEvent[] = []
  let order = 0
  let stopped = false
  let last = ''
  const poll = (async () => {
    // bounded: 20 polls a second for at most 10 minutes, and `stop` ends it sooner
    for (let i = 0; i < 12_000 && !stopped; i++) {
      try {
        const weights = await fleet.weights()
        const key = JSON.stringify(weights)
        if (key !== last) {
          last = key
          events.push({ order: order++, kind: 'weights', weights, seq: mark() })
        }
      } catch {
        // the socket may be busy for a moment: poll again
      }
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  })()
  const streams: ChildProcess[] = fleet.hosts.map(host => {
    const child = spawn(
      'docker',
      ['events', '--filter', 'type=container', '--format', '{{json .}}'],
      { env: { ...process.env, DOCKER_HOST: host.dockerHost }, stdio: ['ignore', 'pipe', 'ignore'] }
    )
    createInterface({ input: child.stdout! }).on('line', line => {
      try {
        const event = JSON.parse(line) as {
          Action?: string
          status?: string
          Actor?: { Attributes?: Record<string, string> }
        }
        const attributes = event.Actor?.Attributes ?? {}
        if (attributes['slipway.app'] !== APP) return
        events.push({
          order: order++,
          kind: 'docker',
          host: host.name,
          action: event.Action ?? event.status ?? '',
          container: attributes.name ?? '',
          version: attributes['slipway.version'] ?? '',
          seq: mark()
        })
      } catch {
        // not an event line
      }
    })
    return child
  })
  return {
    events,
    firstWeights: test =>
      events.find(e => e.kind === 'weights' && test(e.weights as Record<string, number>)),
    async stop() {
      stopped = true
      await poll
      for (const child of streams) {
        if (child.exitCode !== null || child.signalCode !== null) continue
        const exited = new Promise(resolve => child.once('exit', resolve))
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 5000))])
      }
    }
  }
}

/** The share (percent) of answers per version among requests written in [from, to). */
export function sharesOf(
  answers: { seq: number; version: string }[],
  from: number,
  to = Infinity
): { total: number; shares: Record<string, number> } {
  const window = answers.filter(a => a.seq >= from && a.seq < to)
  const counts: Record<string, number> = {}
  for (const a of window) counts[a.version] = (counts[a.version] ?? 0) + 1
  return {
    total: window.length,
    shares: Object.fromEntries(
      Object.entries(counts).map(([v, n]) => [v, Math.round((n * 1000) / window.length) / 10])
    )
  }
}
