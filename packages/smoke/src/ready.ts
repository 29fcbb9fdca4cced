import {
  displayUrl,
  httpProbe,
  runChecks,
  sleep,
  type Check,
  type ProbeOutcome
} from '@slipway/probes'
import { formatDuration, heartbeat, type Heartbeat } from '@slipway/kit'
import type { SmokeCheck } from './checks.js'

export interface ReadinessOptions {
  /** Epoch ms after which no new attempt starts (the `timeout` input, from the start). */
  deadline: number
  /** First delay between attempts; doubled after each failure up to `maxRetryDelayMs`. */
  retryDelayMs: number
  maxRetryDelayMs: number
  concurrency: number
  onResult?: (result: SmokeCheckResult) => void
  /** "Still not ready" lines while a check retries, every `everyMs` (15 s by default). */
  progress?: { info: (message: string) => void; everyMs?: number }
}

export interface SmokeCheckResult {
  name: string
  url: string
  method: string
  passed: boolean
  message: string
  /** HTTP status of the last attempt (undefined when no answer came). */
  httpStatus?: number
  latencyMs?: number
  attempts: number
  durationMs: number
  /** Every failed assertion of the last attempt. */
  failures?: string[]
  bodyExcerpt?: string
}

/**
 * Runs every check until it passes or its deadline passes, in parallel.
 *
 * The retry loop lives here rather than in the shared runner's `retries`: a smoke test
 * waits for a slow-starting deployment, so the backoff is capped (default 5 s, not 30 s)
 * and one last attempt is made at the deadline. With the runner's policy a server that
 * becomes ready after 32 s of a 60 s budget would be found only at 63 s, i.e. never.
 * The shared runner still provides the parallelism and the hard per-check bound.
 */
export async function runUntilReady(
  checks: SmokeCheck[],
  options: ReadinessOptions
): Promise<SmokeCheckResult[]> {
  const started = Date.now()
  const wrapped: Check[] = checks.map(check => {
    const deadline =
      check.timeoutMs === undefined
        ? options.deadline
        : Math.min(options.deadline, started + check.timeoutMs)
    return {
      name: check.name,
      type: 'http',
      severity: 'error',
      // The whole loop's bound: the deadline plus one request's timeout plus a margin.
      timeoutMs: Math.max(0, deadline - Date.now()) + check.requestTimeoutMs + 2000,
      retries: 0,
      retryDelayMs: 0,
      run: context => attemptUntilReady(check, deadline, options, context.signal)
    }
  })
  const results = await runChecks(wrapped, { concurrency: options.concurrency })
  return results.map((result, index) => {
    const check = checks[index]
    const details = result.details ?? {}
    const smoke: SmokeCheckResult = {
      name: check.name,
      url: String(details.url ?? displayUrl(check.spec.url)),
      method: (check.spec.method ?? 'GET').toUpperCase(),
      passed: result.status === 'passed',
      message: result.message,
      httpStatus: typeof details.status === 'number' ? details.status : undefined,
      latencyMs: typeof details.latencyMs === 'number' ? details.latencyMs : undefined,
      attempts: typeof details.attempts === 'number' ? details.attempts : result.attempts,
      durationMs: result.durationMs,
      failures: Array.isArray(details.failures) ? (details.failures as string[]) : undefined,
      bodyExcerpt: typeof details.bodyExcerpt === 'string' ? details.bodyExcerpt : undefined
    }
    options.onResult?.(smoke)
    return smoke
  })
}

async function attemptUntilReady(
  check: SmokeCheck,
  deadline: number,
  options: ReadinessOptions,
  outer: AbortSignal
): Promise<ProbeOutcome> {
  let delay = options.retryDelayMs
  let attempts = 0
  let outcome: ProbeOutcome | undefined
  const budget = Math.max(0, deadline - Date.now())
  const beat = retryBeat(options, elapsed => {
    const last = outcome ? outcome.message : 'none yet'
    return `${check.name}: not ready — attempt ${attempts}, ${formatDuration(elapsed)} of ${formatDuration(budget)}; last answer: ${last}`
  })
  for (;;) {
    attempts++
    outcome = await attemptOnce(check, deadline, outer)
    if (outcome.ok || outer.aborted) break
    if (check.maxAttempts !== undefined && attempts >= check.maxAttempts) break
    const remaining = deadline - Date.now()
    if (remaining <= 0) break
    beat.tick()
    // Sleep at most until the deadline, so the last attempt happens right at it.
    await beat.sleep(Math.min(delay, remaining))
    delay = Math.min(delay * 2, options.maxRetryDelayMs)
  }
  const suffix = outcome.ok || attempts === 1 ? '' : ` (after ${attempts} attempts)`
  return {
    ...outcome,
    message: `${outcome.message}${suffix}`,
    details: { ...outcome.details, attempts }
  }
}

/** The retry loop's heartbeat on the wall clock; silent when nobody reads the log. */
function retryBeat(
  options: ReadinessOptions,
  describe: (elapsedMs: number) => string
): Pick<Heartbeat, 'tick' | 'sleep'> {
  if (!options.progress) return { tick: () => undefined, sleep }
  return heartbeat(
    { info: options.progress.info },
    { now: () => Date.now(), sleep },
    options.progress.everyMs,
    describe
  )
}

/** One request bounded by the request timeout, never much beyond the deadline. */
async function attemptOnce(
  check: SmokeCheck,
  deadline: number,
  outer: AbortSignal
): Promise<ProbeOutcome> {
  const timeoutMs = Math.min(check.requestTimeoutMs, Math.max(deadline - Date.now(), 1000))
  const controller = new AbortController()
  const onAbort = (): void => controller.abort(outer.reason)
  outer.addEventListener('abort', onAbort, { once: true })
  const timer = setTimeout(
    () => controller.abort(new Error(`timed out after ${timeoutMs}ms`)),
    timeoutMs
  )
  try {
    return await httpProbe(check.spec, { signal: controller.signal, timeoutMs })
  } catch {
    return {
      ok: false,
      message: `${(check.spec.method ?? 'GET').toUpperCase()} ${displayUrl(check.spec.url)}: no answer within ${timeoutMs}ms`,
      details: { url: displayUrl(check.spec.url), timedOut: true }
    }
  } finally {
    clearTimeout(timer)
    outer.removeEventListener('abort', onAbort)
  }
}
