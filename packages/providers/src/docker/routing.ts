import { InputError } from '@slipway/kit'
import { haproxyRouterFromInputs, type HaproxyTrafficRouter } from '../haproxy.js'
import { NginxRouter } from '../nginx.js'
import type { Transport } from '../transport.js'
import type { Target } from '../types.js'
import { need } from './connections.js'
import { FanoutRouter, type InnerRouter } from './fanout-router.js'
import { haproxyInner, nginxInner } from './inner-routers.js'
import type { DockerHost, DockerInputs, DockerProviderOptions } from './options.js'

const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]{2,45})$/
const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1)$/

/** What the router needs to know of the fleet: which servers exist and where they publish. */
export type RoutedFleet = Pick<
  DockerProviderOptions,
  'strategy' | 'hosts' | 'hostPort' | 'publishAddress'
>

/**
 * `publish-address`: 127.0.0.1 by default, `host` (each host's address) or an IP address;
 * `expected` is the provider's wording of the allowed values.
 */
export function checkPublishAddress(value: string | undefined, expected: string): string {
  const publishAddress = value || '127.0.0.1'
  if (publishAddress !== 'host' && !IP.test(publishAddress))
    throw new InputError('publish-address', expected, publishAddress)
  return publishAddress
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

/**
 * The fan-out router the strategies steer: `fleet` is one router with a server per host and
 * slot (or per host, rolling); `per-host` is each host's own router with servers `blue`/`green`.
 */
export function buildRouter(
  inputs: DockerInputs,
  fleet: RoutedFleet,
  transportFor: (destination: string | undefined) => Transport
): FanoutRouter {
  const slots = fleet.strategy === 'rolling' ? [] : ['blue', 'green']
  const portOf = (slot: string): number => (slot === 'green' ? fleet.hostPort + 1 : fleet.hostPort)
  const routerHost =
    inputs.routerHost && inputs.routerHost !== 'local' ? inputs.routerHost : undefined
  if (inputs.routerScope === 'per-host') {
    const routers = fleet.hosts.map(host => {
      const servers = slots.map(slot => ({
        name: slot,
        address: serverAddress(host, fleet.publishAddress, true, portOf(slot))
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
  const targets = fleet.strategy === 'rolling' ? fleet.hosts.map(h => h.name) : slots
  const serversOf = (target: string): string[] =>
    fleet.strategy === 'rolling' ? [target] : fleet.hosts.map(h => `${h.name}-${target}`)
  const servers: Target[] = fleet.hosts.flatMap(host => {
    const onHost = (host.ssh ?? undefined) === routerHost
    return fleet.strategy === 'rolling'
      ? [
          {
            name: host.name,
            address: serverAddress(host, fleet.publishAddress, onHost, fleet.hostPort)
          }
        ]
      : slots.map(slot => ({
          name: `${host.name}-${slot}`,
          address: serverAddress(host, fleet.publishAddress, onHost, portOf(slot))
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
