import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { UserError, type Redactor } from '@slipway/kit'
import type { ProbeOutcome } from '@slipway/probes'
import { DockerCli } from '../docker/docker-cli.js'
import { dockerFailureHint } from '../docker/failure-hints.js'
import { withEnvFiles } from '../docker/env-files.js'
import { probePublished } from '../docker/health.js'
import { agreedVersion, liveState } from '../docker/live-state.js'
import { forEachLimit } from '../docker/parallel.js'
import { Preparations } from '../docker/preparations.js'
import type { DockerHost } from '../docker/options.js'
import type { Transport } from '../transport.js'
import type { HookContext, LiveState, Provider, Router, Target, Weights } from '../types.js'
import { composeArgv, detectCompose, failure, runCompose, type ComposeCli } from './cli.js'
import { judgeProject, verdictOutcome, type InspectedContainer } from './gate.js'
import {
  COMPOSE_FILE,
  DOTENV_FILE,
  LABELS_FILE,
  SECRET_OVERRIDE_FILE,
  fileArgs,
  parseServices,
  projectFor,
  projectVariables,
  renderDotenv,
  renderEnvOverride,
  renderLabelsOverride,
  type ComposeProject
} from './project.js'

export interface ComposeProviderOptions {
  /** Names the projects (`<app>-<slot>`) and labels every container `slipway.app`. */
  app: string
  environment: string
  strategy: 'blue-green' | 'canary' | 'rolling'
  hosts: DockerHost[]
  /** The compose file on this machine, shipped to every host. */
  composeFile: string
  /** Its text (read once when the inputs were checked): its `version` field shapes our overrides. */
  composeFormatVersion?: string
  /** KEY=VALUE lines every service reads (`env_file`), on the host only while `up` runs. */
  envFile?: string
  /** Secret KEY=VALUE pairs: a 0600 file present on the host only while `up` runs. */
  secretEnv?: Record<string, string>
  /** blue (and rolling) = hostPort, green = hostPort + 1, as `${SLIPWAY_HOST_PORT}`. */
  hostPort: number
  healthPath: string
  /** `auto`: the services' healthchecks, or an HTTP GET when none has one. */
  healthCheck: 'auto' | 'http' | 'tcp'
  /** Hosts worked on at once (0 = all). */
  parallel: number
  commandTimeoutMs: number
  /** Where project directories live on the hosts (default: `~/.slipway/compose`). */
  projectRoot?: string
  /** Where the secret env file is written before it is shipped (RUNNER_TEMP). */
  tempDir?: string
  transportFor(destination: string | undefined): Transport
  router: Router
  redactor?: Redactor
}

/** What the HAProxy and fan-out routers offer beyond Router: read-back, reachability, sessions. */
interface RouterExtras {
  weights?(): Promise<Weights>
  check?(): Promise<void>
  close?(): Promise<void>
}

interface HostHandle {
  host: DockerHost
  transport: Transport
  docker: DockerCli
  cli?: Promise<ComposeCli | undefined>
}

/**
 * A compose file's services deployed as one unit: each version is a Compose project per slot
 * (`<app>-blue` / `<app>-green`; rolling: `<app>` on each host), started with `up -d`, gated by
 * every service's state and healthchecks, stopped (kept) when retired and `start`ed again on a
 * rollback. Commands are fixed; values travel as environment variables (see cli.ts).
 */
export class ComposeProvider implements Provider {
  // The router is part of the provider (no withRouter wrapper, which would hide diagnose/describe):
  // check(), current() and close() include it.
  readonly name = 'compose'
  readonly router: Router
  readonly targets: Target[]
  private readonly handles: HostHandle[]
  /** Services per project, as `config --services` listed them at prepare. */
  private readonly services = new Map<string, string[]>()
  /** What the last prepare of each target did, per host (see prepared()). */
  private readonly preparations = new Preparations()

  constructor(private readonly options: ComposeProviderOptions) {
    this.router = options.router
    this.handles = options.hosts.map(host => {
      const transport = options.transportFor(host.ssh)
      return {
        host,
        transport,
        docker: new DockerCli(transport, {
          timeoutMs: options.commandTimeoutMs,
          redactor: options.redactor
        })
      }
    })
    this.targets =
      options.strategy === 'rolling'
        ? options.hosts.map(host => ({
            name: host.name,
            address: `${host.address}:${options.hostPort}`,
            ssh: host.ssh
          }))
        : (['blue', 'green'] as const).map(slot => ({
            name: slot,
            ...(options.hosts.length === 1
              ? { address: `${options.hosts[0].address}:${this.project(slot).hostPort}` }
              : {})
          }))
  }

