import { InputError } from '@slipway/kit'
import { parseDestination } from '../ssh.js'
import type { DockerHost } from './options.js'

const FORM = '`name [ssh=user@host[:port]] [address=IP]`, one per line or comma-separated'
/** A host name prefixes HAProxy server names (`web1-blue`): HAProxy's name characters, short. */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/
const ADDRESS = /^(?:[A-Za-z0-9.-]{1,253}|[0-9A-Fa-f:.]{2,45})$/

/**
 * The `hosts` input: `web1 ssh=deploy@10.0.0.11 address=10.0.0.11`, one per line or comma
 * separated. Empty: this machine's Docker (`local`). A host without `ssh=` is this machine, so
 * there can be only one; every name and destination appears once.
 */
export function parseDockerHosts(items: string[]): DockerHost[] {
  const entries = items
    .flatMap(item => item.split(/[\n,]/))
    .map(entry => entry.trim())
    .filter(entry => entry !== '' && !entry.startsWith('#'))
  if (entries.length === 0) return [{ name: 'local', address: '127.0.0.1' }]
  const hosts: DockerHost[] = []
  for (const entry of entries) {
    const [name, ...fields] = entry.split(/\s+/)
    if (!HOST_NAME.test(name))
      throw new InputError('hosts', `${FORM}; a name of letters, digits and _.- first`, entry)
    let ssh: string | undefined
    let address: string | undefined
    for (const field of fields) {
      const [key, value] = [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)]
      if (key === 'ssh' && !ssh) {
        const destination = parseDestination(value)
        if (!destination || destination.port < 1 || destination.port > 65535)
          throw new InputError('hosts', `${FORM}; ssh= as user@host[:port]`, entry)
        ssh = value
      } else if (key === 'address' && !address) {
        if (!ADDRESS.test(value))
          throw new InputError('hosts', `${FORM}; address= as an IP address or host name`, entry)
        address = value
      } else throw new InputError('hosts', `${FORM}; only ssh= and address=, once each`, entry)
    }
    const sshHost = ssh ? parseDestination(ssh)!.host : undefined
    hosts.push({ name, ssh, address: address ?? sshHost ?? '127.0.0.1' })
  }
  const seen = new Set<string>()
  for (const host of hosts) {
    if (seen.has(host.name))
      throw new InputError('hosts', `${FORM}; each name once`, `${host.name} twice`)
    seen.add(host.name)
  }
  const destinations = hosts.map(host => host.ssh ?? 'local')
  const repeated = destinations.find((d, i) => destinations.indexOf(d) !== i)
  if (repeated)
    throw new InputError(
      'hosts',
      `${FORM}; each Docker host once (a host without ssh= is this machine)`,
      `${repeated} twice`
    )
  return hosts
}
