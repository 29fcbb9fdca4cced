export {
  runPipeline,
  PIPELINE_STAGES,
  ROLLBACK_ON,
  StageFailure,
  type AnyStage,
  type PipelineStage,
  type PipelineOptions,
  type PipelineResult,
  type Plan,
  type StageOutcome,
  type StageRun
} from './run.js'
export { renderPipelineSummary, gantt, type SummaryFacts } from './summary.js'
export { parseStages, planStages, type StageSettings } from './stages.js'
export { readRootInputs, type RootInputs, type StageValues } from './root-inputs.js'
export { failedForUser, noteUserFailure, pipelineError } from './failure.js'
export { stageSource, settingsOf, describeStage, type Done } from './stage-inputs.js'
export {
  STAGE_REGISTRY,
  type StageDefinition,
  type StageIo,
  type ParseFallbacks,
  type RegisteredStage,
  type SettingsOf
} from './registry.js'
export type { Backends, GitHubAccess } from './backends/backends.js'
export { githubBackends } from './backends/github-backends.js'
export { localBackends, type LocalBackendOptions } from './backends/local-backends.js'
export { recordsDeploymentActivity } from './backends/local-deployment-activity.js'
export {
  parsePipelineSettings,
  runPipelineStage,
  runRegisteredStage,
  pipelineOutputs,
  renderPipelineStageSummary,
  type PipelineSettings,
  type PipelinePorts,
  type PipelineStageResult,
  type ParsedStages
} from './run-pipeline-stage.js'
