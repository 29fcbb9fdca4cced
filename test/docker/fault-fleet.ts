// The fleet the docker fault tests break: hosts in network namespaces (each with its own sshd and
// dockerd), one HAProxy in the root namespace in front of them, the GitHub emulator recording
// Deployments, and the deploy-strategy BUNDLE run as the runner runs it. Images are built once in
// a private dockerd of the root namespace, saved as `image-archive` tarballs and copied into every
// host beforehand (the provider then finds their ids and skips the transfer: staging is not what
// most fault tests are about).
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statfsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_SERVER_CHECK } from '@slipway/haproxy'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { repoRoot, runBundle, type BundleRun } from '../helpers/run-bundle.js'
import {
  buildAppImage,
  saveImage,
  startDockerd,
  type AppImageOptions,
  type DockerdInstance
} from '../services/docker.js'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { startHosts, type NetnsHost, type NetnsHosts } from '../services/netns-hosts.js'
import { startRegistry, type RegistryInstance } from '../services/registry.js'
import { startTaggedLoad, type TaggedLoad, type TaggedLoadResult } from '../services/load.js'
import { exec, waitFor } from '../services/process.js'

/** The container port of the test app and the published port on every host (green: + 1). */
export const APP_PORT = 8080
const BUNDLE = join(repoRoot, 'dist', 'deploy-strategy', 'index.js')

export interface FaultFleetOptions {
  /** Names the containers (`<app>-<slot>-<version>`). */
  app: string
  hosts: number
  /** `slots`: servers `<host>-blue`/`<host>-green` (blue-green, canary); `hosts`: one per host (rolling). */
  layout: 'slots' | 'hosts'
  /** The versions built locally, saved as archives and loaded into every host. */
  images: AppImageOptions[]
  /** Versions built and saved but NOT copied into the hosts (the deploy must ship them). */
  notPreloaded?: string[]
  /** version → MiB of incompressible data in an extra layer (an image that needs disk to load). */
  padded?: Record<string, number>
  /** A tmpfs data root of this many MiB per host, given the base image's size in MiB. */
  tmpfsDataRootMb?: (baseImageMb: number) => number
  /** An htpasswd registry on the hosts' bridge. */
  registry?: boolean
  /** The registry's password (default: random). */
  registryPassword?: string
}

export interface FleetContainer {
  host: string
  name: string
  version: string
  slot: string
  /** running, exited, restarting, created … */
  state: string
}

