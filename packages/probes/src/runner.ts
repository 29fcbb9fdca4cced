import type { Check, CheckResult, ProbeOutcome } from './types.js'

export interface RunChecksOptions {
  /** How many checks run at once. */
  concurrency?: number
  /** A deadline for the whole run (epoch ms): no retry starts after it. */
  deadline?: number
  /** Called when each check finishes, for progress output. */
  onResult?: (result: CheckResult) => void
}

/**
 * Runs checks in parallel, each with its own timeout and retries, and never throws:
 * a probe that throws or hangs becomes a failed result with the reason.
 * Results come back in the order the checks were given.
 */
export async function runChecks(
  checks: Check[],
  options: RunChecksOptions = {}
): Promise<CheckResult[]> {
  const results: CheckResult[] = new Array(checks.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < checks.length) {
      const index = next++
      results[index] = await runOne(checks[index], options.deadline)
      options.onResult?.(results[index])
    }
  }
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 32, checks.length))
  await Promise.all(Array.from({ length: concurrency }, worker))
  return results
}

export async function runOne(check: Check, deadline?: number): Promise<CheckResult> {
  const started = Date.now()
  let outcome: ProbeOutcome
  let attempts = 0
  let delay = check.retryDelayMs
  for (;;) {
    attempts++
    outcome = await attempt(check)
    if (outcome.ok || attempts > check.retries) break
    if (deadline !== undefined && Date.now() + delay >= deadline) break
    await sleep(delay)
    delay = Math.min(delay * 2, 30_000)
  }
  return {
    name: check.name,
    type: check.type,
    severity: check.severity,
    status: outcome.ok ? 'passed' : check.severity === 'warning' ? 'warning' : 'failed',
    message: outcome.message,
    attempts,
    durationMs: Date.now() - started,
    details: outcome.details
  }
}

/** One attempt, bounded by the check's timeout even when the probe ignores its abort signal. */
async function attempt(check: Check): Promise<ProbeOutcome> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<ProbeOutcome>(resolve => {
    timer = setTimeout(() => {
      controller.abort(new Error(`timed out after ${check.timeoutMs}ms`))
      resolve({ ok: false, message: `timed out after ${check.timeoutMs}ms` })
    }, check.timeoutMs)
  })
  try {
    const probe = check
      .run({ signal: controller.signal, timeoutMs: check.timeoutMs })
      .catch((error: unknown): ProbeOutcome => ({
        ok: false,
        message: controller.signal.aborted
          ? `timed out after ${check.timeoutMs}ms`
          : describeError(error)
      }))
    return await Promise.race([probe, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Node's network errors hide the useful part in `cause` (fetch) or `code` (sockets). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as Error & { cause?: unknown }).cause
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code
    return code
      ? `${error.message}: ${code} (${cause.message})`
      : `${error.message}: ${cause.message}`
  }
  return error.message
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/** Counts for a summary line and the `passed` output: warnings never fail a run. */
export function tally(results: CheckResult[]): {
  passed: number
  failed: number
  warnings: number
  ok: boolean
} {
  const passed = results.filter(r => r.status === 'passed').length
  const failed = results.filter(r => r.status === 'failed').length
  const warnings = results.filter(r => r.status === 'warning').length
  return { passed, failed, warnings, ok: failed === 0 }
}
