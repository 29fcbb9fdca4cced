import { basename } from 'node:path'
import { UserError } from '@slipway/kit'
import type { ProbeOutcome } from '@slipway/probes'
import { hookEnv } from './env.js'
import { hookHealth, httpHealth, runHook, tcpHealth, type HealthProbeKind } from './hooks.js'
import { parseUpstream, renderUpstream } from './nginx-config.js'
import type { Transport } from './transport.js'
import type { HookContext, LiveState, Provider, Router, Target, Weights } from './types.js'

export interface NginxProviderOptions {
  targets: Target[]
  environment: string
  /** Connects to `local` or an SSH destination; one transport per destination is reused. */
  transportFor(destination: string | undefined): Transport
  /** Where nginx runs (`local` or user@host:port). */
  routerHost?: string
  /** The upstream include file Slipway owns, included from the user's nginx config. */
  upstreamFile: string
  upstreamName: string
  testCommand: string
  reloadCommand: string
  /** Releases go to `<releaseDir>/<version>/` on each target's host. */
  releaseDir: string
  artifact?: string
  startCommand: string
  stopCommand?: string
  healthCommand?: string
  healthPath: string
  /** The gate's probe; left out: the health-command when set, else GET `http://<address><healthPath>`. */
  healthCheck?: HealthProbeKind
  hookTimeoutMs: number
  /** nginx's pid file: after a reload we wait until the old workers are gone (see NginxRouter). */
  pidFile?: string
  /** Upper bound for that wait. */
  reloadSettleMs?: number
}

/**
 * A version names a directory (`<release-dir>/<version>`) and reaches hooks that build paths
 * from it, so it must be ONE safe path segment: letters, digits and `._+-`, starting with a
 * letter or digit, no `..`, at most 128 characters (so no `/`, NUL or control character).
 */
export function isSafeVersion(version: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/.test(version) && !version.includes('..')
}

interface StateFile {
  versions: Record<string, string>
}

/**
 * Targets reached locally or over SSH, nginx as the router. Releases live in one directory
 * per version; the user's start/stop hooks (systemd, pm2, docker …) run them.
 */
export class NginxProvider implements Provider {
  readonly name = 'nginx'
  readonly router: NginxRouter
  readonly targets: Target[]

  constructor(private readonly options: NginxProviderOptions) {
    this.targets = options.targets
    this.router = new NginxRouter(options)
  }

  private stateFile(): string {
    return `${this.options.upstreamFile}.slipway.json`
  }

  private async readState(): Promise<StateFile> {
    const text = await this.options.transportFor(this.options.routerHost).readFile(this.stateFile())
    if (!text) return { versions: {} }
    try {
      const parsed = JSON.parse(text) as Partial<StateFile>
      return { versions: parsed.versions ?? {} }
    } catch {
      return { versions: {} }
    }
  }

  private stateWrites: Promise<void> = Promise.resolve()

  /** Read-modify-write of the state file, serialised: hosts of a batch are prepared in parallel. */
  private recordVersion(target: Target, version: string | undefined): Promise<void> {
    const write = this.stateWrites.then(async () => {
      const state = await this.readState()
      if (version) state.versions[target.name] = version
      else delete state.versions[target.name]
      const transport = this.options.transportFor(this.options.routerHost)
      await transport.writeFile(`${this.stateFile()}.tmp`, `${JSON.stringify(state, null, 2)}\n`)
      await transport.rename(`${this.stateFile()}.tmp`, this.stateFile())
    })
    this.stateWrites = write.catch(() => undefined)
    return write
  }

  async check(): Promise<void> {
    const destinations = new Set<string | undefined>([
      this.options.routerHost,
      ...this.targets.map(t => t.ssh)
    ])
    for (const destination of destinations) {
      const transport = this.options.transportFor(destination)
      const result = await transport.exec('true', {}, 30_000)
      if (result.exitCode !== 0)
        throw new UserError(
          `${transport.label} is not usable: ${result.stderr.trim() || `exit ${result.exitCode}`}`,
          `check that the login on ${transport.label} runs commands: \`bash -c true\` failed there.`
        )
    }
  }

