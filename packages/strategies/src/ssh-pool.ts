import { SshTransport, type Transport } from '@slipway/providers'
import type { DeployInputs } from './deploy-inputs.js'
import { need } from './required-input.js'

/** What every SSH connection needs: the hosts' keys to verify and the key to log in with. */
export interface SshCredentials {
  knownHosts: string
  privateKey: string
}

/**
 * `known-hosts` and `ssh-private-key`, each refused when missing with why it is needed here.
 * Host keys are always verified: no known-hosts, no SSH.
 */
export function requireSshCredentials(
  inputs: Pick<DeployInputs, 'knownHosts' | 'sshPrivateKey'>,
  why: { knownHosts: string; privateKey: string }
): SshCredentials {
  return {
    knownHosts: need(inputs.knownHosts, 'known-hosts', why.knownHosts),
    privateKey: need(inputs.sshPrivateKey, 'ssh-private-key', why.privateKey)
  }
}

/** Whether a destination (a router host, a target's ssh=) means this runner itself. */
export function isLocalDestination(destination: string | undefined): boolean {
  return !destination || destination === 'local'
}

/**
 * A new SSH connection to `destination`. The credentials were required when the inputs named an
 * SSH destination, before anything was touched; their absence here is a bug, not a setting.
 */
export function openSsh(destination: string, credentials: SshCredentials | undefined): Transport {
  if (!credentials)
    throw new Error(`SSH to ${destination} without credentials: they were not required`)
  return new SshTransport({ destination, ...credentials })
}

/**
 * One SSH connection per destination, shared by every step that reaches it and closed together
 * when the deploy ends; local destinations run on this runner.
 */
export class SshPool {
  private readonly transports = new Map<string, Transport>()

  constructor(
    private readonly local: Transport,
    private readonly credentials: SshCredentials | undefined
  ) {}

  transportFor(destination: string | undefined): Transport {
    if (destination === undefined || isLocalDestination(destination)) return this.local
    let transport = this.transports.get(destination)
    if (!transport) {
      transport = openSsh(destination, this.credentials)
      this.transports.set(destination, transport)
    }
    return transport
  }

  async close(): Promise<void> {
    for (const transport of this.transports.values()) await transport.close()
  }
}
