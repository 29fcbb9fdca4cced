import { InputError, UserError } from '@slipway/kit'
import type { ProbeOutcome } from '@slipway/probes'
import {
  ExecChannel,
  HaproxyRouter,
  UnixSocketChannel,
  withHealthCheck,
  type ServerHealth,
  type DrainResult,
  type PersistOptions,
  type RuntimeChannel
} from '@slipway/haproxy'
import type { Transport } from './transport.js'
import { withRouter } from './with-router.js'
import type { Provider, Router, Target, Weights } from './types.js'

export interface HaproxyTrafficRouterOptions {
  /** The slots or hosts: each becomes a server of the backend (`name` and `address` host:port). */
  targets: Target[]
  /** The HAProxy backend Slipway manages (`default_backend` of your frontend). */
  backend: string
  /** The admin socket (`stats socket <path> … level admin`) on the router host. */
  socket: string
  /**
   * The router host: a LocalTransport (the socket is spoken to directly) or an SshTransport
   * (a fixed perl/socat relay on the host; the command travels as data on the SSH channel's stdin).
   */
  transport: Transport
  /** True when `transport` is this machine. */
  local: boolean
  /** Persist each change (backend file + server-state file): all three paths, or none. */
  mainConfig?: string
  backendFile?: string
  stateFile?: string
  /** Extra `server` keywords for every target, e.g. `check inter 2s`. */
  serverOptions?: string
  /** How long a weight change waits for servers set to 0 to finish their requests (default 30s). */
  drainTimeoutMs?: number
  /**
   * How long a weight change waits for HAProxy to report a server up before giving it traffic
   * (the deploy's health-timeout; default 60s). A server that stays down fails the change.
   */
  upTimeoutMs?: number
  relay?: 'perl' | 'socat'
  haproxyBin?: string
}

/**
 * HAProxy as the Router of any provider (script, nginx hosts): weights change through the
 * runtime API, with no reload, so no connection is dropped (docs/routers.md). A weight change
 * completes when every server it set to 0 has no request in flight (or the drain deadline passed),
 * so the strategy may retire that target right after, as with nginx's reload settle.
 */
export class HaproxyTrafficRouter implements Router {
  readonly name = 'haproxy'
  readonly dropsConnectionsOnChange = false
  readonly router: HaproxyRouter
  /** Drain results of the last weight change, for summaries. */
  lastDrain: Record<string, DrainResult> = {}
  /** HAProxy's verdict on the servers the last weight change gave traffic to. */
  lastReady: Record<string, ServerHealth> = {}

  constructor(private readonly options: HaproxyTrafficRouterOptions) {
    for (const target of options.targets) {
      if (!target.address) {
        throw new InputError(
          'targets',
          'every haproxy target with an address (name=host:port), the backend server',
          target.name
        )
      }
    }
    const paths = [options.mainConfig, options.backendFile, options.stateFile]
    if (paths.some(Boolean) && !paths.every(Boolean)) {
      throw new InputError(
        'haproxy-backend-file',
        'haproxy-config, haproxy-backend-file and haproxy-state-file together (or none)',
        options.backendFile
      )
    }
    const channel: RuntimeChannel = options.local
      ? new UnixSocketChannel(options.socket)
      : new ExecChannel(options.transport, options.socket, options.relay ?? 'perl')
    const persist: PersistOptions | undefined = options.backendFile
      ? {
          host: options.transport,
          mainConfig: options.mainConfig!,
          backendFile: options.backendFile,
          stateFile: options.stateFile!,
          haproxyBin: options.haproxyBin
        }
      : undefined
    this.router = new HaproxyRouter({
      channel,
      backend: {
        name: options.backend,
        servers: options.targets.map(t => ({
          name: t.name,
          address: t.address!,
          options: options.serverOptions
        }))
      },
      persist
    })
  }

  /**
   * Servers gaining traffic (effective weight 0 → more) get it only once HAProxy itself reports
   * them up under its own checks: otherwise HAProxy answers 503 for every request it cannot
   * place. One that stays down until the deadline fails the change with the weights unchanged.
   */
  async setWeights(weights: Weights): Promise<void> {
    const before = await this.router.weights()
    const raised = Object.entries(weights).filter(
      ([name, weight]) => weight > 0 && (before[name] ?? 0) === 0
    )
    const upDeadline = Date.now() + (this.options.upTimeoutMs ?? 60_000)
    this.lastReady = {}
    for (const [name] of raised) {
      const health = await this.admit(name, upDeadline)
      this.lastReady[name] = health
      if (health.checked && !health.up)
        throw new UserError(
          `HAProxy did not report ${name} up before the deadline (${health.message}); traffic not moved`,
          `find out why ${name} fails HAProxy's health check (the app's logs, the server's \`check\` settings); traffic stays where it was.`
        )
    }
    await this.router.setWeights(weights)
    const lowered = Object.entries(weights).filter(
      ([name, weight]) => weight === 0 && (before[name] ?? 0) > 0
    )
    const deadline = Date.now() + (this.options.drainTimeoutMs ?? 30_000)
    this.lastDrain = {}
    for (const [name] of lowered)
      this.lastDrain[name] = await this.router.waitDrained(name, deadline)
  }

