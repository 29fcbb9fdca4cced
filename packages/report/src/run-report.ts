import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  systemClock,
  UserError,
  type Clock,
  type OutputValue,
  type Progress,
  type SummaryBuilder
} from '@slipway/kit'
import type { DeploymentHistorySource } from './history-source.js'
import { buildReport, renderReport, type DeploymentReport } from './report.js'
import type { ReportSettings } from './settings.js'

export interface ReportPorts {
  progress: Progress
  clock?: Clock
  /** The environment's deployment history; needed when settings.readsHistory. */
  history?: DeploymentHistorySource
}

export interface ReportResult {
  report: DeploymentReport
  /** Where the JSON report was written. */
  reportFile: string
  /** A dry run's plan: what would have been read. */
  plan?: string
  /** Why the step fails (`fail-on-target` and a missed target); undefined when it succeeds. */
  failure?: string
}

/**
 * Builds the deployment report (this run, and the quality figures from the history when the
 * settings ask for them), writes it as JSON to settings.reportFile, and says whether a missed
 * target fails the step (fail-on-target) or is only a warning.
 */
export async function runReport(
  settings: ReportSettings,
  ports: ReportPorts
): Promise<ReportResult> {
  if (settings.readsHistory && !ports.history)
    throw new Error('the report reads the deployment history, but no history source was given')
  const { report } = await buildReport({
    environment: settings.environment,
    run: settings.run,
    history: settings.readsHistory ? ports.history : undefined,
    repository: settings.repository,
    windowMs: settings.windowMs,
    maxDeployments: settings.maxDeployments,
    targets: settings.targets,
    clock: ports.clock ?? systemClock,
    log: line => ports.progress.info(line)
  })
  mkdirSync(dirname(settings.reportFile), { recursive: true })
  writeFileSync(settings.reportFile, `${JSON.stringify(report, null, 2)}\n`)
  const plan = settings.dryRun
    ? `Dry run: would read the ${settings.environment} history${settings.windowMs === undefined ? '' : ` of the last ${settings.windowText}`} (at most ${settings.maxDeployments} deployments).`
    : undefined
  let failure: string | undefined
  if (!report.targetsMet) {
    const text = `Missed targets: ${report.missedTargets.join(', ')}`
    if (settings.failOnTarget) failure = text
    else ports.progress.warning(text)
  }
  return { report, reportFile: settings.reportFile, plan, failure }
}

/** The action's outputs: durations in seconds and percentages rounded for people. */
export function reportOutputs(result: ReportResult): Record<string, OutputValue> {
  const { report } = result
  const figures = report.quality?.figures
  const seconds = (ms?: number) => (ms === undefined ? '' : Math.round(ms / 100) / 10)
  const pct = (value?: number) => (value === undefined ? '' : Math.round(value * 100) / 100)
  return {
    report,
    'report-file': result.reportFile,
    'targets-met': report.targetsMet,
    'missed-targets': report.missedTargets.join(','),
    'success-rate': pct(figures?.successRate.value),
    'rollback-success-rate': pct(figures?.rollbackSuccessRate.value),
    'mean-deploy-time': seconds(figures?.meanDeployTime.value),
    'p90-deploy-time': seconds(figures?.p90DeployTime.value),
    mttr: seconds(figures?.mttr.value),
    'change-failure-rate': pct(figures?.changeFailureRate.value),
    'deployment-frequency': pct(figures?.frequencyPerDay.value),
    'api-calls': report.quality?.apiCalls?.total ?? 0
  }
}

/** The job summary: the report, and a dry run's plan under it. */
export function renderReportSummary(result: ReportResult, summary: SummaryBuilder): void {
  renderReport(summary, result.report)
  if (result.plan) summary.paragraph(result.plan)
}

/** Missed quality targets, as the user's error with what to do; nothing otherwise. */
export function reportFailure(result: ReportResult): UserError | undefined {
  return result.failure
    ? new UserError(
        result.failure,
        'see the quality figures in the job summary, or set fail-on-target: false to only warn'
      )
    : undefined
}
