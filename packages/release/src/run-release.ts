import {
  link,
  UserError,
  type Clock,
  type OutputValue,
  type Progress,
  type SummaryBuilder
} from '@slipway/kit'
import { reportDeployEvent } from '@slipway/monitoring'
import type { Notification } from '@slipway/notify'
import type { ReleaseStore } from './port.js'
import { attributeCommits } from './release-pr/monorepo.js'
import type { PullRequestStore } from './release-pr/pull-requests.js'
import {
  runReleasePullRequest,
  type ReleasePullRequestOptions,
  type ReleasePullRequestResult
} from './release-pr/run-release-pr.js'
import type { ReleaseSettings } from './settings.js'
import { writeSummary } from './summary.js'
import { tagAndRelease, type TagAndReleaseResult } from './tag-and-release.js'

export interface ReleasePorts {
  /** Where tags, releases and assets are written: GitHub, or the CLI's local ledger. */
  releases: ReleaseStore
  /** Release-PR mode's pull requests (GitHub); the mode needs it unless dry-run. */
  pulls?: PullRequestStore
  progress: Progress
  clock?: Clock
}

export interface ReleaseResult extends TagAndReleaseResult {
  /** For links in the summary (`https://github.com/owner/name`), when there is a repository. */
  repoUrl?: string
  /** Release-PR mode: what happened to the release pull request. */
  pullRequest?: ReleasePullRequestResult['pullRequest']
  /** Release-PR mode in a monorepo: each package's outcome. */
  packages?: Array<{
    name: string
    version?: string
    action: string
    number?: number
    url?: string
  }>
}

/** The release stage: plan the version from the checkout, then tag, release and attach assets. */
export async function runRelease(
  settings: ReleaseSettings,
  ports: ReleasePorts
): Promise<ReleaseResult> {
  const { progress } = ports
  if (settings.mode === 'pull-request') return runPullRequestMode(settings, ports)
  const startedAt = new Date()
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
  if (plan.released && plan.tag && !settings.dryRun)
    // A release belongs to no environment: its series carry the app and the tag only.
    await reportDeployEvent(
      settings.pushgatewayUrl,
      {
        kind: 'release',
        environment: '',
        app: settings.repository?.repo ?? 'app',
        version: plan.tag,
        status: 'success',
        startedAt,
        endedAt: new Date()
      },
      progress
    )
  return { ...result, repoUrl: settings.repoUrl }
}

async function runPullRequestMode(
  settings: ReleaseSettings,
  ports: ReleasePorts
): Promise<ReleaseResult> {
  const { progress } = ports
  const offline = settings.dryRun && !settings.token
  if (!ports.pulls && !offline)
    throw new UserError(
      'mode: pull-request needs GitHub (pull requests), which this front end does not provide',
      'run tag-and-release on GitHub with a token, or use mode: release'
    )
  const common: ReleasePullRequestOptions = {
    cwd: settings.cwd,
    sha: settings.sha,
    tagPrefix: settings.tagPrefix,
    paths: settings.paths,
    prerelease: settings.prerelease,
    bumpMajorPreMajor: settings.bumpMajorPreMajor,
    releaseAs: settings.releaseAs,
    extraSections: settings.extraSections,
    repoUrl: settings.repoUrl,
    warn: message => progress.warning(message),
    log: message => progress.info(message),
    dryRun: settings.dryRun,
    offline,
    baseBranch: settings.baseBranch,
    releaseBranch: settings.releaseBranch,
    versionFiles: settings.versionFiles,
    changelogFile: settings.changelogFile ?? 'CHANGELOG.md',
    tempDir: settings.tempDir,
    useGit: settings.useGit,
    assets: settings.assets,
    checksums: settings.checksums,
    makeLatest: settings.makeLatest,
    majorTag: settings.majorTag
  }
  const pulls = ports.pulls ?? NO_PULLS
  if (settings.packages.length > 0) {
    const results: ReleasePullRequestResult[] = []
    for (const pkg of settings.packages) {
      const result = await runReleasePullRequest(
        {
          ...common,
          tagPrefix: pkg.tagPrefix,
          paths: [pkg.path],
          versionFiles: pkg.versionFiles,
          changelogFile: `${pkg.path}/${settings.changelogFile ?? 'CHANGELOG.md'}`,
          releaseBranch: `${settings.releaseBranch}-${pkg.name}`,
          component: pkg.name,
          filterCommits: raw =>
            attributeCommits(raw, pkg, settings.packages, settings.attribution, settings.cwd)
        },
        ports.releases,
        pulls
      )
      report(progress, result, pkg.name)
      results.push(result)
    }
    // The action's single-release outputs describe the first package with news; `packages`
    // has each package's outcome.
    const first = results.find(r => r.pullRequest.action !== 'none') ?? results[0]
    return {
      ...first,
      repoUrl: settings.repoUrl,
      packages: settings.packages.map((pkg, n) => ({
        name: pkg.name,
        version: results[n].plan.version,
        action: results[n].pullRequest.action,
        number: results[n].pullRequest.number,
        url: results[n].pullRequest.url
      }))
    }
  }
  const result = await runReleasePullRequest(common, ports.releases, pulls)
  report(progress, result)
  return { ...result, repoUrl: settings.repoUrl }
}

function report(progress: Progress, result: ReleasePullRequestResult, name?: string): void {
  const pr = result.pullRequest
  const who = name ? `${name}: ` : ''
  progress.info(
    who +
      (pr.action === 'released'
        ? `Released ${result.plan.tag} from pull request #${pr.number}`
        : result.plan.released
          ? `Release pull request for ${result.plan.tag}: ${pr.action}${pr.url ? ` (${pr.url})` : ''}`
          : `No release: ${result.plan.reason}${pr.number ? `; pull request #${pr.number} ${pr.action}` : ''}`)
  )
}

const unavailable = (): never => {
  throw new Error('pull requests are not read in an offline dry run')
}
const NO_PULLS: PullRequestStore = {
  findOpen: unavailable,
  create: unavailable,
  update: unavailable,
  mergedInto: unavailable,
  comments: unavailable,
  comment: unavailable,
  setLabels: unavailable
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
    notes: plan.notes,
    'pull-request-action': result.pullRequest?.action,
    'pull-request-number': result.pullRequest?.number,
    'pull-request-url': result.pullRequest?.url,
    packages: result.packages
  }
}

/** The job summary. */
export function renderReleaseSummary(result: ReleaseResult, summary: SummaryBuilder): void {
  writeSummary(summary, result, result.repoUrl)
  const pr = result.pullRequest
  if (pr) {
    const name = pr.number ? (pr.url ? link(`#${pr.number}`, pr.url) : `#${pr.number}`) : ''
    summary.heading('Release pull request', 3).paragraph(`${pr.action} ${name}`.trim())
    if (pr.files.length > 0)
      summary.table(
        ['Changes'],
        pr.files.map(file => [file])
      )
  }
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
