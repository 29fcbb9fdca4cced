import {
  UserError,
  type Inputs,
  type OutputValue,
  type Redactor,
  type RunnerEnv,
  type SummaryBuilder
} from '@slipway/kit'
import {
  preflightFailure,
  parsePreflightSettings,
  preflightOutputs,
  renderPreflightSummary,
  type PreflightResult,
  type PreflightSettings
} from '@slipway/preflight'
import {
  backupFailure,
  backupOutputs,
  parseBackupSettings,
  renderBackupSummary,
  type BackupOperationResult,
  type BackupSettings
} from '@slipway/backup'
import {
  deployFailure,
  deployOutputs,
  parseDeploySettings,
  renderDeploySummary,
  type DeploySettings,
  type DeployStageResult
} from '@slipway/strategies'
import {
  parseSmokeSettings,
  renderSmokeSummary,
  smokeFailure,
  smokeOutputs,
  type SmokeSettings,
  type SmokeTestResult
} from '@slipway/smoke'
import {
  parseReleaseSettings,
  releaseOutputs,
  renderReleaseSummary,
  type ReleaseResult,
  type ReleaseSettings
} from '@slipway/release'
import {
  parseReportSettings,
  renderReportSummary,
  reportFailure,
  reportOutputs,
  type ReportResult,
  type ReportSettings
} from '@slipway/report'
import {
  parseRollbackSettings,
  renderRollbackStageSummary,
  rollbackFailure,
  rollbackOutputs,
  type RollbackSettings,
  type RollbackStageResult
} from '@slipway/rollback'
import type { Backends } from './backends/backends.js'

/**
 * The stages' runs, loaded when a stage runs: parsing every stage's settings (which a bad input
 * stops) never parses the modules only a run needs.
 */
const runs = () => import('./stage-runs.js')

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
  run: async (settings, backends, io) => (await runs()).preflight(settings, backends, io),
  outputs: preflightOutputs,
  render: renderPreflightSummary,
  failure: preflightFailure
}

const backup: StageDefinition<BackupSettings, BackupOperationResult> = {
  parse: (inputs, runnerEnv) => parseBackupSettings(inputs, runnerEnv),
  run: async (settings, backends, io) => (await runs()).backup(settings, backends, io),
  outputs: backupOutputs,
  render: renderBackupSummary,
  failure: backupFailure
}

const deploy: StageDefinition<DeploySettings, DeployStageResult> = {
  parse: (inputs, runnerEnv, fallbacks) => parseDeploySettings(inputs, runnerEnv, fallbacks),
  run: async (settings, backends, io) => (await runs()).deploy(settings, backends, io),
  outputs: deployOutputs,
  render: renderDeploySummary,
  failure: deployFailure
}

const smoke: StageDefinition<SmokeSettings, SmokeTestResult> = {
  parse: (inputs, runnerEnv) => parseSmokeSettings(inputs, runnerEnv),
  run: async (settings, backends, io) => (await runs()).smoke(settings, backends, io),
  outputs: smokeOutputs,
  render: renderSmokeSummary,
  failure: smokeFailure
}

const release: StageDefinition<ReleaseSettings, ReleaseResult> = {
  parse: (inputs, runnerEnv) => parseReleaseSettings(inputs, runnerEnv),
  run: async (settings, backends, io) => (await runs()).release(settings, backends, io),
  outputs: releaseOutputs,
  render: renderReleaseSummary
}

const report: StageDefinition<ReportSettings, ReportResult> = {
  parse: (inputs, runnerEnv, fallbacks) => parseReportSettings(inputs, runnerEnv, fallbacks),
  run: async (settings, backends, io) => (await runs()).report(settings, backends, io),
  outputs: reportOutputs,
  render: renderReportSummary,
  failure: reportFailure
}

const rollback: StageDefinition<RollbackSettings, RollbackStageResult> = {
  parse: (inputs, runnerEnv, fallbacks) => parseRollbackSettings(inputs, runnerEnv, fallbacks),
  run: async (settings, backends, io) => (await runs()).rollback(settings, backends, io),
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
