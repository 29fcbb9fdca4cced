import { UserError } from '@slipway/kit'
import type { ProbeOutcome } from '@slipway/probes'
import type { HookContext, LiveState, Provider, Target } from '../types.js'
import { readArchiveImage, type ArchiveImage } from './archive.js'
import { LABEL, containerLabels, containerName } from './container-names.js'
import { DockerCli } from './docker-cli.js'
import { withEnvFiles } from './env-files.js'
import type { FanoutRouter } from './fanout-router.js'
import {
  hasHealthcheck,
  healthcheckOutcome,
  lifecycleFailure,
  probePublished,
  type ContainerInfo
} from './health.js'
import { appContainers, housekeep } from './housekeeping.js'
import { agreedVersion, liveState } from './live-state.js'
import { Preparations } from './preparations.js'
import { stageImage, type HostImage } from './image.js'
import type { DockerHost, DockerProviderOptions } from './options.js'
import { forEachLimit } from './parallel.js'

/** Seconds a container gets to stop after SIGTERM (traffic already left it). */
const STOP_GRACE_S = '10'
/** One health observation never takes longer than this. */
const PROBE_TIMEOUT_MS = 10_000

/**
 * Runs each version as its own container on every Docker host (this machine or over SSH): a
 * container per version and slot (blue-green, canary) or per host (rolling), named and labelled
 * so what runs where is read from Docker itself. Images are pulled or loaded once per host before
 * anything running is touched (`stage`); a version whose stopped container is still there starts
 * again without a pull. Traffic moves through the FanoutRouter (HAProxy or nginx).
 */
export class DockerProvider implements Provider {
  readonly name = 'docker'
  readonly targets: Target[]
  private readonly clis = new Map<string, DockerCli>()
  /** The image each host has for this run (after `stage`, or staged on first need). */
  private readonly staged = new Map<string, HostImage>()
  /** A container's restart count when we started it: a count that grew is a crash. */
  private readonly restartsAtStart = new Map<string, number>()
  private archive?: Promise<ArchiveImage>
  /**
   * The version the image input is for: the one `stage` was called with, or the first version
   * that needed it. Another version (a rolling host put back, a rollback) runs only from its
   * kept container: the image of this run is not its image.
   */
  private imageVersion?: string
  /** What the last prepare of each target did, per host (see prepared()). */
  private readonly preparations = new Preparations()

  constructor(
    private readonly options: DockerProviderOptions,
    readonly router: FanoutRouter
  ) {
    const single = options.hosts.length === 1 ? options.hosts[0] : undefined
    this.targets =
      options.strategy === 'rolling'
        ? options.hosts.map(host => ({
            name: host.name,
            address: `${this.publishIp(host)}:${options.hostPort}`,
            ssh: host.ssh
          }))
        : ['blue', 'green'].map(slot => ({
            name: slot,
            address: single ? `${this.publishIp(single)}:${this.portOf(slot)}` : undefined,
            ssh: single?.ssh
          }))
  }