  /** Every host answers, has Docker and one of the two Compose command lines. Read-only. */
  async check(): Promise<void> {
    await this.eachHost(this.handles, async handle => {
      await handle.docker.ok(['version', '--format', '{{.Server.Version}}'])
      await this.cli(handle)
    })
    await (this.router as Router & RouterExtras).check?.()
  }

  async current(): Promise<LiveState> {
    const seen = await this.eachHost(this.handles, async handle => {
      const out = await handle.docker.ok([
        'ps',
        '--filter',
        `label=slipway.app=${this.options.app}`,
        // Compose's containers only: the docker provider's of the same app carry slot labels too
        '--filter',
        'label=com.docker.compose.project',
        '--format',
        '{{.Label "slipway.slot"}} {{.Label "slipway.version"}}'
      ])
      const versions = new Map<string, Set<string>>()
      for (const line of out.split('\n')) {
        const [slot, version] = line.trim().split(' ')
        if (!slot || !version) continue
        versions.set(slot, (versions.get(slot) ?? new Set()).add(version))
      }
      return { name: handle.host.name, versions }
    })
    // A target's version is known when every host it spans runs exactly that one version there.
    const only = (set: Set<string> | undefined): string | undefined =>
      set?.size === 1 ? [...set][0] : undefined
    const versions: Record<string, string | undefined> = {}
    for (const target of this.targets)
      versions[target.name] = agreedVersion(
        this.options.strategy === 'rolling'
          ? seen
              .filter(({ name }) => name === target.name)
              .map(({ versions }) => only(versions.get(target.name)))
          : seen.map(({ versions }) => only(versions.get(target.name)))
      )
    // The router's live weights (HAProxy and the fan-out router read them back) join the versions.
    const router = this.router as Router & RouterExtras
    const weights = typeof router.weights === 'function' ? await router.weights() : undefined
    return liveState(this.targets, versions, weights)
  }

  async prepare(target: Target, context: HookContext): Promise<void> {
    const done = this.preparations.begin(target.name)
    await this.eachHost(this.hostsOf(target), async handle => {
      const project = this.project(target.name, handle)
      const cli = await this.cli(handle)
      const started = await this.startStopped(handle, cli, project, context.version)
      if (started) {
        done(handle.host.name, started)
        return
      }
      await this.up(handle, cli, project, context.version)
      done(handle.host.name, `ran compose project ${project.name} (up -d)`)
    })
  }

  /** What the last prepare(target) did on each host, in host order: `web1: started kept project …`. */
  prepared(target: Target): string | undefined {
    return this.preparations.report(
      target.name,
      this.handles.map(handle => handle.host.name),
      this.options.redactor
    )
  }

  async health(target: Target, context?: HookContext): Promise<ProbeOutcome> {
    const version = context?.version ?? ''
    const outcomes = await this.eachHost(this.hostsOf(target), handle =>
      this.hostHealth(handle, this.project(target.name, handle), version)
    )
    const failed = outcomes.filter(outcome => !outcome.ok)
    const message = outcomes.map(outcome => outcome.message).join('; ')
    if (failed.length === 0) return { ok: true, message }
    return {
      ok: false,
      message: failed.map(outcome => outcome.message).join('; '),
      ...(failed.some(outcome => outcome.fatal) ? { fatal: true } : {})
    }
  }

  async retire(target: Target): Promise<void> {
    await this.eachHost(this.hostsOf(target), async handle => {
      const project = this.project(target.name, handle)
      if ((await this.containerIds(handle, project)).length === 0) return
      const cli = await this.cli(handle)
      await this.compose(handle, cli, project, ['stop'], await this.projectEnv(handle, project))
    })
  }

  /** The last 50 log lines of the project's services on each host, redacted. */
  async diagnose(target: Target, context: HookContext): Promise<string | undefined> {
    const parts = await this.eachHost(this.hostsOf(target), async handle => {
      const project = this.project(target.name, handle)
      const cli = await this.cli(handle).catch(() => undefined)
      if (!cli) return `${handle.host.name}: no compose command`
      const env = {
        ...projectVariables(project, context.version),
        ...(await this.projectEnv(handle, project))
      }
      const result = await runCompose(
        handle.transport,
        cli,
        [...fileArgs(project, false), 'logs', '--no-color', '--tail', '50'],
        env,
        this.options.commandTimeoutMs
      )
      const text = `${result.stdout}${result.stderr}`.trim()
      return `${handle.host.name} (${project.name}):\n${text || '(no log lines)'}`
    })
    return this.redact(parts.join('\n'))
  }

