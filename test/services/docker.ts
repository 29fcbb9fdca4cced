// A real Docker Engine for tests: a private dockerd (its own socket, data root, exec root and
// managed containerd in a temp dir) in the root network namespace or inside a test's network
// namespace, plus the images the docker tests run. No registry is reachable here, so the base
// image is imported from busybox-static and this machine's node binary with its libraries.
import { spawn, type ChildProcess } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  symlinkSync
} from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { exec, isAlive, stopProcess, tail, waitFor } from './process.js'

export interface DockerOptions {
  /** Standard input for the command (e.g. a password for `login --password-stdin`). */
  input?: string
  timeoutMs?: number
  /** Extra environment for the docker CLI. */
  env?: NodeJS.ProcessEnv
}

export interface DockerdInstance {
  /** The temp dir holding socket, data root, exec root, pidfile and the CLI's config. */
  dir: string
  /** `unix:///…/docker.sock` */
  host: string
  /** Environment that points a docker CLI at this daemon. */
  env: { DOCKER_HOST: string }
  /** Runs the docker CLI against this daemon; resolves with stdout, rejects unless it exits 0. */
  docker(args: string[], options?: DockerOptions): Promise<string>
  /** The dockerd process id (for leftover checks). */
  pid: number
  /** Stops containers, dockerd and its containerd, unmounts and removes everything. Idempotent. */
  stop(): Promise<void>
}

export interface DockerdOptions {
  /** Run inside this network namespace (`/run/netns/NAME`, entered with nsenter). */
  netns?: string
  /** Data root (default `<dir>/data`), e.g. a small tmpfs the caller mounted. */
  dataRoot?: string
  /** More `host:port` registries reached over plain HTTP (10.231.0.0/16 and loopback always are). */
  insecureRegistries?: string[]
  /** Label of the temp dir (default `dockerd`). */
  name?: string
  /** Host name the daemon reports (`docker info` Name): it runs in its own UTS namespace. */
  hostname?: string
}

/** Bridges of root-namespace daemons: `slwd<k>` with 10.231.<k>.0/24, k in this range. */
const ROOT_BRIDGES = { first: 200, last: 254 }

/**
 * A root-namespace daemon gets its own bridge (not docker0), so that several test files can each
 * run one at the same time; the bridge name is the lock: `ip link add` fails when it exists.
 */
async function claimBridge(): Promise<{ name: string; address: string }> {
  const span = ROOT_BRIDGES.last - ROOT_BRIDGES.first + 1
  const start = Math.floor(Math.random() * span)
  for (let i = 0; i < span; i++) {
    const k = ROOT_BRIDGES.first + ((start + i) % span)
    const name = `slwd${k}`
    try {
      await exec('ip', ['link', 'add', name, 'type', 'bridge'], { timeoutMs: 10_000 })
    } catch {
      continue
    }
    const address = `10.231.${k}.1/24`
    await exec('ip', ['addr', 'add', address, 'dev', name], { timeoutMs: 10_000 })
    await exec('ip', ['link', 'set', name, 'up'], { timeoutMs: 10_000 })
    return { name, address }
  }
  throw new Error('no free slwd* bridge for a test dockerd')
}

/** Resolves true when the daemon answers `GET /_ping` on its socket. */
function ping(socketPath: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, res => {
      res.resume()
      res.on('end', () => resolve(res.statusCode === 200))
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
    req.end()
  })
}

/** Pids of live processes whose command line mentions `needle` (our containerd and its shims). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') continue
      if (cmdline.includes(needle)) pids.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

/** Mount points at or below `dir`, deepest first (from our mount namespace's view). */
export function mountsUnder(dir: string): string[] {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map(line => line.split(' ')[4])
    .filter((point): point is string => !!point && (point === dir || point.startsWith(`${dir}/`)))
  return [...new Set(points)].sort((a, b) => b.length - a.length)
}

/**
 * Kills what is left of a daemon (containerd, shims) and unmounts its state below `dir` and
 * strictly below each of `alsoBelow` (a caller's data root mount stays for the caller); bounded.
 */
export async function sweep(dir: string, alsoBelow: string[] = []): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const pids = processesMentioning(dir)
    if (pids.length === 0) break
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await waitFor(`leftover processes of ${dir} to exit`, () => pids.every(p => !isAlive(p)), 5000)
  }
  const points = [
    ...mountsUnder(dir),
    ...alsoBelow.flatMap(root => mountsUnder(root).filter(point => point !== root))
  ]
  for (const point of points)
    await exec('umount', ['-l', point], { timeoutMs: 10_000 }).catch(() => undefined)
}

