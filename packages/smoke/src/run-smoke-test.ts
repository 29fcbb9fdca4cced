import {
  Redactor,
  UserError,
  type OutputValue,
  type Progress,
  type SummaryBuilder
} from '@slipway/kit'
import { displayUrl } from '@slipway/probes'
import { writeJUnit } from './junit.js'
import { renderPlan, renderSummary, type SmokeReport } from './report.js'
import type { SmokeSettings } from './settings.js'
import { runSmoke } from './smoke.js'

/** What the smoke test needs from outside: somewhere to say what it is doing. */
export interface SmokeTestPorts {
  progress: Progress
}

export type SmokeTestResult =
  { dryRun: true; plan: SmokeSettings } | { dryRun: false; report: SmokeReport; junitPath: string }

/**
 * Runs the smoke test (or, in a dry run, only plans it) and writes its JUnit report. Never
 * throws for a failed check: `report.passed` says whether the deployment passed.
 */
export async function runSmokeTest(
  settings: SmokeSettings,
  ports: SmokeTestPorts
): Promise<SmokeTestResult> {
  if (settings.dryRun) return { dryRun: true, plan: settings }
  const report = await runSmoke(settings, { info: message => ports.progress.info(message) })
  // The JUnit file leaves the job as an artifact: the same secrets as the log stay out of it.
  const redactor = new Redactor()
  for (const secret of settings.secrets) redactor.add(secret)
  const junitPath = writeJUnit(settings.junitPath, report, redactor)
  return { dryRun: false, report, junitPath }
}

/** The action's outputs. */
export function smokeOutputs(result: SmokeTestResult): Record<string, OutputValue> {
  if (result.dryRun)
    return {
      passed: true,
      failed: 0,
      'failed-checks': '',
      report: {
        dryRun: true,
        checks: result.plan.checks.map(c => ({ name: c.name, url: displayUrl(c.spec.url) }))
      }
    }
  const { report } = result
  return {
    passed: report.passed,
    failed: report.failed.length,
    'failed-checks': report.failed.join(','),
    report,
    'junit-path': result.junitPath
  }
}

/** The job summary: the plan of a dry run, else the verdict, checks, load figures and watch window. */
export function renderSmokeSummary(result: SmokeTestResult, summary: SummaryBuilder): void {
  if (result.dryRun) renderPlan(result.plan, summary)
  else renderSummary(result.report, summary)
}

/** A smoke test that did not pass, as the user's error with where to look; nothing otherwise. */
export function smokeFailure(result: SmokeTestResult): UserError | undefined {
  return result.dryRun || result.report.passed
    ? undefined
    : new UserError(
        result.report.message,
        'the summary and the JUnit report show what each failed check received'
      )
}
