import { InputError, UserError } from '@slipway/kit'
import semver from 'semver'
import { CommitReader, parseCommits, type ConventionalCommit } from './commits.js'
import { inspectCheckout, listTags, readCommits, type RawCommit } from './git.js'
import { renderNotes, type Section } from './notes.js'
import {
  bumpOf,
  effectiveBump,
  exactVersion,
  latestStable,
  nextStable,
  prereleaseVersion,
  versionTags,
  type Bump
} from './version.js'

export interface PlanOptions {
  /** The git checkout (needs full history and tags: `fetch-depth: 0`). */
  cwd: string
  /** The commit to release; HEAD of the checkout by default. */
  sha?: string
  /** Tags are `<tagPrefix><version>`: `v1.2.3`, or `api-v1.2.3` for a package of a monorepo. */
  tagPrefix: string
  /** Only commits touching these paths count (a package of a monorepo). */
  paths?: string[]
  /** Prerelease channel (`rc` → 1.3.0-rc.1). */
  prerelease?: string
  bumpMajorPreMajor?: boolean
  /** Forces the version (like a `Release-As:` footer). */
  releaseAs?: string
  /** `https://github.com/owner/repo` for links in the notes. */
  repoUrl?: string
  extraSections?: Section[]
  warn?: (message: string) => void
  /** Rewrites the commits read before they are parsed (a pull request's commit override). */
  rewriteCommits?: (raw: RawCommit[]) => Promise<RawCommit[]>
}

export interface ReleasePlan {
  released: boolean
  /** Why nothing is released, when `released` is false. */
  reason?: string
  version?: string
  tag?: string
  /** The last stable release tag: the base of the version and of the notes. */
  previousTag?: string
  previousVersion?: string
  bump: Bump
  sha: string
  prerelease: boolean
  notes: string
  commits: ConventionalCommit[]
  /** Where a forced version came from (`input` or the commit whose footer asked). */
  releaseAsSource?: string
  durationMs: number
}

/**
 * Reads the checkout (tags, then the commits since the last stable tag in one `git log`
 * pass) and decides the next version and its notes. Changes nothing.
 *
 * Tags already on the target commit are treated as the result of an earlier run of the same
 * job: they are not "the previous release", so a re-run computes the same version and the
 * later steps converge instead of releasing nothing (or minting -rc.2 for the same commit).
 */
