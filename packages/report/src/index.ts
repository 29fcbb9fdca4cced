export { parseReportSettings, type ReportSettings, type ReportFallbacks } from './settings.js'
export {
  runReport,
  reportOutputs,
  renderReportSummary,
  reportFailure,
  type ReportPorts,
  type ReportResult
} from './run-report.js'
export {
  type DeploymentHistorySource,
  type HistoryWindow,
  type HistoryRead
} from './history-source.js'
export {
  githubHistorySource,
  githubDeploymentHistory,
  type GitHubHistoryAccess
} from './github-history-source.js'
export { readHistory, type History, type HistoryOptions, type ApiCalls } from './history.js'
export { HISTORY_QUERY } from './graphql-history.js'
export { graphqlBaseUrl } from '@slipway/github'
export {
  computeQuality,
  factsOf,
  percentile,
  DEFAULT_TARGETS,
  type Targets,
  type Figure,
  type Quality,
  type DeploymentFacts,
  type Verdict
} from './metrics.js'
export { parseStages, parseTimeline, ganttOf, type StageTiming, type TimelineStep } from './run.js'
export {
  buildReport,
  renderReport,
  formatFigure,
  type ReportOptions,
  type RunInfo,
  type DeploymentReport
} from './report.js'