  private get rolling(): boolean {
    return this.options.strategy === 'rolling'
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor ? this.options.redactor.redact(line) : line)
  }

  cli(host: DockerHost): DockerCli {
    let cli = this.clis.get(host.name)
    if (!cli) {
      cli = new DockerCli(this.options.transportFor(host.ssh), {
        timeoutMs: this.options.commandTimeoutMs,
        redactor: this.options.redactor
      })
      this.clis.set(host.name, cli)
    }
    return cli
  }

  /** The interface a host's containers publish on. */
  publishIp(host: DockerHost): string {
    return this.options.publishAddress === 'host' ? host.address : this.options.publishAddress
  }

  /** Where a probe on the host itself connects to a published port. */
  private probeIp(host: DockerHost): string {
    const ip = this.publishIp(host)
    return ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '::1' : ip
  }

  /** blue and rolling hosts publish on host-port, green on host-port + 1. */
  portOf(slot: string): number {
    return slot === 'green' ? this.options.hostPort + 1 : this.options.hostPort
  }

  /** The hosts a target spans: every host for a slot, the host itself in rolling. */
  private hostsOf(target: Target): DockerHost[] {
    if (!this.rolling) return this.options.hosts
    const host = this.options.hosts.find(h => h.name === target.name)
    if (!host) throw new Error(`docker: no host named ${target.name}`)
    return [host]
  }

  private each<R>(hosts: DockerHost[], work: (host: DockerHost) => Promise<R>): Promise<R[]> {
    return forEachLimit(hosts, this.options.parallel, h => `${h.name} (${this.cli(h).label})`, work)
  }

  /** Read-only: every host's Docker Engine answers, and every router. */
  async check(): Promise<void> {
    await this.each(this.options.hosts, async host => {
      const version = await this.cli(host).ok(
        ['version', '--format', '{{.Server.Version}}'],
        30_000
      )
      if (!version.trim()) throw new Error('the Docker Engine did not report its version')
    })
    await this.router.check()
  }

  /**
   * Versions from the running containers' labels on every host (a slot's version is known when
   * every host runs the same one there), weights from the router. An unreachable host throws.
   */
  async current(): Promise<LiveState> {
    const perHost = await this.each(this.options.hosts, host =>
      appContainers(this.cli(host), this.options.app)
    )
    const weights = await this.router.weights()
    const versions: Record<string, string | undefined> = {}
    for (const target of this.targets) {
      versions[target.name] = agreedVersion(
        this.options.hosts
          .map((host, index) => ({ host, containers: perHost[index] }))
          .filter(({ host }) => !this.rolling || host.name === target.name)
          .map(({ containers }) => running(containers, target.name)?.Config.Labels?.[LABEL.version])
      )
    }
    return liveState(this.targets, versions, weights)
  }

  private readArchive(): Promise<ArchiveImage> {
    this.archive ??= readArchiveImage(this.options.image.archive!)
    return this.archive
  }

  /** Pulls or loads the image on one host (once per run), checking every host has the same id. */
  private async imageOn(host: DockerHost): Promise<HostImage> {
    const known = this.staged.get(host.name)
    if (known) return known
    const archive = this.options.image.archive ? await this.readArchive() : undefined
    const image = await stageImage(this.cli(host), !host.ssh, this.options.image, archive)
    const other = [...this.staged.values()].find(i => i.id !== image.id)
    if (other)
      throw new UserError(
        `${this.options.image.reference} is ${image.id} on ${host.name} but ${other.id} on another host (the tag moved during the deploy): pin a digest`,
        'name the image by digest in the `image` input (app@sha256:…), so every host runs the same one.'
      )
    this.staged.set(host.name, image)
    this.log(`${host.name}: image ${image.id} ${image.action}`)
    return image
  }

  /**
   * Pulls the reference (or loads the archive) on every host, `parallel` at a time, before the
   * Deployment record and before any container changes. Returns the payload fields that let a
   * rollback run exactly this image.
   */
  async stage(context: HookContext): Promise<Record<string, string>> {
    this.imageVersion ??= context.version
    const images = await this.each(this.options.hosts, host => this.imageOn(host))
    const archive = this.options.image.archive ? await this.readArchive() : undefined
    const image =
      images.find(i => i.repoDigest)?.repoDigest ??
      this.options.image.reference ??
      archive?.repoTags[0] ??
      images[0].id
    return { image, image_id: images[0].id }
  }

  async prepare(target: Target, context: HookContext): Promise<void> {
    const done = this.preparations.begin(target.name)
    await this.each(this.hostsOf(target), async host => {
      done(host.name, await this.prepareOn(host, target.name, context))
    })
  }

  /** What the last prepare(target) did on each host, in host order: `web1: started kept container …`. */
  prepared(target: Target): string | undefined {
    return this.preparations.report(
      target.name,
      this.options.hosts.map(host => host.name),
      this.options.redactor
    )
  }

  /** Prepares the slot's container on one host; resolves with what it did there. */
  private async prepareOn(host: DockerHost, slot: string, context: HookContext): Promise<string> {
    const cli = this.cli(host)
    const { app } = this.options
    const name = containerName(app, slot, context.version)
    const containers = await appContainers(cli, app)
    const existing = containers.find(c => c.Name === `/${name}`)
    const ours = this.imageVersion === undefined || this.imageVersion === context.version
    const wanted = ours ? this.staged.get(host.name)?.id : undefined
    const reuse = !!existing && (!wanted || existing.Config.Labels?.[LABEL.imageId] === wanted)
    // Checked before anything stops: another version runs only from its kept container.
    if (!reuse && !ours)
      throw new UserError(
        `no kept container ${name} to start, and the image of this run is for ${this.imageVersion}, not ${context.version}`,
        `deploy ${context.version} again with its own \`image\`: ${host.name} no longer keeps its container.`
      )
    // The published port must be free: in rolling the host's previous container (already
    // drained by the strategy), else the slot's container of another version.
    for (const c of containers) {
      const labels = c.Config.Labels ?? {}
      const holdsPort = c.State.Running || c.State.Restarting
      if (
        holdsPort &&
        labels[LABEL.version] !== context.version &&
        (this.rolling || labels[LABEL.slot] === slot)
      ) {
        await cli.ok(['stop', '-t', STOP_GRACE_S, c.Id])
        this.log(`${host.name}: stopped ${c.Name.replace(/^\//, '')}`)
      }
    }
    let done: string
    if (reuse) {
      if (!existing!.State.Running) {
        // A kept container of this version: starting it needs no pull (the rollback path).
        await cli.ok(['start', existing!.Id])
        this.log(`${host.name}: started the kept container ${name}`)
        done = `started kept container ${name}`
      } else done = `already running ${name}`
    } else {
      this.imageVersion ??= context.version
      if (existing) await cli.ok(['rm', '-f', existing.Id])
      const stagedBefore = this.staged.has(host.name)
      const image = await this.imageOn(host)
      await this.run(host, cli, name, slot, context.version, image.id)
      this.log(`${host.name}: ran ${name} (${image.id.slice(0, 19)})`)
      // Staged here (not by stage()): say whether this prepare pulled or loaded it.
      const fetched =
        !stagedBefore && image.action !== 'already present' ? `${image.action} and ` : ''
      done = `${fetched}ran ${await this.imageName(image.id)} as ${name}`
    }
    const [info] = await cli.inspect<ContainerInfo>('container', [name])
    if (info) this.restartsAtStart.set(`${host.name}/${info.Id}`, info.RestartCount)
    await this.housekeeping(host, [context.version, context.previousVersion])
    return done
  }

  /** How the summary names the image: the reference (a rollback's recorded digest), the archive's tag, else its id. */
  private async imageName(id: string): Promise<string> {
    if (this.options.image.reference) return this.options.image.reference
    const archive = this.options.image.archive ? await this.readArchive() : undefined
    return archive?.repoTags[0] ?? id.slice(0, 19)
  }

  private async run(
    host: DockerHost,
    cli: DockerCli,
    name: string,
    slot: string,
    version: string,
    imageId: string
  ): Promise<void> {
    const spec = this.options.container
    const labels = {
      ...spec.labels,
      ...containerLabels({
        app: this.options.app,
        version,
        slot,
        imageId,
        environment: this.options.environment
      })
    }
    await withEnvFiles(
      cli.transport,
      !host.ssh,
      { envFile: spec.envFile, secretEnv: spec.secretEnv, tempDir: this.options.tempDir },
      async envFiles => {
        const args = [
          'run',
          '--detach',
          '--name',
          name,
          '--restart',
          spec.restart,
          '--publish',
          `${publishSpec(this.publishIp(host))}:${this.portOf(slot)}:${spec.port}`,
          ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
          ...envFiles.flatMap(path => ['--env-file', path]),
          ...spec.volumes.flatMap(volume => ['--volume', volume]),
          ...(spec.memory ? ['--memory', spec.memory] : []),
          ...(spec.cpus ? ['--cpus', spec.cpus] : []),
          ...(spec.network ? ['--network', spec.network] : []),
          imageId,
          ...(spec.cmd ?? [])
        ]
        const result = await cli.run(args)
        if (result.exitCode !== 0) {
          // A container created but not started (port taken, bad volume) must not linger.
          await cli.run(['rm', '-f', name]).catch(() => undefined)
          throw cli.failure(`docker run ${name}`, result, this.options.commandTimeoutMs)
        }
      }
    )
  }

  private async housekeeping(host: DockerHost, keep: (string | undefined)[]): Promise<void> {
    const notes = await housekeep(
      this.cli(host),
      this.options.app,
      this.options.keepVersions,
      new Set(keep.filter((v): v is string => !!v))
    )
    for (const note of notes) this.log(note)
  }

  /** The container a target's gate looks at on a host: the expected version's, else the slot's running one. */
  private async containerOn(
    host: DockerHost,
    slot: string,
    version?: string
  ): Promise<ContainerInfo | undefined> {
    const cli = this.cli(host)
    if (version) {
      const [info] = await cli.inspect<ContainerInfo>('container', [
        containerName(this.options.app, slot, version)
      ])
      return info
    }
    return running(await appContainers(cli, this.options.app), slot)
  }

  async health(target: Target, context?: HookContext): Promise<ProbeOutcome> {
    const hosts = this.hostsOf(target)
    const outcomes = await this.each(hosts, host =>
      this.healthOn(host, target.name, context?.version)
    )
    const message =
      hosts.length === 1
        ? outcomes[0].message
        : outcomes.map((o, i) => `${hosts[i].name}: ${o.message}`).join('; ')
    return {
      ok: outcomes.every(o => o.ok),
      fatal: outcomes.some(o => o.fatal) || undefined,
      message
    }
  }

  private async healthOn(host: DockerHost, slot: string, version?: string): Promise<ProbeOutcome> {
    const info = await this.containerOn(host, slot, version)
    if (!info)
      return {
        ok: false,
        fatal: true,
        message: `no container ${version ? containerName(this.options.app, slot, version) : `of slot ${slot}`} on ${this.cli(host).label}`
      }
    const key = `${host.name}/${info.Id}`
    if (!this.restartsAtStart.has(key)) this.restartsAtStart.set(key, info.RestartCount)
    const failure = lifecycleFailure(info, this.restartsAtStart.get(key)!)
    if (failure) return failure
    if (this.options.healthCheck === 'auto' && hasHealthcheck(info)) return healthcheckOutcome(info)
    return probePublished(this.cli(host).transport, !host.ssh, {
      kind: this.options.healthCheck === 'tcp' ? 'tcp' : 'http',
      host: this.probeIp(host),
      port: this.portOf(slot),
      path: this.options.healthPath,
      timeoutMs: Math.min(this.options.commandTimeoutMs, PROBE_TIMEOUT_MS)
    })
  }

  /** Stops the target's container of that version on every host: kept, not removed. */
  async retire(target: Target, context: HookContext): Promise<void> {
    await this.each(this.hostsOf(target), async host => {
      const cli = this.cli(host)
      for (const c of await appContainers(cli, this.options.app)) {
        const labels = c.Config.Labels ?? {}
        if (!(c.State.Running || c.State.Restarting) || labels[LABEL.slot] !== target.name) continue
        if (context.version && labels[LABEL.version] !== context.version) continue
        await cli.ok(['stop', '-t', STOP_GRACE_S, c.Id])
        this.log(`${host.name}: stopped ${c.Name.replace(/^\//, '')} (kept for a rollback)`)
      }
      await this.housekeeping(host, [context.version, context.previousVersion])
    })
  }

  /** The last 50 log lines of the target's container on each host, redacted. */
  async diagnose(target: Target, context: HookContext): Promise<string | undefined> {
    const parts: string[] = []
    for (const host of this.hostsOf(target)) {
      try {
        const info = await this.containerOn(host, target.name, context.version || undefined)
        if (!info) continue
        const result = await this.cli(host).run(['logs', '--tail', '50', info.Id], 30_000)
        const lines = [result.stdout, result.stderr]
          .filter(s => s.trim())
          .join('\n')
          .trimEnd()
        const state = `${info.State.Status}, exit code ${info.State.ExitCode}`
        parts.push(
          `${host.name} ${info.Name.replace(/^\//, '')} (${state}):\n${lines || '(no output)'}`
        )
      } catch (error) {
        parts.push(`${host.name}: logs unavailable: ${(error as Error).message}`)
      }
    }
    if (parts.length === 0) return undefined
    const text = parts.join('\n')
    return this.options.redactor ? this.options.redactor.redact(text) : text
  }

  describe(context: HookContext & { targets: string[] }): string[] {
    const source = this.options.image.archive
      ? `load ${this.options.image.archive} unless its image id is there`
      : `pull ${this.options.image.reference}`
    const gate =
      this.options.healthCheck === 'auto'
        ? `the image's HEALTHCHECK, else GET ${this.options.healthPath}`
        : this.options.healthCheck === 'tcp'
          ? 'a TCP connect'
          : `GET ${this.options.healthPath}`
    return this.options.hosts.flatMap(host => {
      const slots = this.rolling
        ? context.targets.includes(host.name)
          ? [host.name]
          : []
        : context.targets
      return slots.map(slot => {
        const name = containerName(this.options.app, slot, context.version)
        const where = `${this.publishIp(host)}:${this.portOf(slot)}`
        return `${host.name} (${host.ssh ?? 'local'}): ${source}; start the kept ${name} or run it on ${where}; gate: ${gate} on ${where}; keep ${this.options.keepVersions} stopped versions`
      })
    })
  }

  async close(): Promise<void> {
    await this.router.close()
    for (const host of this.options.hosts) await this.options.transportFor(host.ssh).close()
  }
}

/** The app's running (or restarting) container of a slot (rolling: of the host). */
function running(containers: ContainerInfo[], slot: string): ContainerInfo | undefined {
  return containers.find(
    c => (c.State.Running || c.State.Restarting) && c.Config.Labels?.[LABEL.slot] === slot
  )
}

/** `-p` wants an IPv6 interface in brackets. */
function publishSpec(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip
}
