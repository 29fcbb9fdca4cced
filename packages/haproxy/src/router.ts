import { InputError, UserError } from '@slipway/kit'
import type { RuntimeChannel } from './channel.js'
import { checkBackendSpec, renderBackend, type BackendSpec, type RenderedServer } from './config.js'
import type { FileHost } from './host.js'
import type { ServerState } from './parse.js'
import { checkHost, checkPort, checkWeight, RuntimeApi, type AdminState } from './runtime.js'

/** Where the configuration lives, so runtime changes survive a reload or restart. */
export interface PersistOptions {
  host: FileHost
  /** The user's configuration (global with `stats socket`, defaults, frontends). */
  mainConfig: string
  /** The file Slipway owns with the managed backend, loaded as a second `-f`. */
  backendFile: string
  /** Where `show servers state` is written after each change (`server-state-file-name` of the backend). */
  stateFile: string
  /** The haproxy program used for `haproxy -c` (default `haproxy`). */
  haproxyBin?: string
  timeoutMs?: number
}

export interface HaproxyRouterOptions {
  channel: RuntimeChannel
  backend: BackendSpec
  /** Leave out to change the runtime state only (nothing written: a restart restores the config). */
  persist?: PersistOptions
  timeoutMs?: number
}

/** HAProxy's own view of a server's health (its `check`), for the gate before traffic moves to it. */
export interface ServerHealth {
  /** HAProxy routes to it on its own evidence: running, last check passed, not on its way down. */
  up: boolean
  /** HAProxy health-checks this server (`check` on its server line, checks running). */
  checked: boolean
  /** What HAProxy says, e.g. `app/green UP (L4OK: Layer4 check passed)`. */
  message: string
}

export interface DrainResult {
  drained: boolean
  /** Sessions still on the server when we stopped waiting. */
  sessions: number
  waitedMs: number
}

/** The fixed validation command: file names arrive as environment data, never as shell text. */
const CHECK_COMMAND =
  '"${SLIPWAY_HAPROXY_BIN:-haproxy}" -c -f "$SLIPWAY_HAPROXY_CONFIG" -f "$SLIPWAY_HAPROXY_CANDIDATE"'

