import { isAbsolute, join } from 'node:path'
import { run, UserError } from '@slipway/kit'
import semver from 'semver'
import { checksumsAsset, collectAssets, type AssetFile } from '../assets.js'
import { prependChangelog } from '../changelog.js'
import { resolveCommit, type RawCommit } from '../git.js'
import { ensureTagWithGit, moveTagWithGit } from '../git-tag.js'
import { planRelease, type PlanOptions, type ReleasePlan } from '../plan.js'
import type { MakeLatest, ReleaseStore } from '../port.js'
import { publishRelease } from '../publish.js'
import { ensureTag, moveTag } from '../tags.js'
import type { TagAndReleaseResult } from '../tag-and-release.js'
import { PENDING_LABEL, RELEASED_LABEL, proposalBody, proposalTitle, readProposal } from './body.js'
import { applyCommitOverrides } from './overrides.js'
import type { PullRequestStore } from './pull-requests.js'
import { pushReleaseBranch } from './release-branch.js'
import { readVersion, writeVersion, type VersionFile } from './version-files.js'

export interface ReleasePullRequestOptions extends PlanOptions {
  dryRun: boolean
  /** A dry run without a token: the open pull request is not looked up. */
  offline?: boolean
  /** The branch releases are made from; the checkout's current branch by default. */
  baseBranch?: string
  /** The branch the release pull request is made from (`slipway/release`). */
  releaseBranch: string
  remote?: string
  versionFiles: VersionFile[]
  changelogFile: string
  /** Where the temporary worktree of the release commit goes. */
  tempDir: string
  useGit?: boolean
  assets?: string[]
  checksums?: boolean
  makeLatest?: MakeLatest
  majorTag?: boolean
  log?: (message: string) => void
  /** A package of a monorepo: named in the title. */
  component?: string
  /** Drops commits that do not count (a monorepo package's attribution), after overrides. */
  filterCommits?: (raw: RawCommit[]) => Promise<RawCommit[]>
}

export type PullRequestAction =
  | 'opened'
  | 'updated'
  | 'unchanged'
  | 'closed'
  | 'none'
  | 'released'
  | 'would-open'
  | 'would-update'
  | 'would-close'

export interface ReleasePullRequestResult extends TagAndReleaseResult {
  pullRequest: { action: PullRequestAction; number?: number; url?: string; files: string[] }
}

const COMMENT_MARK = '<!-- slipway-released -->'

/**
 * Release-PR mode: on a push to the base branch, either release what a just-merged release
 * pull request proposed, or bring the one open release pull request up to date with the next
 * version (or close it when nothing is releasable). Every step converges on re-run.
 */
