import { InputError } from '@slipway/kit'
import type { ServerState } from './parse.js'
import { checkName, checkWeight } from './runtime.js'

/** One server of the backend Slipway manages: a blue/green slot or a rolling host. */
export interface ServerSpec {
  name: string
  /** `host:port` HAProxy sends traffic to (before any runtime `setAddress`). */
  address: string
  /** Extra `server` keywords, e.g. `check inter 1s fall 2 rise 2`. One line, no `#`. */
  options?: string
  /** Weight when nothing is known yet (first render). Default 0 (no traffic). */
  weight?: number
}

export interface BackendSpec {
  /** The HAProxy backend name, e.g. `app` (the frontend's `default_backend`). */
  name: string
  servers: ServerSpec[]
  /** `roundrobin` (default) or `leastconn`: both honour weight changes at run time (static-rr does not). */
  balance?: 'roundrobin' | 'leastconn'
  /** Extra backend lines (`option httpchk GET /health`, `http-reuse safe` …), one per entry. */
  lines?: string[]
}

/** The state one server should be rendered in: weight, admin state, address. */
export interface RenderedServer {
  weight: number
  state: ServerState['state']
  address: string
}

const ONE_LINE = /^[^\n\r#]*$/

/**
 * HAProxy's own health check for the servers Slipway manages when the user gives none: a
 * server is probed every 2 s while up, every 500 ms while down or changing, and turns up after
 * 2 passed checks (about a second after the new version listens) and down after 3 failures.
 * Without `check` HAProxy counts a server up even with nothing listening, and a weight moved to
 * it answers 503s.
 */
export const DEFAULT_SERVER_CHECK = 'check inter 2s fastinter 500ms downinter 500ms rise 2 fall 3'

/** Server keywords with a health check: the user's own `check …` is kept as written. */
export function withHealthCheck(options: string | undefined): string {
  const words = options?.trim() ?? ''
  if (/(^|\s)check(\s|$)/.test(words)) return words
  return words ? `${words} ${DEFAULT_SERVER_CHECK}` : DEFAULT_SERVER_CHECK
}

/** Checks a backend spec once, up front: a bad spec is the user's input, named as such. */
export function checkBackendSpec(spec: BackendSpec, input = 'haproxy-backend'): BackendSpec {
  checkName(input, spec.name, 'an HAProxy backend name')
  if (!Array.isArray(spec.servers) || spec.servers.length === 0)
    throw new InputError(`${input}.servers`, 'at least one server', spec.servers)
  const seen = new Set<string>()
  for (const server of spec.servers) {
    checkName(`${input}.servers`, server.name, 'an HAProxy server name')
    if (seen.has(server.name))
      throw new InputError(`${input}.servers`, 'unique server names', server.name)
    seen.add(server.name)
    if (!/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/.test(server.address ?? '')) {
      throw new InputError(`${input}.servers.${server.name}.address`, 'host:port', server.address)
    }
    if (server.options !== undefined && !ONE_LINE.test(server.options)) {
      throw new InputError(
        `${input}.servers.${server.name}.options`,
        'server keywords on one line, without #',
        server.options
      )
    }
    if (server.weight !== undefined)
      checkWeight(`${input}.servers.${server.name}.weight`, server.weight)
  }
  if (spec.balance !== undefined && !['roundrobin', 'leastconn'].includes(spec.balance)) {
    throw new InputError(
      `${input}.balance`,
      'roundrobin or leastconn (algorithms whose weights change at run time)',
      spec.balance
    )
  }
  for (const line of spec.lines ?? []) {
    if (!ONE_LINE.test(line))
      throw new InputError(`${input}.lines`, 'one backend keyword per line, without #', line)
  }
  return spec
}

/**
 * Renders the backend section Slipway owns (a file of its own, loaded with a second `-f`).
 * It mirrors the runtime state so that a restart without the state file routes the same way:
 * `maint` → `disabled`; `drain` → `weight 0` (no new requests) with the kept weight in a comment.
 * `load-server-state-from-file local` makes a reload restore the exact runtime state
 * (weights, drain/maint, addresses) from the state file Slipway writes after each change.
 */
export function renderBackend(
  spec: BackendSpec,
  servers: Record<string, RenderedServer>,
  stateFile: string
): string {
  const lines = [
    '# Managed by Slipway (@slipway/haproxy). Weights and states mirror the runtime API:',
    '# change them with Slipway (or the admin socket, then `show servers state` > the state file).',
    `backend ${spec.name}`,
    `    balance ${spec.balance ?? 'roundrobin'}`,
    '    load-server-state-from-file local',
    `    server-state-file-name ${stateFile}`,
    ...(spec.lines ?? []).map(line => `    ${line.trim()}`)
  ]
  for (const server of spec.servers) {
    const live = servers[server.name] ?? {
      weight: server.weight ?? 0,
      state: 'ready',
      address: server.address
    }
    const weight = live.state === 'drain' ? 0 : live.weight
    const words = [`    server ${server.name} ${live.address} weight ${weight}`]
    if (server.options) words.push(server.options.trim())
    if (live.state === 'maint') words.push('disabled')
    if (live.state === 'drain') words.push(`# drain (weight ${live.weight})`)
    lines.push(words.join(' '))
  }
  return `${lines.join('\n')}\n`
}