export async function startDockerd(options: DockerdOptions = {}): Promise<DockerdInstance> {
  const dir = await mkdtemp(join(tmpdir(), `slipway-${options.name ?? 'dockerd'}-`))
  const socket = join(dir, 'docker.sock')
  const host = `unix://${socket}`
  const configFile = join(dir, 'daemon.json')
  // an empty daemon config: the machine's /etc/docker/daemon.json must not leak into tests
  await writeFile(configFile, '{}\n')
  mkdirSync(join(dir, 'cli'), { recursive: true })
  const bridge = options.netns ? undefined : await claimBridge()
  const dataRoot = options.dataRoot ?? join(dir, 'data')
  const args = [
    '--data-root',
    dataRoot,
    '--exec-root',
    join(dir, 'exec'),
    '--pidfile',
    join(dir, 'dockerd.pid'),
    '--config-file',
    configFile,
    '-H',
    host,
    // no rules in the machine's firewall: published ports go through docker-proxy, which
    // reaches the containers over the bridge from this namespace
    '--iptables=false',
    '--ip-masq=false',
    '--ip-forward=false',
    '--shutdown-timeout',
    '5',
    '--log-level',
    'warn',
    ...(bridge ? ['--bridge', bridge.name] : []),
    // test registries speak plain HTTP: on loopback (insecure by default) or a test bridge
    ...['10.231.0.0/16', ...(options.insecureRegistries ?? [])].flatMap(registry => [
      '--insecure-registry',
      registry
    ])
  ]
  // the host name travels as a positional parameter of a fixed script, never inside it
  const daemon = options.hostname
    ? ['unshare', '--uts', '--', 'sh', '-c', 'hostname "$0" && exec dockerd "$@"', options.hostname]
    : ['dockerd']
  const [command, ...argv] = options.netns
    ? ['nsenter', `--net=/run/netns/${options.netns}`, '--', ...daemon, ...args]
    : [...daemon, ...args]
  const child: ChildProcess = spawn(command!, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
  const output = tail(child)
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    // dockerd stops its containers (SIGTERM, then SIGKILL after --shutdown-timeout) and containerd
    await stopProcess(child, 'SIGTERM', 20_000)
    await sweep(dir, options.dataRoot ? [dataRoot] : [])
    await rm(dir, { recursive: true, force: true })
    if (bridge)
      await exec('ip', ['link', 'del', bridge.name], { timeoutMs: 10_000 }).catch(() => undefined)
  }
  try {
    await waitFor(
      `dockerd on ${socket}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`dockerd exited: ${output()}`)
        return existsSync(socket) && (await ping(socket))
      },
      30_000
    )
  } catch (error) {
    await stop()
    throw error
  }
  const env = { DOCKER_HOST: host }
  return {
    dir,
    host,
    env,
    pid: child.pid ?? 0,
    docker: (dockerArgs, opts = {}) =>
      exec('docker', dockerArgs, {
        // a private CLI config: logins in tests never touch the machine's ~/.docker
        env: { DOCKER_CONFIG: join(dir, 'cli'), ...env, ...opts.env },
        input: opts.input,
        timeoutMs: opts.timeoutMs ?? 120_000
      }),
    stop
  }
}

// ---------- images ----------

export const BASE_IMAGE = 'slipway-test/base:1'
const BUSYBOX_APPLETS = [
  'sh',
  'wget',
  'cat',
  'touch',
  'ls',
  'rm',
  'mkdir',
  'sleep',
  'echo',
  'env',
  'ps',
  'kill',
  'df',
  'true',
  'false'
]
const appSource = new URL('./container-app.mjs', import.meta.url).pathname
const baseImages = new WeakMap<DockerdInstance, Promise<string>>()

/** The libraries `ldd` lists for a binary (absolute paths). */
async function libraries(binary: string): Promise<string[]> {
  const listing = await exec('ldd', [binary], { timeoutMs: 10_000 })
  return [...listing.matchAll(/(\/\S+)/g)].map(match => match[1]!)
}

async function importBase(d: DockerdInstance): Promise<string> {
  const rootfs = await mkdtemp(join(d.dir, 'base-rootfs-'))
  try {
    for (const sub of ['bin', 'usr/bin', 'app', 'etc'])
      mkdirSync(join(rootfs, sub), { recursive: true })
    mkdirSync(join(rootfs, 'tmp'), { mode: 0o1777 })
    cpSync('/usr/bin/busybox', join(rootfs, 'bin/busybox'))
    for (const applet of BUSYBOX_APPLETS) symlinkSync('busybox', join(rootfs, 'bin', applet))
    // The files behind the links (libstdc++.so.6 → libstdc++.so.6.0.30): Node 24's cpSync with
    // `dereference` refuses a link to a file as "a directory", so the target is copied directly.
    copyFileSync(realpathSync('/usr/bin/node'), join(rootfs, 'usr/bin/node'))
    chmodSync(join(rootfs, 'usr/bin/node'), 0o755)
    for (const library of await libraries('/usr/bin/node')) {
      mkdirSync(join(rootfs, dirname(library)), { recursive: true })
      copyFileSync(realpathSync(library), join(rootfs, library))
    }
    cpSync(appSource, join(rootfs, 'app/app.mjs'))
    await writeFile(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n')
    await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\n')
    const archive = `${rootfs}.tar`
    await exec('tar', ['-C', rootfs, '-cf', archive, '.'], { timeoutMs: 60_000 })
    await d.docker(['import', '-c', 'ENV PATH=/usr/bin:/bin', archive, BASE_IMAGE])
    await rm(archive, { force: true })
    return BASE_IMAGE
  } finally {
    await rm(rootfs, { recursive: true, force: true })
  }
}

/** Imports `slipway-test/base:1` (busybox-static, node, /app/app.mjs) into this daemon, once per daemon. */
export function buildBaseImage(d: DockerdInstance): Promise<string> {
  let pending = baseImages.get(d)
  if (!pending) {
    pending = importBase(d)
    baseImages.set(d, pending)
    pending.catch(() => baseImages.delete(d))
  }
  return pending
}

export type AppMode = 'ok' | 'exit' | 'never-healthy' | 'fail-later'

export interface AppImageOptions {
  version: string
  /** Default `ok` (see container-app.mjs). */
  mode?: AppMode
  /**
   * Adds a HEALTHCHECK: busybox wget of /health every second. Failures within the start period
   * (default 10 s: a slow start on a busy machine) do not count; `retries` (default 3)
   * consecutive failures after it make the container unhealthy.
   */
  healthcheck?: boolean | { startPeriodS?: number; retries?: number }
  /** Container port (default 8080). */
  port?: number
  /** fail-later: answers this many requests well, then only 500s. */
  failAfter?: number
  /** Image reference (default `slipway-test/app:<version>`, `+` written as `_`). */
  tag?: string
}

/** The default reference of an app version: tags may not contain `+`. */
export function appImageRef(version: string): string {
  return `slipway-test/app:${version.replace(/\+/g, '_')}`
}

/**
 * Builds the test app for one version; resolves with its reference. The base image already
 * holds the app, so a version is one `docker commit` of a created (never started) container
 * with the version's settings: about a second, against several for a Dockerfile build.
 */
export async function buildAppImage(d: DockerdInstance, options: AppImageOptions): Promise<string> {
  await buildBaseImage(d)
  const tag = options.tag ?? appImageRef(options.version)
  const port = options.port ?? 8080
  const health = options.healthcheck === true ? {} : options.healthcheck || undefined
  const changes = [
    // JSON strings: a version is data, never Dockerfile syntax
    `ENV VERSION=${JSON.stringify(options.version)} MODE=${JSON.stringify(options.mode ?? 'ok')} PORT=${port}` +
      (options.failAfter ? ` FAIL_AFTER=${options.failAfter}` : ''),
    `EXPOSE ${port}`,
    ...(health
      ? [
          // (docker refuses a zero start period: 0 means none, so leave it out)
          `HEALTHCHECK --interval=1s --timeout=3s ` +
            (health.startPeriodS === 0 ? '' : `--start-period=${health.startPeriodS ?? 10}s `) +
            `--retries=${health.retries ?? 3} ` +
            'CMD wget -q -O /dev/null "http://127.0.0.1:$PORT/health" || exit 1'
        ]
      : []),
    'CMD ["node", "/app/app.mjs"]'
  ]
  const container = (await d.docker(['create', BASE_IMAGE, 'true'])).trim()
  try {
    await d.docker(['commit', ...changes.flatMap(change => ['--change', change]), container, tag])
  } finally {
    await d.docker(['rm', container]).catch(() => undefined)
  }
  return tag
}

/** `docker save` of an image into a tar file (for `image-archive` and for loading elsewhere). */
export async function saveImage(d: DockerdInstance, ref: string, file: string): Promise<void> {
  await d.docker(['save', '-o', file, ref])
}

/** `docker load` of a tar file written by saveImage. */
export async function loadImage(d: DockerdInstance, file: string): Promise<void> {
  await d.docker(['load', '-q', '-i', file])
}

/** The image id (`sha256:…`) of a reference in this daemon. */
export async function imageId(d: DockerdInstance, ref: string): Promise<string> {
  return (await d.docker(['image', 'inspect', '--format', '{{.Id}}', ref])).trim()
}
