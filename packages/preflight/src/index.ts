export {
  parsePreflightSettings,
  type PreflightSettings,
  type GitHubAccess,
  type FailOn
} from './settings.js'
export { runPreflight, type PreflightPorts } from './run-preflight.js'
export {
  STATUS_ICON,
  type PreflightReport,
  type PreflightReport as PreflightResult,
  type ReportEntry
} from './preflight-report.js'
export {
  type DeploymentActivity,
  type DeploymentLockQuery,
  type CommitChecks,
  type CommitChecksQuery
} from './ports.js'
export { githubPreflightPorts, type GitHubPreflightPorts } from './github-ports.js'
export { parseChecks, type PreflightInputs } from './inputs.js'
export {
  parseEntry,
  parseFreezeWindows,
  CHECK_TYPES,
  type CheckDefinition,
  type CheckType,
  type Defaults
} from './definitions.js'
export { toCheck, type Runtime } from './checks.js'
export {
  preflightOutputs,
  renderPreflightSummary,
  reportWarnings,
  failureMessage,
  preflightFailure,
  headline
} from './report.js'
