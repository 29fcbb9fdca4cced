import { existsSync } from 'node:fs'
import { UserError, errorMessage, type Redactor } from '@slipway/kit'
import type { DeploymentRecord, DeploymentRecords } from '@slipway/deployments'
import type { ReleaseStore } from '@slipway/release'
import {
  executePlan,
  makePlan,
  type DeployConfig,
  type PlanStep,
  type StrategyName,
  type TimelineEvent
} from '@slipway/strategies'
import { runSmoke, type SmokePlan, type SmokeReport } from '@slipway/smoke'
import { markRelease, releaseTags, type ReleaseMark } from './release-mark.js'
import { checkRestorable, restoreData, type DataRestore, type RestoreOutcome } from './data.js'
import { chooseRollback, fromWhatIsLive, versionOf, type RollbackChoice } from './target.js'
import { downMigrations, runDownMigration } from './migration-guard.js'
import {
  deployPlanOf,
  describeRollbackStep,
  isDeployStep,
  makeRollbackPlan,
  type RollbackMode,
  type RollbackPlan
} from './plan.js'

export { modeOf, type RollbackMode } from './plan.js'

/**
 * Reads the environment's deployments newest first, statuses fetched only until `enough` says
 * the target is among them (faster recovery than a whole `history`).
 */
export type HistoryReader = (
  environment: string,
  options: { limit?: number; enough: (records: DeploymentRecord[]) => boolean }
) => Promise<DeploymentRecord[]>

export interface RollbackOptions {
  environment: string
  /** Return to this version instead of the last good one. */
  version?: string
  /** The bad deployment (automatic trigger); default: the environment's newest deployment. */
  fromDeploymentId?: number
  reason?: string
  dryRun: boolean
  ledger: DeploymentRecords
  /** Reads the history only as far back as the target; default: `ledger.history`. */
  history?: HistoryReader
  /**
   * Creates the rollback's Deployment: a ledger without this run's id, because the run that
   * deployed the bad version (same run, same fallback commit) must not be "continued" as if
   * it were the rollback. Default: `ledger`.
   */
  recordLedger?: DeploymentRecords
  /** Provider and request for a version, from the same inputs deploy-strategy takes. */
  deployConfig: (request: {
    version: string
    strategy: StrategyName
    artifact?: string
    /**
     * The image the target deployment ran (`repo@sha256:…`, from its payload): the docker
     * provider runs exactly it when neither a warm slot nor a kept container has the version.
     */
    image?: string
    /** The Helm revision the target deployment left in service (`helm_revision`). */
    helmRevision?: number
  }) => DeployConfig
  /** Restore the backup recorded with the bad deployment (after a fresh, verified backup). */
  restore?: DataRestore
  /** Smoke checks run after traffic is back. */
  smoke?: SmokePlan
  /** Annotate the bad version's release; its tag is `<tagPrefix><version>` (default prefix `v`). */
  release?: { releases: ReleaseStore; markPrerelease: boolean; tagPrefix?: string }
  environmentUrl?: string
  productionEnvironment?: boolean
  /** Recorded against this commit when the version is not a ref (GITHUB_SHA). */
  fallbackRef?: string
  /** This workflow run, so a re-run continues its rollback deployment instead of adding one. */
  runId?: string
  historyLimit?: number
  log?: (line: string) => void
  /** Deadline of a recorded down-command (the hook timeout). */
  downTimeoutMs?: number
  /** Masks secrets in a down-command's output. */
  redactor?: Redactor
}

export interface RollbackResult {
  status: 'success' | 'failure' | 'dry-run'
  from: string
  to: string
  fromDeployment: DeploymentRecord
  targetDeployment: DeploymentRecord
  marked: number[]
  mode: RollbackMode
  /** What would happen / happened, step by step: the deploy plan's steps among rollback's own. */
  plan: RollbackPlan
  strategy: StrategyName
  deployment?: DeploymentRecord
  durationMs: number
  timeline: TimelineEvent[]
  data?: RestoreOutcome
  smoke?: SmokeReport
  release?: ReleaseMark
  error?: string
  /** The recorded image a container rollback runs when no kept container has the version. */
  image?: string
  /** What the provider did on each host to bring the version back (a container rollback). */
  prepared?: string
}

