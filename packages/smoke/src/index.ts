export {
  parseChecks,
  parseHeaders,
  resolveUrl,
  type SmokeCheck,
  type CheckDefaults,
  type PlainCheckInputs
} from './checks.js'
export { runUntilReady, type ReadinessOptions, type SmokeCheckResult } from './ready.js'
export {
  runLoad,
  judge,
  percentile,
  baselineFrom,
  describeVerdict,
  formatMetric,
  formatRate,
  type LoadSpec,
  type LoadThresholds,
  type LoadFigures,
  type LoadVerdict,
  type LoadResult,
  type BaselineFigures
} from './load.js'
export {
  watchWindow,
  type WatchSpec,
  type WatchRound,
  type WatchResult,
  type WatchFailure
} from './watch.js'
export {
  planSmoke,
  fraction,
  LOAD_LIMITS,
  MAX_WATCH_MS,
  type SmokeInputs,
  type SmokePlan
} from './plan.js'
export { runSmoke, type SmokeHooks } from './smoke.js'
export { parseSmokeSettings, readSmokeInputs, type SmokeSettings } from './settings.js'
export {
  runSmokeTest,
  smokeOutputs,
  renderSmokeSummary,
  smokeFailure,
  type SmokeTestPorts,
  type SmokeTestResult
} from './run-smoke-test.js'
export { renderSummary, renderPlan, type SmokeReport } from './report.js'
export { toJUnit, writeJUnit, xml } from './junit.js'
