import {
  UserError,
  type Clock,
  type OutputValue,
  type Progress,
  type Redactor,
  type SummaryBuilder
} from '@slipway/kit'
import type { DeploymentRecords } from '@slipway/deployments'
import { openSilence, reportDeployEvent } from '@slipway/monitoring'
import type { Notification } from '@slipway/notify'
import { buildDeployConfig, type DeployConfig } from './config.js'
import { renderSummary, runDeploy, type DeployOutcome, type RecordOptions } from './run.js'
import type { DeploySettings } from './settings.js'
import {
  rehearsalGate,
  rehearsalOutputs,
  renderRehearsal,
  type MigrationRehearsal
} from './rehearsal-gate.js'

export interface DeployPorts {
  progress: Progress
  clock?: Clock
  /** The environment's Deployment history; needed when `settings.record` is set. */
  records?: DeploymentRecords
  /** Told of a finished deploy (success or failure); the front end decides where it goes. */
  notify?: (notification: Notification) => Promise<void>
  /** Masks secrets in what providers report (container logs) before it reaches the summary. */
  redactor?: Redactor
}

export interface DeployStageResult extends DeployOutcome {
  config: DeployConfig
  /** The workflow run, where the Deployment's statuses link to. */
  logUrl?: string
  /** The migration's rehearsal on a copy of production data, when there was one. */
  rehearsal?: MigrationRehearsal
}

/**
 * deploy-strategy as a stage: builds the provider from the validated settings, runs the deploy
 * (recorded when `settings.record` is set) and notifies of how it ended. A failed gate is
 * reported in `result.status`/`result.error`, never thrown.
 */
export async function runDeployStage(
  settings: DeploySettings,
  ports: DeployPorts
): Promise<DeployStageResult> {
  const config = buildDeployConfig(settings.deploy, ports.redactor)
  config.environmentUrl = settings.environmentUrl
  if (config.health.kind === 'none')
    ports.progress.warning(
      'health-check: none — the health gate is off: traffic moves to the new version without any probe reaching it'
    )
  const record = recordOptions(settings, ports.records)
  const startedAt = new Date()
  const alerts = settings.monitoring?.alerts
  // Expected noise (the replaced slot's InstanceDown …) is silenced for the deploy window; the
  // silence expires however the deploy ends, and on cancellation through the kit's cleanups.
  const silence =
    alerts && !config.dryRun
      ? await openSilence(
          { ...alerts, runUrl: alerts.runUrl ?? record?.records.logUrl },
          `deploy of ${config.version} to ${config.environment}`,
          ports.progress
        )
      : undefined
  let outcome: DeployOutcome
  let rehearsal: MigrationRehearsal | undefined
  const log = (line: string): void => ports.progress.info(line)
  const gate =
    settings.rehearsal && !config.dryRun
      ? rehearsalGate(settings.rehearsal, settings.deploy, ports.redactor, log, seen => {
          rehearsal = seen
        })
      : undefined
  try {
    outcome = await runDeploy(config, record, log, ports.clock, gate)
  } finally {
    await silence?.close()
  }
  await pushEvent(settings, config, outcome, startedAt, ports.progress)
  const logUrl = record?.records.logUrl
  const { result } = outcome
  if (ports.notify && (result.status === 'success' || result.status === 'failure'))
    await ports.notify({
      event: result.status === 'success' ? 'deploy-success' : 'deploy-failure',
      environment: config.environment,
      version: config.version,
      previousVersion: outcome.outputs['previous-version'] || undefined,
      strategy: config.strategy,
      repository: settings.repository,
      runUrl: logUrl,
      environmentUrl: settings.environmentUrl,
      durationMs: result.durationMs,
      detail: result.error
    })
  return { ...outcome, config, logUrl, rehearsal }
}

/** The deploy as `slipway_deploy_*` series (not for a dry run, nor a deploy that did not finish). */
async function pushEvent(
  settings: DeploySettings,
  config: DeployConfig,
  outcome: DeployOutcome,
  startedAt: Date,
  progress: Progress
): Promise<void> {
  const status = outcome.result.status
  if (config.dryRun || (status !== 'success' && status !== 'failure')) return
  await reportDeployEvent(
    settings.monitoring?.pushgatewayUrl,
    {
      kind: 'deploy',
      environment: config.environment,
      app: settings.deploy.container?.app ?? settings.repository?.split('/')[1] ?? 'app',
      version: config.version,
      status,
      startedAt,
      endedAt: new Date()
    },
    progress
  )
}

function recordOptions(
  settings: DeploySettings,
  records: DeploymentRecords | undefined
): RecordOptions | undefined {
  if (!settings.record) return undefined
  // A bug in the front end, not the user's: recording was asked for and no records were given.
  if (!records) throw new Error('record-deployment is on but no deployment records were given')
  return {
    records,
    deploymentId: settings.record.deploymentId,
    backupId: settings.record.backupId,
    environmentUrl: settings.environmentUrl,
    productionEnvironment: settings.record.productionEnvironment,
    transientEnvironment: settings.record.transientEnvironment,
    fallbackRef: settings.record.fallbackRef
  }
}

/** The action's outputs: what runDeploy reported, empty where it had nothing to say. */
export function deployOutputs(result: DeployStageResult): Record<string, OutputValue> {
  return Object.fromEntries(
    Object.entries({ ...result.outputs, ...rehearsalOutputs(result.rehearsal) }).map(
      ([name, value]) => [name, value ?? '']
    )
  )
}

/** The job summary, as deploy-strategy always wrote it. */
export function renderDeploySummary(result: DeployStageResult, summary: SummaryBuilder): void {
  renderSummary(summary, result.config, result, { logUrl: result.logUrl })
  renderRehearsal(summary, result.rehearsal)
}

/** Why the step fails, when it does: the release failed a gate (the user's to fix). */
export function deployFailure(result: DeployStageResult): UserError | undefined {
  // The release failed a gate (health, analysis, a hook): the user's to fix, not a Slipway bug.
  return result.result.status === 'failure'
    ? new UserError(
        result.result.error ?? 'deployment failed',
        'the summary shows which gate failed and what it measured; fix the release (or the gate settings) and deploy again'
      )
    : undefined
}
