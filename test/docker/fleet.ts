// The container fleet of the end-to-end docker tests: N hosts in network namespaces (each with its
// own sshd and dockerd), the test app's versions built once in a private dockerd of the root
// namespace and saved as `docker save` archives (the `image-archive` input), optionally copied into
// every host beforehand (a deploy then finds their ids and ships nothing), an htpasswd registry on
// the hosts' bridge when asked, the GitHub emulator that records the Deployments, and per app one
// HAProxy in front of its hosts with a server per host and slot (or per host for rolling).
// deploy-strategy and rollback run as their bundles, the way the runner runs them.
//
// Observers turn what happens into ordered events instead of clock windows: HAProxy's weights
// (polled on its admin socket) and each host's `docker events` stream share one arrival order.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statfsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { DEFAULT_SERVER_CHECK } from '@slipway/haproxy'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { repoRoot, runBundle, type BundleOptions, type BundleRun } from '../helpers/run-bundle.js'
import {
  buildAppImage,
  imageId,
  saveImage,
  startDockerd,
  type AppImageOptions,
  type DockerdInstance
} from '../services/docker.js'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import {
  startTaggedLoad,
  type TaggedAnswer,
  type TaggedLoad,
  type TaggedLoadResult
} from '../services/load.js'
import { startHosts, type NetnsHost, type NetnsHosts } from '../services/netns-hosts.js'
import { emulatorJobEnv } from '../services/job-env.js'
import { exec, waitFor } from '../services/process.js'
import { startRegistry, type RegistryInstance } from '../services/registry.js'

/** The test app's container port, and the default published port (green: + 1). */
export const APP_PORT = 8080

export interface FleetOptions {
  hosts: number
  /** The versions built locally and saved as archives. */
  images: AppImageOptions[]
  /** Versions copied into every host up front (a deploy then finds them there and ships nothing). */
  preload?: string[]
  /** version → MiB of incompressible data in an extra layer (an image that needs disk to load). */
  padded?: Record<string, number>
  /** A tmpfs data root of this many MiB per host, given the base image's size in MiB. */
  tmpfsDataRootMb?: (baseImageMb: number) => number
  /** An htpasswd registry on the hosts' bridge (with this password, default random). */
  registry?: boolean | { password: string }
}

/**
 * Inputs of apps whose tests watch a cutover step by step: a drain delay the weight observer (a
 * 50 ms poll) cannot miss, and deadlines for a busy machine.
 */
export const CUTOVER_INPUTS: Record<string, string> = {
  environment: 'production',
  'health-timeout': '60s',
  'hook-timeout': '90s',
  'drain-delay': '1s',
  'haproxy-drain-timeout': '10s'
}

/** Inputs of apps whose tests break a release: nothing kept warm, nothing waited for. */
export const FAULT_INPUTS: Record<string, string> = {
  environment: 'staging',
  'health-timeout': '30s',
  'keep-previous': '0s',
  'drain-delay': '0'
}

export interface AppOptions {
  /** The `app` input: names the containers (`<app>-<slot>-<version>`), label slipway.app. */
  name: string
  /** Default: every host of the fleet. */
  hosts?: NetnsHost[]
  /** `slots`: servers `<host>-blue` / `<host>-green` (blue-green, canary); `hosts`: one per host (rolling). */
  layout: 'slots' | 'hosts'
  /** The published port (blue; green is +1). Apps on the same hosts need distinct ports. */
  hostPort?: number
  /** Inputs on top of the fleet's (CUTOVER_INPUTS, FAULT_INPUTS). */
  inputs?: Record<string, string>
}

export interface ContainerState {
  host: string
  name: string
  version: string
  slot: string
  /** `running`, `exited`, `restarting`, `created` … */
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
  /**
   * Runs a bundle with the app's inputs, `extra` on top (an undefined value removes one, e.g.
   * `image-archive` when `image` is given). A deadline, not a budget: 170 s.
   */
  run(
    name: 'deploy-strategy' | 'rollback',
    extra: BundleOptions['inputs'],
    env?: Record<string, string>
  ): Promise<BundleRun>
  /**
   * deploy-strategy of `version` (blue-green from its archive unless `extra` says otherwise); the
   * version is a tag of the commit, so the Deployment's ref is the version itself.
   */
  deploy(
    version: string,
    extra?: BundleOptions['inputs'],
    env?: Record<string, string>
  ): Promise<BundleRun>
  /** The app's containers on a host (every state), by name. */
  containers(host: NetnsHost): Promise<Record<string, ContainerState>>
  /** The app's containers on every host, from each host's own dockerd. */
  listContainers(): Promise<ContainerState[]>
  /** Containers of `version` that run (or restart) anywhere. */
  runningOf(version: string): Promise<ContainerState[]>
  /** The versions that answer `n` requests through HAProxy, one after the other. */
  answers(n: number): Promise<string[]>
  /** The newest Deployment of `version` in the app's environment; its statuses, newest first. */
  deployment(version: string): { id: number; states: string[]; descriptions: string[] } | undefined
  /** Effective HAProxy weight per server (`host1-blue` …, or `host1` …). */
  weights(): Promise<Record<string, number>>
}

