import { formatDuration, link, type SummaryBuilder } from '@slipway/kit'
import type { TagAndReleaseResult } from './tag-and-release.js'

/** The job summary: what was (or would be) released, the steps with timings, and the notes. */
export function writeSummary(
  summary: SummaryBuilder,
  result: TagAndReleaseResult,
  repoUrl?: string
): void {
  const { plan } = result
  const dry = result.dryRun ? ' (dry run)' : ''
  if (result.promoted) {
    summary.heading(`Promote ${result.promoted}${dry}`)
  } else if (!plan.released) {
    summary.heading(`No release${dry}`).paragraph(plan.reason ?? 'Nothing to release.')
  } else {
    const title = result.releaseUrl ? link(plan.tag!, result.releaseUrl) : plan.tag!
    summary.heading(`${result.dryRun ? 'Would release' : 'Released'} ${title}${dry}`)
  }
  const commitLink =
    plan.sha && repoUrl
      ? link(plan.sha.slice(0, 7), `${repoUrl}/commit/${plan.sha}`)
      : plan.sha.slice(0, 7)
  const rows: Array<[string, string | undefined]> = [
    ['Version', plan.version],
    ['Tag', plan.tag],
    ['Previous tag', plan.previousTag],
    ['Bump', plan.bump],
    ['Commit', commitLink],
    ['Commits read', result.promoted ? undefined : String(plan.commits.length)],
    ['Prerelease', plan.released ? String(plan.prerelease) : undefined],
    ['Release-As from', plan.releaseAsSource],
    ['Major tag', result.majorTag],
    [
      'Changelog',
      result.changelog
        ? `${result.changelog.file} (${result.changelog.changed ? 'updated' : 'unchanged'})`
        : undefined
    ]
  ]
  summary.table(
    ['', ''],
    rows.filter(([, value]) => value !== undefined && value !== '')
  )
  if (result.steps.length > 0) {
    summary.heading('Steps', 3).table(
      ['Step', 'Outcome', 'Time'],
      result.steps.map(step => [step.step, step.outcome, formatDuration(step.durationMs)])
    )
  }
  const assets =
    result.assets.length > 0
      ? result.assets.map(a => [a.name, a.action])
      : result.plannedAssets.map(name => [name, 'would upload'])
  if (assets.length > 0) summary.heading('Assets', 3).table(['Asset', 'Action'], assets)
  if (plan.notes) summary.details('Release notes', plan.notes)
}
