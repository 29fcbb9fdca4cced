import { notifyWebhook } from '@slipway/notify'
import { runPreflight, type PreflightSettings } from '@slipway/preflight'
import { runBackupOperation, type BackupSettings } from '@slipway/backup'
import { runDeployStage, type DeploySettings } from '@slipway/strategies'
import { runSmokeTest, type SmokeSettings } from '@slipway/smoke'
import { releaseNotice, runRelease, type ReleaseSettings } from '@slipway/release'
import { runReport, type ReportSettings } from '@slipway/report'
import { runRollbackStage, type RollbackSettings } from '@slipway/rollback'
import type { Backends } from './backends/backends.js'
import type { StageIo } from './registry.js'

// Each stage's run against the backends, apart from the registry: the registry's parse,
// outputs and summaries load with the front end, these with the first stage that runs.

export const preflight = (settings: PreflightSettings, backends: Backends, io: StageIo) =>
  runPreflight(settings, {
    progress: backends.progress,
    variables: io.variables,
    mask: io.secret,
    redactor: io.redactor,
    deploymentActivity: backends.deploymentActivity(settings.github),
    commitChecks: backends.commitChecks(settings.github)
  })

export const backup = async (settings: BackupSettings, backends: Backends, _io: StageIo) =>
  runBackupOperation(settings, {
    progress: backends.progress,
    artifacts: settings.store.kind === 'artifact' ? await backends.artifacts() : undefined
  })

export const deploy = (settings: DeploySettings, backends: Backends, io: StageIo) =>
  runDeployStage(settings, {
    progress: backends.progress,
    records: settings.record && backends.records(settings.record.github),
    redactor: io.redactor,
    notify: async notification => {
      await notifyWebhook(
        { ...settings.webhook, secret: io.secret, ...backends.progress },
        notification
      )
    }
  })

export const smoke = (settings: SmokeSettings, backends: Backends, _io: StageIo) =>
  runSmokeTest(settings, { progress: backends.progress })

export const release = async (settings: ReleaseSettings, backends: Backends, io: StageIo) => {
  const releases = backends.releases({ token: settings.token, repository: settings.repository })
  const result = await runRelease(settings, { releases, progress: backends.progress })
  const notice = releaseNotice(settings, result)
  if (notice)
    await notifyWebhook(
      {
        url: settings.webhook.url,
        format: settings.webhook.format,
        secret: io.secret,
        ...backends.progress
      },
      notice
    )
  return result
}

export const report = (settings: ReportSettings, backends: Backends, _io: StageIo) =>
  runReport(settings, {
    progress: backends.progress,
    history: backends.history(settings.github)
  })

export const rollback = (settings: RollbackSettings, backends: Backends, io: StageIo) =>
  runRollbackStage(settings, {
    records: backends.records(settings.github),
    rollbackRecords: backends.rollbackRecords(settings.github),
    history: backends.rollbackHistory(settings.github),
    releases: backends.releases(settings.github),
    progress: backends.progress,
    redactor: io.redactor,
    notify: async notification => {
      await notifyWebhook(
        { ...settings.webhook, secret: io.secret, ...backends.progress },
        notification
      )
    }
  })
