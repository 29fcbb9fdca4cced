import type { Clock, OutputValue, Progress, SummaryBuilder } from '@slipway/kit'
import type { Notification } from '@slipway/notify'
import type { ReleaseStore } from './port.js'
import type { ReleaseSettings } from './settings.js'
import { writeSummary } from './summary.js'
import { tagAndRelease, type TagAndReleaseResult } from './tag-and-release.js'

export interface ReleasePorts {
  /** Where tags, releases and assets are written: GitHub, or the CLI's local ledger. */
  releases: ReleaseStore
  progress: Progress
  clock?: Clock
}

export interface ReleaseResult extends TagAndReleaseResult {
  /** For links in the summary (`https://github.com/owner/name`), when there is a repository. */
  repoUrl?: string
}

/** The release stage: plan the version from the checkout, then tag, release and attach assets. */
export async function runRelease(
  settings: ReleaseSettings,
  ports: ReleasePorts
): Promise<ReleaseResult> {
  const { progress } = ports
  const result = await tagAndRelease(
    {
      cwd: settings.cwd,
      sha: settings.sha,
      tagPrefix: settings.tagPrefix,
      paths: settings.paths,
      prerelease: settings.prerelease,
      bumpMajorPreMajor: settings.bumpMajorPreMajor,
      releaseAs: settings.releaseAs,
      extraSections: settings.extraSections,
      changelogFile: settings.changelogFile,
      useGit: settings.useGit,
      assets: settings.assets,
      checksums: settings.checksums,
      makeLatest: settings.makeLatest,
      majorTag: settings.majorTag,
      promote: settings.promote,
      dryRun: settings.dryRun,
      repoUrl: settings.repoUrl,
      warn: message => progress.warning(message),
      log: message => progress.info(message),
      clock: ports.clock
    },
    ports.releases
  )
  const { plan } = result
  progress.info(
    plan.released
      ? `${settings.dryRun ? 'Would release' : 'Released'} ${plan.tag} (${plan.bump})`
      : `No release: ${plan.reason}`
  )
  return { ...result, repoUrl: settings.repoUrl }
}

/** The action's outputs. */
export function releaseOutputs(result: ReleaseResult): Record<string, OutputValue> {
  const { plan } = result
  return {
    released: plan.released,
    version: plan.version ?? '',
    tag: plan.tag ?? '',
    'previous-tag': plan.previousTag ?? '',
    bump: plan.bump,
    'release-id': result.releaseId,
    'release-url': result.releaseUrl,
    notes: plan.notes
  }
}

/** The job summary. */
export function renderReleaseSummary(result: ReleaseResult, summary: SummaryBuilder): void {
  writeSummary(summary, result, result.repoUrl)
}

/**
 * The webhook notice of a release, or nothing when nothing was released or it was a dry run. The
 * front end sends it (the action, the pipeline and the CLI alike), with its own secrets and log.
 */
export function releaseNotice(
  settings: ReleaseSettings,
  result: ReleaseResult
): Notification | undefined {
  const { plan } = result
  if (!plan.released || settings.dryRun) return undefined
  return {
    event: 'release',
    version: plan.tag,
    previousVersion: plan.previousTag,
    repository: settings.repositoryName,
    releaseUrl: result.releaseUrl,
    detail: `${plan.bump} release`
  }
}