  describe(context: HookContext & { targets: string[] }): string[] {
    return context.targets.flatMap(name => {
      const target = this.targets.find(t => t.name === name) ?? { name }
      return this.hostsOf(target).map(handle => {
        const project = this.project(name, handle)
        return `${handle.host.name}: compose project ${project.name} up -d (SLIPWAY_VERSION=${context.version}, SLIPWAY_HOST_PORT=${project.hostPort}), files in ${project.dir}`
      })
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.handles.map(handle => handle.transport.close()))
    await (this.router as Router & RouterExtras).close?.()
  }

  // ---------- per host ----------

  /**
   * The target's project as it lives on a host. The default root is `~/.slipway/compose`: a
   * relative path over SSH is the login's home (SFTP and commands agree), locally it is spelt out.
   */
  private project(target: string, handle?: HostHandle): ComposeProject {
    const root =
      this.options.projectRoot ??
      (handle?.host.ssh === undefined ? join(homedir(), '.slipway', 'compose') : '.slipway/compose')
    return projectFor(this.options.app, this.options.strategy, target, this.options.hostPort, root)
  }

  /** Blue/green slots live on every host; a rolling target is one host. */
  private hostsOf(target: Target): HostHandle[] {
    if (this.options.strategy !== 'rolling') return this.handles
    const handle = this.handles.find(h => h.host.name === target.name)
    if (!handle) throw new Error(`compose: no host named ${target.name}`)
    return [handle]
  }

  /** Detected once per host: `docker compose` (v2) or `docker-compose` (v1); neither is an error. */
  private async cli(handle: HostHandle): Promise<ComposeCli> {
    handle.cli ??= detectCompose(handle.transport, this.options.commandTimeoutMs)
    const cli = await handle.cli
    if (!cli)
      throw new UserError(
        `compose: ${handle.host.name} (${handle.transport.label}) has neither "docker compose" (Compose v2) nor "docker-compose" (v1): install one of them on the host`,
        `install the Docker Compose plugin (\`docker compose\`) or \`docker-compose\` on ${handle.host.name}.`
      )
    return cli
  }

  private async compose(
    handle: HostHandle,
    cli: ComposeCli,
    project: ComposeProject,
    args: string[],
    env: Record<string, string>,
    withSecrets = false
  ): Promise<string> {
    const full = [...fileArgs(project, withSecrets), ...args]
    const result = await runCompose(handle.transport, cli, full, env, this.options.commandTimeoutMs)
    if (result.exitCode !== 0) {
      const what = composeArgv(cli, ['-p', project.name, ...args]).join(' ')
      const message = this.redact(failure(what, handle.transport, result))
      const hint = dockerFailureHint(what, result, handle.transport.label)
      throw hint ? new UserError(message, hint) : new Error(message)
    }
    return result.stdout
  }

  /** The project's containers (one-off `run` containers excluded), stopped ones included. */
  private async containerIds(handle: HostHandle, project: ComposeProject): Promise<string[]> {
    const out = await handle.docker.ok([
      'ps',
      '-a',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${project.name}`,
      '--filter',
      `label=slipway.app=${this.options.app}`
    ])
    return out
      .split('\n')
      .map(line => line.trim())
      .filter(Boolean)
  }

  /**
   * A rollback to the version this slot's project still holds, stopped: `start` it (no pull, no
   * new containers). Only when every container is of that version and every service has one.
   * Resolves with what it found (`started kept project …`, `already running …`), else false.
   */
  private async startStopped(
    handle: HostHandle,
    cli: ComposeCli,
    project: ComposeProject,
    version: string
  ): Promise<string | false> {
    const containers = await handle.docker.inspect<InspectedContainer>(
      'container',
      await this.containerIds(handle, project)
    )
    if (containers.length === 0) return false
    if (containers.some(c => c.Config?.Labels?.['slipway.version'] !== version)) return false
    const env = await this.projectEnv(handle, project)
    if (env.SLIPWAY_VERSION !== version) return false
    const services = parseServices(
      await this.compose(handle, cli, project, ['config', '--services'], env)
    )
    const present = new Set(containers.map(c => c.Config?.Labels?.['com.docker.compose.service']))
    if (!services.every(service => present.has(service))) return false
    this.services.set(project.name, services)
    const allRunning = containers.every(c => c.State?.Status === 'running')
    await this.compose(handle, cli, project, ['start'], env)
    return allRunning
      ? `already running project ${project.name}`
      : `started kept project ${project.name}`
  }

  /** Ships the files, labels every service, then `up -d` (recreating what changed). */
  private async up(
    handle: HostHandle,
    cli: ComposeCli,
    project: ComposeProject,
    version: string
  ): Promise<void> {
    const { transport } = handle
    const env = projectVariables(project, version)
    await transport.writeFile(`${project.dir}/${DOTENV_FILE}`, renderDotenv(env))
    await transport.putFile(this.options.composeFile, `${project.dir}/${COMPOSE_FILE}`)
    const listed = await runCompose(
      transport,
      cli,
      ['-p', project.name, '-f', `${project.dir}/${COMPOSE_FILE}`, 'config', '--services'],
      env,
      this.options.commandTimeoutMs
    )
    // The host has compose (detected before): a file it cannot read as a project is the user's.
    if (listed.exitCode !== 0)
      throw new UserError(
        this.redact(failure(`compose config of ${project.name}`, transport, listed)),
        dockerFailureHint('compose config', listed, transport.label) ??
          'fix the file the `compose-file` input names (`docker compose config` shows what is wrong).'
      )
    const services = parseServices(listed.stdout)
    if (services.length === 0)
      throw new UserError(
        `compose: the compose file lists no service on ${transport.label}`,
        'add the services to run to the file the `compose-file` input names.'
      )
    this.services.set(project.name, services)
    await transport.writeFile(
      `${project.dir}/${LABELS_FILE}`,
      renderLabelsOverride(
        services,
        {
          app: this.options.app,
          version,
          slot: project.slot,
          environment: this.options.environment
        },
        this.options.composeFormatVersion
      )
    )
    // The env files (the user's, the secret one) exist on the host only while `up` runs, in a
    // private directory (the docker provider's withEnvFiles); so does the override naming them.
    const { envFile, secretEnv, tempDir } = this.options
    const local = handle.host.ssh === undefined
    // Compose reads a relative env_file from the project directory: name the user's file absolutely.
    const files = { envFile: envFile && resolve(envFile), secretEnv, tempDir }
    await withEnvFiles(transport, local, files, async paths => {
      const overridePath = `${project.dir}/${SECRET_OVERRIDE_FILE}`
      if (paths.length > 0)
        await transport.writeFile(
          overridePath,
          renderEnvOverride(services, paths, this.options.composeFormatVersion)
        )
      try {
        await this.compose(
          handle,
          cli,
          project,
          ['up', '-d', '--remove-orphans'],
          env,
          paths.length > 0
        )
      } finally {
        if (paths.length > 0) await transport.remove(overridePath)
      }
    })
  }

  /** The values the project was brought up with (its `.env`), so start/stop/logs interpolate alike. */
  private async projectEnv(
    handle: HostHandle,
    project: ComposeProject
  ): Promise<Record<string, string>> {
    const text = await handle.transport.readFile(`${project.dir}/${DOTENV_FILE}`)
    const env: Record<string, string> = {}
    for (const line of (text ?? '').split('\n')) {
      const match = /^(SLIPWAY_[A-Z_]+)=(.*)$/.exec(line)
      if (match) env[match[1]] = match[2]
    }
    return env
  }

  private async hostHealth(
    handle: HostHandle,
    project: ComposeProject,
    version: string
  ): Promise<ProbeOutcome> {
    const ids = await this.containerIds(handle, project)
    const containers = await handle.docker.inspect<InspectedContainer>('container', ids)
    const services = this.services.get(project.name) ?? (await this.listServices(handle, project))
    const verdict = judgeProject(services, containers, version)
    const outcome = verdictOutcome(handle.host.name, verdict)
    if (verdict.state !== 'ready') return outcome
    const { healthCheck, healthPath, commandTimeoutMs } = this.options
    if (healthCheck === 'auto' && verdict.hasHealthcheck) return outcome
    // On the host, at its loopback: the compose file may publish there only.
    const probe = await probePublished(handle.transport, handle.host.ssh === undefined, {
      kind: healthCheck === 'tcp' ? 'tcp' : 'http',
      host: '127.0.0.1',
      port: project.hostPort,
      path: healthPath,
      timeoutMs: Math.min(commandTimeoutMs, 10_000)
    })
    return { ...probe, message: `${outcome.message}; ${probe.message}` }
  }

  private async listServices(handle: HostHandle, project: ComposeProject): Promise<string[]> {
    const cli = await this.cli(handle)
    const env = await this.projectEnv(handle, project)
    const services = parseServices(
      await this.compose(handle, cli, project, ['config', '--services'], env)
    )
    this.services.set(project.name, services)
    return services
  }

  /** Runs `work` on the hosts, `parallel` at a time (0 = all); a failure names each failed host. */
  private eachHost<T>(
    handles: HostHandle[],
    work: (handle: HostHandle) => Promise<T>
  ): Promise<T[]> {
    return forEachLimit(handles, this.options.parallel, handle => handle.host.name, work)
  }

  private redact(text: string): string {
    return this.options.redactor ? this.options.redactor.redact(text) : text
  }
}
