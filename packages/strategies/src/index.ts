export type {
  StrategyName,
  CanaryStep,
  AnalysisPolicy,
  StrategyOptions,
  BlueGreenOptions,
  CanaryOptions,
  RollingOptions,
  DeployRequest,
  Plan,
  PlanStep,
  FailureStep,
  MigrateWhen,
  DeployResult,
  Diagnostic,
  TimelineEvent
} from './types.js'
export { STRATEGIES } from './types.js'
export { parseCanarySteps, parseHostCount } from './parse.js'
export { parseTargets } from './targets.js'
export { checkVersion } from './version.js'
export {
  resolveHealthCheck,
  HEALTH_CHECKS,
  type HealthCheck,
  type HealthCheckSetting,
  type ResolvedHealthCheck
} from './health-check.js'
export { makePlan, describeStep, describeFailureStep, activeSlot } from './plan.js'
export { batches } from './rolling-plan.js'
export { executePlan, type ExecuteOptions, type ExecuteResult } from './execute.js'
export { healthGate } from './health-gate.js'
export {
  runAnalysis,
  httpMetric,
  type Metric,
  type Measurement,
  type AnalysisRun,
  type AnalysisSample
} from './analysis.js'
export { prometheusMetric, renderQuery } from './prometheus-metric.js'
export { buildDeployConfig, type DeployInputs, type DeployConfig } from './config.js'
export {
  buildContainerProvider,
  resolveContainerHealthCheck,
  secretEnvValues,
  isContainerProvider,
  CONTAINER_PROVIDERS,
  type ContainerInputs
} from './docker-config.js'
export {
  runDeploy,
  renderSummary,
  renderTimeline,
  renderDiagnostics,
  type DeployOutcome,
  type RecordOptions
} from './run.js'
export {
  parseDeploySettings,
  type DeploySettings,
  type DeployFallbacks,
  type RecordSettings,
  type DeploymentsAccess
} from './settings.js'
export {
  parseProviderSettings,
  parseContainerSettings,
  type ProviderInputs,
  type ProviderSettings
} from './provider-settings.js'
export { type ProviderRunnerEnv } from './runner-env.js'
export {
  runDeployStage,
  deployOutputs,
  renderDeploySummary,
  deployFailure,
  type DeployPorts,
  type DeployStageResult
} from './run-deploy-stage.js'
export {
  parseKubernetesSettings,
  buildKubernetesDeployConfig,
  type KubernetesDeployInputs,
  type KubernetesSettings
} from './kubernetes-config.js'
export { describeCanaryProgress, type CanaryProgress } from './canary-progress.js'
