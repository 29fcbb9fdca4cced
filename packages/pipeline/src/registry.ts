import {
  UserError,
  type Inputs,
  type OutputValue,
  type Redactor,
  type RunnerEnv,
  type SummaryBuilder
} from '@slipway/kit'
import { notifyWebhook } from '@slipway/notify'
import {
  preflightFailure,
  parsePreflightSettings,
  preflightOutputs,
  renderPreflightSummary,
  runPreflight,
  type PreflightResult,
  type PreflightSettings
} from '@slipway/preflight'
import {
  backupFailure,
  backupOutputs,
  parseBackupSettings,
  renderBackupSummary,
  runBackupOperation,
  type BackupOperationResult,
  type BackupSettings
} from '@slipway/backup'
import {
  deployFailure,
  deployOutputs,
  parseDeploySettings,
  renderDeploySummary,
  runDeployStage,
  type DeploySettings,
  type DeployStageResult
} from '@slipway/strategies'
import {
  parseSmokeSettings,
  renderSmokeSummary,
  runSmokeTest,
  smokeFailure,
  smokeOutputs,
  type SmokeSettings,
  type SmokeTestResult
} from '@slipway/smoke'
import {
  parseReleaseSettings,
  releaseOutputs,
  renderReleaseSummary,
  releaseNotice,
  runRelease,
  type ReleaseResult,
  type ReleaseSettings
} from '@slipway/release'
import {
  parseReportSettings,
  renderReportSummary,
  reportFailure,
  reportOutputs,
  runReport,
  type ReportResult,
  type ReportSettings
} from '@slipway/report'
import {
  parseRollbackSettings,
  renderRollbackStageSummary,
  rollbackFailure,
  rollbackOutputs,
  runRollbackStage,
  type RollbackSettings,
  type RollbackStageResult
} from '@slipway/rollback'
import type { Backends } from './backends/backends.js'

/** What the front end lends a stage besides the backends: masking and the step's variables. */
export interface StageIo {
  secret: (value: string | undefined) => void
  redactor: Redactor
  /** The variables `required-vars` checks look at (the step's environment). */
  variables: NodeJS.ProcessEnv
}

/** What a front end offers when an input is empty: the step's GITHUB_TOKEN. */
export interface ParseFallbacks {
  token?: string
}

/**
 * One stage as every front end runs it: parse (the only source of user errors about settings,
 * changes nothing), run against the backends, outputs, summary, and the user's failure if the
 * result is one (a gate that did not pass).
 */
export interface StageDefinition<Settings extends { readonly secrets: string[] }, Result> {
  parse(inputs: Inputs, runnerEnv: RunnerEnv, fallbacks?: ParseFallbacks): Settings
  run(settings: Settings, backends: Backends, io: StageIo): Promise<Result>
  outputs(result: Result): Record<string, OutputValue>
  render(result: Result, summary: SummaryBuilder): void
  failure?(result: Result): UserError | undefined
}

const preflight: StageDefinition<PreflightSettings, PreflightResult> = {
  parse: (inputs, runnerEnv) => parsePreflightSettings(inputs, runnerEnv),
  run: (settings, backends, io) =>
    runPreflight(settings, {
      progress: backends.progress,
      variables: io.variables,
      mask: io.secret,
      redactor: io.redactor,
      deploymentActivity: backends.deploymentActivity(settings.github),
      commitChecks: backends.commitChecks(settings.github)
    }),
  outputs: preflightOutputs,
  render: renderPreflightSummary,
  failure: preflightFailure
}

const backup: StageDefinition<BackupSettings, BackupOperationResult> = {
  parse: (inputs, runnerEnv) => parseBackupSettings(inputs, runnerEnv),
  run: async (settings, backends) =>
    runBackupOperation(settings, {
      progress: backends.progress,
      artifacts: settings.store.kind === 'artifact' ? await backends.artifacts() : undefined
    }),
  outputs: backupOutputs,
  render: renderBackupSummary,
  failure: backupFailure
}

const deploy: StageDefinition<DeploySettings, DeployStageResult> = {
  parse: (inputs, runnerEnv, fallbacks) => parseDeploySettings(inputs, runnerEnv, fallbacks),
  run: (settings, backends, io) =>
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
    }),
  outputs: deployOutputs,
  render: renderDeploySummary,
  failure: deployFailure
}

const smoke: StageDefinition<SmokeSettings, SmokeTestResult> = {
  parse: (inputs, runnerEnv) => parseSmokeSettings(inputs, runnerEnv),
  run: (settings, backends) => runSmokeTest(settings, { progress: backends.progress }),
  outputs: smokeOutputs,
  render: renderSmokeSummary,
  failure: smokeFailure
}

const release: StageDefinition<ReleaseSettings, ReleaseResult> = {
  parse: (inputs, runnerEnv) => parseReleaseSettings(inputs, runnerEnv),
  run: async (settings, backends, io) => {
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
  },
  outputs: releaseOutputs,
  render: renderReleaseSummary
}

const report: StageDefinition<ReportSettings, ReportResult> = {
  parse: (inputs, runnerEnv, fallbacks) => parseReportSettings(inputs, runnerEnv, fallbacks),
  run: (settings, backends) =>
    runReport(settings, {
      progress: backends.progress,
      history: backends.history(settings.github)
    }),
  outputs: reportOutputs,
  render: renderReportSummary,
  failure: reportFailure
}

const rollback: StageDefinition<RollbackSettings, RollbackStageResult> = {
  parse: (inputs, runnerEnv, fallbacks) => parseRollbackSettings(inputs, runnerEnv, fallbacks),
  run: (settings, backends, io) =>
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
    }),
  outputs: rollbackOutputs,
  render: renderRollbackStageSummary,
  failure: rollbackFailure
}

/** Every stage, by name: what each front end (an action, the pipeline, the CLI) runs. */
export const STAGE_REGISTRY = {
  preflight,
  backup,
  deploy,
  smoke,
  release,
  report,
  rollback
} as const

export type RegisteredStage = keyof typeof STAGE_REGISTRY
type Definitions = typeof STAGE_REGISTRY
export type SettingsOf<S extends RegisteredStage> =
  Definitions[S] extends StageDefinition<infer T, unknown> ? T : never
