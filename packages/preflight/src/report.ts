import { formatDuration, Redactor, UserError, type SummaryBuilder } from '@slipway/kit'
import { STATUS_ICON, type PreflightReport } from './preflight-report.js'

/**
 * The step's outputs. `passed` is absent in a dry run: nothing was verified. Check names are
 * the user's text and may hold a URL with its password: runPreflight's report is redacted
 * with the step's secrets already, and every output is redacted once more (URL passwords by
 * default), the report before it is rendered as JSON (escaping would hide a secret from a
 * later pass).
 */
export function preflightOutputs(
  report: PreflightReport,
  redactor: Redactor = new Redactor()
): Record<string, string> {
  const clean = redactor.redactValue(report)
  const failed = clean.checks.filter(check => check.status === 'failed').map(check => check.name)
  const warned = clean.checks.filter(check => check.status === 'warning').map(check => check.name)
  const outputs: Record<string, string> = {
    'failed-checks': failed.join(','),
    'failed-checks-json': JSON.stringify(failed),
    'warning-checks': warned.join(','),
    report: JSON.stringify(clean)
  }
  if (!report.dryRun) outputs.passed = String(report.passed)
  for (const [name, value] of Object.entries(outputs)) outputs[name] = redactor.redact(value)
  return outputs
}

/** Annotations for the log: warnings, and failures that do not fail the step (`fail-on: never`). */
export function reportWarnings(report: PreflightReport): string[] {
  return report.checks
    .filter(
      check =>
        check.status === 'warning' || (check.status === 'failed' && report.failOn === 'never')
    )
    .map(check => `${check.name}: ${check.message}`)
}

/** The reason the step fails, or undefined when it succeeds (`fail-on: never`, warnings only, dry run). */
export function failureMessage(report: PreflightReport): string | undefined {
  if (report.passed || report.failOn === 'never') return undefined
  const failed = report.checks.filter(check => check.status === 'failed')
  return `${failed.length} of ${report.counts.total} checks failed: ${failed.map(check => `${check.name} (${check.message})`).join('; ')}`
}

/** The failed checks as the user's error, with what to do; nothing when the step passes. */
export function preflightFailure(report: PreflightReport): UserError | undefined {
  const message = failureMessage(report)
  return message
    ? new UserError(
        message,
        'fix what the failed checks report, or set fail-on: never to only report them'
      )
    : undefined
}

/** One line for the top of the summary and the log. */
export function headline(report: PreflightReport): string {
  const { counts } = report
  if (report.dryRun)
    return `Dry run: ${counts.total} check${counts.total === 1 ? '' : 's'} would run; nothing was checked.`
  const parts = [`${STATUS_ICON.passed} ${counts.passed} passed`]
  if (counts.failed > 0) parts.push(`${STATUS_ICON.failed} ${counts.failed} failed`)
  if (counts.warnings > 0)
    parts.push(
      `${STATUS_ICON.warning} ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`
    )
  const verdict = report.passed
    ? 'Preflight passed'
    : report.failOn === 'never'
      ? 'Preflight failed (fail-on: never, not blocking)'
      : 'Preflight failed'
  return `**${verdict}** — ${parts.join(' · ')} in ${formatDuration(report.durationMs)}`
}

/** The job summary: a headline and one table of every check. */
export function renderPreflightSummary(report: PreflightReport, summary: SummaryBuilder): void {
  summary.heading(report.dryRun ? 'Preflight checks (dry run)' : 'Preflight checks')
  summary.paragraph(headline(report))
  if (report.dryRun) {
    summary.table(
      ['', 'check', 'type', 'target', 'severity', 'timeout', 'retries', 'declared in'],
      report.checks.map(check => [
        STATUS_ICON.planned,
        check.name,
        check.type,
        check.target,
        check.severity,
        formatDuration(check.timeoutMs),
        check.retries,
        `\`${check.source}\``
      ])
    )
    return
  }
  summary.table(
    ['', 'check', 'type', 'result', 'duration', 'attempts'],
    report.checks.map(check => [
      STATUS_ICON[check.status],
      check.name,
      check.type,
      check.message,
      formatDuration(check.durationMs),
      check.attempts
    ])
  )
  const failing = report.checks.filter(check => check.status !== 'passed' && check.details)
  if (failing.length > 0) {
    summary.details(
      `Details of ${failing.length} failed or warning check${failing.length === 1 ? '' : 's'}`,
      failing
        .map(
          check =>
            `**${check.name}**\n\n\`\`\`json\n${JSON.stringify(check.details, null, 2)}\n\`\`\``
        )
        .join('\n\n')
    )
  }
}