const PATH = /^\/[^\s#'"\\]+$/

/**
 * HAProxy as the traffic router, driven through its runtime API: weights and states change
 * in the running process, without a reload, so no connection is closed (measured: 0 failed
 * requests through blue-green, canary and rolling; see docs/routers.md). After each change
 * the backend file and the server-state file are rewritten so a reload routes the same way.
 */
export class HaproxyRouter {
  readonly name = 'haproxy'
  /** Weight changes go through the runtime API: nothing is reloaded, no connection is dropped. */
  readonly dropsConnectionsOnChange = false
  readonly api: RuntimeApi
  readonly backend: BackendSpec
  private queue: Promise<unknown> = Promise.resolve()
  /** Set once `haproxy -c` accepted a backend file rendered from this spec. */
  private validated = false

  constructor(private readonly options: HaproxyRouterOptions) {
    this.backend = checkBackendSpec(options.backend)
    this.api = new RuntimeApi(options.channel, options.timeoutMs ?? 5000)
    const persist = options.persist
    if (persist) {
      for (const [input, value] of [
        ['haproxy-config', persist.mainConfig],
        ['haproxy-backend-file', persist.backendFile],
        ['haproxy-state-file', persist.stateFile]
      ] as const) {
        if (typeof value !== 'string' || !PATH.test(value))
          throw new InputError(input, 'an absolute path without spaces, quotes or #', value)
      }
    }
  }

  /** The servers Slipway manages, in order. */
  get servers(): string[] {
    return this.backend.servers.map(server => server.name)
  }

  private checkServer(input: string, server: string): string {
    if (!this.servers.includes(server)) {
      throw new InputError(
        input,
        `a server of backend ${this.backend.name} (${this.servers.join(', ')})`,
        server
      )
    }
    return server
  }

  /** One change at a time: two runtime changes interleaving could persist a stale state. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => undefined)
    return next
  }

  /** The live state of every managed server, read from HAProxy (not from any file). */
  async current(): Promise<Record<string, ServerState>> {
    const live = await this.api.serversState(this.backend.name)
    const result: Record<string, ServerState> = {}
    for (const name of this.servers) {
      const server = live.find(s => s.name === name)
      if (!server)
        throw new UserError(
          `HAProxy (${this.api.channel.label}) has no server ${this.backend.name}/${name}: load ${this.options.persist?.backendFile ?? 'the managed backend'} (see docs/routers.md)`,
          `make HAProxy's configuration include ${this.options.persist?.backendFile ?? 'the backend Slipway manages'} and reload HAProxy once (docs/routers.md).`
        )
      result[name] = server
    }
    return result
  }

  /** Effective traffic weights: a drained or maintained server takes no new requests, so it counts as 0. */
  async weights(): Promise<Record<string, number>> {
    const live = await this.current()
    return Object.fromEntries(
      Object.entries(live).map(([name, s]) => [name, s.state === 'ready' ? s.weight : 0])
    )
  }

  /**
   * Sets several weights in one exchange. Servers that gain traffic are raised (and made
   * `ready`) before others are lowered, so the backend never has no server with weight.
   * Either all take effect or the previous weights are put back. Unnamed servers are unchanged.
   */
  async setWeights(weights: Record<string, number>): Promise<void> {
    if (weights === null || typeof weights !== 'object' || Object.keys(weights).length === 0) {
      throw new InputError('weights', 'server=weight pairs, e.g. {"blue":0,"green":100}', weights)
    }
    for (const [server, weight] of Object.entries(weights)) {
      this.checkServer('weights', server)
      checkWeight(`weights.${server}`, weight)
    }
    return this.serial(async () => {
      const live = await this.current()
      const desired = this.snapshot(live)
      const raise: string[] = []
      const lower: string[] = []
      for (const [server, weight] of Object.entries(weights)) {
        const before = live[server]
        const effectiveBefore = before.state === 'ready' ? before.weight : 0
        const commands =
          weight > 0 && before.state !== 'ready'
            ? [
                this.api.setWeightCommand(this.backend.name, server, weight),
                this.api.setStateCommand(this.backend.name, server, 'ready')
              ]
            : before.weight !== weight
              ? [this.api.setWeightCommand(this.backend.name, server, weight)]
              : []
        ;(weight >= effectiveBefore ? raise : lower).push(...commands)
        desired[server] = { ...desired[server], weight, state: weight > 0 ? 'ready' : before.state }
      }
      await this.change(live, desired, [...raise, ...lower])
    })
  }

  /** `drain`: no new requests; requests in flight finish. Then `waitDrained` before retiring it. */
  async drain(server: string): Promise<void> {
    return this.setState(server, 'drain')
  }

  /** Back in rotation with its weight. */
  async ready(server: string): Promise<void> {
    return this.setState(server, 'ready')
  }

  /** Out of rotation (HAProxy keeps existing sessions running until they end). */
  async maint(server: string): Promise<void> {
    return this.setState(server, 'maint')
  }

  async setState(server: string, state: AdminState): Promise<void> {
    this.checkServer('server', server)
    return this.serial(async () => {
      const live = await this.current()
      const desired = this.snapshot(live)
      desired[server] = { ...desired[server], state }
      const commands =
        live[server].state === state
          ? []
          : [this.api.setStateCommand(this.backend.name, server, state)]
      await this.change(live, desired, commands)
    })
  }

  /** Points a server at another address (a rolling update that starts the new version elsewhere). */
  async setAddress(server: string, host: string, port: number): Promise<void> {
    this.checkServer('server', server)
    checkHost('address', host)
    checkPort('port', port)
    return this.serial(async () => {
      const live = await this.current()
      const desired = this.snapshot(live)
      desired[server] = {
        ...desired[server],
        address: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
      }
      await this.change(live, desired, [], async () =>
        this.api.setAddress(this.backend.name, server, host, port)
      )
    })
  }

  /**
   * HAProxy's health-check verdict on a server. `up` needs the server operational, its last
   * check passed and `show stat` saying exactly `UP`: `UP 1/3` is a server whose checks started
   * failing, and a server just taken out of maintenance is assumed up before any check ran
   * (its health counter is then below the maximum, so it shows `UP n/m` until checks confirm it).
   */
  async serverHealth(server: string): Promise<ServerHealth> {
    this.checkServer('server', server)
    const live = (await this.current())[server]
    const row = (await this.api.stat()).find(
      r => r.pxname === this.backend.name && r.svname === server
    )
    const label = `${this.backend.name}/${server}`
    const status = row?.status || live.operational.toUpperCase()
    const check = row?.check_status
      ? ` (${row.check_status}${row.check_desc ? `: ${row.check_desc}` : ''})`
      : ''
    if (!live.check.configured)
      return {
        up: false,
        checked: false,
        message: `${label}: HAProxy runs no health check on it (no \`check\` on its server line)`
      }
    if (!live.check.running)
      return {
        up: false,
        checked: true,
        message: `${label} ${status}: HAProxy's checks are paused or disabled on it${check}`
      }
    const up =
      live.operational === 'up' &&
      (live.check.result === 'passed' || live.check.result === 'condpass') &&
      status === 'UP'
    return { up, checked: true, message: `${label} ${status}${check}` }
  }

  /**
   * Polls `serverHealth` until HAProxy reports the server up (or runs no check on it), or the
   * deadline passes. Never throws on the deadline: the last verdict says why it is not up.
   */
  async waitUp(server: string, deadline: number, pollMs = 100): Promise<ServerHealth> {
    let health = await this.serverHealth(server)
    for (let i = 0; i < 1_000_000 && !health.up && health.checked; i++) {
      if (Date.now() + pollMs > deadline) break
      await new Promise(resolve => setTimeout(resolve, pollMs))
      health = await this.serverHealth(server)
    }
    return health
  }

  /** Requests in flight through the server now (`scur`). */
  async currentSessions(server: string): Promise<number> {
    this.checkServer('server', server)
    return this.api.currentSessions(this.backend.name, server)
  }

  /**
   * Waits until no request is in flight on the server (scur = 0), or the deadline passes.
   * Never throws on the deadline: the caller decides whether to retire anyway.
   */
  async waitDrained(server: string, deadline: number | Date, pollMs = 100): Promise<DrainResult> {
    this.checkServer('server', server)
    const until = deadline instanceof Date ? deadline.getTime() : deadline
    const started = Date.now()
    for (let i = 0; i < 1_000_000; i++) {
      const sessions = await this.currentSessions(server)
      if (sessions === 0) return { drained: true, sessions, waitedMs: Date.now() - started }
      if (Date.now() + pollMs > until)
        return { drained: false, sessions, waitedMs: Date.now() - started }
      await new Promise(resolve => setTimeout(resolve, pollMs))
    }
    return {
      drained: false,
      sessions: await this.currentSessions(server),
      waitedMs: Date.now() - started
    }
  }

  /** Writes the backend file and the state file from the live state (e.g. after a manual change). */
  persist(): Promise<void> {
    return this.serial(async () => {
      const live = await this.current()
      const candidate = await this.stageConfig(this.snapshot(live))
      if (candidate) await this.commitConfig(candidate)
    })
  }

  /** The backend section for a given state (what `persist` writes). */
  render(servers: Record<string, RenderedServer>): string {
    return renderBackend(this.backend, servers, this.options.persist?.stateFile ?? '/dev/null')
  }

  private snapshot(live: Record<string, ServerState>): Record<string, RenderedServer> {
    return Object.fromEntries(
      Object.entries(live).map(([name, s]) => [
        name,
        {
          weight: s.weight,
          state: s.state,
          address: s.address.includes(':') ? `[${s.address}]:${s.port}` : `${s.address}:${s.port}`
        }
      ])
    )
  }

  /**
   * All or nothing. The first change of a router validates the new backend file with
   * `haproxy -c` BEFORE touching the running HAProxy (a bad spec changes nothing). Later changes
   * differ only in numbers, states and validated addresses, so they switch first (the runtime
   * change takes a few ms, not the ~50–200 ms of spawning `haproxy -c`) and then write, validate
   * and rename the files; should that validation still fail, the runtime is put back.
   */
  private async change(
    live: Record<string, ServerState>,
    desired: Record<string, RenderedServer>,
    commands: string[],
    extra?: () => Promise<void>
  ): Promise<void> {
    const persist = this.options.persist
    let candidate = persist && !this.validated ? await this.stageConfig(desired) : undefined
    try {
      await this.api.apply(commands)
      if (extra) await extra()
    } catch (error) {
      await this.restore(live, desired).catch(() => undefined)
      if (candidate) await persist!.host.remove(candidate).catch(() => undefined)
      throw error
    }
    if (!persist) return
    try {
      candidate ??= await this.stageConfig(desired)
    } catch (error) {
      await this.restore(live, desired).catch(() => undefined)
      throw error
    }
    this.validated = true
    await this.commitConfig(candidate!)
  }

  /** Puts weights, states and (where they were changed) addresses back as they were. */
  private async restore(
    live: Record<string, ServerState>,
    desired: Record<string, RenderedServer>
  ): Promise<void> {
    const commands: string[] = []
    for (const [name, s] of Object.entries(live)) {
      commands.push(
        this.api.setWeightCommand(this.backend.name, name, s.weight),
        this.api.setStateCommand(this.backend.name, name, s.state)
      )
    }
    await this.api.apply(commands)
    const before = this.snapshot(live)
    for (const [name, s] of Object.entries(live)) {
      if (desired[name] && desired[name].address !== before[name].address) {
        await this.api.setAddress(this.backend.name, name, s.address, s.port)
      }
    }
  }

  /** Writes the candidate backend file next to the real one and checks it with `haproxy -c`. */
  private async stageConfig(desired: Record<string, RenderedServer>): Promise<string | undefined> {
    const persist = this.options.persist
    if (!persist) return undefined
    const candidate = `${persist.backendFile}.slipway-new`
    await persist.host.writeFile(candidate, this.render(desired))
    const check = await persist.host.exec(
      CHECK_COMMAND,
      {
        SLIPWAY_HAPROXY_BIN: persist.haproxyBin ?? 'haproxy',
        SLIPWAY_HAPROXY_CONFIG: persist.mainConfig,
        SLIPWAY_HAPROXY_CANDIDATE: candidate
      },
      persist.timeoutMs ?? 30_000
    )
    if (check.exitCode !== 0) {
      await persist.host.remove(candidate).catch(() => undefined)
      const reason =
        (check.stderr || check.stdout)
          .split('\n')
          .filter(line => /ALERT|error/i.test(line))
          .slice(-3)
          .join('\n') || `exit code ${check.exitCode}`
      throw new UserError(
        `haproxy -c rejected the new backend for ${persist.backendFile}; nothing was changed: ${reason}`,
        check.exitCode === 127
          ? `install haproxy on ${persist.host.label}: its configuration is checked with \`haproxy -c\` before it is changed.`
          : `fix what \`haproxy -c\` reports in ${persist.mainConfig} (the \`haproxy-config\` input) or in the server options given to Slipway.`
      )
    }
    return candidate
  }

  /** Renames the checked candidate into place and writes `show servers state` to the state file (temp + rename). */
  private async commitConfig(candidate: string): Promise<void> {
    const persist = this.options.persist!
    await persist.host.rename(candidate, persist.backendFile)
    const state = await this.api.serversStateText()
    const staged = `${persist.stateFile}.slipway-new`
    await persist.host.writeFile(staged, state)
    await persist.host.rename(staged, persist.stateFile)
  }
}