export interface Fleet {
  local: DockerdInstance
  hosts: NetnsHost[]
  set: NetnsHosts
  gh: Emulator
  registry?: RegistryInstance
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

/** Rebuilds `ref` with one more layer of `mb` MiB of random bytes (no RUN: COPY of a file). */
async function padImage(d: DockerdInstance, ref: string, mb: number, work: string): Promise<void> {
  const context = await mkdtemp(join(work, 'pad-'))
  await writeFile(join(context, 'pad'), randomBytes(mb * 2 ** 20))
  await writeFile(join(context, 'Dockerfile'), `FROM ${ref}\nCOPY pad /pad\n`)
  await d.docker(['build', '-q', '-t', ref, context], { env: { DOCKER_BUILDKIT: '0' } })
  await rm(context, { recursive: true, force: true })
}

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
    const local = await startDockerd({ name: 'fleet-builder' })
    stops.push(() => local.stop())
    const refs: Record<string, string> = {}
    const archives: Record<string, string> = {}
    const imageIds: Record<string, string> = {}
    // each version is a commit of the base image: side by side once the base is imported
    await Promise.all(
      options.images.map(async image => {
        const ref = await buildAppImage(local, image)
        const padMb = options.padded?.[image.version]
        if (padMb) await padImage(local, ref, padMb, work)
        refs[image.version] = ref
        archives[image.version] = join(work, `${image.version}.tar`)
        imageIds[image.version] = await imageId(local, ref)
      })
    )
    const preload = options.preload ?? []
    const bundle = join(work, 'preload.tar')
    // The archives and one bundle of every preloaded version (the base layer then travels once
    // to each host), saved side by side while the hosts start.
    const saved = Promise.all([
      ...options.images.map(i => saveImage(local, refs[i.version]!, archives[i.version]!)),
      ...(preload.length > 0
        ? [local.docker(['save', '-o', bundle, ...preload.map(v => refs[v]!)])]
        : [])
    ])
    saved.catch(() => undefined)
    const baseBytes = Number(
      (
        await local.docker([
          'image',
          'inspect',
          '--format',
          '{{.Size}}',
          refs[options.images[0]!.version]!
        ])
      ).trim()
    )
    const set = await startHosts(options.hosts, {
      local,
      tmpfsDataRootMb: options.tmpfsDataRootMb?.(Math.ceil(baseBytes / 2 ** 20))
    })
    stops.push(() => set.stop())
    await saved
    if (preload.length > 0) {
      await Promise.all(set.hosts.map(h => h.docker(['load', '-q', '-i', bundle])))
      await rm(bundle, { force: true })
    }
    const registry = options.registry
      ? await startRegistry({
          address: set.bridgeAddress,
          password: typeof options.registry === 'object' ? options.registry.password : undefined
        })
      : undefined
    if (registry) stops.push(() => registry.stop())
    const gh = await startEmulator()
    stops.push(() => gh.close())
    const sha = gh.state.addCommit({ message: 'feat: the shop' })

    const run: FleetApp['run'] = async (name, inputs, env = {}) => {
      // Other work may be rebuilding the bundle right now (the build empties dist/<name> first):
      // wait for it, and run again when it vanished between the check and node loading it (node
      // then ran nothing). Bounded: three attempts.
      const bundlePath = join(repoRoot, 'dist', name, 'index.js')
      let result: BundleRun | undefined
      for (let attempt = 0; attempt < 3; attempt++) {
        await waitFor(`dist/${name}/index.js`, () => existsSync(bundlePath), 150_000)
        result = await runBundleOnce(name, inputs, env)
        if (!result.stderr.includes(`Cannot find module '${bundlePath}'`)) break
      }
      return result!
    }
    const runBundleOnce = (
      name: string,
      inputs: BundleOptions['inputs'],
      env: Record<string, string>
    ): Promise<BundleRun> =>
      runBundle(name, {
        inputs,
        env: {
          ...emulatorJobEnv(gh, sha),
          ...env
        },
        timeoutMs: 170_000
      })

