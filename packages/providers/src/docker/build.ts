import { InputError, type Redactor } from '@slipway/kit'
import { haproxyRouterFromInputs, type HaproxyTrafficRouter } from '../haproxy.js'
import { NginxRouter } from '../nginx.js'
import { SshTransport } from '../ssh.js'
import type { Transport } from '../transport.js'
import type { Provider, Target } from '../types.js'
import { APP_NAME } from './container-names.js'
import { FanoutRouter, type InnerRouter } from './fanout-router.js'
import { haproxyInner, nginxInner } from './inner-routers.js'
import { parseDockerHosts } from './hosts.js'
import {
  checkImage,
  checkInteger,
  checkPattern,
  checkPort,
  checkReadableFile,
  checkVolumes,
  parseCmd,
  parseLabels,
  parseSecretEnv
} from './inputs-check.js'
import type { DockerHost, DockerInputs, DockerProviderOptions, ImageSource } from './options.js'
import { DockerProvider } from './provider.js'
import { buildComposeProvider } from '../docker-compose/build.js'

export interface DockerProviderDeps {
  /** This machine (a LocalTransport): the `local` host and a local router. */
  local: Transport
  redactor?: Redactor
  /** Connects to an SSH destination (default: an SshTransport with known-hosts and ssh-private-key). */
  transportFor?: (destination: string) => Transport
  /** Where the provider reports housekeeping and image staging. */
  log?: (line: string) => void
}

const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]{2,45})$/
const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1)$/

function need(value: string | undefined, input: string, why: string): string {
  if (!value) throw new InputError(input, `a value (${why})`, value)
  return value
}

/**
 * Validates every docker input and builds the provider with its router(s). Throws an
 * InputError naming the input before anything is touched.
 */
export function buildDockerProvider(inputs: DockerInputs, deps: DockerProviderDeps): Provider {
  const redactor = deps.redactor
  redactor?.add(inputs.registryPassword)
  if (inputs.provider === 'compose') return buildCompose(inputs, deps)
  if (inputs.provider !== 'docker')
    throw new InputError('provider', 'docker or compose', inputs.provider)

  const app = (inputs.app || inputs.repository?.split('/').pop() || '').toLowerCase()
  if (!APP_NAME.test(app))
    throw new InputError(
      'app',
      'a name of lower-case letters, digits and _.- (default: the repository name)',
      app
    )

  const image = imageSource(inputs, redactor)
  const hosts = parseDockerHosts(inputs.hosts)
  const port = checkPort('port', inputs.port)
  const hostPort = checkPort(
    'host-port',
    inputs.hostPort,
    inputs.strategy === 'rolling' ? 65535 : 65534
  )
  const publishAddress = inputs.publishAddress || '127.0.0.1'
  if (publishAddress !== 'host' && !IP.test(publishAddress))
    throw new InputError(
      'publish-address',
      '127.0.0.1 (default), host, or an IP address of the hosts',
      publishAddress
    )
  const envFile = inputs.envFile
    ? checkReadableFile('env-file', inputs.envFile, 'KEY=VALUE lines for the container')
    : undefined
  const secretEnv = parseSecretEnv(inputs.secretEnv, redactor)
  const restart = checkPattern(
    'restart',
    inputs.restart || 'unless-stopped',
    /^(?:no|always|unless-stopped|on-failure(?::\d{1,4})?)$/,
    'no, always, unless-stopped or on-failure[:N]'
  )!
  const healthCheck = inputs.healthCheck
  if (!['auto', 'http', 'tcp', 'none'].includes(healthCheck))
    throw new InputError(
      'health-check',
      'auto, http, tcp or none for the docker provider',
      healthCheck
    )
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (!/^\/[^\s\x00-\x1F\x7F]*$/.test(inputs.healthPath))
    throw new InputError('health-path', 'a path starting with / (no spaces)', inputs.healthPath)
  const transportFor = connections(inputs, deps, hosts)

  const options: DockerProviderOptions = {
    app,
    environment: inputs.environment,
    strategy: inputs.strategy,
    hosts,
    image,
    container: {
      port,
      envFile,
      secretEnv,
      volumes: checkVolumes(inputs.volumes),
      labels: parseLabels(inputs.labels),
      cmd: parseCmd(inputs.cmd),
      memory: checkPattern(
        'memory',
        inputs.memory,
        /^\d+(?:\.\d+)?[bkmgBKMG]?$/,
        'a size such as 512m or 1g'
      ),
      cpus: checkPattern(
        'cpus',
        inputs.cpus,
        /^\d+(?:\.\d+)?$/,
        'a number of CPUs such as 0.5 or 2'
      ),
      network: checkPattern(
        'network',
        inputs.network,
        /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
        'a Docker network name'
      ),
      restart
    },
    publishAddress,
    hostPort,
    healthPath: inputs.healthPath,
    healthCheck: healthCheck === 'none' ? 'auto' : (healthCheck as 'auto' | 'http' | 'tcp'),
    keepVersions: checkInteger('keep-versions', inputs.keepVersions, 1, 100),
    parallel: checkInteger('parallel', inputs.parallel, 0, 1000),
    commandTimeoutMs: Math.max(inputs.hookTimeoutMs, 30_000),
    transportFor,
    redactor,
    log: deps.log,
    tempDir: inputs.tempDir
  }
  const router = buildRouter(inputs, options, transportFor)
  return new DockerProvider(options, router)
}

