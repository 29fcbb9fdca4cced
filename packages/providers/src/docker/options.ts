import type { Redactor } from '@slipway/kit'
import type { Transport } from '../transport.js'
import type { Router, Target } from '../types.js'

/**
 * A Docker host: `local` (the runner's own Docker, `DOCKER_HOST` honoured) or a host reached
 * over SSH whose `docker` CLI talks to its own Engine.
 */
export interface DockerHost {
  /** Unique name (`web1`): the target name in rolling, a prefix of HAProxy server names. */
  name: string
  /** `user@host[:port]`; undefined = this machine. */
  ssh?: string
  /**
   * Where a router outside the host reaches the host's published ports (an IP or name).
   * Defaults to the SSH host, or 127.0.0.1 for local.
   */
  address: string
}

/** The image to run: exactly one of `reference` and `archive`. */
export interface ImageSource {
  /** `registry/name:tag` or `name@sha256:…` (validated by parseImageReference). */
  reference?: string
  /** A `docker save` tarball on this machine, loaded on every host that lacks its image id. */
  archive?: string
  /** Registry login (password via stdin only, into a throw-away DOCKER_CONFIG per run). */
  registry?: { server: string; username: string; password: string }
}

export interface ContainerSpec {
  /** The app's port inside the container (1–65535). */
  port: number
  /** KEY=VALUE lines from the user's env file (shipped as a file, never on a command line). */
  envFile?: string
  /** Secret KEY=VALUE pairs: a 0600 file under RUNNER_TEMP, shipped, used, removed; values masked. */
  secretEnv?: Record<string, string>
  /** `docker run -v` values (`/srv/data:/data:ro`, `name:/data`). */
  volumes: string[]
  /** Extra labels (the slipway.* labels are ours and cannot be overridden). */
  labels: Record<string, string>
  /** Overrides the image's command (argument array; never parsed by a shell). */
  cmd?: string[]
  memory?: string
  cpus?: string
  network?: string
  /** `no`, `on-failure[:N]`, `always`, `unless-stopped` (default). */
  restart: string
}

export interface DockerProviderOptions {
  /** Names containers (`<app>-<slot>-<version>`) and labels them `slipway.app`. [a-z0-9][a-z0-9_.-]* */
  app: string
  environment: string
  strategy: 'blue-green' | 'canary' | 'rolling'
  hosts: DockerHost[]
  image: ImageSource
  container: ContainerSpec
  /**
   * The host interface containers publish on: `127.0.0.1` by default (only a router on the
   * same host reaches them), `host` = each host's `address` (a router in front of the fleet).
   */
  publishAddress: '127.0.0.1' | 'host' | string
  /** blue-green/canary: blue publishes on hostPort, green on hostPort + 1; rolling: hostPort. */
  hostPort: number
  /** GET this path on the published port when the image has no HEALTHCHECK of its own. */
  healthPath: string
  /** `auto` = the image's HEALTHCHECK when it has one, else http. */
  healthCheck: 'auto' | 'http' | 'tcp'
  /** Stopped containers kept per app and host for a rollback without a pull (default 3). */
  keepVersions: number
  /** Hosts worked on at once within one step or batch (default: all). */
  parallel: number
  /** Per docker command (pull and load can take minutes). */
  commandTimeoutMs: number
  /** One transport per destination, reused (SSH connections). */
  transportFor(destination: string | undefined): Transport
  redactor?: Redactor
  /** Where the provider reports what it did besides the plan's steps (housekeeping, image staging). */
  log?: (line: string) => void
  /** RUNNER_TEMP (else the OS temp dir): the secret env file is written there, 0600, and removed. */
  tempDir?: string
}

/** How traffic reaches the containers (see fanout-router.ts). */
export interface DockerRouting {
  /**
   * `fleet`: one router (on `router-host`) whose backend has a server per host and slot
   * (`web1-blue` → web1's address:blue port). `per-host`: each host's own router (reached
   * over that host's SSH, on loopback), servers named by slot.
   */
  scope: 'fleet' | 'per-host'
  router: Router
}

/** The provider's slots (blue-green, canary) or hosts (rolling), as the strategies see them. */
export type DockerTargets = Target[]

/**
 * The docker/compose inputs as the action read them (kit readers already typed numbers and
 * durations). `buildDockerProvider` (build.ts) turns them into a Provider or throws an
 * InputError naming the input — before anything is touched.
 */
export interface DockerInputs {
  provider: 'docker' | 'compose'
  strategy: 'blue-green' | 'canary' | 'rolling'
  environment: string
  /** `app`; unset: the repository's name (`repository`, owner/name) lower-cased. */
  app?: string
  repository?: string
  image?: string
  imageArchive?: string
  registry?: string
  registryUsername?: string
  registryPassword?: string
  /** compose provider: the compose file deployed as one unit per slot. */
  composeFile?: string
  /** `name [ssh=user@host[:port]] [address=IP]`; empty = one local host. */
  hosts: string[]
  port?: number
  hostPort: number
  publishAddress: string
  envFile?: string
  /** KEY=VALUE lines. */
  secretEnv?: string
  volumes: string[]
  /** KEY=VALUE items. */
  labels: string[]
  /** A YAML/JSON list of arguments, or words separated by spaces. */
  cmd?: string
  memory?: string
  cpus?: string
  network?: string
  restart: string
  keepVersions: number
  /** 0 = every host at once. */
  parallel: number
  healthPath: string
  healthCheck: 'auto' | 'http' | 'tcp' | 'command' | 'none'
  healthTimeoutMs: number
  hookTimeoutMs: number
  /** `haproxy` (default for docker) or `nginx`; `provider` is refused (docker has no router of its own). */
  router: 'haproxy' | 'nginx' | 'provider'
  routerScope: 'fleet' | 'per-host'
  routerHost?: string
  haproxy: import('../haproxy.js').HaproxyInputs
  nginx?: {
    upstreamFile?: string
    upstreamName: string
    testCommand: string
    reloadCommand: string
    pidFile?: string
  }
  knownHosts?: string
  sshPrivateKey?: string
  /** RUNNER_TEMP (else the OS temp dir): where the secret env file is written, 0600. */
  tempDir?: string
}
