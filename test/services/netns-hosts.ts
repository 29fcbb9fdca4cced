// Several "machines" for multi-host docker tests: each host is a network namespace on a bridge
// of the root namespace, with its own sshd (key auth, clean session environment, DOCKER_HOST of
// its own daemon) and its own dockerd. The root namespace (HAProxy, load clients, the provider's
// SSH connections) reaches every host address directly over the bridge.
//
// Namespaces are entered with `nsenter --net=/run/netns/NAME`: `ip netns exec` remounts /sys
// and runc then finds no cgroups.
import { mkdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  loadImage as loadArchive,
  mountsUnder,
  startDockerd,
  type DockerOptions,
  type DockerdInstance
} from './docker.js'
import { exec, isAlive, stopProcess, waitFor } from './process.js'
import { keygen, publicKey, spawnSshd, writeSshdConfig } from './sshd.js'

export interface NetnsHost {
  /** `host1`, `host2`, … (also the host name its dockerd reports). */
  name: string
  /** The network namespace (`/run/netns/<netns>`). */
  netns: string
  /** The host's address on the bridge, `10.231.<k>.<10+i>` for host i (1-based). */
  address: string
  ssh: {
    /** `root@<address>:22` */
    destination: string
    /** known_hosts line of this host (`<address> ssh-ed25519 …`). */
    knownHosts: string
    privateKey: string
    port: number
  }
  /** Runs the docker CLI against this host's dockerd (from the root namespace, over its socket). */
  docker(args: string[], options?: DockerOptions): Promise<string>
  /** `unix:///…/docker.sock` of this host's dockerd. */
  dockerHost: string
  dockerd: DockerdInstance
}

export interface NetnsHosts {
  hosts: NetnsHost[]
  /** known_hosts lines of every host. */
  knownHosts: string
  /** The user key every host's sshd accepts (for root). */
  privateKey: string
  /** The root namespace's address on the bridge the hosts share. */
  bridgeAddress: string
  /** The bridge's name in the root namespace. */
  bridge: string
  /**
   * Copies images from `from` (default: options.local) into one host (0-based index) or all:
   * one `docker save` of every reference (shared layers travel once), `docker load` on each.
   */
  loadImage(target: number | 'all', ref: string | string[], from?: DockerdInstance): Promise<void>
  /** Stops every process, unmounts, deletes namespaces, links and temp dirs. Idempotent. */
  stop(): Promise<void>
}

export interface HostsOptions {
  /** Mount a tmpfs of this many MiB as each host's docker data root (a disk that fills up). */
  tmpfsDataRootMb?: number
  /** `host:port` of a plain-HTTP registry the hosts' dockerds may pull from. */
  registry?: string
  /** The root-namespace dockerd that loadImage copies images from by default. */
  local?: DockerdInstance
}

/** Bridges of host sets: `slw<k>` with 10.231.<k>.0/24; the root-namespace dockerds use 200+. */
const HOST_BRIDGES = { first: 0, last: 199 }

const ip = (args: string[]): Promise<string> => exec('ip', args, { timeoutMs: 10_000 })

/** Claims a free bridge (its name is the lock: `ip link add` fails when it exists). */
async function claimBridge(): Promise<number> {
  for (let k = HOST_BRIDGES.first; k <= HOST_BRIDGES.last; k++) {
    try {
      await ip(['link', 'add', `slw${k}`, 'type', 'bridge'])
    } catch {
      continue
    }
    await ip(['addr', 'add', `10.231.${k}.1/24`, 'dev', `slw${k}`])
    await ip(['link', 'set', `slw${k}`, 'up'])
    return k
  }
  throw new Error('no free slw* bridge for test hosts')
}

/** Pids of the processes inside a network namespace (none once it is empty or gone). */
async function pidsIn(netns: string): Promise<number[]> {
  const out = await ip(['netns', 'pids', netns]).catch(() => '')
  return out.split(/\s+/).filter(Boolean).map(Number)
}

/** Kills everything still running inside a namespace (sshd sessions, strays); bounded. */
async function emptyNamespace(netns: string): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const pids = (await pidsIn(netns)).filter(pid => pid !== process.pid)
    if (pids.length === 0) return
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone meanwhile
      }
    }
    await waitFor(`processes in ${netns} to exit`, () => pids.every(p => !isAlive(p)), 5000)
  }
}

interface HostParts {
  host: NetnsHost
  stop(): Promise<void>
}

