export type { Probe, ProbeContext, ProbeOutcome, Check, CheckResult, CheckStatus, Severity } from './types.js'
export { runChecks, runOne, describeError, sleep, tally, type RunChecksOptions } from './runner.js'