  async current(): Promise<LiveState> {
    const state = await this.readState()
    const weights = await this.router.current()
    const live: LiveState = {}
    for (const target of this.targets) {
      const version = state.versions[target.name]
      const weight = weights[target.name]
      if (version !== undefined || weight !== undefined) live[target.name] = { version, weight }
    }
    return live
  }

  private env(
    target: Target,
    version: string | undefined,
    extra: Record<string, string | undefined> = {}
  ): Record<string, string> {
    const port = target.address?.split(':').pop()
    return hookEnv({
      TARGET: target.name,
      SLOT: target.name,
      HOST: target.name,
      ADDRESS: target.address,
      PORT: port,
      ENVIRONMENT: this.options.environment,
      VERSION: version,
      RELEASE_DIR: version ? this.releasePath(version) : undefined,
      ...extra
    })
  }

  /**
   * `<release-dir>/<version>`. Checked here, where the path is built, whatever the version's
   * source: the input, the state file or a rollback's Deployment record (both could be edited).
   */
  private releasePath(version: string): string {
    if (!isSafeVersion(version))
      throw new UserError(
        `refusing version ${JSON.stringify(version)} as a release directory under ${this.options.releaseDir}: a version must be one path segment (letters, digits, . _ + -, no ..)`,
        'give a `version` of letters, digits and . _ + - only (one path segment, no `..`).'
      )
    return `${this.options.releaseDir}/${version}`
  }

  async prepare(target: Target, context: HookContext): Promise<void> {
    const transport = this.options.transportFor(target.ssh)
    const releaseDir = this.releasePath(context.version)
    let artifactPath: string | undefined
    if (this.options.artifact) {
      artifactPath = `${releaseDir}/${basename(this.options.artifact)}`
      await transport.putFile(this.options.artifact, artifactPath)
    }
    await runHook(
      transport,
      'start-command',
      this.options.startCommand,
      this.env(target, context.version, {
        ARTIFACT: artifactPath,
        PREVIOUS_VERSION: context.previousVersion
      }),
      this.options.hookTimeoutMs
    )
    await this.recordVersion(target, context.version)
  }

  /** The probe `health` runs: the configured one, else the health-command, else HTTP. */
  get healthCheck(): HealthProbeKind {
    return this.options.healthCheck ?? (this.options.healthCommand ? 'command' : 'http')
  }

  async health(target: Target, context?: HookContext): Promise<ProbeOutcome> {
    const timeout = Math.min(this.options.hookTimeoutMs, 10_000)
    const kind = this.healthCheck
    if (kind === 'command') {
      if (!this.options.healthCommand)
        return { ok: false, message: 'health-check is command but no health-command is set' }
      return hookHealth(
        this.options.transportFor(target.ssh),
        this.options.healthCommand,
        this.env(target, context?.version),
        timeout
      )
    }
    if (kind === 'tcp') return tcpHealth(target, timeout)
    if (!target.address)
      return { ok: false, message: `http: target ${target.name} has no address to probe` }
    return httpHealth(`http://${target.address}${this.options.healthPath}`, timeout)
  }

  async retire(target: Target, context: HookContext): Promise<void> {
    if (this.options.stopCommand) {
      await runHook(
        this.options.transportFor(target.ssh),
        'stop-command',
        this.options.stopCommand,
        this.env(target, context.version),
        this.options.hookTimeoutMs
      )
    }
    await this.recordVersion(target, undefined)
  }

  async close(): Promise<void> {}
}

/**
 * nginx as a router: renders the upstream include, tests it with `nginx -t`, reloads
 * gracefully. nginx is never left with an invalid config: the previous include is kept and
 * put back when the test or the reload fails. A reload re-reads the config, which closes
 * idle keep-alive connections: clients that reuse one at that moment see a reset
 * (measured in DESIGN.md §3); `dropsConnectionsOnChange` says so.
 */
