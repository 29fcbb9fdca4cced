import { existsSync, readFileSync } from 'node:fs'
import { reportStage, type ActionContext, type SummaryBuilder } from '@slipway/kit'
import {
  githubDeploymentHistory,
  renderReportSummary,
  reportFailure,
  reportOutputs,
  runReport,
  type parseReportSettings
} from '@slipway/report'

export async function run(
  { setOutput, summary, redactor, info, warning, group }: ActionContext,
  settings: ReturnType<typeof parseReportSettings>
): Promise<void> {
  const sections = process.env.SLIPWAY_SUMMARY_SECTIONS
  const result = await runReport(settings, {
    progress: { info, warning, group },
    history: githubDeploymentHistory(settings.github, info)
  }).catch((error: unknown) => {
    // Without a report the stages' sections are still the job's summary: they were written
    // nowhere else. The step fails with the report's error, which says why.
    appendSections(summary, sections)
    throw error
  })
  // The report composes the job's one summary: it always writes the job summary itself, never a
  // section file.
  reportStage(
    { setOutput, summary, redactor },
    result,
    {
      outputs: reportOutputs,
      render: (report, summary) => {
        renderReportSummary(report, summary)
        appendSections(summary, sections)
      },
      failure: reportFailure
    },
    undefined
  )
}

/**
 * The job's one summary in our reusable workflows: the stages wrote their sections to files
 * (SLIPWAY_SUMMARY_FILE), listed one per line in SLIPWAY_SUMMARY_SECTIONS; each comes folded
 * below the report, so the report's verdict is the first thing the job's summary says. A file
 * that is missing (a skipped stage) or empty adds nothing.
 */
function appendSections(summary: SummaryBuilder, list: string | undefined): void {
  for (const file of (list ?? '').split('\n').map(line => line.trim())) {
    if (!file || !existsSync(file)) continue
    const [first, ...rest] = readFileSync(file, 'utf8').trim().split('\n')
    if (!first) continue
    summary.details(first.replace(/^#+\s*/, ''), rest.join('\n').trim())
  }
}
