import { errorMessage, UserError } from '@slipway/kit'
import type { ProbeOutcome } from '@slipway/probes'
import type { HookContext, LiveState, Provider, Router, Target } from '../../types.js'
import { HelmCli, HelmError } from './cli.js'
import {
  deployedRevision,
  describeVersion,
  parseHistory,
  sourceOf,
  versionOf,
  type HelmRevision
} from './history.js'
import type { HelmProviderOptions } from './options.js'
import { renderedObjects, type RenderedObject } from './rendered.js'
import { returnTo } from './return-to.js'

/** A release moves its own traffic: the chart's Service follows the pods as they become ready. */
class HelmRouter implements Router {
  readonly name = 'helm (the chart’s rolling update)'
  readonly dropsConnectionsOnChange = false
  async setWeights(): Promise<void> {}
}

/**
 * Deploys a Helm chart as one release: `helm upgrade --install --wait` with rollback on
 * failure (Helm 4 `--rollback-on-failure`, Helm 3 `--atomic`), so a rollout that does not
 * complete leaves the previous revision in service. Each revision's description names the
 * Slipway version it runs; a prepare of a version that ran before (a restore, or a rollback)
 * returns to a revision that ran it with `helm rollback`: the one its Deployment recorded,
 * else the newest in the history. What comes back is exactly the chart, values and image that
 * ran, never today's chart re-rendered.
 * The one target is the release.
 */
export class HelmProvider implements Provider {
  readonly name = 'kubernetes (helm)'
  readonly router = new HelmRouter()
  readonly targets: Target[]
  private readonly cli: HelmCli
  private readonly notes = new Map<string, string>()
  /** helm test's outcome per revision (it runs once per revision). */
  private readonly tests = new Map<number, ProbeOutcome>()
  private testEvidence?: string
  private lastFailure?: string
  private preview?: { lines: string[] }

  constructor(readonly options: HelmProviderOptions) {
    this.cli = new HelmCli(options)
    this.targets = [{ name: options.release }]
  }

  private log(line: string): void {
    this.options.log?.(this.options.redactor ? this.options.redactor.redact(line) : line)
  }

  private where(): string {
    return `${this.options.context}/${this.options.namespace}`
  }

  /** The release's history, empty when it does not exist yet. */
  private async history(): Promise<HelmRevision[]> {
    const result = await this.cli.run([
      'history',
      this.options.release,
      '-o',
      'json',
      '--max',
      '256'
    ])
    if (result.exitCode === 0) return parseHistory(result.stdout)
    if (/release: not found/.test(result.stderr)) return []
    throw new HelmError(
      `helm history failed: ${result.stderr.trim().split('\n').slice(-3).join('\n')}`,
      result
    )
  }

  /** Read-only: helm runs, the cluster answers, and the release's history can be read. */
  async check(): Promise<void> {
    await this.cli.majorVersion()
    try {
      await this.history()
    } catch (error) {
      throw new UserError(
        `helm could not read release ${this.options.release} in ${this.where()}: ${errorMessage(error)}`,
        'check the kubeconfig, the context and that its user may list and get Secrets in the namespace (Helm keeps releases there)'
      )
    }
  }

  async current(): Promise<LiveState> {
    if (this.options.dryRun) await this.rehearse()
    let history: HelmRevision[]
    try {
      history = await this.history()
    } catch (error) {
      // A dry run with no cluster in reach still prints its plan (from helm template).
      if (this.options.dryRun) return {}
      throw error
    }
    const deployed = deployedRevision(history)
    if (!deployed) return {}
    return {
      [this.options.release]: { version: versionOf(history, deployed.revision), weight: 1 }
    }
  }

  /**
   * The payload a rollback needs: release, namespace, context, the revision this deploy leaves
   * in service (what a return to its version rolls back to) and the one in service before.
   */
  async stage(context: HookContext): Promise<Record<string, string>> {
    const history = await this.history()
    const deployed = deployedRevision(history)
    const runs = deployed && versionOf(history, deployed.revision) === context.version
    // Helm numbers a new revision one past the newest, for an upgrade and a rollback alike.
    const next = Math.max(0, ...history.map(r => r.revision)) + 1
    const payload: Record<string, string> = {
      helm_release: this.options.release,
      helm_chart: this.options.chart,
      kubernetes_namespace: this.options.namespace,
      kubernetes_context: this.options.context,
      version: context.version
    }
    if (this.options.image) payload.image = this.options.image.reference
    payload.helm_revision = String(runs ? deployed.revision : next)
    if (deployed) {
      payload.previous_revision = String(deployed.revision)
      const version = versionOf(history, deployed.revision)
      if (version) payload.previous_version = version
    }
    return payload
  }