async function startHost(
  k: number,
  i: number,
  root: string,
  userKey: string,
  options: HostsOptions
): Promise<HostParts> {
  const name = `host${i}`
  const netns = `slw${k}-h${i}`
  const veth = `slw${k}h${i}`
  const address = `10.231.${k}.${10 + i}`
  const dir = join(root, name)
  mkdirSync(dir, { recursive: true })
  const cleanups: Array<() => Promise<unknown>> = []
  const stop = async (): Promise<void> => {
    // newest first; every step runs even when an earlier one failed
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
    cleanups.length = 0
  }
  try {
    await ip(['netns', 'add', netns])
    cleanups.push(() => ip(['netns', 'del', netns]))
    cleanups.push(() => emptyNamespace(netns))
    await ip(['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns])
    cleanups.push(() => ip(['link', 'del', veth]).catch(() => undefined))
    await ip(['link', 'set', veth, 'master', `slw${k}`, 'up'])
    await ip(['-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0'])
    await ip(['-n', netns, 'link', 'set', 'eth0', 'up'])
    await ip(['-n', netns, 'link', 'set', 'lo', 'up'])
    // No default route: a host reaches its bridge's subnet (the root namespace, the registry,
    // the other hosts) and nothing else, so a stray pull or DNS lookup fails at once instead of
    // leaving the machine.

    let dataRoot: string | undefined
    if (options.tmpfsDataRootMb) {
      dataRoot = join(dir, 'data')
      mkdirSync(dataRoot)
      await exec('mount', [
        '-t',
        'tmpfs',
        '-o',
        `size=${options.tmpfsDataRootMb}m`,
        'tmpfs',
        dataRoot
      ])
      const mounted = dataRoot
      cleanups.push(async () => {
        for (const point of mountsUnder(mounted))
          await exec('umount', ['-l', point], { timeoutMs: 10_000 }).catch(() => undefined)
      })
    }
    const dockerd = await startDockerd({
      netns,
      hostname: name,
      dataRoot,
      name: `dockerd-${name}`,
      insecureRegistries: options.registry ? [options.registry] : []
    })
    cleanups.push(() => dockerd.stop())

    const hostKey = join(dir, 'host_ed25519')
    keygen(hostKey)
    const config = writeSshdConfig({
      dir,
      listen: `${address}:22`,
      hostKey,
      userKey,
      // a plain `docker` in a session talks to this host's own daemon
      setEnv: { DOCKER_HOST: dockerd.host }
    })
    const sshd = await spawnSshd({
      what: `sshd of ${name}`,
      config,
      address,
      port: 22,
      prefix: ['nsenter', `--net=/run/netns/${netns}`, '--']
    })
    cleanups.push(() => stopProcess(sshd, 'SIGTERM', 3000))
    return {
      host: {
        name,
        netns,
        address,
        ssh: {
          destination: `root@${address}:22`,
          knownHosts: `${address} ${publicKey(hostKey)}\n`,
          privateKey: readFileSync(userKey, 'utf8'),
          port: 22
        },
        docker: (args, opts) => dockerd.docker(args, opts),
        dockerHost: dockerd.host,
        dockerd
      },
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/** Starts `n` hosts (in parallel) on a bridge of their own. */
export async function startHosts(n: number, options: HostsOptions = {}): Promise<NetnsHosts> {
  if (!Number.isInteger(n) || n < 1 || n > 200)
    throw new Error(`startHosts: 1..200 hosts, got ${n}`)
  const k = await claimBridge()
  const bridge = `slw${k}`
  const root = await mkdtemp(join(tmpdir(), 'slipway-hosts-'))
  const userKey = join(root, 'user_ed25519')
  const parts: HostParts[] = []
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(parts.map(part => part.stop()))
      await ip(['link', 'del', bridge]).catch(() => undefined)
      await rm(root, { recursive: true, force: true })
    })()
    return stopping
  }
  try {
    keygen(userKey)
    const started = await Promise.allSettled(
      Array.from({ length: n }, (_, index) => startHost(k, index + 1, root, userKey, options))
    )
    for (const result of started) if (result.status === 'fulfilled') parts.push(result.value)
    const failed = started.find(result => result.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
  } catch (error) {
    await stop()
    throw error
  }
  const hosts = parts.map(part => part.host)
  let saved = 0
  return {
    hosts,
    knownHosts: hosts.map(host => host.ssh.knownHosts).join(''),
    privateKey: readFileSync(userKey, 'utf8'),
    bridgeAddress: `10.231.${k}.1`,
    bridge,
    async loadImage(target, ref, from = options.local) {
      if (!from) throw new Error('loadImage: no source dockerd (pass one, or options.local)')
      const targets = target === 'all' ? hosts : [hosts[target]]
      if (targets.some(host => !host)) throw new Error(`loadImage: no host ${target}`)
      const file = join(root, `image-${++saved}.tar`)
      try {
        await from.docker(['save', '-o', file, ...(Array.isArray(ref) ? ref : [ref])])
        await Promise.all(targets.map(host => loadArchive(host!.dockerd, file)))
      } finally {
        await rm(file, { force: true })
      }
    },
    stop
  }
}
