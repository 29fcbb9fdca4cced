// A small container fleet for the end-to-end docker tests: N hosts in network namespaces (each
// with its own sshd and dockerd), the test app's versions built once (on the first host) and
// saved as `docker save` archives, the GitHub emulator that records the Deployments, and per app
// one HAProxy in front of the hosts in the root namespace with a server per host and slot (or per
// host for rolling). deploy-strategy and rollback run as their bundles, the way the runner runs
// them.
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
  loadImage,
  saveImage,
  type AppImageOptions
} from '../services/docker.js'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { startHosts, type NetnsHost, type NetnsHosts } from '../services/netns-hosts.js'

export interface FleetOptions {
  hosts: number
  /** The app versions to build and save as archives (options per version, e.g. a HEALTHCHECK). */
  versions: Record<string, Omit<AppImageOptions, 'version'>>
  /** Versions loaded into every host up front (a deploy then finds them there and ships nothing). */
  preload?: string[]
}

export interface AppOptions {
  /** The `app` input: names the containers (`<app>-<slot>-<version>`), label slipway.app. */
  name: string
  hosts: NetnsHost[]
  /** `slots`: servers `<host>-blue` / `<host>-green` (blue-green, canary); `hosts`: one per host (rolling). */
  layout: 'slots' | 'hosts'
  /** The published port (blue; green is +1). Apps on the same hosts need distinct ports. */
  hostPort: number
}

export interface ContainerState {
  name: string
  version: string
  slot: string
  /** `running`, `exited`, … */
  state: string
  id: string
  image: string
  startedAt: string
}

/** One app on some of the fleet's hosts, with its own HAProxy in front. */
export interface FleetApp {
  name: string
  hosts: NetnsHost[]
  haproxy: HaproxyInstance
  /** The docker provider inputs every deploy-strategy and rollback run of this app shares. */
  inputs: Record<string, string>
  /** Runs a bundle with the app's inputs, `extra` on top (a deadline, not a budget: 150 s). */
  run(name: 'deploy-strategy' | 'rollback', extra: BundleOptions['inputs']): Promise<BundleRun>
  /** The app's containers on a host (every state), by name. */
  containers(host: NetnsHost): Promise<Record<string, ContainerState>>
  /** Effective HAProxy weight per server (`host1-blue` …, or `host1` …). */
  weights(): Promise<Record<string, number>>
}

export interface Fleet {
  hosts: NetnsHost[]
  set: NetnsHosts
  gh: Emulator
  /** version → `docker save` tarball (the `image-archive` input). */
  archives: Record<string, string>
  /** version → image id (`sha256:…`). */
  imageIds: Record<string, string>
  /** version → the reference the image was built as (`slipway-test/app:<version>`). */
  refs: Record<string, string>
  /** Starts an app's HAProxy (stopped with the fleet) and returns its inputs and helpers. */
  app(options: AppOptions): Promise<FleetApp>
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
    const set = await startHosts(options.hosts)
    stops.push(() => set.stop())
    // The first host builds the images (it then has every version, as a build machine would).
    const builder = set.hosts[0]!.dockerd
    const archives: Record<string, string> = {}
    const imageIds: Record<string, string> = {}
    const refs: Record<string, string> = {}
    for (const [version, image] of Object.entries(options.versions)) {
      refs[version] = await buildAppImage(builder, { ...image, version })
      archives[version] = join(work, `app-${version}.tar`)
      await saveImage(builder, refs[version], archives[version])
      imageIds[version] = await imageId(builder, refs[version])
    }
    for (const version of options.preload ?? [])
      await Promise.all(set.hosts.slice(1).map(host => loadImage(host.dockerd, archives[version]!)))
    const gh = await startEmulator()
    stops.push(() => gh.closeUnchecked())
    const sha = gh.state.addCommit({ message: 'feat: the shop' })
    const env = (): Record<string, string> => ({
      GITHUB_API_URL: gh.url,
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_SHA: sha,
      GITHUB_RUN_ID: String(runCounter++),
      SLIPWAY_GITHUB_WRITE_INTERVAL_MS: '0'
    })

    const app = async (spec: AppOptions): Promise<FleetApp> => {
      const servers = spec.hosts.flatMap(host =>
        spec.layout === 'hosts'
          ? [{ name: host.name, address: `${host.address}:${spec.hostPort}` }]
          : ['blue', 'green'].map((slot, i) => ({
              name: `${host.name}-${slot}`,
              address: `${host.address}:${spec.hostPort + i}`
            }))
      )
      const haproxy = await startHaproxy({
        name: 'slipway',
        servers: servers.map(server => ({ ...server, weight: 0, options: DEFAULT_SERVER_CHECK }))
      })
      stops.push(() => haproxy.stop())
      const inputs: Record<string, string> = {
        provider: 'docker',
        app: spec.name,
        environment: 'production',
        hosts: spec.hosts
          .map(host => `${host.name} ssh=${host.ssh.destination} address=${host.address}`)
          .join('\n'),
        port: '8080',
        'host-port': String(spec.hostPort),
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
        'hook-timeout': '90s',
        'drain-delay': '1s',
        'haproxy-drain-timeout': '10s',
        'github-token': gh.token
      }
      return {
        name: spec.name,
        hosts: spec.hosts,
        haproxy,
        inputs,
        run: (name, extra) =>
          runBundle(name, { inputs: { ...inputs, ...extra }, env: env(), timeoutMs: 150_000 }),
        containers: host => appContainers(host, spec.name),
        weights: () => haproxy.router.weights()
      }
    }
    return { hosts: set.hosts, set, gh, archives, imageIds, refs, app, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

async function appContainers(
  host: NetnsHost,
  app: string
): Promise<Record<string, ContainerState>> {
  const ids = (await host.docker(['ps', '-a', '-q', '--filter', `label=slipway.app=${app}`]))
    .split('\n')
    .filter(Boolean)
  if (ids.length === 0) return {}
  const inspected = JSON.parse(await host.docker(['inspect', ...ids])) as Array<{
    Id: string
    Name: string
    Image: string
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
          image: c.Image,
          startedAt: c.State.StartedAt
        }
      ]
    })
  )
}

