import {
  UserError,
  type OutputValue,
  type Progress,
  type Redactor,
  type SummaryBuilder
} from '@slipway/kit'
import type { DeploymentRecords } from '@slipway/deployments'
import { reportDeployEvent } from '@slipway/monitoring'
import type { Notification } from '@slipway/notify'
import type { ReleaseStore } from '@slipway/release'
import { dirStore } from '@slipway/backup'
import { buildDeployConfig, isContainerProvider } from '@slipway/strategies'
import type { DataRestore } from './data.js'
import { withRecordedHelmRevision, withRecordedImage } from './provider-settings.js'
import { rollback, type HistoryReader, type RollbackResult } from './rollback.js'
import type { RollbackSettings } from './settings.js'
import { renderRollbackSummary } from './summary.js'

export interface RollbackPorts {
  /** The environment's Deployment history: where the target comes from, what gets marked. */
  records: DeploymentRecords
  /**
   * Creates the rollback's Deployment: records without this run's id, because the run that
   * deployed the bad version must not be "continued" as if it were the rollback. Default: `records`.
   */
  rollbackRecords?: DeploymentRecords
  /** Reads the history only as far back as the target; default: `records.history`. */
  history?: HistoryReader
  /** Where the bad version's release is annotated (when `settings.release` is set). */
  releases?: ReleaseStore
  progress: Progress
  /** Told of a finished rollback (not a dry run); the front end decides where it goes. */
  notify?: (notification: Notification) => Promise<void>
  /** Masks secrets in what providers report, and the database URL in the plan. */
  redactor?: Redactor
}

export interface RollbackStageResult extends RollbackResult {
  environment: string
  /** The workflow run, where the Deployment's statuses link to. */
  logUrl?: string
}

/**
 * rollback as a stage: chooses the target from the records, moves traffic back through the
 * same provider as deploy-strategy, records and marks, and notifies of how it ended. A failed
 * rollback is reported in `status`/`error` once anything has changed.
 */
export async function runRollbackStage(
  settings: RollbackSettings,
  ports: RollbackPorts
): Promise<RollbackStageResult> {
  const { environment, dryRun, provider } = settings
  const log = (line: string): void => ports.progress.info(line)
  const startedAt = new Date()
  const result = await rollback({
    environment,
    version: settings.version,
    fromDeploymentId: settings.fromDeploymentId,
    reason: settings.reason,
    dryRun,
    ledger: ports.records,
    history: ports.history,
    recordLedger: ports.rollbackRecords,
    deployConfig: ({ image, helmRevision, ...request }) =>
      buildDeployConfig(
        {
          ...withRecordedHelmRevision(
            withRecordedImage(
              provider,
              isContainerProvider(provider.provider) || provider.provider === 'kubernetes'
                ? image
                : undefined
            ),
            helmRevision
          ),
          ...request,
          environment,
          dryRun,
          steps: undefined
        },
        ports.redactor
      ),
    restore: settings.restore && dataRestore(settings.restore, ports),
    smoke: settings.smoke,
    release:
      settings.release && ports.releases
        ? { releases: ports.releases, ...settings.release }
        : undefined,
    environmentUrl: settings.environmentUrl,
    productionEnvironment: settings.productionEnvironment,
    fallbackRef: settings.fallbackRef,
    runId: settings.runId,
    downTimeoutMs: provider.hookTimeoutMs,
    redactor: ports.redactor,
    log
  })
  const logUrl = ports.records.logUrl
  if (!dryRun && ports.notify)
    await ports.notify({
      event: result.status === 'failure' ? 'rollback-failure' : 'rollback-success',
      environment,
      version: result.to,
      previousVersion: result.from,
      repository: settings.repository,
      runUrl: logUrl,
      environmentUrl: settings.environmentUrl,
      durationMs: result.durationMs,
      detail: result.error ?? settings.reason
    })
  if (!dryRun && result.mode !== 'none')
    await reportDeployEvent(
      settings.pushgatewayUrl,
      {
        kind: 'rollback',
        environment,
        app: provider.container?.app ?? settings.repository?.split('/')[1] ?? 'app',
        version: result.to,
        status: result.status === 'failure' ? 'failure' : 'success',
        startedAt,
        endedAt: new Date()
      },
      ports.progress
    )
  return { ...result, environment, logUrl }
}

function dataRestore(
  restore: NonNullable<RollbackSettings['restore']>,
  ports: RollbackPorts
): DataRestore {
  return {
    store: dirStore(restore.path, { warn: message => ports.progress.warning(message) }),
    source: { engine: restore.engine, url: restore.url, input: 'database-url' },
    name: restore.name,
    // The fresh backup taken before the restore is encrypted to this identity's recipient
    // (restoreData derives it), so a rollback never writes the live data in clear.
    identities: restore.identity ? [restore.identity] : [],
    timeoutMs: restore.timeoutMs,
    describe: `${ports.redactor ? ports.redactor.redact(restore.url) : restore.url} → ${restore.path}`
  }
}

/**
 * The action's outputs. `plan` is the rollback plan as JSON: deploy-strategy's plan (slots,
 * batches, failure path) with rollback's own steps among the deploy steps, in the order run.
 */
export function rollbackOutputs(result: RollbackStageResult): Record<string, OutputValue> {
  return {
    'rolled-back-to': result.to,
    'rolled-back-from': result.from,
    duration: Math.round(result.durationMs / 100) / 10,
    'deployment-id': result.deployment?.id ?? '',
    mode: result.mode,
    status: result.status,
    'restored-backup-id': result.data?.restoredBackupId ?? '',
    plan: JSON.stringify(result.plan)
  }
}

/** The job summary, as rollback always wrote it. */
export function renderRollbackStageSummary(
  result: RollbackStageResult,
  summary: SummaryBuilder
): void {
  renderRollbackSummary(summary, result.environment, result, { logUrl: result.logUrl })
}

/** Why the step fails, when it does. */
export function rollbackFailure(result: RollbackStageResult): UserError | undefined {
  return result.status === 'failure'
    ? new UserError(
        result.error ?? 'rollback failed',
        'the summary shows which step failed; traffic may need attention before you retry the rollback'
      )
    : undefined
}