    const app = async (spec: AppOptions): Promise<FleetApp> => {
      const hosts = spec.hosts ?? set.hosts
      const hostPort = spec.hostPort ?? APP_PORT
      const servers = hosts.flatMap(host =>
        spec.layout === 'hosts'
          ? [{ name: host.name, address: `${host.address}:${hostPort}` }]
          : ['blue', 'green'].map((slot, i) => ({
              name: `${host.name}-${slot}`,
              address: `${host.address}:${hostPort + i}`
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
        hosts: hosts
          .map(host => `${host.name} ssh=${host.ssh.destination} address=${host.address}`)
          .join('\n'),
        port: String(APP_PORT),
        'host-port': String(hostPort),
        // the router is in front of the fleet (another namespace): publish on each host's address
        'publish-address': 'host',
        'known-hosts': set.knownHosts,
        'ssh-private-key': set.privateKey,
        router: 'haproxy',
        'haproxy-socket': haproxy.socket,
        'haproxy-backend': 'slipway',
        'health-path': '/health',
        'health-interval': '200ms',
        'github-token': gh.token,
        ...spec.inputs
      }
      const containers = (host: NetnsHost) => appContainers(host, spec.name)
      const listContainers = async (): Promise<ContainerState[]> =>
        (await Promise.all(hosts.map(async host => Object.values(await containers(host))))).flat()
      return {
        name: spec.name,
        hosts,
        haproxy,
        inputs,
        run: (name, extra, env) => run(name, { ...inputs, ...extra }, env),
        deploy: (version, extra = {}, env) => {
          gh.state.setRef(`refs/tags/${version}`, sha)
          return run(
            'deploy-strategy',
            {
              ...inputs,
              strategy: 'blue-green',
              version,
              'image-archive': archives[version],
              ...extra
            },
            env
          )
        },
        containers,
        listContainers,
        async runningOf(version) {
          return (await listContainers()).filter(
            c => c.version === version && (c.state === 'running' || c.state === 'restarting')
          )
        },
        async answers(n) {
          const seen: string[] = []
          for (let i = 0; i < n; i++) {
            const res = await fetch(haproxy.url, { signal: AbortSignal.timeout(10_000) })
            const body = await res.text()
            seen.push(res.status === 200 ? body.split('\n')[0]! : `HTTP ${res.status}`)
          }
          return seen
        },
        deployment(version) {
          // apps of one fleet deploy to environments of their own (auto_inactive stays apart)
          const found = gh.state.deployments
            .filter(
              d =>
                (d.payload as { version?: string } | undefined)?.version === version &&
                d.environment === inputs.environment
            )
            .at(-1)
          if (!found) return undefined
          const statuses = gh.state.deploymentStatuses(found.id as number)
          return {
            id: found.id as number,
            states: statuses.map(s => String(s.state)),
            descriptions: statuses.map(s => String(s.description ?? ''))
          }
        },
        weights: () => haproxy.router.weights()
      }
    }
    return { local, hosts: set.hosts, set, gh, registry, archives, imageIds, refs, app, stop }
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
          host: host.name,
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

// ---------- faults ----------

/**
 * Fills a host's data root (a tmpfs: see `tmpfsDataRootMb`) until `leaveBytes` are free;
 * resolves with the function that frees it again.
 */
export async function fillDisk(host: NetnsHost, leaveBytes: number): Promise<() => Promise<void>> {
  const root = (await host.docker(['info', '--format', '{{.DockerRootDir}}'])).trim()
  const fs = statfsSync(root)
  const free = fs.bavail * fs.bsize
  if (free <= leaveBytes) throw new Error(`${root} has only ${free} bytes free already`)
  const filler = join(root, 'slipway-test-filler')
  await exec('fallocate', ['-l', String(free - leaveBytes), filler])
  return () => rm(filler, { force: true })
}

/**
 * Makes a host unreachable over SSH: kills every sshd of its namespace (the listener and the
 * sessions the provider holds open). Its dockerd and containers keep running.
 */
export async function cutSsh(host: NetnsHost): Promise<number[]> {
  const pids = (await exec('ip', ['netns', 'pids', host.netns]))
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
  const sshd = pids.filter(pid => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sshd'
    } catch {
      return false
    }
  })
  for (const pid of sshd) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone meanwhile
    }
  }
  return sshd
}

// ---------- load ----------

export interface LoadOptions {
  /** Requests per second (default 200) over `connections` (default 8). */
  rate?: number
  connections?: number
  /** Answers awaited before the work starts (default 100). */
  warmup?: number
  /** Answers to requests written after the work returned, awaited before the load stops (default 200). */
  settle?: number
}

/** A load of 100 requests/s that fault tests run around a deploy. */
export const FAULT_LOAD: LoadOptions = { rate: 100, connections: 4, warmup: 20, settle: 50 }

export interface LoadedRun<T> {
  run: T
  traffic: TaggedLoadResult
  /** Answers received before the work began. */
  before: TaggedAnswer[]
  /** The load's mark when the work returned: requests from here on were written after it. */
  after: number
  observer: Observer
}

/**
 * Runs `work` under a load through the app's HAProxy that never retries, observed (weights and
 * docker events tagged with the load's mark): the load starts before it and stops only once
 * `settle` requests written after it returned were answered.
 */
export async function underLoad<T>(
  app: FleetApp,
  work: (observer: Observer) => Promise<T>,
  options: LoadOptions = {}
): Promise<LoadedRun<T>> {
  const { rate = 200, connections = 8, warmup = 100, settle = 200 } = options
  const load: TaggedLoad = startTaggedLoad({
    url: app.haproxy.url,
    rate,
    connections,
    maxDurationMs: 240_000
  })
  const observer = observe(app, load.mark)
  let run: T
  let before: TaggedAnswer[]
  let after: number
  try {
    await load.waitForAnswers(0, warmup, 30_000)
    before = load.answered()
    run = await work(observer)
    after = load.mark()
    await load.waitForAnswers(after, settle, 60_000)
  } finally {
    await observer.stop()
    await load.stop()
  }
  return { run, traffic: await load.stop(), before, after, observer }
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