export async function runReleasePullRequest(
  options: ReleasePullRequestOptions,
  releases: ReleaseStore,
  pulls: PullRequestStore
): Promise<ReleasePullRequestResult> {
  const log = options.log ?? (() => undefined)
  const base = options.baseBranch ?? (await currentBranch(options.cwd))
  const sha = await resolveCommit(options.sha ?? 'HEAD', { cwd: options.cwd })

  if (!options.dryRun) {
    const merged = (await pulls.mergedInto(sha)).find(
      pull => pull.head === options.releaseBranch && pull.base === base
    )
    const proposal = merged && readProposal(merged.body)
    if (merged && proposal) {
      log(`${sha.slice(0, 7)} is the merge of release pull request #${merged.number}`)
      const result = await releaseMerged(options, releases, sha, proposal)
      if (!merged.labels.includes(RELEASED_LABEL)) {
        const comments = await pulls.comments(merged.number)
        if (!comments.some(body => body.includes(COMMENT_MARK)))
          await pulls.comment(
            merged.number,
            `${COMMENT_MARK}\nReleased **${proposal.tag}**: ${result.releaseUrl ?? ''}`
          )
        await pulls.setLabels(merged.number, [
          ...merged.labels.filter(label => label !== PENDING_LABEL),
          RELEASED_LABEL
        ])
      }
      return {
        ...result,
        pullRequest: { action: 'released', number: merged.number, url: merged.url, files: [] }
      }
    }
  }

  const plan = await planRelease({
    ...options,
    sha,
    rewriteCommits: async raw => {
      const rewritten = options.offline
        ? raw
        : await applyCommitOverrides(raw, pulls, { cwd: options.cwd, warn: options.warn })
      return options.filterCommits ? options.filterCommits(rewritten) : rewritten
    }
  })
  const result: ReleasePullRequestResult = {
    plan,
    dryRun: options.dryRun,
    assets: [],
    plannedAssets: [],
    steps: [],
    pullRequest: { action: 'none', files: [] }
  }
  const open = options.offline ? undefined : await findOpen(pulls, options, base)

  if (!plan.released) {
    if (open) {
      result.pullRequest = {
        action: options.dryRun ? 'would-close' : 'closed',
        number: open.number,
        url: open.url,
        files: []
      }
      if (!options.dryRun) {
        await pulls.comment(open.number, `Closing: nothing to release. ${plan.reason ?? ''}`.trim())
        await pulls.update(open.number, { state: 'closed' })
      }
    }
    return result
  }

  const version = plan.version!
  const changes = options.versionFiles.map(
    file => `\`${file.path}\`: ${readVersion(options.cwd, file) ?? '?'} → ${version}`
  )
  changes.push(`\`${options.changelogFile}\`: the ${version} section prepended`)
  const title = proposalTitle(base, version, options.component)
  const body = proposalBody({
    tag: plan.tag!,
    version,
    previousTag: plan.previousTag,
    bump: plan.bump,
    prerelease: plan.prerelease,
    notes: plan.notes,
    changes
  })
  if (options.dryRun) {
    result.pullRequest = {
      action: open ? 'would-update' : 'would-open',
      number: open?.number,
      url: open?.url,
      files: changes
    }
    return result
  }

  const branch = await pushReleaseBranch({
    cwd: options.cwd,
    sha,
    branch: options.releaseBranch,
    remote: options.remote ?? 'origin',
    message: `${title}\n`,
    tempDir: options.tempDir,
    edit: worktree => {
      const written = options.versionFiles.flatMap(file => writeVersion(worktree, file, version))
      const changelog = isAbsolute(options.changelogFile)
        ? options.changelogFile
        : join(worktree, options.changelogFile)
      prependChangelog(changelog, plan.notes, version)
      return [...written, options.changelogFile]
    }
  })
  log(
    branch.pushed
      ? `Pushed ${branch.commit.slice(0, 7)} to ${options.releaseBranch}`
      : `${options.releaseBranch} already holds ${version}`
  )
  if (open) {
    const same = open.title === title && open.body === body
    const updated = same ? open : await pulls.update(open.number, { title, body })
    result.pullRequest = {
      action: same && !branch.pushed ? 'unchanged' : 'updated',
      number: updated.number,
      url: updated.url,
      files: changes
    }
  } else {
    const created = await pulls.create({ title, body, head: options.releaseBranch, base })
    await pulls.setLabels(created.number, [PENDING_LABEL])
    result.pullRequest = {
      action: 'opened',
      number: created.number,
      url: created.url,
      files: changes
    }
  }
  return result
}

async function findOpen(pulls: PullRequestStore, options: ReleasePullRequestOptions, base: string) {
  return pulls.findOpen(options.releaseBranch, base)
}

async function currentBranch(cwd: string): Promise<string> {
  const branch = await run('git', ['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd })
  if (branch.exitCode !== 0 || !branch.stdout.trim())
    throw new UserError(
      `The checkout in ${cwd} is not on a branch, so the release pull request has no base`,
      'set base-branch, or check out the branch (actions/checkout does on a push)'
    )
  return branch.stdout.trim()
}

/** Tag, release with the reviewed notes, assets and major tag: the existing release path. */
async function releaseMerged(
  options: ReleasePullRequestOptions,
  releases: ReleaseStore,
  sha: string,
  proposal: { tag: string; version: string; prerelease: boolean; notes: string }
): Promise<TagAndReleaseResult> {
  const { tag, version, notes } = proposal
  const prerelease = semver.prerelease(version) !== null
  const plan: ReleasePlan = {
    released: true,
    version,
    tag,
    bump: 'none',
    sha,
    prerelease,
    notes,
    commits: [],
    durationMs: 0
  }
  const files = await collectAssets(options.assets ?? [], options.cwd)
  const uploads: AssetFile[] =
    files.length > 0 && options.checksums !== false ? [...files, checksumsAsset(files)] : files
  const message = `${tag}\n\n${notes}`
  const tagOutcome = options.useGit
    ? await ensureTagWithGit(tag, sha, message, { cwd: options.cwd, remote: options.remote })
    : await ensureTag(releases, tag, sha, message)
  const published = await publishRelease(releases, {
    tag,
    sha,
    name: tag,
    body: notes,
    prerelease,
    makeLatest: options.makeLatest ?? 'true',
    assets: uploads,
    log: options.log
  })
  const result: TagAndReleaseResult = {
    plan,
    dryRun: false,
    releaseId: published.release.id,
    releaseUrl: published.release.html_url,
    tagOutcome: `${tag} ${tagOutcome}`,
    assets: published.assets,
    plannedAssets: uploads.map(file => file.name),
    steps: []
  }
  if (options.majorTag && !prerelease) {
    const major = `${options.tagPrefix}${semver.major(version)}`
    const outcome = options.useGit
      ? await moveTagWithGit(major, sha, { cwd: options.cwd, remote: options.remote })
      : await moveTag(releases, major, sha)
    result.majorTag = `${major} ${outcome}`
  }
  return result
}
