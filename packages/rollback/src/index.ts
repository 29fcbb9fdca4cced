export {
  chooseRollback,
  everSucceeded,
  rolledBackIds,
  versionOf,
  ROLLED_BACK_MARK,
  type RollbackChoice
} from './target.js'
export {
  rollback,
  modeOf,
  rollbackStrategy,
  type HistoryReader,
  type RollbackMode,
  type RollbackOptions,
  type RollbackResult
} from './rollback.js'
export {
  makeRollbackPlan,
  deployPlanOf,
  describeRollbackStep,
  isDeployStep,
  type RollbackPlan,
  type RollbackStep,
  type RollbackOwnStep
} from './plan.js'
export { checkRestorable, restoreData, type DataRestore, type RestoreOutcome } from './data.js'
export { markRelease, MARK_PREFIX, type ReleaseMark } from './release-mark.js'
export { renderRollbackSummary } from './summary.js'
export {
  loadSlipwaySchema,
  readConfigFile,
  rollbackSource,
  BORROWED_INPUTS
} from './config-source.js'
export { loadHistory } from './history.js'
export {
  parseRollbackSettings,
  type RollbackSettings,
  type RollbackFallbacks,
  type RestoreSettings
} from './settings.js'
export {
  parseRollbackProviderSettings,
  withRecordedImage,
  type RollbackProviderInputs
} from './provider-settings.js'
export {
  runRollbackStage,
  rollbackOutputs,
  renderRollbackStageSummary,
  rollbackFailure,
  type RollbackPorts,
  type RollbackStageResult
} from './run-rollback.js'
