import { InputError, type Redactor } from '@slipway/kit'
import { SshTransport } from '../ssh.js'
import type { Transport } from '../transport.js'
import type { DockerHost, DockerInputs } from './options.js'

export interface DockerProviderDeps {
  /** This machine (a LocalTransport): the `local` host and a local router. */
  local: Transport
  redactor?: Redactor
  /** Connects to an SSH destination (default: an SshTransport with known-hosts and ssh-private-key). */
  transportFor?: (destination: string) => Transport
  /** Where the provider reports housekeeping and image staging. */
  log?: (line: string) => void
}

/** A required input's value, or an InputError saying why it is needed. */
export function need(value: string | undefined, input: string, why: string): string {
  if (!value) throw new InputError(input, `a value (${why})`, value)
  return value
}

/**
 * The router inputs and the SSH connections, shared by docker and compose: the router must be
 * haproxy or nginx, SSH hosts need known-hosts and a key, one transport per destination.
 */
export function connections(
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
  return (destination: string | undefined): Transport => {
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
}