export interface FaultFleet {
  local: DockerdInstance
  set: NetnsHosts
  hosts: NetnsHost[]
  haproxy: HaproxyInstance
  gh: Emulator
  registry?: RegistryInstance
  /** version → `docker save` tarball of its image. */
  archives: Record<string, string>
  /** version → image reference in the local dockerd. */
  refs: Record<string, string>
  /** The `hosts` input naming every host over SSH. */
  hostsInput: string
  /**
   * Runs the deploy-strategy bundle for `version` with the fleet's inputs, `inputs` on top (an
   * undefined value removes a default, e.g. `image-archive` when `image` is given).
   */
  deploy(
    version: string,
    inputs?: Record<string, string | undefined>,
    env?: Record<string, string>
  ): Promise<BundleRun>
  /** Every container of the app on every host, from each host's own dockerd. */
  containers(): Promise<FleetContainer[]>
  /** Containers of `version` that run (or restart) anywhere. */
  runningOf(version: string): Promise<FleetContainer[]>
  /** The versions that answer `n` requests through HAProxy, one after the other. */
  answers(n: number): Promise<string[]>
  /** The Deployment of this version (newest) and its statuses' states, newest first. */
  deployment(version: string): { id: number; states: string[]; descriptions: string[] } | undefined
  /** A non-retrying load through HAProxy, with answers seen before it returns. */
  startLoad(): Promise<TaggedLoad>
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

/** Runs `work` under a non-retrying load; resolves with the deploy's run and the traffic around it. */
export async function underLoad(
  fleet: FaultFleet,
  work: () => Promise<BundleRun>
): Promise<{ run: BundleRun; traffic: TaggedLoadResult; after: number }> {
  const load = await fleet.startLoad()
  let run: BundleRun
  let after: number
  try {
    run = await work()
    // every request written from here on was sent after the step returned
    after = load.mark()
    await load.waitForAnswers(after, 50, 60_000)
  } finally {
    await load.stop()
  }
  return { run, traffic: await load.stop(), after }
}

export async function startFaultFleet(options: FaultFleetOptions): Promise<FaultFleet> {
  const cleanups: (() => Promise<unknown>)[] = []
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined)
  }
  try {
    const work = await mkdtemp(join(tmpdir(), `slipway-faults-${options.app}-`))
    cleanups.push(() => rm(work, { recursive: true, force: true }))
    const local = await startDockerd({ name: `faults-${options.app}` })
    cleanups.push(() => local.stop())
    const refs: Record<string, string> = {}
    const archives: Record<string, string> = {}
    for (const image of options.images) {
      refs[image.version] = await buildAppImage(local, image)
      const padMb = options.padded?.[image.version]
      if (padMb) await padImage(local, refs[image.version], padMb, work)
      archives[image.version] = join(work, `${image.version}.tar`)
    }
    const preload = options.images
      .map(i => i.version)
      .filter(v => !options.notPreloaded?.includes(v))
    const bundle = join(work, 'preload.tar')
    // The archives and one bundle of every preloaded version (the base layer then travels once
    // to each host), saved side by side while the hosts start.
    const saved = Promise.all([
      ...options.images.map(i => saveImage(local, refs[i.version], archives[i.version])),
      ...(preload.length > 0
        ? [local.docker(['save', '-o', bundle, ...preload.map(v => refs[v])])]
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
          refs[options.images[0].version]
        ])
      ).trim()
    )
    const set = await startHosts(options.hosts, {
      local,
      tmpfsDataRootMb: options.tmpfsDataRootMb?.(Math.ceil(baseBytes / 2 ** 20))
    })
    cleanups.push(() => set.stop())
    await saved
    if (preload.length > 0) {
      await Promise.all(set.hosts.map(h => h.docker(['load', '-q', '-i', bundle])))
      await rm(bundle, { force: true })
    }
    const registry = options.registry
      ? await startRegistry({ address: set.bridgeAddress, password: options.registryPassword })
      : undefined
    if (registry) cleanups.push(() => registry.stop())

    const servers =
      options.layout === 'slots'
        ? set.hosts.flatMap(h => [
            { name: `${h.name}-blue`, address: `${h.address}:${APP_PORT}` },
            { name: `${h.name}-green`, address: `${h.address}:${APP_PORT + 1}` }
          ])
        : set.hosts.map(h => ({ name: h.name, address: `${h.address}:${APP_PORT}` }))
    const haproxy = await startHaproxy({
      name: 'slipway',
      servers: servers.map(s => ({ ...s, weight: 0, options: DEFAULT_SERVER_CHECK }))
    })
    cleanups.push(() => haproxy.stop())
    const gh = await startEmulator()
    cleanups.push(() => gh.close())
    const sha = gh.state.addCommit({ message: 'feat: the app' })
    const hostsInput = set.hosts
      .map(h => `${h.name} ssh=${h.ssh.destination} address=${h.address}`)
      .join('\n')
    let runs = 0

    const containers = async (): Promise<FleetContainer[]> => {
      const listed = await Promise.all(
        set.hosts.map(async host => {
          const out = await host.docker([
            'ps',
            '-a',
            '--filter',
            `label=slipway.app=${options.app}`,
            '--format',
            '{{.Names}}\t{{.Label "slipway.version"}}\t{{.Label "slipway.slot"}}\t{{.State}}'
          ])
          return out
            .split('\n')
            .filter(Boolean)
            .map(line => {
              const [name, version, slot, state] = line.split('\t')
              return { host: host.name, name, version, slot, state }
            })
        })
      )
      return listed.flat()
    }

    return {
      local,
      set,
      hosts: set.hosts,
      haproxy,
      gh,
      registry,
      archives,
      refs,
      hostsInput,
      async deploy(version, inputs = {}, env = {}) {
        // the version is a tag of the commit, so the Deployment's ref is the version itself
        gh.state.setRef(`refs/tags/${version}`, sha)
        runs++
        const all: Record<string, string | undefined> = {
          strategy: 'blue-green',
          version,
          environment: 'staging',
          provider: 'docker',
          app: options.app,
          'image-archive': archives[version],
          hosts: hostsInput,
          port: String(APP_PORT),
          'host-port': String(APP_PORT),
          'publish-address': 'host',
          'known-hosts': set.knownHosts,
          'ssh-private-key': set.privateKey,
          router: 'haproxy',
          'haproxy-socket': haproxy.socket,
          'haproxy-backend': 'slipway',
          'health-interval': '200ms',
          'health-timeout': '30s',
          'keep-previous': '0s',
          'drain-delay': '0',
          'github-token': gh.token,
          ...inputs
        }
        // Other work may be rebuilding the bundle right now (the build empties dist/<name> first).
        await waitFor('dist/deploy-strategy/index.js', () => existsSync(BUNDLE), 150_000)
        return runBundle('deploy-strategy', {
          inputs: all,
          env: {
            GITHUB_API_URL: gh.url,
            GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
            GITHUB_SHA: sha,
            // a run per deploy: a re-run of one job would continue its own Deployment
            GITHUB_RUN_ID: String(5000 + runs),
            ...env
          },
          timeoutMs: 170_000
        })
      },
      containers,
      async runningOf(version) {
        return (await containers()).filter(
          c => c.version === version && (c.state === 'running' || c.state === 'restarting')
        )
      },
      async answers(n) {
        const seen: string[] = []
        for (let i = 0; i < n; i++) {
          const res = await fetch(haproxy.url, { signal: AbortSignal.timeout(10_000) })
          const body = await res.text()
          seen.push(res.status === 200 ? body.split('\n')[0] : `HTTP ${res.status}`)
        }
        return seen
      },
      deployment(version) {
        const found = gh.state.deployments
          .filter(d => (d.payload as { version?: string } | undefined)?.version === version)
          .at(-1)
        if (!found) return undefined
        const statuses = gh.state.deploymentStatuses(found.id as number)
        return {
          id: found.id as number,
          states: statuses.map(s => String(s.state)),
          descriptions: statuses.map(s => String(s.description ?? ''))
        }
      },
      async startLoad() {
        const load = startTaggedLoad({ url: haproxy.url, rate: 100, connections: 4 })
        await load.waitForAnswers(0, 20, 30_000)
        return load
      },
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}
