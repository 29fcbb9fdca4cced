export { BUG_REPORT_REQUEST, InputError, UserError, errorMessage } from './errors.js'
export { LedgerFile, emptyLedger, type LedgerData, type Json } from './ledger-file.js'
export { systemClock, runnerEnvOf, type Clock, type Progress, type RunnerEnv } from './ports.js'
export { parseDuration, formatDuration } from './duration.js'
export { formatBytes, formatByteRate } from './units.js'
export { heartbeat, inGroup, HEARTBEAT_MS, type Heartbeat } from './progress.js'
export { Inputs, environmentInputs, TRUE_TEXTS, FALSE_TEXTS, type InputSource } from './inputs.js'
export { closestValue, didYouMean } from './suggest.js'
export { Redactor, redactUrlPasswords, urlCredentials, writeRedactedFile } from './redact.js'
export {
  run,
  runChecked,
  scriptArgs,
  describeFailure,
  CommandError,
  MissingProgramError,
  type RunOptions,
  type RunResult
} from './exec.js'
export {
  SummaryBuilder,
  escapeCell,
  escapeHtml,
  link,
  writeStepSummary,
  type Cell
} from './summary.js'
export { runAction, type ActionContext, type OutputValue } from './run-action.js'
export { reportStage, type StageReport } from './stage-report.js'
export { LocalHost } from './local-host.js'
export {
  childEnvironment,
  hookEnvironment,
  isPrivateVariable,
  spawnEnvironment
} from './child-env.js'
export {
  trackChild,
  installSignalHandlers,
  trackedChildren,
  onCleanup,
  stopEverything,
  KILL_GRACE_MS
} from './children.js'
export { GitHubRefusal, refusalOf, requestAs, type GitHubCall } from './github-refusal.js'
export {
  parsers,
  parseYaml,
  yamlParse,
  yamlStringify,
  yamlParseAllDocuments,
  parsersForTest,
  ParserNotLoadedError,
  preloadParsers,
  neededParsers,
  stepInputValues,
  PARSER_NAMES,
  type ParserName
} from './parsers.js'
