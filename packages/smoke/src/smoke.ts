import { openSilence } from '@slipway/monitoring'
import { runLoad, describeVerdict } from './load.js'
import type { SmokePlan } from './plan.js'
import { runUntilReady, type SmokeCheckResult } from './ready.js'
import { describeCheck, type SmokeReport } from './report.js'
import { watchWindow, type WatchRound } from './watch.js'

export interface SmokeHooks {
  /** Progress lines for the log. */
  info?: (message: string) => void
  /** How often a retrying check logs that it is not ready yet; 15 s by default. */
  progressEveryMs?: number
}

/**
 * Runs the plan: the checks (parallel, each retried until ready within the timeout), then
 * the load check, then the watch window. A later stage runs only when the earlier ones
 * passed: putting load on a deployment that fails its health check tells nothing new.
 * Never throws for a failed check; the report says what failed.
 */
export async function runSmoke(plan: SmokePlan, hooks: SmokeHooks = {}): Promise<SmokeReport> {
  const info = hooks.info ?? (() => undefined)
  const started = Date.now()
  // The expected noise (a replaced slot's InstanceDown …) is silenced while the stage runs, and
  // the silence expires however the stage ends: passed, failed, thrown or cancelled.
  const alerts = plan.watch?.alerts
  const silence = alerts
    ? await openSilence(alerts, 'smoke test and watch window', {
        info,
        warning: message => info(`warning: ${message}`)
      })
    : undefined
  try {
    return await runStages(plan, info, started, hooks.progressEveryMs)
  } finally {
    await silence?.close()
  }
}

async function runStages(
  plan: SmokePlan,
  info: (message: string) => void,
  started: number,
  progressEveryMs?: number
): Promise<SmokeReport> {
  const startedAt = new Date(started).toISOString()
  const report: SmokeReport = {
    passed: false,
    dryRun: false,
    startedAt,
    durationMs: 0,
    message: '',
    checks: [],
    skipped: [],
    failed: []
  }

  if (plan.checks.length > 0) {
    info(
      `Checking ${plan.checks.length} endpoint(s), retrying until ready for up to ${Math.round(plan.timeoutMs / 1000)}s`
    )
    report.checks = await runUntilReady(plan.checks, {
      deadline: started + plan.timeoutMs,
      retryDelayMs: plan.retryIntervalMs,
      maxRetryDelayMs: plan.maxRetryIntervalMs,
      concurrency: plan.concurrency,
      progress: { info, everyMs: progressEveryMs },
      onResult: result => info(`${result.passed ? '✓' : '✗'} ${describeCheck(result)}`)
    })
  }
  const failedChecks = report.checks.filter(c => !c.passed)
  report.failed.push(...failedChecks.map(c => c.name))

  if (plan.load) {
    if (failedChecks.length > 0) report.skipped.push('load')
    else {
      info(
        `Load check: ${plan.load.url} for ${Math.round(plan.load.durationMs / 1000)}s with ${plan.load.connections} connections`
      )
      report.load = await runLoad(plan.load)
      info(`${report.load.passed ? '✓' : '✗'} load: ${report.load.message}`)
      if (!report.load.passed) report.failed.push('load')
    }
  }

  if (plan.watch) {
    if (report.failed.length > 0) report.skipped.push('watch')
    else {
      const watch = plan.watch
      info(
        watch.windowMs === 0
          ? 'Evaluating the queries'
          : `Watching for ${Math.round(watch.windowMs / 1000)}s, every ${Math.round(watch.intervalMs / 1000)}s`
      )
      report.watch = await watchWindow({
        ...watch,
        since: new Date(started),
        onRound: (round: WatchRound) => logRound(round, info)
      })
      if (!report.watch.passed) report.failed.push('watch')
    }
  }

  report.passed = report.failed.length === 0
  report.durationMs = Date.now() - started
  report.message = explain(report, failedChecks)
  return report
}

function logRound(round: WatchRound, info: (message: string) => void): void {
  const at = `+${(round.offsetMs / 1000).toFixed(1)}s`
  if (round.failures.length === 0) info(`watch round ${round.index + 1} (${at}): ok`)
  else
    for (const failure of round.failures)
      info(`✗ watch round ${round.index + 1} (${at}): ${failure.name}: ${failure.message}`)
}

/** One line for the step's failure message and the report. */
function explain(report: SmokeReport, failedChecks: SmokeCheckResult[]): string {
  if (failedChecks.length > 0) {
    const first = failedChecks[0]
    const more =
      failedChecks.length > 1 ? ` (and ${failedChecks.length - 1} more failed check(s))` : ''
    return `${describeCheck(first)}${more}`
  }
  if (report.load && !report.load.passed) {
    const failed = report.load.verdicts.filter(v => !v.ok)
    return `load check: ${failed.length > 0 ? failed.map(describeVerdict).join('; ') : report.load.message}`
  }
  if (report.watch && !report.watch.passed) return `watch window: ${report.watch.message}`
  const parts = [`${report.checks.length} check(s) passed`]
  if (report.load) parts.push(`load ${report.load.message}`)
  if (report.watch) parts.push(`watch ${report.watch.message}`)
  return parts.join('; ')
}
