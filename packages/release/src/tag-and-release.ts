import { join, isAbsolute } from 'node:path'
import { systemClock, type Clock } from '@slipway/kit'
import semver from 'semver'
import { checksumsAsset, collectAssets, type AssetFile } from './assets.js'
import { prependChangelog } from './changelog.js'
import { resolveCommit } from './git.js'
import { ensureTagWithGit, moveTagWithGit } from './git-tag.js'
import type { MakeLatest, ReleaseStore } from './port.js'
import { promoteRelease, publishRelease, type AssetOutcome } from './publish.js'
import { planRelease, type PlanOptions, type ReleasePlan } from './plan.js'
import { ensureTag, moveTag } from './tags.js'

export interface TagAndReleaseOptions extends PlanOptions {
  dryRun?: boolean
  /** Create and push the tags with local git instead of the API. */
  useGit?: boolean
  remote?: string
  /** Globs of files to attach, relative to `assetsDir`. */
  assets?: string[]
  assetsDir?: string
  checksums?: boolean
  makeLatest?: MakeLatest
  /** Move `<prefix><major>` (v1) to the release commit (stable releases only). */
  majorTag?: boolean
  /** A CHANGELOG.md (relative to `cwd`) to prepend the notes to. */
  changelogFile?: string
  /** Instead of releasing: turn this existing prerelease tag's release into a full release. */
  promote?: string
  log?: (message: string) => void
  /** Times the steps; the system clock by default. */
  clock?: Clock
}

export interface Step {
  step: string
  outcome: string
  durationMs: number
}

export interface TagAndReleaseResult {
  plan: ReleasePlan
  dryRun: boolean
  promoted?: string
  releaseId?: number
  releaseUrl?: string
  tagOutcome?: string
  majorTag?: string
  assets: AssetOutcome[]
  /** Asset names that would be uploaded in a dry run. */
  plannedAssets: string[]
  changelog?: { file: string; changed: boolean }
  steps: Step[]
}

/**
 * The tag-and-release action: plan the version from the checkout, then (unless dry-run)
 * prepend the changelog, create the annotated tag, create the draft release, upload the
 * assets and SHA256SUMS, publish, and move the major tag. Every step converges on re-run.
 * `releases` is where tags, releases and assets are written; a dry run never touches it.
 */
