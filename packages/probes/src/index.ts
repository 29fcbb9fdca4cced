export type { Probe, ProbeContext, ProbeOutcome, Check, CheckResult, CheckStatus, Severity } from './types.js'
export { runChecks, runOne, describeError, sleep, tally, type RunChecksOptions } from './runner.js'
export { httpProbe, validateHttpSpec, displayUrl, describeFetchError, type HttpSpec } from './http.js'
export {
  parseStatusList,
  statusMatches,
  formatStatusList,
  compileRegex,
  evaluateAssertions,
  validateAssertions,
  HttpSpecError,
  DEFAULT_EXPECT_STATUS,
  type StatusRange,
  type StatusSpec,
  type JsonAssertion,
  type HeaderAssertion,
  type AssertionSpec,
  type AssertionFailure
} from './http-assertions.js'
export {
  prometheusProbe,
  queryPrometheus,
  evaluateSamples,
  validatePrometheusSpec,
  prometheusQueryUrl,
  PrometheusSpecError,
  type PrometheusSpec,
  type PrometheusSample
} from './prometheus.js'