/** A canary rollback does not walk weights again: traffic goes back at once. */
export function rollbackStrategy(recorded: unknown): StrategyName {
  return recorded === 'rolling' ? 'rolling' : 'blue-green'
}

/**
 * Rolls an environment back: chooses the target from the Deployment history, plans the
 * route-back (previous slot still warm) or redeploy (its artifact) through the same provider
 * as deploy-strategy, optionally restores the bad deployment's backup, records the rollback
 * as a Deployment, marks the bad deployment(s) and release, and verifies with the smoke test.
 * Never throws once something has changed: the result says `failure` with the reason.
 */
export async function rollback(options: RollbackOptions): Promise<RollbackResult> {
  const started = Date.now()
  const log = options.log ?? (() => undefined)
  const timeline: TimelineEvent[] = []
  const record = (step: string, detail: string, ok = true): void => {
    timeline.push({ atMs: Date.now() - started, step, detail, ok })
    log(`${ok ? '✓' : '✗'} ${step}: ${detail}`)
  }

  const pick = (records: DeploymentRecord[]) =>
    chooseRollback(options.environment, records, {
      fromId: options.fromDeploymentId,
      version: options.version
    })
  const history = options.history
    ? await options.history(options.environment, {
        limit: options.historyLimit,
        enough: records => {
          try {
            pick(records)
            return true
          } catch {
            return false
          }
        }
      })
    : await options.ledger.history(options.environment, { limit: options.historyLimit ?? 50 })
  const chosen: RollbackChoice = chooseRollback(options.environment, history, {
    fromId: options.fromDeploymentId,
    version: options.version
  })
  const to = versionOf(chosen.target)

  const strategy = rollbackStrategy(chosen.from.payload.strategy ?? chosen.target.payload.strategy)
  const recordedArtifact = recordedString(chosen.target.payload.artifact)
  // The recorded artifact was a file of the deploy's runner: a later job may not have it. A
  // route-back ships nothing, so only a redeploy needs it (checked once the plan says which).
  const artifact = recordedArtifact && existsSync(recordedArtifact) ? recordedArtifact : undefined
  const image = recordedString(chosen.target.payload.image)
  const helmRevision = recordedRevision(chosen.target.payload.helm_revision)
  const config = options.deployConfig({ version: to, strategy, artifact, image, helmRevision })
  const provider = config.provider
  try {
    const live = await provider.current()
    const deployPlan = makePlan(provider.targets, live, config.request)
    // What the provider finds serving, not the newest record: a failed deploy that put traffic
    // back leaves the version before it live, and that is what this rollback replaces.
    const choice =
      options.fromDeploymentId === undefined
        ? fromWhatIsLive(chosen, history, deployPlan.previousVersion)
        : chosen
    const from = versionOf(choice.from)
    record('target', `${from} (#${choice.from.id}) → ${to} (#${choice.target.id})`)
    const backupId = options.restore
      ? await checkRestorable(options.restore, choice.from)
      : undefined
    // A destructive migration refuses a code-only rollback here, before anything changes.
    const down = downMigrations(choice.bad, backupId !== undefined)
    const plan = makeRollbackPlan(deployPlan, {
      from,
      to,
      restore: backupId ? { backupId, source: options.restore!.describe } : undefined,
      down,
      deploymentIds: choice.bad.map(d => d.id),
      smokeChecks: options.smoke?.checks.length,
      release: options.release && {
        tags: releaseTags(from, options.release.tagPrefix),
        prerelease: options.release.markPrerelease
      }
    })
    const mode = plan.mode
    if (mode === 'redeploy' && recordedArtifact && !artifact)
      throw new UserError(
        `the artifact ${to} was deployed from (${recordedArtifact}) is not on this runner, and no slot still runs ${to}`,
        `put ${to}'s artifact at that path before the rollback (for example the release asset of ${to}), or keep the previous slot warm longer (keep-previous) so a rollback routes back`
      )
    const base: Omit<RollbackResult, 'status' | 'durationMs'> = {
      from,
      to,
      fromDeployment: choice.from,
      targetDeployment: choice.target,
      marked: choice.bad.map(d => d.id),
      mode,
      plan,
      strategy,
      timeline,
      ...(image ? { image } : {})
    }
    log(
      `Rollback plan (${mode}):\n${plan.steps.map((s, i) => `  ${i + 1}. ${describeRollbackStep(s)}`).join('\n')}`
    )
    if (options.dryRun) return { ...base, status: 'dry-run', durationMs: Date.now() - started }

    await provider.check()
    // The rollback's Deployment is written once traffic is back: every request before the
    // switch adds to the time to recover, and a failed attempt is still recorded (below).
    let deployment: DeploymentRecord | undefined
    const ensureRecord = async (): Promise<DeploymentRecord> => {
      deployment ??= await startRecord(options, choice, history, { from, to, mode, strategy, plan })
      return deployment
    }
    const fail = async (
      error: string,
      extra: Partial<RollbackResult> = {}
    ): Promise<RollbackResult> => {
      record('rollback', error, false)
      try {
        const failed = await ensureRecord()
        await options.ledger.setStatus(
          failed.id,
          'failure',
          `rollback ${from} → ${to} failed: ${error}`,
          { environmentUrl: options.environmentUrl }
        )
      } catch (e) {
        log(`Could not record the failure: ${errorMessage(e)}`)
      }
      return {
        ...base,
        ...extra,
        status: 'failure',
        deployment,
        error,
        durationMs: Date.now() - started
      }
    }

    let data: RestoreOutcome | undefined
    let smoke: SmokeReport | undefined
    let release: ReleaseMark | undefined
    /** Runs the deploy plan's steps; the reason when they failed (traffic returned by the executor). */
    const moveTraffic = async (steps: PlanStep[]): Promise<string | undefined> => {
      const result = await executePlan({
        provider,
        plan: { ...deployPlanOf(plan), steps },
        request: config.request,
        live,
        log
      })
      for (const event of result.timeline)
        timeline.push({ ...event, atMs: event.atMs + (Date.now() - started - result.durationMs) })
      // which way a container rollback went: a kept container started, or an image run
      const prepared = provider.targets
        .map(target => provider.prepared?.(target))
        .filter(Boolean)
        .join('; ')
      if (prepared) base.prepared = prepared
      if (result.status !== 'success') return result.error ?? `the plan ended ${result.status}`
      record('traffic', `100% on ${to} (${mode})`)
      return undefined
    }

    // The deploy plan's steps run as one block through the deploy executor, which owns their
    // failure path (route back, tear down); rollback's own steps run here, in plan order.
    const deploySteps = plan.steps.filter(isDeployStep)
    for (const step of plan.steps) {
      if (isDeployStep(step)) {
        if (step !== deploySteps[0]) continue
        const failure = await moveTraffic(deploySteps)
        if (failure) return fail(failure, { data })
        continue
      }
      switch (step.kind) {
        case 'restore-data':
          try {
            data = await restoreData(options.restore!, step.backupId, log)
            record(
              'restore',
              `fresh backup ${data.freshBackupId} verified; restored ${step.backupId}`
            )
          } catch (error) {
            return fail(`restore-data: ${errorMessage(error)}`)
          }
          break
        case 'down-migration':
          try {
            const tail = await runDownMigration(step, {
              to,
              environment: options.environment,
              timeoutMs: options.downTimeoutMs ?? 30 * 60_000,
              redactor: options.redactor
            })
            record(
              'down-migration',
              `down-command of #${step.deploymentId} ran${tail ? `: ${tail.split('\n').pop()}` : ''}`
            )
          } catch (error) {
            return fail(`down-migration: ${errorMessage(error)} (traffic not moved)`)
          }
          break
        case 'already-live':
          // Nothing to move: an empty deploy plan would read as "prepared", so none is executed.
          record('traffic', `${step.version} was already live`)
          break
        case 'record': {
          const recorded = await ensureRecord()
          record('record', `rollback deployment #${recorded.id}`)
          break
        }
        case 'smoke':
          smoke = await runSmoke(options.smoke!, { info: log })
          record('smoke', smoke.message || (smoke.passed ? 'passed' : 'failed'), smoke.passed)
          if (!smoke.passed)
            return fail(`smoke test after rollback failed: ${smoke.message}`, { data, smoke })
          break
        case 'mark-deployments': {
          const recorded = await ensureRecord()
          // The bad deployments before our success, so auto_inactive has nothing of theirs to touch.
          for (const bad of choice.bad.filter(d => step.deploymentIds.includes(d.id))) {
            const text = `rolled back to ${step.to} by deployment #${recorded.id}${options.reason ? `: ${options.reason}` : ''}`
            if (bad.state !== 'failure' && bad.state !== 'inactive')
              await options.ledger.setStatus(bad.id, 'failure', text, { autoInactive: false })
            await options.ledger.setStatus(bad.id, 'inactive', text, { autoInactive: false })
          }
          record('mark', `${step.deploymentIds.map(id => `#${id}`).join(', ')} marked rolled back`)
          await options.ledger.setStatus(
            recorded.id,
            'success',
            `${to} live again via ${mode} (rolled back from ${from})`,
            { environmentUrl: options.environmentUrl }
          )
          break
        }
        case 'mark-release':
          release = await markRelease({
            releases: options.release!.releases,
            markPrerelease: step.prerelease,
            tagPrefix: options.release!.tagPrefix,
            version: step.version,
            to,
            environment: options.environment,
            deploymentId: (await ensureRecord()).id,
            reason: options.reason
          }).catch(error => ({
            tag: step.tags[0],
            action: 'failed' as const,
            detail: errorMessage(error)
          }))
          record(
            'release',
            `${release.tag}: ${release.action}${release.detail ? ` (${release.detail})` : ''}`,
            release.action !== 'failed'
          )
          break
        default: {
          const unknown: never = step
          throw new Error(`unknown rollback step ${JSON.stringify(unknown)}`)
        }
      }
    }
    return {
      ...base,
      status: 'success',
      deployment: await ensureRecord(),
      data,
      smoke,
      release,
      durationMs: Date.now() - started
    }
  } finally {
    await provider.close().catch(() => undefined)
  }
}

/** Creates the rollback's Deployment, or continues the one this run already created. */
async function startRecord(
  options: RollbackOptions,
  choice: RollbackChoice,
  history: DeploymentRecord[],
  what: {
    from: string
    to: string
    mode: RollbackMode
    strategy: StrategyName
    plan: RollbackPlan
  }
): Promise<DeploymentRecord> {
  // A re-run of this job continues its rollback record (newer than `from`, so in `history`).
  const existing = history.find(
    d =>
      d.payload.rollback_of === choice.from.id &&
      options.runId !== undefined &&
      d.payload.rollback_run_id === options.runId
  )
  if (existing) return existing
  const target = choice.target.payload
  const { deployment } = await (options.recordLedger ?? options.ledger).start({
    environment: options.environment,
    version: what.to,
    fallbackRef: options.fallbackRef ?? choice.target.sha,
    productionEnvironment: options.productionEnvironment,
    description: `rollback ${what.from} → ${what.to} (${what.mode})`,
    payload: {
      version: what.to,
      strategy: what.strategy,
      artifact: typeof target.artifact === 'string' ? target.artifact : undefined,
      // What the target ran: the next rollback to this version runs it again.
      image: recordedString(target.image),
      image_id: recordedString(target.image_id),
      slot: what.plan.slot,
      previous_slot: what.plan.previousSlot,
      hosts: what.plan.batches?.flat(),
      previous_version: what.from,
      backup_id: typeof target.backup_id === 'string' ? target.backup_id : undefined,
      rollback_of: choice.from.id,
      rolled_back_from: what.from,
      rollback_mode: what.mode,
      rollback_reason: options.reason,
      rollback_run_id: options.runId
    }
  })
  await options.ledger.setStatus(
    deployment.id,
    'in_progress',
    `rolling back ${what.from} → ${what.to} (${what.mode})`,
    { environmentUrl: options.environmentUrl }
  )
  return deployment
}

function recordedString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A Helm revision as a payload holds it (a string of digits); anything else is no revision. */
function recordedRevision(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : recordedString(value)
  return text !== undefined && /^[1-9]\d*$/.test(text) ? Number(text) : undefined
}