export async function tagAndRelease(
  options: TagAndReleaseOptions,
  releases: ReleaseStore
): Promise<TagAndReleaseResult> {
  const log = options.log ?? (() => undefined)
  const clock = options.clock ?? systemClock
  const steps: Step[] = []
  const timed = async <T>(
    step: string,
    work: () => Promise<T>,
    describe: (value: T) => string
  ): Promise<T> => {
    const started = clock.now()
    const value = await work()
    steps.push({ step, outcome: describe(value), durationMs: clock.now() - started })
    return value
  }

  if (options.promote) return promote(options, releases, steps, timed)

  const plan = await timed(
    'plan',
    () => planRelease(options),
    p =>
      p.released
        ? `${p.version} (${p.bump}) from ${p.commits.length} commit(s) since ${p.previousTag ?? 'the beginning'}`
        : (p.reason ?? 'nothing to release')
  )
  const result: TagAndReleaseResult = {
    plan,
    dryRun: Boolean(options.dryRun),
    assets: [],
    plannedAssets: [],
    steps
  }
  if (!plan.released) return result

  const assetsDir = options.assetsDir ?? options.cwd
  const files = await timed(
    'assets',
    () => collectAssets(options.assets ?? [], assetsDir),
    found => `${found.length} file(s)`
  )
  const uploads: AssetFile[] =
    files.length > 0 && options.checksums !== false ? [...files, checksumsAsset(files)] : files
  result.plannedAssets = uploads.map(file => file.name)
  const tag = plan.tag!
  const version = plan.version!
  const major = `${options.tagPrefix}${semver.major(version)}`
  if (options.dryRun) {
    log(`Dry run: would release ${tag} at ${plan.sha}`)
    return result
  }

  if (options.changelogFile) {
    const file = isAbsolute(options.changelogFile)
      ? options.changelogFile
      : join(options.cwd, options.changelogFile)
    result.changelog = await timed(
      'changelog',
      async () => prependChangelog(file, plan.notes, version),
      c =>
        c.changed
          ? `prepended to ${options.changelogFile}`
          : `${options.changelogFile} already has ${version}`
    )
  }

  const message = `${tag}\n\n${plan.notes}`
  result.tagOutcome = await timed(
    'tag',
    () =>
      options.useGit
        ? ensureTagWithGit(tag, plan.sha, message, { cwd: options.cwd, remote: options.remote })
        : ensureTag(releases, tag, plan.sha, message),
    outcome => `${tag} ${outcome}`
  )

  const published = await timed(
    'release',
    () =>
      publishRelease(releases, {
        tag,
        sha: plan.sha,
        name: tag,
        body: plan.notes,
        prerelease: plan.prerelease,
        makeLatest: options.makeLatest ?? 'true',
        assets: uploads,
        log
      }),
    p => `${p.action}; assets: ${summarizeAssets(p.assets)}`
  )
  result.releaseId = published.release.id
  result.releaseUrl = published.release.html_url
  result.assets = published.assets

  if (options.majorTag && !plan.prerelease) {
    const outcome = await timed(
      'major tag',
      () =>
        options.useGit
          ? moveTagWithGit(major, plan.sha, { cwd: options.cwd, remote: options.remote })
          : moveTag(releases, major, plan.sha),
      o => `${major} ${o}`
    )
    result.majorTag = `${major} ${outcome}`
  }
  return result
}

type Timed = <T>(step: string, work: () => Promise<T>, describe: (value: T) => string) => Promise<T>

async function promote(
  options: TagAndReleaseOptions,
  releases: ReleaseStore,
  steps: Step[],
  timed: Timed
): Promise<TagAndReleaseResult> {
  const tag = options.promote!
  const version = tag.startsWith(options.tagPrefix)
    ? semver.valid(tag.slice(options.tagPrefix.length))
    : null
  const sha = await resolveCommit(tag, { cwd: options.cwd }).catch(() => undefined)
  const plan: ReleasePlan = {
    released: false,
    reason: `promote ${tag}`,
    version: version ?? undefined,
    tag,
    bump: 'none',
    sha: sha ?? '',
    prerelease: false,
    notes: '',
    commits: [],
    durationMs: 0
  }
  const result: TagAndReleaseResult = {
    plan,
    dryRun: Boolean(options.dryRun),
    promoted: tag,
    assets: [],
    plannedAssets: [],
    steps
  }
  if (options.dryRun) return result
  const promoted = await timed(
    'promote',
    () => promoteRelease(releases, tag, options.makeLatest ?? 'true'),
    p => `${tag} ${p.action}`
  )
  plan.released = true
  plan.notes = promoted.release.body ?? ''
  result.releaseId = promoted.release.id
  result.releaseUrl = promoted.release.html_url
  if (options.majorTag && version && sha) {
    const major = `${options.tagPrefix}${semver.major(version)}`
    const outcome = await timed(
      'major tag',
      () =>
        options.useGit
          ? moveTagWithGit(major, sha, { cwd: options.cwd, remote: options.remote })
          : moveTag(releases, major, sha),
      o => `${major} ${o}`
    )
    result.majorTag = `${major} ${outcome}`
  }
  return result
}

function summarizeAssets(assets: AssetOutcome[]): string {
  if (assets.length === 0) return 'none'
  const counts = new Map<string, number>()
  for (const asset of assets) counts.set(asset.action, (counts.get(asset.action) ?? 0) + 1)
  return [...counts].map(([action, count]) => `${count} ${action}`).join(', ')
}
