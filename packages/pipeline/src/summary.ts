import { SummaryBuilder, formatDuration, link } from '@slipway/kit'
import type { PipelineResult, StageRun } from './run.js'

export interface SummaryFacts {
  environment: string
  version: string
  previousVersion?: string
  dryRun: boolean
  links: { label: string; url?: string }[]
}

const ICON: Record<StageRun['status'], string> = { success: '✅', failure: '❌', skipped: '⏭️' }

/** A Mermaid gantt of the stages that ran: one bar each, failed ones marked critical. */
export function gantt(result: PipelineResult): string {
  const lines = [
    'gantt',
    '  title Slipway pipeline',
    '  dateFormat x',
    '  axisFormat %M:%S',
    '  section stages'
  ]
  result.runs
    .filter(run => run.status !== 'skipped')
    .forEach((run, index) => {
      const name = `${run.stage} ${formatDuration(run.durationMs)}`.replace(/[:#;]/g, ' ')
      const tags =
        run.status === 'failure' ? 'crit, done' : run.stage === 'rollback' ? 'active' : 'done'
      lines.push(
        `  ${name} :${tags}, s${index}, ${run.startedAt}, ${run.startedAt + Math.max(1, run.durationMs)}`
      )
    })
  return lines.join('\n')
}

/** The pipeline's job summary: outcome, versions, the stage timeline (table + gantt), links, each stage's own summary. */
export function renderPipelineSummary(
  summary: SummaryBuilder,
  result: PipelineResult,
  facts: SummaryFacts
): void {
  const headline = {
    success: `✅ ${facts.version} deployed to ${facts.environment}`,
    'rolled-back': `↩️ ${facts.version} rolled back in ${facts.environment}: ${result.failed?.stage} failed, ${result.rollback?.outputs['rolled-back-to'] ?? 'previous version'} is live again`,
    failed: `❌ pipeline failed at ${result.failed?.stage ?? 'a stage'} (${facts.environment})`
  }[result.status]
  summary.heading(`Slipway pipeline: ${headline}${facts.dryRun ? ' (dry run)' : ''}`)
  if (result.failed?.error)
    summary.paragraph(`**${result.failed.stage} failed:** ${result.failed.error}`)
  if (result.rollback?.status === 'failure')
    summary.paragraph(`**Rollback failed:** ${result.rollback.error ?? ''}`)
  const live =
    result.status === 'success'
      ? facts.version
      : (result.rollback?.outputs['rolled-back-to'] ?? facts.previousVersion ?? '—')
  summary.table(
    ['', ''],
    [
      ['Environment', facts.environment],
      ['Version', facts.version],
      ['Previous version', facts.previousVersion || '—'],
      [
        'Live now',
        facts.dryRun ? `${facts.previousVersion || '—'} (dry run: nothing changed)` : live
      ],
      ['Total time', formatDuration(result.durationMs)]
    ]
  )
  summary.heading('Stages', 3)
  summary.table(
    ['Stage', 'Result', 'Started', 'Duration', 'Detail'],
    result.runs.map(run => [
      run.stage,
      `${ICON[run.status]} ${run.status}`,
      run.status === 'skipped' ? '' : `+${formatDuration(run.startedAt - result.startedAt)}`,
      run.status === 'skipped' ? '' : formatDuration(run.durationMs),
      run.detail
    ])
  )
  if (result.runs.some(run => run.status !== 'skipped')) summary.mermaid(gantt(result))
  const links = facts.links.filter(l => l.url).map(l => link(l.label, l.url))
  if (links.length) summary.paragraph(links.join(' · '))
  for (const run of result.runs)
    if (run.summary.trim()) summary.details(`${run.stage}: ${run.status}`, run.summary.trim())
}
