export {
  preflight,
  STATUS_ICON,
  type PreflightOptions,
  type PreflightReport,
  type ReportEntry,
  type FailOn
} from './preflight.js'
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
export { reportOutputs, reportWarnings, failureMessage, headline, writeSummary } from './report.js'