export async function planRelease(options: PlanOptions): Promise<ReleasePlan> {
  const started = Date.now()
  const warn = options.warn ?? (() => undefined)
  const git = { cwd: options.cwd }
  const revision = options.sha ?? 'HEAD'
  // The look at the checkout and the tag listings run side by side (git resolves the revision
  // for --merged itself); their answers are judged in order below, so a bad checkout or sha is
  // reported as before.
  // Started in the order the log needs them: the log waits for the first two, and starting a
  // process costs ours a few milliseconds each.
  const looked = inspectCheckout(revision, git)
  const everyTag = listTags(git)
  const reachable = listTags({ ...git, mergedInto: revision })
  // Rejections are judged only after the checkout is; until then they must not go unhandled.
  reachable.catch(() => undefined)
  everyTag.catch(() => undefined)
  const checkout = await looked
  if (!checkout.repository)
    throw new UserError(
      `${options.cwd} is not a git checkout: ${checkout.stderr.trim()}`,
      'run actions/checkout (with fetch-depth: 0) before this step, or set working-directory'
    )
  if (checkout.shallow) {
    throw new UserError(
      'The checkout is shallow: tag-and-release needs the full history and tags (actions/checkout with `fetch-depth: 0`)',
      'use actions/checkout with fetch-depth: 0'
    )
  }
  if (!checkout.commit) {
    if (options.sha)
      throw new InputError('sha', `a commit of the checkout in ${options.cwd}`, options.sha)
    throw new UserError(
      `The checkout in ${options.cwd} has no commit yet`,
      'commit something to release first'
    )
  }
  const sha = checkout.commit
  const all = versionTags(await everyTag, options.tagPrefix)
  const range = { ...git, to: sha, paths: options.paths }
  // Which tags the commit reaches takes git a walk of the history (tens of milliseconds on a
  // long one), and so does the log. The previous release is nearly always the highest stable
  // tag of the whole repository, known at once: the log from it starts now, and is kept only
  // if the walk confirms it (else it is stopped and the log read again from the right tag).
  const guess = options.rewriteCommits
    ? undefined
    : latestStable(all.filter(tag => tag.commit !== sha))
  const early = guess ? startReading({ ...range, from: guess.commit }) : undefined
  const reachableTags = await reachable.catch((error: unknown) => {
    early?.stop()
    throw error
  })
  const earlier = versionTags(reachableTags, options.tagPrefix).filter(tag => tag.commit !== sha)
  const previous = latestStable(earlier)

  let raw: RawCommit[]
  let commits: ConventionalCommit[]
  if (options.rewriteCommits) {
    raw = await options.rewriteCommits(await readCommits({ ...range, from: previous?.commit }))
    commits = parseCommits(raw)
  } else {
    let reading = early
    if (!reading || guess?.commit !== previous?.commit) {
      early?.stop()
      reading = startReading({ ...range, from: previous?.commit })
    }
    ;({ raw, commits } = await reading.done)
  }
  const bump = bumpOf(commits)

  let releaseAs = options.releaseAs
  let releaseAsSource = releaseAs ? 'input' : undefined
  if (!releaseAs) {
    for (const commit of commits) {
      if (!commit.releaseAs) continue
      const version = exactVersion(commit.releaseAs)
      if (version) {
        releaseAs = version
        releaseAsSource = commit.hash
        break
      }
      warn(
        `Ignoring "Release-As: ${commit.releaseAs}" in ${commit.hash.slice(0, 7)}: not a semantic version such as 1.4.0`
      )
    }
  }

  const base: Omit<ReleasePlan, 'released' | 'bump' | 'notes' | 'prerelease'> = {
    sha,
    previousTag: previous?.name,
    previousVersion: previous?.version,
    commits,
    releaseAsSource,
    durationMs: 0
  }
  if (bump === 'none' && !releaseAs) {
    const reason =
      commits.length === 0
        ? `No commits since ${previous?.name ?? 'the beginning of the history'}${options.paths?.length ? ` touching ${options.paths.join(', ')}` : ''}`
        : `None of the ${commits.length} commit(s) since ${previous?.name ?? 'the beginning'} is releasable (feat, fix, perf, revert or a breaking change)`
    return {
      ...base,
      released: false,
      reason,
      bump,
      prerelease: false,
      notes: '',
      durationMs: Date.now() - started
    }
  }

  if (releaseAs && previous && semver.lte(releaseAs, previous.version)) {
    warn(`Release-As ${releaseAs} is not above the previous release ${previous.version}`)
  }
  const stable = releaseAs ?? nextStable(previous?.version, bump as Exclude<Bump, 'none'>, options)
  const sameCommit = (tag: { commit: string }): boolean => tag.commit !== sha
  const version =
    options.prerelease && !semver.prerelease(stable)
      ? prereleaseVersion(stable, options.prerelease, all.filter(sameCommit))
      : stable
  const tag = `${options.tagPrefix}${version}`
  const appliedBump = releaseAs
    ? bumpBetween(previous?.version, stable)
    : effectiveBump(bump, previous?.version ?? '0.0.0', options)
  const notes = renderNotes(commits, {
    version,
    tag,
    previousTag: previous?.name,
    repoUrl: options.repoUrl,
    date: (raw[0]?.date ?? new Date().toISOString()).slice(0, 10),
    extraSections: options.extraSections
  })
  return {
    ...base,
    released: true,
    version,
    tag,
    bump: appliedBump,
    prerelease: semver.prerelease(version) !== null,
    notes,
    durationMs: Date.now() - started
  }
}

interface Reading {
  done: Promise<{ raw: RawCommit[]; commits: ConventionalCommit[] }>
  /** Stops git; `done` then rejects. */
  stop: () => void
}

/** Reads and parses a range, the parse overlapping git's walk (as git writes each commit). */
function startReading(range: Parameters<typeof readCommits>[0]): Reading {
  const reader = new CommitReader()
  const controller = new AbortController()
  const done = readCommits({
    ...range,
    signal: controller.signal,
    onCommit: commit => reader.add(commit)
  }).then(raw => ({ raw, commits: reader.finish() }))
  // A guess that is dropped (or a plan that fails first) never awaits it.
  done.catch(() => undefined)
  return { done, stop: () => controller.abort() }
}

function bumpBetween(previous: string | undefined, next: string): Bump {
  if (!previous)
    return semver.major(next) > 0 ? 'major' : semver.minor(next) > 0 ? 'minor' : 'patch'
  const diff = semver.diff(previous, next)
  if (diff === 'major' || diff === 'premajor') return 'major'
  if (diff === 'minor' || diff === 'preminor') return 'minor'
  return diff ? 'patch' : 'none'
}
