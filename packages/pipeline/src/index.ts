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