  /** The health gate's router half: HAProxy must report the target up before traffic moves (see Router). */
  async waitReady(target: Target, deadline: number): Promise<ProbeOutcome> {
    const health = await this.admit(target.name, deadline)
    if (!health.checked)
      return {
        ok: true,
        message: `haproxy: ${health.message}; only Slipway's probe gated it`
      }
    return {
      ok: health.up,
      message: health.up
        ? `haproxy reports ${health.message}`
        : `haproxy did not report it up: ${health.message}`
    }
  }

  /**
   * Takes a drained or maintained server back into checks with weight 0 (no traffic yet), then
   * waits for HAProxy's verdict. HAProxy pauses checks in maintenance and, leaving it, assumes a
   * server up before checking it: only a fresh passed check counts (see HaproxyRouter.serverHealth).
   */
  private async admit(server: string, deadline: number): Promise<ServerHealth> {
    const state = (await this.router.current())[server]
    if (state.state !== 'ready') {
      if (state.weight !== 0) await this.router.setWeights({ [server]: 0 })
      await this.router.ready(server)
    }
    return this.router.waitUp(server, deadline)
  }

  /** Effective weights per target, read from HAProxy (drained/maintenance servers count as 0). */
  weights(): Promise<Weights> {
    return this.router.weights()
  }

  /** Releases the router host's SSH session (nothing to do locally). */
  async close(): Promise<void> {
    if (!this.options.local) await this.options.transport.close()
  }

  /** Read-only: the socket answers and every target is a server of the backend. */
  async check(): Promise<void> {
    await this.router.current()
  }
}

/**
 * A provider's hosts and hooks, with HAProxy moving the traffic (`withRouter`), plus the
 * router in `check()` (socket reachable, every target a server of the backend) and `close()`.
 */
export function withHaproxy(provider: Provider, router: HaproxyTrafficRouter): Provider {
  const composed = withRouter(provider, router)
  return {
    ...composed,
    router,
    async check() {
      await provider.check()
      await router.check()
    },
    async close() {
      await provider.close()
      await router.close()
    }
  }
}

/** The deploy-strategy inputs for `router: haproxy`, as read (see docs/routers.md). */
export interface HaproxyInputs {
  /** `haproxy-socket` (default /run/haproxy/admin.sock) */
  socket?: string
  /** `haproxy-backend` (default slipway) */
  backend?: string
  /** `haproxy-config`: your main file (default /etc/haproxy/haproxy.cfg); used to validate the backend file. */
  config?: string
  /** `haproxy-backend-file`: set it to persist every change (and `haproxy-state-file`, default `<backend-file>.state`). */
  backendFile?: string
  stateFile?: string
  /** `haproxy-server-options`, e.g. `check inter 2s` */
  serverOptions?: string
  /** `haproxy-drain-timeout` */
  drainTimeoutMs?: number
  /** `health-timeout`: how long HAProxy may take to report a server up before it gets traffic */
  upTimeoutMs?: number
  /** `haproxy-relay`: perl (default) or socat, for a router host reached over SSH */
  relay?: string
  /** `router-host`: `local` or `user@host[:port]` */
  routerHost?: string
}

/**
 * Builds the HAProxy router from action inputs; every problem is an InputError naming the
 * input, thrown before anything is touched.
 */
export function haproxyRouterFromInputs(
  inputs: HaproxyInputs,
  targets: Target[],
  transportFor: (destination: string | undefined) => Transport
): HaproxyTrafficRouter {
  const socket = inputs.socket || '/run/haproxy/admin.sock'
  if (!/^\/[A-Za-z0-9._/@+-]+$/.test(socket))
    throw new InputError('haproxy-socket', 'an absolute path of letters, digits and ._/@+-', socket)
  const relay = inputs.relay || 'perl'
  if (relay !== 'perl' && relay !== 'socat')
    throw new InputError('haproxy-relay', 'perl or socat', relay)
  if (inputs.serverOptions !== undefined && /[\n\r#]/.test(inputs.serverOptions)) {
    throw new InputError(
      'haproxy-server-options',
      'server keywords on one line, without #',
      inputs.serverOptions
    )
  }
  const local = !inputs.routerHost || inputs.routerHost === 'local'
  return new HaproxyTrafficRouter({
    targets,
    backend: inputs.backend || 'slipway',
    socket,
    transport: transportFor(local ? undefined : inputs.routerHost),
    local,
    mainConfig: inputs.backendFile ? inputs.config || '/etc/haproxy/haproxy.cfg' : undefined,
    backendFile: inputs.backendFile || undefined,
    stateFile: inputs.backendFile ? inputs.stateFile || `${inputs.backendFile}.state` : undefined,
    // The servers Slipway writes always carry HAProxy's own health check (the user's `check …` wins).
    serverOptions: withHealthCheck(inputs.serverOptions),
    drainTimeoutMs: inputs.drainTimeoutMs,
    upTimeoutMs: inputs.upTimeoutMs,
    relay
  })
}