export class NginxRouter implements Router {
  readonly name = 'nginx'
  readonly dropsConnectionsOnChange = true

  constructor(private readonly options: NginxProviderOptions) {}

  private transport(): Transport {
    return this.options.transportFor(this.options.routerHost)
  }

  async current(): Promise<Weights> {
    const text = await this.transport().readFile(this.options.upstreamFile)
    return text ? parseUpstream(text) : {}
  }

  async setWeights(weights: Weights): Promise<void> {
    const transport = this.transport()
    const file = this.options.upstreamFile
    const candidate = renderUpstream(this.options.upstreamName, this.options.targets, weights)
    const previous = await transport.readFile(file)
    if (previous === candidate) return // nothing to change: no reload, no dropped connections
    const staged = `${file}.slipway-new`
    await transport.writeFile(staged, candidate)
    await transport.rename(staged, file)
    const restore = async (): Promise<void> => {
      if (previous === undefined) await transport.remove(file)
      else {
        await transport.writeFile(staged, previous)
        await transport.rename(staged, file)
      }
    }
    const test = await transport.exec(this.options.testCommand, {}, this.options.hookTimeoutMs)
    if (test.exitCode !== 0) {
      await restore()
      const reason = (test.stderr || test.stdout).trim().split('\n').slice(-3).join('\n')
      throw new UserError(
        `nginx rejected the new upstream config (${this.options.testCommand} exited ${test.exitCode}); previous config restored, nginx not reloaded: ${reason}`,
        test.exitCode === 127
          ? `install nginx on ${transport.label}, or set \`nginx-test-command\` to a command that runs there.`
          : `fix what nginx reports: a target address it cannot resolve, or the nginx config that includes ${this.options.upstreamFile}.`
      )
    }
    const before = await this.workers()
    const reload = await transport.exec(this.options.reloadCommand, {}, this.options.hookTimeoutMs)
    if (reload.exitCode !== 0) {
      await restore()
      const reason = (reload.stderr || reload.stdout).trim().split('\n').slice(-3).join('\n')
      throw new UserError(
        `nginx reload failed (${this.options.reloadCommand} exited ${reload.exitCode}); previous config restored: ${reason}`,
        reload.exitCode === 127
          ? `install nginx on ${transport.label}, or set \`nginx-reload-command\` to a command that runs there.`
          : `check that nginx runs on ${transport.label} and that \`nginx-reload-command\` may signal it.`
      )
    }
    await this.settle(before)
  }

  /** The master's worker pids, or undefined when the pid file cannot be read. */
  private async workers(): Promise<number[] | undefined> {
    if (!this.options.pidFile) return undefined
    const result = await this.transport().exec(
      'master=$(cat -- "$SLIPWAY_PID_FILE") && ps -o pid= --ppid "$master"',
      { SLIPWAY_PID_FILE: this.options.pidFile },
      10_000
    )
    if (result.exitCode !== 0) return undefined
    return result.stdout.split(/\s+/).filter(Boolean).map(Number)
  }

  /**
   * `nginx -s reload` only signals the master and returns at once: for a moment the OLD
   * workers still route by the old weights. Retiring the old slot then answers 502s
   * (measured: hundreds per switch). So a weight change completes only when every old worker
   * has exited (old workers finish their in-flight requests first), with a deadline; without
   * a readable pid file we wait a fixed second instead.
   */
  private async settle(before: number[] | undefined): Promise<void> {
    const limit = this.options.reloadSettleMs ?? 10_000
    if (!before) {
      await new Promise(resolve => setTimeout(resolve, Math.min(1000, limit)))
      return
    }
    const deadline = Date.now() + limit
    for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
      const now = await this.workers()
      if (now && now.length > 0 && !now.some(pid => before.includes(pid))) return
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }
}
