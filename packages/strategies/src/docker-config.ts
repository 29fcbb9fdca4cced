import { InputError, type Redactor } from '@slipway/kit'
import {
  buildDockerProvider,
  type DockerInputs,
  type Provider,
  type Transport
} from '@slipway/providers'
import type { DeployInputs } from './deploy-inputs.js'
import { haproxyInputs, type HaproxyDeployInputs } from './haproxy-inputs.js'
import type { ResolvedHealthCheck } from './health-check.js'
import type { StrategyName } from './types.js'

/** The docker/compose inputs besides those every provider shares (health, router, SSH). */
export type ContainerInputs = Pick<
  DockerInputs,
  | 'app'
  | 'repository'
  | 'image'
  | 'imageArchive'
  | 'registry'
  | 'registryUsername'
  | 'registryPassword'
  | 'composeFile'
  | 'hosts'
  | 'port'
  | 'hostPort'
  | 'publishAddress'
  | 'envFile'
  | 'secretEnv'
  | 'volumes'
  | 'labels'
  | 'cmd'
  | 'memory'
  | 'cpus'
  | 'network'
  | 'restart'
  | 'keepVersions'
  | 'parallel'
  | 'routerScope'
  | 'tempDir'
>

/** The providers that run an image (or a compose file) as containers on Docker hosts. */
export const CONTAINER_PROVIDERS = ['docker', 'compose'] as const
export type ContainerProvider = (typeof CONTAINER_PROVIDERS)[number]

export function isContainerProvider(provider: string): provider is ContainerProvider {
  return (CONTAINER_PROVIDERS as readonly string[]).includes(provider)
}

/** The values of `secret-env` (KEY=VALUE lines), to be masked before anything is logged. */
export function secretEnvValues(text: string | undefined): string[] {
  if (!text) return []
  return text
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line && !line.startsWith('#') && line.includes('='))
    .map(line => line.slice(line.indexOf('=') + 1))
    .filter(Boolean)
}

/** What the docker/compose provider needs of the deploy inputs every provider shares. */
export type SharedInputs = Pick<
  DeployInputs,
  | keyof HaproxyDeployInputs
  | 'provider'
  | 'environment'
  | 'targets'
  | 'healthPath'
  | 'healthCheck'
  | 'healthCommand'
  | 'healthUrl'
  | 'healthTimeoutMs'
  | 'hookTimeoutMs'
  | 'router'
  | 'routerHost'
  | 'upstreamFile'
  | 'upstreamName'
  | 'nginxTestCommand'
  | 'nginxReloadCommand'
  | 'nginxPidFile'
  | 'knownHosts'
  | 'sshPrivateKey'
  | 'container'
>

/**
 * Maps the deploy inputs to the docker provider's and builds it. The docker provider names its
 * own targets (slots, or the `hosts` for rolling), so `targets` is refused rather than ignored.
 * Every problem is an InputError naming the input, thrown before anything is touched.
 */
export function buildContainerProvider(
  inputs: SharedInputs,
  strategy: StrategyName,
  local: Transport,
  redactor?: Redactor
): Provider {
  if (inputs.targets.length > 0)
    throw new InputError(
      'targets',
      `nothing with provider ${inputs.provider}: list the Docker hosts in \`hosts\` (name [ssh=user@host[:port]] [address=IP]); the slots are the provider's own`,
      inputs.targets.join(', ')
    )
  const c = inputs.container ?? {}
  for (const value of secretEnvValues(c.secretEnv)) redactor?.add(value)
  redactor?.add(c.registryPassword)
  const docker: DockerInputs = {
    provider: inputs.provider as DockerInputs['provider'],
    strategy,
    environment: inputs.environment,
    app: c.app,
    repository: c.repository,
    image: c.image,
    imageArchive: c.imageArchive,
    registry: c.registry,
    registryUsername: c.registryUsername,
    registryPassword: c.registryPassword,
    composeFile: c.composeFile,
    hosts: c.hosts ?? [],
    port: c.port,
    hostPort: c.hostPort ?? 8080,
    publishAddress: c.publishAddress ?? '127.0.0.1',
    envFile: c.envFile,
    secretEnv: c.secretEnv,
    volumes: c.volumes ?? [],
    labels: c.labels ?? [],
    cmd: c.cmd,
    memory: c.memory,
    cpus: c.cpus,
    network: c.network,
    restart: c.restart ?? 'unless-stopped',
    keepVersions: c.keepVersions ?? 3,
    parallel: c.parallel ?? 0,
    healthPath: inputs.healthPath,
    healthCheck: (inputs.healthCheck ?? 'auto') as DockerInputs['healthCheck'],
    healthTimeoutMs: inputs.healthTimeoutMs,
    hookTimeoutMs: inputs.hookTimeoutMs,
    // Unset means the default, which for containers is HAProxy (docker has no router of its own).
    router: !inputs.router || inputs.router === 'provider' ? 'haproxy' : inputs.router,
    routerScope: c.routerScope ?? 'fleet',
    routerHost: inputs.routerHost,
    haproxy: haproxyInputs(inputs),
    nginx: {
      upstreamFile: inputs.upstreamFile,
      upstreamName: inputs.upstreamName,
      testCommand: inputs.nginxTestCommand,
      reloadCommand: inputs.nginxReloadCommand,
      pidFile: inputs.nginxPidFile
    },
    knownHosts: inputs.knownHosts,
    sshPrivateKey: inputs.sshPrivateKey,
    tempDir: c.tempDir
  }
  return buildDockerProvider(docker, { local, redactor })
}