  private imageArgs(): string[] {
    const image = this.options.image
    if (!image) return []
    const key = this.options.imageKey
    const sets = [`${key}.repository=${image.repository}`]
    if (image.tag) sets.push(`${key}.tag=${image.tag}`)
    if (image.digest) sets.push(`${key}.digest=${image.digest}`)
    return sets.flatMap(s => ['--set-string', s])
  }

  private chartArgs(): string[] {
    return [
      this.options.release,
      this.options.chart,
      ...this.options.values.flatMap(f => ['-f', f]),
      ...this.imageArgs()
    ]
  }

  /**
   * A version the release runs already: nothing to do (a re-run converges). A version it ran
   * before (a restore after a failed gate, a rollback): `helm rollback` to its recorded
   * revision, else the newest completed revision of it, exactly the chart, values and image
   * that ran. Otherwise this run's version: `helm upgrade --install --wait`, rolled back by
   * helm when the rollout does not complete.
   */
  async prepare(target: Target, context: HookContext): Promise<void> {
    const { release, timeoutSeconds } = this.options
    const timeout = `${timeoutSeconds}s`
    const history = await this.history()
    const deployed = deployedRevision(history)
    // The record's revision is this run's version's; a restore of another version has none.
    const recorded =
      context.version === this.options.version ? this.options.recordedRevision : undefined
    const earlier = returnTo(release, history, context.version, recorded)
    if (earlier && 'refused' in earlier)
      throw new UserError(
        `${earlier.refused}; nothing was changed`,
        'Helm keeps only a release’s newest revisions (--history-max, 10 by default) and numbers them afresh when the release is installed again: deploy the version again instead of rolling back to it'
      )
    // With a recorded revision, "runs already" means runs that revision, not only its version.
    const runsAlready =
      deployed &&
      (earlier?.recorded
        ? sourceOf(history, deployed.revision)?.revision ===
          sourceOf(history, earlier.revision.revision)?.revision
        : versionOf(history, deployed.revision) === context.version)
    if (deployed && runsAlready) {
      this.notes.set(
        target.name,
        `release ${release} already runs ${context.version} (revision ${deployed.revision})`
      )
      return
    }
    if (earlier) {
      const revision = earlier.revision.revision
      if (context.version === this.options.version) this.log(`${release}: ${earlier.note}`)
      await this.cli.checked(
        ['rollback', release, String(revision), '--wait', '--timeout', timeout],
        timeoutSeconds
      )
      const how = earlier.recorded ? `${context.version}, the recorded revision` : context.version
      this.notes.set(target.name, `helm rollback ${release} to revision ${revision} (${how})`)
      this.log(`${release}: rolled back to revision ${revision} (${how})`)
      return
    }
    if (context.version !== this.options.version)
      throw new Error(
        `release ${release} has no completed revision of ${context.version} to return to (helm history)`
      )
    const atomic = (await this.cli.majorVersion()) >= 4 ? '--rollback-on-failure' : '--atomic'
    try {
      await this.cli.checked(
        [
          'upgrade',
          '--install',
          ...this.chartArgs(),
          '--wait',
          '--timeout',
          timeout,
          atomic,
          '--description',
          describeVersion(context.version)
        ],
        timeoutSeconds
      )
    } catch (error) {
      this.lastFailure = errorMessage(error)
      throw error
    }
    const after = deployedRevision(await this.history())
    const image = this.options.image ? ` (image ${this.options.image.reference})` : ''
    this.notes.set(
      target.name,
      `helm upgrade --install ${release}: revision ${after?.revision ?? '?'}${image}`
    )
    this.log(`${release}: revision ${after?.revision ?? '?'} runs ${context.version}${image}`)
  }

  prepared(target: Target): string | undefined {
    return this.notes.get(target.name)
  }