/**
 * The router inputs and the SSH connections, shared by docker and compose: the router must be
 * haproxy or nginx, SSH hosts need known-hosts and a key, one transport per destination.
 */
function connections(
  inputs: DockerInputs,
  deps: DockerProviderDeps,
  hosts: DockerHost[]
): (destination: string | undefined) => Transport {
  if (inputs.router === 'provider' || !['haproxy', 'nginx'].includes(inputs.router))
    throw new InputError(
      'router',
      'haproxy (default) or nginx: docker moves traffic through a router',
      inputs.router
    )
  if (inputs.routerScope !== 'fleet' && inputs.routerScope !== 'per-host')
    throw new InputError('router-scope', 'fleet or per-host', inputs.routerScope)
  if (inputs.routerScope === 'per-host' && inputs.strategy === 'rolling')
    throw new InputError(
      'router-scope',
      'fleet for rolling (the fleet router drains one host at a time)',
      inputs.routerScope
    )

  const remoteRouter =
    inputs.routerScope === 'fleet' && !!inputs.routerHost && inputs.routerHost !== 'local'
  if (hosts.some(h => h.ssh) || remoteRouter) {
    need(
      inputs.knownHosts,
      'known-hosts',
      'SSH hosts need their host keys (ssh-keyscan output you trust)'
    )
    need(inputs.sshPrivateKey, 'ssh-private-key', 'SSH hosts need a private key')
  }

  const transports = new Map<string, Transport>()
  const transportFor = (destination: string | undefined): Transport => {
    if (!destination || destination === 'local') return deps.local
    let transport = transports.get(destination)
    if (!transport) {
      transport =
        deps.transportFor?.(destination) ??
        new SshTransport({
          destination,
          knownHosts: inputs.knownHosts!,
          privateKey: inputs.sshPrivateKey!
        })
      transports.set(destination, transport)
    }
    return transport
  }
  return transportFor
}

/** The compose provider: its own inputs checked there, the hosts, connections and fan-out router of docker's. */
function buildCompose(inputs: DockerInputs, deps: DockerProviderDeps): Provider {
  const hosts = parseDockerHosts(inputs.hosts)
  const publishAddress = inputs.publishAddress || '127.0.0.1'
  if (publishAddress !== 'host' && !IP.test(publishAddress))
    throw new InputError(
      'publish-address',
      '127.0.0.1 (default), host, or the IP address the compose file publishes on',
      publishAddress
    )
  const transportFor = connections(inputs, deps, hosts)
  const routing = {
    strategy: inputs.strategy,
    hosts,
    hostPort: checkPort(
      'host-port',
      inputs.hostPort,
      inputs.strategy === 'rolling' ? 65535 : 65534
    ),
    publishAddress
  } as DockerProviderOptions
  return buildComposeProvider(inputs, {
    hosts,
    router: buildRouter(inputs, routing, transportFor),
    transportFor,
    redactor: deps.redactor,
    commandTimeoutMs: Math.max(inputs.hookTimeoutMs, 30_000)
  })
}

function imageSource(inputs: DockerInputs, redactor?: Redactor): ImageSource {
  if (inputs.image && inputs.imageArchive)
    throw new InputError(
      'image-archive',
      'either image or image-archive, not both',
      inputs.imageArchive
    )
  if (!inputs.image && !inputs.imageArchive)
    throw new InputError(
      'image',
      'an image reference (or image-archive: a docker save tarball)',
      undefined
    )
  const source: ImageSource = inputs.image
    ? { reference: checkImage(inputs.image) }
    : { archive: checkReadableFile('image-archive', inputs.imageArchive!, 'a docker save tarball') }
  const login = [inputs.registryUsername, inputs.registryPassword]
  if (inputs.registry || login.some(Boolean)) {
    if (!inputs.image)
      throw new InputError(
        'registry',
        'no registry with image-archive (nothing is pulled)',
        inputs.registry
      )
    const server = checkPattern(
      'registry',
      need(
        inputs.registry,
        'registry',
        'the registry that registry-username/registry-password log in to'
      ),
      /^[A-Za-z0-9.-]+(?::\d{1,5})?$/,
      'a registry host[:port], e.g. ghcr.io'
    )!
    source.registry = {
      server,
      username: need(
        inputs.registryUsername,
        'registry-username',
        `the user that logs in to ${server}`
      ),
      password: need(
        inputs.registryPassword,
        'registry-password',
        `the password or token for ${server}`
      )
    }
    redactor?.add(source.registry.password)
  }
  return source
}