// ---------- observers ----------

/**
 * `order`: arrival order across all sources; `seq`: the load's mark at arrival; `at`: Date.now()
 * at arrival, for reporting durations (MTTR) only — assertions use order and seq.
 */
export type FleetEvent =
  | { order: number; at: number; kind: 'weights'; weights: Record<string, number>; seq: number }
  | {
      order: number
      at: number
      kind: 'container' | 'image'
      host: string
      action: string
      /** container name, or the image reference / id */
      name: string
      version: string
      seq: number
    }

export type WeightEvent = Extract<FleetEvent, { kind: 'weights' }>
export type DockerEvent = Extract<FleetEvent, { kind: 'container' | 'image' }>

export interface Observer {
  events: FleetEvent[]
  /** Every observed change of the weights, in order. */
  weightChanges(): WeightEvent[]
  /** The first weight observation for which `test` held. */
  firstWeights(test: (weights: Record<string, number>) => boolean): WeightEvent | undefined
  /** Container or image events, optionally of one kind, action, version or host. */
  docker(filter?: {
    kind?: 'container' | 'image'
    action?: RegExp
    version?: string
    host?: string
  }): DockerEvent[]
  stop(): Promise<void>
}

/**
 * Records, in one arrival order, every change of the app's HAProxy weights (polled every 50 ms on
 * the admin socket), every container event of the app and every image event (pull, load, delete)
 * on each of its hosts. `seq` is the load's mark when the event arrived: requests with a higher
 * seq were written after the test saw the event.
 */
export function observe(app: FleetApp, mark: () => number = () => 0): Observer {
  const events: FleetEvent[] = []
  let order = 0
  let stopped = false
  let last = ''
  const poll = (async () => {
    // bounded: 20 polls a second for at most 10 minutes, and `stop` ends it sooner
    for (let i = 0; i < 12_000 && !stopped; i++) {
      try {
        const weights = await app.weights()
        const key = JSON.stringify(weights)
        if (key !== last) {
          last = key
          events.push({ order: order++, at: Date.now(), kind: 'weights', weights, seq: mark() })
        }
      } catch {
        // the socket may be busy for a moment: poll again
      }
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  })()
  const streams: ChildProcess[] = app.hosts.map(host => {
    const child = spawn(
      'docker',
      ['events', '--filter', 'type=container', '--filter', 'type=image', '--format', '{{json .}}'],
      { env: { ...process.env, DOCKER_HOST: host.dockerHost }, stdio: ['ignore', 'pipe', 'ignore'] }
    )
    createInterface({ input: child.stdout! }).on('line', line => {
      try {
        const event = JSON.parse(line) as {
          Type?: string
          Action?: string
          id?: string
          Actor?: { ID?: string; Attributes?: Record<string, string> }
        }
        const attributes = event.Actor?.Attributes ?? {}
        const kind = event.Type === 'image' ? 'image' : 'container'
        if (kind === 'container' && attributes['slipway.app'] !== app.name) return
        events.push({
          order: order++,
          at: Date.now(),
          kind,
          host: host.name,
          action: event.Action ?? '',
          // a container's name; an image's reference as given (a pull by digest keeps it)
          name:
            (kind === 'image' ? event.Actor?.ID : attributes.name) ??
            attributes.name ??
            event.id ??
            '',
          version: attributes['slipway.version'] ?? '',
          seq: mark()
        })
      } catch {
        // not an event line
      }
    })
    return child
  })
  const isWeights = (e: FleetEvent): e is WeightEvent => e.kind === 'weights'
  return {
    events,
    weightChanges: () => events.filter(isWeights),
    firstWeights: test => events.filter(isWeights).find(e => test(e.weights)),
    docker: (filter = {}) =>
      events.filter(
        (e): e is DockerEvent =>
          e.kind !== 'weights' &&
          (!filter.kind || e.kind === filter.kind) &&
          (!filter.action || filter.action.test(e.action)) &&
          (filter.version === undefined || e.version === filter.version) &&
          (filter.host === undefined || e.host === filter.host)
      ),
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

/** The bundle's own account when it did not succeed (the summary holds the container logs). */
export function explain(run: BundleRun | undefined): string {
  if (!run) return 'the bundle did not run'
  return `exit ${run.exitCode}\n${run.stderr.slice(-3000)}\n${run.stdout.slice(-3000)}\n${run.summary.slice(-3000)}`
}