  /**
   * The release's revision in service runs the version (helm's --wait saw its resources
   * ready), and with helm-test the chart's tests pass on that revision. A failed test is
   * fatal: waiting does not make it pass.
   */
  async health(_target: Target, context?: HookContext): Promise<ProbeOutcome> {
    const { release } = this.options
    const history = await this.history()
    const deployed = deployedRevision(history)
    const version = deployed ? versionOf(history, deployed.revision) : undefined
    if (!deployed)
      return { ok: false, message: `helm: release ${release} has no deployed revision` }
    if (context?.version && version !== context.version)
      return {
        ok: false,
        message: `helm: release ${release} revision ${deployed.revision} runs ${version ?? 'an unknown version'}, not ${context.version}`
      }
    const passed = `helm: release ${release} revision ${deployed.revision} deployed (${version})`
    if (!this.options.test || context?.version !== this.options.version)
      return { ok: true, message: passed }
    let outcome = this.tests.get(deployed.revision)
    if (!outcome) {
      outcome = await this.runTests(deployed.revision)
      this.tests.set(deployed.revision, outcome)
    }
    return outcome.ok ? { ok: true, message: `${passed}; ${outcome.message}` } : outcome
  }

  private async runTests(revision: number): Promise<ProbeOutcome> {
    const { release, timeoutSeconds } = this.options
    const result = await this.cli.run(
      ['test', release, '--logs', '--timeout', `${timeoutSeconds}s`],
      timeoutSeconds
    )
    if (result.exitCode === 0)
      return { ok: true, message: `helm test ${release} passed on revision ${revision}` }
    this.testEvidence = [result.stdout.trim(), result.stderr.trim()].filter(Boolean).join('\n')
    const reason = result.stderr.trim().split('\n').slice(-1)[0] ?? ''
    return {
      ok: false,
      fatal: true,
      message: `helm test ${release} failed on revision ${revision}: ${reason}`
    }
  }

  /** Nothing to stop: the release is one target, replaced in place. */
  async retire(): Promise<void> {}

  /** The failing test pods' output (helm test --logs), or why the upgrade failed. */
  async diagnose(): Promise<string | undefined> {
    const text = this.testEvidence ?? this.lastFailure
    if (!text) return undefined
    return this.options.redactor ? this.options.redactor.redact(text) : text
  }

  /**
   * A dry run's look at what would change: `helm upgrade --install --dry-run=server` (the
   * cluster renders and validates, nothing is stored), else `helm template` when the cluster
   * is out of reach. Either way nothing changes.
   */
  private async rehearse(): Promise<void> {
    if (this.preview) return
    const server = await this.cli.run([
      'upgrade',
      '--install',
      ...this.chartArgs(),
      '--dry-run=server'
    ])
    let objects: RenderedObject[]
    let how: string
    if (server.exitCode === 0) {
      objects = renderedObjects(server.stdout)
      how = 'server dry run'
    } else {
      const template = await this.cli.run(['template', ...this.chartArgs()])
      if (template.exitCode !== 0)
        throw new HelmError(
          `helm template failed: ${template.stderr.trim().split('\n').slice(-4).join('\n')}`,
          template
        )
      objects = renderedObjects(template.stdout)
      const why = server.stderr.trim().split('\n').slice(-1)[0] ?? ''
      how = `helm template (the server dry run failed: ${why})`
    }
    this.preview = {
      lines: objects.map(
        o =>
          `${this.where()}: ${o.kind}/${o.name}${o.images.length ? ` (${o.images.join(', ')})` : ''} [${how}]`
      )
    }
  }

  describe(context: HookContext & { targets: string[] }): string[] {
    const { release, chart, values, timeoutSeconds } = this.options
    const image = this.options.image ? `, image ${this.options.image.reference}` : ''
    const files = values.length ? `, values ${values.join(', ')}` : ''
    return [
      `${this.where()}: helm upgrade --install ${release} ${chart} (${context.version}${image}${files}); --wait ${timeoutSeconds}s, rolled back on failure`,
      ...(this.preview?.lines ?? []),
      ...(this.options.test
        ? [`${this.where()}: helm test ${release} (the chart’s tests) as part of the gate`]
        : [])
    ]
  }

  async close(): Promise<void> {
    await this.cli.close()
  }
}