/**
 * The docker health gate: the image's own HEALTHCHECK when it has one (auto), else an HTTP GET
 * of `health-path` on each host's published port; a container that exits or restarts fails it
 * at once. `command` has no meaning here (there is no hook to run).
 */
export function resolveContainerHealthCheck(inputs: SharedInputs): ResolvedHealthCheck {
  const setting = inputs.healthCheck ?? 'auto'
  if (!['auto', 'http', 'tcp', 'none'].includes(setting))
    throw new InputError(
      'health-check',
      `auto, http, tcp or none for the ${inputs.provider} provider`,
      setting
    )
  if (inputs.healthCommand)
    throw new InputError(
      'health-command',
      `nothing with provider ${inputs.provider} (the gate probes the containers themselves)`,
      inputs.healthCommand
    )
  if (inputs.healthUrl)
    throw new InputError(
      'health-url',
      `nothing with provider ${inputs.provider} (set health-path: it is probed on each host's published port)`,
      inputs.healthUrl
    )
  const exits = 'a container that exits or restarts fails the gate at once'
  if (setting === 'none')
    return {
      kind: 'none',
      describe:
        '⚠️ none (health-check: none): no probe runs; traffic moves to containers nobody checked'
    }
  if (setting === 'tcp')
    return {
      kind: 'tcp',
      describe: `tcp: a connection to each host's published port must be accepted; ${exits}`
    }
  return {
    kind: 'http',
    describe:
      setting === 'auto'
        ? `auto: the image's own HEALTHCHECK must report healthy where it has one, else GET ${inputs.healthPath} on each host's published port must answer 2xx; ${exits}`
        : `http: GET ${inputs.healthPath} on each host's published port must answer 2xx; ${exits}`
  }
}

/** Inputs that only the docker/compose providers read: set with another provider, they are refused. */
export function refuseContainerInputs(
  provider: string,
  c: Partial<ContainerInputs> | undefined
): void {
  if (!c) return
  const given: [string, unknown][] = [
    ['image', c.image],
    ['image-archive', c.imageArchive],
    ['registry', c.registry],
    ['registry-username', c.registryUsername],
    ['registry-password', c.registryPassword ? '***' : undefined],
    ['hosts', c.hosts?.length ? c.hosts.join(', ') : undefined],
    ['port', c.port],
    ['env-file', c.envFile],
    ['secret-env', c.secretEnv ? '***' : undefined],
    ['volumes', c.volumes?.length ? c.volumes.join(', ') : undefined],
    ['labels', c.labels?.length ? c.labels.join(', ') : undefined],
    ['cmd', c.cmd],
    ['memory', c.memory],
    ['cpus', c.cpus],
    ['network', c.network],
    ['compose-file', c.composeFile]
  ]
  const set = given.find(([, value]) => value !== undefined && value !== '')
  if (set)
    throw new InputError(
      set[0],
      `nothing with provider ${provider} (it is a docker/compose setting; set provider: docker)`,
      String(set[1])
    )
}
