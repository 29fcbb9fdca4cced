/**
 * A probe answers one question about the world ("does this URL answer 200?") once.
 * Retries, timeouts and parallelism belong to the runner, so every probe stays simple
 * and preflight, smoke-test and canary analysis share the same behaviour.
 */
export interface ProbeOutcome {
  ok: boolean
  /** One line for people: what was checked and what was found. */
  message: string
  /** Measured values for reports (status, latency, days left …). */
  details?: Record<string, unknown>
  /**
   * The target cannot become healthy by waiting (its container exited or restarted): pollers
   * stop at once instead of waiting for their deadline.
   */
  fatal?: boolean
}

export interface ProbeContext {
  /** Aborted when the check's timeout expires; probes pass it to sockets and fetch. */
  signal: AbortSignal
  /** The check's timeout in milliseconds, for APIs that take a number instead of a signal. */
  timeoutMs: number
}

export type Probe<Spec> = (spec: Spec, context: ProbeContext) => Promise<ProbeOutcome>

export type Severity = 'error' | 'warning'

/** A check is a probe with its spec and the runner's policy around it. */
export interface Check {
  /** Unique, human-readable name shown in tables and used in outputs. */
  name: string
  type: string
  severity: Severity
  timeoutMs: number
  /** Extra attempts after the first failure. */
  retries: number
  /** Delay before the first retry; doubled after each further attempt (capped at 30 s). */
  retryDelayMs: number
  run: (context: ProbeContext) => Promise<ProbeOutcome>
}

export type CheckStatus = 'passed' | 'failed' | 'warning'

export interface CheckResult {
  name: string
  type: string
  severity: Severity
  /** `warning` is a failed check of severity warning: reported, never blocking. */
  status: CheckStatus
  message: string
  attempts: number
  durationMs: number
  details?: Record<string, unknown>
}
