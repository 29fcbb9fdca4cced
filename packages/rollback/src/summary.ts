import { SummaryBuilder, formatDuration, link } from '@slipway/kit'
import { describeFailureStep, renderTimeline } from '@slipway/strategies'
import { describeRollbackStep } from './plan.js'
import type { RollbackResult } from './rollback.js'

/** The rollback's job summary: from → to, how, what was recorded, the timeline. */
export function renderRollbackSummary(
  summary: SummaryBuilder,
  environment: string,
  result: RollbackResult,
  links: { logUrl?: string } = {}
): void {
  const icon = { success: '✅', failure: '❌', 'dry-run': '📝' }[result.status]
  summary.heading(
    `${icon} rollback: ${environment} ${result.from} → ${result.to}${result.status === 'dry-run' ? ' (dry run)' : ''}`
  )
  if (result.error) summary.paragraph(`**Failed:** ${result.error}`)
  const modeText = {
    'route-back': 'instant route-back to the warm previous slot',
    redeploy: result.prepared
      ? `redeploy: ${result.prepared}`
      : result.image
        ? `restart of the kept ${result.to} container where one is stopped, else a run of the recorded image ${result.image}`
        : 'redeploy of the previous artifact',
    none: 'nothing to move (already live)'
  }[result.mode]
  summary.table(
    ['', ''],
    [
      ['Rolled back from', `${result.from} (deployment #${result.fromDeployment.id})`],
      ['Rolled back to', `${result.to} (deployment #${result.targetDeployment.id})`],
      ['How', `${modeText}, ${result.strategy}`],
      ...(result.plan.slot ? [['Slot', result.plan.slot]] : []),
      ...(result.deployment ? [['Rollback deployment', `#${result.deployment.id}`]] : []),
      ['Marked rolled back', result.marked.map(id => `#${id}`).join(', ')],
      ...(result.data
        ? [
            [
              'Data',
              `fresh backup ${result.data.freshBackupId} verified, restored ${result.data.restoredBackupId}`
            ]
          ]
        : []),
      ...(result.smoke
        ? [['Smoke test', result.smoke.passed ? 'passed' : result.smoke.message]]
        : []),
      ...(result.release
        ? [
            [
              'Release',
              `${link(result.release.tag, result.release.url)}: ${result.release.action}${result.release.prerelease ? ' (now prerelease)' : ''}`
            ]
          ]
        : []),
      ['Duration', formatDuration(result.durationMs)]
    ]
  )
  summary.heading(result.status === 'dry-run' ? 'Plan (nothing changed)' : 'Plan', 3)
  summary.list(
    result.plan.steps.map((step, index) => `${index + 1}. ${describeRollbackStep(step)}`)
  )
  if (result.plan.onFailure.length) {
    summary.heading('If moving traffic fails', 3)
    summary.list(
      result.plan.onFailure.map((step, index) => `${index + 1}. ${describeFailureStep(step)}`)
    )
  }
  renderTimeline(summary, result.timeline)
  if (links.logUrl) summary.paragraph(link('Workflow run', links.logUrl))
}