/** The address a router outside the container reaches a host's published port at. */
function serverAddress(
  host: DockerHost,
  publishAddress: string,
  routerOnHost: boolean,
  port: number
): string {
  const ip =
    publishAddress === 'host' || publishAddress === '0.0.0.0' ? host.address : publishAddress
  if (LOOPBACK.test(ip) && !routerOnHost)
    throw new InputError(
      'publish-address',
      `an address the router reaches (host, or the hosts' private IP): containers on ${host.name} publish on ${ip}, which only ${host.name} itself reaches`,
      publishAddress
    )
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}`
}

function buildRouter(
  inputs: DockerInputs,
  options: DockerProviderOptions,
  transportFor: (destination: string | undefined) => Transport
): FanoutRouter {
  const slots = options.strategy === 'rolling' ? [] : ['blue', 'green']
  const portOf = (slot: string): number =>
    slot === 'green' ? options.hostPort + 1 : options.hostPort
  const routerHost =
    inputs.routerHost && inputs.routerHost !== 'local' ? inputs.routerHost : undefined
  if (inputs.routerScope === 'per-host') {
    const routers = options.hosts.map(host => {
      const servers = slots.map(slot => ({
        name: slot,
        address: serverAddress(host, options.publishAddress, true, portOf(slot))
      }))
      return innerRouter(inputs, servers, host.ssh, transportFor, host.name)
    })
    return new FanoutRouter({
      scope: 'per-host',
      routers,
      targets: slots,
      serversOf: slot => [slot]
    })
  }
  const targets = options.strategy === 'rolling' ? options.hosts.map(h => h.name) : slots
  const serversOf = (target: string): string[] =>
    options.strategy === 'rolling' ? [target] : options.hosts.map(h => `${h.name}-${target}`)
  const servers: Target[] = options.hosts.flatMap(host => {
    const onHost = (host.ssh ?? undefined) === routerHost
    return options.strategy === 'rolling'
      ? [
          {
            name: host.name,
            address: serverAddress(host, options.publishAddress, onHost, options.hostPort)
          }
        ]
      : slots.map(slot => ({
          name: `${host.name}-${slot}`,
          address: serverAddress(host, options.publishAddress, onHost, portOf(slot))
        }))
  })
  const router = innerRouter(inputs, servers, routerHost, transportFor, routerHost ?? 'local')
  return new FanoutRouter({ scope: 'fleet', routers: [router], targets, serversOf })
}

/** One HAProxy (runtime API) or nginx (upstream include) over the router host's transport. */
function innerRouter(
  inputs: DockerInputs,
  servers: Target[],
  destination: string | undefined,
  transportFor: (destination: string | undefined) => Transport,
  label: string
): InnerRouter {
  if (inputs.router === 'nginx') {
    const nginx = inputs.nginx
    const upstreamFile = need(
      nginx?.upstreamFile,
      'nginx-upstream-file',
      'the upstream include Slipway writes'
    )
    if (!upstreamFile.startsWith('/'))
      throw new InputError('nginx-upstream-file', 'an absolute path', upstreamFile)
    if (!/^[A-Za-z0-9_]+$/.test(nginx!.upstreamName))
      throw new InputError(
        'nginx-upstream-name',
        'an nginx upstream name ([A-Za-z0-9_])',
        nginx!.upstreamName
      )
    const router = new NginxRouter({
      targets: servers,
      environment: inputs.environment,
      transportFor,
      routerHost: destination,
      upstreamFile,
      upstreamName: nginx!.upstreamName,
      testCommand: nginx!.testCommand,
      reloadCommand: nginx!.reloadCommand,
      pidFile: nginx!.pidFile,
      releaseDir: '/nonexistent',
      startCommand: 'false',
      healthPath: inputs.healthPath,
      hookTimeoutMs: inputs.hookTimeoutMs
    })
    return nginxInner(router, label)
  }
  const router: HaproxyTrafficRouter = haproxyRouterFromInputs(
    {
      ...inputs.haproxy,
      routerHost: destination ?? 'local',
      upTimeoutMs: inputs.haproxy.upTimeoutMs ?? inputs.healthTimeoutMs
    },
    servers,
    transportFor
  )
  return haproxyInner(router, label)
}
